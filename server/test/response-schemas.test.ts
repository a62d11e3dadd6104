// Every route declares what it answers: the serializer whitelists the output, and the
// OpenAPI document describes every answer (issue 10, point 4).
import diagnostics from 'node:diagnostics_channel';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, signIn, startTestApp, type TestApp } from './helpers.js';

// Fastify announces each new instance on this channel before any plugin runs; an onRoute hook
// added there sees every route buildApp registers, with its options.
const routes: RouteOptions[] = [];
const onInit = (msg: unknown) => {
  (msg as { fastify: FastifyInstance }).fastify.addHook('onRoute', (r) => {
    routes.push(r);
  });
};

let t: TestApp;
beforeAll(async () => {
  diagnostics.subscribe('fastify.initialization', onInit);
  try {
    t = await startTestApp();
  } finally {
    diagnostics.unsubscribe('fastify.initialization', onInit);
  }
});
afterAll(() => t?.close());

const methods = (r: RouteOptions) => (Array.isArray(r.method) ? r.method : [r.method]);
/** The API's own routes: not the documentation UI, not the HEAD twins of GET routes. */
const apiRoutes = () =>
  routes.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && !methods(r).every((m) => m === 'HEAD'));

describe('response schemas', () => {
  it('collects the routes of every module', () => {
    const urls = new Set(apiRoutes().map((r) => r.url));
    for (const u of ['/api/health', '/api/auth/login', '/api/places/:id', '/api/imports/:id', '/api/audit', '/api/scans', '/api/results', '/api/antigen/alerts', '/api/campaigns/:id/board/stream']) {
      expect(urls, u).toContain(u);
    }
    expect(apiRoutes().length).toBeGreaterThan(60);
  });

  it('every route declares a response schema for a 2xx status, and the shared error body for 4xx and 5xx', () => {
    const missing: string[] = [];
    for (const r of apiRoutes()) {
      const name = `${methods(r).join(',')} ${r.url}`;
      const response = (r.schema?.response ?? {}) as Record<string, unknown>;
      const codes = Object.keys(response);
      if (!codes.some((c) => /^2\d\d$/.test(c))) missing.push(`${name}: no 2xx answer`);
      for (const c of ['4xx', '5xx']) {
        if ((response[c] as { $ref?: string } | undefined)?.$ref !== 'ErrorBody') missing.push(`${name}: ${c} is not the ErrorBody`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('the OpenAPI document has a described answer for every operation', () => {
    const doc = t.app.swagger() as {
      paths: Record<string, Record<string, { responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }> }>>;
      components?: { schemas?: Record<string, unknown> };
    };
    expect(doc.components?.schemas?.ErrorBody).toBeTruthy();
    const problems: string[] = [];
    let operations = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/') || path.startsWith('/api/docs')) continue;
      for (const [method, op] of Object.entries(ops)) {
        if (method === 'head') continue;
        operations++;
        const responses = op.responses ?? {};
        const ok = Object.entries(responses).filter(([c]) => /^2\d\d$/.test(c));
        if (!ok.length) problems.push(`${method} ${path}: no 2xx response`);
        for (const [c, res] of ok) {
          // @fastify/swagger writes "Default Response" with no content when a route declares nothing.
          const schemas = Object.values(res.content ?? {}).map((x) => x.schema);
          if (c !== '204' && (!schemas.length || schemas.some((s) => !s))) problems.push(`${method} ${path}: ${c} has no schema`);
        }
        const err = Object.entries(responses).filter(([c]) => /^[45]/.test(c));
        if (err.length < 2) problems.push(`${method} ${path}: no error responses`);
      }
    }
    expect(operations).toBe(apiRoutes().reduce((n, r) => n + methods(r).filter((m) => m !== 'HEAD').length, 0));
    expect(problems).toEqual([]);
  });

  it('an error answer keeps every member it carries: the row report beside RESULTS_REJECTED', async () => {
    const admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
    const res = await admin.post('/api/results', { results: [{ tube: 'NO-SUCH-TUBE', result: 'negative' }] });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error).toMatchObject({ code: 'RESULTS_REJECTED', status: 400 });
    expect(body.error.messages['en-US']).toContain('1 rows were rejected');
    expect(body).toMatchObject({ rows: 1, committed: false, positive: 0 });
    expect(body.errors).toEqual([expect.objectContaining({ row: 1, field: 'tube', code: 'RESULT_TUBE_UNKNOWN', messages: expect.any(Object) })]);
  });

  it('a validation error keeps its field and both messages', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: { code: 'FIELD_REQUIRED', status: 400, field: 'password', message: expect.any(String), messages: { 'zh-CN': expect.any(String), 'en-US': expect.any(String) } },
    });
  });

  it('files are still sent as they are: the ledger template is an XLSX workbook', async () => {
    const admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
    const res = await admin.get('/api/imports/template.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK'); // a zip, not a JSON string
  });

  it('answers are whitelisted: a member the schema does not name is not written', async () => {
    const admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
    const me = (await admin.get('/api/auth/me')).json();
    expect(Object.keys(me).sort()).toEqual(['permissions', 'scopePath', 'user']);
    expect(me.user).not.toHaveProperty('password_hash');
    expect(me.user.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
