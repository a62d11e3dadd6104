// Starts the real application on a fresh database for one test file: in-memory PGlite by
// default, or a new schema on PostgreSQL when TEST_DATABASE_URL is set (dropped afterwards).
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { FastifyInstance, InjectOptions } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { openContext } from '../src/bootstrap.js';
import { loadConfig, type Config } from '../src/config.js';
import { openDb } from '../src/db/client.js';
import type { AppContext } from '../src/platform/context.js';
import { jobsSchemaFor } from '../src/platform/jobs.js';
import { ensureAdmin } from '../src/modules/accounts/index.js';

export const ADMIN_PASSWORD = 'Admin-pass-2026';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  close(): Promise<void>;
}

/**
 * overrides: configuration for this file's app (a rate-limit test sets small limits here).
 * background: start the job runner and the outbox's dispatcher with the app (as the server does).
 */
export async function startTestApp(overrides: Partial<Config> = {}, options: { background?: boolean } = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangkong-test-'));
  const url = process.env.TEST_DATABASE_URL;
  const schema = url ? `t_${crypto.randomBytes(6).toString('hex')}` : undefined;
  if (url) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`CREATE SCHEMA ${schema}`);
    await c.end();
  }
  const config = {
    ...loadConfig({}),
    dataDir,
    databaseUrl: url,
    idEncryptionKey: crypto.randomBytes(32).toString('base64'),
    adminPassword: ADMIN_PASSWORD,
    loadDemo: false,
    webDist: path.join(dataDir, 'no-web'),
    // Every suite signs in and exports far more often than a person would from one address: the
    // limits stay on (the plugin runs in every test) but out of reach; rate-limits.test.ts sets small ones.
    rateLimits: { windowSeconds: 60, signIn: 100_000, passwordChange: 100_000, publicForms: 100_000, exports: 100_000 },
    jobsSchema: jobsSchemaFor(schema),
    ...overrides,
  };
  const db = await openDb({ url, schema, poolSize: 4 });
  const ctx = await openContext(config, db);
  await ensureAdmin(ctx);
  const app = await buildApp(ctx, { logger: process.env.TEST_LOG ? { level: 'error' } : false, background: options.background });
  await app.ready();
  return {
    app,
    ctx,
    async close() {
      await app.close();
      await db.close();
      if (url) {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
        await c.query(`DROP SCHEMA IF EXISTS ${jobsSchemaFor(schema)} CASCADE`);
        await c.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A signed-in HTTP client over app.inject that keeps its session cookie. */
export async function signIn(app: FastifyInstance, username: string, password: string) {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'fk_session')!;
  const request = (opts: InjectOptions) =>
    app.inject({ ...opts, cookies: { ...(opts.cookies ?? {}), fk_session: cookie.value } });
  return {
    token: cookie.value,
    inject: request,
    get: (url: string) => request({ method: 'GET', url }),
    post: (url: string, payload?: unknown) => request({ method: 'POST', url, payload: payload as object }),
    patch: (url: string, payload?: unknown) => request({ method: 'PATCH', url, payload: payload as object }),
    put: (url: string, payload?: unknown) => request({ method: 'PUT', url, payload: payload as object }),
    del: (url: string) => request({ method: 'DELETE', url }),
  };
}
export type Client = Awaited<ReturnType<typeof signIn>>;
