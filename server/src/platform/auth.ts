// Session cookies: a random token in an HttpOnly cookie; only its SHA-256 is stored.
// Every request resolves the cookie to an Actor (or null) before its handler runs.
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, AppContext } from './context.js';
import { AppError } from './errors.js';
import type { Locale } from './errors.js';
import type { Role } from './permissions.js';
import { mintScope } from './scope.js';

/** A staff account whose place is gone sees nothing: a path no place has. */
const NO_PLACE = '/0/';

export const SESSION_COOKIE = 'fk_session';

export function hashToken(token: string): Buffer {
  return crypto.createHash('sha256').update(token).digest();
}

export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

// Every request needs its actor; at a lane that is a database round trip as costly as the
// scan itself. Resolved sessions are kept for a few seconds. This process forgets them at
// once when an account or session changes (forgetSessions); another server process behind
// the same load balancer may serve a signed-out or disabled session for at most SESSION_CACHE_MS.
export const SESSION_CACHE_MS = 5000;
const sessionCaches = new WeakMap<object, Map<string, { until: number; actor: Actor }>>();

export function forgetSessions(ctx: AppContext) {
  sessionCaches.get(ctx.db)?.clear();
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
  must_change_password: boolean;
}

/** The actor for a session token, or a reason why there is none. */
export async function actorForToken(
  ctx: AppContext,
  token: string,
): Promise<{ actor: Actor } | { error: 'AUTH_REQUIRED' | 'AUTH_SESSION_EXPIRED' | 'AUTH_DISABLED' }> {
  let cache = sessionCaches.get(ctx.db);
  if (!cache) sessionCaches.set(ctx.db, (cache = new Map()));
  const hash = hashToken(token);
  const key = hash.toString('base64');
  const hit = cache.get(key);
  if (hit && Date.now() < hit.until) return { actor: hit.actor };
  const { rows } = await ctx.db.query<SessionRow & { expires_at: Date }>(
    `SELECT u.id, u.username, u.display_name, u.role, u.place_id, p.path AS scope_path, u.locale, s.expires_at,
            s.expires_at < now() AS expired, u.disabled_at IS NOT NULL AS disabled,
            u.must_change_password
       FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN places p ON p.id = u.place_id
      WHERE s.token_hash = $1`,
    [hash],
  );
  const r = rows[0];
  if (!r) return { error: 'AUTH_REQUIRED' };
  if (r.expired) return { error: 'AUTH_SESSION_EXPIRED' };
  if (r.disabled) return { error: 'AUTH_DISABLED' };
  const actor: Actor = {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    placeId: r.place_id,
    // The administrator has no place: the root of every path.
    scope: mintScope(r.role === 'admin' ? '/' : (r.scope_path ?? NO_PLACE)),
    locale: r.locale,
    mustChangePassword: r.must_change_password,
  };
  if (cache.size > 10_000) cache.clear();
  cache.set(key, { until: Math.min(Date.now() + SESSION_CACHE_MS, r.expires_at.getTime()), actor });
  return { actor };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route stays open to a session whose account must still change its one-time password
     * (sign-in, sign-out, /api/auth/me, the password change itself, health); every other API
     * route answers 403 PASSWORD_CHANGE_REQUIRED to such a session.
     */
    beforePasswordChange?: boolean;
  }
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
      // Enforced here, not only by the console: a one-time password (printed, handed over) opens nothing else.
      if (found.actor.mustChangePassword && req.url.startsWith('/api/') && !req.routeOptions.config?.beforePasswordChange) {
        throw new AppError('PASSWORD_CHANGE_REQUIRED');
      }
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
