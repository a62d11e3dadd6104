// The whole API probed as an attacker would (issue 11's closing figures), over HTTP against the
// server as `npm start` runs it, on a fresh PostgreSQL database with the demo district:
//  1. malformed input: every route of the OpenAPI document, the fuzz test's generator under
//     several seeds, as the administrator, a grid worker and nobody — every answer must be a 4xx
//     in the one error shape (a 5xx, a 2xx or a bare answer is a finding);
//  2. scope: every GET route with a parameter, filled with the ids, barcodes and places the
//     administrator sees, asked as each lower role — a person outside the role's area, or any
//     person to a role without a right to read people, is a leak;
//  3. ID numbers: every answer to a role without the reveal right is searched for a full ID
//     number of the district, and for a masked ID beside a birth date (which rebuilds it).
// Bounded: a fixed number of seeds and at most PROBE_VALUES values per parameter.
//   npx tsx bench/probe-api.ts      (PROBE_DATABASE_URL, PROBE_SEEDS=3, PROBE_VALUES=12)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inputsFor, random, type Op } from '../server/test/support/malformed.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DB_URL = process.env.PROBE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/fk_probe';
const SEEDS = Number(process.env.PROBE_SEEDS ?? 3);
const VALUES = Number(process.env.PROBE_VALUES ?? 12);
const PORT = 3990;
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN_PASSWORD = 'Probe-admin-2026!';
const DEMO_PASSWORD = 'Fangkong-2026';
const NEW_PASSWORD = 'Probe-staff-2026!';

interface Session {
  name: string;
  role: string;
  cookie?: string;
  /** the account's place path (/1/2/…/), as sign-in made its scope */
  path: string;
  permissions: string[];
}
interface Answer {
  status: number;
  text: string;
}

const counts = { requests: 0, malformed: 0, scope: 0, fiveXX: 0, unshaped: 0, accepted: 0, leaks: 0, idLeaks: 0 };
const findings: string[] = [];
/** per role: reads answered 200, people in them */
const byRole = new Map<string, { ok: number; people: number }>();
const finding = (s: string) => {
  if (findings.length < 200) findings.push(s);
};

async function request(s: Session | null, method: string, url: string, body?: string, contentType?: string): Promise<Answer> {
  counts.requests++;
  const headers: Record<string, string> = { origin: BASE };
  if (s?.cookie) headers.cookie = s.cookie;
  if (contentType) headers['content-type'] = contentType;
  try {
    const res = await fetch(BASE + url, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body, signal: AbortSignal.timeout(20_000) });
    return { status: res.status, text: await res.text() };
  } catch (e) {
    return { status: 0, text: String(e) };
  }
}

async function freshDatabase() {
  const u = new URL(DB_URL);
  const name = u.pathname.slice(1);
  const admin = new pg.Client({ connectionString: DB_URL.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
}

async function startServer() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fk-probe-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: DB_URL,
      LOAD_DEMO: 'true',
      DEMO_RESIDENTS: '5000',
      ADMIN_PASSWORD,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_REQUESTS: 'off',
      // the probe is one client sending thousands of requests: the limits would answer most of them 429
      RATE_LIMIT_SIGN_IN: '100000',
      RATE_LIMIT_PASSWORD: '100000',
      RATE_LIMIT_PUBLIC: '100000',
      RATE_LIMIT_EXPORTS: '100000',
      OTP_PER_NUMBER_PER_HOUR: '100000',
      OTP_PER_IP_PER_HOUR: '100000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${BASE}/api/health`)).ok) return { child, dataDir };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('server did not start in 300 s');
}

async function signIn(name: string, password: string): Promise<Session> {
  const res = await fetch(`${BASE}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: BASE },
    body: JSON.stringify({ username: name, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in ${name}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const body = (await res.json()) as { mustChangePassword: boolean };
  const s: Session = { name, role: '', cookie, path: '', permissions: [] };
  if (body.mustChangePassword) {
    const r = await request(s, 'POST', '/api/auth/password', JSON.stringify({ currentPassword: password, newPassword: NEW_PASSWORD }), 'application/json');
    if (r.status >= 300) throw new Error(`password change ${name}: ${r.status} ${r.text}`);
    return signIn(name, NEW_PASSWORD);
  }
  const me = JSON.parse((await request(s, 'GET', '/api/auth/me')).text) as { user: { role: string }; scopePath: string; permissions: string[] };
  s.role = me.user.role;
  s.path = me.scopePath;
  s.permissions = me.permissions;
  return s;
}

function isErrorShape(a: Answer): boolean {
  try {
    const e = (JSON.parse(a.text) as { error?: { code?: unknown; status?: unknown; messages?: Record<string, unknown> } }).error;
    return !!e && typeof e.code === 'string' && e.status === a.status && typeof e.messages?.['zh-CN'] === 'string' && typeof e.messages?.['en-US'] === 'string';
  } catch {
    return false;
  }
}

/** Every value under the keys that name things a route takes as a parameter. */
function harvest(json: unknown, into: Map<string, Set<string>>, depth = 0) {
  if (depth > 8 || json === null || typeof json !== 'object') return;
  if (Array.isArray(json)) {
    for (const x of json.slice(0, 200)) harvest(x, into, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    if ((typeof v === 'number' || typeof v === 'string') && /^(id|\w+Id|barcode|code)$/.test(k)) {
      const key = k === 'id' ? 'id' : k;
      if (!into.has(key)) into.set(key, new Set());
      into.get(key)!.add(String(v));
    } else harvest(v, into, depth + 1);
  }
}

interface PersonSeen {
  residentId?: number;
  masked: string;
  birth: boolean;
}
/** People in an answer: every object with a masked ID, its resident id, and whether a birth date sits beside it. */
function peopleIn(json: unknown, out: PersonSeen[], depth = 0) {
  if (depth > 10 || json === null || typeof json !== 'object') return;
  if (Array.isArray(json)) return json.forEach((x) => peopleIn(x, out, depth + 1));
  const o = json as Record<string, unknown>;
  const masked = o.idMasked ?? o.maskedId ?? o.idNumberMasked;
  const residentId = o.residentId ?? o.id;
  if (typeof masked === 'string') out.push({ residentId: typeof residentId === 'number' ? residentId : undefined, masked, birth: typeof o.birthDate === 'string' });
  for (const v of Object.values(o)) peopleIn(v, out, depth + 1);
}

async function main() {
  const started = performance.now();
  await freshDatabase();
  const { child, dataDir } = await startServer();
  const db = new pg.Client({ connectionString: DB_URL });
  await db.connect();
  try {
    const admin = await signIn('admin', ADMIN_PASSWORD);
    // the roles the demo lacks: a lab operator and a volunteer in the first community
    const community = (await db.query<{ id: number }>(`SELECT place_id AS id FROM users WHERE username = 'community1'`)).rows[0].id;
    for (const [username, role] of [['lab1', 'lab_operator'], ['volunteer1', 'volunteer'], ['tracer1', 'tracer']]) {
      const r = await request(admin, 'POST', '/api/users', JSON.stringify({ username, displayName: username, role, placeId: community, password: NEW_PASSWORD }), 'application/json');
      if (r.status !== 201) throw new Error(`create ${username}: ${r.status} ${r.text}`);
    }
    const staff: Session[] = [];
    for (const name of ['center', 'street1', 'community1', 'grid1', 'grid2', 'sampler1']) staff.push(await signIn(name, DEMO_PASSWORD));
    for (const name of ['lab1', 'volunteer1', 'tracer1']) staff.push(await signIn(name, NEW_PASSWORD));
    // where each person lives (the probe's ground truth, read from the database): by resident id,
    // and for an answer without one by the narrow mask (first six, last two), which several share
    const homeOf = new Map<number, string>();
    const homesByMask = new Map<string, string[]>();
    for (const r of (await db.query<{ id: number; id_masked: string; place_path: string }>('SELECT id, id_masked, place_path FROM residents')).rows) {
      homeOf.set(r.id, r.place_path);
      const narrow = `${r.id_masked.slice(0, 6)}**********${r.id_masked.slice(-2)}`;
      homesByMask.set(narrow, [...(homesByMask.get(narrow) ?? []), r.place_path]);
    }
    const doc = JSON.parse((await request(admin, 'GET', '/api/docs/json')).text) as { paths: Record<string, Record<string, Op>> };
    const ops = Object.entries(doc.paths).flatMap(([p, o]) => Object.entries(o).map(([m, op]) => ({ path: p, method: m.toUpperCase(), op })));

    // 1. malformed input
    const grid1 = staff.find((s) => s.name === 'grid1')!;
    for (let seed = 0; seed < SEEDS; seed++) {
      const rnd = random(20261203 + seed);
      for (const { path: p, method, op } of ops) {
        for (const input of inputsFor(method, p, op, rnd, 10)) {
          for (const who of [admin, grid1, null]) {
            const a = await request(who, input.method, input.url, input.body, input.contentType);
            counts.malformed++;
            const label = `${who?.name ?? 'anonymous'} ${method} ${p} (${input.what}) → ${a.status}`;
            if (a.status === 0 || a.status >= 500) {
              counts.fiveXX++;
              finding(`${label} ${a.text.slice(0, 120)}`);
            } else if (a.status < 400) {
              counts.accepted++;
              finding(`${label} accepted`);
            } else if (!isErrorShape(a)) {
              counts.unshaped++;
              finding(`${label} not in the error shape`);
            }
          }
        }
      }
    }

    // 2 and 3. scope and ID numbers: harvest what the administrator sees, then ask as each role
    const seen = new Map<string, Set<string>>();
    const gets = ops.filter((o) => o.method === 'GET' && !o.path.includes('/stream') && !o.path.includes('/export'));
    // the first page and a later one of each list, so the values spread over more than one grid
    for (const url of gets.filter((g) => !g.path.includes('{')).flatMap((g) => [g.path, `${g.path}?page=7`])) {
      const a = await request(admin, 'GET', url);
      if (a.status === 200) {
        try {
          harvest(JSON.parse(a.text), seen);
        } catch {
          // not JSON (a file)
        }
      }
    }
    const valuesFor = (param: string): string[] => {
      // spread over what was seen: the first values are the administrator's own first page
      const pool = [...(seen.get(param) ?? seen.get('id') ?? [])];
      const step = Math.max(1, Math.floor(pool.length / VALUES));
      return pool.filter((_, i) => i % step === 0).slice(0, VALUES);
    };
    for (const s of staff) {
      const readsPeople = s.permissions.some((p) => ['registry.read', 'testing.sample', 'testing.manage', 'testing.read'].includes(p));
      const reveals = s.permissions.includes('registry.reveal');
      for (const o of gets) {
        const params = [...o.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const urls = params.length === 0 ? [o.path] : valuesFor(params[params.length - 1]).map((v) => o.path.replace(/\{(\w+)\}/g, (_, n: string) => encodeURIComponent(n === params[params.length - 1] ? v : [...(seen.get(n) ?? ['1'])][0])));
        for (const url of urls) {
          const a = await request(s, 'GET', url);
          counts.scope++;
          if (a.status >= 500 || a.status === 0) {
            counts.fiveXX++;
            finding(`${s.name} GET ${url} → ${a.status}`);
            continue;
          }
          if (a.status !== 200) continue;
          let json: unknown;
          try {
            json = JSON.parse(a.text);
          } catch {
            continue;
          }
          const people: PersonSeen[] = [];
          peopleIn(json, people);
          const tally = byRole.get(s.name) ?? { ok: 0, people: 0 };
          tally.ok++;
          tally.people += people.length;
          byRole.set(s.name, tally);
          for (const p of people) {
            const known = p.residentId !== undefined ? homeOf.get(p.residentId) : undefined;
            const where = known ? [known] : (homesByMask.get(p.masked) ?? []);
            const inside = where.some((w) => w.startsWith(s.path)); // paths are /1/2/…/, so a prefix is the area
            if (!inside) {
              counts.leaks++;
              finding(`${s.name} (${s.role}) GET ${url}: ${p.masked} lives outside ${s.path}`);
            } else if (!readsPeople) {
              counts.leaks++;
              finding(`${s.name} (${s.role}) GET ${url}: a person, with no right to read people`);
            }
            if (!reveals && p.birth) {
              counts.idLeaks++;
              finding(`${s.name} GET ${url}: a masked ID beside a birth date`);
            }
          }
          if (!reveals && /\b\d{17}[\dXx]\b/.test(a.text)) {
            counts.idLeaks++;
            finding(`${s.name} GET ${url}: an 18-character ID number`);
          }
        }
      }
    }
  } finally {
    await db.end();
    child.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(findings.join('\n'));
  for (const [name, t] of byRole) console.log(`  ${name}: ${t.ok} reads answered, ${t.people} people in them`);
  console.log(
    `probe: ${counts.requests} requests in ${seconds} s — ${counts.malformed} malformed (${counts.fiveXX} 5xx or no answer, ${counts.accepted} accepted, ${counts.unshaped} not in the error shape), ` +
      `${counts.scope} scoped reads as 9 roles (${counts.leaks} people outside scope or right, ${counts.idLeaks} ID-number leaks)`,
  );
  process.exit(counts.fiveXX + counts.accepted + counts.unshaped + counts.leaks + counts.idLeaks ? 1 : 0);
}

await main();
