// Zones, colours and gates at district scale (issue 14), on PostgreSQL with the 1,000,000-resident
// district (or BENCH_DB=pglite, 10,000):
// - gate checks at 50 concurrent devices (a personal code each, at one of the district's gates)
//   vs a bare Fastify route doing one indexed SELECT on the same pool (target ≥ 0.5 of its
//   throughput, p99 < 30 ms);
// - sealing ~10,000 residents (every compound of the largest community, one request): from the
//   request to a gate stopping one of them (target < 2 s); sealing the whole district (1,000,000):
//   the same (target < 10 s). Colours are read from the facts at each check, so "visible at a
//   gate" is the declaration's commit plus one check; both are timed, end to end over HTTP.
import crypto from 'node:crypto';
import { residentCode } from '../server/src/platform/codes.js';
import { openBenchDatabase, PGLITE_NOTES, type Sql } from './lib/database.js';
import { BENCH_ADMIN_PASSWORD, DATABASE, DEFAULT_RESIDENTS, sampleResidents, vault } from './lib/district.js';
import { runLoad } from './lib/load.js';
import { printAndSave, type Figure } from './lib/report.js';
import { signInCookie } from './lib/server.js';

const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? DEFAULT_RESIDENTS);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = 50;

const db = await openBenchDatabase(RESIDENTS);
const rows = async <T = Record<string, unknown>>(q: Sql, text: string, params: unknown[] = []) => (await q.query<T>(text, params)).rows;

// after the start: the app's migrations make the tables
const app = await db.startApp(3931);
const bare = await db.startBare(3932);
const setup = await db.sql(async (q) => {
  // earlier runs' zones would colour this run's people; their checks and visitors are this bench's own
  await q.exec(`UPDATE zones SET ended_at = now(), ended_how = 'lifted', end_reason = 'bench reset' WHERE ended_at IS NULL; TRUNCATE gate_checks`);
  const gates = await rows<{ id: number; parent_path: string }>(q, `SELECT g.id, p.path AS parent_path FROM places g JOIN places p ON p.id = g.parent_id WHERE g.kind = 'entrance' AND g.archived_at IS NULL ORDER BY g.id`);
  // people and the gates of their compounds (a gate checks its own compound's residents): the
  // compound's path is the first four steps of a resident's (district, street, community, compound)
  const people = await rows<{ id: number; gate: number }>(
    q,
    `SELECT r.id, (SELECT g.id FROM places g WHERE g.parent_id = p.id AND g.kind = 'entrance' ORDER BY g.id LIMIT 1) AS gate
       FROM (SELECT id, place_path FROM residents TABLESAMPLE SYSTEM (5) WHERE archived_at IS NULL LIMIT 20000) r
       JOIN places p ON p.path = substring(r.place_path FROM '^(/[0-9]+/[0-9]+/[0-9]+/[0-9]+/)') AND p.kind = 'compound'
      WHERE EXISTS (SELECT 1 FROM places g WHERE g.parent_id = p.id AND g.kind = 'entrance')
      LIMIT 10000`,
  );
  const community = (
    await rows<{ id: number; name: string; compounds: number[]; residents: number }>(
      q,
      // residents counted by their community's path (the first three steps of theirs): one pass over residents
      `WITH per AS (SELECT substring(place_path FROM '^(/[0-9]+/[0-9]+/[0-9]+/)') AS path, count(*)::int AS n
                      FROM residents WHERE archived_at IS NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1)
       SELECT c.id, c.name, (SELECT array_agg(p.id) FROM places p WHERE p.parent_id = c.id AND p.kind = 'compound') AS compounds, per.n AS residents
         FROM per JOIN places c ON c.path = per.path AND c.kind = 'community'`,
    )
  )[0];
  // one resident of that community, and the gate of their compound
  const sealedOne = (
    await rows<{ id: number; gate: number }>(
      q,
      `SELECT r.id, g.id AS gate FROM places p JOIN places g ON g.parent_id = p.id AND g.kind = 'entrance'
         CROSS JOIN LATERAL (SELECT id FROM residents WHERE place_path ~>=~ p.path AND place_path ~<~ (p.path || '~') AND archived_at IS NULL LIMIT 1) r
        WHERE p.id = ANY($1::int[]) LIMIT 1`,
      [community.compounds],
    )
  )[0];
  const district = (await rows<{ id: number }>(q, 'SELECT id FROM places WHERE parent_id IS NULL ORDER BY id LIMIT 1'))[0].id;
  return { gates, people, community, sealedOne, district };
});
const blinds = await db.sql((q) => sampleResidents(q, 5000));
if (setup.people.length === 0) throw new Error('the district has no gates with residents behind them');
console.log(`${setup.gates.length} gates; ${setup.people.length} people behind ${new Set(setup.people.map((p) => p.gate)).size} of them; sealing ${setup.community.name} (${setup.community.residents} residents in ${setup.community.compounds.length} compounds)`);

const cookie = await signInCookie(app.url, 'admin', BENCH_ADMIN_PASSWORD);
const post = async (path: string, body: unknown) => {
  const started = performance.now();
  const res = await fetch(app.url + path, { method: 'POST', headers: { cookie, origin: app.url, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return { data: (await res.json()) as Record<string, unknown>, ms: performance.now() - started };
};
const figures: Figure[] = [];

// ---- 1. gate checks at 50 devices vs one bare indexed SELECT
const checkBody = (p: { id: number; gate: number }) => JSON.stringify({ key: crypto.randomUUID(), code: residentCode(vault, p.id), direction: 'in', temperature: 36.5 });
let n = 0;
// warm the app (JIT, pools) on a few hundred checks first
await runLoad({ url: app.url, connections: 10, durationSeconds: 2, headers: { cookie, origin: app.url }, next: () => { const p = setup.people[n++ % setup.people.length]; return { path: `/api/gates/${p.gate}/checks`, method: 'POST', body: checkBody(p) }; } });
const checks = await runLoad({
  url: app.url,
  connections: CONNECTIONS,
  durationSeconds: SECONDS,
  headers: { cookie, origin: app.url },
  next: () => {
    const p = setup.people[n++ % setup.people.length];
    return { path: `/api/gates/${p.gate}/checks`, method: 'POST', body: checkBody(p) };
  },
});
if (checks.non2xx || checks.errors) throw new Error(`gate checks: ${checks.non2xx} non-2xx, ${checks.errors} errors`);
let b = 0;
const bareSelect = await runLoad({ url: bare.url, connections: CONNECTIONS, durationSeconds: SECONDS, next: () => ({ path: `/bare/select-by-blind?blind=${blinds[b++ % blinds.length].blindHex}` }) });
figures.push(
  { name: 'gate checks: throughput', value: checks.throughput, unit: 'checks/s', limit: { name: 'bare indexed SELECT route', value: bareSelect.throughput, unit: 'req/s' }, ratio: checks.throughput / bareSelect.throughput, target: '≥ 0.5', pass: checks.throughput / bareSelect.throughput >= 0.5 },
  { name: 'gate checks: p99', value: checks.p99, unit: `ms (p50 ${checks.p50}, p95 ${checks.p95})`, limit: { name: 'bare p99', value: bareSelect.p99, unit: 'ms' }, target: '< 30 ms', pass: checks.p99 < 30 },
);

// ---- 2. sealing: from the request to a gate's STOP
async function sealAndStop(placeIds: number[], person: { id: number; gate: number }) {
  const started = performance.now();
  const declared = await post('/api/zones', { key: crypto.randomUUID(), placeIds, policy: 'sealed', reason: 'bench: sealing' });
  const check = await post(`/api/gates/${person.gate}/checks`, { key: crypto.randomUUID(), code: residentCode(vault, person.id), direction: 'out' });
  const total = performance.now() - started;
  if (check.data.decision !== 'stop') throw new Error(`the gate did not stop a sealed resident: ${JSON.stringify(check.data)}`);
  const zones = declared.data.items as { id: number; residents: number }[];
  return { total, declareMs: declared.ms, checkMs: check.ms, zones, residents: zones.reduce((a, z) => a + z.residents, 0) };
}
async function lift(zones: { id: number }[]) {
  for (const z of zones) await post(`/api/zones/${z.id}/lift`, { reason: 'bench: lifted' });
}
const compound = await sealAndStop(setup.community.compounds, setup.sealedOne);
await lift(compound.zones);
const person = setup.people[0];
const district = await sealAndStop([setup.district], person);
await lift(district.zones);
figures.push(
  {
    name: `sealing ${compound.residents.toLocaleString('en')} residents (${setup.community.compounds.length} compounds of ${setup.community.name}): request to a gate's STOP`,
    value: Math.round(compound.total),
    unit: `ms (declaring ${Math.round(compound.declareMs)} ms, the check ${Math.round(compound.checkMs)} ms)`,
    limit: { name: 'issue limit', value: 2000, unit: 'ms' },
    ratio: 2000 / Math.max(compound.total, 1),
    target: '< 2 s',
    pass: compound.total < 2000,
  },
  {
    name: `sealing the whole district (${district.residents.toLocaleString('en')} residents): request to a gate's STOP`,
    value: Math.round(district.total),
    unit: `ms (declaring ${Math.round(district.declareMs)} ms, the check ${Math.round(district.checkMs)} ms)`,
    limit: { name: 'issue limit', value: 10000, unit: 'ms' },
    ratio: 10000 / Math.max(district.total, 1),
    target: '< 10 s',
    pass: district.total < 10000,
  },
);
const peak = app.peakRssMb();
await app.stop();
await bare.stop();
await db.close();
printAndSave({
  bench: 'gates',
  database: DATABASE,
  residents: RESIDENTS,
  figures,
  peakRssMb: { app: peak },
  notes: [
    `gate checks: ${CONNECTIONS} connections × ${SECONDS} s, each a personal code of a resident behind one of ${new Set(setup.people.map((p) => p.gate)).size} gates, direction in, a temperature; every check logged; the bare route selects one resident by blind index`,
    'a colour is not stored: each check reads the person’s facts (zones over the home, positives, antigen, last sample, overrides), so a declaration is visible at the next check',
    'load from a separate process (autocannon in the bench process)',
    ...PGLITE_NOTES,
  ],
});
