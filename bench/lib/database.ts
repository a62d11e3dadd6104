// The app under test and the bare-limit server on the bench database, and the benchmark's
// own SQL beside them: the same calls in both modes.
// - PostgreSQL: all of them on the one database at once.
// - PGlite (BENCH_DB=pglite): a folder opens in one process at a time, so the app and the
//   bare server each run on their own copy of the generated district, and the benchmark's
//   SQL opens the app's copy with the app stopped, then starts it again (sessions are rows
//   in the database: a signed-in cookie outlives the restart).
import fs from 'node:fs';
import pg from 'pg';
import { openDb, type Db } from '../../server/src/db/client.js';
import { appEnv, ensureDistrict, ensurePgliteDistrict, ON_PGLITE, pgliteIn } from './district.js';
import { APP, startServer, type RunningServer } from './server.js';

const BARE = 'bench/lib/bare-server.ts';

/** A benchmark's own SQL: parameterised queries, and scripts of several statements. */
export type Sql = Pick<Db, 'query' | 'exec'>;

export interface BenchDatabase {
  /** The app under test, as `npm start` runs it (on PGlite one at a time); `env` adds settings (SMPP_URL, limits). */
  startApp(port: number, env?: Record<string, string>): Promise<RunningServer>;
  /** bench/lib/bare-server.ts on the same district; `env` switches its setup (BARE_INSERT). */
  startBare(port: number, env?: Record<string, string>): Promise<RunningServer>;
  /** Runs fn on the app's database; on PGlite the app stops meanwhile and starts again after, so time nothing across it. */
  sql<T>(fn: (q: Sql) => Promise<T>): Promise<T>;
  /** After the servers are stopped. */
  close(): Promise<void>;
}

/** What a result on PGlite says about how it was measured (nothing on PostgreSQL). */
export const PGLITE_NOTES = ON_PGLITE
  ? [
      'embedded PGlite: the app on its own copy of the district, in one process and one connection as `npm start` runs it without DATABASE_URL, so its peak RSS includes the database; the bare server on another copy, also one connection',
    ]
  : [];

/** The bench database of this mode, holding a generated district of `residents` people. */
export function openBenchDatabase(residents: number): Promise<BenchDatabase> {
  return ON_PGLITE ? openPglite(residents) : openPostgres(residents);
}

async function openPostgres(residents: number): Promise<BenchDatabase> {
  const url = await ensureDistrict(residents);
  let client: pg.Client | null = null;
  return {
    startApp: (port, env = {}) => startServer(APP, { ...appEnv({ url }, port), ...env }),
    startBare: (port, env = {}) => startServer(BARE, { DATABASE_URL: url, PORT: String(port), POOL_SIZE: '10', ...env }),
    async sql(fn) {
      // One connection, opened at the first call and kept: a benchmark's SQL comes in many small calls.
      if (!client) {
        client = new pg.Client({ connectionString: url });
        await client.connect();
      }
      const c = client;
      return fn({
        query: async (text, params) => {
          const r = await c.query(text, params);
          return { rows: r.rows, rowCount: r.rowCount ?? 0 };
        },
        exec: async (text) => {
          await c.query(text);
        },
      });
    },
    close: async () => {
      await client?.end();
    },
  };
}

async function openPglite(residents: number): Promise<BenchDatabase> {
  const district = await ensurePgliteDistrict(residents);
  const copies: string[] = [];
  // A working copy per server: the generated district stays as it was, for the next benchmark.
  const copyOf = (role: string) => {
    const dir = `${district}-${role}`;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(district, dir, { recursive: true });
    copies.push(dir);
    return dir;
  };
  const appDir = copyOf('app');
  let app: RunningServer | null = null;
  let appPort = 0;
  let appExtra: Record<string, string> = {};
  // VmHWM dies with a process: the peak of the app processes stopped so far.
  let stoppedPeak = 0;
  const launch = async () => {
    app = await startServer(APP, { ...appEnv({ dataDir: appDir }, appPort), ...appExtra });
  };
  const halt = async () => {
    stoppedPeak = Math.max(stoppedPeak, app!.peakRssMb());
    await app!.stop();
    app = null;
  };
  return {
    async startApp(port, env = {}) {
      appPort = port;
      appExtra = env;
      await launch();
      return {
        url: app!.url,
        get pid() {
          return app!.pid;
        },
        peakRssMb: () => Math.max(stoppedPeak, app?.peakRssMb() ?? 0),
        stop: halt,
      };
    },
    startBare: (port, env = {}) =>
      startServer(BARE, { DATABASE_URL: '', PGLITE_DIR: pgliteIn(copyOf('bare')), PORT: String(port), ...env }),
    async sql(fn) {
      const running = app !== null;
      if (running) await halt();
      const db = await openDb({ dataDir: pgliteIn(appDir) });
      let result;
      try {
        result = await fn(db);
      } finally {
        await db.close();
      }
      if (running) await launch();
      return result;
    },
    close: async () => {
      for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
