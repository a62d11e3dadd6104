// Staff accounts: sign-in with lock-out, sessions, password change, and account management
// within the manager's place scope.
import type { Db, Queryable } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { forgetSessions, hashToken, newToken } from '../../platform/auth.js';
import type { Actor, AppContext } from '../../platform/context.js';
import { AppError, fieldInvalid, type Locale } from '../../platform/errors.js';
import { canGrant, type Role } from '../../platform/permissions.js';
import { decodeCursor, encodeCursor } from '../../platform/paging.js';
import { join, raw, sql } from '../../db/sql.js';
import { placeInScope, requirePermission, within } from '../../platform/scope.js';
import { assertStrongPassword, generatePassword, hashPassword, verifyPassword } from './passwords.js';
import { checkThrottle, clearAccount, clearFailures, recordFailure } from './throttle.js';

// Verifying against this keeps the time of "no such user" equal to "wrong password".
let dummyHash: Promise<string> | undefined;

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  place_id: number | null;
  failed_attempts: number;
  locked_until: string | null;
  locked: boolean;
  disabled_at: string | null;
  must_change_password: boolean;
}

export interface Client {
  ip?: string;
  userAgent?: string;
}

/**
 * Signs in. Wrong passwords are throttled per client and account (throttle.ts), never by locking
 * the account: a stranger's guesses cannot lock its owner out. A name that does not exist, a
 * disabled account and a wrong password all cost one password hash and answer alike until the
 * password is right.
 */
export async function login(ctx: AppContext, username: string, password: string, client: Client) {
  checkThrottle(ctx, client.ip, username);
  const { rows } = await ctx.db.query<UserRow>(
    `SELECT *, locked_until > now() AS locked FROM users WHERE lower(username) = lower($1)`,
    [username],
  );
  const user = rows[0];
  if (!user) {
    await verifyPassword(await (dummyHash ??= hashPassword('not-a-real-password-1')), password);
    recordFailure(ctx, client.ip, username);
    await audit(ctx.db, { id: null, username, ...client }, { action: 'auth.login_failed', detail: { reason: 'unknown_user' } });
    throw new AppError('AUTH_INVALID_CREDENTIALS', { field: 'password' });
  }
  const who = { id: user.id, username: user.username, ...client };
  if (!(await verifyPassword(user.password_hash, password))) {
    recordFailure(ctx, client.ip, username);
    await ctx.db.query('UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = $1', [user.id]);
    await audit(ctx.db, who, { action: 'auth.login_failed', entity: 'user', entityId: user.id, detail: { reason: 'wrong_password' } });
    throw new AppError('AUTH_INVALID_CREDENTIALS', { field: 'password' });
  }
  clearFailures(ctx, client.ip, username);
  if (user.disabled_at) throw new AppError('AUTH_DISABLED');
  // A lock set before throttling replaced it (or by an officer's tooling) still holds until unlocked.
  if (user.locked) throw new AppError('AUTH_LOCKED', { params: { until: new Date(user.locked_until!).toISOString() } });
  const token = newToken();
  await ctx.db.tx(async (q) => {
    await q.query('UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = $1', [user.id]);
    await q.query(
      `INSERT INTO sessions (token_hash, user_id, expires_at, ip, user_agent)
       VALUES ($1, $2, now() + make_interval(hours => $3), $4, $5)`,
      [hashToken(token), user.id, ctx.config.sessionTtlHours, client.ip ?? null, client.userAgent ?? null],
    );
    await audit(q, who, { action: 'auth.login', entity: 'user', entityId: user.id });
  });
  return { token, mustChangePassword: user.must_change_password };
}

export async function logout(ctx: AppContext, actor: Actor, token: string) {
  await ctx.db.tx(async (q) => {
    await q.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(token)]);
    await audit(q, actor, { action: 'auth.logout', entity: 'user', entityId: actor.id });
  });
  forgetSessions(ctx); // after commit: a request racing the logout must not re-cache the session
}

/**
 * The password change's guesses of the current password are throttled per account, whatever the
 * address (throttle.ts, the sign-in's waits): only a holder of the account's session can guess
 * here, so the wait cannot lock anyone else out, and a stolen session cannot try the password at leisure.
 */
const PASSWORD_CHANGE_CLIENT = 'password-change';

export async function changePassword(ctx: AppContext, actor: Actor, current: string, next: string, token: string) {
  checkThrottle(ctx, PASSWORD_CHANGE_CLIENT, actor.username);
  const { rows } = await ctx.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [actor.id]);
  if (!rows[0] || !(await verifyPassword(rows[0].password_hash, current))) {
    recordFailure(ctx, PASSWORD_CHANGE_CLIENT, actor.username);
    await audit(ctx.db, actor, { action: 'auth.password_change_failed', entity: 'user', entityId: actor.id, detail: { reason: 'wrong_password' } });
    throw new AppError('AUTH_PASSWORD_WRONG', { field: 'currentPassword' });
  }
  clearFailures(ctx, PASSWORD_CHANGE_CLIENT, actor.username);
  assertStrongPassword(next, 'newPassword', actor.username);
  const hashed = await hashPassword(next);
  await ctx.db.tx(async (q) => {
    await q.query('UPDATE users SET password_hash = $2, must_change_password = false, updated_at = now() WHERE id = $1', [
      actor.id,
      hashed,
    ]);
    // Other devices signed in with the old password are signed out.
    await q.query('DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2', [actor.id, hashToken(token)]);
    await audit(q, actor, { action: 'auth.password_changed', entity: 'user', entityId: actor.id });
  });
  forgetSessions(ctx);
}

/** A user's stored preferences (the console's settings, e.g. the remembered import mapping) stay under this. */
export const PREFERENCES_MAX_BYTES = 16 * 1024;
const preferencesTooLarge = () =>
  fieldInvalid('preferences', {
    'zh-CN': `不能超过 ${PREFERENCES_MAX_BYTES / 1024} KB`,
    'en-US': `must not exceed ${PREFERENCES_MAX_BYTES / 1024} KB`,
  });

export async function updateOwnSettings(ctx: AppContext, actor: Actor, patch: { locale?: Locale; preferences?: Record<string, unknown> }) {
  const preferences = patch.preferences ? JSON.stringify(patch.preferences) : null;
  if (preferences && Buffer.byteLength(preferences) > PREFERENCES_MAX_BYTES) throw preferencesTooLarge();
  await ctx.db.tx(async (q) => {
    const { rowCount } = await q.query(
      `UPDATE users SET locale = coalesce($2, locale), preferences = preferences || coalesce($3::jsonb, '{}'::jsonb),
       updated_at = now() WHERE id = $1 AND octet_length((preferences || coalesce($3::jsonb, '{}'::jsonb))::text) <= $4`,
      [actor.id, patch.locale ?? null, preferences, PREFERENCES_MAX_BYTES],
    );
    // the merged whole too: many small patches of new keys must not grow it without bound
    if (rowCount === 0) throw preferencesTooLarge();
    await audit(q, actor, { action: 'user.settings', entity: 'user', entityId: actor.id, detail: { locale: patch.locale } });
  });
  forgetSessions(ctx); // the cached actor carries the locale
}

export interface PublicUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  placeId: number | null;
  placeName: string | null;
  placePath: string | null;
  phone: string | null;
  locale: Locale;
  disabled: boolean;
  locked: boolean;
  mustChangePassword: boolean;
  createdAt: string;
  preferences?: Record<string, unknown>;
}

const USER_SELECT = `SELECT u.id, u.username, u.display_name, u.role, u.place_id, p.name AS place_name, p.path AS place_path,
  u.phone, u.locale, u.disabled_at IS NOT NULL AS disabled, coalesce(u.locked_until > now(), false) AS locked,
  u.must_change_password, u.created_at, u.preferences
  FROM users u LEFT JOIN places p ON p.id = u.place_id`;

function present(r: Record<string, unknown>, withPreferences = false): PublicUser {
  return {
    id: r.id as number,
    username: r.username as string,
    displayName: r.display_name as string,
    role: r.role as Role,
    placeId: (r.place_id as number | null) ?? null,
    placeName: (r.place_name as string | null) ?? null,
    placePath: (r.place_path as string | null) ?? null,
    phone: (r.phone as string | null) ?? null,
    locale: r.locale as Locale,
    disabled: r.disabled as boolean,
    locked: r.locked as boolean,
    mustChangePassword: r.must_change_password as boolean,
    createdAt: new Date(r.created_at as string).toISOString(),
    ...(withPreferences ? { preferences: r.preferences as Record<string, unknown> } : {}),
  };
}

export async function me(ctx: AppContext, actor: Actor): Promise<PublicUser> {
  const { rows } = await ctx.db.query(`${USER_SELECT} WHERE u.id = $1`, [actor.id]);
  return present(rows[0], true);
}

/** Accounts under the manager's scope (the administrator sees every account). */
export async function listUsers(ctx: AppContext, actor: Actor, f: { q?: string; role?: Role; cursor?: string; limit: number }) {
  requirePermission(actor, 'users.manage');
  const where = [within(actor.scope, "coalesce(p.path, '/')")];
  if (actor.role !== 'admin') where.push(sql`u.role <> 'admin'`);
  const like = `%${f.q}%`;
  if (f.q) where.push(sql`(u.username ILIKE ${like} OR u.display_name ILIKE ${like})`);
  if (f.role) where.push(sql`u.role = ${f.role}`);
  const after = decodeCursor(f.cursor);
  if (after !== null) where.push(sql`u.id > ${after}`);
  const { rows } = await ctx.db.query(sql`${raw(USER_SELECT)} WHERE ${join(where, ' AND ')} ORDER BY u.id LIMIT ${f.limit + 1}`);
  const items = rows.slice(0, f.limit).map((r) => present(r));
  return { items, nextCursor: rows.length > f.limit ? encodeCursor(items.at(-1)!.id) : null };
}

async function userInScope(q: Queryable, actor: Actor, id: number) {
  const { rows } = await q.query(sql`${raw(USER_SELECT)} WHERE u.id = ${id} AND ${within(actor.scope, "coalesce(p.path, '/')")}`);
  const row = rows[0];
  if (!row || (row.role === 'admin' && actor.role !== 'admin')) throw new AppError('USER_NOT_FOUND', { params: { id } });
  return present(row);
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  placeId?: number | null;
  phone?: string;
  password?: string;
  locale?: Locale;
}

/** Creates an account; returns the one-time password when none was given. */
export async function createUser(ctx: AppContext, actor: Actor, input: NewUser) {
  requirePermission(actor, 'users.manage');
  if (!canGrant(actor.role, input.role)) throw new AppError('USER_ROLE_NOT_ALLOWED', { field: 'role', params: { role: input.role } });
  if (input.placeId == null) throw new AppError('USER_SCOPE_REQUIRED', { field: 'placeId' });
  const place = await placeInScope(ctx.db, actor, input.placeId);
  const oneTime = input.password ? undefined : generatePassword();
  if (input.password) assertStrongPassword(input.password, 'password', input.username);
  const hashed = await hashPassword(input.password ?? oneTime!);
  return ctx.db.tx(async (q) => {
    const taken = await q.query('SELECT 1 FROM users WHERE lower(username) = lower($1)', [input.username]);
    if (taken.rows.length) throw new AppError('USER_EXISTS', { field: 'username', params: { username: input.username } });
    const { rows } = await q.query<{ id: number }>(
      `INSERT INTO users (username, display_name, password_hash, role, place_id, phone, locale, must_change_password)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [input.username, input.displayName, hashed, input.role, place.id, input.phone ?? null, input.locale ?? 'zh-CN', !!oneTime],
    );
    await audit(q, actor, {
      action: 'user.create',
      entity: 'user',
      entityId: rows[0].id,
      placePath: place.path,
      detail: { username: input.username, role: input.role, placeId: place.id },
    });
    return { user: await userInScope(q, actor, rows[0].id), oneTimePassword: oneTime };
  });
}

export interface UserPatch {
  displayName?: string;
  role?: Role;
  placeId?: number;
  phone?: string | null;
  disabled?: boolean;
  unlock?: boolean;
  resetPassword?: boolean;
}

export async function updateUser(ctx: AppContext, actor: Actor, id: number, patch: UserPatch) {
  requirePermission(actor, 'users.manage');
  const current = await userInScope(ctx.db, actor, id);
  if (id === actor.id && (patch.role || patch.placeId || patch.disabled)) throw new AppError('FORBIDDEN');
  if (!canGrant(actor.role, current.role)) throw new AppError('USER_ROLE_NOT_ALLOWED', { field: 'role', params: { role: current.role } });
  if (patch.role && !canGrant(actor.role, patch.role)) {
    throw new AppError('USER_ROLE_NOT_ALLOWED', { field: 'role', params: { role: patch.role } });
  }
  const place = patch.placeId ? await placeInScope(ctx.db, actor, patch.placeId) : null;
  const oneTime = patch.resetPassword ? generatePassword() : undefined;
  const hashed = oneTime ? await hashPassword(oneTime) : null;
  const updated = await ctx.db.tx(async (q) => {
    await q.query(
      `UPDATE users SET
         display_name = coalesce($2, display_name),
         role = coalesce($3, role),
         place_id = coalesce($4, place_id),
         phone = CASE WHEN $5::boolean THEN $6 ELSE phone END,
         disabled_at = CASE WHEN $7::boolean IS NULL THEN disabled_at WHEN $7 THEN coalesce(disabled_at, now()) ELSE NULL END,
         locked_until = CASE WHEN $8::boolean THEN NULL ELSE locked_until END,
         failed_attempts = CASE WHEN $8::boolean THEN 0 ELSE failed_attempts END,
         password_hash = coalesce($9, password_hash),
         must_change_password = must_change_password OR $9 IS NOT NULL,
         updated_at = now()
       WHERE id = $1`,
      [
        id,
        patch.displayName ?? null,
        patch.role ?? null,
        place?.id ?? null,
        patch.phone !== undefined,
        patch.phone ?? null,
        patch.disabled ?? null,
        patch.unlock ?? false,
        hashed,
      ],
    );
    // A disabled account or a new password ends every open session of that account.
    if (patch.disabled || hashed) await q.query('DELETE FROM sessions WHERE user_id = $1', [id]);
    const { resetPassword, ...rest } = patch;
    await audit(q, actor, {
      action: 'user.update',
      entity: 'user',
      entityId: id,
      placePath: current.placePath,
      detail: { ...rest, resetPassword: !!resetPassword },
    });
    return { user: await userInScope(q, actor, id), oneTimePassword: oneTime };
  });
  forgetSessions(ctx); // after commit: role, scope, name or state may have changed
  if (patch.unlock) clearAccount(ctx, current.username);
  return updated;
}

/** Clears an account's lock and every client's sign-in throttle for it: the administrator, or the command center in its area. */
export async function unlockUser(ctx: AppContext, actor: Actor, id: number) {
  requirePermission(actor, 'users.unlock');
  const current = await userInScope(ctx.db, actor, id);
  // Below one's own rank, as for every change; the administrator unlocks any account, another administrator's too.
  if (actor.role !== 'admin' && !canGrant(actor.role, current.role)) throw new AppError('USER_ROLE_NOT_ALLOWED', { field: 'role', params: { role: current.role } });
  const user = await ctx.db.tx(async (q) => {
    await q.query('UPDATE users SET locked_until = NULL, failed_attempts = 0, updated_at = now() WHERE id = $1', [id]);
    await audit(q, actor, { action: 'user.unlock', entity: 'user', entityId: id, placePath: current.placePath });
    return userInScope(q, actor, id);
  });
  clearAccount(ctx, current.username);
  return { user };
}

/** First start: create the administrator; return the one-time password when it was generated. */
export async function ensureAdmin(ctx: AppContext): Promise<{ created: boolean; password?: string; generated: boolean }> {
  const { rows } = await ctx.db.query(`SELECT 1 FROM users WHERE role = 'admin' LIMIT 1`);
  if (rows.length) return { created: false, generated: false };
  const password = ctx.config.adminPassword ?? generatePassword();
  const generated = !ctx.config.adminPassword;
  await ctx.db.tx(async (q) => {
    const r = await q.query<{ id: number }>(
      `INSERT INTO users (username, display_name, password_hash, role, must_change_password)
       VALUES ('admin', '系统管理员', $1, 'admin', $2) RETURNING id`,
      [await hashPassword(password), generated],
    );
    await audit(q, null, {
      action: 'user.create',
      entity: 'user',
      entityId: r.rows[0].id,
      detail: { username: 'admin', role: 'admin', bootstrap: true },
    });
  });
  return { created: true, password: generated ? password : undefined, generated };
}

export type AdminReset =
  | { ok: true; password: string; reenabled: boolean }
  | { ok: false; reason: 'no_such_user' | 'not_admin'; admins: string[] };

/**
 * A new one-time password for an administrator, from the machine (`npm run reset-password`):
 * the way back in when the first password scrolled away or was forgotten. It must be changed at
 * the next sign-in; the account is enabled again, its lock cleared and its sessions ended.
 */
export async function resetAdminPassword(db: Db, username: string): Promise<AdminReset> {
  const { rows } = await db.query<{ id: number; role: string; disabled_at: string | null }>(
    'SELECT id, role, disabled_at FROM users WHERE username = $1',
    [username],
  );
  if (!rows.length || rows[0].role !== 'admin') {
    const admins = (await db.query<{ username: string }>(`SELECT username FROM users WHERE role = 'admin' ORDER BY id`)).rows.map((r) => r.username);
    return { ok: false, reason: rows.length ? 'not_admin' : 'no_such_user', admins };
  }
  const password = generatePassword();
  const hashed = await hashPassword(password);
  await db.tx(async (q) => {
    await q.query(
      `UPDATE users SET password_hash = $2, must_change_password = true, disabled_at = NULL,
         locked_until = NULL, failed_attempts = 0, updated_at = now() WHERE id = $1`,
      [rows[0].id, hashed],
    );
    await q.query('DELETE FROM sessions WHERE user_id = $1', [rows[0].id]);
    await audit(q, null, {
      action: 'user.update',
      entity: 'user',
      entityId: rows[0].id,
      detail: { resetPassword: true, via: 'command line' },
    });
  });
  return { ok: true, password, reenabled: rows[0].disabled_at !== null };
}
