// Queueing into the outbox: one message per draft, a dedupe key queued once, a notice-sized
// INSERT … SELECT that skips archived residents and records who has no mobile number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../src/db/sql.js';
import { queueForResidents, queueMessages } from '../src/modules/outbox/index.js';
import { ADMIN_PASSWORD, signIn, startTestApp, type TestApp } from './helpers.js';
import { buildTown, household, key, place, type Town } from './factories.js';

let t: TestApp;
let town: Town;
beforeAll(async () => {
  t = await startTestApp();
  const admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
  town = await buildTown(admin, 'q');
});
afterAll(() => t.close());

describe('outbox queue', () => {
  it('queues drafts and answers the first id for a repeated dedupe key', async () => {
    const dedupeKey = `otp:${key()}`;
    const [first] = await queueMessages(t.ctx.db, [
      { channel: 'sms', address: '13800000001', body: '验证码 123456', source: 'otp', dedupeKey },
    ]);
    const [again] = await queueMessages(t.ctx.db, [
      { channel: 'sms', address: '13800000001', body: '验证码 654321', source: 'otp', dedupeKey },
    ]);
    expect(again).toBe(first);
    const { rows } = await t.ctx.db.query<{ body: string; status: string }>(sql`SELECT body, status FROM messages WHERE dedupe_key = ${dedupeKey}`);
    expect(rows).toEqual([{ body: '验证码 123456', status: 'queued' }]);
  });

  it('queues one message per resident in their language, skipping the archived and marking who has no mobile', async () => {
    const admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
    const unit = await place(admin, town.c1.a.building, 'unit', `q-${key().slice(0, 6)}`);
    const { people } = await household(admin, unit, '101', [
      { name: '甲', phone: '13900000001' },
      { name: '乙', phone: '13900000002' },
      { name: '丙', phone: '13900000003' },
    ]);
    await t.ctx.db.query(sql`UPDATE residents SET language = 'ko-KR' WHERE id = ${people[0].id}`);
    await t.ctx.db.query(sql`UPDATE residents SET phone = NULL WHERE id = ${people[1].id}`);
    await t.ctx.db.query(sql`UPDATE residents SET archived_at = now() WHERE id = ${people[2].id}`);
    const ids = people.map((p) => p.id);
    const notice = key();
    const spec = {
      rows: sql`SELECT r.id, CASE r.language WHEN 'ko-KR' THEN '검사하러 내려오세요' ELSE '请下楼核酸' END, NULL::text, ${notice} || ':' || r.id
                FROM residents r WHERE r.id = ANY(${ids})`,
      channel: 'sms' as const,
      source: 'notice',
      sourceId: notice,
    };
    expect(await queueForResidents(t.ctx.db, spec)).toEqual({ queued: 1, unreachable: 1 });
    // the same notice again reaches nobody twice
    expect(await queueForResidents(t.ctx.db, spec)).toEqual({ queued: 0, unreachable: 0 });
    const { rows } = await t.ctx.db.query<{ resident_id: number; address: string; body: string; language: string; status: string; failure_code: string | null }>(
      sql`SELECT resident_id, address, body, language, status, failure_code FROM messages WHERE source_id = ${notice} ORDER BY resident_id`,
    );
    expect(rows).toEqual([
      { resident_id: people[0].id, address: '13900000001', body: '검사하러 내려오세요', language: 'ko-KR', status: 'queued', failure_code: null },
      { resident_id: people[1].id, address: '', body: '请下楼核酸', language: 'zh-CN', status: 'failed', failure_code: 'NO_MOBILE_NUMBER' },
    ]);
  });

  it('addresses in-app messages to the resident', async () => {
    const admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
    const unit = await place(admin, town.c1.a.building, 'unit', `q-${key().slice(0, 6)}`);
    const { people } = await household(admin, unit, '102', [{ name: '丁', phone: '13900000004' }]);
    const source = key();
    expect(
      await queueForResidents(t.ctx.db, {
        rows: sql`SELECT ${people[0].id}::int, '结果已出', NULL::text, NULL::text`,
        channel: 'inapp',
        source: 'result',
        sourceId: source,
      }),
    ).toEqual({ queued: 1, unreachable: 0 });
    const { rows } = await t.ctx.db.query(sql`SELECT address FROM messages WHERE source_id = ${source}`);
    expect(rows).toEqual([{ address: `resident:${people[0].id}` }]);
  });
});
