// What every answer and every state-changing request goes through, for the browser's sake:
// security headers (helmet), no caching of API answers, the cross-origin (CSRF) rule, and the
// rate limits routes opt into (@fastify/rate-limit). Registered in app.ts before any route.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimitPlugin, { type RateLimitOptions } from '@fastify/rate-limit';
import type { Config, RateLimits } from '../config.js';
import { AppError } from './errors.js';

/** The request arrived over HTTPS: its own TLS, or X-Forwarded-Proto from a proxy TRUST_PROXY names. */
export const overHttps = (req: FastifyRequest) => req.protocol === 'https';

/** Whether the session cookie set in answer to this request carries Secure (COOKIE_SECURE). */
export function cookieSecure(config: Config, req: FastifyRequest): boolean {
  return config.cookieSecure === 'always' || (config.cookieSecure === 'auto' && overHttps(req));
}

/**
 * The console's Content-Security-Policy. Scripts only from our own origin (the built console has
 * no inline script; the service worker is /sw.js). Styles also inline: Ant Design's CSS-in-JS
 * writes <style> elements at run time and ECharts sets style attributes. Images also data: and
 * blob: (QR codes of personal codes are data: SVGs). Nobody may frame the console.
 */
const CSP = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** HSTS, sent only over HTTPS (a browser ignores it over HTTP, and a plain-HTTP laptop install must stay reachable). */
const HSTS = 'max-age=31536000';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function originHost(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.host.toLowerCase() : null;
  } catch {
    return null; // "null" (a sandboxed frame, a data: page) or garbage: from nowhere we know
  }
}

/**
 * Why a state-changing request is refused as cross-origin, or undefined when it is not.
 *
 * A browser says where a request comes from: `Sec-Fetch-Site` (every current browser), else
 * `Origin` (sent on every cross-origin POST, and by older Safari), else `Referer` (our
 * Referrer-Policy keeps it on same-origin requests). A request carrying none of the three is not
 * from a browser page at all (curl, a lab instrument, the tests' inject, a benchmark): no page of
 * another site can make a browser drop all three, so it is let through. Applied to every
 * state-changing request, with or without a session cookie (so a sign-in cannot be forged either).
 * Behind it stand the session cookie's SameSite=Lax and the refusal of text/plain bodies.
 */
export function crossOriginReason(req: FastifyRequest): string | undefined {
  if (!STATE_CHANGING.has(req.method)) return undefined;
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' ? undefined : `Sec-Fetch-Site: ${site}`;
  const origin = req.headers.origin;
  const from = originHost(origin ?? req.headers.referer);
  if (from === undefined) return undefined;
  return from === req.host.toLowerCase() ? undefined : origin !== undefined ? 'Origin' : 'Referer';
}

type LimitedKind = Exclude<keyof RateLimits, 'windowSeconds'>;

/** Whom a limit counts: the client address, or the signed-in account (exports, password change). */
const PER_ACCOUNT: Record<LimitedKind, boolean> = { signIn: false, passwordChange: true, publicForms: false, exports: true };

/**
 * A route's rate limit (its `config.rateLimit`): the configured requests per window for this kind
 * of route, counted per client address or per account. Counted in this process's memory, per route.
 */
export function rateLimit(config: Config, kind: LimitedKind): RateLimitOptions | false {
  const max = config.rateLimits[kind];
  if (!max) return false;
  return {
    max,
    timeWindow: config.rateLimits.windowSeconds * 1000,
    keyGenerator: PER_ACCOUNT[kind] ? (req) => (req.user ? `account:${req.user.id}` : `ip:${req.ip}`) : (req) => `ip:${req.ip}`,
  };
}

/** A route whose 200 answer is a file (schemas.ts fileAnswer), other than a live stream: an export. */
function answersAFile(schema: unknown): boolean {
  const ok = (schema as { response?: Record<string, { content?: Record<string, unknown> }> } | undefined)?.response?.['200'];
  return !!ok?.content && Object.keys(ok.content).some((type) => type !== 'text/event-stream');
}

export async function registerSecurity(app: FastifyInstance, config: Config) {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP },
    strictTransportSecurity: false,
    frameguard: { action: 'deny' },
    // Same-origin requests keep their Referer (the cross-origin rule's last resort); no other site sees our URLs.
    referrerPolicy: { policy: 'same-origin' },
  });

  app.addHook('onRequest', async (req, reply) => {
    if (overHttps(req)) reply.header('strict-transport-security', HSTS);
    // No browser or proxy keeps an API answer (personal data); the documentation's static files may be cached.
    if (req.url.startsWith('/api/') && !req.url.startsWith('/api/docs/static/')) reply.header('cache-control', 'no-store');
    const refused = crossOriginReason(req);
    if (refused) {
      req.log.warn({ method: req.method, origin: req.headers.origin, site: req.headers['sec-fetch-site'], refused }, 'cross-origin request refused');
      throw new AppError('CROSS_ORIGIN_REFUSED');
    }
  });

  // No route takes text/plain: a body a cross-origin form or a no-cors fetch can send without a
  // preflight is refused (415) rather than parsed into a string a body-less route would ignore.
  app.removeContentTypeParser('text/plain');

  // Every export (a file answer) and every unauthenticated form (POST under /api/public/) is
  // limited without its route having to say so; sign-in and password change say so themselves
  // (config.rateLimit = rateLimit(config, kind)). 429 RATE_LIMITED with Retry-After.
  app.addHook('onRoute', (route) => {
    if (route.config?.rateLimit !== undefined) return;
    const methods = ([] as string[]).concat(route.method);
    const kind: LimitedKind | undefined =
      methods.includes('GET') && answersAFile(route.schema)
        ? 'exports'
        : route.url.startsWith('/api/public/') && methods.some((m) => STATE_CHANGING.has(m))
          ? 'publicForms'
          : undefined;
    if (kind) route.config = { ...route.config, rateLimit: rateLimit(config, kind) };
  });
  await app.register(rateLimitPlugin, {
    global: false,
    errorResponseBuilder: (_req, context) =>
      new AppError('RATE_LIMITED', { params: { retryAfter: Math.max(1, Math.ceil(context.ttl / 1000)) } }),
  });
}
