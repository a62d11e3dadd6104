// The residents' portal (issue 13): sign-in by an SMS code read from the outbox or by the household
// card, a rotated card refused (410, and CODE_REVOKED at the lane), acting for a member of one's
// own household only, the notices inbox, the limits and the lock, and no enumeration of numbers.
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INAPP_TOPIC } from '../src/modules/outbox/index.js';
import { residentCode } from '../src/platform/codes.js';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { boxHandedOver, boxReceived, buildTown, campaign, household, key, ok, results, tube, type Town } from './factories.js';

let t: TestApp;
let admin: Client;
let town: Town;
const PERMISSIVE = { otpResendSeconds: 0, otpPerNumberPerHour: 1000, otpPerIpPerHour: 100_000, sessionTtlHours: 24 };

type Res = Awaited<ReturnType<TestApp['app']['inject']>>;

/** A resident's browser: keeps the fk_resident cookie it was given. */
function resident() {
  let cookie: string | undefined;
  const send = async (opts: InjectOptions & { method: string; url: string }): Promise<Res> => {
    const res = await t.app.inject({ ...opts, cookies: cookie ? { fk_resident: cookie } : {} });
    const set = res.cookies.find((c) => c.name === 'fk_resident');
    if (set) cookie = set.value || undefined;
    return res;
  };
  return {
    send,
    get cookie() {
      return cookie;
    },
    get: (url: string) => send({ method: 'GET', url }),
    post: (url: string, payload?: object) => send({ method: 'POST', url, payload }),
    put: (url: string, payload: object) => send({ method: 'PUT', url, payload }),
  };
}
type Resident = ReturnType<typeof resident>;

/** The code in the newest SMS queued to a number (what the local SMSC or the development SMS page shows). */
async function lastCodeTo(phone: string): Promise<string | null> {
  const { rows } = await t.ctx.db.query<{ body: string }>(`SELECT body FROM messages WHERE channel = 'sms' AND source = 'otp' AND address = $1 ORDER BY queued_at DESC LIMIT 1`, [phone]);
  return rows[0] ? /\b(\d{6})\b/.exec(rows[0].body)![1] : null;
}

async function signInBySms(phone: string): Promise<Resident> {
  const r = resident();
  const asked = await r.post('/api/portal/sign-in/sms', { phone });
  expect(asked.statusCode, asked.body).toBe(202);
  const res = await r.post('/api/portal/sign-in/code', { phone, code: (await lastCodeTo(phone))! });
  expect(res.statusCode, res.body).toBe(200);
  return r;
}

async function inapp(residentId: number, body: string, status = 'delivered') {
  const { rows } = await t.ctx.db.query<{ id: string }>(
    `INSERT INTO messages (channel, resident_id, address, body, subject, source, status, delivered_at) VALUES ('inapp', $1::int, 'resident:' || $1::int, $2, '通知', 'notice', $3, now()) RETURNING id`,
    [residentId, body, status],
  );
  return rows[0].id;
}

beforeAll(async () => {
  t = await startTestApp({ portal: PERMISSIVE });
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
  town = await buildTown(admin);
}, 120_000);
afterAll(() => t.close());

describe('sign-in', () => {
  it('by a six-digit SMS code queued in the outbox (hashed in the database, in the resident’s language), then me shows the household', async () => {
    const [zhang, wang] = town.c1.a.people;
    await t.ctx.db.query(`UPDATE residents SET language = 'ko-KR' WHERE id = $1`, [zhang.id]);
    // other tests sign zhang in too, in any order: count only what this request queues
    const before = (await t.ctx.db.query<{ n: string }>(`SELECT coalesce(max(id), 0) AS n FROM resident_otps`)).rows[0].n;
    const since = (await t.ctx.db.query<{ at: Date }>(`SELECT clock_timestamp() AS at`)).rows[0].at;
    const r = resident();
    const asked = await r.post('/api/portal/sign-in/sms', { phone: `+86 ${zhang.phone}` });
    expect(asked.statusCode).toBe(202);
    expect(asked.json()).toEqual({ sent: true, retryAfterSeconds: 0 });
    const { rows } = await t.ctx.db.query<{ body: string; resident_id: number; language: string; status: string }>(
      `SELECT body, resident_id, language, status FROM messages WHERE source = 'otp' AND address = $1 AND queued_at >= $2`,
      [zhang.phone, since],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ resident_id: zhang.id, language: 'ko-KR', status: 'queued' });
    expect(rows[0].body).toContain('인증번호');
    const code = (await lastCodeTo(zhang.phone))!;
    // the code itself is nowhere in the database but the message body
    const stored = await t.ctx.db.query<{ h: string }>(`SELECT encode(code_hash, 'hex') AS h FROM resident_otps WHERE phone = $1 AND id > $2`, [zhang.phone, before]);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].h).not.toContain(code);
    const res = await r.post('/api/portal/sign-in/code', { phone: zhang.phone, code });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'fk_resident')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/portal' });
    const me = res.json();
    expect(me.resident).toEqual({ id: zhang.id, name: zhang.name, language: 'ko-KR' });
    expect(me.actingFor).toBeNull();
    expect(me.household.id).toBe(town.c1.a.householdId);
    expect(me.household.address).toContain('1号楼');
    expect(me.household.members.map((m: { id: number; isSelf: boolean }) => [m.id, m.isSelf])).toEqual([
      [zhang.id, true],
      [wang.id, false],
    ]);
    // no ID numbers, no phones
    expect(JSON.stringify(me)).not.toContain(wang.phone);
    expect(JSON.stringify(me)).not.toContain(wang.idNumber);
    // used once
    const again = await resident().post('/api/portal/sign-in/code', { phone: zhang.phone, code });
    expect(again.json().error.code).toBe('OTP_EXPIRED');
    const audit = await t.ctx.db.query(`SELECT detail FROM audit_log WHERE action = 'portal.sign_in' AND entity_id = $1 AND at >= $2`, [String(zhang.id), since]);
    expect(audit.rows).toHaveLength(1);
    expect(JSON.stringify(audit.rows)).not.toContain(code);
  });

  it('a shared number signs in as its first resident', async () => {
    const [li, liu] = town.c1.b.people;
    await t.ctx.db.query('UPDATE residents SET phone = $1 WHERE id = $2', [li.phone, liu.id]);
    const r = await signInBySms(li.phone);
    expect((await r.get('/api/portal/me')).json().resident.id).toBe(Math.min(li.id, liu.id));
    await t.ctx.db.query('UPDATE residents SET phone = $1 WHERE id = $2', [liu.phone, liu.id]);
  });

  it('by the household card; a rotated card answers 410 CODE_REVOKED, the lane refuses it, the new one works', async () => {
    const [chen] = town.c2.a.people;
    const old = residentCode(t.ctx.vault, chen.id);
    const r = resident();
    const res = await r.post('/api/portal/sign-in/card', { code: old });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().resident.id).toBe(chen.id);
    expect((await r.get('/api/portal/code')).json()).toEqual({ code: old, version: 0, colour: { colour: 'green', reasons: [], override: null } });

    const forged = old.slice(0, -2) + (old.endsWith('AA') ? 'BB' : 'AA');
    expect((await resident().post('/api/portal/sign-in/card', { code: forged })).json().error.code).toBe('CODE_UNKNOWN');
    expect((await resident().post('/api/portal/sign-in/card', { code: forged })).statusCode).toBe(404);

    const rotated = await ok<{ version: number }>(admin.post(`/api/households/${town.c2.a.householdId}/codes/rotate`, { reason: '户卡遗失' }), 200);
    expect(rotated.version).toBe(1);
    const refused = await resident().post('/api/portal/sign-in/card', { code: old });
    expect(refused.statusCode).toBe(410);
    expect(refused.json().error.code).toBe('CODE_REVOKED');
    // the session opened with the lost card ended with it
    expect((await r.get('/api/portal/me')).statusCode).toBe(401);

    const camp = await campaign(admin, { name: '桃园换码核酸', ownerPlaceId: town.c2.community, coverPlaceIds: [town.c2.community], sitePlaceId: town.c2.compound, siteName: '桃园换码采样点' });
    const lane = await admin.post('/api/scans', { key: key(), laneId: camp.laneId, tube: 'ROT-0001', code: old });
    expect(lane.statusCode).toBe(410);
    expect(lane.json().error.code).toBe('CODE_REVOKED');

    const fresh = residentCode(t.ctx.vault, chen.id, 1);
    const r2 = resident();
    expect((await r2.post('/api/portal/sign-in/card', { code: fresh })).statusCode).toBe(200);
    expect((await r2.get('/api/portal/code')).json()).toEqual({ code: fresh, version: 1, colour: { colour: 'green', reasons: [], override: null } });
    const logged = await t.ctx.db.query<{ detail: { reason: string; version: number } }>(`SELECT detail FROM audit_log WHERE action = 'household.codes_rotate'`);
    expect(logged.rows.map((x) => x.detail)).toContainEqual({ reason: '户卡遗失', version: 1 });
  });

  it('sign-out ends the session', async () => {
    const r = await signInBySms(town.c1.a.people[1].phone);
    expect((await r.post('/api/portal/sign-out')).statusCode).toBe(204);
    expect((await r.get('/api/portal/me')).statusCode).toBe(401);
  });
});

describe('sessions are kept apart', () => {
  it('a staff cookie opens no portal route, a resident cookie no staff route', async () => {
    const r = await signInBySms(town.c1.a.people[0].phone);
    for (const url of ['/api/portal/me', '/api/portal/code', '/api/portal/notices', '/api/portal/results']) {
      expect((await admin.get(url)).statusCode, url).toBe(401);
    }
    for (const url of ['/api/auth/me', '/api/residents?limit=5', `/api/households/${town.c1.a.householdId}`]) {
      const res = await t.app.inject({ method: 'GET', url, cookies: { fk_resident: r.cookie!, fk_session: r.cookie! } });
      expect(res.statusCode, url).toBe(401);
    }
    const rotate = await t.app.inject({ method: 'POST', url: `/api/households/${town.c1.a.householdId}/codes/rotate`, payload: { reason: 'x' }, cookies: { fk_resident: r.cookie! } });
    expect(rotate.statusCode).toBe(401);
  });
});

describe('acting for a member of the household', () => {
  it('only within the household; another household’s id answers like a missing one; audited with both ids', async () => {
    const [zhang, wang] = town.c1.a.people;
    const [li] = town.c1.b.people;
    const r = await signInBySms(zhang.phone);
    const other = await r.put('/api/portal/acting-for', { residentId: li.id });
    const missing = await r.put('/api/portal/acting-for', { residentId: 987654321 });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe(missing.json().error.code);
    expect(other.body).not.toContain(li.name);

    const acting = await r.put('/api/portal/acting-for', { residentId: wang.id });
    expect(acting.statusCode, acting.body).toBe(200);
    expect(acting.json().actingFor).toEqual({ id: wang.id, name: wang.name });
    expect((await r.get('/api/portal/code')).json().code).toBe(residentCode(t.ctx.vault, wang.id));

    const report = await r.post('/api/portal/antigen-reports', { key: key(), result: 'negative' });
    expect(report.statusCode, report.body).toBe(200);
    const reports = (await r.get('/api/portal/antigen-reports')).json().items;
    expect(reports).toHaveLength(1);
    const stored = await t.ctx.db.query('SELECT resident_id FROM antigen_reports WHERE id = $1', [report.json().reportId]);
    expect(stored.rows[0].resident_id).toBe(wang.id);
    const act = await t.ctx.db.query<{ detail: { residentId: number; actingFor: number } }>(`SELECT detail FROM audit_log WHERE action = 'portal.act_for' ORDER BY id DESC LIMIT 1`);
    expect(act.rows[0].detail).toMatchObject({ residentId: zhang.id, actingFor: wang.id });
    const wrote = await t.ctx.db.query<{ detail: { residentId: number; actingFor: number } }>(`SELECT detail FROM audit_log WHERE action = 'antigen.self_report' ORDER BY id DESC LIMIT 1`);
    expect(wrote.rows[0].detail).toMatchObject({ residentId: zhang.id, actingFor: wang.id });

    const back = await r.put('/api/portal/acting-for', { residentId: null });
    expect(back.json().actingFor).toBeNull();
    expect((await r.get('/api/portal/antigen-reports')).json().items).toHaveLength(0);
  });

  it('the antigen report is idempotent by key, and its results show with the PCR results', async () => {
    const [zhao] = town.c2.b.people;
    const r = await signInBySms(zhao.phone);
    const body = { key: key(), result: 'positive' };
    const first = (await r.post('/api/portal/antigen-reports', body)).json();
    const again = (await r.post('/api/portal/antigen-reports', body)).json();
    expect(again).toEqual({ ...first, replay: true });
    expect((await r.post('/api/portal/antigen-reports', { ...body, result: 'negative' })).statusCode).toBe(409);
    const camp = await campaign(admin, { name: '桃园二网格核酸', ownerPlaceId: town.c2.community, coverPlaceIds: [town.c2.community], sitePlaceId: town.c2.compound, siteName: '桃园二采样点' });
    await tube(admin, camp.laneId, 'PORTAL-T-1', [zhao]);
    let res = (await r.get('/api/portal/results')).json().results;
    expect(res.map((x: { kind: string; result: string }) => `${x.kind}:${x.result}`).sort()).toEqual(['antigen:positive', 'pcr:pending']);
    await boxHandedOver(admin, 'PORTAL-BOX', ['PORTAL-T-1']);
    await boxReceived(admin, 'PORTAL-BOX', ['PORTAL-T-1']);
    await results(admin, [{ tube: 'PORTAL-T-1', result: 'negative' }]);
    res = (await r.get('/api/portal/results')).json().results;
    expect(res.find((x: { kind: string }) => x.kind === 'pcr')).toMatchObject({ result: 'negative', campaign: '桃园二网格核酸' });
  });
});

describe('notices', () => {
  it('the inbox lists delivered in-app messages of the person newest first, counts the unread, marks read; another’s id is 404', async () => {
    // a household of its own, in a unit no other test posts a notice to, so the counts are this test's
    const { people: [yang] } = await household(admin, town.c2.b.unit, '808', [{ name: '杨收件', phone: '13900008080' }]);
    const [huang] = town.c2.b.people.slice(1);
    const first = await inapp(yang.id, '明天上午 9 点核酸');
    const second = await inapp(yang.id, '3号楼 请于 14:00–14:20 下楼核酸');
    await inapp(yang.id, '还在排队', 'queued');
    const foreign = await inapp(huang.id, '别人的通知');
    const r = resident();
    await r.post('/api/portal/sign-in/card', { code: residentCode(t.ctx.vault, yang.id) });
    let inbox = (await r.get('/api/portal/notices')).json();
    expect(inbox).toMatchObject({ total: 2, unread: 2 });
    expect(inbox.notices.map((n: { id: string }) => n.id)).toEqual([second, first]);
    expect(JSON.stringify(inbox)).not.toContain('别人的通知');
    expect((await r.post(`/api/portal/notices/${first}/read`)).statusCode).toBe(204);
    inbox = (await r.get('/api/portal/notices')).json();
    expect(inbox.unread).toBe(1);
    expect(inbox.notices[1].readAt).not.toBeNull();
    const other = await r.post(`/api/portal/notices/${foreign}/read`);
    const none = await r.post(`/api/portal/notices/00000000-0000-4000-8000-000000000001/read`);
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe(none.json().error.code);
    const still = await t.ctx.db.query('SELECT read_at FROM messages WHERE id = $1', [foreign]);
    expect(still.rows[0].read_at).toBeNull();
    expect((await r.get('/api/portal/notices?page=2')).json().notices).toEqual([]);
  });
});

describe('limits, lock and no enumeration', () => {
  it('five wrong codes kill the code (OTP_LOCKED, even the right one after); a new code works', async () => {
    const phone = town.c1.b.people[1].phone;
    const r = resident();
    await r.post('/api/portal/sign-in/sms', { phone });
    const code = (await lastCodeTo(phone))!;
    const wrong = code === '000000' ? '111111' : '000000';
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) answers.push((await r.post('/api/portal/sign-in/code', { phone, code: wrong })).json().error.code);
    expect(answers).toEqual(['OTP_WRONG', 'OTP_WRONG', 'OTP_WRONG', 'OTP_WRONG', 'OTP_LOCKED']);
    const right = await r.post('/api/portal/sign-in/code', { phone, code });
    expect(right.statusCode).toBe(401);
    expect(right.json().error.code).toBe('OTP_LOCKED');
    expect((await signInBySms(phone)).cookie).toBeTruthy();
  });

  it('ten wrong tries at once are all counted, and one right code sent twice at once signs in once', async () => {
    const phone = town.c2.b.people[1].phone;
    await resident().post('/api/portal/sign-in/sms', { phone });
    const code = (await lastCodeTo(phone))!;
    const wrong = code === '000000' ? '111111' : '000000';
    const tries = await Promise.all(Array.from({ length: 10 }, () => resident().post('/api/portal/sign-in/code', { phone, code: wrong })));
    const codes = tries.map((x) => x.json().error.code as string);
    expect(codes.filter((c) => c === 'OTP_WRONG')).toHaveLength(4);
    expect(codes.filter((c) => c === 'OTP_LOCKED')).toHaveLength(6);
    await resident().post('/api/portal/sign-in/sms', { phone });
    const fresh = (await lastCodeTo(phone))!;
    const twice = await Promise.all([1, 2].map(() => resident().post('/api/portal/sign-in/code', { phone, code: fresh })));
    expect(twice.map((x) => x.statusCode).sort()).toEqual([200, 401]);
    expect(twice.find((x) => x.statusCode === 401)!.json().error.code).toBe('OTP_EXPIRED');
  });

  it('an expired code answers OTP_EXPIRED', async () => {
    const phone = town.c1.a.people[1].phone;
    const r = resident();
    await r.post('/api/portal/sign-in/sms', { phone });
    await t.ctx.db.query(`UPDATE resident_otps SET expires_at = now() - interval '1 second' WHERE phone = $1`, [phone]);
    const res = await r.post('/api/portal/sign-in/code', { phone, code: (await lastCodeTo(phone))! });
    expect(res.json().error.code).toBe('OTP_EXPIRED');
  });

  it('an unknown number gets the same answers as a resident’s, and no message', async () => {
    const known = town.c2.b.people[1].phone;
    const unknown = '13700000000';
    const r = resident();
    const a = await r.post('/api/portal/sign-in/sms', { phone: known });
    const b = await r.post('/api/portal/sign-in/sms', { phone: unknown });
    expect([a.statusCode, a.body]).toEqual([b.statusCode, b.body]);
    expect(await lastCodeTo(unknown)).toBeNull();
    const wa = await r.post('/api/portal/sign-in/code', { phone: known, code: '000001' });
    const wb = await r.post('/api/portal/sign-in/code', { phone: unknown, code: '000001' });
    expect([wa.statusCode, wa.json().error.code]).toEqual([wb.statusCode, wb.json().error.code]);
    // similar time: the unknown number does the same work (a recorded request, a lookup), within a loose bound
    const time = async (phone: string) => {
      const started = process.hrtime.bigint();
      for (let i = 0; i < 5; i++) await r.post('/api/portal/sign-in/sms', { phone });
      return Number(process.hrtime.bigint() - started) / 1e6 / 5;
    };
    const tk = await time(known);
    const tu = await time(unknown);
    expect(Math.abs(tk - tu)).toBeLessThan(Math.max(tk, tu) * 0.8 + 20);
  });

  it('ten asks for one number at once pass the resend interval once; ten numbers from one address at once pass its hourly limit exactly', async () => {
    t.ctx.config.portal = { ...PERMISSIVE, otpResendSeconds: 60, otpPerNumberPerHour: 0, otpPerIpPerHour: 4 };
    try {
      const ask = (phone: string, ip: string) => resident().send({ method: 'POST', url: '/api/portal/sign-in/sms', payload: { phone }, remoteAddress: ip });
      const same = await Promise.all(Array.from({ length: 10 }, () => ask('13600000077', '10.0.1.1')));
      expect(same.map((r) => r.statusCode).sort()).toEqual([202, ...Array(9).fill(429)]);
      const many = await Promise.all(Array.from({ length: 10 }, (_, i) => ask(`1360000010${i}`, '10.0.1.2')));
      expect(many.filter((r) => r.statusCode === 202)).toHaveLength(4);
      const counted = await t.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resident_otps WHERE ip = '10.0.1.2'`);
      expect(counted.rows[0].n).toBe(4);
    } finally {
      t.ctx.config.portal = PERMISSIVE;
    }
  });

  it('per number: one per resend interval and so many an hour; per client address: so many an hour (429 OTP_TOO_MANY with Retry-After)', async () => {
    t.ctx.config.portal = { ...PERMISSIVE, otpResendSeconds: 60, otpPerNumberPerHour: 3, otpPerIpPerHour: 6 };
    try {
      const phone = '13600000001';
      const r = resident();
      expect((await r.send({ method: 'POST', url: '/api/portal/sign-in/sms', payload: { phone }, remoteAddress: '10.0.0.1' })).statusCode).toBe(202);
      const soon = await r.send({ method: 'POST', url: '/api/portal/sign-in/sms', payload: { phone }, remoteAddress: '10.0.0.1' });
      expect(soon.statusCode).toBe(429);
      expect(soon.json().error.code).toBe('OTP_TOO_MANY');
      expect(Number(soon.headers['retry-after'])).toBeGreaterThan(50);
      // past the resend interval, up to the hourly limit for the number
      t.ctx.config.portal = { ...t.ctx.config.portal, otpResendSeconds: 0 };
      const more = [];
      for (let i = 0; i < 3; i++) more.push((await r.send({ method: 'POST', url: '/api/portal/sign-in/sms', payload: { phone }, remoteAddress: '10.0.0.2' })).statusCode);
      expect(more).toEqual([202, 202, 429]);
      // one address bombing many numbers
      const bomb = [];
      for (let i = 0; i < 8; i++) bomb.push((await r.send({ method: 'POST', url: '/api/portal/sign-in/sms', payload: { phone: `1350000000${i}` }, remoteAddress: '10.0.0.3' })).statusCode);
      expect(bomb).toEqual([202, 202, 202, 202, 202, 202, 429, 429]);
      const counted = await t.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resident_otps WHERE ip = '10.0.0.3'`);
      expect(counted.rows[0].n).toBe(6);
    } finally {
      t.ctx.config.portal = PERMISSIVE;
    }
  });
});

describe('the live stream', () => {
  it('sends `notice` when the outbox publishes a delivered in-app message for the person, nothing for others', async () => {
    const [yang] = town.c2.a.people.slice(1);
    const r = resident();
    await r.post('/api/portal/sign-in/card', { code: residentCode(t.ctx.vault, yang.id, 1) });
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const abort = new AbortController();
    try {
      const res = await fetch(`${address}/api/portal/stream`, { headers: { cookie: `fk_resident=${r.cookie}` }, signal: abort.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) {
          const { value, done } = await reader.read();
          if (done) break;
          text += decoder.decode(value);
        }
      };
      await readUntil(': open');
      // on PostgreSQL the bus's LISTEN connection opens with the first stream: publish until it is heard
      const publish = () => {
        t.ctx.events.publish(INAPP_TOPIC, { residentId: town.c2.b.people[1].id, messageId: 'not-for-me' });
        t.ctx.events.publish(INAPP_TOPIC, { residentId: yang.id, messageId: 'for-me' });
      };
      publish();
      const again = setInterval(publish, 300);
      await readUntil('for-me"').finally(() => clearInterval(again));
      expect(text).toContain('event: notice\ndata: {"id":"for-me"}');
      expect(text).not.toContain('not-for-me');
      // a notice posted to another community, then to yang's own building: one event, for the building's
      const posted = async (placeId: number) =>
        (await admin.post('/api/notices', { key: key(), placeId, channels: ['inapp'], texts: { 'zh-CN': '{name}：今晚停水' } })).json().id as number;
      const elsewhere = await posted(town.c1.community);
      const mine = await posted(town.c2.a.building);
      await readUntil(`"notice-${mine}"`);
      expect(text).not.toContain(`"notice-${elsewhere}"`);
      const inbox = (await r.get('/api/portal/notices')).json() as { notices: { id: string; body: string }[]; unread: number };
      expect(inbox.notices.find((n) => n.id === `notice-${mine}`)?.body).toBe(`${yang.name}：今晚停水`);
      expect(inbox.notices.some((n) => n.id === `notice-${elsewhere}`)).toBe(false);
      // another community's posted notice cannot be marked read by id
      expect((await r.post(`/api/portal/notices/notice-${elsewhere}/read`)).statusCode).toBe(404);
      expect((await r.post(`/api/portal/notices/notice-${mine}/read`)).statusCode).toBe(204);
      expect((await r.post(`/api/portal/notices/notice-${mine}/read`)).statusCode).toBe(204);
      expect((await r.get('/api/portal/notices')).json().unread).toBe(inbox.unread - 1);
      // a staff session opens no resident stream
      expect((await admin.get('/api/portal/stream')).statusCode).toBe(401);
    } finally {
      abort.abort();
    }
  });
});

describe('language and the public self-report', () => {
  it('PUT /language saves the signed-in resident’s language, even while acting for another', async () => {
    const [zhang, wang] = town.c1.a.people;
    const r = await signInBySms(zhang.phone);
    await r.put('/api/portal/acting-for', { residentId: wang.id });
    expect((await r.put('/api/portal/language', { language: 'en-US' })).statusCode).toBe(204);
    expect((await r.get('/api/portal/me')).json().resident.language).toBe('en-US');
    const { rows } = await t.ctx.db.query<{ id: number; language: string }>('SELECT id, language FROM residents WHERE id = ANY($1) ORDER BY id', [[zhang.id, wang.id]]);
    expect(rows.find((x) => x.id === zhang.id)!.language).toBe('en-US');
    expect(rows.find((x) => x.id === wang.id)!.language).toBe('zh-CN');
    expect((await r.put('/api/portal/language', { language: 'fr-FR' })).statusCode).toBe(400);
  });

  it('the self-report without sign-in refuses a rotated code with 410 CODE_REVOKED and takes the new one', async () => {
    // a household of its own: other tests rotate the town's households, in any order
    const { householdId, people: [chen] } = await household(admin, town.c2.b.unit, '909', [{ name: '陈自报', phone: '13900009090' }]);
    const { version } = await ok<{ version: number }>(admin.post(`/api/households/${householdId}/codes/rotate`, { reason: '户卡遗失' }), 200);
    expect(version).toBe(1);
    const old = await t.app.inject({ method: 'POST', url: '/api/public/antigen-reports', payload: { key: key(), code: residentCode(t.ctx.vault, chen.id, version - 1), result: 'negative' } });
    expect(old.statusCode).toBe(410);
    expect(old.json().error.code).toBe('CODE_REVOKED');
    const fresh = await t.app.inject({ method: 'POST', url: '/api/public/antigen-reports', payload: { key: key(), code: residentCode(t.ctx.vault, chen.id, version), result: 'negative' } });
    expect(fresh.statusCode, fresh.body).toBe(200);
  });
});
