// Campaigns, sites and lanes, and the scan rules at a lane: pools, duplicates, repeats,
// visitors, on-the-spot registration, offline batches that are sent twice, and scope.
// One campaign and district for the file, only read; each test scans its own tubes and makes
// the samples it looks for, so the tests pass in any order (vitest --sequence.shuffle).
import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { residentCode } from '../src/platform/codes.js';
import { invalidateLaneCache } from '../src/modules/testing/index.js';
import { signIn, type Client, type TestApp } from './helpers.js';
import { createStaff, makeMainlandId, useDistrictApp, type District } from './fixtures.js';

const env = useDistrictApp();
let t: TestApp;
let admin: Client;
let d: District;
let sampler: Client;
let campaignId: number;
let laneId: number;
let lane2: number;
const key = () => crypto.randomUUID();
const hour = 3_600_000;

async function count(sql: string, params: unknown[] = []) {
  const { rows } = await t.ctx.db.query<{ n: number }>(sql, params);
  return Number(rows[0].n);
}

beforeAll(async () => {
  ({ t, admin, d } = env);
  const now = Date.now();
  const res = await admin.post('/api/campaigns', {
    name: '第一轮全员核酸',
    placeId: d.community,
    startsAt: new Date(now - hour).toISOString(),
    endsAt: new Date(now + 47 * hour).toISOString(),
    // the compound pools 5-in-1; grid B (a sealed building) one tube per household
    places: [
      { placeId: d.compound, mode: 'pool5' },
      { placeId: d.gridB, mode: 'household' },
    ],
    rounds: [
      { startsAt: new Date(now - hour).toISOString(), endsAt: new Date(now + 23 * hour).toISOString() },
      { startsAt: new Date(now + 23 * hour).toISOString(), endsAt: new Date(now + 47 * hour).toISOString() },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  campaignId = res.json().id;
  const site = await admin.post(`/api/campaigns/${campaignId}/sites`, { placeId: d.compound, name: '幸福里小区北门采样点', lanes: 2, opensAt: '07:00', closesAt: '21:00' });
  expect(site.statusCode, site.body).toBe(201);
  [laneId, lane2] = site.json().lanes.map((l: { id: number }) => l.id);
  await createStaff(admin, 'sampler-c', 'sampler', d.community);
  sampler = await signIn(t.app, 'sampler-c', 'Staff-pass-2026');
});

describe('campaign planning', () => {
  it('shows places with modes, two rounds and the site with its lanes', async () => {
    const c = (await sampler.get(`/api/campaigns/${campaignId}`)).json();
    expect(c.places.map((p: { mode: string }) => p.mode)).toEqual(['pool5', 'household']);
    expect(c.rounds.map((r: { number: number }) => r.number)).toEqual([1, 2]);
    expect(c.sites[0].lanes).toHaveLength(2);
    expect((await sampler.get('/api/campaigns')).json().items.map((x: { id: number }) => x.id)).toContain(campaignId);
  });

  it('rejects bad input naming the field, and changes nothing', async () => {
    const before = await count('SELECT count(*) AS n FROM campaigns');
    const bad = await admin.post('/api/campaigns', { name: 'x', placeId: d.community, startsAt: '2026-11-25T08:00:00Z', endsAt: '2026-11-24T08:00:00Z' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('endsAt');
    expect(bad.json().error.messages['zh-CN']).toContain('结束时间');
    const outside = await admin.post('/api/campaigns', { name: 'x', placeId: d.gridA, startsAt: '2026-11-25T08:00:00Z', endsAt: '2026-11-26T08:00:00Z', places: [{ placeId: d.gridB, mode: 'single' }] });
    expect(outside.json().error).toMatchObject({ code: 'CAMPAIGN_PLACE_OUTSIDE', field: 'places[0].placeId' });
    expect(await count('SELECT count(*) AS n FROM campaigns')).toBe(before);
    const site = await admin.post(`/api/campaigns/${campaignId}/sites`, { placeId: d.compound, name: 'x', lanes: 1, opensAt: '25:00' });
    expect(site.json().error.field).toBe('opensAt');
    expect((await sampler.post('/api/campaigns', { name: 'x', placeId: d.community, startsAt: '2026-11-25T08:00:00Z', endsAt: '2026-11-26T08:00:00Z' })).statusCode).toBe(403);
  });
});

describe('scanning at a lane', () => {
  it('pools people into a tube by the place mode, and a retry with the same key is one sample', async () => {
    const k = key();
    const first = await sampler.post('/api/scans', { key: k, laneId, tube: 'T-POOL-0001', idNumber: d.idA });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ outcome: 'recorded', resident: { id: d.residentA, name: '张*' }, tube: { people: 1, poolSize: 5, sealed: false }, round: { number: 1 } });
    expect(first.json().resident.idMasked).not.toContain(d.idA.slice(6, 14));
    const again = await sampler.post('/api/scans', { key: k, laneId, tube: 'T-POOL-0001', idNumber: d.idA });
    expect(again.json()).toMatchObject({ outcome: 'replay', sampleId: first.json().sampleId, tube: { people: 1 } });
    // same person, new key, same tube: still one sample
    const twice = await sampler.post('/api/scans', { key: key(), laneId, tube: 'T-POOL-0001', idNumber: d.idA });
    expect(twice.json()).toMatchObject({ outcome: 'already_in_tube', sampleId: first.json().sampleId, tube: { people: 1 } });
    expect(await count("SELECT count(*) AS n FROM samples s JOIN tubes t ON t.id = s.tube_id WHERE t.barcode = 'T-POOL-0001'")).toBe(1);
  });

  it('takes a personal code, flags a person sampled earlier in the round, and a forged code is refused', async () => {
    await sampler.post('/api/scans', { key: key(), laneId, tube: 'T-EARLY-0001', idNumber: d.idA }); // sampled earlier in this round
    const code = residentCode(t.ctx.vault, d.residentA);
    const r = await sampler.post('/api/scans', { key: key(), laneId: lane2, tube: 'T-POOL-0002', code });
    expect(r.json()).toMatchObject({ outcome: 'recorded', flags: { repeatInRound: true, outsideCampaign: false } });
    const forged = code.replace(/\.[0-9a-z]+\./, `.${(d.residentB).toString(36)}.`);
    const bad = await sampler.post('/api/scans', { key: key(), laneId: lane2, tube: 'T-POOL-0002', code: forged });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'CODE_INVALID', field: 'code' });
    // a card reader typing an ID number into the code field is understood
    const typed = await sampler.post('/api/scans', { key: key(), laneId: lane2, tube: 'T-POOL-0003', code: d.idB });
    expect(typed.json()).toMatchObject({ outcome: 'recorded', resident: { id: d.residentB } });
  });

  it('scans arriving together (sent twice each) keep the rules: a 5-in-1 tube takes five, once each', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => makeMainlandId('19950505', 301 + i * 2));
    for (const [i, idNumber] of ids.entries()) {
      const r = await admin.post('/api/residents', { householdId: d.householdA, name: `排队${i + 1}`, idNumber });
      expect(r.statusCode, r.body).toBe(201);
    }
    const scans = ids.map((idNumber) => ({ key: key(), laneId: lane2, tube: 'T-RUSH-0001', idNumber }));
    // every scan and its retry at the same moment, as a lane with a flaky network does
    const answers = await Promise.all([...scans, ...scans].map((s) => sampler.post('/api/scans', s)));
    const byKey = new Map<string, { statusCode: number; json(): { outcome?: string; sampleId?: number; error?: { code: string } } }[]>();
    answers.forEach((a, i) => byKey.set(scans[i % scans.length].key, [...(byKey.get(scans[i % scans.length].key) ?? []), a]));
    let taken = 0;
    for (const [, [a, b]] of byKey) {
      expect([a.statusCode, b.statusCode].sort()).toSatisfy((codes: number[]) => codes[0] === codes[1]);
      if (a.statusCode === 200) {
        taken++;
        expect(a.json().sampleId).toBe(b.json().sampleId);
        expect([a.json().outcome, b.json().outcome].sort()).toEqual(['recorded', 'replay']);
      } else {
        expect(a.statusCode).toBe(409);
        expect(['TUBE_SEALED', 'TUBE_FULL']).toContain(a.json().error!.code);
      }
    }
    expect(taken).toBe(5);
    expect(await count("SELECT count(*) AS n FROM samples s JOIN tubes t ON t.id = s.tube_id WHERE t.barcode = 'T-RUSH-0001'")).toBe(5);
    expect(await count("SELECT people AS n FROM tubes WHERE barcode = 'T-RUSH-0001' AND sealed_at IS NOT NULL")).toBe(5);
  });

  it('seals a single tube when full; a sealed tube takes nobody', async () => {
    const r = await sampler.post('/api/scans', { key: key(), laneId, tube: 'T-SINGLE-01', mode: 'single', idNumber: d.idB });
    expect(r.json().tube).toMatchObject({ people: 1, poolSize: 1, sealed: true });
    const more = await sampler.post('/api/scans', { key: key(), laneId, tube: 'T-SINGLE-01', idNumber: d.idA });
    expect(more.statusCode).toBe(409);
    expect(more.json().error).toMatchObject({ code: 'TUBE_SEALED', field: 'tube' });
    expect(more.json().error.messages['en-US']).toContain('T-SINGLE-01');
  });

  it('one tube per household refuses a neighbour', async () => {
    const r = await sampler.post('/api/scans', { key: key(), laneId, tube: 'T-HOUSE-01', mode: 'household', idNumber: d.idB });
    expect(r.json().tube.poolSize).toBe(20);
    const other = await sampler.post('/api/scans', { key: key(), laneId, tube: 'T-HOUSE-01', idNumber: d.idA });
    expect(other.json().error.code).toBe('TUBE_OTHER_HOUSEHOLD');
  });

  it('an unknown ID is refused until registered on the spot, then sampled once', async () => {
    const id = makeMainlandId('19920505', 517);
    const k = key();
    const unknown = await sampler.post('/api/scans', { key: k, laneId, tube: 'T-POOL-0004', idNumber: id });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ code: 'PERSON_UNKNOWN', field: 'idNumber' });
    const badName = await sampler.post('/api/scans', { key: k, laneId, tube: 'T-POOL-0004', idNumber: id, register: { name: '' } });
    expect(badName.json().error.field).toBe('register.name');
    invalidateLaneCache(t.ctx); // registration runs in a transaction: the lane must load through it
    const reg = await sampler.post('/api/scans', { key: k, laneId, tube: 'T-POOL-0004', idNumber: id, register: { name: '过路人', phone: '13700001111' } });
    expect(reg.json()).toMatchObject({ outcome: 'recorded', resident: { name: '过*人' }, flags: { registeredOnSpot: true } });
    // the retry resends the same body: the first answer again; another body under the key is refused
    const retry = await sampler.post('/api/scans', { key: k, laneId, tube: 'T-POOL-0004', idNumber: id, register: { name: '过路人', phone: '13700001111' } });
    expect(retry.json()).toMatchObject({ outcome: 'replay', sampleId: reg.json().sampleId, flags: { registeredOnSpot: true } });
    const changed = await sampler.post('/api/scans', { key: k, laneId, tube: 'T-POOL-0004', idNumber: id, register: { name: '过路人' } });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'key' });
    expect(await count('SELECT count(*) AS n FROM residents WHERE name = $1', ['过路人'])).toBe(1);
  });

  it('names the field for bad input and writes nothing', async () => {
    const before = await count('SELECT count(*) AS n FROM samples');
    const noTube = await sampler.post('/api/scans', { key: key(), laneId, idNumber: d.idA });
    expect(noTube.json().error).toMatchObject({ code: 'FIELD_REQUIRED', field: 'tube' });
    const badTube = await sampler.post('/api/scans', { key: key(), laneId, tube: '管 1', idNumber: d.idA });
    expect(badTube.json().error.field).toBe('tube');
    const badId = await sampler.post('/api/scans', { key: key(), laneId, tube: 'T-X-1', idNumber: d.idA.slice(0, 17) + (d.idA[17] === '1' ? '2' : '1') });
    expect(badId.json().error).toMatchObject({ code: 'RESIDENT_ID_CHECKSUM', field: 'idNumber' });
    const future = await sampler.post('/api/scans', { key: key(), laneId, tube: 'T-X-1', idNumber: d.idA, at: new Date(Date.now() + 3 * hour).toISOString() });
    expect(future.json().error.field).toBe('at');
    const badKey = await sampler.post('/api/scans', { key: 'nope', laneId, tube: 'T-X-1', idNumber: d.idA });
    expect(badKey.json().error.field).toBe('key');
    expect(await count('SELECT count(*) AS n FROM samples')).toBe(before);
    expect(await count("SELECT count(*) AS n FROM tubes WHERE barcode = 'T-X-1'")).toBe(0);
  });

  it('a scan at a lane outside my area is refused like a missing lane', async () => {
    const otherCommunity = (await admin.post('/api/places', { parentId: d.street, kind: 'community', name: '别的社区' })).json().id;
    await createStaff(admin, 'sampler-x', 'sampler', otherCommunity);
    const outsider = await signIn(t.app, 'sampler-x', 'Staff-pass-2026');
    const r = await outsider.post('/api/scans', { key: key(), laneId, tube: 'T-POOL-0009', idNumber: d.idA });
    expect(r.statusCode).toBe(404);
    expect(r.json().error).toMatchObject({ code: 'LANE_NOT_FOUND', field: 'laneId' });
    expect((await outsider.get(`/api/campaigns/${campaignId}`)).statusCode).toBe(404);
  });
});

describe('offline sync', () => {
  it('the same batch sent twice gives one set of samples', async () => {
    // 12 scans taken offline at lane 2 over two tubes of 5 and one of 2
    const people: string[] = [];
    for (let i = 0; i < 12; i++) {
      const id = makeMainlandId('19800101', 600 + i);
      people.push(id);
      const h = (await admin.post('/api/households', { placeId: d.unitA, room: `9${String(i).padStart(2, '0')}` })).json().id;
      await admin.post('/api/residents', { householdId: h, name: `离线${i}`, idNumber: id });
    }
    const taken = Date.now() - 10 * 60_000;
    const batch = people.map((id, i) => ({ key: key(), laneId: lane2, tube: `T-BATCH-${Math.floor(i / 5)}`, idNumber: id, at: new Date(taken + i * 20_000).toISOString() }));
    // a cold lane cache inside the batch's transaction once hung PGlite's single connection
    invalidateLaneCache(t.ctx);
    const first = await sampler.post('/api/scans/batch', { scans: batch });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ recorded: 12, rejected: 0 });
    const before = await count('SELECT count(*) AS n FROM samples');
    const second = await sampler.post('/api/scans/batch', { scans: batch });
    expect(second.json().recorded).toBe(12);
    expect(second.json().items.every((i: { result: { outcome: string } }) => i.result.outcome === 'replay')).toBe(true);
    expect(await count('SELECT count(*) AS n FROM samples')).toBe(before);
    const tubes = await t.ctx.db.query<{ barcode: string; people: number; sealed: boolean }>(
      "SELECT barcode, people, sealed_at IS NOT NULL AS sealed FROM tubes WHERE barcode LIKE 'T-BATCH-%' ORDER BY barcode",
    );
    expect(tubes.rows).toEqual([
      { barcode: 'T-BATCH-0', people: 5, sealed: true },
      { barcode: 'T-BATCH-1', people: 5, sealed: true },
      { barcode: 'T-BATCH-2', people: 2, sealed: false },
    ]);
    // sampled_at is when the device took the scan, not when it synced
    const { rows } = await t.ctx.db.query<{ sampled_at: Date }>('SELECT sampled_at FROM samples WHERE idempotency_key = $1', [batch[0].key]);
    expect(rows[0].sampled_at.getTime()).toBe(taken);
  });

  it('a rejected scan in a batch does not stop the others, and says why in both languages', async () => {
    const r = await sampler.post('/api/scans/batch', {
      scans: [
        { key: key(), laneId: lane2, tube: 'T-REJ-9', idNumber: makeMainlandId('19700101', 999) },
        { key: key(), laneId: lane2, tube: 'T-REJ-9', idNumber: d.idA },
      ],
    });
    expect(r.json()).toMatchObject({ recorded: 1, rejected: 1 });
    expect(r.json().items[0]).toMatchObject({ ok: false, error: { code: 'PERSON_UNKNOWN' } });
    expect(r.json().items[0].error.messages['zh-CN']).toContain('未登记');
  });

  it('seals on demand, idempotently; an empty or unknown tube is refused', async () => {
    const people = [makeMainlandId('19810202', 701), makeMainlandId('19810202', 703)];
    for (const [i, idNumber] of people.entries()) {
      const h = (await admin.post('/api/households', { placeId: d.unitA, room: `8${i}1` })).json().id;
      await admin.post('/api/residents', { householdId: h, name: `封管${i}`, idNumber });
      await sampler.post('/api/scans', { key: key(), laneId: lane2, tube: 'T-SEAL-1', idNumber });
    }
    const s = await sampler.post('/api/tubes/T-SEAL-1/seal');
    expect(s.json()).toMatchObject({ people: 2, sealedAt: expect.any(String) });
    expect((await sampler.post('/api/tubes/T-SEAL-1/seal')).statusCode).toBe(200);
    expect((await sampler.post('/api/tubes/NOPE-123/seal')).json().error.code).toBe('TUBE_NOT_FOUND');
    const tube = (await sampler.get('/api/tubes/T-SEAL-1')).json();
    expect(tube.samples.map((x: { name: string }) => x.name)).toEqual(['封*0', '封*1']); // a sampler: masked (scan-oracle.test.ts)
  });

  it("a household's rotated codes are refused at the lane (CODE_REVOKED, nothing recorded), in a batch too; the new code scans", async () => {
    const old = residentCode(t.ctx.vault, d.residentB);
    const rotated = await admin.post(`/api/households/${d.householdB}/codes/rotate`, { reason: '户卡遗失' });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const version = rotated.json().version as number;
    expect(version).toBeGreaterThanOrEqual(1);
    const before = await count('SELECT count(*) AS n FROM samples');
    const refused = await sampler.post('/api/scans', { key: key(), laneId: lane2, tube: 'T-REVOKED-01', code: old });
    expect(refused.statusCode, refused.body).toBe(410);
    expect(refused.json().error).toMatchObject({ code: 'CODE_REVOKED', field: 'code' });
    const batch = await sampler.post('/api/scans/batch', { scans: [{ key: key(), laneId: lane2, tube: 'T-REVOKED-02', code: old }] });
    expect(JSON.stringify(batch.json())).toContain('CODE_REVOKED');
    expect(await count('SELECT count(*) AS n FROM samples')).toBe(before);
    const fresh = residentCode(t.ctx.vault, d.residentB, version);
    const taken = await sampler.post('/api/scans', { key: key(), laneId: lane2, tube: 'T-REVOKED-03', code: fresh });
    expect(taken.json(), taken.body).toMatchObject({ outcome: 'recorded', resident: { id: d.residentB } });
    // the household card prints the new codes
    const card = (await admin.get(`/api/households/${d.householdB}/card`)).json() as { members: { id: number; code: string }[] };
    expect(card.members.find((m) => m.id === d.residentB)?.code).toBe(fresh);
  });
});
