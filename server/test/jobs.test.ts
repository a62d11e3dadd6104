// The job runner (platform/jobs.ts, pg-boss) on this suite's database (PGlite, or PostgreSQL
// with TEST_DATABASE_URL): a job runs once; a failing job is retried with a growing delay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobs } from '../src/platform/jobs.js';
import { startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { background: true });
});
afterAll(async () => {
  await t?.close();
});

async function until(check: () => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('job runner', () => {
  it('runs in its own schema', async () => {
    await t.ctx.jobs.queue('test-schema'); // waits for the runner's start (the app does not hold up listen for it)
    const { rows } = await t.ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'job'`,
      [t.ctx.jobs.schema],
    );
    expect(rows[0].n).toBe(1);
  });

  it('runs a job once', async () => {
    const seen: number[] = [];
    await t.ctx.jobs.queue('test-once');
    await t.ctx.jobs.work<{ n: number }>('test-once', async (data) => void seen.push(data.n), { pollingIntervalSeconds: 0.5 });
    const id = await t.ctx.jobs.send('test-once', { n: 7 });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await until(() => seen.length > 0, 'the job');
    // long enough for a second delivery to show if the job were handed out twice
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen).toEqual([7]);
    const { rows } = await t.ctx.db.query<{ state: string }>(`SELECT state FROM ${t.ctx.jobs.schema}.job WHERE id = $1`, [id]);
    expect(rows[0].state).toBe('completed');
  });

  it('retries a failed job with backoff, and completes it when it succeeds', async () => {
    const tries: number[] = [];
    await t.ctx.jobs.queue('test-retry', { retryLimit: 3, retryDelaySeconds: 1, retryBackoff: true });
    await t.ctx.jobs.work(
      'test-retry',
      async () => {
        tries.push(Date.now());
        if (tries.length < 3) throw new Error(`try ${tries.length} fails`);
      },
      { pollingIntervalSeconds: 0.5 },
    );
    const id = await t.ctx.jobs.send('test-retry', {});
    await until(() => tries.length >= 3, 'three tries', 30_000);
    const gaps = [tries[1] - tries[0], tries[2] - tries[1]];
    // at least the retry delay each time; the second wait (backoff) longer than the first delay
    expect(gaps[0]).toBeGreaterThanOrEqual(900);
    expect(gaps[1]).toBeGreaterThanOrEqual(1800);
    await new Promise((r) => setTimeout(r, 300));
    const { rows } = await t.ctx.db.query<{ state: string; retry_count: number }>(
      `SELECT state, retry_count FROM ${t.ctx.jobs.schema}.job WHERE id = $1`,
      [id],
    );
    expect(rows[0]).toEqual({ state: 'completed', retry_count: 2 });
  });

  it('two runners on one database (two processes booting together) create the same and different queues at once', async () => {
    // on PostgreSQL, creating a queue attaches a partition to pg-boss's job table: at once, they deadlocked
    const other = createJobs(t.ctx.db, { databaseUrl: t.ctx.config.databaseUrl, schema: t.ctx.jobs.schema });
    try {
      await other.start();
      const names = Array.from({ length: 6 }, (_, i) => `test-boot-${i}`);
      await Promise.all([...names.map((n) => t.ctx.jobs.queue(n)), ...names.map((n) => other.queue(n)), ...names.map((n) => other.queue(`${n}-b`))]);
      const { rows } = await t.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t.ctx.jobs.schema}.queue WHERE name LIKE 'test-boot-%'`);
      expect(rows[0].n).toBe(12);
    } finally {
      await other.stop();
    }
  });
});
