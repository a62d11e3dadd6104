// Sign-in, lock-out, password change, sign-out, session expiry, account management.
import { forgetSessions } from '../src/platform/auth.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, signIn, type Client, type TestApp } from './helpers.js';
import { useDistrictApp, createStaff, type District } from './fixtures.js';

const env = useDistrictApp();
let t: TestApp;
let admin: Client;
let d: District;
beforeAll(async () => {
  ({ t, admin, d } = env);
});

const login = (username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('sign-in', () => {
  it('stores an argon2 hash, never the password', async () => {
    const { rows } = await t.ctx.db.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE username = 'admin'`);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('sets an HttpOnly session cookie and /me answers with role and scope', async () => {
    const res = await login('admin', ADMIN_PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'fk_session')!;
    expect(cookie.httpOnly).toBe(true);
    const me = await admin.get('/api/auth/me');
    expect(me.json()).toMatchObject({ user: { username: 'admin', role: 'admin' }, scopePath: '/' });
    expect(me.json().permissions).toEqual(expect.arrayContaining(['users.manage', 'audit.read', 'testing.lab']));
  });

  it('/me lists what the role may do, and /api/roles which roles it may grant', async () => {
    await createStaff(admin, 'permy', 'grid_worker', d.gridA, 'Guard-pass-2028');
    const grid = await signIn(t.app, 'permy', 'Guard-pass-2028');
    const { permissions } = (await grid.get('/api/auth/me')).json();
    expect(permissions).toEqual(['registry.read', 'registry.write', 'registry.export', 'registry.reveal', 'testing.read', 'antigen.distribute', 'antigen.report', 'notices.read', 'zones.read', 'codes.read']);
    expect((await grid.get('/api/roles')).json().items.filter((r: { grantable: boolean }) => r.grantable)).toEqual([]);
    const roles = (await admin.get('/api/roles')).json().items as { role: string; grantable: boolean }[];
    expect(roles.filter((r) => !r.grantable).map((r) => r.role)).toEqual(['admin']);
  });

  it('/me lists what the role may do, from the modules\' grants: the console shows and hides by it', async () => {
    await createStaff(admin, 'perm-lab', 'lab_operator', d.district);
    await createStaff(admin, 'perm-grid', 'grid_worker', d.gridA);
    const lab = (await (await signIn(t.app, 'perm-lab', 'Staff-pass-2026')).get('/api/auth/me')).json().permissions;
    const grid = (await (await signIn(t.app, 'perm-grid', 'Staff-pass-2026')).get('/api/auth/me')).json().permissions;
    expect(lab).toEqual(expect.arrayContaining(['testing.read', 'testing.lab']));
    expect(lab).not.toContain('registry.read'); // tubes and results, no names
    expect(grid).toEqual(expect.arrayContaining(['registry.read', 'registry.reveal', 'antigen.report']));
    expect(grid).not.toContain('testing.manage');
    expect((await admin.get('/api/auth/me')).json().permissions).toContain('users.manage');
  });

  it("throttles one client's guesses at one account with growing waits, and never locks the owner out", async () => {
    await createStaff(admin, 'locky', 'grid_worker', d.gridA, 'Guard-pass-2026');
    const from = (ip: string, password: string, username = 'locky') =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });
    for (let i = 0; i < 4; i++) expect((await from('203.0.113.9', 'wrong')).json().error.code).toBe('AUTH_INVALID_CREDENTIALS');
    expect((await from('203.0.113.9', 'wrong')).statusCode).toBe(401); // the fifth failure starts the wait
    const waiting = await from('203.0.113.9', 'Guard-pass-2026'); // even the right password waits, from that client
    expect(waiting.statusCode).toBe(429);
    expect(waiting.json().error).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(waiting.json().error.messages['en-US']).toBeTruthy();
    expect(Number(waiting.headers['retry-after'])).toBe(30);
    // The owner, elsewhere, signs in; so does the administrator whose name the stranger tried too.
    for (let i = 0; i < 8; i++) await from('203.0.113.9', 'wrong', 'admin');
    expect((await from('198.51.100.7', 'Guard-pass-2026')).statusCode).toBe(200);
    expect((await from('198.51.100.7', ADMIN_PASSWORD, 'admin')).statusCode).toBe(200);
    // The wait doubles with each failure after it ends.
    const realNow = Date.now;
    try {
      Date.now = () => realNow() + 31_000;
      expect((await from('203.0.113.9', 'wrong')).statusCode).toBe(401);
      expect(Number((await from('203.0.113.9', 'wrong')).headers['retry-after'])).toBe(60);
    } finally {
      Date.now = realNow;
    }
  });

  it('an administrator or the command center unlocks an account through the API, audited; lower officers may not', async () => {
    await createStaff(admin, 'unlocky', 'grid_worker', d.gridA, 'Guard-pass-2027');
    await createStaff(admin, 'unlock-cc', 'command_center', d.district);
    await createStaff(admin, 'unlock-co', 'community_officer', d.community);
    const { rows } = await t.ctx.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'unlocky'`);
    const id = rows[0].id;
    for (let i = 0; i < 6; i++) await login('unlocky', 'wrong');
    expect((await login('unlocky', 'Guard-pass-2027')).statusCode).toBe(429);
    const co = await signIn(t.app, 'unlock-co', 'Staff-pass-2026');
    expect((await co.post(`/api/users/${id}/unlock`)).json().error.code).toBe('FORBIDDEN');
    const cc = await signIn(t.app, 'unlock-cc', 'Staff-pass-2026');
    const res = await cc.post(`/api/users/${id}/unlock`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user).toMatchObject({ id, locked: false });
    expect((await login('unlocky', 'Guard-pass-2027')).statusCode).toBe(200);
    const adminId = (await t.ctx.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'admin'`)).rows[0].id;
    expect((await cc.post(`/api/users/${adminId}/unlock`)).json().error.code).toBe('USER_NOT_FOUND');
    expect((await admin.post(`/api/users/${adminId}/unlock`)).statusCode).toBe(200);
    const audit = await t.ctx.db.query(`SELECT 1 FROM audit_log WHERE action = 'user.unlock' AND entity_id = $1`, [String(id)]);
    expect(audit.rows.length).toBe(1);
  });

  it('an unknown user gets the same answer as a wrong password, throttled alike, in the same timing class', async () => {
    const res = await login('nobody', 'whatever');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH_INVALID_CREDENTIALS');
    const time = async (username: string) => {
      const at = performance.now();
      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'wrong' }, remoteAddress: '192.0.2.50' });
      return performance.now() - at;
    };
    await createStaff(admin, 'known-one', 'grid_worker', d.gridA);
    const known = (await Promise.all([0, 1, 2].map(() => time('known-one')))).sort()[1];
    const unknown = (await Promise.all([0, 1, 2].map(() => time('no-such-one')))).sort()[1];
    expect(unknown).toBeGreaterThan(known / 3); // both hash a password (argon2: tens of ms)
    const answers = [];
    for (const name of ['known-one', 'no-such-one']) {
      for (let i = 0; i < 5; i++) await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: name, password: 'x' }, remoteAddress: '192.0.2.51' });
      const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: name, password: 'x' }, remoteAddress: '192.0.2.51' });
      answers.push([r.statusCode, r.json().error.code, r.headers['retry-after']]);
    }
    expect(answers[0]).toEqual(answers[1]);
  });

  it('changes the password, enforcing the rule and signing out other sessions', async () => {
    await createStaff(admin, 'changer', 'grid_worker', d.gridA, 'Old-pass-2026');
    const a = await signIn(t.app, 'changer', 'Old-pass-2026');
    const b = await signIn(t.app, 'changer', 'Old-pass-2026');
    expect((await a.post('/api/auth/password', { currentPassword: 'nope', newPassword: 'New-pass-2027' })).json().error.code).toBe('AUTH_PASSWORD_WRONG');
    expect((await a.post('/api/auth/password', { currentPassword: 'Old-pass-2026', newPassword: 'short' })).json().error).toMatchObject({ code: 'AUTH_PASSWORD_WEAK', field: 'newPassword' });
    expect((await a.post('/api/auth/password', { currentPassword: 'Old-pass-2026', newPassword: 'New-pass-2027' })).statusCode).toBe(200);
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
    expect((await login('changer', 'Old-pass-2026')).statusCode).toBe(401);
    expect((await login('changer', 'New-pass-2027')).statusCode).toBe(200);
  });

  it('signs out', async () => {
    const c = await signIn(t.app, 'admin', ADMIN_PASSWORD);
    expect((await c.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await c.get('/api/auth/me')).json().error.code).toBe('AUTH_REQUIRED');
  });

  it('tells an expired session apart from no session', async () => {
    // an account of its own: expiring the administrator's sessions would sign out the client the other tests share
    await createStaff(admin, 'expiring', 'grid_worker', d.gridA);
    const c = await signIn(t.app, 'expiring', 'Staff-pass-2026');
    await t.ctx.db.query(`UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE user_id = (SELECT id FROM users WHERE username = 'expiring')`);
    forgetSessions(t.ctx); // the change went behind the app's back; the app forgets on its own changes
    const res = await c.get('/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH_SESSION_EXPIRED');
  });

  it('remembers the language per user', async () => {
    await createStaff(admin, 'lang', 'grid_worker', d.gridA);
    const c = await signIn(t.app, 'lang', 'Staff-pass-2026');
    expect((await c.patch('/api/auth/me', { locale: 'en-US' })).json().user.locale).toBe('en-US');
    expect((await c.get('/api/residents/999999')).json().error.message).toMatch(/does not exist/);
  });
});

describe('account management', () => {
  it('creates an account with a one-time password the user must change', async () => {
    const res = await admin.post('/api/users', { username: 'newbie', displayName: '新人', role: 'sampler', placeId: d.community });
    expect(res.statusCode).toBe(201);
    const { user, oneTimePassword } = res.json();
    expect(user).toMatchObject({ role: 'sampler', placeId: d.community, mustChangePassword: true });
    expect(oneTimePassword).toMatch(/^[A-Za-z0-9]{14}$/);
    const c = await signIn(t.app, 'newbie', oneTimePassword);
    expect((await c.get('/api/auth/me')).json().user.mustChangePassword).toBe(true);
  });

  it('an officer grants only lower roles, only inside their scope', async () => {
    await createStaff(admin, 'officer', 'community_officer', d.community);
    const officer = await signIn(t.app, 'officer', 'Staff-pass-2026');
    expect((await officer.post('/api/users', { username: 'peer', displayName: 'p', role: 'community_officer', placeId: d.community })).json().error.code).toBe('USER_ROLE_NOT_ALLOWED');
    expect((await officer.post('/api/users', { username: 'gw1', displayName: 'g', role: 'grid_worker', placeId: d.gridA })).statusCode).toBe(201);
    const outside = await officer.post('/api/users', { username: 'gw22', displayName: 'g', role: 'grid_worker', placeId: d.street });
    expect(outside.json().error.code).toBe('PLACE_NOT_FOUND');
    const list = (await officer.get('/api/users')).json().items.map((u: { username: string }) => u.username);
    expect(list).toContain('gw1');
    expect(list).not.toContain('admin');
  });

  it('a disabled account is signed out and cannot sign in', async () => {
    await createStaff(admin, 'leaver', 'volunteer', d.community);
    const c = await signIn(t.app, 'leaver', 'Staff-pass-2026');
    const { rows } = await t.ctx.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'leaver'`);
    expect((await admin.patch(`/api/users/${rows[0].id}`, { disabled: true })).json().user.disabled).toBe(true);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
    expect((await login('leaver', 'Staff-pass-2026')).json().error.code).toBe('AUTH_DISABLED');
  });

  it('pages accounts by cursor', async () => {
    await createStaff(admin, 'paged-1', 'volunteer', d.community); // at least two accounts, whatever ran before
    const first = (await admin.get('/api/users?limit=1')).json();
    expect(first.items).toHaveLength(1);
    const second = (await admin.get(`/api/users?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].id).toBeGreaterThan(first.items[0].id);
  });

  it('a grid worker cannot manage accounts', async () => {
    await createStaff(admin, 'gridonly', 'grid_worker', d.gridA);
    const c = await signIn(t.app, 'gridonly', 'Staff-pass-2026');
    expect((await c.get('/api/users')).statusCode).toBe(403);
  });
});
