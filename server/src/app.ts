// Builds the Fastify application from its modules. No listen() here: tests use inject().
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { AppContext } from './platform/context.js';
import { registerAuth } from './platform/auth.js';
import { redactIdNumbers } from './platform/ids.js';
import { AppError } from './platform/errors.js';
import { clientError, frameworkError, registerErrorHandling, sendError } from './platform/http-errors.js';
import { registerInputGuards } from './platform/input.js';
import { registerSecurity } from './platform/security.js';
import { migrationState } from './db/migrate.js';
import { publicUrlOf } from './config.js';
import { answers, ErrorBody, Nullable } from './platform/schemas.js';
import { Type } from 'typebox';

export interface BuildOptions {
  logger?: boolean | object;
  /** 'json': Fastify's own request lines; 'short': one line per request; 'off': none (platform/logging.ts) */
  requestLog?: 'off' | 'short' | 'json';
  /** start the job runner and the modules' background work (the outbox's dispatcher) with the app: the server does, most tests do not */
  background?: boolean;
}

/** Query parameters whose values never reach the access log (an ID number, or a search that may be one). */
const SECRET_QUERY = new Set(['idNumber', 'q']);

/** A request URL as the access log keeps it: idNumber and q values replaced, any ID number elsewhere masked. */
export function logUrl(url: string): string {
  const at = url.indexOf('?');
  const pathPart = redactIdNumbers(at < 0 ? url : url.slice(0, at));
  if (at < 0) return pathPart;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      let name = eq < 0 ? pair : pair.slice(0, eq);
      try {
        name = decodeURIComponent(name);
      } catch {
        // keep it as sent
      }
      return eq >= 0 && SECRET_QUERY.has(name) ? `${pair.slice(0, eq)}=***` : redactIdNumbers(pair);
    })
    .join('&');
  return `${pathPart}?${query}`;
}

/** The logger's options with the request serializer that redacts the URL. */
function loggerOptions(logger: boolean | object | undefined) {
  if (!logger) return false;
  const base = logger === true ? {} : (logger as Record<string, unknown>);
  return {
    ...base,
    serializers: {
      ...(base.serializers as object | undefined),
      req: (req: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
        method: req.method,
        url: logUrl(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  };
}

export async function buildApp(ctx: AppContext, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(opts.logger),
    bodyLimit: ctx.config.bodyLimitBytes,
    // Only the proxies TRUST_PROXY names are believed about the client (X-Forwarded-For/-Proto/-Host):
    // by default nobody, so the audit log and the throttles see the connecting address.
    // (a hop count is Fastify's documented integer form, which its types omit)
    trustProxy: ctx.config.trustProxy as boolean | string[],
    // Fastify's and Node's own refusals (bad URL encoding, over-long path parameters, broken requests) in the one error shape too.
    frameworkErrors: frameworkError,
    clientErrorHandler: clientError,
    logController: new LogController({ disableRequestLogging: opts.requestLog !== undefined && opts.requestLog !== 'json' }),
    // No coercion anywhere: query strings and path parameters are converted from their plain forms only (platform/input.ts convertPlain).
    ajv: { customOptions: { allErrors: false, coerceTypes: false, removeAdditional: false } },
  });
  app.decorate('ctx', ctx);
  if (opts.requestLog === 'short') {
    app.addHook('onResponse', async (req, reply) => {
      req.log.info(`${req.method} ${logUrl(req.url)} ${reply.statusCode} ${Math.round(reply.elapsedTime)} ms`);
    });
  }
  if (opts.background) {
    const stops: (() => Promise<void>)[] = [];
    let starting: Promise<void> | undefined;
    // Not awaited: the server listens at once while pg-boss creates or checks its schema (its
    // first start on PGlite takes seconds); the job runner's calls wait for it by themselves.
    app.addHook('onReady', async () => {
      starting = (async () => {
        await ctx.jobs.start();
        for (const module of ctx.modules) if (module.background) stops.push(await module.background(ctx));
      })().catch((err) => app.log.error(err, 'background work did not start'));
    });
    app.addHook('onClose', async () => {
      await starting;
      for (const stop of stops.splice(0).reverse()) await stop().catch((err) => app.log.error(err));
      await ctx.jobs.stop();
    });
  }
  app.addHook('onClose', async () => ctx.events.close());
  registerErrorHandling(app);
  registerInputGuards(app);
  // The one error shape, referenced by every route's 4xx/5xx answers and named in the OpenAPI components.
  app.addSchema(ErrorBody);

  await app.register(cookie);
  // Headers, no-store, the cross-origin rule (before the session is looked up) and the rate-limit plugin (before any route).
  await registerSecurity(app, ctx.config);
  await app.register(multipart, { limits: { fileSize: ctx.config.uploadLimitBytes, files: 1, fields: 20 } });
  await app.register(swagger, {
    // Shared schemas keep their $id as their component name (ErrorBody), not def-0.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    openapi: {
      info: {
        title: 'Fangkong (防控) API',
        description: 'Community outbreak-response platform. Errors: { error: { code, status, field, message, messages } }.',
        version: '0.1.0',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'fk_session' }, resident: { type: 'apiKey', in: 'cookie', name: 'fk_resident' } } },
      security: [{ session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  registerAuth(app);

  const Health = Type.Object({
    status: Type.Literal('ok'),
    database: Type.Object({
      kind: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
      /** only to a signed-in administrator: the exact version tells an attacker which flaws to try */
      serverVersion: Type.Optional(Type.String()),
    }),
    migration: Type.Object({ version: Nullable(Type.String()), applied: Type.Integer() }),
    publicUrl: Type.Object(
      { url: Type.String(), configured: Type.Boolean({ description: 'false: PUBLIC_URL is unset and the address is derived from this machine' }) },
      { description: 'the base address residents open (household cards and posters print <url>/self-report)' },
    ),
  });
  const health = { tags: ['system'], summary: 'Liveness, database kind and migration version', response: answers({ 200: Health }) };
  app.get('/api/health', { schema: health, config: { beforePasswordChange: true } }, async (req) => {
    const [{ rows }, migrations] = await Promise.all([
      ctx.db.query<{ server_version: string }>('SHOW server_version'),
      migrationState(ctx.db),
    ]);
    const detail = req.user?.role === 'admin';
    return {
      status: 'ok',
      database: { kind: ctx.db.kind, ...(detail ? { serverVersion: rows[0].server_version } : {}) },
      migration: { version: migrations.version, applied: migrations.applied.length },
      publicUrl: publicUrlOf(ctx.config),
    };
  });

  for (const module of ctx.modules) for (const routes of module.routes) await app.register(routes);

  // The built console is served at /; any non-API path falls back to its index.html.
  const index = path.join(ctx.config.webDist, 'index.html');
  const hasWeb = fs.existsSync(index);
  if (hasWeb) await app.register(fastifyStatic, { root: ctx.config.webDist, wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || !hasWeb || req.method !== 'GET') {
      return sendError(req, reply, new AppError('ROUTE_NOT_FOUND'));
    }
    return reply.type('text/html').send(fs.createReadStream(index));
  });
  return app;
}
