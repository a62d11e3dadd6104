// Personal code colours (issue 14, 2): from rules that are data and versioned, read from the
// facts at each look, so a zone declared or a positive recorded shows at the next look; each
// reason names its rule and fact for staff and says it plainly to the resident; an officer's
// override holds for its time (audited) and can be revoked; a resident appeals from the app and
// reads the answer. Tests run in a random order: each builds its own town.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../src/db/sql.js';
import { residentCode } from '../src/platform/codes.js';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { antigen, boxHandedOver, boxReceived, buildTown, campaign, key, ok, results, staffAt, tube } from './factories.js';

let t: TestApp;
let admin: Client;

interface Colour {
  colour: string;
  ruled: string;
  reasons: { rule: string; version: number; colour: string; name: Record<string, string>; plain: Record<string, string>; fact: { at: string; detail: Record<string, unknown> } }[];
  override: { colour: string; reason: string; by: string } | null;
}
type ErrorAnswer = { error: { code: string; field?: string } };

async function world(tag: string) {
  const town = await buildTown(admin, tag);
  const staff = await staffAt(t, admin, town.street, `c${tag}`, ['street_officer', 'gate_staff']);
  const officer = (await staffAt(t, admin, town.c1.community, `c1${tag}`, ['community_officer'])).community_officer!;
  const outsider = (await staffAt(t, admin, town.c2.community, `c2${tag}`, ['community_officer'])).community_officer!;
  return { town, street: staff.street_officer!, gate: staff.gate_staff!, officer, outsider };
}

const colourOf = async (by: Client, residentId: number) => ok<Colour>(by.get(`/api/residents/${residentId}/colour`));

/** The resident's own app, signed in with the household card. */
async function app(residentId: number) {
  const res = await t.app.inject({ method: 'POST', url: '/api/portal/sign-in/card', payload: { code: residentCode(t.ctx.vault, residentId) } });
  const cookies = { fk_resident: res.cookies.find((c) => c.name === 'fk_resident')!.value };
  return {
    code: async () => (await t.app.inject({ method: 'GET', url: '/api/portal/code', cookies })).json() as { colour: { colour: string; reasons: { colour: string; plain: Record<string, string>; since: string }[]; override: { reason: string } | null } },
    appeal: (text: string) => t.app.inject({ method: 'POST', url: '/api/portal/appeals', cookies, payload: { text } }),
    appeals: async () => ((await t.app.inject({ method: 'GET', url: '/api/portal/appeals', cookies })).json() as { items: { outcome: string | null; answer: string | null }[] }).items,
  };
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
});
afterAll(async () => {
  await t?.close();
});

describe('code colours', () => {
  it('green with no facts; a sealed zone turns its people yellow at the next look, with the zone as the reason, and lifting it turns them back', async () => {
    const { town, street, gate } = await world('z');
    const zhang = town.c1.a.people[0];
    expect(await colourOf(gate, zhang.id)).toMatchObject({ colour: 'green', reasons: [], override: null });
    const [zone] = (await ok<{ items: { id: number }[] }>(street.post('/api/zones', { key: key(), placeIds: [town.c1.compound], policy: 'sealed', reason: '发现阳性' }), 201)).items;
    const sealed = await colourOf(gate, zhang.id);
    expect(sealed).toMatchObject({ colour: 'yellow', ruled: 'yellow' });
    expect(sealed.reasons).toEqual([expect.objectContaining({ rule: 'strict_zone', version: 1, colour: 'yellow', fact: expect.objectContaining({ detail: expect.objectContaining({ zoneId: zone.id, place: '幸福里小区', level: 'sealed' }) }) })]);
    // the resident reads it plainly, in each language
    const mine = await app(zhang.id);
    expect((await mine.code()).colour).toMatchObject({ colour: 'yellow', reasons: [{ colour: 'yellow', plain: { 'zh-CN': expect.stringContaining('封控'), 'ko-KR': expect.any(String) } }] });
    // the next community is not touched
    expect((await colourOf(street, town.c2.a.people[0].id)).colour).toBe('green');
    await ok(street.post(`/api/zones/${zone.id}/lift`, { reason: '解除' }));
    expect((await colourOf(gate, zhang.id)).colour).toBe('green');
  });

  it('a single-tube positive is red; a positive pool is not; an antigen positive is yellow until a negative PCR sampled after it', async () => {
    const { town, gate } = await world('p');
    const [zhang, wang] = town.c1.a.people;
    const [li] = town.c1.b.people;
    const camp = await campaign(admin, { name: '赋码核酸', ownerPlaceId: town.street, coverPlaceIds: [town.street], sitePlaceId: town.c1.compound, siteName: '幸福里广场' });
    await tube(admin, camp.laneId, 'CP-1', [zhang], 'single');
    await tube(admin, camp.laneId, 'CP-POOL', [wang, li]);
    await boxHandedOver(admin, 'CPB-1', ['CP-1', 'CP-POOL']);
    await boxReceived(admin, 'CPB-1', ['CP-1', 'CP-POOL']);
    await results(admin, [{ tube: 'CP-1', result: 'positive' }, { tube: 'CP-POOL', result: 'positive' }]);
    const red = await colourOf(gate, zhang.id);
    expect(red).toMatchObject({ colour: 'red', reasons: [{ rule: 'positive', colour: 'red', fact: { detail: { tube: 'CP-1' } } }] });
    expect((await colourOf(gate, wang.id)).colour).toBe('green');

    await antigen(admin, town.c1.b.householdId, li.id, 'positive');
    expect(await colourOf(gate, li.id)).toMatchObject({ colour: 'yellow', reasons: [{ rule: 'antigen_positive' }] });
    // retested one per tube after the report: negative clears it
    await tube(admin, camp.laneId, 'CP-LI', [li], 'single');
    await boxHandedOver(admin, 'CPB-2', ['CP-LI']);
    await boxReceived(admin, 'CPB-2', ['CP-LI']);
    await results(admin, [{ tube: 'CP-LI', result: 'negative' }]);
    expect((await colourOf(gate, li.id)).colour).toBe('green');
  });

  it("a test overdue for the zone's frequency is yellow once the grace has passed", async () => {
    const { town, street, gate } = await world('o');
    const zhang = town.c1.a.people[0];
    const [zone] = (await ok<{ items: { id: number }[] }>(street.post('/api/zones', { key: key(), placeIds: [town.c1.compound], policy: 'controlled', reason: '次密接小区' }), 201)).items;
    // controlled: a test every 2 days, and the controlled-zone rule is off by default: green
    expect((await colourOf(gate, zhang.id)).colour).toBe('green');
    // declared 3 days ago, never sampled since: due a day ago, past the 24-hour grace? not yet (due +1 day, grace 24 h)
    await t.ctx.db.query(sql`UPDATE zones SET declared_at = now() - interval '3 days 1 hour' WHERE id = ${zone.id}`);
    const overdue = await colourOf(gate, zhang.id);
    expect(overdue).toMatchObject({ colour: 'yellow', reasons: [{ rule: 'test_overdue', fact: { detail: { everyDays: 2, lastSampledAt: null } } }] });
  });

  it('rules are data: an edit is the next version, in force at the next look; bad parameters name the field', async () => {
    const { town, street, gate } = await world('r');
    const zhang = town.c1.a.people[0];
    await ok(street.post('/api/zones', { key: key(), placeIds: [town.c1.compound], policy: 'controlled', reason: '管控' }), 201);
    expect((await colourOf(gate, zhang.id)).colour).toBe('green');
    const { items } = await ok<{ items: { key: string; version: number; enabled: boolean; colour: string; params: object; names: object; plain: object }[] }>(gate.get('/api/colour-rules'));
    const rule = items.find((r) => r.key === 'controlled_zone')!;
    const edit = { enabled: true, colour: rule.colour, params: rule.params, names: rule.names, plain: rule.plain };
    expect((await street.put('/api/colour-rules/controlled_zone', edit)).statusCode).toBe(403);
    const bad = await admin.put('/api/colour-rules/controlled_zone', { ...edit, params: { levels: ['nowhere'] } });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as ErrorAnswer).error).toMatchObject({ code: 'FIELD_INVALID', field: 'params' });
    try {
      const v = await ok<{ version: number; enabled: boolean }>(admin.put('/api/colour-rules/controlled_zone', edit));
      expect(v).toMatchObject({ version: rule.version + 1, enabled: true });
      expect(await colourOf(gate, zhang.id)).toMatchObject({ colour: 'yellow', reasons: [{ rule: 'controlled_zone', version: rule.version + 1 }] });
    } finally {
      // the other tests read the preset: put it back (as one more version)
      await ok(admin.put('/api/colour-rules/controlled_zone', { ...edit, enabled: false }));
    }
  });

  it('an officer overrides a colour with a reason for a while (audited), and revokes it; staff outside the area cannot', async () => {
    const { town, officer, outsider, gate } = await world('v');
    const zhang = town.c1.a.people[0];
    expect((await gate.post(`/api/residents/${zhang.id}/colour-override`, { colour: 'red', reason: '探测', hours: 1 })).statusCode).toBe(403);
    const hidden = await outsider.post(`/api/residents/${zhang.id}/colour-override`, { colour: 'red', reason: '不是我的', hours: 1 });
    expect((hidden.json() as ErrorAnswer).error.code).toBe('RESIDENT_NOT_FOUND');
    const red = await ok<Colour>(officer.post(`/api/residents/${zhang.id}/colour-override`, { colour: 'red', reason: '流调研判为密接', hours: 48 }));
    expect(red).toMatchObject({ colour: 'red', ruled: 'green', override: { colour: 'red', reason: '流调研判为密接', by: 'c1v-community_officer' } });
    expect((await (await app(zhang.id)).code()).colour).toMatchObject({ colour: 'red', reasons: [], override: { reason: '流调研判为密接' } });
    const { rows } = await t.ctx.db.query<{ action: string }>(sql`SELECT action FROM audit_log WHERE action LIKE 'colour.%' AND entity_id = ${String(zhang.id)}`);
    expect(rows.map((r) => r.action)).toEqual(['colour.override']);
    // an expired one no longer holds
    await t.ctx.db.query(sql`UPDATE colour_overrides SET at = now() - interval '3 days', expires_at = now() - interval '1 second' WHERE resident_id = ${zhang.id}`);
    expect((await colourOf(gate, zhang.id)).colour).toBe('green');
    await ok(officer.post(`/api/residents/${zhang.id}/colour-override`, { colour: 'yellow', reason: '待核实', hours: 2 }));
    const back = await ok<Colour>(officer.post(`/api/residents/${zhang.id}/colour-override/revoke`, { reason: '已核实' }));
    expect(back).toMatchObject({ colour: 'green', override: null });
    const none = await officer.post(`/api/residents/${zhang.id}/colour-override/revoke`, { reason: '再撤一次' });
    expect((none.json() as ErrorAnswer).error.code).toBe('COLOUR_OVERRIDE_NONE');
  });

  it('a resident appeals from the app, one at a time; an officer of their area answers and the resident reads it', async () => {
    const { town, street, officer, outsider } = await world('a');
    const zhang = town.c1.a.people[0];
    await ok(street.post('/api/zones', { key: key(), placeIds: [town.c1.a.building], policy: 'sealed', reason: '阳性楼栋' }), 201);
    const mine = await app(zhang.id);
    const first = await mine.appeal('我已搬离该楼栋三个月');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ colour: 'yellow', text: '我已搬离该楼栋三个月', outcome: null });
    expect(((await mine.appeal('再申诉一次')).json() as ErrorAnswer).error.code).toBe('APPEAL_OPEN');

    expect((await ok<{ items: unknown[] }>(outsider.get('/api/colour-appeals'))).items).toEqual([]);
    const { items } = await ok<{ items: { id: number; resident: { name: string } }[] }>(officer.get('/api/colour-appeals'));
    expect(items.map((a) => a.resident.name)).toEqual([zhang.name]);
    const hidden = await outsider.post(`/api/colour-appeals/${items[0].id}/answer`, { outcome: 'kept', answer: '不是我的' });
    expect((hidden.json() as ErrorAnswer).error.code).toBe('APPEAL_NOT_FOUND');
    await ok(officer.post(`/api/colour-appeals/${items[0].id}/answer`, { outcome: 'changed', answer: '经核实已搬离，改为绿码', colour: 'green', hours: 72 }));
    expect((await mine.appeals())[0]).toMatchObject({ outcome: 'changed', answer: '经核实已搬离，改为绿码' });
    expect((await mine.code()).colour).toMatchObject({ colour: 'green', override: { reason: '经核实已搬离，改为绿码' } });
    const twice = await officer.post(`/api/colour-appeals/${items[0].id}/answer`, { outcome: 'kept', answer: '再答一次' });
    expect((twice.json() as ErrorAnswer).error.code).toBe('APPEAL_ANSWERED');
  });
});
