// Notices (issue 13, 5): to a place within my area or to a round's list, in each resident's
// language with the Chinese as fallback, templates filled per resident, a preview that counts
// before anything is sent, an idempotent send, the delivery report from the outbox's statuses,
// the resend of the failed through another channel, a round's slot notices per building, and
// "your result is back" queued with the result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../src/db/sql.js';
import { residentCode } from '../src/platform/codes.js';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { boxHandedOver, boxReceived, buildTown, campaign, key, ok, results, schedule, staffAt, tube, type Campaign, type Town } from './factories.js';

let t: TestApp;
let admin: Client;
let town: Town;
let officer1: Client; // community 1
let officer2: Client; // community 2
let street: Client;
let gridWorker: Client; // grid A of community 1
let camp: Campaign;

interface Msg {
  resident_id: number;
  channel: string;
  body: string;
  status: string;
  failure_code: string | null;
}
async function messagesOf(source: string, sourceId?: number | string): Promise<Msg[]> {
  const { rows } = await t.ctx.db.query<Msg>(
    sql`SELECT resident_id, channel, body, status, failure_code FROM messages
         WHERE source = ${source} AND (${sourceId === undefined ? null : String(sourceId)}::text IS NULL OR source_id = ${sourceId === undefined ? null : String(sourceId)})
         ORDER BY resident_id, channel, queued_at`,
  );
  return rows;
}
type ErrorAnswer = { error: { code: string; field?: string; messages: Record<string, string> } };

/** A resident's home: signed in with the household card, as on their phone. */
async function home(residentId: number) {
  const signIn = await t.app.inject({ method: 'POST', url: '/api/portal/sign-in/card', payload: { code: residentCode(t.ctx.vault, residentId) } });
  expect(signIn.statusCode).toBe(200);
  const cookies = { fk_resident: signIn.cookies.find((c) => c.name === 'fk_resident')!.value };
  return {
    /** the notice as the resident reads it on their home page (notices posted to a place: notice-<id>) */
    async notice(noticeId: number) {
      const res = await t.app.inject({ method: 'GET', url: '/api/portal/notices', cookies });
      const list = res.json() as { notices: { id: string; body: string; readAt: string | null }[]; unread: number };
      return list.notices.find((n) => n.id === `notice-${noticeId}`);
    },
    read: (noticeId: number) => t.app.inject({ method: 'POST', url: `/api/portal/notices/notice-${noticeId}/read`, cookies }),
  };
}
/** The body each resident reads of a posted notice. */
const bodiesRead = async (noticeId: number, residents: { id: number }[]) =>
  Promise.all(residents.map(async (r) => (await (await home(r.id)).notice(noticeId))?.body));

beforeAll(async () => {
  t = await startTestApp();
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
  town = await buildTown(admin, 'n');
  ({ community_officer: officer1 } = (await staffAt(t, admin, town.c1.community, 'n1', ['community_officer'])) as { community_officer: Client });
  ({ community_officer: officer2 } = (await staffAt(t, admin, town.c2.community, 'n2', ['community_officer'])) as { community_officer: Client });
  ({ street_officer: street } = (await staffAt(t, admin, town.street, 'ns', ['street_officer'])) as { street_officer: Client });
  ({ grid_worker: gridWorker } = (await staffAt(t, admin, town.c1.a.grid, 'na', ['grid_worker'])) as { grid_worker: Client });
  const [zhang, wang] = town.c1.a.people;
  const [li, liu] = town.c1.b.people;
  // 张伟 reads English, 王芳 Korean, 李娜 Japanese (no Japanese text: Chinese), 刘洋 Chinese with a landline
  await t.ctx.db.query(sql`UPDATE residents SET language = 'en-US' WHERE id = ${zhang.id}`);
  await t.ctx.db.query(sql`UPDATE residents SET language = 'ko-KR' WHERE id = ${wang.id}`);
  await t.ctx.db.query(sql`UPDATE residents SET language = 'ja-JP' WHERE id = ${li.id}`);
  await t.ctx.db.query(sql`UPDATE residents SET phone = '022-23456789' WHERE id = ${liu.id}`);
  camp = await campaign(admin, { name: '平江里通知核酸', ownerPlaceId: town.c1.community, coverPlaceIds: [town.c1.community], sitePlaceId: town.c1.compound, siteName: '幸福里广场' });
}, 60_000);
afterAll(() => t.close());

const TEXTS = { 'zh-CN': '{name}您好，{community}{building}今晚停水。', 'en-US': 'Dear {name}, no water tonight in {building}.', 'ko-KR': '{name}님, 오늘 밤 {building} 단수입니다.' };

describe('targets and scope', () => {
  it('a community officer sends to a building of theirs, and not to another community nor to the street around them', async () => {
    const sent = await ok<{ id: number; recipients: number }>(officer1.post('/api/notices', { key: key(), placeId: town.c1.a.building, channels: ['inapp'], texts: TEXTS }), 201);
    expect(sent.recipients).toBe(2);
    for (const placeId of [town.c2.community, town.c2.a.building, town.street]) {
      const res = await officer1.post('/api/notices', { key: key(), placeId, channels: ['inapp'], texts: TEXTS });
      expect(res.statusCode).toBe(404);
      expect((res.json() as ErrorAnswer).error).toMatchObject({ code: 'PLACE_NOT_FOUND', field: 'placeId' });
      const preview = await officer1.post('/api/notices/preview', { placeId, channels: ['inapp'], texts: TEXTS });
      expect(preview.statusCode).toBe(404);
    }
    // a street officer writes to both communities; a grid worker writes to nobody
    const both = await ok<{ recipients: number }>(street.post('/api/notices', { key: key(), placeId: town.street, channels: ['inapp'], texts: TEXTS }), 201);
    expect(both.recipients).toBe(8);
    expect((await gridWorker.post('/api/notices', { key: key(), placeId: town.c1.a.building, channels: ['inapp'], texts: TEXTS })).statusCode).toBe(403);
  });

  it('the list and the report are scoped: community 2 sees none of community 1, a grid worker reads its own grid', async () => {
    const mine = await ok<{ id: number }>(officer1.post('/api/notices', { key: key(), placeId: town.c1.a.unit, channels: ['inapp'], texts: TEXTS }), 201);
    const other = await ok<{ items: { id: number; place: { id: number } }[] }>(officer2.get('/api/notices'), 200);
    expect(other.items.some((n) => n.id === mine.id)).toBe(false);
    expect((await officer2.get(`/api/notices/${mine.id}`)).statusCode).toBe(404);
    expect((await ok<{ id: number }>(gridWorker.get(`/api/notices/${mine.id}`), 200)).id).toBe(mine.id);
    // a second one of its own, so there is a page 2 whichever tests ran before
    await ok(officer1.post('/api/notices', { key: key(), placeId: town.c1.a.unit, channels: ['inapp'], texts: TEXTS }), 201);
    const list = await ok<{ items: { id: number }[] }>(officer1.get('/api/notices?limit=1'), 200);
    expect(list.items).toHaveLength(1);
    const next = await ok<{ items: { id: number }[]; nextCursor: string | null }>(officer1.get('/api/notices?limit=1'), 200);
    expect(next.nextCursor).not.toBeNull();
    const page2 = await ok<{ items: { id: number }[] }>(officer1.get(`/api/notices?limit=1&cursor=${next.nextCursor}`), 200);
    expect(page2.items[0].id).toBeLessThan(list.items[0].id);
  });
});

describe('languages and templates', () => {
  it('each resident gets their language, filled with their name, building and community; other languages fall back to Chinese', async () => {
    const sent = await ok<{ id: number }>(officer1.post('/api/notices', { key: key(), placeId: town.c1.compound, channels: ['inapp'], texts: TEXTS }), 201);
    const [zhang, wang] = town.c1.a.people;
    const [li, liu] = town.c1.b.people;
    expect(await bodiesRead(sent.id, [zhang, wang, li, liu])).toEqual([
      'Dear 张伟, no water tonight in 1号楼.',
      '王芳님, 오늘 밤 1号楼 단수입니다.',
      '李娜您好，平江里社区2号楼今晚停水。',
      '刘洋您好，平江里社区2号楼今晚停水。',
    ]);
    // posted, not copied: no outbox row per resident; another community does not see it
    expect(await messagesOf('notice', sent.id)).toEqual([]);
    expect(await bodiesRead(sent.id, [town.c2.a.people[0]])).toEqual([undefined]);
  });

  it('a notice in Chinese only reaches everyone in Chinese', async () => {
    const sent = await ok<{ id: number }>(officer1.post('/api/notices', { key: key(), placeId: town.c1.a.building, channels: ['inapp'], texts: { 'zh-CN': '{name}：明早八点核酸' } }), 201);
    expect(await bodiesRead(sent.id, town.c1.a.people)).toEqual(['张伟：明早八点核酸', '王芳：明早八点核酸']);
  });

  it('an unknown variable, or a slot outside a slot notice, is refused naming the field, in both languages', async () => {
    for (const [texts, field] of [
      [{ 'zh-CN': '你好', 'en-US': 'Hello {nmae}' }, 'texts.en-US'],
      [{ 'zh-CN': '请于 {slot} 下楼' }, 'texts.zh-CN'],
    ] as const) {
      const res = await officer1.post('/api/notices/preview', { placeId: town.c1.a.building, channels: ['inapp'], texts });
      expect(res.statusCode).toBe(400);
      const e = (res.json() as ErrorAnswer).error;
      expect(e).toMatchObject({ code: 'NOTICE_VARIABLE', field });
      expect(e.messages['zh-CN']).toContain(field);
      expect(e.messages['en-US']).toContain(field);
    }
    const empty = await officer1.post('/api/notices', { key: key(), placeId: town.c1.a.building, channels: [], texts: TEXTS });
    expect(empty.statusCode).toBe(400);
    expect((empty.json() as ErrorAnswer).error.field).toBe('channels');
  });
});

describe('preview', () => {
  it('counts recipients by channel and language, who has no mobile, and fills a sample per language; nothing is queued', async () => {
    const before = (await t.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages')).rows[0].n;
    const p = await ok<{
      recipients: number;
      noMobile: number;
      channels: { channel: string; reachable: number; unreachable: number }[];
      languages: { language: string; recipients: number; sample: string | null }[];
    }>(officer1.post('/api/notices/preview', { placeId: town.c1.compound, channels: ['inapp', 'sms'], texts: TEXTS }), 200);
    expect(p.recipients).toBe(4);
    expect(p.noMobile).toBe(1);
    expect(p.channels).toEqual([
      { channel: 'inapp', reachable: 4, unreachable: 0 },
      { channel: 'sms', reachable: 3, unreachable: 1 },
    ]);
    expect(p.languages).toEqual([
      { language: 'zh-CN', recipients: 2, sample: expect.stringMatching(/^(李娜|刘洋)您好，平江里社区2号楼今晚停水。$/) },
      { language: 'en-US', recipients: 1, sample: 'Dear 张伟, no water tonight in 1号楼.' },
      { language: 'ko-KR', recipients: 1, sample: '王芳님, 오늘 밤 1号楼 단수입니다.' },
    ]);
    expect((await t.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages')).rows[0].n).toBe(before);
  });
});

describe('send, report, resend', () => {
  it('is idempotent: the same key answers the first notice, another body under it is 409', async () => {
    const body = { key: key(), placeId: town.c1.b.building, channels: ['inapp', 'sms'], texts: TEXTS };
    const first = await ok<{ id: number; replay: boolean; channels: unknown[] }>(officer1.post('/api/notices', body), 201);
    expect(first.replay).toBe(false);
    expect(first.channels).toEqual([
      { channel: 'inapp', queued: 2, unreachable: 0 },
      { channel: 'sms', queued: 1, unreachable: 1 },
    ]);
    const again = await ok<{ id: number; replay: boolean }>(officer1.post('/api/notices', body), 201);
    expect(again).toMatchObject({ id: first.id, replay: true });
    // the SMS are outbox rows (one with no mobile number, failed at once); the in-app one is posted
    expect((await messagesOf('notice', first.id)).map((m) => m.channel)).toEqual(['sms', 'sms']);
    expect(await t.ctx.db.query(sql`SELECT 1 FROM notices WHERE id = ${first.id} AND posted`).then((r) => r.rows.length)).toBe(1);
    const reused = await officer1.post('/api/notices', { ...body, texts: { 'zh-CN': '另一条' } });
    expect(reused.statusCode).toBe(409);
    expect((reused.json() as ErrorAnswer).error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'key' });
  });

  it('reports messages per channel and status with the failure reasons, and resends the unread by SMS once', async () => {
    const sent = await ok<{ id: number }>(officer1.post('/api/notices', { key: key(), placeId: town.c1.compound, channels: ['inapp', 'sms'], texts: TEXTS }), 201);
    const [zhang, wang] = town.c1.a.people;
    const [li] = town.c1.b.people;
    // what the outbox's delivery does: 张伟 read it in the app and got the SMS, 王芳's SMS failed at the SMSC
    const set = (resident: number, channel: string, status: string, extra = sql``) =>
      t.ctx.db.query(sql`UPDATE messages SET status = ${status} ${extra} WHERE source = 'notice' AND source_id = ${String(sent.id)} AND resident_id = ${resident} AND channel = ${channel}`);
    expect((await (await home(zhang.id)).read(sent.id)).statusCode).toBe(204);
    await set(zhang.id, 'sms', 'delivered');
    await set(wang.id, 'sms', 'failed', sql`, failure_code = 'ESME_RSUBMITFAIL', failure = 'submit failed'`);
    await set(li.id, 'sms', 'sent');
    const r = await ok<{ recipients: number; report: { channels: Record<string, number | string>[]; failures: { channel: string; code: string; reason: string; count: number }[] } }>(
      officer1.get(`/api/notices/${sent.id}`),
      200,
    );
    expect(r.recipients).toBe(4);
    expect(r.report.channels).toEqual([
      { channel: 'inapp', total: 4, queued: 0, sending: 0, sent: 0, delivered: 3, failed: 0, read: 1, dev: 0 },
      { channel: 'sms', total: 4, queued: 0, sending: 0, sent: 1, delivered: 1, failed: 2, read: 0, dev: 0 },
    ]);
    expect(r.report.failures).toEqual(
      expect.arrayContaining([
        { channel: 'sms', code: 'NO_MOBILE_NUMBER', reason: 'no mobile number / 无手机号码', count: 1 },
        { channel: 'sms', code: 'ESME_RSUBMITFAIL', reason: 'submit failed', count: 1 },
      ]),
    );
    // resend the unread in-app ones by SMS: they all had an SMS already, so nobody gets a second
    const none = await officer1.post(`/api/notices/${sent.id}/resend`, { key: key(), channel: 'sms', only: 'unread' });
    expect(none.statusCode).toBe(409);
    expect((none.json() as ErrorAnswer).error).toMatchObject({ code: 'NOTICE_NOTHING_TO_RESEND', field: 'only' });
  });

  it('resends an in-app notice to the unread by SMS, in their language, once; the report counts them', async () => {
    const sent = await ok<{ id: number }>(officer1.post('/api/notices', { key: key(), placeId: town.c1.compound, channels: ['inapp'], texts: TEXTS }), 201);
    const [zhang] = town.c1.a.people;
    expect((await (await home(zhang.id)).read(sent.id)).statusCode).toBe(204);
    expect((await (await home(zhang.id)).notice(sent.id))?.readAt).toEqual(expect.any(String));
    const body = { key: key(), channel: 'sms', only: 'unread' };
    const resent = await ok<{ queued: number; unreachable: number; replay: boolean }>(officer1.post(`/api/notices/${sent.id}/resend`, body), 200);
    expect(resent).toMatchObject({ queued: 2, unreachable: 1, replay: false });
    expect((await ok<{ replay: boolean }>(officer1.post(`/api/notices/${sent.id}/resend`, body), 200)).replay).toBe(true);
    const sms = (await messagesOf('notice', sent.id)).filter((m) => m.channel === 'sms');
    expect(sms.map((m) => m.body)).toContain('王芳님, 오늘 밤 1号楼 단수입니다.');
    expect(sms.some((m) => m.resident_id === zhang.id)).toBe(false);
    const again = await officer1.post(`/api/notices/${sent.id}/resend`, { key: key(), channel: 'sms', only: 'unread' });
    expect(again.statusCode).toBe(409);
    const r = await ok<{ report: { channels: { channel: string; total: number; failed: number }[] } }>(officer1.get(`/api/notices/${sent.id}`), 200);
    expect(r.report.channels.find((c) => c.channel === 'sms')).toMatchObject({ total: 3, failed: 1 });
    // community 2 cannot resend it
    expect((await officer2.post(`/api/notices/${sent.id}/resend`, { key: key(), channel: 'sms', only: 'failed' })).statusCode).toBe(404);
  });

  it('two resends at once (different keys, two officers clicking) reach each resident once', async () => {
    const sent = await ok<{ id: number }>(officer1.post('/api/notices', { key: key(), placeId: town.c1.compound, channels: ['inapp'], texts: TEXTS }), 201);
    const both = await Promise.all([1, 2].map(() => officer1.post(`/api/notices/${sent.id}/resend`, { key: key(), channel: 'sms', only: 'unread' })));
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const sms = (await messagesOf('notice', sent.id)).filter((m) => m.channel === 'sms');
    expect(new Set(sms.map((m) => m.resident_id)).size).toBe(sms.length);
  });
});

describe('from testing', () => {
  it("sends a round's slot notices, one per building with its time; another community's round is not found", async () => {
    await schedule(admin, camp.roundId);
    const slots = (await ok<{ items: { placeId: number; building: string; startsAt: string; endsAt: string }[] }>(admin.get(`/api/rounds/${camp.roundId}/slots?limit=100`), 200)).items;
    const body = { key: key(), channels: ['inapp', 'sms'] };
    const res = await ok<{ notices: { id: number; buildingId: number; building: string; slot: string; site: string; recipients: number }[]; recipients: number }>(
      officer1.post(`/api/rounds/${camp.roundId}/slot-notices`, body),
      201,
    );
    expect(res.notices.map((n) => n.buildingId).sort()).toEqual([...new Set(slots.map((s) => s.placeId))].sort());
    expect(res.recipients).toBe(4);
    const a = res.notices.find((n) => n.buildingId === town.c1.a.building)!;
    expect(a.slot).toMatch(/^\d\d:\d\d–\d\d:\d\d$/);
    const bodies = await bodiesRead(a.id, town.c1.a.people);
    expect(bodies).toEqual([
      `Residents of 1号楼: please come down for testing at 幸福里广场, ${a.slot}. Bring your ID or personal code.`,
      `1号楼 주민 여러분, ${a.slot}에 幸福里广场에서 핵산검사를 받으세요. 신분증이나 개인 코드를 지참하세요.`,
    ]);
    const b = res.notices.find((n) => n.buildingId === town.c1.b.building)!;
    expect((await bodiesRead(b.id, [town.c1.b.people[0]]))[0]).toBe(`2号楼居民请于 ${b.slot} 到幸福里广场下楼核酸，请带好身份证或个人码。`);
    // a custom text with the variables; only one building
    const one = await ok<{ notices: { id: number }[] }>(
      officer1.post(`/api/rounds/${camp.roundId}/slot-notices`, { key: key(), placeId: town.c1.a.grid, channels: ['inapp'], texts: { 'zh-CN': '{building} 请于 {slot} 下楼核酸' } }),
      201,
    );
    expect(one.notices).toHaveLength(1);
    expect((await bodiesRead(one.notices[0].id, [town.c1.a.people[0]]))[0]).toBe(`1号楼 请于 ${a.slot} 下楼核酸`);
    const listed = await ok<{ items: { id: number; target: string; slot: string }[] }>(officer1.get(`/api/notices?roundId=${camp.roundId}`), 200);
    expect(listed.items.filter((n) => n.target === 'slot')).toHaveLength(3);
    const foreign = await officer2.post(`/api/rounds/${camp.roundId}/slot-notices`, { key: key(), channels: ['inapp'] });
    expect(foreign.statusCode).toBe(404);
    expect((foreign.json() as ErrorAnswer).error.code).toBe('ROUND_NOT_FOUND');
    // idempotent: the same key answers the same notices
    const replay = await ok<{ notices: { id: number }[]; replay: boolean }>(officer1.post(`/api/rounds/${camp.roundId}/slot-notices`, body), 201);
    expect(replay.replay).toBe(true);
    expect(replay.notices.map((n) => n.id)).toEqual(res.notices.map((n) => n.id));
  });

  it("writes to a round's not-yet-sampled list and its recall list, and tells each sampled resident their result is back", async () => {
    const [zhang, wang] = town.c1.a.people;
    const [li] = town.c1.b.people;
    await tube(admin, camp.laneId, 'N-A-01', [zhang, wang]);
    await tube(admin, camp.laneId, 'N-B-01', [li]);
    const missing = await ok<{ recipients: number; id: number }>(
      officer1.post('/api/notices', { key: key(), placeId: town.c1.community, list: 'missing', roundId: camp.roundId, channels: ['inapp'], texts: { 'zh-CN': '{name}，您还未采样' } }),
      201,
    );
    expect(missing.recipients).toBe(1);
    expect((await messagesOf('notice', missing.id)).map((m) => m.body)).toEqual(['刘洋，您还未采样']);
    const noRound = await officer1.post('/api/notices', { key: key(), placeId: town.c1.community, list: 'missing', channels: ['inapp'], texts: TEXTS });
    expect((noRound.json() as ErrorAnswer).error.field).toBe('roundId');

    await boxHandedOver(admin, 'N-BOX-1', ['N-A-01', 'N-B-01']);
    await boxReceived(admin, 'N-BOX-1', ['N-A-01', 'N-B-01']);
    await results(admin, [
      { tube: 'N-A-01', result: 'positive' },
      { tube: 'N-B-01', result: 'negative' },
    ]);
    const back = await messagesOf('result');
    const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    expect(back.filter((m) => [zhang.id, wang.id, li.id].includes(m.resident_id)).map((m) => [m.resident_id, m.channel, m.body])).toEqual([
      [zhang.id, 'inapp', `张伟, the result of your test on ${date} is back. Open "Me" to see it.`],
      [wang.id, 'inapp', `王芳님, ${date} 핵산검사 결과가 나왔습니다. "내 정보"에서 확인하세요.`],
      [li.id, 'inapp', `李娜，您 ${date} 的核酸检测结果已出，请在“我的”页面查看。`],
    ]);
    // the same results again change nothing, so nobody is told twice
    await results(admin, [{ tube: 'N-B-01', result: 'negative' }]);
    expect(await messagesOf('result')).toHaveLength(back.length);

    const recall = await ok<{ recipients: number; id: number }>(
      officer1.post('/api/notices', { key: key(), placeId: town.c1.compound, list: 'recall', roundId: camp.roundId, channels: ['sms'], texts: { 'zh-CN': '{name}，请留在家中等待复检' } }),
      201,
    );
    expect(recall.recipients).toBe(2);
    expect((await messagesOf('notice', recall.id)).map((m) => m.resident_id)).toEqual([zhang.id, wang.id]);
    // an empty list sends nothing
    const nobody = await officer1.post('/api/notices', { key: key(), placeId: town.c1.b.building, list: 'recall', roundId: camp.roundId, channels: ['sms'], texts: TEXTS });
    expect(nobody.statusCode).toBe(400);
    expect((nobody.json() as ErrorAnswer).error).toMatchObject({ code: 'NOTICE_NO_RECIPIENTS', field: 'placeId' });
  });
});
