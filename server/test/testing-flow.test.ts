// After the lane: seal, box, hand over, receive; results with a positive pool and its recall
// list; retest; corrections; coverage (清楼) with exemptions and the age limit; the
// time-slot plan; the live board over SSE.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type Client, type TestApp } from './helpers.js';
import { createStaff, makeMainlandId, useDistrictApp, type District } from './fixtures.js';

const env = useDistrictApp();
let t: TestApp;
let admin: Client;
let d: District;
let sampler: Client;
let lab: Client;
let community: Client;
let campaignId: number;
let roundId: number;
let laneId: number;
const key = () => crypto.randomUUID();
const hour = 3_600_000;
const ids: string[] = [];
const residentIds: number[] = [];

function csvUpload(client: Client, url: string, csv: string) {
  const boundary = '----fk' + crypto.randomBytes(6).toString('hex');
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="results.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(csv),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return client.inject({ method: 'POST', url, payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

const scan = (tube: string, idNumber: string, mode?: string) => sampler.post('/api/scans', { key: key(), laneId, tube, idNumber, ...(mode ? { mode } : {}) });

beforeAll(async () => {
  ({ t, admin, d } = env);
  // ten more people in unit A (grid A): 101..110, one of them a baby
  for (let i = 0; i < 10; i++) {
    const h = (await admin.post('/api/households', { placeId: d.unitA, room: `${2 + Math.floor(i / 2)}0${(i % 2) + 1}` })).json().id;
    const baby = i === 9;
    const id = baby ? makeMainlandId(new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, ''), 300 + i) : makeMainlandId('19750101', 300 + i);
    const r = await admin.post('/api/residents', { householdId: h, name: baby ? '小宝' : `居民${i}`, idNumber: id });
    expect(r.statusCode, r.body).toBe(201);
    ids.push(id);
    residentIds.push(r.json().resident.id);
  }
  const now = Date.now();
  const c = await admin.post('/api/campaigns', {
    name: '全员核酸',
    placeId: d.community,
    startsAt: new Date(now - 2 * hour).toISOString(),
    endsAt: new Date(now + 20 * hour).toISOString(),
    exemptUnderMonths: 36,
    places: [{ placeId: d.community, mode: 'pool5' }],
    rounds: [{ startsAt: new Date(now - 2 * hour).toISOString(), endsAt: new Date(now + 20 * hour).toISOString() }],
  });
  campaignId = c.json().id;
  roundId = c.json().rounds[0].id;
  const site = await admin.post(`/api/campaigns/${campaignId}/sites`, { placeId: d.compound, name: '广场采样点', lanes: 2, opensAt: '00:00', closesAt: '23:59' });
  laneId = site.json().lanes[0].id;
  await createStaff(admin, 'flow-sampler', 'sampler', d.community);
  await createStaff(admin, 'flow-lab', 'lab_operator', d.district);
  await createStaff(admin, 'flow-officer', 'community_officer', d.community);
  await createStaff(admin, 'flow-grid-a', 'grid_worker', d.gridA);
  sampler = await signIn(t.app, 'flow-sampler', 'Staff-pass-2026');
  lab = await signIn(t.app, 'flow-lab', 'Staff-pass-2026');
  community = await signIn(t.app, 'flow-officer', 'Staff-pass-2026');
});

describe('coverage before anyone is sampled', () => {
  it('counts everyone in the covered places; the baby is exempt by age', async () => {
    const cov = (await community.get(`/api/rounds/${roundId}/coverage`)).json();
    expect(cov.totals).toEqual({ expected: 12, sampled: 0, exempt: 1, missing: 11 });
    const missing = (await community.get(`/api/rounds/${roundId}/missing?placeId=${d.gridA}&limit=50`)).json();
    expect(missing.items).toHaveLength(10);
    expect(missing.items.map((m: { name: string }) => m.name)).not.toContain('小宝');
  });

  it("a grid worker's coverage starts at their grid; a place outside it is not found, by its id", async () => {
    const gridA = await signIn(t.app, 'flow-grid-a', 'Staff-pass-2026');
    expect((await gridA.get(`/api/rounds/${roundId}/coverage`)).json().place.id).toBe(d.gridA);
    const other = (await gridA.get(`/api/rounds/${roundId}/missing?placeId=${d.gridB}`)).json();
    expect(other.error).toMatchObject({ code: 'PLACE_NOT_FOUND', field: 'placeId' });
    expect(other.error.messages['en-US']).toContain(String(d.gridB));
  });
});

describe('sample, seal, box, hand over, receive', () => {
  it('fills two pools and a single tube, then boxes them', async () => {
    for (let i = 0; i < 5; i++) expect((await scan('P-0001', ids[i])).json().outcome).toBe('recorded');
    for (let i = 5; i < 8; i++) await scan('P-0002', ids[i]);
    await scan('S-0001', d.idB, 'single');
    expect((await sampler.get('/api/tubes/P-0001')).json().sealedAt).not.toBeNull();
    const early = await sampler.post('/api/boxes', { barcode: 'BOX-001', tubes: ['P-0001', 'P-0002'] });
    expect(early.json().error).toMatchObject({ code: 'TUBE_NOT_SEALED', field: 'tubes[1]' });
    await sampler.post('/api/tubes/P-0002/seal');
    const box = await sampler.post('/api/boxes', { barcode: 'BOX-001', tubes: ['P-0001', 'P-0002', 'S-0001'] });
    expect(box.statusCode, box.body).toBe(200);
    expect(box.json()).toMatchObject({ state: 'packed', tubes: [{ barcode: 'P-0001' }, { barcode: 'P-0002' }, { barcode: 'S-0001' }] });
    // packing again is harmless
    expect((await sampler.post('/api/boxes', { barcode: 'BOX-001', tubes: ['P-0001'] })).statusCode).toBe(200);
  });

  it('a box goes to transport and the lab reports what is missing or extra', async () => {
    expect((await lab.post('/api/boxes/BOX-001/receive', { labName: '金域检验', tubes: [] })).json().error.code).toBe('BOX_STATE');
    const handed = await sampler.post('/api/boxes/BOX-001/handover', { carrier: '转运 李师傅' });
    expect(handed.json()).toMatchObject({ state: 'in_transit', carrier: '转运 李师傅', handedOverBy: 'flow-sampler' });
    const got = await lab.post('/api/boxes/BOX-001/receive', { labName: '金域检验', tubes: ['P-0001', 'S-0001', 'X-9999'] });
    expect(got.json()).toMatchObject({ state: 'received', receivedBy: 'flow-lab', receipt: { missing: ['P-0002'], extra: ['X-9999'] } });
    expect((await sampler.post('/api/boxes/BOX-001/receive', { labName: 'x', tubes: [] })).statusCode).toBe(403);
  });
});

describe('results', () => {
  it('a file with one bad row writes nothing and says which row and why', async () => {
    const bad = await csvUpload(lab, '/api/results/import', '试管条码,结果\nP-0001,阴性\nP-0002,阳\nNOPE-1,阴性\nS-0001,maybe\n');
    expect(bad.statusCode).toBe(400);
    const body = bad.json();
    expect(body.committed).toBe(false);
    expect(body.error).toMatchObject({ code: 'RESULTS_REJECTED', status: 400 });
    expect(body.error.messages['zh-CN']).toContain('2 行');
    expect(body.errors.map((e: { row: number; field: string; code: string }) => [e.row, e.field, e.code])).toEqual([
      [4, 'tube', 'RESULT_TUBE_UNKNOWN'],
      [5, 'result', 'RESULT_VALUE'],
    ]);
    expect(body.errors[0].messages['zh-CN']).toContain('NOPE-1');
    expect((await lab.get('/api/tubes/P-0002')).json().result).toBeNull();
  });

  it('one positive pool puts its five people on the recall list with household and grid worker', async () => {
    const ok = await csvUpload(lab, '/api/results/import', 'tube,result\nP-0001,阴性\nP-0002,阳性\nS-0001,negative\n');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ committed: true, negative: 2, positive: 1, recalled: 3 });
    const recalls = (await community.get(`/api/recalls?roundId=${roundId}&open=true`)).json();
    expect(recalls.items).toHaveLength(3);
    expect(recalls.items[0]).toMatchObject({ tube: 'P-0002', reason: 'positive', resident: { name: '居民5' }, gridWorkers: [{ name: 'flow-grid-a' }] });
    expect(recalls.items[0].address).toContain('1单元');
    // a grid worker of grid B sees none of them
    await createStaff(admin, 'flow-grid-b', 'grid_worker', d.gridB);
    const gridB = await signIn(t.app, 'flow-grid-b', 'Staff-pass-2026');
    expect((await gridB.get(`/api/recalls?roundId=${roundId}`)).json().items).toEqual([]);
    // the resident's own page shows the result
    const tests = (await admin.get(`/api/residents/${residentIds[5]}/tests`)).json();
    expect(tests.items[0]).toMatchObject({ tube: 'P-0002', result: 'positive', poolSize: 5 });
  });

  it('single-tube retests close the recall; a correction is kept and audit-logged', async () => {
    for (let i = 5; i < 8; i++) await scan(`R-000${i}`, ids[i], 'single');
    await sampler.post('/api/boxes', { barcode: 'BOX-002', tubes: ['R-0005', 'R-0006', 'R-0007'] });
    // results need a box the lab received (issue 11, 5)
    await sampler.post('/api/boxes/BOX-002/handover', { carrier: '转运 李师傅' });
    await lab.post('/api/boxes/BOX-002/receive', { labName: '金域检验', tubes: ['R-0005', 'R-0006', 'R-0007'] });
    const res = await lab.post('/api/results', { results: [{ tube: 'R-0005', result: 'negative' }, { tube: 'R-0006', result: 'positive' }, { tube: 'R-0007', result: 'invalid' }] });
    expect(res.json()).toMatchObject({ committed: true, retested: 3 });
    const open = (await community.get(`/api/recalls?roundId=${roundId}&open=true`)).json().items;
    expect(open.map((r: { resident: { name: string } }) => r.resident.name)).toEqual(['居民7']); // invalid retest: still open
    const all = (await community.get(`/api/recalls?roundId=${roundId}`)).json().items;
    expect(all.find((r: { resident: { name: string } }) => r.resident.name === '居民6')).toMatchObject({ outcome: 'positive', retestTube: 'R-0006' });

    const fix = await lab.post('/api/results', { results: [{ tube: 'S-0001', result: 'invalid' }] });
    expect(fix.json()).toMatchObject({ corrected: 1, recalled: 1 });
    const { rows } = await t.ctx.db.query<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'result.correct'");
    expect(rows[0].n).toBe(1);
    const history = await t.ctx.db.query<{ result: string; corrects: number | null }>(
      "SELECT r.result, r.corrects FROM tube_results r JOIN tubes t ON t.id = r.tube_id WHERE t.barcode = 'S-0001' ORDER BY r.id",
    );
    expect(history.rows.map((h) => h.result)).toEqual(['negative', 'invalid']);
    expect(history.rows[1].corrects).not.toBeNull();
    expect((await sampler.post('/api/results', { results: [{ tube: 'S-0001', result: 'negative' }] })).statusCode).toBe(403);
  });
});

describe('coverage mid-round (清楼)', () => {
  it('drills down community → grid → building with sampled, exempt and missing', async () => {
    await community.inject({ method: 'PUT', url: `/api/rounds/${roundId}/exemptions/${residentIds[8]}`, payload: { reason: 'hospitalised', note: '市一院' } });
    const top = (await community.get(`/api/rounds/${roundId}/coverage`)).json();
    // sampled: 居民0–7 and 李娜 (B); exempt: the baby (age) and 居民8 (hospitalised); missing: 张伟 (A)
    expect(top.totals).toEqual({ expected: 12, sampled: 9, exempt: 2, missing: 1 });
    const grids = (await community.get(`/api/rounds/${roundId}/coverage?placeId=${d.compound}`)).json();
    expect(grids.rows.map((r: { name: string; missing: number }) => [r.name, r.missing])).toEqual([
      ['第一网格', 1],
      ['第二网格', 0],
    ]);
    const buildings = (await community.get(`/api/rounds/${roundId}/coverage?by=building`)).json();
    expect(buildings.rows[0]).toMatchObject({ name: '1号楼', within: '幸福里小区 第一网格', expected: 11, missing: 1 });
    const names = (await community.get(`/api/rounds/${roundId}/missing?placeId=${d.buildingA}&limit=10`)).json();
    expect(names.items.map((m: { name: string }) => m.name)).toEqual(['张伟']);
    expect(names.items[0].address).toBe('幸福里小区 1号楼 1单元 101');
    const xlsx = await community.get(`/api/rounds/${roundId}/missing.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('pages the missing list by address without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    await community.inject({ method: 'DELETE', url: `/api/rounds/${roundId}/exemptions/${residentIds[8]}` });
    do {
      const page: { items: { name: string }[]; nextCursor: string | null } = (await community.get(`/api/rounds/${roundId}/missing?limit=1${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((i) => i.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(['居民8', '张伟'].sort());
    expect((await community.get(`/api/rounds/${roundId}/missing?cursor=bad!`)).json().error.field).toBe('cursor');
  });
});

describe('the time-slot plan', () => {
  it('plans buildings into slots at the nearest site, queryable by building, editable', async () => {
    const plan = await community.post(`/api/rounds/${roundId}/schedule`, { maxQueuePerLane: 10, slotMinutes: 30 });
    expect(plan.statusCode, plan.body).toBe(200);
    expect(plan.json()).toMatchObject({ buildings: 2, people: 12, unplaced: 0 });
    expect(plan.json().simulation.maxWaitingPerLane).toBeLessThanOrEqual(10);
    const slots = (await community.get(`/api/rounds/${roundId}/slots?placeId=${d.buildingA}`)).json().items;
    expect(slots[0]).toMatchObject({ building: '1号楼', within: '幸福里小区 第一网格', site: '广场采样点', people: 11 });
    const moved = await community.patch(`/api/slots/${slots[0].id}`, { startsAt: slots[0].startsAt, endsAt: new Date(Date.parse(slots[0].startsAt) + hour).toISOString() });
    expect(moved.statusCode, moved.body).toBe(200);
    const again = (await community.get(`/api/rounds/${roundId}/schedule`)).json();
    expect(again.slots).toBe(2);
    expect(again.parameters).toMatchObject({ maxQueuePerLane: 10, slotMinutes: 30 }); // the plan's own, not defaults
    expect((await sampler.post(`/api/rounds/${roundId}/schedule`, {})).statusCode).toBe(403);
  });
});

describe('the live board', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    server = t.app.server;
  });
  afterAll(() => undefined);

  it('shows figures and pushes an update after a scan, without reloading', async () => {
    const b = (await community.get(`/api/campaigns/${campaignId}/board`)).json();
    // positives: the pool P-0002 and 居民6's retest; open recalls: 居民7 (invalid retest) and 李娜 (corrected to invalid)
    expect(b).toMatchObject({ expected: 12, tubes: { positive: 2, invalid: 2 }, recalls: { open: 2 } });
    expect(b.samples).toBeGreaterThanOrEqual(12);
    // a round this campaign does not have is refused, not quietly swapped for the current one
    const unknown = await community.get(`/api/campaigns/${campaignId}/board?roundId=999999`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ code: 'ROUND_NOT_FOUND', field: 'roundId' });
    const events: { samples: number }[] = [];
    const res = await fetch(`${base}/api/campaigns/${campaignId}/board/stream`, { headers: { cookie: `fk_session=${community.token}` } });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const next = async () => {
      for (;;) {
        const i = buffer.indexOf('\n\n');
        if (i >= 0) {
          const chunk = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const data = chunk.split('\n').find((l) => l.startsWith('data: '));
          if (data) return JSON.parse(data.slice(6));
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    };
    events.push(await next());
    await scan('P-0009', ids[8]);
    events.push(await next());
    expect(events[1].samples).toBe(events[0].samples + 1);
    await reader.cancel();
    expect(server.listening).toBe(true);
  });
});
