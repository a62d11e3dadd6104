// The database a benchmark runs on: BENCH_DATABASE_URL (default: a fk_bench database on the
// machine's PostgreSQL), holding a generated district of the wanted size. Generated once and
// reused while the resident count matches.
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { createIdVault } from '../../server/src/platform/crypto.js';
import { ROOT } from './server.js';

// A fixed key: the generator and the servers of one benchmark must share it. Never used outside bench/.
export const BENCH_KEY = Buffer.alloc(32, 7).toString('base64');
export const BENCH_ADMIN_PASSWORD = 'Bench-admin-2026';
export const vault = createIdVault(Buffer.from(BENCH_KEY, 'base64'));

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
  execFileSync(process.execPath, ['--import', 'tsx', 'server/src/db/seed/generate-cli.ts', '--residents', String(residents), '--seed', '42', '--database-url', url], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ID_ENCRYPTION_KEY: BENCH_KEY },
  });
  return url;
}

export function appEnv(url: string, port: number): Record<string, string> {
  return {
    DATABASE_URL: url,
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
export async function sampleResidents(url: string, n: number): Promise<Sample[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const { rows } = await c.query(
    `SELECT id_cipher, id_blind, name, phone FROM residents TABLESAMPLE SYSTEM (5) WHERE archived_at IS NULL LIMIT $1`,
    [n],
  );
  await c.end();
  return rows.map((r) => ({
    idNumber: vault.decrypt(r.id_cipher),
    blindHex: Buffer.from(r.id_blind).toString('hex'),
    namePrefix: r.name.slice(0, 2),
    phone: r.phone,
  }));
}
