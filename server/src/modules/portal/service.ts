// The residents' portal: sign-in by a one-time SMS code or by the household card's personal code,
// the resident's own page (their code, results, notices, household) and acting for a member of
// the household (家属代办). Nothing here takes a staff Actor except the code rotation.
import crypto from 'node:crypto';
import { retryDeadlocks } from '../../db/deadlock.js';
import { sql } from '../../db/sql.js';
import { audit, auditMany } from '../../platform/audit.js';
import { hashToken, newToken } from '../../platform/auth.js';
import { readResidentCode, residentCode } from '../../platform/codes.js';
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError, fieldInvalid } from '../../platform/errors.js';
import { byKey, groupCommitPer } from '../../platform/group-commit.js';
import { requirePermission, within } from '../../platform/scope.js';
import { markPostedRead, POSTED_NOTICE_ID, postedNoticesOf } from '../notices/index.js';
import { notifyQueued, queueMessages } from '../outbox/index.js';
import { addressOf, ageOn, codeVersionOf, placeNames } from '../registry/index.js';
import { antigenReportsOf, residentReportAntigen, testsOf, type Result } from '../testing/index.js';
import { zoneAt } from '../zones/index.js';
import { appealsOf, colourOf, plainColour, submitAppeal } from '../codes/index.js';
import {
  actingDetail,
  auditActor,
  createSession,
  createSessions,
  portalLanguage,
  type PortalLanguage,
  type ResidentActor,
} from './session.js';

const OTP_TTL_MINUTES = 5;
/** wrong tries after which a code is dead */
export const OTP_MAX_TRIES = 5;

interface Client {
  ip?: string;
  userAgent?: string;
}

/** A mainland mobile number as the registry keeps it: 11 digits, spaces, dashes and +86 dropped. */
export function normalisePhone(raw: string): string {
  const digits = raw.replace(/[\s()-]/g, '').replace(/^(\+|00)86/, '');
  if (!/^1[3-9]\d{9}$/.test(digits)) throw new AppError('RESIDENT_PHONE_FORMAT', { field: 'phone' });
  return digits;
}

/** The HMAC of a code for one number (a six-digit code's plain SHA-256 is undone in a second). */
const otpHash = (ctx: AppContext, phone: string, code: string) => ctx.vault.codeMac(`FK-OTP.${phone}.${code}`);

const OTP_TEXT: Record<PortalLanguage, (code: string) => string> = {
  'zh-CN': (c) => `【防控】您的登录验证码是 ${c}，${OTP_TTL_MINUTES} 分钟内有效。请勿告诉他人，工作人员不会向您索要。`,
  'en-US': (c) => `[Fangkong] Your sign-in code is ${c}, valid for ${OTP_TTL_MINUTES} minutes. Do not share it; staff never ask for it.`,
  'ko-KR': (c) => `[Fangkong] 로그인 인증번호는 ${c}입니다. ${OTP_TTL_MINUTES}분 동안 유효합니다. 다른 사람에게 알려주지 마세요.`,
};

interface OtpAsk {
  phone: string;
  ip: string | null;
  code: string;
  codeHash: Buffer;
}

interface OtpAnswer {
  otp_id: string | null;
  /** > 0: refused by a limit, and how long until one more may ask */
  wait_ms: number;
  resident_id: number | null;
  language: string | null;
}

/**
 * Records asks for codes, many to a statement (request_otp, migration 0013: the lock per number,
 * the limits, the request), and queues the SMS of those that are a resident's in the same
 * transaction. Numbers are locked in order, so two batches in flight never wait on each other
 * in a circle.
 */
async function recordAsks(ctx: AppContext, asks: OtpAsk[]): Promise<OtpAnswer[]> {
  const { otpResendSeconds, otpPerNumberPerHour, otpPerIpPerHour } = ctx.config.portal;
  // a lock per address taken against a concurrent batch's order: that batch goes on, this one again
  return retryDeadlocks(3, () =>
    ctx.db.tx(async (q) => {
      const { rows } = await q.query<OtpAnswer & { ord: number }>(
        `SELECT a.ord, o.otp_id, o.wait_ms, o.resident_id, o.language
         FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS a(phone, ip, code_hash, ord)
         CROSS JOIN LATERAL request_otp(a.phone, a.ip, decode(a.code_hash, 'hex'), $4, $5, $6, $7) o
        ORDER BY a.ord`,
        [
          asks.map((a) => a.phone),
          asks.map((a) => a.ip),
          asks.map((a) => a.codeHash.toString('hex')),
          OTP_TTL_MINUTES,
          otpResendSeconds,
          otpPerNumberPerHour,
          otpPerIpPerHour,
        ],
      );
      const sms = rows.flatMap((r, i) => {
        if (r.resident_id === null || r.otp_id === null) return [];
        const language = portalLanguage(r.language);
        const ask = asks[i];
        return [
          {
            channel: 'sms' as const,
            address: ask.phone,
            body: OTP_TEXT[language](ask.code),
            residentId: r.resident_id,
            language,
            source: 'otp',
            sourceId: String(r.otp_id),
          },
        ];
      });
      await queueMessages(q, sms);
      return rows;
    }),
  );
}

const asksOf = groupCommitPer((ctx: AppContext) => ({
  run: (asks: OtpAsk[]) => recordAsks(ctx, asks),
  compare: byKey((a: OtpAsk) => a.phone),
}));

/**
 * Asks for a sign-in code. The answer is the same whether or not the number is a resident's: the
 * request is recorded (and counted against the limits) either way, and only a resident's number
 * gets a code in the outbox (channel sms, source 'otp'). The code is never logged or stored in
 * the clear, except in the message's own body.
 */
export async function requestOtp(ctx: AppContext, rawPhone: string, client: Client) {
  const phone = normalisePhone(rawPhone);
  const code = crypto.randomInt(0, 1_000_000).toString().padStart(6, '0');
  const answer = await asksOf(ctx).submit({ phone, ip: client.ip ?? null, code, codeHash: otpHash(ctx, phone, code) });
  if (answer.wait_ms > 0) throw new AppError('OTP_TOO_MANY', { params: { retryAfter: Math.max(1, Math.ceil(answer.wait_ms / 1000)) } });
  // committed: the dispatcher sends it now, not at its next poll
  if (answer.resident_id !== null) notifyQueued(ctx.events, ['sms']);
  return { sent: true as const, retryAfterSeconds: ctx.config.portal.otpResendSeconds };
}

interface CodeTry {
  phone: string;
  given: Buffer;
  /** the session's token, made before the batch (used only when the code is right) */
  token: string;
  client: Client;
}

interface CodeOutcome {
  outcome: 'OK' | 'OTP_EXPIRED' | 'OTP_LOCKED' | 'OTP_WRONG';
  resident_id: number | null;
  name: string | null;
  language: string | null;
  household_id: number | null;
}

/**
 * Checks codes, many to a statement (sign_in_otp, migration 0014: the number's latest request
 * locked, a wrong try counted), then writes the sessions and audit rows of the right ones in the
 * same transaction. Numbers are locked in order, so two batches in flight never deadlock.
 */
async function checkCodes(ctx: AppContext, tries: CodeTry[]): Promise<CodeOutcome[]> {
  return ctx.db.tx(async (q) => {
    const { rows } = await q.query<CodeOutcome & { ord: number }>(
      `SELECT a.ord, s.outcome, s.resident_id, s.name, s.language, s.household_id
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS a(phone, given, ord)
         CROSS JOIN LATERAL sign_in_otp(a.phone, decode(a.given, 'hex'), $3) s
        ORDER BY a.ord`,
      [tries.map((t) => t.phone), tries.map((t) => t.given.toString('hex')), OTP_MAX_TRIES],
    );
    const ok = rows.flatMap((r, i) => (r.outcome === 'OK' && r.resident_id !== null ? [{ row: r, at: tries[i] }] : []));
    await createSessions(
      q,
      ctx,
      ok.map(({ row, at }) => ({ token: at.token, residentId: row.resident_id!, via: 'sms' as const, client: at.client })),
    );
    await auditMany(
      q,
      ok.map(({ row, at }) => ({
        actor: auditActor({ residentId: row.resident_id!, ...at.client }),
        entry: { action: 'portal.sign_in', entity: 'resident', entityId: row.resident_id!, detail: { via: 'sms' } },
      })),
    );
    return rows;
  });
}

const triesOf = groupCommitPer((ctx: AppContext) => ({
  run: (tries: CodeTry[]) => checkCodes(ctx, tries),
  compare: byKey((t: CodeTry) => t.phone),
}));

/**
 * Checks a code; the right one signs in (a new resident session, answered with the signed-in
 * resident), a wrong one counts towards the lock. A refusal is answered after its count is
 * committed.
 */
export async function signInWithOtp(
  ctx: AppContext,
  rawPhone: string,
  code: string,
  client: Client,
): Promise<{ token: string; resident: ResidentActor }> {
  const phone = normalisePhone(rawPhone);
  const token = newToken();
  const r = await triesOf(ctx).submit({ phone, given: otpHash(ctx, phone, code), token, client });
  if (r.outcome !== 'OK' || r.resident_id === null) throw new AppError(r.outcome === 'OK' ? 'OTP_WRONG' : r.outcome, { field: 'code' });
  const resident: ResidentActor = {
    residentId: r.resident_id,
    name: r.name ?? '',
    language: portalLanguage(r.language),
    householdId: r.household_id,
    actingFor: null,
    subjectId: r.resident_id,
    tokenHash: hashToken(token),
    ...client,
  };
  return { token, resident };
}

/** Signs in with the personal code of the household card (whoever holds the card). */
export async function signInWithCard(ctx: AppContext, code: string, client: Client) {
  const read = readResidentCode(ctx.vault, code);
  if (!read) throw new AppError('CODE_UNKNOWN', { field: 'code' });
  return ctx.db.tx(async (q) => {
    const { rows } = await q.query<{ id: number; code_version: number }>(
      `SELECT r.id, coalesce(h.code_version, 0) AS code_version FROM residents r LEFT JOIN households h ON h.id = r.household_id
        WHERE r.id = $1 AND r.archived_at IS NULL`,
      [read.residentId],
    );
    if (!rows[0]) throw new AppError('CODE_UNKNOWN', { field: 'code' });
    if (read.version < rows[0].code_version) throw new AppError('CODE_REVOKED', { field: 'code' });
    const token = await createSession(q, ctx, read.residentId, 'card', client);
    await audit(q, auditActor({ residentId: read.residentId, ...client }), {
      action: 'portal.sign_in',
      entity: 'resident',
      entityId: read.residentId,
      detail: { via: 'card', version: read.version },
    });
    return token;
  });
}

export async function signOut(ctx: AppContext, r: ResidentActor) {
  await ctx.db.tx(async (q) => {
    await q.query('DELETE FROM resident_sessions WHERE token_hash = $1', [r.tokenHash]);
    await audit(q, auditActor(r), { action: 'portal.sign_out', entity: 'resident', entityId: r.residentId });
  });
}

// ---- me and the household

export async function me(ctx: AppContext, r: ResidentActor) {
  let household = null;
  if (r.householdId !== null) {
    const [h, members] = await Promise.all([
      ctx.db.query<{ id: number; place_path: string; room: string }>('SELECT id, place_path, room FROM households WHERE id = $1', [
        r.householdId,
      ]),
      ctx.db.query<{ id: number; name: string; sex: 'male' | 'female' | null; birth_date: string | null }>(
        'SELECT id, name, sex, birth_date FROM residents WHERE household_id = $1 AND archived_at IS NULL ORDER BY id',
        [r.householdId],
      ),
    ]);
    if (h.rows[0]) {
      const names = await placeNames(ctx.db, [h.rows[0].place_path]);
      household = {
        id: h.rows[0].id,
        address: addressOf(h.rows[0].place_path, h.rows[0].room, names),
        members: members.rows.map((m) => ({ id: m.id, name: m.name, sex: m.sex, age: ageOn(m.birth_date), isSelf: m.id === r.residentId })),
      };
    }
  }
  return { resident: { id: r.residentId, name: r.name, language: r.language }, actingFor: r.actingFor, household };
}

/** Acts for a member of one's own household, or for oneself again (null). Another household's member answers like a missing one. */
export async function actFor(ctx: AppContext, r: ResidentActor, residentId: number | null): Promise<ResidentActor> {
  const target = residentId === null || residentId === r.residentId ? null : residentId;
  return ctx.db.tx(async (q) => {
    let actingFor: ResidentActor['actingFor'] = null;
    if (target !== null) {
      const { rows } = await q.query<{ id: number; name: string }>(
        'SELECT id, name FROM residents WHERE id = $1 AND household_id = $2 AND archived_at IS NULL',
        [target, r.householdId ?? -1],
      );
      if (!rows[0]) throw new AppError('PORTAL_PERSON_NOT_FOUND', { field: 'residentId' });
      actingFor = rows[0];
    }
    await q.query('UPDATE resident_sessions SET acting_for = $2 WHERE token_hash = $1', [r.tokenHash, target]);
    await audit(q, auditActor(r), {
      action: 'portal.act_for',
      entity: 'resident',
      entityId: target ?? r.residentId,
      detail: { residentId: r.residentId, actingFor: target, previously: r.actingFor?.id ?? null },
    });
    return { ...r, actingFor, subjectId: actingFor?.id ?? r.residentId };
  });
}

export async function setLanguage(ctx: AppContext, r: ResidentActor, language: PortalLanguage) {
  await ctx.db.tx(async (q) => {
    await q.query('UPDATE residents SET language = $2, updated_at = now() WHERE id = $1', [r.residentId, language]);
    await audit(q, auditActor(r), { action: 'portal.language', entity: 'resident', entityId: r.residentId, detail: { language } });
  });
}

// ---- the person acted for

export async function personalCodeOf(ctx: AppContext, r: ResidentActor) {
  const [version, colour] = await Promise.all([codeVersionOf(ctx.db, r.subjectId), colourOf(ctx.db, r.subjectId)]);
  return { code: residentCode(ctx.vault, r.subjectId, version), version, colour: plainColour(colour!) };
}

/** An appeal against the colour of the person acted for, written by the signed-in resident (audited as theirs). */
export async function appealColour(ctx: AppContext, r: ResidentActor, text: string) {
  return submitAppeal(ctx, { residentId: r.subjectId, byResident: r.residentId, audit: auditActor(r) }, text);
}

export async function colourAppealsOf(ctx: AppContext, r: ResidentActor) {
  return appealsOf(ctx, r.subjectId);
}

/** The zone that holds at the home of the person acted for (the strictest over it), in the terms its policy gives; null when none. */
export async function zoneOf(ctx: AppContext, r: ResidentActor) {
  const { rows } = await ctx.db.query<{ place_path: string }>('SELECT place_path FROM residents WHERE id = $1', [r.subjectId]);
  const zone = rows[0] ? await zoneAt(ctx.db, rows[0].place_path) : null;
  if (!zone) return { zone: null };
  const { level, names, movement, supply, testEveryDays, testPerHousehold } = zone.policy;
  return { zone: { place: { name: zone.place.name, kind: zone.place.kind }, level, names, movement, supply, testEveryDays, testPerHousehold, declaredAt: zone.declaredAt } };
}

export async function resultsOf(ctx: AppContext, r: ResidentActor) {
  const [pcr, antigen] = await Promise.all([testsOf(ctx, r.subjectId), antigenReportsOf(ctx, r.subjectId)]);
  const results = [
    ...pcr.map((t) => ({
      at: t.resultAt ?? t.sampledAt,
      kind: 'pcr' as const,
      result: (t.result as Result | null) ?? ('pending' as const),
      campaign: t.campaign,
    })),
    ...antigen.items.map((a) => ({ at: a.testedAt, kind: 'antigen' as const, result: a.result as Result | 'pending' })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { results };
}

export async function antigenReports(ctx: AppContext, r: ResidentActor) {
  return antigenReportsOf(ctx, r.subjectId);
}

export async function reportAntigen(ctx: AppContext, r: ResidentActor, input: { key: string; result: Result; testedAt?: string }) {
  return residentReportAntigen(ctx, { residentId: r.residentId, forId: r.subjectId, audit: auditActor(r) }, input);
}

// ---- notices: the in-app messages of the outbox addressed to the person, and the notices posted
// to a place they live under (notices/posted.ts)

/** What the inbox shows: in-app messages the outbox has handed over (sent, delivered, read). */
const SHOWN = sql`channel = 'inapp' AND status IN ('sent', 'delivered', 'read')`;
export const NOTICES_PER_PAGE = 20;

/** SQL: the person's inbox, as (id, subject, body, at, read_at). */
const inbox = (residentId: number) =>
  sql`SELECT id::text AS id, subject, body, coalesce(delivered_at, sent_at, queued_at) AS at, read_at FROM messages
       WHERE resident_id = ${residentId} AND ${SHOWN}
      UNION ALL ${postedNoticesOf(residentId)}`;

export async function notices(ctx: AppContext, r: ResidentActor, page: number) {
  const [list, counts] = await Promise.all([
    ctx.db.query<{ id: string; subject: string | null; body: string; at: Date; read_at: Date | null }>(
      sql`SELECT * FROM (${inbox(r.subjectId)}) x ORDER BY at DESC, id DESC LIMIT ${NOTICES_PER_PAGE} OFFSET ${(page - 1) * NOTICES_PER_PAGE}`,
    ),
    ctx.db.query<{ total: number; unread: number }>(
      sql`SELECT count(*)::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread FROM (${inbox(r.subjectId)}) x`,
    ),
  ]);
  return {
    notices: list.rows.map((m) => ({
      id: m.id,
      subject: m.subject,
      body: m.body,
      at: m.at.toISOString(),
      readAt: m.read_at?.toISOString() ?? null,
    })),
    unread: counts.rows[0].unread,
    total: counts.rows[0].total,
  };
}

/** Marks a message (its uuid) or a posted notice (`notice-<id>`) read for the person. */
export async function markRead(ctx: AppContext, r: ResidentActor, id: string) {
  await ctx.db.tx(async (q) => {
    const posted = POSTED_NOTICE_ID.exec(id);
    let found: boolean;
    if (posted) {
      found = await markPostedRead(q, r.subjectId, Number(posted[1]));
    } else {
      const { rows } = await q.query<{ id: string }>(
        sql`UPDATE messages SET status = 'read', read_at = coalesce(read_at, now()) WHERE id = ${id}::uuid AND resident_id = ${r.subjectId} AND ${SHOWN}
            RETURNING id`,
      );
      found = rows.length > 0;
    }
    if (!found) throw new AppError('PORTAL_NOTICE_NOT_FOUND', { field: 'id' });
    if (r.actingFor)
      await audit(q, auditActor(r), {
        action: 'portal.notice_read',
        entity: posted ? 'notice' : 'message',
        entityId: posted ? posted[1] : id,
        detail: actingDetail(r),
      });
  });
}

/** Where the person lives now (their posted notices are those of the places above it). */
export async function placePathOf(ctx: AppContext, residentId: number): Promise<string | null> {
  const { rows } = await ctx.db.query<{ place_path: string }>(
    sql`SELECT place_path FROM residents WHERE id = ${residentId} AND archived_at IS NULL`,
  );
  return rows[0]?.place_path ?? null;
}

// ---- staff: a lost card

/** Rotates a household's personal codes: every code printed before stops working at once. */
export async function rotateHouseholdCodes(ctx: AppContext, actor: Actor, householdId: number, reason: string) {
  requirePermission(actor, 'registry.write');
  const text = reason.trim();
  if (!text) throw fieldInvalid('reason', { 'zh-CN': '请填写原因', 'en-US': 'give a reason' });
  return ctx.db.tx(async (q) => {
    const { rows } = await q.query<{ code_version: number; place_path: string }>(
      sql`UPDATE households SET code_version = code_version + 1, updated_at = now()
           WHERE id = ${householdId} AND ${within(actor.scope, 'place_path')} RETURNING code_version, place_path`,
    );
    if (!rows[0]) throw new AppError('HOUSEHOLD_NOT_FOUND', { field: 'id', params: { id: householdId } });
    // whoever signed in with the lost card is signed out with it
    await q.query(
      `DELETE FROM resident_sessions WHERE via = 'card' AND resident_id IN (SELECT id FROM residents WHERE household_id = $1)`,
      [householdId],
    );
    await audit(q, actor, {
      action: 'household.codes_rotate',
      entity: 'household',
      entityId: householdId,
      placePath: rows[0].place_path,
      detail: { reason: text, version: rows[0].code_version },
    });
    return { version: rows[0].code_version };
  });
}
