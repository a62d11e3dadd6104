// The first ten minutes on a laptop: the one-time administrator password is printed in a box
// after everything else and is not buried by request logs; `npm run reset-password` sets a new
// one from the machine, and refuses while the server holds the PGlite folder.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { openContext } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { box, displayWidth, loggerOptions, requestLogMode } from '../src/platform/logging.js';

const serverDir = path.resolve(import.meta.dirname, '..');
const tsx = path.join(serverDir, '../node_modules/.bin/tsx');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'fangkong-first-'));
  dirs.push(d);
  return d;
}

function envFor(dataDir: string, extra: Record<string, string> = {}) {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), DATA_DIR: dataDir, LOAD_DEMO: 'false', ...extra };
  delete env.DATABASE_URL;
  delete env.ADMIN_PASSWORD;
  delete env.LOG_REQUESTS;
  return { ...env, ...extra };
}

function resetPassword(env: Record<string, string>, username = 'admin') {
  const r = spawnSync(tsx, ['src/reset-password-cli.ts', username], { cwd: serverDir, env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const passwordIn = (out: string) => /one-time password:\s+(\S+)/.exec(out)?.[1];

/** Signs in on the data folder with an in-process app (the server is stopped). */
async function signInOn(dataDir: string, password: string, databaseUrl?: string) {
  const config = { ...loadConfig({}), dataDir, databaseUrl, loadDemo: false, webDist: path.join(dataDir, 'no-web') };
  const ctx = await openContext(config);
  const app = await buildApp(ctx);
  try {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password } });
    return { status: res.statusCode, body: res.json() };
  } finally {
    await app.close();
    await ctx.db.close();
  }
}

describe('first start and password recovery on PGlite', () => {
  it('prints the password last, in a box, keeps one short line per request, and reset-password works once the server is stopped', async () => {
    const dataDir = tempDir();
    const port = 20000 + crypto.randomInt(20000);
    // As `npm start` on a terminal would: LOG_REQUESTS short is the terminal default (stdout here is a pipe).
    const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: serverDir,
      env: envFor(dataDir, { PORT: String(port), HOST: '127.0.0.1', LOG_REQUESTS: 'short' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    server.stdout.on('data', (b) => (out += b));
    server.stderr.on('data', (b) => (out += b));
    try {
      const deadline = Date.now() + 90_000;
      while (!out.includes('request log:')) {
        if (Date.now() > deadline || server.exitCode !== null) throw new Error(`server did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const first = passwordIn(out)!;
      expect(first).toMatch(/^[A-Za-z0-9]{14}$/);
      // The box comes after the listen line, framed, with the recovery command in it.
      const lines = out.trimEnd().split('\n');
      const top = lines.findIndex((l) => l.startsWith('╔'));
      expect(top).toBeGreaterThan(lines.findIndex((l) => l.includes('Fangkong: http')));
      const bottom = lines.findIndex((l) => l.startsWith('╚'));
      expect(lines.slice(top, bottom + 1).every((l) => displayWidth(l) === displayWidth(lines[top]))).toBe(true);
      expect(lines.slice(top, bottom).join('\n')).toContain('npm run reset-password -- admin');

      // Requests: one text line each, the search term redacted, no JSON.
      const before = out.length;
      for (const url of ['/api/health', '/api/health', '/api/residents?q=%E5%BC%A0']) await fetch(`http://127.0.0.1:${port}${url}`);
      await new Promise((r) => setTimeout(r, 300));
      const logged = out.slice(before).trim().split('\n');
      expect(logged.filter((l) => / GET \/api\/health 200 \d+ ms$/.test(l))).toHaveLength(2);
      expect(logged.some((l) => /GET \/api\/residents\?q=\*\*\* 401 \d+ ms$/.test(l))).toBe(true);
      expect(logged.some((l) => l.startsWith('{'))).toBe(false);

      // While the server holds the folder, the command refuses and changes nothing.
      const busy = resetPassword(envFor(dataDir));
      expect(busy.status).toBe(3);
      expect(busy.stderr).toContain(`is in use by process ${server.pid}`);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }

    const reset = resetPassword(envFor(dataDir));
    expect(reset.status, reset.stderr).toBe(0);
    const fresh = passwordIn(reset.stdout)!;
    expect(fresh).toMatch(/^[A-Za-z0-9]{14}$/);
    expect(fresh).not.toBe(passwordIn(out));
    expect(reset.stdout).toContain('╔');

    const signedIn = await signInOn(dataDir, fresh);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.mustChangePassword).toBe(true);
    expect((await signInOn(dataDir, passwordIn(out)!)).status).toBe(401);
  }, 240_000);

  it('names the administrators when the account is not one, and needs a username', () => {
    const dataDir = tempDir();
    const unknown = resetPassword(envFor(dataDir), 'nobody');
    expect(unknown.status).toBe(1); // a folder the server never started on
    expect(unknown.stderr).toContain('no accounts in this database yet');
    const none = spawnSync(tsx, ['src/reset-password-cli.ts'], { cwd: serverDir, env: envFor(dataDir), encoding: 'utf8' });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('usage: npm run reset-password -- <administrator username>');
  }, 180_000);
});

describe.runIf(process.env.TEST_DATABASE_URL)('password recovery on PostgreSQL', () => {
  it('resets through DATABASE_URL', async () => {
    const url = process.env.TEST_DATABASE_URL!;
    const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`CREATE SCHEMA ${schema}`);
    const scoped = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema},public`)}`;
    const dataDir = tempDir();
    try {
      // The first start, without its banner.
      const ctx = await openContext({ ...loadConfig({}), dataDir, databaseUrl: scoped, loadDemo: false });
      const { ensureAdmin } = await import('../src/modules/accounts/index.js');
      const first = (await ensureAdmin(ctx)).password!;
      await ctx.db.close();

      const notAdmin = resetPassword(envFor(dataDir, { DATABASE_URL: scoped }), 'nobody');
      expect(notAdmin.status).toBe(1);
      expect(notAdmin.stderr).toContain('no account nobody. Administrators: admin');

      const reset = resetPassword(envFor(dataDir, { DATABASE_URL: scoped }));
      expect(reset.status, reset.stderr).toBe(0);
      const fresh = passwordIn(reset.stdout)!;
      expect((await signInOn(dataDir, fresh, scoped)).body.mustChangePassword).toBe(true);
      expect((await signInOn(dataDir, first, scoped)).status).toBe(401);
    } finally {
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    }
  }, 180_000);
});

describe('request log modes', () => {
  it('defaults to short lines on a terminal and JSON elsewhere', () => {
    expect(requestLogMode(undefined, true)).toBe('short');
    expect(requestLogMode(undefined, false)).toBe('json');
    expect(requestLogMode('OFF', true)).toBe('off');
    expect(() => requestLogMode('loud', true)).toThrow(/LOG_REQUESTS/);
  });

  it('off prints no request line, json keeps Fastify’s structured lines', async () => {
    const dataDir = tempDir();
    const config = { ...loadConfig({}), dataDir, databaseUrl: undefined, loadDemo: false, webDist: path.join(dataDir, 'no-web') };
    for (const mode of ['off', 'json'] as const) {
      const chunks: string[] = [];
      const sink = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) });
      const ctx = await openContext(config);
      const logger = mode === 'json' ? { level: 'info', stream: sink } : loggerOptions('info', mode, sink);
      const app = await buildApp(ctx, { logger, requestLog: mode });
      await app.inject({ method: 'GET', url: '/api/health' });
      await app.close();
      await ctx.db.close();
      const lines = chunks.join('').trim().split('\n').filter(Boolean);
      if (mode === 'off') expect(lines).toEqual([]);
      else expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['incoming request', 'request completed']);
    }
  }, 180_000);

  it('draws the box to the width of its widest line, CJK counted double', () => {
    const b = box(['管理员 admin', 'one-time password: abc'], false).trim().split('\n');
    expect(new Set(b.map(displayWidth)).size).toBe(1);
  });
});
