// End-to-end tests of the console in Chromium, against the real server on a fresh database.
//   npm run test:e2e -w web          (builds web/dist first; E2E_SKIP_BUILD=1 reuses it)
// Starts the server (PGlite in a temp dir, or a fresh PostgreSQL database when
// DATABASE_URL_FOR_E2E or TEST_DATABASE_URL is set) with a small demo district, waits for
// /api/health, runs web/e2e/*.spec.mjs with node:test, and stops the server.
// Screenshots go to artifacts/screenshots/ at the repo root.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const here = import.meta.dirname;
const root = path.resolve(here, '../..');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// A missing browser fails the run: a skipped browser suite would pass while proving nothing.
if (!fs.existsSync(chromiumPath)) {
  console.error(`e2e: Chromium not found at ${chromiumPath}. Install it (apt-get install chromium fonts-noto-cjk) or set CHROMIUM_PATH.`);
  process.exit(1);
}

// Always test the console as it is now, never a stale build (a build takes a few seconds).
if (process.env.E2E_SKIP_BUILD !== '1') {
  const b = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A fresh PostgreSQL database for this run, dropped at the end. */
async function freshPostgres(url) {
  const { default: pg } = await import('pg');
  const name = `fk_e2e_${Date.now().toString(36)}_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await c.end();
    },
  };
}

const port = await freePort();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fk-e2e-'));
const adminPassword = 'E2e-admin-pass-2026';
const pgUrl = process.env.DATABASE_URL_FOR_E2E || process.env.TEST_DATABASE_URL;
const pgDb = pgUrl ? await freshPostgres(pgUrl) : undefined;
const shots = path.join(root, 'artifacts/screenshots');
const publicUrl = process.env.E2E_PUBLIC_URL ?? 'https://fangkong.example.org';
fs.mkdirSync(shots, { recursive: true });

console.log(`e2e: server on :${port}, ${pgDb ? 'PostgreSQL (fresh database)' : `PGlite in ${dataDir}`}`);
// E2E_SERVER_ROOT: run the server from another checkout (e.g. a known-good snapshot)
const serverRoot = path.resolve(process.env.E2E_SERVER_ROOT ?? root);
const server = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
  cwd: serverRoot,
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_PASSWORD: adminPassword,
    LOAD_DEMO: 'true',
    DEMO_RESIDENTS: process.env.E2E_DEMO_RESIDENTS ?? '600',
    LOG_LEVEL: 'warn',
    // the specs sign in from one address far more often than a person would
    RATE_LIMIT_SIGN_IN: '10000',
    WEB_DIST: path.join(root, 'web/dist'),
    // the address printed on household cards and posters: not the one the browser uses
    PUBLIC_URL: publicUrl,
    ...(pgDb ? { DATABASE_URL: pgDb.url } : { DATABASE_URL: '' }),
  },
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: false,
});

let serverLog = '';
const accounts = {};
const collect = (chunk) => {
  const text = chunk.toString();
  serverLog += text;
  // "演示账号 / demo account: grid1 / Fangkong-2026  (grid_worker, …)"
  for (const m of text.matchAll(/demo account: (\S+) \/ (\S+)/g)) accounts[m[1]] = m[2];
};
server.stdout.on('data', collect);
server.stderr.on('data', collect);
let serverExited = false;
server.on('exit', () => (serverExited = true));

async function stop() {
  if (!serverExited) {
    server.kill('SIGTERM');
    await new Promise((r) => {
      const t = setTimeout(() => {
        server.kill('SIGKILL');
        r();
      }, 5000);
      server.once('exit', () => {
        clearTimeout(t);
        r();
      });
    });
  }
  await pgDb?.drop().catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    await stop();
    process.exit(130);
  });
}

const base = `http://127.0.0.1:${port}`;
const deadline = Date.now() + 180_000;
let healthy = false;
while (Date.now() < deadline && !serverExited) {
  try {
    const res = await fetch(`${base}/api/health`);
    if (res.ok) {
      healthy = true;
      break;
    }
  } catch {
    /* not listening yet */
  }
  await new Promise((r) => setTimeout(r, 300));
}
if (!healthy) {
  console.error('e2e: the server did not become healthy. Its output:\n' + serverLog);
  await stop();
  process.exit(1);
}

const specs = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.spec.mjs'))
  .filter((f) => !process.env.E2E_ONLY || process.env.E2E_ONLY.split(',').some((part) => f.includes(part))) // E2E_ONLY=lane,residents
  .sort()
  .map((f) => path.join(here, f));

const code = await new Promise((resolve) => {
  const t = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...specs], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      E2E_BASE_URL: base,
      E2E_ADMIN_PASSWORD: adminPassword,
      E2E_DEMO_ACCOUNTS: JSON.stringify(accounts),
      E2E_SCREENSHOTS: shots,
      E2E_PUBLIC_URL: publicUrl,
      CHROMIUM_PATH: chromiumPath,
    },
  });
  t.on('exit', (c) => resolve(c ?? 1));
});

await stop();
if (code !== 0 && process.env.E2E_SERVER_LOG) console.error(serverLog);
process.exit(code);
