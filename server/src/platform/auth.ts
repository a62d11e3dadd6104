// Session cookies: a random token in an HttpOnly cookie; only its SHA-256 is stored.
// Every request resolves the cookie to an Actor (or null) before its handler runs.
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, AppContext } from './context.js';
import { AppError } from './errors.js';
import type { Locale } from './errors.js';
import type { Role } from './permissions.js';

export const SESSION_COOKIE = 'fk_session';

export function hashToken(token: string): Buffer {
  return crypto.createHash('sha256').update(token).digest();
}

export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

interface SessionRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  place_id: number | null;
  scope_path: string | null;
  locale: Locale;
  expired: boolean;
  disabled: boolean;
}

/** The actor for a session token, or a reason why there is none. */
export async function actorForToken(
  ctx: AppContext,
  token: string,
): Promise<{ actor: Actor } | { error: 'AUTH_REQUIRED' | 'AUTH_SESSION_EXPIRED' | 'AUTH_DISABLED' }> {
  const { rows } = await ctx.db.query<SessionRow>(
    `SELECT u.id, u.username, u.display_name, u.role, u.place_id, p.path AS scope_path, u.locale,
            s.expires_at < now() AS expired, u.disabled_at IS NOT NULL AS disabled
       FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN places p ON p.id = u.place_id
      WHERE s.token_hash = $1`,
    [hashToken(token)],
  );
  const r = rows[0];
  if (!r) return { error: 'AUTH_REQUIRED' };
  if (r.expired) return { error: 'AUTH_SESSION_EXPIRED' };
  if (r.disabled) return { error: 'AUTH_DISABLED' };
  return {
    actor: {
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      role: r.role,
      placeId: r.place_id,
      // The administrator has no place: the root of every path.
      scopePath: r.role === 'admin' ? '/' : (r.scope_path ?? '/nowhere/'),
      locale: r.locale,
    },
  };
}

export function registerAuth(app: FastifyInstance) {
  app.decorateRequest('user', null);
  app.decorateRequest('authError', null);
  app.addHook('onRequest', async (req) => {
    const token = req.cookies?.[SESSION_COOKIE];
    if (!token) return;
    const found = await actorForToken(app.ctx, token);
    if ('actor' in found) {
      req.user = { ...found.actor, ip: req.ip, userAgent: req.headers['user-agent'] };
    } else {
      (req as FastifyRequest & { authError: string }).authError = found.error;
    }
  });
}

/** The signed-in actor, or a 401 that says whether the session expired. */
export function requireActor(req: FastifyRequest): Actor {
  if (req.user) return req.user;
  const reason = (req as FastifyRequest & { authError?: string }).authError;
  if (reason === 'AUTH_SESSION_EXPIRED' || reason === 'AUTH_DISABLED') throw new AppError(reason);
  throw new AppError('AUTH_REQUIRED');
}
