// Input at the edge (issue 11, section 3): whatever a client sends, the answer is a 4xx in the
// one error shape naming the field, never a 500, and a refused request changes nothing.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { buildDistrict, type District } from './fixtures.js';
import { campaign, ok } from './factories.js';
import { openDb, type Db } from '../src/db/client.js';

let t: TestApp;
let admin: Client;
let d: District;
beforeAll(async () => {
  t = await startTestApp();
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
  d = await buildDistrict(admin);
});
afterAll(() => t.close());

type Res = {
  statusCode: number;
  json(): { error: { code: string; status: number; field?: string; message: string; messages: Record<string, string> } };
};
/** The answer is the one error shape with this status (and field), in both languages. */
function refused(res: Res, status: number, field?: string) {
  expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
  const e = res.json().error;
  expect(e.status).toBe(status);
  expect(typeof e.code).toBe('string');
  expect(e.messages['zh-CN']).toBeTruthy();
  expect(e.messages['en-US']).toBeTruthy();
  if (field !== undefined) expect(e.field).toBe(field);
  return e;
}
const count = async (table: string) => (await t.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

describe('NUL characters', () => {
  it('in the unauthenticated sign-in is a 400 naming the field, in both languages', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ad\u0000min', password: 'x' } });
    const e = refused(res, 400, 'username');
    expect(e.messages['en-US']).toContain('NUL');
    expect(e.messages['zh-CN']).toContain('空字符');
  });

  it('in a body, a nested body field, a query and a path parameter are refused and nothing is written', async () => {
    const places = await count('places');
    refused(await admin.post('/api/places', { parentId: d.compound, kind: 'grid', name: '第三\u0000网格' }), 400, 'name');
    refused(
      await admin.post('/api/residents', { householdId: d.householdA, name: '王五', idNumber: '1', phone: '138\u0000' }),
      400,
      'phone',
    );
    refused(await admin.patch('/api/auth/me', { preferences: { importMapping: { 'a\u0000': 'name' } } }), 400);
    refused(await admin.get('/api/residents?q=%00'), 400, 'q');
    refused(await admin.get('/api/audit?username=a%00b'), 400, 'username');
    refused(await admin.get('/api/tubes/AB%00CD'), 400, 'barcode');
    expect(await count('places')).toBe(places);
  });

  it('in a multipart field or file name is refused', async () => {
    const boundary = 'fkboundary';
    const part = (name: string, value: string, filename?: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n\r\n${value}\r\n`;
    const send = (body: string) =>
      admin.inject({
        method: 'POST',
        url: '/api/imports',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: body,
      });
    const csv = '姓名,身份证号,手机号,小区,网格,楼栋,单元,房号\n王五,1,13800000000,幸福里小区,第一网格,1号楼,1单元,101\n';
    const jobs = await count('residents');
    refused(
      await send(
        part('communityId', `${d.community}`) +
          part('mapping', '{"姓名":"name\u0000"}') +
          part('file', csv, 'a.csv') +
          `--${boundary}--\r\n`,
      ),
      400,
      'mapping',
    );
    refused(await send(part('communityId', `${d.community}`) + part('file', csv, 'ledger\u0000.csv') + `--${boundary}--\r\n`), 400, 'file');
    expect(await count('residents')).toBe(jobs);
  });
});

describe('database conflicts', () => {
  it('renaming a site to a name its campaign already has is 409 SITE_NAME_TAKEN, and nothing changes', async () => {
    const c = await campaign(admin, {
      name: '更名测试',
      ownerPlaceId: d.community,
      coverPlaceIds: [d.compound],
      sitePlaceId: d.compound,
      siteName: '一号点',
    });
    const second = (
      await ok<{ id: number }>(admin.post(`/api/campaigns/${c.campaignId}/sites`, { placeId: d.compound, name: '二号点', lanes: 1 }), 201)
    ).id;
    const e = refused(await admin.patch(`/api/sites/${second}`, { name: ' 一号点 ' }), 409, 'name');
    expect(e.code).toBe('SITE_NAME_TAKEN');
    const { rows } = await t.ctx.db.query<{ name: string }>('SELECT name FROM sites WHERE id = $1', [second]);
    expect(rows[0].name).toBe('二号点');
    // its own name is no conflict
    await ok(admin.patch(`/api/sites/${second}`, { name: '二号点' }), 200);
  });
});

describe('malformed bodies', () => {
  it('a 50,000-deep JSON body is a 400 BODY_TOO_DEEP, in a field the schema knows and in one it does not', async () => {
    const deepObject = `{"preferences":{"a":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}}`;
    const json = { 'content-type': 'application/json' };
    expect(
      refused(await admin.inject({ method: 'PATCH', url: '/api/auth/me', headers: json, payload: deepObject }), 400, 'body').code,
    ).toBe('BODY_TOO_DEEP');
    const deepArray = `{"parentId":${d.compound},"kind":"grid","name":"深","junk":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    expect(refused(await admin.inject({ method: 'POST', url: '/api/places', headers: json, payload: deepArray }), 400, 'body').code).toBe(
      'BODY_TOO_DEEP',
    );
    // brackets inside strings do not count
    await ok(admin.patch('/api/auth/me', { preferences: { note: '[[[[{{{{'.repeat(100) } }), 200);
  });

  it('malformed multipart is a 400 MULTIPART_MALFORMED', async () => {
    const send = (contentType: string, payload: string) =>
      admin.inject({ method: 'POST', url: '/api/imports/preview', headers: { 'content-type': contentType }, payload });
    const cut = '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc';
    expect(refused(await send('multipart/form-data; boundary=XX', cut), 400).code).toBe('MULTIPART_MALFORMED');
    expect(refused(await send('multipart/form-data', 'garbage'), 400).code).toBe('MULTIPART_MALFORMED');
    const badHeader = '--XX\r\nContent-Disposition form-data name\r\n\r\nabc\r\n--XX--\r\n';
    expect(refused(await send('multipart/form-data; boundary=XX', badHeader), 400).status).toBe(400);
  });
});

describe('a database that is gone', () => {
  /** Points the app's database at `dead` for the requests of fn, then back. */
  async function withDatabase(dead: Db, fn: () => Promise<void>) {
    const db = t.ctx.db as { -readonly [K in keyof Db]: Db[K] };
    const saved = { query: db.query, tx: db.tx };
    db.query = dead.query.bind(dead);
    db.tx = dead.tx.bind(dead);
    try {
      await fn();
    } finally {
      Object.assign(db, saved);
    }
  }
  async function expectUnavailable() {
    for (const res of [
      await admin.get(`/api/places/${d.district}`),
      await admin.post('/api/places', { parentId: d.compound, kind: 'grid', name: '断线网格' }),
      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } }),
    ]) {
      const e = refused(res, 503);
      expect(e.code).toBe('DATABASE_UNAVAILABLE');
      expect(res.headers['retry-after']).toBe('5');
    }
  }

  it('a closed pool (or a closed PGlite) answers 503 DATABASE_UNAVAILABLE, retryable, and the app works again once it is back', async () => {
    const url = process.env.TEST_DATABASE_URL;
    const dead = await openDb({ url, poolSize: 1 });
    await dead.close();
    await withDatabase(dead, expectUnavailable);
    await ok(admin.get(`/api/places/${d.district}`), 200);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('a refused connection answers 503 DATABASE_UNAVAILABLE', async () => {
    const dead = await openDb({ url: 'postgres://postgres@127.0.0.1:1/none', poolSize: 1 });
    try {
      await withDatabase(dead, expectUnavailable);
    } finally {
      await dead.close();
    }
  });
});

describe("Fastify's and Node's own refusals", () => {
  it('bad percent-encoding and over-long path parameters answer in the one error shape', async () => {
    expect(refused(await admin.get('/api/places/%E0%A4%A'), 400, 'url').code).toBe('REQUEST_MALFORMED');
    expect(refused(await t.app.inject({ method: 'GET', url: '/api/tubes/%ZZ' }), 400, 'url').code).toBe('REQUEST_MALFORMED');
    expect(refused(await admin.get(`/api/places/${'1'.repeat(200)}`), 414, 'url').code).toBe('URL_TOO_LONG');
    expect(refused(await admin.get(`/api/tubes/${'A'.repeat(500)}/seal`), 414, 'url').code).toBe('URL_TOO_LONG');
    expect(refused(await admin.get('/api/places/\u00ff'), 400, 'id').code).toBe('FIELD_INVALID');
    expect(refused(await admin.get('/api/no/such/route'), 404).code).toBe('ROUTE_NOT_FOUND');
  });

  it('raw bytes the HTTP parser refuses get the one error shape on the wire', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const raw = (request: Buffer) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(request));
        let out = '';
        socket.on('data', (b) => (out += b.toString('utf8')));
        socket.on('end', () => resolve(out));
        socket.on('error', reject);
      });
    try {
      for (const url of [Buffer.from([0x2f, 0x61, 0x70, 0x69, 0x2f, 0x01, 0x7f]), Buffer.from('/api/places/1 x')]) {
        const answer = await raw(Buffer.concat([Buffer.from('GET '), url, Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]));
        const [head, body] = answer.split('\r\n\r\n');
        expect(head).toMatch(/^HTTP\/1\.1 400 /);
        expect(head.toLowerCase()).toContain('content-type: application/json');
        expect(JSON.parse(body).error).toMatchObject({ code: 'REQUEST_MALFORMED', status: 400 });
      }
    } finally {
      await t.app.server.close();
    }
  });
});

describe('ids are positive integers, nothing else', () => {
  it('a body keeps its JSON types: true, "1", 1.5 or [1] for an id is refused naming the field', async () => {
    const residents = await count('residents');
    for (const householdId of [true, `${d.householdA}`, 1.5, [d.householdA], null]) {
      refused(await admin.post('/api/residents', { householdId, name: '王五', idNumber: '110105194912310029' }), 400, 'householdId');
    }
    refused(await admin.post(`/api/campaigns/1/sites`, { placeId: d.compound, name: 'x', lanes: '2' }), 400, 'lanes');
    expect(await count('residents')).toBe(residents);
  });

  it('a path or query id is plain decimal digits: 0x10, 1e3, +1, 1.0, 0 and -1 are refused', async () => {
    for (const id of ['0x10', '1e3', '+1', '1.0', '0', '-1', '%201', '0b1', 'Infinity']) {
      refused(await admin.get(`/api/places/${id}`), 400, 'id');
      refused(await admin.get(`/api/households?placeId=${id}`), 400, 'placeId');
    }
    expect((await admin.get(`/api/places/${d.district}`)).statusCode).toBe(200);
    expect((await admin.get(`/api/households?placeId=${d.unitA}&limit=5`)).statusCode).toBe(200);
    refused(await admin.get('/api/households?limit=1e2'), 400, 'limit');
  });

  it('a boolean in a query is true or false, and a multipart community id is plain digits', async () => {
    refused(await admin.get('/api/antigen/alerts?open=1'), 400, 'open');
    expect((await admin.get('/api/antigen/alerts?open=true')).statusCode).toBe(200);
    const form = new FormData();
    form.append('communityId', `0x${d.community.toString(16)}`);
    form.append('file', new Blob(['姓名,身份证号,手机号,小区,网格,楼栋,单元,房号\n']), 'ledger.csv');
    const res = new Response(form);
    const upload = await admin.inject({
      method: 'POST',
      url: '/api/imports',
      payload: Buffer.from(await res.arrayBuffer()),
      headers: { 'content-type': res.headers.get('content-type')! },
    });
    refused(upload, 400, 'communityId');
  });
});

describe('bodies are closed to unknown properties', () => {
  it('an unknown property is a 400 naming it, at the top and nested, and nothing is written or audited', async () => {
    const places = await count('places');
    const audits = await count('audit_log');
    const e = refused(await admin.post('/api/places', { parentId: d.compound, kind: 'grid', name: '第九网格', role: 'admin' }), 400, 'role');
    expect(e.code).toBe('FIELD_INVALID');
    refused(
      await admin.post('/api/places', { parentId: d.compound, kind: 'grid', name: '第九网格', junk: 'x'.repeat(900_000) }),
      400,
      'junk',
    );
    refused(
      await admin.post('/api/campaigns', {
        name: 'c',
        placeId: d.community,
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        rounds: [{ startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString(), extra: 1 }],
      }),
      400,
      'rounds.0.extra',
    );
    refused(await admin.patch(`/api/residents/${d.residentA}`, { name: '张伟', role: 'admin' }), 400, 'role');
    expect(await count('places')).toBe(places);
    expect(await count('audit_log')).toBe(audits);
  });

  it('the OpenAPI document says so for every body', async () => {
    const doc = t.app.swagger() as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content?: Record<string, { schema?: { type?: string; additionalProperties?: unknown } }> } }>
      >;
    };
    let bodies = 0;
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        const schema = op.requestBody?.content?.['application/json']?.schema;
        if (schema?.type !== 'object') continue;
        bodies++;
        expect(schema.additionalProperties, `${method} ${path}`).toBe(false);
      }
    expect(bodies).toBeGreaterThan(20);
  });

  it('preferences stay small: at most 20 keys, 16 KB a request and 16 KB stored', async () => {
    await ok(admin.patch('/api/auth/me', { preferences: { importMapping: { 姓名: 'name' } } }), 200);
    refused(await admin.patch('/api/auth/me', { preferences: { big: 'x'.repeat(20_000) } }), 400, 'preferences');
    refused(
      await admin.patch('/api/auth/me', { preferences: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 1])) }),
      400,
      'preferences',
    );
    for (let i = 0; i < 3; i++) await ok(admin.patch('/api/auth/me', { preferences: { [`part${i}`]: 'y'.repeat(5_000) } }), 200);
    refused(await admin.patch('/api/auth/me', { preferences: { part3: 'y'.repeat(5_000) } }), 400, 'preferences');
    const me = await ok<{ user: { preferences: Record<string, unknown> } }>(admin.get('/api/auth/me'), 200);
    expect(me.user.preferences.importMapping).toEqual({ 姓名: 'name' });
    expect(me.user.preferences.part3).toBeUndefined();
  });
});

describe('query strings', () => {
  it('a name or value that does not percent-decode is 400 REQUEST_MALFORMED naming the parameter', async () => {
    expect(refused(await admin.get('/api/residents?q=%ZZ'), 400, 'q').code).toBe('REQUEST_MALFORMED');
    expect(refused(await admin.get('/api/users?q=%E0%A4%A'), 400, 'q').code).toBe('REQUEST_MALFORMED');
    expect(refused(await admin.get('/api/audit?%ZZ=1'), 400, 'url').code).toBe('REQUEST_MALFORMED');
    expect((await admin.get('/api/residents?q=%E5%BC%A0+%E4%BC%9F')).statusCode).toBe(200);
  });
});
