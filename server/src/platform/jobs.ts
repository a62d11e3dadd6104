// The job runner: pg-boss (a well-kept PostgreSQL job queue: SKIP LOCKED claims, retries with
// backoff, cron schedules, one schema of its own). On PostgreSQL it opens its own small pool; on
// the embedded PGlite it runs its SQL through our one connection (pg-boss accepts a custom
// `db: { executeSql }`). Later workflows put their timers here (escalations, reminders).
import PgBoss from 'pg-boss';
import type { Db } from '../db/client.js';
import { retryDeadlocks } from '../db/deadlock.js';

export interface QueueOptions {
  /** further tries after the first fails (0 = none) */
  retryLimit?: number;
  /** seconds before the first retry */
  retryDelaySeconds?: number;
  /** double the delay at each further retry */
  retryBackoff?: boolean;
  /** seconds a job may run before it counts as failed */
  expireInSeconds?: number;
}

export type JobHandler<T extends object> = (data: T, job: PgBoss.Job<T>) => Promise<void>;

export interface Jobs {
  /** pg-boss's schema: its tables never mix with ours */
  readonly schema: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A named queue (created once; its retry policy applies to every job sent to it). */
  queue(name: string, options?: QueueOptions): Promise<void>;
  /** Sends one job; answers its id (null when a singleton key already holds one). */
  send<T extends object>(name: string, data: T, options?: PgBoss.SendOptions): Promise<string | null>;
  /** A cron schedule (at most once a minute, across all processes) that sends `data` to the queue. */
  schedule<T extends object>(name: string, cron: string, data?: T): Promise<void>;
  /** Runs the queue's jobs in this process, one at a time; a thrown error fails the job (and retries it by the queue's policy). */
  work<T extends object>(name: string, handler: JobHandler<T>, options?: Pick<PgBoss.WorkOptions, 'pollingIntervalSeconds'>): Promise<void>;
}

export interface JobsOptions {
  /** PostgreSQL: pg-boss's own pool connects here (unset on PGlite) */
  databaseUrl?: string;
  schema: string;
  /** connections of pg-boss's pool on PostgreSQL */
  poolSize?: number;
  onError?: (err: Error) => void;
}

/** pg-boss's SQL on PGlite: statements with parameters through query, its multi-statement scripts (migrations, locked sections) through exec. */
function pgliteAdapter(db: Db) {
  const lite = db.pglite!;
  return {
    async executeSql(text: string, values?: unknown[]) {
      if (!values || values.length === 0) {
        // A script that opens its own transaction (pg-boss's locked sections) and fails midway
        // would leave the one PGlite connection inside an aborted transaction: roll it back.
        const results = await lite.exec(text).catch(async (err: unknown) => {
          if (/\bBEGIN\b/i.test(text)) await lite.exec('ROLLBACK').catch(() => undefined);
          throw err;
        });
        const last = results[results.length - 1];
        return { rows: last?.rows ?? [], rowCount: last?.affectedRows ?? 0 };
      }
      const r = await lite.query(text, values);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
  };
}

export function createJobs(db: Db, options: JobsOptions): Jobs {
  let boss: PgBoss | undefined;
  let started: Promise<void> | undefined;
  const queues = new Set<string>();
  // Creating a queue attaches a partition to pg-boss's job table. Two creations at once (two
  // modules starting, a test beside the app's own start, two processes booting together)
  // deadlock on PostgreSQL: in this process they go one at a time, and one that lost a
  // deadlock to another process tries again.
  let creating: Promise<unknown> = Promise.resolve();
  const make = () =>
    new PgBoss(
      db.kind === 'pglite'
        ? { db: pgliteAdapter(db), schema: options.schema }
        : { connectionString: options.databaseUrl, max: options.poolSize ?? 3, schema: options.schema, application_name: 'fangkong-jobs' },
    );
  const running = async () => {
    if (!started) throw new Error('the job runner is not started');
    await started;
    return boss!;
  };
  return {
    schema: options.schema,
    start() {
      started ??= (async () => {
        boss = make();
        boss.on('error', (err: Error) => options.onError?.(err));
        await boss.start();
      })();
      return started;
    },
    async stop() {
      if (!started) return;
      await started.catch(() => undefined);
      const b = boss;
      started = undefined;
      boss = undefined;
      queues.clear();
      // graceful: a job under way finishes first; close: pg-boss ends the pool it opened itself
      await b?.stop({ graceful: true, timeout: 5000, wait: true, close: true });
    },
    async queue(name, q = {}) {
      const b = await running();
      if (queues.has(name)) return;
      const policy = {
        retryLimit: q.retryLimit ?? 0,
        retryDelay: q.retryDelaySeconds ?? 0,
        retryBackoff: q.retryBackoff ?? false,
        expireInSeconds: q.expireInSeconds ?? 15 * 60,
      };
      const ensure = () =>
        retryDeadlocks(5, async () => {
          if (await b.getQueue(name)) await b.updateQueue(name, { name, ...policy });
          else await b.createQueue(name, { name, ...policy });
        });
      const done = creating.then(ensure, ensure);
      creating = done.catch(() => undefined);
      await done;
      queues.add(name);
    },
    async send(name, data, sendOptions) {
      const b = await running();
      return sendOptions ? b.send(name, data, sendOptions) : b.send(name, data);
    },
    async schedule(name, cron, data) {
      const b = await running();
      await b.schedule(name, cron, data ?? {}, { tz: 'UTC' });
    },
    async work(name, handler, workOptions) {
      const b = await running();
      await b.work<object>(name, { pollingIntervalSeconds: workOptions?.pollingIntervalSeconds ?? 2, batchSize: 1 }, async (jobs) => {
        for (const job of jobs) await handler(job.data as never, job as never);
      });
    },
  };
}

/** The schema pg-boss uses beside a database schema: `pgboss` for the application, `<schema>_jobs` for a test's own schema. */
export function jobsSchemaFor(dbSchema: string | undefined): string {
  return dbSchema ? `${dbSchema}_jobs` : 'pgboss';
}
