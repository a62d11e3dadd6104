// Malformed inputs for one route of the OpenAPI document: wrong types, NUL characters, huge
// strings, deep nesting, zero/negative/float/hex ids, unknown properties, missing required
// fields, bad percent-encoding. The fuzz test (fuzz.test.ts) and the API probe
// (bench/probe-api.ts) draw from the same generator, seeded so a failure repeats.

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  format?: string;
  pattern?: string;
  maxLength?: number;
  nullable?: boolean;
};
export interface Op {
  parameters?: { in: string; name: string; required?: boolean; schema: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
export interface Input {
  what: string;
  method: string;
  url: string;
  body?: string;
  contentType?: string;
}

/** mulberry32: a small seeded generator, so a failure is the same input on every run. */
export function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function pick<T>(rnd: () => number, list: T[], n: number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

const kindOf = (s: Schema | undefined): string => {
  if (!s) return 'unknown';
  if (s.anyOf) return kindOf(s.anyOf.find((x) => x.type !== 'null'));
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null') ?? 'unknown';
  if (s.enum) return 'enum';
  return s.type ?? 'unknown';
};

/** A value the schema accepts, to hold the other fields still while one is broken. */
function valid(s: Schema | undefined): unknown {
  switch (kindOf(s)) {
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'enum':
      return (s!.enum ?? s!.anyOf?.find((x) => x.enum)?.enum ?? ['x'])[0];
    case 'array':
      return [];
    case 'object':
      return Object.fromEntries((s!.required ?? []).map((k) => [k, valid(s!.properties?.[k])]));
    case 'string':
      // Fixed values: with the clock, a start and an end read a millisecond apart on a loaded
      // machine made a valid campaign, and the rest of the run fuzzed a different database.
      if (s!.format === 'date-time') return '2026-01-01T00:00:00.000Z';
      if (s!.format === 'date') return '2026-01-01';
      if (s!.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      return 'x';
    default:
      return 'x';
  }
}

const deep = (n: number): unknown => (n === 0 ? 1 : { a: deep(n - 1) });
const HUGE = 'x'.repeat(200_000);

/** Values this schema refuses: of the wrong type, or out of its rules. */
function wrong(s: Schema | undefined): unknown[] {
  const common: unknown[] = [{ a: 1 }, [1, 2], deep(40)];
  switch (kindOf(s)) {
    case 'integer':
      return [...common, '1', true, 1.5, -1, 0, '0x10', 1e12, 'x\u0000'];
    case 'number':
      return [...common, '1', true, 'NaN'];
    case 'boolean':
      return [...common, 'true', 1, 'x\u0000'];
    case 'enum':
      return [...common, 'no-such-value', 7, 'x\u0000'];
    case 'array':
      return ['x', { a: 1 }, 7, deep(40)];
    case 'object':
      return ['x', [1], 7, deep(40)];
    case 'string':
      return [...common, 12, true, 'x\u0000y', HUGE];
    default:
      return [deep(40), 'x\u0000'];
  }
}

/** Query and path values the schema refuses, as text in a URL. */
function wrongText(s: Schema | undefined): string[] {
  const common = ['%ZZ', '%E0%A4%A', '%00', 'x%00y'];
  switch (kindOf(s)) {
    case 'integer':
      return [...common, '0', '-1', '1.5', '0x10', '1e3', '+1', '%201', 'abc', '99999999999', '1'.repeat(120)];
    case 'boolean':
      return [...common, 'yes', '1', 'TRUE'];
    case 'enum':
      return [...common, 'no-such-value'];
    default:
      return [...common, 'y'.repeat(s?.maxLength ? s.maxLength + 1 : 20_000)];
  }
}

/** The malformed inputs for one operation. */
export function inputsFor(method: string, path: string, op: Op, rnd: () => number, perPart: number): Input[] {
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const query = params.filter((p) => p.in === 'query');
  const fill = (over: Record<string, string> = {}) =>
    path.replace(
      /\{(\w+)\}/g,
      (_, n: string) => over[n] ?? encodeURIComponent(String(valid(pathParams.find((p) => p.name === n)?.schema))),
    );
  const jsonSchema = op.requestBody?.content?.['application/json']?.schema;
  const validBody = jsonSchema ? (valid(jsonSchema) as Record<string, unknown>) : undefined;
  const out: Input[] = [];
  const json = (what: string, body: unknown, url = fill()): Input => ({
    what,
    method,
    url,
    body: JSON.stringify(body),
    contentType: 'application/json',
  });

  // every route: a NUL in a body, a body nested 10,000 deep, bad percent-encoding in the path
  if (method !== 'GET') {
    out.push(json('body with a NUL', { ...validBody, ['x\u0000']: 'y\u0000' }));
    out.push({
      what: 'body 10,000 deep',
      method,
      url: fill(),
      body: '['.repeat(10_000) + ']'.repeat(10_000),
      contentType: 'application/json',
    });
  }
  out.push({ what: 'bad percent-encoding in the path', method, url: `${fill()}%E0%A4%A` });

  for (const p of pathParams)
    for (const v of pick(rnd, wrongText(p.schema), perPart))
      out.push({ what: `path ${p.name}=${v.slice(0, 20)}`, method, url: fill({ [p.name]: v }) });
  for (const p of query)
    for (const v of pick(rnd, wrongText(p.schema), perPart))
      out.push({ what: `query ${p.name}=${v.slice(0, 20)}`, method, url: `${fill()}?${p.name}=${v}` });

  if (jsonSchema && validBody) {
    const props = Object.entries(jsonSchema.properties ?? {});
    const cases: Input[] = [
      json('unknown property role', { ...validBody, role: 'admin' }),
      json('unknown property, 900 KB', { ...validBody, junk: 'j'.repeat(900_000) }),
      json('an array for the body', [validBody]),
      json('a string for the body', 'x'),
    ];
    for (const r of jsonSchema.required ?? []) {
      const rest = { ...validBody };
      delete rest[r];
      cases.push(json(`missing ${r}`, rest));
    }
    for (const [name, s] of props)
      for (const v of wrong(s)) cases.push(json(`body ${name}=${JSON.stringify(v).slice(0, 20)}`, { ...validBody, [name]: v }));
    out.push(...pick(rnd, cases, perPart * 2));
  }
  return out;
}
