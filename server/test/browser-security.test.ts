// Sessions and the browser (issue 11, section 4): security headers and no-store, the cross-origin
// (CSRF) rule, TRUST_PROXY, the session cookie's Secure flag, must_change_password enforced by
// the server, and the password rule (common passwords, the username, throttled guesses).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../src/config.js';
import { isCommonPassword } from '../src/modules/accounts/index.js';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { buildDistrict, createStaff, type District } from './fixtures.js';

let t: TestApp;
let admin: Client;
let d: District;

beforeAll(async () => {
  t = await startTestApp();
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
  d = await buildDistrict(admin);
});
afterAll(() => t.close());

const reveals = async () =>
  Number((await t.ctx.db.query<{ n: string }>(`SELECT count(*) AS n FROM audit_log WHERE action = 'resident.reveal_id'`)).rows[0].n);

describe('security headers', () => {
  it('every answer carries the CSP, nosniff, a referrer policy and no framing; API answers are not stored', async () => {
    for (const url of ['/api/health', '/api/auth/me', '/api/no-such-route', '/api/residents?limit=1']) {
      const res = await admin.get(url);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['cache-control'], url).toBe('no-store');
      // plain HTTP here: no HSTS
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });
});

describe('the cross-origin rule (CSRF)', () => {
  const reveal = (headers: Record<string, string>, payload?: string) =>
    admin.inject({ method: 'POST', url: `/api/residents/${d.residentA}/reveal-id`, headers, ...(payload !== undefined ? { payload } : {}) });

  it('refuses the reported attack: a body-less reveal-id posted cross-origin as text/plain, with the session cookie', async () => {
    const before = await reveals();
    const res = await reveal({ origin: 'https://evil.example', 'content-type': 'text/plain' }, '');
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'CROSS_ORIGIN_REFUSED', status: 403 });
    expect(res.json().error.messages['en-US']).toContain('another site');
    expect(res.body).not.toContain(d.idA);
    expect(await reveals()).toBe(before);
  });

  it('refuses what a browser marks cross-site or same-site, a foreign Referer and an opaque origin', async () => {
    const before = await reveals();
    for (const headers of <Record<string, string>[]>[
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', origin: 'http://localhost:80' },
      { referer: 'https://evil.example/page' },
      { origin: 'null' },
      { origin: 'http://localhost:80.evil.example' },
    ]) {
      const res = await reveal(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
    }
    expect(await reveals()).toBe(before);
  });

  it('refuses text/plain bodies even from our own origin (no route takes them), and a cross-origin sign-in', async () => {
    const res = await reveal({ 'sec-fetch-site': 'same-origin', 'content-type': 'text/plain' }, 'x');
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: 'https://evil.example' },
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    expect(login.statusCode).toBe(403);
  });

  it("accepts the console's own requests (same-origin, or Origin / Referer of this host) and non-browser clients", async () => {
    const host = 'fangkong.example:8443';
    for (const headers of <Record<string, string>[]>[
      { 'sec-fetch-site': 'same-origin', origin: `https://${host}` },
      { origin: `https://${host}`, host },
      { referer: `https://${host}/residents`, host },
      {}, // curl, a lab instrument, a script: no Origin, no Referer, no Sec-Fetch-Site
    ]) {
      const res = await reveal(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(200);
      expect(res.json().idNumber).toBe(d.idA);
    }
    // reads are never refused (the SSE board, the exports opened in a new tab)
    expect((await admin.inject({ method: 'GET', url: '/api/auth/me', headers: { 'sec-fetch-site': 'cross-site' } })).statusCode).toBe(200);
  });
});

describe('TRUST_PROXY', () => {
  it('by default believes no X-Forwarded-For: the audit row and the sign-in throttle see the connecting address', async () => {
    await createStaff(admin, 'spoofy', 'grid_worker', d.gridA, 'Guard-pass-2029');
    const login = (xff: string, password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '192.0.2.10',
        headers: { 'x-forwarded-for': xff },
        payload: { username: 'spoofy', password },
      });
    // five wrong passwords, each claiming another address: one client all the same
    for (let i = 0; i < 5; i++) expect((await login(`203.0.113.${i + 1}`, 'wrong')).statusCode).toBe(401);
    expect((await login('203.0.113.99', 'Guard-pass-2029')).statusCode).toBe(429);
    const { rows } = await t.ctx.db.query<{ ip: string }>(`SELECT ip FROM audit_log WHERE action = 'auth.login_failed' AND username = 'spoofy'`);
    expect(rows.length).toBe(5);
    expect(new Set(rows.map((r) => r.ip))).toEqual(new Set(['192.0.2.10']));
  });

  it('believes the proxies it names, and refuses "true" (believe anyone)', async () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('127.0.0.1, 10.0.0.0/8')).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(parseTrustProxy('1')).toBe(1);
    expect(() => parseTrustProxy('true')).toThrow(/TRUST_PROXY/);

    const proxied = await startTestApp({ trustProxy: ['192.0.2.1'] });
    try {
      const from = (remoteAddress: string) =>
        proxied.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          remoteAddress,
          headers: { 'x-forwarded-for': '198.51.100.23', 'x-forwarded-proto': 'https' },
          payload: { username: 'admin', password: ADMIN_PASSWORD },
        });
      const viaProxy = await from('192.0.2.1');
      expect(viaProxy.statusCode).toBe(200);
      // over HTTPS as the proxy says: HSTS, and (COOKIE_SECURE=auto) a Secure cookie
      expect(viaProxy.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(viaProxy.cookies.find((c) => c.name === 'fk_session')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
      const direct = await from('192.0.2.2'); // not the proxy: its headers are not believed
      expect(direct.headers['strict-transport-security']).toBeUndefined();
      expect(direct.cookies.find((c) => c.name === 'fk_session')?.secure).toBeFalsy();
      const { rows } = await proxied.ctx.db.query<{ ip: string }>(`SELECT ip FROM audit_log WHERE action = 'auth.login' ORDER BY id`);
      expect(rows.map((r) => r.ip)).toEqual(['198.51.100.23', '192.0.2.2']);
    } finally {
      await proxied.close();
    }
  });
});

describe('the session cookie', () => {
  it('is not Secure over plain HTTP by default (auto), and always Secure with COOKIE_SECURE=true', async () => {
    const plain = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(plain.cookies.find((c) => c.name === 'fk_session')?.secure).toBeFalsy();
    const always = await startTestApp({ cookieSecure: 'always' });
    try {
      const res = await always.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
      expect(res.cookies.find((c) => c.name === 'fk_session')?.secure).toBe(true);
    } finally {
      await always.close();
    }
  });
});

describe('must_change_password', () => {
  it('a one-time password opens only the password change, /api/auth/me and sign-out until it is changed', async () => {
    const created = (await admin.post('/api/users', { username: 'fresh', displayName: '新人', role: 'grid_worker', placeId: d.gridA })).json();
    const c = await signIn(t.app, 'fresh', created.oneTimePassword);
    for (const [method, url] of [
      ['GET', '/api/residents'],
      ['GET', '/api/places/roots'],
      ['POST', `/api/residents/${d.residentA}/reveal-id`],
      ['GET', '/api/roles'],
    ] as const) {
      const res = await c.inject({ method, url });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    }
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    expect((await c.patch('/api/auth/me', { locale: 'en-US' })).statusCode).toBe(200);
    expect((await c.get('/api/health')).statusCode).toBe(200);
    expect((await c.post('/api/auth/password', { currentPassword: created.oneTimePassword, newPassword: 'Fresh-start-4711x' })).json().error.code).toBe(
      'AUTH_PASSWORD_HAS_USERNAME',
    );
    expect((await c.post('/api/auth/password', { currentPassword: created.oneTimePassword, newPassword: 'Brand-new-4711' })).statusCode).toBe(200);
    expect((await c.get('/api/residents')).statusCode).toBe(200);
    expect((await c.post('/api/auth/logout')).statusCode).toBe(200);
  });
});

describe('the password rule', () => {
  it('refuses the most common passwords in any case, passwords containing the username, and short ones', async () => {
    for (const p of ['password12', 'Password123', 'PASSWORD123!', 'qwerty1234', 'woaini1314', 'a123456789', 'Aa123456789']) {
      expect(isCommonPassword(p), p).toBe(true);
      const res = await admin.post('/api/users', { username: `weak${Math.random().toString(36).slice(2, 8)}`, displayName: 'w', role: 'volunteer', placeId: d.gridA, password: p });
      expect(res.statusCode, p).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'AUTH_PASSWORD_COMMON', field: 'password' });
    }
    for (const p of ['12345678', '5201314', 'a123456', 'qwerty123']) expect(isCommonPassword(p), p).toBe(true);
    expect(isCommonPassword('Tiger-lily-2026')).toBe(false);
    const own = await admin.post('/api/users', { username: 'zhangsan', displayName: 'z', role: 'volunteer', placeId: d.gridA, password: 'ZhangSan-2026' });
    expect(own.json().error).toMatchObject({ code: 'AUTH_PASSWORD_HAS_USERNAME', field: 'password' });
    expect(own.json().error.messages['zh-CN']).toContain('用户名');
  });

  it('throttles guesses of the current password on password change, per account whatever the address', async () => {
    await createStaff(admin, 'guessy', 'grid_worker', d.gridA, 'Guard-pass-2030');
    const c = await signIn(t.app, 'guessy', 'Guard-pass-2030');
    const change = (current: string, ip: string) =>
      c.inject({ method: 'POST', url: '/api/auth/password', remoteAddress: ip, payload: { currentPassword: current, newPassword: 'Other-pass-2031' } });
    for (let i = 0; i < t.ctx.config.loginFreeAttempts - 1; i++) {
      expect((await change(`guess-${i}`, `192.0.2.${100 + i}`)).json().error.code).toBe('AUTH_PASSWORD_WRONG');
    }
    const last = await change('guess-last', '192.0.2.120');
    expect(last.json().error.code).toBe('AUTH_PASSWORD_WRONG');
    const waiting = await change('Guard-pass-2030', '192.0.2.121'); // even the right one, from elsewhere
    expect(waiting.statusCode).toBe(429);
    expect(waiting.json().error.code).toBe('RATE_LIMITED');
    expect(Number(waiting.headers['retry-after'])).toBeGreaterThan(0);
    const audited = await t.ctx.db.query(`SELECT 1 FROM audit_log WHERE action = 'auth.password_change_failed' AND username = 'guessy'`);
    expect(audited.rows.length).toBe(t.ctx.config.loginFreeAttempts);
  });
});
