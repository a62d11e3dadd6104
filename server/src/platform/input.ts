// Guards every request's input at the edge, before any schema or handler sees it: the same
// rules for every body, query and path parameter of every route, so a new route cannot forget.
import type { FastifyInstance } from 'fastify';
import { AppError, fieldInvalid } from './errors.js';

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
    if (k.includes('\u0000')) return here.split('\u0000').join('\\u0000');
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

/** How deep a JSON body may nest: our deepest schema needs 4; 50,000 levels overflowed the stack of the validators. */
export const MAX_JSON_DEPTH = 32;

/** True when the JSON text opens more than `max` arrays or objects inside each other (one linear pass, strings skipped). */
export function nestsDeeper(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

type PropertySchema = { type?: unknown };
const INTEGER = /^-?\d+$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Query strings and path parameters arrive as text: a property the schema types as an integer,
 * a number or a boolean is converted here from its plain form only (`16`, `2.5`, `true`), so
 * `0x10`, `1e3`, `+1`, ` 1` or `1.0` for an integer stay text and the schema refuses them. Ajv
 * coerces nothing (bodies are JSON and keep their types: `"householdId": true` is refused).
 */
export function convertPlain(values: unknown, schema: unknown) {
  const props = (schema as { properties?: Record<string, PropertySchema> } | undefined)?.properties;
  if (!props || !values || typeof values !== 'object') return;
  const record = values as Record<string, unknown>;
  for (const [name, value] of Object.entries(record)) {
    const type = props[name]?.type;
    if (typeof value !== 'string') continue;
    if (type === 'integer' && INTEGER.test(value)) record[name] = Number(value);
    else if (type === 'number' && NUMBER.test(value)) record[name] = Number(value);
    else if (type === 'boolean' && (value === 'true' || value === 'false')) record[name] = value === 'true';
  }
}

/**
 * Closes every object schema of a body to properties it does not declare (unless the schema says
 * otherwise, as a free-form map does): an unknown property is a 400 naming it, never copied on.
 */
export function closeObjects(schema: unknown): void {
  if (!schema || typeof schema !== 'object') return;
  const s = schema as Record<string, unknown>;
  if (s.type === 'object' && s.properties && s.additionalProperties === undefined && s.patternProperties === undefined)
    s.additionalProperties = false;
  for (const key of ['properties', 'patternProperties']) {
    const props = s[key];
    if (props && typeof props === 'object') for (const p of Object.values(props)) closeObjects(p);
  }
  for (const key of ['items', 'additionalProperties', 'not']) if (typeof s[key] === 'object') closeObjects(s[key]);
  for (const key of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(s[key])) for (const p of s[key] as unknown[]) closeObjects(p);
}

/** Refuses a query string whose names or values do not percent-decode (the parser would keep `%ZZ` as text). */
export function refuseBadQuery(url: string) {
  const at = url.indexOf('?');
  if (at < 0) return;
  for (const pair of url.slice(at + 1).split('&')) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const decode = (text: string) => {
      try {
        return decodeURIComponent(text.replace(/\+/g, ' '));
      } catch {
        return undefined;
      }
    };
    const field = decode(name);
    if (field === undefined || (eq >= 0 && decode(pair.slice(eq + 1)) === undefined)) {
      throw new AppError('REQUEST_MALFORMED', { field: field ?? 'url' });
    }
  }
}

export function registerInputGuards(app: FastifyInstance) {
  // Every route registered after this one, in any plugin: its body schema is closed before it is compiled.
  app.addHook('onRoute', (route) => {
    const body = (route.schema as { body?: unknown } | undefined)?.body;
    if (body) closeObjects(body);
  });

  // JSON bodies: Fastify's own parser (prototype poisoning refused), after a depth check.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (nestsDeeper(body as string))
      return done(new AppError('BODY_TOO_DEEP', { field: 'body', params: { max: MAX_JSON_DEPTH } }), undefined);
    return parseJson(req, body as string, done);
  });
  // preValidation runs before the schemas, for every route registered after this (all of them).
  app.addHook('preValidation', async (req) => {
    refuseBadQuery(req.url);
    refuseNul(req.params, '');
    refuseNul(req.query, '');
    const schema = req.routeOptions.schema;
    convertPlain(req.params, schema?.params);
    convertPlain(req.query, schema?.querystring);
    if (typeof req.body === 'string') refuseNul(req.body, 'body');
    else refuseNul(req.body, '');
  });
}
