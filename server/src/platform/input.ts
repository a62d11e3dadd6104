// Guards every request's input at the edge, before any schema or handler sees it: the same
// rules for every body, query and path parameter of every route, so a new route cannot forget.
import type { FastifyInstance } from 'fastify';
import { fieldInvalid } from './errors.js';

const NUL_REASON = { 'zh-CN': '不能包含空字符（\\u0000）', 'en-US': 'must not contain a NUL character (\\u0000)' };

/** The path (`a.b.0`) of the first string or key holding a NUL character, or undefined. */
export function findNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], path ? `${path}.${i}` : String(i));
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    const here = path ? `${path}.${k}` : k;
    if (k.includes('\u0000')) return here.replace(/\u0000/g, '\\u0000');
    const found = findNul(v, here);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Refuses a value holding a NUL (PostgreSQL stores none in text or jsonb) with a 400 naming the field. */
export function refuseNul(value: unknown, field: string) {
  const found = findNul(value);
  if (found !== undefined) throw fieldInvalid([field, found].filter(Boolean).join('.') || field, NUL_REASON);
}

export function registerInputGuards(app: FastifyInstance) {
  // preValidation runs before the schemas, for every route registered after this (all of them).
  app.addHook('preValidation', async (req) => {
    refuseNul(req.params, '');
    refuseNul(req.query, '');
    if (typeof req.body === 'string') refuseNul(req.body, 'body');
    else refuseNul(req.body, '');
  });
}
