// Forward-only migrations: every file in migrations/ runs once, in name order, each in
// its own transaction, and is recorded in schema_migrations.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './client.js';

const DIR = path.join(import.meta.dirname, 'migrations');

export interface MigrationState {
  version: string | null;
  applied: string[];
}

export async function migrate(db: Db): Promise<MigrationState> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const done = new Set(
    (await db.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
  );
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.sql')).sort();
  for (const file of files) {
    const version = file.replace(/\.sql$/, '');
    if (done.has(version)) continue;
    const sql = fs.readFileSync(path.join(DIR, file), 'utf8');
    if (!/^\d{4}_[a-z0-9_]+$/.test(version)) throw new Error(`bad migration file name: ${file}`);
    // A multi-statement simple query runs as one implicit transaction on both drivers,
    // so a failing migration leaves nothing behind.
    await db.exec(`${sql}\n;INSERT INTO schema_migrations (version) VALUES ('${version}');`);
  }
  return migrationState(db);
}

export async function migrationState(db: Db): Promise<MigrationState> {
  const rows = (await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')).rows;
  return { version: rows.at(-1)?.version ?? null, applied: rows.map((r) => r.version) };
}
