// HTTP for sign-in, the signed-in user's own settings, and staff account management.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorForToken, requireActor, SESSION_COOKIE } from '../../platform/auth.js';
import { canGrant, permissionCatalog, permissionsOf, ROLES, ROLE_LABELS } from '../../platform/permissions.js';
import { cookieSecure, rateLimit } from '../../platform/security.js';
import { answers, IdParam, Items, lit, Messages, Nullable, Ok, Page, PageQuery } from '../../platform/schemas.js';
import * as accounts from './service.js';

const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
const Locale = Type.Union([Type.Literal('zh-CN'), Type.Literal('en-US')]);
const RoleOut = lit(ROLES);
const LocaleOut = lit(['zh-CN', 'en-US'] as const);

/** The console's own settings (a free-form map, kept small: service.ts also bounds the stored whole). */
const Preferences = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 20 });

/** An account as service.ts presents it (PublicUser); preferences only for the signed-in user. */
const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleOut,
  placeId: Nullable(Type.Integer()),
  placeName: Nullable(Type.String()),
  placePath: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  locale: LocaleOut,
  disabled: Type.Boolean(),
  locked: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  preferences: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
/** A created or changed account, with the one-time password when one was generated. */
const UserChange = Type.Object({ user: User, oneTimePassword: Type.Optional(Type.String()) });

export async function accountRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const ctx = app.ctx;

  app.post(
    '/api/auth/login',
    {
      config: { beforePasswordChange: true, rateLimit: rateLimit(ctx.config, 'signIn') },
      schema: {
        tags: ['auth'],
        summary: 'Sign in (登录)', response: answers({ 200: Type.Object({ user: User, mustChangePassword: Type.Boolean() }) }),
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 40 }), password: Type.String({ minLength: 1, maxLength: 200 }) }),
      },
    },
    async (req, reply) => {
      const { token, mustChangePassword } = await accounts.login(ctx, req.body.username, req.body.password, {
        ip: req.ip,
        userAgent: req.headers['user-agent'],
      });
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: cookieSecure(ctx.config, req),
        maxAge: ctx.config.sessionTtlHours * 3600,
      });
      const found = await actorForToken(ctx, token);
      if (!('actor' in found)) throw new Error('the session just created is missing');
      return { user: await accounts.me(ctx, found.actor), mustChangePassword };
    },
  );

  app.post('/api/auth/logout', { config: { beforePasswordChange: true }, schema: { tags: ['auth'], summary: 'Sign out (退出)', response: answers({ 200: Ok }) } }, async (req, reply) => {
    const actor = requireActor(req);
    await accounts.logout(ctx, actor, req.cookies[SESSION_COOKIE]!);
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: cookieSecure(ctx.config, req) });
    return { ok: true };
  });

  app.get('/api/auth/me', { config: { beforePasswordChange: true }, schema: { tags: ['auth'], summary: 'The signed-in user', response: answers({ 200: Type.Object({ user: User, scopePath: Type.String(), permissions: Type.Array(lit(permissionCatalog().map((p) => p.permission))) }) }) } }, async (req) => {
    const actor = requireActor(req);
    return { user: await accounts.me(ctx, actor), scopePath: actor.scope.path, permissions: permissionsOf(actor.role) };
  });

  app.patch(
    '/api/auth/me',
    {
      config: { beforePasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'Change own language or preferences', response: answers({ 200: Type.Object({ user: User }) }),
        body: Type.Object({ locale: Type.Optional(Locale), preferences: Type.Optional(Preferences) }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await accounts.updateOwnSettings(ctx, actor, req.body);
      return { user: await accounts.me(ctx, { ...actor, locale: req.body.locale ?? actor.locale }) };
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { beforePasswordChange: true, rateLimit: rateLimit(ctx.config, 'passwordChange') },
      schema: {
        tags: ['auth'],
        summary: 'Change own password (修改密码)', response: answers({ 200: Ok }),
        body: Type.Object({ currentPassword: Type.String({ maxLength: 200 }), newPassword: Type.String({ maxLength: 200 }) }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await accounts.changePassword(ctx, actor, req.body.currentPassword, req.body.newPassword, req.cookies[SESSION_COOKIE]!);
      return { ok: true };
    },
  );

  // grantable: whether the signed-in user may create and manage accounts of that role (canGrant),
  // so the console offers those without a copy of the ranks.
  const RoleItem = Type.Object({ role: RoleOut, label: Messages, grantable: Type.Boolean() });
  app.get('/api/roles', { schema: { tags: ['accounts'], summary: 'Roles, their labels, and which ones I may grant', response: answers({ 200: Items(RoleItem) }) } }, async (req) => {
    const actor = requireActor(req);
    return { items: ROLES.map((r) => ({ role: r, label: ROLE_LABELS[r], grantable: canGrant(actor.role, r) })) };
  });

  app.get(
    '/api/users',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Staff accounts under my scope', response: answers({ 200: Page(User) }),
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 40 })), role: Type.Optional(Role), ...PageQuery }),
      },
    },
    async (req) => {
      return accounts.listUsers(ctx, requireActor(req), req.query);
    },
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create a staff account', response: answers({ 201: UserChange }),
        body: Type.Object({
          username: Type.String({ pattern: '^[A-Za-z0-9_.@-]{3,40}$' }),
          displayName: Type.String({ minLength: 1, maxLength: 40 }),
          role: Role,
          placeId: Type.Integer({ minimum: 1 }),
          phone: Type.Optional(Type.String({ maxLength: 20 })),
          password: Type.Optional(Type.String({ maxLength: 200 })),
          locale: Type.Optional(Locale),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      reply.status(201);
      return accounts.createUser(ctx, actor, req.body);
    },
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Change a staff account: role, scope, disable, unlock, reset password', response: answers({ 200: UserChange }),
        params: IdParam,
        body: Type.Object({
          displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
          role: Type.Optional(Role),
          placeId: Type.Optional(Type.Integer({ minimum: 1 })),
          phone: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
          disabled: Type.Optional(Type.Boolean()),
          unlock: Type.Optional(Type.Boolean()),
          resetPassword: Type.Optional(Type.Boolean()),
        }),
      },
    },
    async (req) => accounts.updateUser(ctx, requireActor(req), req.params.id, req.body),
  );

  app.post(
    '/api/users/:id/unlock',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Unlock an account: clears its lock and every sign-in throttle on it (administrator; command center in its area)',
        response: answers({ 200: Type.Object({ user: User }) }),
        params: IdParam,
      },
    },
    async (req) => accounts.unlockUser(ctx, requireActor(req), req.params.id),
  );
}
