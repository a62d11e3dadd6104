// The database a benchmark runs on, holding a generated district of the wanted size:
// BENCH_DATABASE_URL (default: a fk_bench database on the machine's PostgreSQL), or with
// BENCH_DB=pglite an embedded PGlite folder in the system's temp directory, the database the
// app uses by default. Generated once and reused while the resident count matches.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDb, type Queryable } from '../../server/src/db/client.js';
import { createIdVault } from '../../server/src/platform/crypto.js';
import { ROOT } from './server.js';

// A fixed key: the generator and the servers of one benchmark must share it. Never used outside bench/.
export const BENCH_KEY = Buffer.alloc(32, 7).toString('base64');
export const BENCH_ADMIN_PASSWORD = 'Bench-admin-2026';
export const vault = createIdVault(Buffer.from(BENCH_KEY, 'base64'));

function benchDb(): 'postgres' | 'pglite' {
  const mode = process.env.BENCH_DB || 'postgres';
  if (mode !== 'postgres' && mode !== 'pglite') throw new Error(`BENCH_DB must be postgres or pglite, got "${mode}"`);
  return mode;
}
export const ON_PGLITE = benchDb() === 'pglite';
/** The database as the results name it. */
export const DATABASE = ON_PGLITE ? 'PGlite' : 'PostgreSQL';
/** The district when BENCH_RESIDENTS is unset (the benchmarks issue): 10,000 on the laptop database, 1,000,000 on PostgreSQL. */
export const DEFAULT_RESIDENTS = ON_PGLITE ? 10_000 : 1_000_000;

export function benchDatabaseUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/fk_bench';
}

async function ensureDatabase(url: string) {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/postgres';
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  const { rows } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!rows.length) await c.query(`CREATE DATABASE "${name}"`);
  await c.end();
}

export async function residentCount(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query(`SELECT count(*)::int AS n FROM residents`);
    return rows[0].n;
  } catch {
    return 0;
  } finally {
    await c.end();
  }
}

/** Makes sure the bench database holds a generated district of `residents` people. */
export async function ensureDistrict(residents: number): Promise<string> {
  const url = benchDatabaseUrl();
  await ensureDatabase(url);
  const have = await residentCount(url);
  if (have === residents) return url;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  await c.end();
  console.log(`generating a district of ${residents.toLocaleString('en')} residents into ${url} …`);
  generate(residents, ['--database-url', url]);
  return url;
}

/** Where a server run with DATA_DIR=dataDir keeps its PGlite (server/src/bootstrap.ts). */
export function pgliteIn(dataDir: string): string {
  return path.join(dataDir, 'pglite');
}

async function pgliteResidentCount(dataDir: string): Promise<number> {
  // Opening a missing folder would create a database (seconds of initdb) only to find it empty.
  if (!fs.existsSync(pgliteIn(dataDir))) return 0;
  const db = await openDb({ dataDir: pgliteIn(dataDir) });
  try {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM residents');
    return rows[0].n;
  } catch {
    return 0;
  } finally {
    await db.close();
  }
}

/** Makes sure a PGlite folder holds a generated district of `residents` people; returns it, as a server's DATA_DIR. */
export async function ensurePgliteDistrict(residents: number): Promise<string> {
  const dir = path.join(os.tmpdir(), `fk-bench-pglite-${residents}`);
  if ((await pgliteResidentCount(dir)) === residents) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`generating a district of ${residents.toLocaleString('en')} residents into ${dir} (PGlite) …`);
  generate(residents, ['--data-dir', dir]);
  return dir;
}

function generate(residents: number, into: string[]) {
  execFileSync(process.execPath, ['--import', 'tsx', 'server/src/db/seed/generate-cli.ts', '--residents', String(residents), '--seed', '42', ...into], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ID_ENCRYPTION_KEY: BENCH_KEY },
  });
}

/** The app's environment: PostgreSQL at `url`, or the embedded PGlite of DATA_DIR `dataDir`. */
export function appEnv(db: { url: string } | { dataDir: string }, port: number): Record<string, string> {
  return {
    // DATABASE_URL set empty, not left out: one inherited from the shell would win over PGlite.
    ...('url' in db ? { DATABASE_URL: db.url } : { DATABASE_URL: '', DATA_DIR: db.dataDir }),
    PORT: String(port),
    HOST: '127.0.0.1',
    LOAD_DEMO: 'false',
    ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    ID_ENCRYPTION_KEY: BENCH_KEY,
    // BENCH_APP_NODE_OPTIONS: node flags for the app alone (e.g. --max-old-space-size=160)
    ...(process.env.BENCH_APP_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_APP_NODE_OPTIONS } : {}),
  };
}

export interface Sample {
  idNumber: string;
  blindHex: string;
  namePrefix: string;
  phone: string | null;
}

/** Real residents to look up: their decrypted ID numbers, names and phones. */
export async function sampleResidents(q: Queryable, n: number): Promise<Sample[]> {
  // bytea: a Buffer from node-postgres, a Uint8Array from PGlite
  const { rows } = await q.query<{ id_cipher: Uint8Array; id_blind: Uint8Array; name: string; phone: string | null }>(
    `SELECT id_cipher, id_blind, name, phone FROM residents TABLESAMPLE SYSTEM (5) WHERE archived_at IS NULL LIMIT $1`,
    [n],
  );
  return rows.map((r) => ({
    idNumber: vault.decrypt(r.id_cipher),
    blindHex: Buffer.from(r.id_blind).toString('hex'),
    namePrefix: r.name.slice(0, 2),
    phone: r.phone,
  }));
}
