// Notices (通知): an officer writes to the residents of a place (community, compound, grid,
// building, unit) or of a list the system already has (a round's not-yet-sampled list, its
// recall list), through the channels chosen, in Chinese and optionally English and Korean.
// Each resident gets the text of their own language (residents.language), else the Chinese.
//
// Templates carry variables ({name} {building} {community}; {slot} {site} in slot notices),
// filled per resident IN SQL: a notice to a whole district is one INSERT … SELECT per channel
// into the outbox (queueForResidents), never a loop over a million people in JavaScript.
// Writes are bound tighter than reads: the place must lie within the sender's area (a street
// officer may write to a community of theirs, a community officer not to the street).
import type { Queryable } from '../../db/client.js';
import { empty, raw, sql, type Sql } from '../../db/sql.js';
import { audit } from '../../platform/audit.js';
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError, fieldInvalid } from '../../platform/errors.js';
import { idempotentRequest, once } from '../../platform/idempotency.js';
import { decodeCursor, encodeCursor } from '../../platform/paging.js';
import { beneath, placeInScope, requirePermission, within, type PlaceRow } from '../../platform/scope.js';
import { TIME_ZONE } from '../../platform/time.js';
import { POSTED_TARGETS, postedReads, publishPosted, type NoticePosted } from './posted.js';
import { fill, placeNamesSql, prepareTexts, templateFor, NOTICE_LANGUAGES, type Texts } from './templates.js';
import { notifyQueued, queueForResidents, RESIDENT_ADDRESS, type ResidentChannel } from '../outbox/index.js';
import { buildingSlots, roundListSql, type RoundList } from '../testing/index.js';

export const NOTICE_CHANNELS = ['inapp', 'sms'] as const satisfies readonly ResidentChannel[];
export const NOTICE_LISTS = ['missing', 'recall'] as const satisfies readonly RoundList[];
export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'read', 'dev'] as const;

export interface Target {
  placeId: number;
  /** a list of a round instead of everyone in the place (narrowed to the place) */
  list?: RoundList;
  roundId?: number;
}

export interface Compose extends Target {
  channels: ResidentChannel[];
  texts: Texts;
}

// ---------------------------------------------------------------- recipients

interface Recipients {
  place: PlaceRow;
  /** SQL: FROM-clause body joining the recipients as `r` (residents) and `n` (their place names) */
  from: Sql;
}

async function recipients(q: Queryable, actor: Actor, t: Target): Promise<Recipients> {
  const place = await placeInScope(q, actor, t.placeId);
  let ids: Sql;
  if (t.list) {
    if (!t.roundId) throw fieldInvalid('roundId', { 'zh-CN': '按名单发送时须选择检测轮次', 'en-US': 'a list needs its round' });
    ids = await roundListSql(q, actor, t.roundId, t.list, place);
  } else {
    ids = sql`SELECT r.id AS resident_id FROM residents r WHERE r.archived_at IS NULL AND ${beneath(place, 'r.place_path')}`;
  }
  // Whatever the list says, a message goes only to a living resident who lives under the place now.
  return {
    place,
    from: sql`(${ids}) l JOIN residents r ON r.id = l.resident_id AND r.archived_at IS NULL AND ${beneath(place, 'r.place_path')}
              LEFT JOIN (${placeNamesSql(place)}) n ON n.path = r.place_path`,
  };
}

/** SQL: FROM-clause body of everyone living under the place now, as `r`, with the names `n` of their building and community. */
function everyoneUnder(place: Pick<PlaceRow, 'path'>): Sql {
  return sql`residents r LEFT JOIN (${placeNamesSql(place)}) n ON n.path = r.place_path
             WHERE r.archived_at IS NULL AND ${beneath(place, 'r.place_path')}`;
}

const smsReachable = raw(`(${RESIDENT_ADDRESS.sms.address}) IS NOT NULL`);

/** Recipients by channel and language, with one filled sample per language, before anything is sent. */
export async function previewNotice(ctx: AppContext, actor: Actor, input: Compose) {
  requirePermission(actor, 'notices.send');
  const texts = prepareTexts(input.texts, null);
  const rec = await recipients(ctx.db, actor, input);
  const langs = NOTICE_LANGUAGES.filter((l) => texts[l]);
  const { rows } = await ctx.db.query<{ total: number; sms: number; by_language: Record<string, number> | null }>(
    sql`SELECT count(*)::int AS total, count(*) FILTER (WHERE ${smsReachable})::int AS sms,
               (SELECT json_object_agg(lang, k) FROM (
                  SELECT CASE WHEN r.language = ANY (${langs}::text[]) THEN r.language ELSE 'zh-CN' END AS lang, count(*)::int AS k
                  FROM ${rec.from} GROUP BY 1) x) AS by_language
        FROM ${rec.from}`,
  );
  const total = rows[0].total;
  const sms = rows[0].sms;
  const languages = [];
  for (const lang of langs) {
    // a sample filled for a resident who reads this language (or anyone, when nobody does)
    const s = await ctx.db.query<{ body: string }>(
      sql`SELECT ${fill(sql`${texts[lang]!}::text`)} AS body FROM ${rec.from} ORDER BY (r.language = ${lang}) DESC, r.id LIMIT 1`,
    );
    languages.push({ language: lang, recipients: rows[0].by_language?.[lang] ?? 0, sample: s.rows[0]?.body ?? null });
  }
  const channels = input.channels.map((channel) => ({
    channel,
    reachable: channel === 'sms' ? sms : total,
    unreachable: channel === 'sms' ? total - sms : 0,
  }));
  return { place: placeBrief(rec.place), recipients: total, noMobile: total - sms, channels, languages };
}

function placeBrief(p: PlaceRow) {
  return { id: p.id, name: p.name, kind: p.kind };
}

// ---------------------------------------------------------------- sending

interface NoticeRow {
  id: number;
  place_id: number;
  place_path: string;
  target: string;
  round_id: number | null;
  slot: string | null;
  channels: ResidentChannel[];
  texts: Texts;
  recipients: number;
  /** its in-app channel is posted (posted.ts), not per-resident messages */
  posted: boolean;
  created_by: number | null;
  created_at: Date;
}

/**
 * Writes the notice row and queues its messages, one INSERT … SELECT per channel; to a place, the
 * in-app channel is posted instead (posted.ts: one row, whoever lives there). Answers the notice
 * id and what each channel queued (a posted channel: everyone it reaches); throws
 * NOTICE_NO_RECIPIENTS (the transaction rolls back).
 */
async function queueNotice(q: Queryable, actor: Actor, rec: Recipients, n: { target: string; roundId?: number; slot?: string; channels: ResidentChannel[]; texts: Texts }) {
  const posted = POSTED_TARGETS.includes(n.target) && n.channels.includes('inapp');
  const { rows } = await q.query<{ id: number }>(
    sql`INSERT INTO notices (place_id, place_path, target, round_id, slot, channels, texts, posted, created_by)
        VALUES (${rec.place.id}, ${rec.place.path}, ${n.target}, ${n.roundId ?? null}::int, ${n.slot ?? null}, ${n.channels}::text[], ${JSON.stringify(n.texts)}::jsonb,
                ${posted}, ${actor.id})
        RETURNING id`,
  );
  const id = rows[0].id;
  const channels = [];
  let reached = 0;
  for (const channel of n.channels) {
    if (channel === 'inapp' && posted) {
      const everyone = await q.query<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM residents r WHERE r.archived_at IS NULL AND ${beneath(rec.place, 'r.place_path')}`,
      );
      reached = Math.max(reached, everyone.rows[0].n);
      channels.push({ channel, queued: everyone.rows[0].n, unreachable: 0 });
      continue;
    }
    const counted = await queueForResidents(q, {
      channel,
      source: 'notice',
      sourceId: String(id),
      // no dedupe key: the recipients are distinct by construction, and a million keys in the
      // unique index were most of the insert's time (resendNotice guards its own repeats)
      rows: sql`SELECT r.id, ${fill(templateFor(n.texts))}, NULL::text, NULL::text FROM ${rec.from}`,
    });
    reached = Math.max(reached, counted.queued + counted.unreachable);
    channels.push({ channel, ...counted });
  }
  if (!reached) {
    // nothing was queued; the row goes too (slot notices skip an empty building and go on)
    await q.query(sql`DELETE FROM notices WHERE id = ${id}`);
    throw new AppError('NOTICE_NO_RECIPIENTS', { field: 'placeId' });
  }
  await q.query(sql`UPDATE notices SET recipients = ${reached} WHERE id = ${id}`);
  return { id, recipients: reached, channels, posted: posted ? { noticeId: id, placePath: rec.place.path } : null };
}

/** Sends a notice (idempotent by key: a retried request answers the first notice). */
export async function sendNotice(ctx: AppContext, actor: Actor, input: Compose & { key: string }) {
  requirePermission(actor, 'notices.send');
  const texts = prepareTexts(input.texts, null);
  const req = idempotentRequest(ctx.vault, actor, 'notice.send', input);
  const postings: NoticePosted[] = [];
  const { value, replay } = await ctx.db.tx((q) =>
    once(q, req, async () => {
      const rec = await recipients(q, actor, input);
      const { posted, ...sent } = await queueNotice(q, actor, rec, { target: input.list ?? 'place', roundId: input.list ? input.roundId : undefined, channels: input.channels, texts });
      await audit(q, actor, {
        action: 'notice.send',
        entity: 'notice',
        entityId: sent.id,
        placePath: rec.place.path,
        detail: { target: input.list ?? 'place', roundId: input.roundId ?? null, channels: input.channels, recipients: sent.recipients },
      });
      if (posted) postings.push(posted);
      return sent;
    }),
  );
  if (!replay) {
    notifyQueued(ctx.events);
    publishPosted(ctx.events, postings);
  }
  return { ...value, replay };
}

const DEFAULT_SLOT_TEXTS: Texts = {
  'zh-CN': '{building}居民请于 {slot} 到{site}下楼核酸，请带好身份证或个人码。',
  'en-US': 'Residents of {building}: please come down for testing at {site}, {slot}. Bring your ID or personal code.',
  'ko-KR': '{building} 주민 여러분, {slot}에 {site}에서 핵산검사를 받으세요. 신분증이나 개인 코드를 지참하세요.',
};

const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "14:00–14:20", in Beijing time. */
export function slotText(startsAt: Date, endsAt: Date): string {
  return `${hhmm.format(startsAt)}–${hhmm.format(endsAt)}`;
}

/**
 * The slot notices of a round: one notice per building on its schedule (within my area, under
 * `placeId` when given), each with its building's time ("3号楼 请于 14:00–14:20 下楼核酸").
 */
export async function sendSlotNotices(ctx: AppContext, actor: Actor, roundId: number, input: { key: string; placeId?: number; channels: ResidentChannel[]; texts?: Texts }) {
  requirePermission(actor, 'notices.send');
  const templates = input.texts ?? DEFAULT_SLOT_TEXTS;
  prepareTexts(templates, { slot: '', site: '' }); // the variables are checked before anything is read
  const req = idempotentRequest(ctx.vault, actor, `notice.slots:${roundId}`, input);
  const postings: NoticePosted[] = [];
  const { value, replay } = await ctx.db.tx((q) =>
    once(q, req, async () => {
      const narrowed = input.placeId ? await placeInScope(q, actor, input.placeId) : null;
      const slots = await buildingSlots(q, actor, roundId, narrowed);
      if (!slots.length) throw new AppError('NOTICE_NO_SLOTS', { field: 'id' });
      const notices = [];
      for (const s of slots) {
        const building = await placeInScope(q, actor, s.buildingId);
        const slot = slotText(s.startsAt, s.endsAt);
        const texts = prepareTexts(templates, { slot, site: s.site });
        const rec: Recipients = { place: building, from: everyoneUnder(building) };
        // an empty building on the plan (everyone moved out since) is skipped, not an error
        const sent = await queueNotice(q, actor, rec, { target: 'slot', roundId, slot, channels: input.channels, texts }).catch((e: unknown) => {
          if (e instanceof AppError && e.code === 'NOTICE_NO_RECIPIENTS') return null;
          throw e;
        });
        if (sent?.posted) postings.push(sent.posted);
        if (sent) notices.push({ id: sent.id, buildingId: s.buildingId, building: s.building, slot, site: s.site, recipients: sent.recipients });
      }
      await audit(q, actor, {
        action: 'notice.slots',
        entity: 'round',
        entityId: roundId,
        placePath: narrowed?.path ?? null,
        detail: { notices: notices.length, recipients: notices.reduce((a, n) => a + n.recipients, 0), channels: input.channels },
      });
      return { roundId, notices, recipients: notices.reduce((a, n) => a + n.recipients, 0) };
    }),
  );
  if (!replay) {
    notifyQueued(ctx.events);
    publishPosted(ctx.events, postings);
  }
  return { ...value, replay };
}

// ---------------------------------------------------------------- reading

async function noticeInScope(q: Queryable, actor: Actor, id: number, forUpdate = false): Promise<NoticeRow> {
  const { rows } = await q.query<NoticeRow>(
    sql`SELECT id, place_id, place_path, target, round_id, slot, channels, texts, recipients, posted, created_by, created_at
          FROM notices WHERE id = ${id} AND ${within(actor.scope, 'place_path')} ${forUpdate ? sql`FOR UPDATE` : empty}`,
  );
  if (!rows[0]) throw new AppError('NOTICE_NOT_FOUND', { field: 'id', params: { id } });
  return rows[0];
}

async function present(q: Queryable, rows: NoticeRow[]) {
  const ids = [...new Set(rows.map((r) => r.place_id))];
  const users = [...new Set(rows.map((r) => r.created_by).filter((u): u is number => u !== null))];
  const places = await q.query<{ id: number; name: string; kind: string }>(sql`SELECT id, name, kind FROM places WHERE id = ANY (${ids}::int[])`);
  const names = await q.query<{ id: number; display_name: string }>(sql`SELECT id, display_name FROM users WHERE id = ANY (${users}::int[])`);
  const placeById = new Map(places.rows.map((p) => [p.id, p]));
  const userById = new Map(names.rows.map((u) => [u.id, u.display_name]));
  return rows.map((r) => ({
    id: r.id,
    target: r.target as 'place' | 'missing' | 'recall' | 'slot',
    place: placeById.get(r.place_id) ?? { id: r.place_id, name: '', kind: '' },
    roundId: r.round_id,
    slot: r.slot,
    channels: r.channels,
    texts: r.texts,
    recipients: r.recipients,
    createdBy: r.created_by === null ? null : userById.get(r.created_by) ?? null,
    createdAt: r.created_at.toISOString(),
  }));
}

/** The notices of my area, newest first. */
export async function listNotices(ctx: AppContext, actor: Actor, f: { roundId?: number; cursor?: string; limit: number }) {
  requirePermission(actor, 'notices.read');
  const before = decodeCursor(f.cursor) ?? 2147483647;
  const { rows } = await ctx.db.query<NoticeRow>(
    sql`SELECT id, place_id, place_path, target, round_id, slot, channels, texts, recipients, posted, created_by, created_at
          FROM notices WHERE ${within(actor.scope, 'place_path')} AND id < ${before}
           AND (${f.roundId ?? null}::int IS NULL OR round_id = ${f.roundId ?? null})
         ORDER BY id DESC LIMIT ${f.limit + 1}`,
  );
  const page = rows.slice(0, f.limit);
  return { items: await present(ctx.db, page), nextCursor: rows.length > f.limit ? encodeCursor(page.at(-1)!.id) : null };
}

/** A notice with its delivery report: messages per channel and status, and why the failed failed. */
export async function noticeReport(ctx: AppContext, actor: Actor, id: number) {
  requirePermission(actor, 'notices.read');
  const n = await noticeInScope(ctx.db, actor, id);
  const counts = await ctx.db.query<{ channel: string; status: string; k: number }>(
    sql`SELECT channel, status, count(*)::int AS k FROM messages WHERE source = 'notice' AND source_id = ${String(n.id)} GROUP BY 1, 2`,
  );
  const failures = await ctx.db.query<{ channel: string; code: string | null; reason: string | null; k: number }>(
    sql`SELECT channel, failure_code AS code, min(failure) AS reason, count(*)::int AS k
          FROM messages WHERE source = 'notice' AND source_id = ${String(n.id)} AND status = 'failed'
         GROUP BY 1, 2 ORDER BY 4 DESC`,
  );
  // a posted in-app channel: handed over to everyone at once, read by those in notice_reads
  const reads = n.posted ? await postedReads(ctx.db, n.id) : 0;
  const channels = [...new Set([...n.channels, ...counts.rows.map((c) => c.channel)])].map((channel) => {
    const row = { channel, total: 0, queued: 0, sending: 0, sent: 0, delivered: 0, failed: 0, read: 0, dev: 0 };
    if (channel === 'inapp' && n.posted) {
      const total = Math.max(n.recipients, reads);
      return { ...row, total, delivered: total - reads, read: reads };
    }
    for (const c of counts.rows) {
      if (c.channel !== channel) continue;
      row[c.status as (typeof MESSAGE_STATUSES)[number]] = c.k;
      row.total += c.k;
    }
    return row;
  });
  const [notice] = await present(ctx.db, [n]);
  return { ...notice, report: { channels, failures: failures.rows.map((f) => ({ channel: f.channel, code: f.code, reason: f.reason, count: f.k })) } };
}

/**
 * Sends again, through `channel`, to those whose message of this notice on another channel
 * failed (only: 'failed') or has not been read in the app (only: 'unread'). The body is the one
 * they were sent, already in their language; nobody gets the notice twice on one channel. The
 * unread of a posted notice are those under its place who have not opened it.
 */
export async function resendNotice(ctx: AppContext, actor: Actor, id: number, input: { key: string; channel: ResidentChannel; only: 'failed' | 'unread' }) {
  requirePermission(actor, 'notices.send');
  const req = idempotentRequest(ctx.vault, actor, `notice.resend:${id}`, input);
  const { value, replay } = await ctx.db.tx((q) =>
    once(q, req, async () => {
      // one resend of a notice at a time: the second sees the first's messages and skips them
      const n = await noticeInScope(q, actor, id, true);
      // a posted notice is already on every page under its place: in-app has nobody more to reach
      if (n.posted && input.channel === 'inapp') throw new AppError('NOTICE_NOTHING_TO_RESEND', { field: 'only' });
      const which = input.only === 'failed' ? sql`m.status = 'failed'` : sql`m.channel = 'inapp' AND m.status <> 'read'`;
      const messaged = sql`SELECT m.resident_id, m.body, m.queued_at AS at
                    FROM messages m JOIN residents r ON r.id = m.resident_id AND r.place_path LIKE ${n.place_path} || '%'
                   WHERE m.source = 'notice' AND m.source_id = ${String(n.id)} AND m.channel <> ${input.channel} AND ${which}`;
      // the unread of a posted notice: who lives under its place now and has not opened it
      const unreadPosted =
        n.posted && input.only === 'unread'
          ? sql`UNION ALL SELECT r.id, ${fill(templateFor(n.texts))}, ${n.created_at}::timestamptz FROM ${everyoneUnder({ path: n.place_path })}
                   AND NOT EXISTS (SELECT 1 FROM notice_reads nr WHERE nr.notice_id = ${n.id} AND nr.resident_id = r.id)`
          : empty;
      const counted = await queueForResidents(q, {
        channel: input.channel,
        source: 'notice',
        sourceId: String(n.id),
        rows: sql`SELECT DISTINCT ON (c.resident_id) c.resident_id, c.body, NULL::text, NULL::text
                    FROM (${messaged} ${unreadPosted}) c
                   WHERE NOT EXISTS (SELECT 1 FROM messages o WHERE o.source = 'notice' AND o.source_id = ${String(n.id)}
                                       AND o.channel = ${input.channel} AND o.resident_id = c.resident_id)
                   ORDER BY c.resident_id, c.at`,
      });
      if (!counted.queued && !counted.unreachable) throw new AppError('NOTICE_NOTHING_TO_RESEND', { field: 'only' });
      await audit(q, actor, { action: 'notice.resend', entity: 'notice', entityId: n.id, placePath: n.place_path, detail: { ...input, key: undefined, ...counted } });
      return { id: n.id, channel: input.channel, ...counted };
    }),
  );
  if (!replay) notifyQueued(ctx.events);
  return { ...value, replay };
}
