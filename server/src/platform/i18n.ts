// Locale of a request: the signed-in user's choice, else the Accept-Language header, else zh-CN.
import type { FastifyRequest } from 'fastify';
import type { Locale } from './errors.js';

export function requestLocale(req: FastifyRequest): Locale {
  if (req.user?.locale) return req.user.locale;
  const header = String(req.headers['accept-language'] ?? '');
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en-US' : 'zh-CN';
}
