// A tube the lab reported missing at receipt is not "at the lab" (issue 12, 2): the board counts
// it apart, and once a result for it arrives after all it is a result like any other.
// Each test builds its own town, campaign, staff, tubes and box (beforeEach), so none leans on
// what another test did and they pass in any order (tests run shuffled).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { boxHandedOver, boxReceived, buildTown, campaign, ok, results, staffAt, tube, type Campaign } from './factories.js';

let t: TestApp;
let admin: Client;
let sampler: Client;
let lab: Client;
let c: Campaign;
let n = 0;
/** This test's barcodes: three tubes handed over in one box. */
let tubes: [string, string, string];
let box: string;

type Tubes = Record<'open' | 'sealed' | 'packed' | 'inTransit' | 'atLab' | 'missing' | 'negative' | 'positive' | 'invalid', number>;
const board = async () => (await ok<{ tubes: Tubes }>(admin.get(`/api/campaigns/${c.campaignId}/board`), 200)).tubes;

beforeAll(async () => {
  t = await startTestApp();
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
}, 60_000);

beforeEach(async () => {
  n += 1;
  const tag = `bm${n}`;
  const town = await buildTown(admin, `-${tag}`);
  c = await campaign(admin, { name: `缺管统计${n}`, ownerPlaceId: town.district, coverPlaceIds: [town.district], sitePlaceId: town.c1.compound, siteName: '一号点' });
  ({ sampler, lab_operator: lab } = (await staffAt(t, admin, town.district, tag, ['sampler', 'lab_operator'])) as { sampler: Client; lab_operator: Client });
  const people = [...town.c1.a.people, ...town.c1.b.people];
  tubes = [`BM${n}-0001`, `BM${n}-0002`, `BM${n}-0003`];
  for (let i = 0; i < 3; i++) await tube(sampler, c.laneId, tubes[i], [people[i]]);
  box = await boxHandedOver(sampler, `BM${n}-BOX-1`, tubes);
}, 60_000);

afterAll(async () => t?.close());

describe('the board and tubes missing at receipt', () => {
  it('counts a tube the lab did not find as missing, not at the lab', async () => {
    expect(await board()).toMatchObject({ inTransit: 3, atLab: 0, missing: 0 });
    await boxReceived(lab, box, [tubes[0], tubes[2]]);
    expect(await board()).toMatchObject({ inTransit: 0, atLab: 2, missing: 1 });
  });

  it('counts results as results, and a late result for the missing tube leaves it missing no more', async () => {
    await boxReceived(lab, box, [tubes[0], tubes[2]]);
    expect(await board()).toMatchObject({ inTransit: 0, atLab: 2, missing: 1 });
    await results(lab, [{ tube: tubes[0], result: 'negative' }]);
    expect(await board()).toMatchObject({ atLab: 1, missing: 1, negative: 1 });
    await results(lab, [{ tube: tubes[1], result: 'negative' }]);
    expect(await board()).toMatchObject({ atLab: 1, missing: 0, negative: 2 });
  });
});
