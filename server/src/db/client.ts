// One small database interface over two drivers: embedded PGlite (the laptop default)
// and node-postgres (production). Both speak the same SQL; raw parameterised SQL is our
// data-access layer (see README, "Why not an ORM").
import fs from 'node:fs';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import type { Sql } from 'sql-template-tag';

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  /** Parameterised SQL as text and values, or a statement built with the `sql` tag (db/sql.ts). */
  query<T = Record<string, unknown>>(text: string | Sql, params?: unknown[]): Promise<QueryResult<T>>;
}

/** Text and values of either form a query may take. */
function statement(text: string | Sql, params?: unknown[]): [string, unknown[] | undefined] {
  return typeof text === 'string' ? [text, params] : [text.text, text.values];
}

export interface Db extends Queryable {
  kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction; rolls back if it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Runs a multi-statement script without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /** The node-postgres pool, when on PostgreSQL (COPY, LISTEN). */
  pool?: pg.Pool;
  pglite?: PGlite;
}

// Same JS shapes from both drivers: dates as 'YYYY-MM-DD' strings, counts as numbers.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(NUMERIC, (v) => Number(v));
pg.types.setTypeParser(DATE, (v) => v);

export interface OpenOptions {
  url?: string;
  dataDir?: string;
  /** PostgreSQL only: run everything inside this schema (tests). */
  schema?: string;
  poolSize?: number;
}

export async function openDb(opts: OpenOptions): Promise<Db> {
  return opts.url ? openPostgres(opts.url, opts.schema, opts.poolSize) : openPglite(opts.dataDir);
}

async function openPostgres(url: string, schema?: string, poolSize = 10): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: schema ? `-c search_path=${schema},public` : undefined,
  });
  // A dropped idle connection must not crash the process.
  pool.on('error', () => undefined);
  const run = async <T>(c: pg.Pool | pg.PoolClient, sqlText: string | Sql, sqlParams?: unknown[]) => {
    const [text, params] = statement(sqlText, sqlParams);
    const r = await c.query(text, params as unknown[]);
    return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
  };
  return {
    kind: 'postgres',
    pool,
    query: (text, params) => run(pool, text, params),
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (text, params) => run(client, text, params) });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

const PGLITE_SHARED_BUFFERS = '16MB';

async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ?? 'memory://', {
    // PGlite's default 128 MB of shared buffers lives in the process's WebAssembly memory and
    // pushed a laptop's server over 300 MB RSS; the data files are still cached by the OS, so a
    // smaller pool costs little (measured on the 10,000-resident bench: RSS -120 MB). Passed as a
    // start parameter: the postgresqlconf option would overwrite postgresql.conf (timezone=UTC).
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
    parsers: {
      [INT8]: (v: string) => Number(v),
      [NUMERIC]: (v: string) => Number(v),
      [DATE]: (v: string) => v,
    },
  });
  const run = async <T>(c: Pick<PGlite, 'query'>, sqlText: string | Sql, sqlParams?: unknown[]) => {
    const [text, params] = statement(sqlText, sqlParams);
    const r = await c.query<T>(text, params);
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  };
  return {
    kind: 'pglite',
    pglite: db,
    query: (text, params) => run(db, text, params),
    tx: (fn) => db.transaction((t) => fn({ query: (text, params) => run(t, text, params) })),
    async exec(sql) {
      await db.exec(sql);
    },
    close: () => db.close(),
  };
}
