// Results need a box some lab received (issue 11, 5): a result for a tube that was never handed
// in (still at the lane, or in a box on the road) is refused with 409 naming the tube and box.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { boxHandedOver, buildTown, campaign, ok, staffAt, tube } from './factories.js';

let t: TestApp;
let admin: Client;
let sampler: Client;
let lab: Client;

beforeAll(async () => {
  t = await startTestApp();
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
  const town = await buildTown(admin, '-rr');
  const c = await campaign(admin, { name: '接收检查', ownerPlaceId: town.district, coverPlaceIds: [town.district], sitePlaceId: town.c1.compound, siteName: '一号点' });
  ({ sampler, lab_operator: lab } = (await staffAt(t, admin, town.district, 'rr', ['sampler', 'lab_operator'])) as { sampler: Client; lab_operator: Client });
  await tube(sampler, c.laneId, 'RR-0001', [town.c1.a.people[0]]);
  await tube(sampler, c.laneId, 'RR-0002', [town.c1.a.people[1]]);
  await tube(sampler, c.laneId, 'RR-0003', [town.c1.b.people[0]]);
  await boxHandedOver(sampler, 'RR-BOX-1', ['RR-0001']);
  // a box of its own for the test that receives one: the tests run in any order
  await boxHandedOver(sampler, 'RR-BOX-2', ['RR-0003']);
}, 60_000);

afterAll(async () => t?.close());

describe('results for a box no lab received', () => {
  it('are refused, naming the tube and its box, and nothing is written', async () => {
    const res = await lab.post('/api/results', { results: [{ tube: 'RR-0001', result: 'positive' }] });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'RESULTS_NOT_RECEIVED', status: 409 });
    expect(res.json().errors[0]).toMatchObject({ code: 'RESULT_TUBE_NOT_RECEIVED', messages: { 'en-US': expect.stringContaining('RR-BOX-1') } });
    const loose = await lab.post('/api/results', { results: [{ tube: 'RR-0002', result: 'negative' }] });
    expect(loose.statusCode).toBe(409);
    const { rows } = await t.ctx.db.query<{ result: string | null }>(`SELECT result FROM tubes WHERE barcode IN ('RR-0001', 'RR-0002')`);
    expect(rows.every((r) => r.result === null)).toBe(true);
    const rowError = await t.app.inject({ method: 'POST', url: '/api/results', cookies: { fk_session: lab.token }, payload: { results: [{ tube: 'RR-0001', result: 'positive' }] }, headers: { 'accept-language': 'en-US' } });
    expect(rowError.body).toContain('RR-0001');
  });

  it('are accepted once the lab has received the box', async () => {
    await ok(lab.post('/api/boxes/RR-BOX-2/receive', { labName: '金域检验', tubes: ['RR-0003'] }), 200);
    expect((await lab.post('/api/results', { results: [{ tube: 'RR-0003', result: 'negative' }] })).statusCode).toBe(200);
  });
});
