// Resident sessions (cookie fk_resident, path /api/portal): a random token whose SHA-256 alone is
// stored, like a staff session, but another table, another cookie and no scope. A resident session
// opens the portal's routes only; the staff routes read fk_session and never this cookie, and the
// portal's routes read this cookie and never fk_session, so neither opens the other's routes.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../../db/client.js';
import type { AuditActor } from '../../platform/audit.js';
import { hashToken, newToken } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { cookieSecure } from '../../platform/security.js';

export const RESIDENT_COOKIE = 'fk_resident';
const COOKIE_PATH = '/api/portal';

export const PORTAL_LANGUAGES = ['zh-CN', 'en-US', 'ko-KR'] as const;
export type PortalLanguage = (typeof PORTAL_LANGUAGES)[number];
export const portalLanguage = (l: string | null | undefined): PortalLanguage => (PORTAL_LANGUAGES.includes(l as PortalLanguage) ? (l as PortalLanguage) : 'zh-CN');

/** The signed-in resident, and the member of their household they act for (or nobody). */
export interface ResidentActor {
  residentId: number;
  name: string;
  language: PortalLanguage;
  householdId: number | null;
  actingFor: { id: number; name: string } | null;
  /** whom the person-pages speak about: actingFor ?? the resident */
  subjectId: number;
  tokenHash: Buffer;
  ip?: string;
  userAgent?: string;
}

/** The audit log's "who": a resident has no account; the name column says which resident. */
export function auditActor(r: Pick<ResidentActor, 'residentId' | 'ip' | 'userAgent'>): AuditActor {
  return { id: null, username: `resident:${r.residentId}`, ip: r.ip, userAgent: r.userAgent };
}

/** What every write made while acting for someone records: both ids. */
export function actingDetail(r: ResidentActor): Record<string, unknown> {
  return { residentId: r.residentId, actingFor: r.actingFor?.id ?? null };
}

export async function createSession(q: Queryable, ctx: AppContext, residentId: number, via: 'sms' | 'card', client: { ip?: string; userAgent?: string }) {
  const token = newToken();
  await createSessions(q, ctx, [{ token, residentId, via, client }]);
  return token;
}

/** Writes sessions for tokens made by the caller (a batch of sign-ins), in one statement. */
export async function createSessions(
  q: Queryable,
  ctx: AppContext,
  sessions: readonly { token: string; residentId: number; via: 'sms' | 'card'; client: { ip?: string; userAgent?: string } }[],
) {
  if (sessions.length === 0) return;
  await q.query(
    `INSERT INTO resident_sessions (token_hash, resident_id, via, expires_at, ip, user_agent)
     SELECT decode(h, 'hex'), r, v, now() + make_interval(hours => $4), i, u
       FROM unnest($1::text[], $2::int[], $3::text[], $5::text[], $6::text[]) AS x(h, r, v, i, u)`,
    [
      sessions.map((s) => hashToken(s.token).toString('hex')),
      sessions.map((s) => s.residentId),
      sessions.map((s) => s.via),
      ctx.config.portal.sessionTtlHours,
      sessions.map((s) => s.client.ip ?? null),
      sessions.map((s) => s.client.userAgent ?? null),
    ],
  );
}

export function setSessionCookie(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, token: string) {
  reply.setCookie(RESIDENT_COOKIE, token, {
    path: COOKIE_PATH,
    httpOnly: true,
    sameSite: 'lax',
    secure: cookieSecure(ctx.config, req),
    maxAge: ctx.config.portal.sessionTtlHours * 3600,
  });
}

export function clearSessionCookie(ctx: AppContext, req: FastifyRequest, reply: FastifyReply) {
  reply.clearCookie(RESIDENT_COOKIE, { path: COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure: cookieSecure(ctx.config, req) });
}

interface SessionRow {
  resident_id: number;
  name: string;
  language: string;
  household_id: number | null;
  acting_id: number | null;
  acting_name: string | null;
}

/** The resident of a session token, or null (no such session, expired, or the resident archived). */
export async function residentForToken(q: Queryable, token: string): Promise<Omit<ResidentActor, 'ip' | 'userAgent'> | null> {
  const tokenHash = hashToken(token);
  // the person acted for counts only while they are still a member of the same household
  const { rows } = await q.query<SessionRow>(
    `SELECT r.id AS resident_id, r.name, r.language, r.household_id, a.id AS acting_id, a.name AS acting_name
       FROM resident_sessions s JOIN residents r ON r.id = s.resident_id AND r.archived_at IS NULL
       LEFT JOIN residents a ON a.id = s.acting_for AND a.household_id = r.household_id AND a.archived_at IS NULL
      WHERE s.token_hash = $1 AND s.expires_at > now()`,
    [tokenHash],
  );
  const r = rows[0];
  if (!r) return null;
  const actingFor = r.acting_id !== null ? { id: r.acting_id, name: r.acting_name! } : null;
  return {
    residentId: r.resident_id,
    name: r.name,
    language: portalLanguage(r.language),
    householdId: r.household_id,
    actingFor,
    subjectId: actingFor?.id ?? r.resident_id,
    tokenHash,
  };
}

/** The signed-in resident, or 401: a staff session is no resident session. */
export async function requireResident(ctx: AppContext, req: FastifyRequest): Promise<ResidentActor> {
  const token = req.cookies?.[RESIDENT_COOKIE];
  if (!token) throw new AppError('AUTH_REQUIRED');
  const found = await residentForToken(ctx.db, token);
  if (!found) throw new AppError('AUTH_REQUIRED');
  return { ...found, ip: req.ip, userAgent: req.headers['user-agent'] };
}
