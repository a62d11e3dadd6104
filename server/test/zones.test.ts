// Risk zones (issue 14, 1): declared on places under policies that are data, all or none and
// idempotent; read overlapping (the grid worker inside a sealed compound sees it) and written
// within the street or above; stepped down along the policy's chain and lifted, every decision
// in the place's history with who and why; policy edits are new versions that a zone takes only
// when re-applied; the daily step-down check lists what meets its rule and nothing steps down
// without a person; the residents' app shows the strictest zone over the home.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../src/db/sql.js';
import { residentCode } from '../src/platform/codes.js';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { boxHandedOver, boxReceived, buildTown, campaign, key, ok, results, staffAt, tube } from './factories.js';
import { listZonesForStepDown } from '../src/modules/zones/zones.js';

let t: TestApp;
let admin: Client;

/** A town of its own for each test (tests run in a random order): its street officer, community officers and a grid worker. */
async function world(tag: string) {
  const town = await buildTown(admin, tag);
  return {
    town,
    street: (await staffAt(t, admin, town.street, `zs${tag}`, ['street_officer'])).street_officer!,
    officer1: (await staffAt(t, admin, town.c1.community, `z1${tag}`, ['community_officer'])).community_officer!,
    grid1: (await staffAt(t, admin, town.c1.a.grid, `zg${tag}`, ['grid_worker'])).grid_worker!,
    officer2: (await staffAt(t, admin, town.c2.community, `z2${tag}`, ['community_officer'])).community_officer!,
  };
}

interface Zone {
  id: number;
  place: { id: number; name: string };
  policy: { key: string; version: number; level: string; testEveryDays: number | null };
  newerVersion: number | null;
  reason: string;
  declaredBy: string | null;
  endedAt: string | null;
  endedHow: string | null;
  households: number;
  residents: number;
}
type ErrorAnswer = { error: { code: string; field?: string; messages: Record<string, string> } };

const declare = (by: Client, placeIds: number[], policy = 'sealed', reason = '发现阳性病例，封控管理') =>
  by.post('/api/zones', { key: key(), placeIds, policy, reason });
const zonesOf = async (by: Client, query = '') => (await ok<{ items: Zone[] }>(by.get(`/api/zones${query}`))).items;

/** The zone a resident's home page shows (signed in with the household card). */
async function homeZone(residentId: number) {
  const signInRes = await t.app.inject({ method: 'POST', url: '/api/portal/sign-in/card', payload: { code: residentCode(t.ctx.vault, residentId) } });
  expect(signInRes.statusCode).toBe(200);
  const res = await t.app.inject({ method: 'GET', url: '/api/portal/zone', cookies: { fk_resident: signInRes.cookies.find((c) => c.name === 'fk_resident')!.value } });
  expect(res.statusCode).toBe(200);
  return (res.json() as { zone: { level: string; names: Record<string, string>; movement: string; supply: string; place: { name: string } } | null }).zone;
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
});
afterAll(async () => {
  await t?.close();
});

describe('zones', () => {
  it('ships the presets, strictest first, readable by those who work under zones', async () => {
    const { grid1 } = await world('p');
    const { items } = await ok<{ items: { key: string; level: string; version: number; names: Record<string, string> }[] }>(grid1.get('/api/zone-policies'));
    expect(items.slice(0, 2).map((p) => p.level)).toEqual(expect.arrayContaining(['sealed', 'high']));
    const sealed = items.find((p) => p.key === 'sealed')!;
    expect(sealed).toMatchObject({ version: 1, names: { 'zh-CN': '封控区', 'en-US': 'Sealed zone' }, movement: 'stay_home', supply: 'door', testEveryDays: 1, stepDownTo: 'controlled' });
  });

  it('declares all or none, within the declarer\'s area, and answers a retried request with the same zones', async () => {
    const { town, street, officer1 } = await world('d');
    // community 2's compound is outside no one's reach here, but a bogus place fails the whole batch
    const partial = await declare(street, [town.c1.compound, 987654321]);
    expect(partial.statusCode).toBe(404);
    expect((partial.json() as ErrorAnswer).error).toMatchObject({ code: 'PLACE_NOT_FOUND', field: 'placeIds[1]' });
    expect(await zonesOf(street)).toEqual([]);

    // a community officer reads zones but does not declare them
    expect((await declare(officer1, [town.c1.compound])).statusCode).toBe(403);

    const body = { key: key(), placeIds: [town.c1.compound], policy: 'sealed', reason: '发现阳性病例，封控管理' };
    const first = await ok<{ items: Zone[]; replay: boolean }>(street.post('/api/zones', body), 201);
    expect(first.replay).toBe(false);
    expect(first.items[0]).toMatchObject({ place: { id: town.c1.compound }, policy: { key: 'sealed', version: 1 }, households: 2, residents: 4, declaredBy: 'zsd-street_officer' });
    const again = await ok<{ items: Zone[]; replay: boolean }>(street.post('/api/zones', body), 201);
    expect(again).toMatchObject({ replay: true, items: [{ id: first.items[0].id }] });

    // one zone in force per place
    const twice = await declare(street, [town.c1.compound], 'controlled');
    expect(twice.statusCode).toBe(409);
    expect((twice.json() as ErrorAnswer).error).toMatchObject({ code: 'ZONE_EXISTS', field: 'placeIds[0]' });
    expect((twice.json() as ErrorAnswer).error.messages['zh-CN']).toContain('封控区');
  });

  it('is read from inside (the grid worker in the compound) and not by the community next door', async () => {
    const { town, street, officer1, grid1, officer2 } = await world('r');
    await ok(declare(street, [town.c1.compound]), 201);
    expect((await zonesOf(grid1)).map((z) => z.place.id)).toEqual([town.c1.compound]);
    expect((await zonesOf(officer1)).map((z) => z.place.id)).toEqual([town.c1.compound]);
    expect(await zonesOf(officer2)).toEqual([]);
    const [zone] = await zonesOf(street);
    // nor changed from inside: the grid worker and the community officer cannot lift it
    for (const who of [grid1, officer1]) expect((await who.post(`/api/zones/${zone.id}/lift`, { reason: '误操作' })).statusCode).toBe(403);
    // and another area's zone answers as a zone that does not exist
    const [c2zone] = (await ok<{ items: Zone[] }>(declare(street, [town.c2.a.building], 'controlled'), 201)).items;
    const outsider = (await staffAt(t, admin, town.c1.community, 'zcc', ['command_center'])).command_center!;
    const hidden = await outsider.post(`/api/zones/${c2zone.id}/lift`, { reason: '不是我的' });
    const missing = await outsider.post('/api/zones/987654321/lift', { reason: '不是我的' });
    expect([hidden.statusCode, (hidden.json() as ErrorAnswer).error.code]).toEqual([missing.statusCode, (missing.json() as ErrorAnswer).error.code]);
    await ok(street.post(`/api/zones/${c2zone.id}/lift`, { reason: '核查无风险' }));
  });

  it('the residents\' app shows the strictest zone over the home, in their terms', async () => {
    const { town, street } = await world('h');
    const zhang = town.c1.a.people[0];
    expect(await homeZone(zhang.id)).toBeNull();
    await ok(declare(street, [town.c1.compound], 'controlled', '次密接所在小区'), 201);
    expect(await homeZone(zhang.id)).toMatchObject({ level: 'controlled' });
    // a sealed building inside the controlled compound: its people are sealed, the next building's are not
    await ok(declare(street, [town.c1.a.building], 'sealed', '阳性楼栋'), 201);
    expect(await homeZone(zhang.id)).toMatchObject({ level: 'sealed', names: { 'zh-CN': '封控区' }, movement: 'stay_home', supply: 'door', place: { name: '1号楼' } });
    expect(await homeZone(town.c1.b.people[0].id)).toMatchObject({ level: 'controlled' });
    expect(await homeZone(town.c2.a.people[0].id)).toBeNull();
  });

  it('steps down along the policy\'s chain and lifts at the end; the history says who decided what and why', async () => {
    const { town, street, grid1 } = await world('s');
    const [sealed] = (await ok<{ items: Zone[] }>(declare(street, [town.c1.compound]), 201)).items;
    const short = await street.post(`/api/zones/${sealed.id}/step-down`, { reason: '' });
    expect(short.statusCode).toBe(400);
    expect(JSON.stringify(short.json())).toContain('reason');

    const stepped = await ok<{ ended: Zone; next: Zone }>(street.post(`/api/zones/${sealed.id}/step-down`, { reason: '连续7天无新增阳性' }));
    expect(stepped.ended).toMatchObject({ endedHow: 'stepped_down' });
    expect(stepped.next).toMatchObject({ place: { id: town.c1.compound }, policy: { key: 'controlled' } });
    expect(await homeZone(town.c1.a.people[0].id)).toMatchObject({ level: 'controlled', movement: 'stay_in_compound', supply: 'pickup' });
    // an ended zone does not change again
    const ended = await street.post(`/api/zones/${sealed.id}/lift`, { reason: '再解除一次' });
    expect((ended.json() as ErrorAnswer).error.code).toBe('ZONE_ENDED');

    const lifted = await ok<Zone>(street.post(`/api/zones/${stepped.next.id}/lift`, { reason: '解除管控' }));
    expect(lifted.endedHow).toBe('lifted');
    expect(await zonesOf(street)).toEqual([]);
    expect(await homeZone(town.c1.a.people[0].id)).toBeNull();

    const history = await ok<{ zones: Zone[]; events: { kind: string; reason: string; actor: string; policy: { key: string } }[] }>(grid1.get(`/api/places/${town.c1.compound}/zones`));
    expect(history.zones).toHaveLength(2);
    expect(history.events.map((e) => [e.kind, e.policy.key, e.reason, e.actor])).toEqual([
      ['lifted', 'controlled', '解除管控', 'zss-street_officer'],
      ['declared', 'controlled', '连续7天无新增阳性', 'zss-street_officer'],
      ['stepped_down', 'sealed', '连续7天无新增阳性', 'zss-street_officer'],
      ['declared', 'sealed', '发现阳性病例，封控管理', 'zss-street_officer'],
    ]);
    const { rows } = await t.ctx.db.query<{ action: string }>(sql`SELECT action FROM audit_log WHERE entity = 'zone' AND entity_id = ANY(${[String(sealed.id), String(stepped.next.id)]}::text[]) ORDER BY id`);
    expect(rows.map((r) => r.action)).toEqual(['zone.declare', 'zone.step_down', 'zone.declare', 'zone.lift']);
  });

  it('a policy edit is a new version; a zone keeps its version until re-applied', async () => {
    const { town, street } = await world('v');
    const [zone] = (await ok<{ items: Zone[] }>(declare(street, [town.c1.b.building], 'controlled', '密接楼栋'), 201)).items;
    const rules = { level: 'controlled', names: { 'zh-CN': '管控区', 'en-US': 'Controlled zone' }, movement: 'stay_in_compound', supply: 'pickup', testEveryDays: 3, testPerHousehold: false, stepDownDays: 7, stepDownTo: 'prevention' };
    expect((await street.put('/api/zone-policies/controlled', rules)).statusCode).toBe(403);
    const loop = await admin.put('/api/zone-policies/controlled', { ...rules, stepDownTo: 'controlled' });
    expect((loop.json() as ErrorAnswer).error).toMatchObject({ code: 'ZONE_STEP_DOWN_LOOP', field: 'stepDownTo' });
    const unknown = await admin.put('/api/zone-policies/controlled', { ...rules, stepDownTo: 'nowhere' });
    expect((unknown.json() as ErrorAnswer).error).toMatchObject({ code: 'ZONE_POLICY_NOT_FOUND', field: 'stepDownTo' });

    const v2 = await ok<{ version: number; testEveryDays: number }>(admin.put('/api/zone-policies/controlled', rules));
    expect(v2).toMatchObject({ version: 2, testEveryDays: 3 });
    const [kept] = await zonesOf(street);
    expect(kept).toMatchObject({ id: zone.id, policy: { version: 1, testEveryDays: 2 }, newerVersion: 2 });
    // the declaration's version is in its history too
    const history = await ok<{ events: { kind: string; policy: { version: number } }[] }>(street.get(`/api/places/${town.c1.b.building}/zones`));

    const moved = await ok<Zone>(street.post(`/api/zones/${zone.id}/reapply`, { reason: '按新版方案执行' }));
    expect(moved).toMatchObject({ policy: { version: 2, testEveryDays: 3 }, newerVersion: null });
    const current = await street.post(`/api/zones/${zone.id}/reapply`, { reason: '再执行一次' });
    expect((current.json() as ErrorAnswer).error.code).toBe('ZONE_POLICY_CURRENT');
    expect(history.events.map((e) => [e.kind, e.policy.version])).toEqual([['declared', 1]]);
    const after = await ok<{ events: { kind: string; policy: { version: number } }[] }>(street.get(`/api/places/${town.c1.b.building}/zones`));
    expect(after.events.map((e) => [e.kind, e.policy.version])).toEqual([['reapplied', 2], ['declared', 1]]);
    // new declarations take the latest version
    expect((await ok<{ items: Zone[] }>(declare(street, [town.c2.b.building], 'controlled', '次密接楼栋'), 201)).items[0].policy.version).toBe(2);
  });

  it('the daily check lists the zones that meet their step-down rule; a new positive under one resets its clock', async () => {
    const { town, street, officer1 } = await world('c');
    const [quiet] = (await ok<{ items: Zone[] }>(declare(street, [town.c1.a.building], 'sealed', '阳性楼栋'), 201)).items;
    const [recent] = (await ok<{ items: Zone[] }>(declare(street, [town.c2.a.building], 'sealed', '阳性楼栋'), 201)).items;
    // declared eight days ago (the sealed preset steps down after 7 days with no new positive)
    await t.ctx.db.query(sql`UPDATE zones SET declared_at = now() - interval '8 days' WHERE id = ANY(${[quiet.id, recent.id]}::int[])`);
    // community 2's building had a positive single-tube retest three days ago
    const camp = await campaign(admin, { name: '区域核酸', ownerPlaceId: town.street, coverPlaceIds: [town.street], sitePlaceId: town.c2.compound, siteName: '桃园广场' });
    await tube(admin, camp.laneId, 'Z-POS-01', [town.c2.a.people[0]], 'single');
    await boxHandedOver(admin, 'ZB-POS-01', ['Z-POS-01']);
    await boxReceived(admin, 'ZB-POS-01', ['Z-POS-01']);
    await results(admin, [{ tube: 'Z-POS-01', result: 'positive' }]);
    await t.ctx.db.query(sql`UPDATE tubes SET result_at = now() - interval '3 days' WHERE barcode = 'Z-POS-01'`);

    await listZonesForStepDown(t.ctx);
    await listZonesForStepDown(t.ctx); // twice the same day: listed once
    const { rows: reviews } = await t.ctx.db.query<{ zone_id: number }>(sql`SELECT zone_id FROM zone_step_down_reviews WHERE zone_id = ANY(${[quiet.id, recent.id]}::int[])`);
    expect(reviews).toEqual([{ zone_id: quiet.id }]);
    const { items } = await ok<{ items: { zone: Zone; daysClear: number; listedOn: string | null }[] }>(street.get('/api/zones/step-down'));
    expect(items.map((c) => [c.zone.id, c.daysClear])).toEqual([[quiet.id, 8]]);
    expect(items[0].listedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // officers below the street read zones but do not decide step-downs
    expect((await officer1.get('/api/zones/step-down')).statusCode).toBe(403);
    // nothing stepped down by itself
    expect((await zonesOf(street)).map((z) => z.policy.key)).toEqual(['sealed', 'sealed']);
    await ok(street.post(`/api/zones/${quiet.id}/step-down`, { reason: '满足降级条件，指挥部确认' }));
    const { rows } = await t.ctx.db.query<{ decision: string }>(sql`SELECT decision FROM zone_step_down_reviews WHERE zone_id = ${quiet.id}`);
    expect(rows).toEqual([{ decision: 'stepped_down' }]);
    expect((await ok<{ items: unknown[] }>(street.get('/api/zones/step-down'))).items).toEqual([]);
  });

  it('bad input names the field and changes nothing', async () => {
    const { town, street } = await world('b');
    const unknown = await declare(street, [town.c1.b.building], 'lockdown_forever');
    expect((unknown.json() as ErrorAnswer).error).toMatchObject({ code: 'ZONE_POLICY_NOT_FOUND', field: 'policy' });
    const noReason = await street.post('/api/zones', { key: key(), placeIds: [town.c1.b.building], policy: 'sealed', reason: 'x' });
    expect(noReason.statusCode).toBe(400);
    expect(JSON.stringify(noReason.json())).toContain('reason');
    const noPlaces = await street.post('/api/zones', { key: key(), placeIds: [], policy: 'sealed', reason: '无地点' });
    expect(noPlaces.statusCode).toBe(400);
    expect(await zonesOf(street)).toEqual([]);
  });
});
