// Resident import of a generated ledger (default 1,000,000 rows) from CSV through the real
// import path (dry run, then the all-or-nothing commit), against COPY of the same file into
// a bare table of text columns on the same PostgreSQL.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openContext } from '../server/src/bootstrap.js';
import { loadConfig } from '../server/src/config.js';
import { ensureAdmin } from '../server/src/modules/accounts/service.js';
import { commitImport, settled, startImport } from '../server/src/modules/registry/import/jobs.js';
import { createPlace } from '../server/src/modules/registry/places.js';
import type { Actor } from '../server/src/platform/context.js';
import { LEDGER_COLUMNS } from '../server/src/modules/registry/columns.js';
import { BENCH_KEY } from './lib/district.js';
import { printAndSave } from './lib/report.js';
import { peakRssMb } from './lib/server.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
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

const file = path.join(os.tmpdir(), `fk-bench-import-${ROWS}.csv`);
if (!fs.existsSync(file)) {
  console.log(`writing a ${ROWS.toLocaleString('en')}-row ledger to ${file} …`);
  // In a child process, so the generator's memory does not count against the import's.
  execFileSync(process.execPath, ['--import', 'tsx', 'server/src/db/seed/generate-cli.ts', '--residents', String(ROWS), '--seed', '42', '--csv', file], { stdio: 'inherit' });
}

// The bare limit: COPY the same bytes into a table of text columns.
await sql(url.toString(), `CREATE TABLE bare_ledger (${LEDGER_COLUMNS.map((c) => `"${c.key}" text`).join(', ')})`);
let t = Date.now();
execFileSync('psql', [url.toString(), '-qc', `\\copy bare_ledger FROM '${file}' WITH (FORMAT csv, HEADER true)`]);
const copySeconds = (Date.now() - t) / 1000;

const config = { ...loadConfig(), databaseUrl: url.toString(), idEncryptionKey: BENCH_KEY, dataDir: os.tmpdir() };
const ctx = await openContext(config);
await ensureAdmin({ ...ctx, config: { ...config, adminPassword: 'Bench-admin-2026' } });
const { rows } = await ctx.db.query<{ id: number }>(`SELECT id FROM users WHERE role = 'admin'`);
const actor: Actor = { id: rows[0].id, username: 'admin', displayName: 'admin', role: 'admin', placeId: null, scopePath: '/', locale: 'zh-CN' };
const district = await createPlace(ctx, actor, { parentId: null, kind: 'district', name: '河西区', code: '120103' });

const tmp = path.join(os.tmpdir(), `fk-bench-upload-${process.pid}.csv`);
fs.copyFileSync(file, tmp); // the job owns (and deletes) its upload
t = Date.now();
const job = await startImport(ctx, actor, 'csv', { file: tmp, fileName: path.basename(file), communityId: district.id, unknownPlaces: 'create' });
const validated = await settled(actor, job.id);
const drySeconds = (Date.now() - t) / 1000;
if (validated.status !== 'validated' || validated.errorCount) throw new Error(`dry run: ${validated.status}, ${validated.errorCount} errors`);
t = Date.now();
commitImport(ctx, actor, job.id);
const committed = await settled(actor, job.id);
const commitSeconds = (Date.now() - t) / 1000;
if (committed.status !== 'committed') throw new Error(`commit failed: ${JSON.stringify(committed.failure)}`);
await ctx.db.close();

const total = drySeconds + commitSeconds;
printAndSave({
  bench: 'import',
  database: 'PostgreSQL',
  residents: ROWS,
  figures: [
    { name: 'dry run (validate every row, classify against the registry)', value: drySeconds, unit: 's', lowerIsBetter: true },
    { name: 'commit (places, households, encrypted residents, one transaction)', value: commitSeconds, unit: 's', lowerIsBetter: true },
    { name: 'import throughput, dry run + commit', value: Math.round(ROWS / total), unit: 'rows/s', limit: { name: 'COPY into a bare text table', value: Math.round(ROWS / copySeconds), unit: 'rows/s' }, ratio: copySeconds / total },
  ],
  peakRssMb: { 'import process': peakRssMb(process.pid) },
  notes: [`created ${committed.summary.created} residents and ${committed.summary.placesCreated} places`, `COPY took ${copySeconds.toFixed(1)} s`],
});
