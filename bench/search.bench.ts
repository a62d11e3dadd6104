// Resident search by ID, name and phone at 50 concurrent clients, against a bare indexed
// SELECT route on the same database and pool size (issue: benchmarks and scale); on
// PostgreSQL, or with BENCH_DB=pglite on embedded PGlite (one connection per process).
import { openBenchDatabase, PGLITE_NOTES } from './lib/database.js';
import { BENCH_ADMIN_PASSWORD, DATABASE, DEFAULT_RESIDENTS, sampleResidents } from './lib/district.js';
import { runLoad, type LoadFigures } from './lib/load.js';
import { printAndSave, type Figure } from './lib/report.js';
import { signInCookie } from './lib/server.js';

const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? DEFAULT_RESIDENTS);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;

const db = await openBenchDatabase(RESIDENTS);
const samples = await db.sql((q) => sampleResidents(q, 2000));
const withPhone = samples.filter((s) => s.phone);
let i = 0;
const pick = <T>(xs: T[]) => xs[i++ % xs.length];

const app = await db.startApp(3901);
const cookie = await signInCookie(app.url, 'admin', BENCH_ADMIN_PASSWORD);
const bare = await db.startBare(3902);

const figures: Figure[] = [];
const cases: { name: string; app: () => string; bare: () => string }[] = [
  { name: 'by ID number', app: () => `/api/residents?idNumber=${pick(samples).idNumber}`, bare: () => `/bare/select-by-blind?blind=${pick(samples).blindHex}` },
  { name: 'by name prefix', app: () => `/api/residents?name=${encodeURIComponent(pick(samples).namePrefix)}`, bare: () => `/bare/select-by-name?name=${encodeURIComponent(pick(samples).namePrefix)}` },
  { name: 'by phone', app: () => `/api/residents?phone=${pick(withPhone).phone}`, bare: () => `/bare/select-by-phone?phone=${pick(withPhone).phone}` },
];
for (const c of cases) {
  const a: LoadFigures = await runLoad({ url: app.url, connections: CONNECTIONS, durationSeconds: SECONDS, headers: { cookie }, next: () => ({ path: c.app() }) });
  const b: LoadFigures = await runLoad({ url: bare.url, connections: CONNECTIONS, durationSeconds: SECONDS, next: () => ({ path: c.bare() }) });
  if (a.non2xx || a.errors) throw new Error(`search ${c.name}: ${a.non2xx} non-2xx, ${a.errors} errors`);
  figures.push(
    { name: `search ${c.name}: throughput`, value: a.throughput, unit: 'req/s', limit: { name: 'bare indexed SELECT', value: b.throughput, unit: 'req/s' }, ratio: a.throughput / b.throughput },
    { name: `search ${c.name}: p50 / p95 / p99`, value: a.p99, unit: `ms p99 (p50 ${a.p50}, p95 ${a.p95})`, limit: { name: 'bare p99', value: b.p99, unit: 'ms' }, ratio: b.p99 / Math.max(a.p99, 1) },
  );
}
const peak = { app: app.peakRssMb(), bare: bare.peakRssMb() };
await app.stop();
await bare.stop();
await db.close();
printAndSave({
  bench: 'search',
  database: DATABASE,
  residents: RESIDENTS,
  figures,
  peakRssMb: peak,
  notes: [
    `${CONNECTIONS} connections, ${SECONDS} s per case, admin scope (the whole district)`,
    'load from a separate process (autocannon in the bench process)',
    ...PGLITE_NOTES,
  ],
});
