// Rate limits (issue 11, availability): sign-in, password change, the public resident form and
// every export answer 429 RATE_LIMITED with Retry-After once a client has used its budget. The
// limits are set small here so the test needs a handful of requests.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { rateLimit } from '../src/platform/security.js';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { createStaff, makeMainlandId } from './fixtures.js';

const LIMITS = { windowSeconds: 60, signIn: 3, passwordChange: 2, publicForms: 2, exports: 2 };

let t: TestApp;
let admin: Client;

beforeAll(async () => {
  t = await startTestApp({ rateLimits: LIMITS });
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD); // the first sign-in from 127.0.0.1
});
afterAll(() => t.close());

function expectLimited(res: { statusCode: number; headers: Record<string, unknown>; json(): { error: Record<string, unknown> } }) {
  expect(res.statusCode).toBe(429);
  const error = res.json().error;
  expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
  expect(error.messages).toMatchObject({ 'zh-CN': expect.stringContaining('请求过于频繁'), 'en-US': expect.stringContaining('Too many requests') });
  const wait = Number(res.headers['retry-after']);
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(LIMITS.windowSeconds);
}

describe('rate limits', () => {
  it('the defaults are per minute, and a limit of 0 turns one off', () => {
    const c = loadConfig({});
    expect(c.rateLimits.windowSeconds).toBe(60);
    for (const kind of ['signIn', 'passwordChange', 'publicForms', 'exports'] as const) expect(c.rateLimits[kind]).toBeGreaterThan(0);
    expect(rateLimit({ ...c, rateLimits: { ...c.rateLimits, exports: 0 } }, 'exports')).toBe(false);
    expect(rateLimit(c, 'exports')).toMatchObject({ max: c.rateLimits.exports, timeWindow: 60_000 });
  });

  it('sign-in: a client gets its budget per window, whatever the names it tries; another client is not affected', async () => {
    const from = (ip: string, username: string, password: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });
    // two more from 203.0.113.1 than the per-(address, account) throttle would stop: different names each time
    for (let i = 0; i < LIMITS.signIn; i++) expect((await from('203.0.113.1', `nobody${i}`, 'wrong')).statusCode).toBe(401);
    expectLimited(await from('203.0.113.1', 'admin', ADMIN_PASSWORD)); // even the right password waits
    expect((await from('203.0.113.2', 'admin', ADMIN_PASSWORD)).statusCode).toBe(200);
  });

  it('password change: an account gets its budget per window', async () => {
    await createStaff(admin, 'changer', 'volunteer', await district());
    const c = await signIn(t.app, 'changer', 'Staff-pass-2026');
    for (let i = 0; i < LIMITS.passwordChange; i++) {
      expect((await c.post('/api/auth/password', { currentPassword: 'Staff-pass-2026', newPassword: 'short' })).statusCode).toBe(400);
    }
    expectLimited(await c.post('/api/auth/password', { currentPassword: 'Staff-pass-2026', newPassword: 'Long-enough-2027' }));
  });

  it('the public self-report form: a client address gets its budget per window', async () => {
    const post = (ip: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/public/antigen-reports',
        payload: { key: crypto.randomUUID(), code: 'not-a-code', result: 'negative' },
        remoteAddress: ip,
      });
    for (let i = 0; i < LIMITS.publicForms; i++) expect((await post('198.51.100.1')).json().error.code).toBe('CODE_INVALID');
    expectLimited(await post('198.51.100.1'));
    expect((await post('198.51.100.2')).json().error.code).toBe('CODE_INVALID');
  });

  it('exports: an account gets its budget per window on each export, another account keeps its own', async () => {
    const placeId = await district();
    const unit = (await admin.post('/api/places', { parentId: placeId, kind: 'street', name: '导出街道' })).json().id;
    const hh = (await admin.post('/api/households', { placeId: unit, room: '101' })).json().id;
    await admin.post('/api/residents', { householdId: hh, name: '王五', idNumber: makeMainlandId('19700101', 111), phone: '13800000001' });
    for (let i = 0; i < LIMITS.exports; i++) expect((await admin.get('/api/residents/export.xlsx')).statusCode).toBe(200);
    expectLimited(await admin.get('/api/residents/export.xlsx'));
    // the template is a file answer too: limited without its route saying so
    for (let i = 0; i < LIMITS.exports; i++) expect((await admin.get('/api/imports/template.xlsx')).statusCode).toBe(200);
    expectLimited(await admin.get('/api/imports/template.xlsx'));

    await createStaff(admin, 'exporter', 'command_center', placeId);
    const other = await signInFrom('192.0.2.78', 'exporter');
    expect((await other.get('/api/residents/export.xlsx')).statusCode).toBe(200);
  });

  it('every file answer of the API is rate limited (a new export cannot forget)', async () => {
    const doc = t.app.swagger() as { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>> };
    const files = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => Object.keys(op.responses?.['200']?.content ?? {}).some((c) => c !== 'application/json' && c !== 'text/event-stream'))
        .map(([, ]) => p.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'id' && p.startsWith('/api/imports/') ? crypto.randomUUID() : '1'))),
    );
    expect(files.length).toBeGreaterThanOrEqual(4);
    await createStaff(admin, 'prober', 'command_center', await district());
    const prober = await signInFrom('192.0.2.77', 'prober');
    for (const url of files) {
      // found or not, each request counts: the limit runs before the handler
      for (let i = 0; i < LIMITS.exports; i++) expect((await prober.get(url)).statusCode, url).not.toBe(429);
      expectLimited(await prober.get(url));
    }
  });
});

/** A sign-in from its own address (127.0.0.1 has used its sign-in budget by then). */
async function signInFrom(ip: string, username: string) {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'Staff-pass-2026' }, remoteAddress: ip });
  expect(res.statusCode).toBe(200);
  const token = res.cookies.find((c) => c.name === 'fk_session')!.value;
  return { get: (url: string) => t.app.inject({ method: 'GET', url, cookies: { fk_session: token } }) };
}

let districtId: number | undefined;
async function district() {
  districtId ??= (await admin.post('/api/places', { parentId: null, kind: 'district', name: '限流区', code: '120103' })).json().id as number;
  return districtId;
}
