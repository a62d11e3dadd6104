// Health, OpenAPI and the one error shape: bad input is a clear 4xx naming the field, never a 500.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createEventBus } from '../src/platform/events.js';
import { type Client, type TestApp } from './helpers.js';
import { useDistrictApp, type District } from './fixtures.js';

const env = useDistrictApp();
let t: TestApp;
let admin: Client;
let d: District;
beforeAll(async () => {
  ({ t, admin, d } = env);
});

describe('system', () => {
  it('reports database kind and migration version', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.database.kind).toBe(process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');
    // the newest file in migrations/ (0006_name_search when this was written; branches add their own numbers)
    const newest = fs.readdirSync(path.join(import.meta.dirname, '../src/db/migrations')).filter((f) => f.endsWith('.sql')).sort().at(-1)!.replace(/\.sql$/, '');
    expect(body.migration.version).toBe(newest);
    // the exact database version only for a signed-in administrator (issue 11, 5)
    expect(body.database.serverVersion).toBeUndefined();
    expect((await admin.get('/api/health')).json().database.serverVersion).toMatch(/^\d+/);
  });

  it('loads the demo (published password) by default only on the embedded PGlite; on DATABASE_URL only when asked', () => {
    expect(loadConfig({}).loadDemo).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/prod' }).loadDemo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/prod', LOAD_DEMO: 'true' }).loadDemo).toBe(true);
    expect(loadConfig({ LOAD_DEMO: 'false' }).loadDemo).toBe(false);
  });

  it('serves the OpenAPI document and the interactive docs', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(doc.statusCode).toBe(200);
    expect(Object.keys(doc.json().paths)).toContain('/api/residents');
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });
});

describe('live updates between processes', () => {
  // NOTIFY is database-wide: two buses stand for two server processes on one PostgreSQL.
  it.skipIf(!process.env.TEST_DATABASE_URL)('an event published by one bus reaches another, also through its own LISTEN connection', async () => {
    const own = createEventBus(t.ctx.db, process.env.TEST_DATABASE_URL);
    const pooled = createEventBus(t.ctx.db);
    try {
      const heard = (bus: typeof own) => new Promise<Record<string, unknown>>((resolve) => bus.subscribe('system-test', resolve));
      const byOwn = heard(own);
      const byPooled = heard(pooled);
      // LISTEN starts with the first subscriber, in the background: publish until both hear it
      const repeat = setInterval(() => pooled.publish('system-test', { n: 1 }), 200);
      expect(await byOwn.finally(() => byPooled).finally(() => clearInterval(repeat))).toEqual({ n: 1 });
      expect(await byPooled).toEqual({ n: 1 });
    } finally {
      await own.close();
      await pooled.close();
    }
  });
});

describe('errors', () => {
  const count = async () => (await t.ctx.db.query<{ n: number }>('SELECT count(*) AS n FROM residents')).rows[0].n;

  it('malformed JSON is a 400 BODY_MALFORMED in both languages', async () => {
    const res = await admin.inject({ method: 'POST', url: '/api/residents', headers: { 'content-type': 'application/json' }, payload: '{"name": ' });
    expect(res.statusCode).toBe(400);
    const e = res.json().error;
    expect(e.code).toBe('BODY_MALFORMED');
    expect(e.messages['zh-CN']).toBeTruthy();
    expect(e.messages['en-US']).toBeTruthy();
  });

  it('wrong types name the field', async () => {
    const res = await admin.post('/api/residents', { householdId: 'abc', name: '王五', idNumber: 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'FIELD_INVALID', field: 'householdId' });
  });

  it('a missing field is FIELD_REQUIRED naming it', async () => {
    const res = await admin.post('/api/residents', { householdId: d.householdA, name: '王五' });
    expect(res.json().error).toMatchObject({ code: 'FIELD_REQUIRED', field: 'idNumber' });
  });

  it('a bad ID number is refused with its reason and nothing changes', async () => {
    const before = await count();
    const res = await admin.post('/api/residents', { householdId: d.householdA, name: '王五', idNumber: '110105194912310021' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'RESIDENT_ID_CHECKSUM', field: 'idNumber' });
    expect(await count()).toBe(before);
  });

  it('an oversized body is a 413', async () => {
    const res = await admin.post('/api/residents', { householdId: d.householdA, name: 'x'.repeat(2 * 1024 * 1024), idNumber: '1' });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('BODY_TOO_LARGE');
  });

  it('an unknown place is a 404 naming the place, never a 500', async () => {
    const res = await admin.post('/api/places', { parentId: 999999, kind: 'street', name: 'x' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'PLACE_NOT_FOUND', field: 'parentId' });
    const huge = await admin.get('/api/places/99999999999');
    expect(huge.statusCode).toBe(400);
  });

  it('answers in the language asked for', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/residents', headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toBe('Please sign in');
    const zh = await t.app.inject({ method: 'GET', url: '/api/residents' });
    expect(zh.json().error.message).toBe('请先登录');
  });

  it('an unknown API route is a 404 in the same shape', async () => {
    const res = await admin.get('/api/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
  });
});
