// Mass testing at district scale (the testing issue's figures), on a generated district:
// PostgreSQL (default 1,000,000 residents) or, with BENCH_DB=pglite, the app's embedded
// PGlite (default 10,000):
// - lane scans over HTTP at 50 concurrent clients vs a bare Fastify route doing one INSERT
//   into a table shaped like samples (target: ≥ 0.5 of its throughput, p99 < 50 ms);
// - an offline batch of 1,000 scans (target < 1 s);
// - mid-round (half the district sampled): the not-yet-sampled list of the largest
//   community (target p95 < 50 ms) and the per-building coverage of the whole district
//   (target < 1 s); the campaign board vs a bare count(*) of samples;
// - importing results for every tube of the round (up to 100,000 tubes of 10, 1,000,000
//   people) with recall lists (< 10 s).
// The mid-round state is written with SQL (the reads are what is measured here; writes
// through the lane are the first figure); on PGlite with the app stopped meanwhile.
import { apiClient, openDistrictCampaign, peopleToScan, scanBody, scanPicker, spreadLanes } from './lib/campaign.js';
import { openBenchDatabase, PGLITE_NOTES, type Sql } from './lib/database.js';
import { BENCH_ADMIN_PASSWORD, DATABASE, DEFAULT_RESIDENTS, ON_PGLITE } from './lib/district.js';
import { percentiles, runLoad } from './lib/load.js';
import { printAndSave, type Figure } from './lib/report.js';
import { signInCookie } from './lib/server.js';

const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? DEFAULT_RESIDENTS);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;

const db = await openBenchDatabase(RESIDENTS);
const rows = async <T = Record<string, unknown>>(q: Sql, text: string, params: unknown[] = []) => (await q.query<T>(text, params)).rows;
// before the app starts, so on PGlite it costs no restart
const people = await db.sql((q) => peopleToScan(q));

const app = await db.startApp(3911);
const cookie = await signInCookie(app.url, 'admin', BENCH_ADMIN_PASSWORD);
const api = apiClient(app.url, cookie);

// ---- a fresh campaign over the whole district: a site per community, 856 lanes in all
const campaign = await openDistrictCampaign(db, api);
const { roundId, lanes } = campaign;
console.log(`campaign ${campaign.id}: ${campaign.communities} sites, ${lanes.length} lanes; ${people.length.toLocaleString('en')} people to scan`);
const nextScan = scanPicker(people, spreadLanes(lanes, CONNECTIONS));

const figures: Figure[] = [];
// VmHWM after each step: which step the app's peak memory belongs to.
const rssSteps: string[] = [];
const rssAfter = (step: string) => rssSteps.push(`${step} ${app.peakRssMb()} MB`);
rssAfter('start');
const bare = await db.startBare(3912, { BARE_INSERT: '1' });

// ---- 1. lane scans at 50 clients vs one bare INSERT
const scans = await runLoad({
  url: app.url,
  connections: CONNECTIONS,
  durationSeconds: SECONDS,
  headers: { cookie },
  next: () => ({ path: '/api/scans', method: 'POST', body: scanBody(nextScan('L')) }),
});
const bareScans = await runLoad({
  url: bare.url,
  connections: CONNECTIONS,
  durationSeconds: SECONDS,
  next: () => {
    const s = nextScan('B');
    return { path: '/bare/insert', method: 'POST', body: JSON.stringify({ key: s.key, roundId, tubeId: s.seq, residentId: s.person.id, placePath: s.person.path, siteId: 1, laneId: s.laneId }) };
  },
});
if (scans.non2xx || scans.errors) throw new Error(`lane scans: ${scans.non2xx} non-2xx, ${scans.errors} errors`);
figures.push(
  { name: 'lane scans: throughput', value: scans.throughput, unit: 'scans/s', limit: { name: 'bare INSERT route', value: bareScans.throughput, unit: 'req/s' }, ratio: scans.throughput / bareScans.throughput, target: '≥ 0.5', pass: scans.throughput / bareScans.throughput >= 0.5 },
  { name: 'lane scans: p99', value: scans.p99, unit: `ms (p50 ${scans.p50}, p95 ${scans.p95})`, limit: { name: 'bare p99', value: bareScans.p99, unit: 'ms' }, target: '< 50 ms', pass: scans.p99 < 50 },
);
rssAfter('lane scans');

// ---- 2. offline batches of 1,000 scans
const batchMs: number[] = [];
for (let b = 0; b < 5; b++) {
  const batch = Array.from({ length: 1000 }, () => {
    const s = nextScan(`OFF${b}`);
    return { key: s.key, laneId: s.laneId, tube: s.tube, idNumber: s.idNumber, idType: s.idType, at: new Date(Date.now() - 60_000).toISOString() };
  });
  const r = await api<{ recorded: number; rejected: number; items: { ok: boolean; error?: { code: string } }[] }>('POST', '/api/scans/batch', { scans: batch });
  if (r.status !== 200 || r.data.recorded !== 1000) {
    const codes = (r.data.items ?? []).filter((i) => !i.ok).map((i) => i.error?.code);
    throw new Error(`batch: ${r.status}, ${r.data.rejected} rejected: ${[...new Set(codes)].join(', ')}`);
  }
  batchMs.push(r.ms);
}
rssAfter('offline batches');
const batch = percentiles(batchMs);
figures.push({ name: 'offline batch of 1,000 scans: sync time', value: Math.round(batch.p50), unit: `ms median of 5 (max ${Math.round(batch.max)})`, limit: { name: 'issue limit', value: 1000, unit: 'ms' }, ratio: 1000 / batch.max, target: '< 1 s', pass: batch.max < 1000 });

// ---- mid-round: half the district sampled, in tubes of ten (SQL, see the header)
async function sampleWith(q: Sql, where: string, prefix: string) {
  await q.query(`CREATE TEMP TABLE pick AS SELECT id, place_path, row_number() OVER (ORDER BY place_path, id) - 1 AS rn FROM residents r
             WHERE archived_at IS NULL AND ${where} AND NOT EXISTS (SELECT 1 FROM samples s WHERE s.round_id = $1 AND s.resident_id = r.id)`, [roundId]);
  await q.query(`INSERT INTO tubes (round_id, barcode, pool_size, site_id, lane_id, people, sealed_at)
             SELECT $1, $2 || lpad((rn / 10)::text, 7, '0'), 10, $3, $4, count(*), now() FROM pick GROUP BY rn / 10`, [roundId, prefix, lanes[0].siteId, lanes[0].id]);
  await q.query(`INSERT INTO samples (round_id, tube_id, resident_id, place_path, site_id, lane_id, idempotency_key)
             SELECT $1, t.id, p.id, p.place_path, $3, $4, gen_random_uuid() FROM pick p JOIN tubes t ON t.barcode = $2 || lpad((p.rn / 10)::text, 7, '0')`, [roundId, prefix, lanes[0].siteId, lanes[0].id]);
  await q.query('DROP TABLE pick');
  await q.exec('ANALYZE samples; ANALYZE tubes');
}
const largest = await db.sql(async (q) => {
  // counted here, not right after the scans: on PGlite that would restart the app just before the timed batches
  const [{ n: recorded }] = await rows<{ n: number }>(
    q,
    `SELECT count(*)::int AS n FROM samples s JOIN tubes t ON t.id = s.tube_id WHERE t.barcode LIKE 'L-%'`,
  );
  console.log(`lane scans recorded: ${recorded.toLocaleString('en')} (autocannon counted ${scans.requests.toLocaleString('en')})`);
  await sampleWith(q, 'id % 2 = 0', 'M');
  const [community] = await rows<{ id: number; name: string; n: number }>(
    q,
    `SELECT p.id, p.name, (SELECT count(*)::int FROM residents r WHERE r.place_path LIKE p.path || '%') AS n FROM places p WHERE kind = 'community' ORDER BY n DESC LIMIT 1`,
  );
  return community;
});

// ---- 3. not-yet-sampled list of the largest community, and per-building coverage of the district
const missing = await runLoad({ url: app.url, connections: 10, durationSeconds: SECONDS, headers: { cookie }, next: () => ({ path: `/api/rounds/${roundId}/missing?placeId=${largest.id}&limit=50` }) });
if (missing.non2xx || missing.errors) throw new Error(`missing list: ${missing.non2xx} non-2xx`);
figures.push({ name: `not-yet-sampled list, ${largest.name} (${largest.n.toLocaleString('en')} residents, half sampled): p95`, value: missing.p95, unit: `ms (p50 ${missing.p50}, p99 ${missing.p99}, ${missing.throughput} req/s at 10 clients)`, limit: { name: 'issue limit', value: 50, unit: 'ms' }, ratio: 50 / Math.max(missing.p95, 1), target: '< 50 ms', pass: missing.p95 < 50 });

const covMs: number[] = [];
let buildings = 0;
for (let i = 0; i < 5; i++) {
  const r = await api<{ rows: unknown[]; totals: { expected: number; sampled: number } }>('GET', `/api/rounds/${roundId}/coverage?by=building&placeId=${campaign.districtId}`);
  if (r.status !== 200) throw new Error(`coverage: ${JSON.stringify(r.data).slice(0, 300)}`);
  buildings = r.data.rows.length;
  covMs.push(r.ms);
}
rssAfter('missing list and coverage');
const cov = percentiles(covMs);
figures.push({ name: `per-building coverage of the district (${buildings.toLocaleString('en')} buildings)`, value: Math.round(cov.p50), unit: `ms median of 5 (max ${Math.round(cov.max)})`, limit: { name: 'issue limit', value: 1000, unit: 'ms' }, ratio: 1000 / cov.max, target: '< 1 s', pass: cov.max < 1000 });

// the board (dashboard figures) vs a bare count(*) of samples
const boardMs: number[] = [];
for (let i = 0; i < 5; i++) boardMs.push((await api('GET', `/api/campaigns/${campaign.id}/board`)).ms);
const { countMs, tubes } = await db.sql(async (q) => {
  const countMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await q.query('SELECT count(*) FROM samples');
    countMs.push(performance.now() - t0);
  }
  // ---- 4. everyone sampled; results for 100,000 tubes of ten, with 100 positive pools
  await sampleWith(q, 'id % 2 = 1', 'N');
  await q.query('UPDATE tubes SET sealed_at = now() WHERE sealed_at IS NULL');
  // every tube of the round (the lanes' and the SQL-filled ones), up to 100,000
  const tubes = await rows<{ barcode: string; people: number }>(q, 'SELECT barcode, people FROM tubes WHERE round_id = $1 AND people > 0 ORDER BY barcode LIMIT 100000', [roundId]);
  return { countMs, tubes };
});
const boardP = percentiles(boardMs);
const countP = percentiles(countMs);
figures.push({ name: 'campaign board for the district', value: Math.round(boardP.p50), unit: `ms median of 5 (first ${Math.round(boardMs[0])})`, limit: { name: 'bare count(*) of samples', value: Math.round(countP.p50), unit: 'ms' }, ratio: countP.p50 / boardP.p50, target: '< 1 s', pass: boardP.max < 1000 });

const peopleInTubes = tubes.reduce((a, t) => a + t.people, 0);
const csv = ['试管条码,结果', ...tubes.map((t, i) => `${t.barcode},${i % 1000 === 7 ? '阳性' : '阴性'}`)].join('\n');
const form = new FormData();
form.append('file', new Blob([csv], { type: 'text/csv' }), 'results.csv');
const t0 = performance.now();
const res = await fetch(`${app.url}/api/results/import`, { method: 'POST', headers: { cookie }, body: form });
const importMs = performance.now() - t0;
const summary = (await res.json()) as { committed: boolean; rows: number; positive: number; recalled: number };
if (!summary.committed) throw new Error(`results: ${JSON.stringify(summary).slice(0, 500)}`);
figures.push({ name: `result import: ${summary.rows.toLocaleString('en')} tubes (${peopleInTubes.toLocaleString('en')} people), ${summary.positive} positive pools → ${summary.recalled.toLocaleString('en')} recalls`, value: Math.round(importMs), unit: 'ms', limit: { name: 'issue limit', value: 10_000, unit: 'ms' }, ratio: 10_000 / importMs, target: '< 10 s', pass: importMs < 10_000 });

rssAfter('result import');
const peak = { app: app.peakRssMb(), bare: bare.peakRssMb() };
await app.stop();
await bare.stop();
await db.close();
printAndSave({
  bench: 'testing',
  database: DATABASE,
  residents: RESIDENTS,
  figures,
  peakRssMb: peak,
  notes: [
    `lane scans: ${CONNECTIONS} clients × ${SECONDS} s, each a real ID number into a 10-in-1 tube at one of ${CONNECTIONS} lanes; the bare route inserts into a copy of the samples table (LIKE samples INCLUDING ALL)`,
    'mid-round and full-round states written with SQL (half, then all residents in tubes of ten); the figures are the reads and the result import over HTTP',
    `not-yet-sampled list: the first page (50 names, by address) at 10 concurrent clients`,
    'load from a separate process (autocannon in the bench process)',
    `app peak RSS after each step: ${rssSteps.join(', ')}`,
    ...PGLITE_NOTES,
    ...(ON_PGLITE
      ? [
          `the app stops for each step of SQL of the benchmark's own (opening the campaign, the mid-round states, the bare count(*)) and starts again after it, so the reads after one start on a fresh process; peak RSS is the largest of its processes`,
        ]
      : []),
  ],
});
