// One idempotency rule (platform/idempotency.ts) for every write a device may retry: a
// replay answers what the first request answered, another body under the same key is a 409,
// keys belong to their sender, and concurrent identical requests make one write.
import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { residentCode } from '../src/platform/codes.js';
import { canonicalJson } from '../src/platform/idempotency.js';
import { signIn, type Client, type TestApp } from './helpers.js';
import { createStaff, makeMainlandId, useDistrictApp, type District } from './fixtures.js';

const env = useDistrictApp();
let t: TestApp;
let admin: Client;
let d: District;
let samplerA: Client;
let samplerB: Client;
let gridA: Client;
let gridA2: Client;
let laneId: number;
const key = () => crypto.randomUUID();
const hour = 3_600_000;
let seq = 0;
const tube = () => `T-IDEM-${crypto.randomBytes(4).toString('hex')}`;

async function count(sql: string, params: unknown[] = []) {
  const { rows } = await t.ctx.db.query<{ n: number }>(sql, params);
  return Number(rows[0].n);
}

async function household(): Promise<number> {
  const r = await admin.post('/api/households', { placeId: d.unitA, room: `I${++seq}` });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}

/** A fresh resident in grid A (their own household); returns the ID number and id. */
async function person(): Promise<{ idNumber: string; id: number }> {
  const idNumber = makeMainlandId('19770707', 100 + ++seq);
  const r = await admin.post('/api/residents', { householdId: await household(), name: `幂等${seq}`, idNumber });
  expect(r.statusCode, r.body).toBe(201);
  return { idNumber, id: r.json().resident.id };
}

function expect409(res: { statusCode: number; json(): { error: { code: string; field: string; messages: Record<string, string> } } }) {
  expect(res.statusCode).toBe(409);
  const e = res.json().error;
  expect(e).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'key' });
  expect(e.messages['zh-CN']).toContain('key');
  expect(e.messages['en-US']).toContain('different request');
}

beforeAll(async () => {
  ({ t, admin, d } = env);
  const now = Date.now();
  const c = await admin.post('/api/campaigns', {
    name: '幂等测试',
    placeId: d.community,
    startsAt: new Date(now - hour).toISOString(),
    endsAt: new Date(now + 23 * hour).toISOString(),
    places: [{ placeId: d.compound, mode: 'pool20' }],
    rounds: [{ startsAt: new Date(now - hour).toISOString(), endsAt: new Date(now + 23 * hour).toISOString() }],
  });
  expect(c.statusCode, c.body).toBe(201);
  const site = await admin.post(`/api/campaigns/${c.json().id}/sites`, {
    placeId: d.compound,
    name: '幂等采样点',
    lanes: 1,
    opensAt: '00:00',
    closesAt: '23:59',
  });
  expect(site.statusCode, site.body).toBe(201);
  laneId = site.json().lanes[0].id;
  await createStaff(admin, 'idem-sampler-a', 'sampler', d.community);
  await createStaff(admin, 'idem-sampler-b', 'sampler', d.community);
  await createStaff(admin, 'idem-grid-a', 'grid_worker', d.gridA);
  await createStaff(admin, 'idem-grid-a2', 'grid_worker', d.gridA);
  samplerA = await signIn(t.app, 'idem-sampler-a', 'Staff-pass-2026');
  samplerB = await signIn(t.app, 'idem-sampler-b', 'Staff-pass-2026');
  gridA = await signIn(t.app, 'idem-grid-a', 'Staff-pass-2026');
  gridA2 = await signIn(t.app, 'idem-grid-a2', 'Staff-pass-2026');
});

describe('the request hash', () => {
  it('is over a canonical JSON: member order and undefined members do not matter, arrays do', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: undefined, e: null } })).toBe(canonicalJson({ a: { e: null, d: [1, 2] }, b: 1 }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
  });
});

describe('lane scans', () => {
  it('a replay answers what the first scan answered, whatever order the body is in', async () => {
    const p = await person();
    const barcode = tube();
    const scan = { key: key(), laneId, tube: barcode, idNumber: p.idNumber, at: new Date(Date.now() - 60_000).toISOString() };
    const first = await samplerA.post('/api/scans', scan);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ outcome: 'recorded', tube: { people: 1, sealed: false } });
    // someone else joins the tube; the replay still answers the first answer's tube
    const other = await person();
    expect((await samplerA.post('/api/scans', { key: key(), laneId, tube: barcode, idNumber: other.idNumber })).json().outcome).toBe(
      'recorded',
    );
    const reordered = { at: scan.at, idNumber: scan.idNumber, tube: scan.tube, laneId: scan.laneId, key: scan.key };
    const again = await samplerA.post('/api/scans', reordered);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), outcome: 'replay' });
    expect(await count('SELECT count(*) AS n FROM samples WHERE resident_id = $1', [p.id])).toBe(1);
  });

  it('the same key with another body is a 409 naming the key in both languages, and writes nothing', async () => {
    const p = await person();
    const q = await person();
    const barcode = tube();
    const k = key();
    expect((await samplerA.post('/api/scans', { key: k, laneId, tube: barcode, idNumber: p.idNumber })).json().outcome).toBe('recorded');
    const before = await count('SELECT count(*) AS n FROM samples');
    expect409(await samplerA.post('/api/scans', { key: k, laneId, tube: barcode, idNumber: q.idNumber }));
    // another tube under the key (it also goes through the insert's conflict path)
    const otherTube = tube();
    expect409(await samplerA.post('/api/scans', { key: k, laneId, tube: barcode, idNumber: p.idNumber, at: new Date().toISOString() }));
    expect409(await samplerA.post('/api/scans', { key: k, laneId, tube: otherTube, idNumber: p.idNumber }));
    expect(await count('SELECT count(*) AS n FROM samples')).toBe(before);
    expect(await count('SELECT people AS n FROM tubes WHERE barcode = $1', [barcode])).toBe(1);
  });

  it('a refused scan leaves no key: the same key may then carry the corrected scan', async () => {
    const idNumber = makeMainlandId('19660606', 400 + ++seq);
    const k = key();
    const barcode = tube();
    const unknown = await samplerA.post('/api/scans', { key: k, laneId, tube: barcode, idNumber });
    expect(unknown.json().error.code).toBe('PERSON_UNKNOWN');
    const reg = await samplerA.post('/api/scans', { key: k, laneId, tube: barcode, idNumber, register: { name: '路过' } });
    expect(reg.json()).toMatchObject({ outcome: 'recorded', flags: { registeredOnSpot: true } });
    const again = await samplerA.post('/api/scans', { key: k, laneId, tube: barcode, idNumber, register: { name: '路过' } });
    expect(again.json()).toEqual({ ...reg.json(), outcome: 'replay' });
  });

  it('200 concurrent identical scans make one sample; every answer is ok, all but one a replay', async () => {
    const p = await person();
    const scan = { key: key(), laneId, tube: tube(), idNumber: p.idNumber, at: new Date().toISOString() };
    const answers = await Promise.all(Array.from({ length: 200 }, () => samplerA.post('/api/scans', scan)));
    expect(answers.map((a) => a.statusCode).filter((s) => s !== 200)).toEqual([]);
    const outcomes = answers.map((a) => a.json().outcome as string);
    expect(outcomes.filter((o) => o === 'recorded')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'replay')).toHaveLength(199);
    expect(new Set(answers.map((a) => a.json().sampleId)).size).toBe(1);
    expect(await count('SELECT count(*) AS n FROM samples WHERE resident_id = $1', [p.id])).toBe(1);
    expect(await count('SELECT people AS n FROM tubes WHERE barcode = $1', [scan.tube])).toBe(1);
  });

  it('scans into one tube, each retried many times at once, answer recorded once and replay otherwise, never already_in_tube', async () => {
    const people = await Promise.all(Array.from({ length: 10 }, () => person()));
    const barcode = tube();
    const scans = people.map((p) => ({ key: key(), laneId, tube: barcode, idNumber: p.idNumber }));
    const sends = scans.flatMap((s) => Array.from({ length: 20 }, () => s));
    const answers = await Promise.all(sends.map((s) => samplerA.post('/api/scans', s)));
    expect(answers.map((a) => a.statusCode).filter((s) => s !== 200)).toEqual([]);
    for (const s of scans) {
      const mine = answers.filter((_, i) => sends[i] === s).map((a) => a.json().outcome as string);
      expect(mine.sort()).toEqual(['recorded', ...Array(19).fill('replay')]);
    }
    expect(await count('SELECT people AS n FROM tubes WHERE barcode = $1', [barcode])).toBe(10);
  });

  it('keys belong to the account: another sampler with the same key makes its own scan, not a replay of mine', async () => {
    const p = await person();
    const q = await person();
    const barcode = tube();
    const k = key();
    const mine = await samplerA.post('/api/scans', { key: k, laneId, tube: barcode, idNumber: p.idNumber });
    expect(mine.json().outcome).toBe('recorded');
    const theirs = await samplerB.post('/api/scans', { key: k, laneId, tube: barcode, idNumber: q.idNumber });
    expect(theirs.statusCode, theirs.body).toBe(200);
    expect(theirs.json()).toMatchObject({ outcome: 'recorded', resident: { id: q.id } });
    expect(theirs.json().sampleId).not.toBe(mine.json().sampleId);
    // and each account's retry answers its own first answer
    expect((await samplerB.post('/api/scans', { key: k, laneId, tube: barcode, idNumber: q.idNumber })).json()).toMatchObject({
      outcome: 'replay',
      sampleId: theirs.json().sampleId,
    });
    expect((await samplerA.post('/api/scans', { key: k, laneId, tube: barcode, idNumber: p.idNumber })).json()).toMatchObject({
      outcome: 'replay',
      sampleId: mine.json().sampleId,
    });
  });
});

describe('the lane batch', () => {
  it('a duplicated item is one sample: the copy answers replay; a changed copy under the key is refused alone', async () => {
    const [p, q] = [await person(), await person()];
    const barcode = tube();
    const s1 = { key: key(), laneId, tube: barcode, idNumber: p.idNumber, at: new Date(Date.now() - 120_000).toISOString() };
    const s2 = { key: key(), laneId, tube: barcode, idNumber: q.idNumber, at: new Date(Date.now() - 60_000).toISOString() };
    const res = await samplerA.post('/api/scans/batch', { scans: [s1, s2, s1, { ...s1, tube: tube() }] });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items;
    expect(items.map((i: { ok: boolean; result?: { outcome: string } }) => (i.ok ? i.result!.outcome : 'refused'))).toEqual([
      'recorded',
      'recorded',
      'replay',
      'refused',
    ]);
    expect(items[2].result.sampleId).toBe(items[0].result.sampleId);
    expect(items[2].result.tube).toEqual(items[0].result.tube);
    expect(items[3].error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'key' });
    expect(items[3].error.messages['en-US']).toContain('different request');
    expect(await count('SELECT people AS n FROM tubes WHERE barcode = $1', [barcode])).toBe(2);
  });

  it('a scan sent alone whose answer was lost, then synced in a batch, is a replay', async () => {
    const p = await person();
    const scan = { key: key(), laneId, tube: tube(), idNumber: p.idNumber, at: new Date().toISOString() };
    const alone = await samplerA.post('/api/scans', scan);
    const synced = await samplerA.post('/api/scans/batch', { scans: [scan] });
    expect(synced.json().items[0]).toEqual({ key: scan.key, ok: true, result: { ...alone.json(), outcome: 'replay' } });
  });

  it('the same batch sent concurrently makes each sample once', async () => {
    const people = await Promise.all(Array.from({ length: 6 }, () => person()));
    const barcode = tube();
    const scans = people.map((p, i) => ({
      key: key(),
      laneId,
      tube: barcode,
      idNumber: p.idNumber,
      at: new Date(Date.now() - (10 - i) * 1000).toISOString(),
    }));
    const answers = await Promise.all(Array.from({ length: 8 }, () => samplerA.post('/api/scans/batch', { scans })));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(200));
    for (let i = 0; i < scans.length; i++) {
      const outcomes = answers.map((a) => a.json().items[i].result?.outcome as string);
      expect(outcomes.sort()).toEqual(['recorded', ...Array(7).fill('replay')]);
    }
    expect(await count('SELECT people AS n FROM tubes WHERE barcode = $1', [barcode])).toBe(6);
  });
});

describe('antigen', () => {
  it("a retried hand-out answers the first request's numbers; another body under the key is a 409", async () => {
    const h = await household();
    const k = key();
    const first = await gridA.post('/api/antigen/distributions', { key: k, householdId: h, kits: 4 });
    expect(first.json()).toEqual({ householdId: h, kits: 4, householdTotal: 4, replay: false });
    expect((await gridA.post('/api/antigen/distributions', { key: key(), householdId: h, kits: 2 })).json().householdTotal).toBe(6);
    const again = await gridA.post('/api/antigen/distributions', { householdId: h, kits: 4, key: k });
    expect(again.json()).toEqual({ householdId: h, kits: 4, householdTotal: 4, replay: true });
    expect409(await gridA.post('/api/antigen/distributions', { key: k, householdId: h, kits: 5 }));
    expect(await count('SELECT coalesce(sum(kits), 0) AS n FROM antigen_distributions WHERE household_id = $1', [h])).toBe(6);
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'antigen.distribute' AND entity_id = $1", [String(h)])).toBe(2);
  });

  it('concurrent identical hand-outs make one', async () => {
    const h = await household();
    const body = { key: key(), householdId: h, kits: 3 };
    const answers = await Promise.all(Array.from({ length: 50 }, () => gridA.post('/api/antigen/distributions', body)));
    expect(answers.map((a) => a.statusCode).filter((s) => s !== 200)).toEqual([]);
    expect(answers.filter((a) => !a.json().replay)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.json().householdTotal))).toEqual(new Set([3]));
    expect(await count('SELECT count(*) AS n FROM antigen_distributions WHERE household_id = $1', [h])).toBe(1);
  });

  it('a refused hand-out leaves no key', async () => {
    const k = key();
    expect((await gridA.post('/api/antigen/distributions', { key: k, householdId: d.householdB, kits: 1 })).json().error.code).toBe(
      'HOUSEHOLD_NOT_FOUND',
    );
    const h = await household();
    expect((await gridA.post('/api/antigen/distributions', { key: k, householdId: h, kits: 1 })).json()).toMatchObject({
      replay: false,
      householdTotal: 1,
    });
  });

  it('hand-out keys belong to the account: a colleague with the same key hands out their own kits', async () => {
    const h = await household();
    const k = key();
    expect((await gridA.post('/api/antigen/distributions', { key: k, householdId: h, kits: 2 })).json()).toMatchObject({
      replay: false,
      householdTotal: 2,
    });
    expect((await gridA2.post('/api/antigen/distributions', { key: k, householdId: h, kits: 2 })).json()).toMatchObject({
      replay: false,
      householdTotal: 4,
    });
  });

  it("a retried report answers the first report's id; a changed result under the key is a 409", async () => {
    const p = await person();
    const k = key();
    const testedAt = new Date(Date.now() - hour).toISOString();
    const first = await gridA.post('/api/antigen/reports', { key: k, residentId: p.id, result: 'negative', testedAt });
    expect(first.json()).toMatchObject({ replay: false, alert: false });
    expect(first.json().reportId).toBeGreaterThan(0);
    expect((await gridA.post('/api/antigen/reports', { key: k, residentId: p.id, result: 'negative', testedAt })).json()).toEqual({
      ...first.json(),
      replay: true,
    });
    expect409(await gridA.post('/api/antigen/reports', { key: k, residentId: p.id, result: 'positive', testedAt }));
    expect409(await gridA.post('/api/antigen/reports', { key: k, residentId: p.id, result: 'negative' }));
    // a key used for a hand-out is not a report's key
    expect409(await gridA.post('/api/antigen/distributions', { key: k, householdId: await household(), kits: 1 }));
    // another account's key is its own
    expect((await gridA2.post('/api/antigen/reports', { key: k, residentId: p.id, result: 'negative', testedAt })).json().replay).toBe(
      false,
    );
    expect(await count('SELECT count(*) AS n FROM antigen_reports WHERE resident_id = $1', [p.id])).toBe(2);
  });

  it('self-reports: keys belong to the resident whose code signs them', async () => {
    const [p, q] = [await person(), await person()];
    const k = key();
    const self = (code: string, result: string) =>
      t.app.inject({ method: 'POST', url: '/api/public/antigen-reports', payload: { key: k, code, result } });
    const first = await self(residentCode(t.ctx.vault, p.id), 'negative');
    expect(first.json()).toMatchObject({ received: true, replay: false });
    expect((await self(residentCode(t.ctx.vault, p.id), 'negative')).json()).toEqual({ ...first.json(), replay: true });
    expect409(await self(residentCode(t.ctx.vault, p.id), 'invalid'));
    // the same key from another resident is their own report, not an answer about someone else
    const other = await self(residentCode(t.ctx.vault, q.id), 'negative');
    expect(other.json()).toMatchObject({ received: true, replay: false });
    expect(await count('SELECT count(*) AS n FROM antigen_reports WHERE resident_id = ANY($1::int[])', [[p.id, q.id]])).toBe(2);
  });
});
