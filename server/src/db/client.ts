// One small database interface over two drivers: embedded PGlite (the laptop default)
// and node-postgres (production). Both speak the same SQL; raw parameterised SQL is our
// data-access layer (see README, "Why not an ORM").
import fs from 'node:fs';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
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

/** A PGlite data directory opened by a process that is still running (PGlite is one process only). */
export class PgliteBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `PGlite 数据目录 ${dataDir} 正被进程 ${pid} 使用（服务器在运行？），请先停止它 / ` +
        `the PGlite data directory ${dataDir} is in use by process ${pid} (is the server running?): stop it first, PGlite serves one process only`,
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dataDir>.lock` (the pid of the holder) so that a second process, such as
 * `npm run reset-password` beside a running server, refuses instead of corrupting the files.
 * A lock left by a process that is gone is taken over. Returns the release.
 */
export function lockPgliteDir(dataDir: string): () => void {
  const file = `${dataDir}.lock`;
  for (;;) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (pid === process.pid) break;
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new PgliteBusyError(dataDir, pid);
      fs.rmSync(file, { force: true });
    }
  }
  return () => {
    try {
      if (Number(fs.readFileSync(file, 'utf8').trim()) === process.pid) fs.rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
}

async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const unlock = dataDir ? lockPgliteDir(dataDir) : () => undefined;
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir ?? 'memory://', {
      // pg_trgm: the trigram index of resident name search (migration 0006)
      extensions: { pg_trgm },
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
  } catch (err) {
    unlock();
    throw err;
  }
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
    async close() {
      try {
        await db.close();
      } finally {
        unlock();
      }
    },
  };
}
