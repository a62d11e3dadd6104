// Gates and checkpoints (issue 14, 3): a check answers PASS or STOP with the reason from the
// colour at that moment (a zone declared a second ago already stops its people), a fever stops
// anyone, a sealed compound's people may come home but not leave, an unknown document is sent to
// visitor registration, a visitor's pass lets them in for the day at that compound; every check
// is logged; an offline device's retried check answers the first one. Each test its own town.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../src/db/sql.js';
import { residentCode } from '../src/platform/codes.js';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { buildTown, freshId, key, ok, place, staffAt } from './factories.js';

let t: TestApp;
let admin: Client;

interface Check {
  decision: string;
  colour: string | null;
  reasons: { key: string; text: Record<string, string> }[];
  person: { kind: string; name: string | null; home: string | null };
  fever: boolean;
  replay: boolean;
}
type ErrorAnswer = { error: { code: string; field?: string } };

async function world(tag: string) {
  const town = await buildTown(admin, tag);
  const gateId = await place(admin, town.c1.compound, 'entrance', '南门');
  const checkpoint = await place(admin, town.street, 'entrance', '友谊路卡口');
  const { gate_staff: guard, street_officer: street } = await staffAt(t, admin, town.c1.compound, `g${tag}`, ['gate_staff', 'street_officer']);
  const outsider = (await staffAt(t, admin, town.c2.compound, `go${tag}`, ['gate_staff'])).gate_staff!;
  const streetOfficer = (await staffAt(t, admin, town.street, `gs${tag}`, ['street_officer'])).street_officer!;
  void street;
  return { town, gateId, checkpoint, guard: guard!, outsider, street: streetOfficer };
}

const check = (by: Client, gateId: number, body: object) => ok<Check>(by.post(`/api/gates/${gateId}/checks`, { key: key(), direction: 'out', ...body }));
const codeOf = (id: number) => residentCode(t.ctx.vault, id);

beforeAll(async () => {
  t = await startTestApp();
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
});
afterAll(async () => {
  await t?.close();
});

describe('gates', () => {
  it('passes a green code, stops a fever, and logs both', async () => {
    const { town, gateId, guard } = await world('a');
    const zhang = town.c1.a.people[0];
    const green = await check(guard, gateId, { code: codeOf(zhang.id), temperature: 36.5 });
    expect(green).toMatchObject({ decision: 'pass', colour: 'green', person: { kind: 'resident', name: zhang.name }, fever: false, reasons: [] });
    const hot = await check(guard, gateId, { code: codeOf(zhang.id), temperature: 37.3, direction: 'in' });
    expect(hot).toMatchObject({ decision: 'stop', fever: true, reasons: [{ key: 'fever' }] });
    expect(hot.reasons[0].text['zh-CN']).toContain('37.3');
    // the same person by their ID card (a reader types the number into the code field)
    expect(await check(guard, gateId, { code: zhang.idNumber })).toMatchObject({ decision: 'pass', person: { name: zhang.name } });
    const log = await ok<{ items: { decision: string; name: string; temperature: number | null }[] }>(guard.get(`/api/gates/${gateId}/checks`));
    expect(log.items.map((c) => [c.decision, c.name, c.temperature])).toEqual([
      ['pass', zhang.name, null],
      ['stop', zhang.name, 37.3],
      ['pass', zhang.name, 36.5],
    ]);
  });

  it('a zone declared a moment ago stops its people leaving, lets them come home, and says why', async () => {
    const { town, gateId, checkpoint, guard, street } = await world('z');
    const zhang = town.c1.a.people[0];
    await ok(street.post('/api/zones', { key: key(), placeIds: [town.c1.compound], policy: 'sealed', reason: '发现阳性' }), 201);
    const out = await check(guard, gateId, { code: codeOf(zhang.id), direction: 'out' });
    expect(out).toMatchObject({ decision: 'stop', colour: 'yellow', reasons: [{ key: 'strict_zone' }] });
    expect(out.reasons[0].text['en-US']).toMatch(/sealed/i);
    const home = await check(guard, gateId, { code: codeOf(zhang.id), direction: 'in' });
    expect([home.decision, home.colour, home.reasons.map((r) => r.key)]).toEqual(['pass', 'yellow', ['strict_zone', 'returning_home']]);
    // at a road checkpoint, coming "in" is not coming home
    expect(await check(street, checkpoint, { code: codeOf(zhang.id), direction: 'in' })).toMatchObject({ decision: 'stop' });
    // community 2's people are not touched
    expect(await check(street, checkpoint, { code: codeOf(town.c2.a.people[0].id), direction: 'in' })).toMatchObject({ decision: 'pass', colour: 'green' });
  });

  it('an unknown document goes to visitor registration; the visitor pass lets them in today at this compound only', async () => {
    const { town, gateId, guard, outsider } = await world('v');
    const doc = freshId('19900101');
    const unknown = await check(guard, gateId, { idNumber: doc, direction: 'in' });
    expect(unknown).toMatchObject({ decision: 'stop', person: { kind: 'unknown', name: null }, reasons: [{ key: 'not_registered' }] });
    const visitor = await ok<{ id: number; pass: string; idMasked: string; validOn: string }>(
      guard.post(`/api/gates/${gateId}/visitors`, { key: key(), name: '访客周某', idNumber: doc, phone: '13912345678', visiting: '1号楼101 张伟', purpose: '送药' }),
      201,
    );
    expect(visitor.idMasked).not.toContain(doc.slice(6, 14));
    expect(await check(guard, gateId, { code: visitor.pass, direction: 'in' })).toMatchObject({ decision: 'pass', person: { kind: 'visitor', name: '访客周某' }, reasons: [{ key: 'visitor_pass' }] });
    // a forged pass, and yesterday's pass
    expect(await check(guard, gateId, { code: visitor.pass.slice(0, -2) + 'AA', direction: 'in' })).toMatchObject({ decision: 'stop', reasons: [{ key: 'code_invalid' }] });
    await t.ctx.db.query(sql`UPDATE visitors SET valid_on = valid_on - 1 WHERE id = ${visitor.id}`);
    expect(await check(guard, gateId, { code: visitor.pass, direction: 'in' })).toMatchObject({ decision: 'stop', reasons: [{ key: 'pass_expired' }] });
    // the document is stored encrypted: its digits are nowhere in the row
    const { rows } = await t.ctx.db.query<Record<string, unknown>>(sql`SELECT * FROM visitors WHERE id = ${visitor.id}`);
    expect(JSON.stringify(rows[0])).not.toContain(doc);
    // another compound's guard cannot use this gate (the same answer as a gate that does not exist)
    const other = await outsider.post(`/api/gates/${gateId}/checks`, { key: key(), direction: 'in', code: visitor.pass });
    const none = await outsider.post('/api/gates/987654321/checks', { key: key(), direction: 'in', code: visitor.pass });
    expect([other.statusCode, (other.json() as ErrorAnswer).error.code]).toEqual([none.statusCode, (none.json() as ErrorAnswer).error.code]);
    void town;
  });

  it("an offline device's queue: each check on its own, a retried one is the first again, a bad one names its field", async () => {
    const { town, gateId, guard } = await world('o');
    const zhang = town.c1.a.people[0];
    const first = { key: key(), code: codeOf(zhang.id), direction: 'out', temperature: 36.6, at: new Date(Date.now() - 60_000).toISOString() };
    const { results } = await ok<{ results: { ok: boolean; check?: Check; error?: { code: string; field?: string } }[] }>(
      guard.post(`/api/gates/${gateId}/checks/batch`, { checks: [first, { key: key(), direction: 'in', idNumber: '12345' }, first] }),
    );
    expect(results.map((r) => [r.ok, r.check?.replay ?? r.error?.code])).toEqual([
      [true, false],
      [false, 'RESIDENT_ID_FORMAT'],
      [true, true],
    ]);
    expect(results[1].error?.field).toBe('idNumber');
    const { rows } = await t.ctx.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM gate_checks WHERE gate_id = ${gateId}`);
    expect(rows[0].n).toBe(1);
    // the same key with another body is another request: refused
    const reused = await guard.post(`/api/gates/${gateId}/checks`, { ...first, direction: 'in' });
    expect((reused.json() as ErrorAnswer).error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'key' });
    // a device clock far ahead is refused, naming the field
    const future = await guard.post(`/api/gates/${gateId}/checks`, { key: key(), code: codeOf(zhang.id), direction: 'in', at: new Date(Date.now() + 3_600_000).toISOString() });
    expect((future.json() as ErrorAnswer).error).toMatchObject({ code: 'FIELD_INVALID', field: 'at' });
  });

  it('a lost card: after the codes are rotated the old code stops, the new one passes', async () => {
    const { town, gateId, guard } = await world('r');
    const zhang = town.c1.a.people[0];
    const old = codeOf(zhang.id);
    await ok(admin.post(`/api/households/${town.c1.a.householdId}/codes/rotate`, { reason: '户卡遗失' }));
    expect(await check(guard, gateId, { code: old })).toMatchObject({ decision: 'stop', reasons: [{ key: 'code_revoked' }] });
    expect(await check(guard, gateId, { code: residentCode(t.ctx.vault, zhang.id, 1) })).toMatchObject({ decision: 'pass' });
  });
});
