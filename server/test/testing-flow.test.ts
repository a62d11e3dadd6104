// After the lane: seal, box, hand over, receive; results with a positive pool and its recall
// list; retest; corrections; coverage (清楼) with exemptions and the age limit; the
// time-slot plan; the live board over SSE.
// Every test builds its own community (a compound of two grids, twelve residents, its officer,
// sampler and grid workers) and its own campaign, brought to the stage the test starts from by
// the steps below: a recall or a retest in one test cannot reach another's people, and any test
// runs alone (it.only) or in any order.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { campaign, freshId, household, key, ok, place, staffAt } from './factories.js';

let t: TestApp;
let admin: Client;
let lab: Client;
let street: number;
beforeAll(async () => {
  t = await startTestApp();
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
  const district = await place(admin, null, 'district', '河西区', { code: '120103' });
  street = await place(admin, district, 'street', '友谊路街道');
  ({ lab_operator: lab } = (await staffAt(t, admin, district, 'flow', ['lab_operator'])) as { lab_operator: Client });
});
afterAll(() => t.close());

function csvUpload(client: Client, url: string, csv: string) {
  const boundary = '----fk' + crypto.randomBytes(6).toString('hex');
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="results.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(csv),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return client.inject({ method: 'POST', url, payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

// ---- the stages a test starts from; `tag` keeps each test's places, accounts and barcodes apart

/**
 * A community of its own: compound 幸福里小区 with grid A (1号楼: 张伟 in 101 and ten more, the
 * last a baby) and grid B (2号楼: 李娜 in 202); its officer, sampler and a grid worker per grid;
 * a running campaign over it (pools of five, under 36 months exempt) with a two-lane site.
 */
async function fresh(tag: string) {
  const community = await place(admin, street, 'community', `平江里社区${tag}`);
  const compound = await place(admin, community, 'compound', '幸福里小区');
  const gridA = await place(admin, compound, 'grid', '第一网格');
  const gridB = await place(admin, compound, 'grid', '第二网格');
  const buildingA = await place(admin, gridA, 'building', '1号楼', { floors: 6 });
  const buildingB = await place(admin, gridB, 'building', '2号楼', { floors: 6 });
  const unitA = await place(admin, buildingA, 'unit', '1单元');
  const unitB = await place(admin, buildingB, 'unit', '1单元');
  const zhang = (await household(admin, unitA, '101', [{ name: '张伟', phone: '13812345678' }])).people[0];
  const li = (await household(admin, unitB, '202', [{ name: '李娜', phone: '13987654321' }])).people[0];
  const ids: string[] = [];
  const residentIds: number[] = [];
  for (let i = 0; i < 10; i++) {
    const baby = i === 9;
    const h = (await ok<{ id: number }>(admin.post('/api/households', { placeId: unitA, room: `${2 + Math.floor(i / 2)}0${(i % 2) + 1}` }), 201)).id;
    const idNumber = freshId(baby ? new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '') : '19750101');
    const r = await ok<{ resident: { id: number } }>(admin.post('/api/residents', { householdId: h, name: baby ? '小宝' : `居民${i}`, idNumber }), 201);
    ids.push(idNumber);
    residentIds.push(r.resident.id);
  }
  const staff = await staffAt(t, admin, community, `flow${tag}`, ['sampler', 'community_officer']);
  const grids = { a: `flow${tag}-grid-a`, b: `flow${tag}-grid-b` };
  await ok(admin.post('/api/users', { username: grids.a, displayName: grids.a, role: 'grid_worker', placeId: gridA, password: 'Staff-pass-2026' }), 201);
  await ok(admin.post('/api/users', { username: grids.b, displayName: grids.b, role: 'grid_worker', placeId: gridB, password: 'Staff-pass-2026' }), 201);
  const c = await campaign(admin, { name: `全员核酸 ${tag}`, ownerPlaceId: community, coverPlaceIds: [community], sitePlaceId: compound, siteName: '广场采样点', exemptUnderMonths: 36, lanes: 2 });
  const sampler = staff.sampler!;
  return {
    ...c,
    community,
    compound,
    gridA,
    gridB,
    buildingA,
    ids,
    residentIds,
    idA: zhang.idNumber,
    idB: li.idNumber,
    grids,
    sampler,
    officer: staff.community_officer!,
    scan: (tube: string, idNumber: string, mode?: string) => sampler.post('/api/scans', { key: key(), laneId: c.laneId, tube, idNumber, ...(mode ? { mode } : {}) }),
  };
}

/** Samples: 居民0–4 fill pool P1 (sealed by the fifth), 居民5–7 pool P2 (sealed by hand), 李娜 (grid B) a single tube S1. */
async function sampled(tag: string) {
  const c = await fresh(tag);
  const tubes = { p1: `${tag}-P1`, p2: `${tag}-P2`, s1: `${tag}-S1`, box: `${tag}-BOX` };
  for (let i = 0; i < 5; i++) await ok(c.scan(tubes.p1, c.ids[i]), 200);
  for (let i = 5; i < 8; i++) await ok(c.scan(tubes.p2, c.ids[i]), 200);
  await ok(c.scan(tubes.s1, c.idB, 'single'), 200);
  await ok(c.sampler.post(`/api/tubes/${tubes.p2}/seal`), 200);
  return { ...c, tubes };
}

/** Sampled, the three tubes boxed, handed over and received whole by the lab. */
async function received(tag: string) {
  const c = await sampled(tag);
  const all = [c.tubes.p1, c.tubes.p2, c.tubes.s1];
  await ok(c.sampler.post('/api/boxes', { barcode: c.tubes.box, tubes: all }), 200);
  await ok(c.sampler.post(`/api/boxes/${c.tubes.box}/handover`, { carrier: '转运 李师傅' }), 200);
  await ok(lab.post(`/api/boxes/${c.tubes.box}/receive`, { labName: '金域检验', tubes: all }), 200);
  return c;
}

/** Received, and resulted from a file: P1 negative, P2 positive (its three people recalled), S1 negative. */
async function resulted(tag: string) {
  const c = await received(tag);
  const res = await csvUpload(lab, '/api/results/import', `tube,result\n${c.tubes.p1},阴性\n${c.tubes.p2},阳性\n${c.tubes.s1},negative\n`);
  expect(res.statusCode, res.body).toBe(200);
  return c;
}

describe('coverage before anyone is sampled', () => {
  it('counts everyone in the covered places; the baby is exempt by age', async () => {
    const c = await fresh('NS');
    const cov = (await c.officer.get(`/api/rounds/${c.roundId}/coverage`)).json();
    expect(cov.totals).toEqual({ expected: 12, sampled: 0, exempt: 1, missing: 11 });
    const missing = (await c.officer.get(`/api/rounds/${c.roundId}/missing?placeId=${c.gridA}&limit=50`)).json();
    expect(missing.items).toHaveLength(10);
    expect(missing.items.map((m: { name: string }) => m.name)).not.toContain('小宝');
  });

  it("a grid worker's coverage starts at their grid; a place outside it is not found, by its id", async () => {
    const c = await fresh('GV');
    const gridA = await signIn(t.app, c.grids.a, 'Staff-pass-2026');
    expect((await gridA.get(`/api/rounds/${c.roundId}/coverage`)).json().place.id).toBe(c.gridA);
    const other = (await gridA.get(`/api/rounds/${c.roundId}/missing?placeId=${c.gridB}`)).json();
    expect(other.error).toMatchObject({ code: 'PLACE_NOT_FOUND', field: 'placeId' });
    expect(other.error.messages['en-US']).toContain(String(c.gridB));
  });
});

describe('sample, seal, box, hand over, receive', () => {
  it('fills two pools and a single tube, then boxes them', async () => {
    const c = await fresh('PK');
    for (let i = 0; i < 5; i++) expect((await c.scan('PK-P1', c.ids[i])).json().outcome).toBe('recorded');
    for (let i = 5; i < 8; i++) await c.scan('PK-P2', c.ids[i]);
    await c.scan('PK-S1', c.idB, 'single');
    expect((await c.sampler.get('/api/tubes/PK-P1')).json().sealedAt).not.toBeNull();
    const early = await c.sampler.post('/api/boxes', { barcode: 'PK-BOX', tubes: ['PK-P1', 'PK-P2'] });
    expect(early.json().error).toMatchObject({ code: 'TUBE_NOT_SEALED', field: 'tubes[1]' });
    await c.sampler.post('/api/tubes/PK-P2/seal');
    const box = await c.sampler.post('/api/boxes', { barcode: 'PK-BOX', tubes: ['PK-P1', 'PK-P2', 'PK-S1'] });
    expect(box.statusCode, box.body).toBe(200);
    expect(box.json()).toMatchObject({ state: 'packed', tubes: [{ barcode: 'PK-P1' }, { barcode: 'PK-P2' }, { barcode: 'PK-S1' }] });
    // packing again is harmless
    expect((await c.sampler.post('/api/boxes', { barcode: 'PK-BOX', tubes: ['PK-P1'] })).statusCode).toBe(200);
  });

  it('a box goes to transport and the lab reports what is missing or extra', async () => {
    const c = await sampled('HO');
    await ok(c.sampler.post('/api/boxes', { barcode: c.tubes.box, tubes: [c.tubes.p1, c.tubes.p2, c.tubes.s1] }), 200);
    expect((await lab.post(`/api/boxes/${c.tubes.box}/receive`, { labName: '金域检验', tubes: [] })).json().error.code).toBe('BOX_STATE');
    const handed = await c.sampler.post(`/api/boxes/${c.tubes.box}/handover`, { carrier: '转运 李师傅' });
    expect(handed.json()).toMatchObject({ state: 'in_transit', carrier: '转运 李师傅', handedOverBy: 'flowHO-sampler' });
    const got = await lab.post(`/api/boxes/${c.tubes.box}/receive`, { labName: '金域检验', tubes: [c.tubes.p1, c.tubes.s1, 'X-9999'] });
    expect(got.json()).toMatchObject({ state: 'received', receivedBy: 'flow-lab_operator', receipt: { missing: [c.tubes.p2], extra: ['X-9999'] } });
    expect((await c.sampler.post(`/api/boxes/${c.tubes.box}/receive`, { labName: 'x', tubes: [] })).statusCode).toBe(403);
  });
});

describe('results', () => {
  it('a file with one bad row writes nothing and says which row and why', async () => {
    const c = await received('BAD');
    const bad = await csvUpload(lab, '/api/results/import', `试管条码,结果\n${c.tubes.p1},阴性\n${c.tubes.p2},阳\nNOPE-1,阴性\n${c.tubes.s1},maybe\n`);
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
    expect((await lab.get(`/api/tubes/${c.tubes.p1}`)).json().result).toBeNull();
  });

  it('one positive pool puts its people on the recall list with household and grid worker', async () => {
    const c = await received('POS');
    const res = await csvUpload(lab, '/api/results/import', `tube,result\n${c.tubes.p1},阴性\n${c.tubes.p2},阳性\n${c.tubes.s1},negative\n`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ committed: true, negative: 2, positive: 1, recalled: 3 });
    const recalls = (await c.officer.get(`/api/recalls?roundId=${c.roundId}&open=true`)).json();
    expect(recalls.items).toHaveLength(3);
    expect(recalls.items[0]).toMatchObject({ tube: c.tubes.p2, reason: 'positive', resident: { name: '居民5' }, gridWorkers: [{ name: c.grids.a }] });
    expect(recalls.items[0].address).toContain('1单元');
    // a grid worker of grid B sees none of them
    const gridB = await signIn(t.app, c.grids.b, 'Staff-pass-2026');
    expect((await gridB.get(`/api/recalls?roundId=${c.roundId}`)).json().items).toEqual([]);
    // the resident's own page shows the result
    const tests = (await admin.get(`/api/residents/${c.residentIds[5]}/tests?limit=100`)).json();
    expect(tests.items.find((x: { tube: string }) => x.tube === c.tubes.p2)).toMatchObject({ result: 'positive', poolSize: 5 });
  });

  it('single-tube retests close the recall; a correction is kept and audit-logged', async () => {
    const c = await resulted('RT');
    const r = { r5: 'RT-R5', r6: 'RT-R6', r7: 'RT-R7' };
    await ok(c.scan(r.r5, c.ids[5], 'single'), 200);
    await ok(c.scan(r.r6, c.ids[6], 'single'), 200);
    await ok(c.scan(r.r7, c.ids[7], 'single'), 200);
    await ok(c.sampler.post('/api/boxes', { barcode: 'RT-BOX2', tubes: Object.values(r) }), 200);
    // results need a box the lab received (issue 11, 5)
    await ok(c.sampler.post('/api/boxes/RT-BOX2/handover', { carrier: '转运 李师傅' }), 200);
    await ok(lab.post('/api/boxes/RT-BOX2/receive', { labName: '金域检验', tubes: Object.values(r) }), 200);
    const res = await lab.post('/api/results', { results: [{ tube: r.r5, result: 'negative' }, { tube: r.r6, result: 'positive' }, { tube: r.r7, result: 'invalid' }] });
    expect(res.json()).toMatchObject({ committed: true, retested: 3 });
    const open = (await c.officer.get(`/api/recalls?roundId=${c.roundId}&open=true`)).json().items;
    expect(open.map((x: { resident: { name: string } }) => x.resident.name)).toEqual(['居民7']); // invalid retest: still open
    const all = (await c.officer.get(`/api/recalls?roundId=${c.roundId}`)).json().items;
    expect(all.find((x: { resident: { name: string } }) => x.resident.name === '居民6')).toMatchObject({ outcome: 'positive', retestTube: r.r6 });

    const corrections = async () =>
      (await t.ctx.db.query<{ n: number }>("SELECT count(*) AS n FROM audit_log a JOIN tubes t ON t.id::text = a.entity_id WHERE a.action = 'result.correct' AND a.entity = 'tube' AND t.barcode = $1", [c.tubes.s1])).rows[0].n;
    expect(await corrections()).toBe(0);
    const fix = await lab.post('/api/results', { results: [{ tube: c.tubes.s1, result: 'invalid' }] });
    expect(fix.json()).toMatchObject({ corrected: 1, recalled: 1 });
    expect(await corrections()).toBe(1);
    const history = await t.ctx.db.query<{ result: string; corrects: number | null }>(
      'SELECT r.result, r.corrects FROM tube_results r JOIN tubes t ON t.id = r.tube_id WHERE t.barcode = $1 ORDER BY r.id',
      [c.tubes.s1],
    );
    expect(history.rows.map((h) => h.result)).toEqual(['negative', 'invalid']);
    expect(history.rows[1].corrects).not.toBeNull();
    expect((await c.sampler.post('/api/results', { results: [{ tube: c.tubes.s1, result: 'negative' }] })).statusCode).toBe(403);
  });
});

describe('coverage mid-round (清楼)', () => {
  it('drills down community → grid → building with sampled, exempt and missing', async () => {
    const c = await sampled('CV');
    await c.officer.inject({ method: 'PUT', url: `/api/rounds/${c.roundId}/exemptions/${c.residentIds[8]}`, payload: { reason: 'hospitalised', note: '市一院' } });
    const top = (await c.officer.get(`/api/rounds/${c.roundId}/coverage`)).json();
    // sampled: 居民0–7 and 李娜 (B); exempt: the baby (age) and 居民8 (hospitalised); missing: 张伟 (A)
    expect(top.totals).toEqual({ expected: 12, sampled: 9, exempt: 2, missing: 1 });
    const grids = (await c.officer.get(`/api/rounds/${c.roundId}/coverage?placeId=${c.compound}`)).json();
    expect(grids.rows.map((r: { name: string; missing: number }) => [r.name, r.missing])).toEqual([
      ['第一网格', 1],
      ['第二网格', 0],
    ]);
    const buildings = (await c.officer.get(`/api/rounds/${c.roundId}/coverage?by=building`)).json();
    expect(buildings.rows[0]).toMatchObject({ name: '1号楼', within: '幸福里小区 第一网格', expected: 11, missing: 1 });
    const names = (await c.officer.get(`/api/rounds/${c.roundId}/missing?placeId=${c.buildingA}&limit=10`)).json();
    expect(names.items.map((m: { name: string }) => m.name)).toEqual(['张伟']);
    expect(names.items[0].address).toBe('幸福里小区 1号楼 1单元 101');
    const xlsx = await c.officer.get(`/api/rounds/${c.roundId}/missing.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('pages the missing list by address without repeats', async () => {
    const c = await sampled('PG');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { name: string }[]; nextCursor: string | null } = (await c.officer.get(`/api/rounds/${c.roundId}/missing?limit=1${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((i) => i.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(['居民8', '张伟'].sort());
    expect((await c.officer.get(`/api/rounds/${c.roundId}/missing?cursor=bad!`)).json().error.field).toBe('cursor');
  });
});

describe('the time-slot plan', () => {
  it('plans buildings into slots at the nearest site, queryable by building, editable', async () => {
    const c = await fresh('SC');
    const plan = await c.officer.post(`/api/rounds/${c.roundId}/schedule`, { maxQueuePerLane: 10, slotMinutes: 30 });
    expect(plan.statusCode, plan.body).toBe(200);
    expect(plan.json()).toMatchObject({ buildings: 2, people: 12, unplaced: 0 });
    expect(plan.json().simulation.maxWaitingPerLane).toBeLessThanOrEqual(10);
    const slots = (await c.officer.get(`/api/rounds/${c.roundId}/slots?placeId=${c.buildingA}`)).json().items;
    expect(slots[0]).toMatchObject({ building: '1号楼', within: '幸福里小区 第一网格', site: '广场采样点', people: 11 });
    const hour = 3_600_000;
    const moved = await c.officer.patch(`/api/slots/${slots[0].id}`, { startsAt: slots[0].startsAt, endsAt: new Date(Date.parse(slots[0].startsAt) + hour).toISOString() });
    expect(moved.statusCode, moved.body).toBe(200);
    const again = (await c.officer.get(`/api/rounds/${c.roundId}/schedule`)).json();
    expect(again.slots).toBe(2);
    expect(again.parameters).toMatchObject({ maxQueuePerLane: 10, slotMinutes: 30 }); // the plan's own, not defaults
    expect((await c.sampler.post(`/api/rounds/${c.roundId}/schedule`, {})).statusCode).toBe(403);
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

  it('shows figures and pushes an update after a scan, without reloading', async () => {
    const c = await received('BD');
    await ok(lab.post('/api/results', { results: [{ tube: c.tubes.p1, result: 'negative' }, { tube: c.tubes.p2, result: 'positive' }, { tube: c.tubes.s1, result: 'invalid' }] }), 200);
    const b = (await c.officer.get(`/api/campaigns/${c.campaignId}/board`)).json();
    // nine sampled of twelve; open recalls: the three of the positive pool and 李娜 (invalid)
    expect(b).toMatchObject({ expected: 12, samples: 9, tubes: { negative: 1, positive: 1, invalid: 1 }, recalls: { open: 4 } });
    // a round this campaign does not have is refused, not quietly swapped for the current one
    const unknown = await c.officer.get(`/api/campaigns/${c.campaignId}/board?roundId=999999`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ code: 'ROUND_NOT_FOUND', field: 'roundId' });
    const events: { samples: number }[] = [];
    const res = await fetch(`${base}/api/campaigns/${c.campaignId}/board/stream`, { headers: { cookie: `fk_session=${c.officer.token}` } });
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
    await c.scan('BD-P9', c.ids[8]);
    events.push(await next());
    expect(events[1].samples).toBe(events[0].samples + 1);
    await reader.cancel();
    expect(server.listening).toBe(true);
  });
});
