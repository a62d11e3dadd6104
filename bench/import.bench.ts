// Resident import of a generated ledger (default 1,000,000 rows; on PGlite 10,000) from CSV
// through the real import path over HTTP (upload, dry run, then the all-or-nothing commit),
// against COPY of the same file into a bare table of text columns on the same kind of
// database (PostgreSQL, or with BENCH_DB=pglite an embedded PGlite folder of its own); and
// the server's peak memory through it (the file must stream, never sit in memory).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDb } from '../server/src/db/client.js';
import { LEDGER_COLUMNS } from '../server/src/modules/registry/index.js';
import { appEnv, BENCH_ADMIN_PASSWORD, DATABASE, DEFAULT_RESIDENTS, ON_PGLITE, pgliteIn } from './lib/district.js';
import { printAndSave } from './lib/report.js';
import { APP, signInCookie, startServer } from './lib/server.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? DEFAULT_RESIDENTS);
const BARE_LEDGER = `CREATE TABLE bare_ledger (${LEDGER_COLUMNS.map((c) => `"${c.key}" text`).join(', ')})`;

const file = path.join(os.tmpdir(), `fk-bench-import-${ROWS}.csv`);
function writeLedger() {
  if (fs.existsSync(file)) return;
  console.log(`writing a ${ROWS.toLocaleString('en')}-row ledger to ${file} …`);
  // In a child process, so the generator's memory does not count against the import's.
  execFileSync(process.execPath, ['--import', 'tsx', 'server/src/db/seed/generate-cli.ts', '--residents', String(ROWS), '--seed', '42', '--csv', file], { stdio: 'inherit' });
}

/** An empty database for the app to import into, and the bare limit: seconds to COPY the same bytes into a table of text columns. */
async function postgresTarget(): Promise<{ env: Record<string, string>; copySeconds: number }> {
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/fk_bench';
  const url = new URL(base);
  url.pathname = '/fk_bench_import';
  const admin = new URL(base);
  admin.pathname = '/postgres';

  async function sql(connection: string, text: string) {
    const c = new pg.Client({ connectionString: connection });
    await c.connect();
    await c.query(text);
    await c.end();
  }
  await sql(admin.toString(), 'DROP DATABASE IF EXISTS fk_bench_import');
  await sql(admin.toString(), 'CREATE DATABASE fk_bench_import');
  writeLedger();

  await sql(url.toString(), BARE_LEDGER);
  const t = Date.now();
  execFileSync('psql', [url.toString(), '-qc', `\\copy bare_ledger FROM '${file}' WITH (FORMAT csv, HEADER true)`]);
  return { env: { ...appEnv({ url: url.toString() }, 3931), DATA_DIR: os.tmpdir() }, copySeconds: (Date.now() - t) / 1000 };
}

/** The same on PGlite: the app on an empty folder, the bare COPY in this process on another. */
async function pgliteTarget(): Promise<{ env: Record<string, string>; copySeconds: number }> {
  const appDir = path.join(os.tmpdir(), 'fk-bench-import-pglite');
  const bareDir = path.join(os.tmpdir(), 'fk-bench-import-pglite-bare');
  for (const dir of [appDir, bareDir]) fs.rmSync(dir, { recursive: true, force: true });
  // Created here, as CREATE DATABASE is on PostgreSQL: PGlite's initdb peaks near 800 MB, which is not the import's memory.
  await (await openDb({ dataDir: pgliteIn(appDir) })).close();
  writeLedger();

  const bare = await openDb({ dataDir: pgliteIn(bareDir) });
  await bare.query(BARE_LEDGER);
  const t = Date.now();
  // PGlite has no file system of the host: COPY reads the file handed over as a blob.
  await bare.pglite!.query(`COPY bare_ledger FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`, [], { blob: await fs.openAsBlob(file) });
  const copySeconds = (Date.now() - t) / 1000;
  await bare.close();
  fs.rmSync(bareDir, { recursive: true, force: true });
  return { env: appEnv({ dataDir: appDir }, 3931), copySeconds };
}

const { env, copySeconds } = ON_PGLITE ? await pgliteTarget() : await postgresTarget();

// The real path, as a user takes it: the server as `npm start` runs it, the file uploaded
// over HTTP (streamed to disk), the dry run and the commit polled like the console polls them.
const app = await startServer(APP, env);
const cookie = await signInCookie(app.url, 'admin', BENCH_ADMIN_PASSWORD);
const call = async <T>(method: string, p: string, body?: FormData): Promise<T> => {
  const res = await fetch(app.url + p, { method, headers: { cookie }, body });
  const data = await res.json();
  if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${JSON.stringify(data).slice(0, 500)}`);
  return data as T;
};
const district = (
  await fetch(`${app.url}/api/places`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ parentId: null, kind: 'district', name: '河西区', code: '120103' }),
  }).then((r) => r.json())
) as { id: number };

interface Job {
  id: string;
  status: string;
  errorCount: number;
  failure?: unknown;
  summary: { created: number; placesCreated: number };
}
async function until(id: string, done: (j: Job) => boolean): Promise<Job> {
  for (;;) {
    const { job } = await call<{ job: Job }>('GET', `/api/imports/${id}`);
    if (done(job)) return job;
    await new Promise((r) => setTimeout(r, 500));
  }
}

let t = Date.now();
const form = new FormData();
form.append('communityId', String(district.id));
form.append('unknownPlaces', 'create');
form.append('file', await fs.openAsBlob(file, { type: 'text/csv' }), path.basename(file));
const { job } = await call<{ job: Job }>('POST', '/api/imports', form);
const uploadSeconds = (Date.now() - t) / 1000;
const rssSteps = [`upload ${app.peakRssMb()} MB`];
const validated = await until(job.id, (j) => j.status !== 'validating');
const drySeconds = (Date.now() - t) / 1000;
rssSteps.push(`dry run ${app.peakRssMb()} MB`);
if (validated.status !== 'validated' || validated.errorCount) throw new Error(`dry run: ${validated.status}, ${validated.errorCount} errors`);
t = Date.now();
await call('POST', `/api/imports/${job.id}/commit`);
const committed = await until(job.id, (j) => j.status === 'committed' || j.status === 'failed');
const commitSeconds = (Date.now() - t) / 1000;
if (committed.status !== 'committed') throw new Error(`commit failed: ${JSON.stringify(committed.failure)}`);
const peak = app.peakRssMb();
rssSteps.push(`commit ${peak} MB`);
await app.stop();

const total = drySeconds + commitSeconds;
printAndSave({
  bench: 'import',
  database: DATABASE,
  residents: ROWS,
  figures: [
    { name: 'upload and dry run (validate every row, classify against the registry)', value: drySeconds, unit: 's', lowerIsBetter: true },
    { name: 'commit (places, households, encrypted residents, one transaction)', value: commitSeconds, unit: 's', lowerIsBetter: true },
    { name: 'import throughput, dry run + commit', value: Math.round(ROWS / total), unit: 'rows/s', limit: { name: 'COPY into a bare text table', value: Math.round(ROWS / copySeconds), unit: 'rows/s' }, ratio: copySeconds / total },
    { name: 'server peak RSS through the import', value: peak, unit: 'MB', limit: { name: 'memory budget', value: 300, unit: 'MB' }, ratio: 300 / peak, target: '< 300 MB', pass: peak < 300 },
  ],
  peakRssMb: { app: peak },
  notes: [
    `created ${committed.summary.created} residents and ${committed.summary.placesCreated} places`,
    `the ${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MiB file uploaded over HTTP in ${uploadSeconds.toFixed(1)} s (streamed to disk), then read as a stream in the dry run and again in the commit`,
    `COPY took ${copySeconds < 1 ? `${Math.round(copySeconds * 1000)} ms` : `${copySeconds.toFixed(1)} s`}`,
    `server peak RSS after each step: ${rssSteps.join(', ')}`,
    ...(ON_PGLITE
      ? [
          'embedded PGlite: the app imports into an empty database folder in one process and one connection, as `npm start` runs it without DATABASE_URL, so its peak RSS includes the database; the COPY ran in the benchmark process on a folder of its own, the file handed to PGlite as a blob (it reads no host files)',
        ]
      : []),
  ],
});
