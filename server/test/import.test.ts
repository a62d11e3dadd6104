// Ledger import through the HTTP API: dry-run report, all-or-nothing commit, idempotent
// re-import, XLSX with English headers, creating places, scope, a large file.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDistrictCsv } from '../src/db/seed/csv.js';
import { signIn, type Client, type TestApp } from './helpers.js';
import { useDistrictApp, createStaff, makeMainlandId, type District } from './fixtures.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const env = useDistrictApp();
let t: TestApp;
let admin: Client;
let d: District;
beforeAll(async () => {
  ({ t, admin, d } = env);
});

async function multipart(fields: Record<string, string>, file: { name: string; data: Buffer | string }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([typeof file.data === 'string' ? file.data : new Uint8Array(file.data)]), file.name);
  const res = new Response(form);
  return { body: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type')! };
}

async function upload(c: Client, fields: Record<string, string>, file: { name: string; data: Buffer | string }, url = '/api/imports') {
  const m = await multipart(fields, file);
  return c.inject({ method: 'POST', url, payload: m.body, headers: { 'content-type': m.type } });
}

async function waitFor(c: Client, id: string, until: string[]) {
  for (let i = 0; i < 600; i++) {
    const job = (await c.get(`/api/imports/${id}`)).json().job;
    if (until.includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
}

const HEADER = '姓名,身份证号,手机号,小区,网格,楼栋,单元,房号,居住类型,独居老人\n';
const good = (n: number) => `居民${n},${makeMainlandId('19800101', 100 + n * 2)},1390000${String(n).padStart(4, '0')},幸福里小区,第一网格,1号楼,1单元,30${n},租户,否\n`;

const residentCount = async () => (await t.ctx.db.query<{ n: number }>('SELECT count(*) AS n FROM residents')).rows[0].n;

describe('import', () => {
  it('previews headers and suggests the mapping', async () => {
    const res = await upload(admin, {}, { name: 'a.csv', data: '\ufeff' + HEADER + good(1) }, '/api/imports/preview');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.suggestedMapping).toMatchObject({ 姓名: 'name', 身份证号: 'idNumber', 手机号: 'phone', 房号: 'room' });
    expect(body.sampleRows[0][0]).toBe('居民1');
  });

  it('reports every bad row with column, code and both languages, and refuses to commit', async () => {
    const future = `120103${new Date().getFullYear() + 1}0101123`;
    const csv =
      HEADER +
      good(1) +
      `坏校验,110105194912310021,13900000002,幸福里小区,第一网格,1号楼,1单元,302,户籍,否\n` +
      `未来人,${future}X,13900000003,幸福里小区,第一网格,1号楼,1单元,303,户籍,否\n` +
      `错手机,${makeMainlandId('19800101', 301)},12345,幸福里小区,第一网格,1号楼,1单元,304,户籍,否\n` +
      `重复,${makeMainlandId('19800101', 102)},13900000005,幸福里小区,第一网格,1号楼,1单元,305,户籍,否\n` +
      `,${makeMainlandId('19800101', 303)},13900000006,幸福里小区,第一网格,1号楼,1单元,306,户籍,否\n` +
      `无楼,${makeMainlandId('19800101', 305)},13900000007,幸福里小区,第一网格,9号楼,1单元,307,户籍,否\n`;
    const before = await residentCount();
    const res = await upload(admin, { communityId: String(d.community), unknownPlaces: 'reject' }, { name: 'bad.csv', data: csv });
    expect(res.statusCode).toBe(202);
    const job = await waitFor(admin, res.json().job.id, ['validated', 'failed']);
    expect(job.summary).toMatchObject({ rows: 7, valid: 1, rejected: 6 });
    const byRow = Object.fromEntries(job.errors.map((e: { row: number; code: string; column: string }) => [e.row, e]));
    expect(byRow[3].code).toBe('RESIDENT_ID_CHECKSUM');
    expect(byRow[3].column).toContain('身份证号');
    expect(byRow[4].code).toBe('RESIDENT_ID_BIRTH_DATE');
    expect(byRow[5].code).toBe('RESIDENT_PHONE_FORMAT');
    expect(byRow[6].code).toBe('IMPORT_DUPLICATE_IN_FILE');
    expect(byRow[6].message['en-US']).toContain('row 2');
    expect(byRow[7].code).toBe('FIELD_REQUIRED');
    expect(byRow[8].code).toBe('IMPORT_UNKNOWN_PLACE');
    expect(byRow[8].message['zh-CN']).toContain('9号楼');
    const commit = await admin.post(`/api/imports/${job.id}/commit`);
    expect(commit.statusCode).toBe(409);
    expect(commit.json().error.code).toBe('IMPORT_HAS_ERRORS');
    const report = await admin.get(`/api/imports/${job.id}/report.csv`);
    expect(report.body.split('\n').filter(Boolean)).toHaveLength(7);
    expect(await residentCount()).toBe(before);
  });

  it('commits a clean file, and re-importing it changes nothing', async () => {
    const csv = HEADER + [1, 2, 3, 4].map(good).join('');
    const first = await upload(admin, { communityId: String(d.community) }, { name: 'ok.csv', data: csv });
    const validated = await waitFor(admin, first.json().job.id, ['validated']);
    expect(validated.summary).toMatchObject({ rows: 4, toCreate: 4, rejected: 0 });
    await admin.post(`/api/imports/${validated.id}/commit`);
    const committed = await waitFor(admin, validated.id, ['committed', 'failed']);
    expect(committed.summary).toMatchObject({ created: 4, updated: 0, unchanged: 0 });
    const found = (await admin.get(`/api/residents?q=${makeMainlandId('19800101', 104)}`)).json().items;
    expect(found[0]).toMatchObject({ name: '居民2', tenancy: 'tenant', address: '幸福里小区 1号楼 1单元 302' });
    const stamp = (await t.ctx.db.query<{ u: string }>('SELECT max(updated_at)::text AS u FROM residents')).rows[0].u;

    const again = await upload(admin, { communityId: String(d.community) }, { name: 'ok.csv', data: csv });
    const v2 = await waitFor(admin, again.json().job.id, ['validated']);
    expect(v2.summary).toMatchObject({ toCreate: 0, toUpdate: 0, unchanged: 4 });
    await admin.post(`/api/imports/${v2.id}/commit`);
    expect((await waitFor(admin, v2.id, ['committed'])).summary).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
    expect((await t.ctx.db.query<{ u: string }>('SELECT max(updated_at)::text AS u FROM residents')).rows[0].u).toBe(stamp);
    // Committing the same job twice does not import twice.
    expect((await admin.post(`/api/imports/${v2.id}/commit`)).json().job.status).toBe('committed');
    const log = (await admin.get('/api/audit?action=import.commit')).json().items;
    expect(log.length).toBe(2);
  });

  it('imports an XLSX with English headers and creates unknown places when asked', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Sheet1');
    sheet.addRow(['Name', 'ID number', 'Phone', 'Compound', 'Building', 'Unit', 'Room', 'Birth date']);
    sheet.addRow(['Wang Lei', makeMainlandId('19750505', 411), '13811112222', '新建小区', '8号楼', '2单元', '801', new Date('1975-05-05')]);
    sheet.addRow(['Li Mei', makeMainlandId('19780606', 412), '13811113333', '新建小区', '8号楼', '2单元', '802', '']);
    const data = Buffer.from(await book.xlsx.writeBuffer());
    const res = await upload(admin, { communityId: String(d.community), unknownPlaces: 'create' }, { name: 'en.xlsx', data });
    const job = await waitFor(admin, res.json().job.id, ['validated', 'failed']);
    expect(job.errors).toEqual([]);
    expect(job.summary).toMatchObject({ rows: 2, rejected: 0, placesToCreate: 3 });
    await admin.post(`/api/imports/${job.id}/commit`);
    const done = await waitFor(admin, job.id, ['committed', 'failed']);
    expect(done.summary).toMatchObject({ created: 2, placesCreated: 3 });
    const r = (await admin.get(`/api/residents?q=${makeMainlandId('19750505', 411)}`)).json().items[0];
    expect(r.address).toBe('新建小区 8号楼 2单元 801');
    const bad = await t.ctx.db.query(`SELECT c.id FROM places c JOIN places p ON p.id = c.parent_id WHERE c.path <> p.path || c.id || '/'`);
    expect(bad.rows).toEqual([]);
  });

  it('flags an ID that Excel stored as a number', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Sheet1');
    sheet.addRow(['姓名', '身份证号', '小区', '楼栋', '房号']);
    sheet.addRow(['数字', 110105194912310000, '幸福里小区', '1号楼', '101']);
    const data = Buffer.from(await book.xlsx.writeBuffer());
    const res = await upload(admin, { communityId: String(d.community) }, { name: 'num.xlsx', data });
    const job = await waitFor(admin, res.json().job.id, ['validated']);
    expect(job.errors[0]).toMatchObject({ row: 2, code: 'FIELD_INVALID' });
    expect(job.errors[0].message['zh-CN']).toContain('文本');
  });

  it('refuses a file without the required columns, a bad file type, a community outside the scope', async () => {
    const missing = await upload(admin, { communityId: String(d.community) }, { name: 'x.csv', data: '姓名,手机号\n张三,13800000000\n' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('IMPORT_MISSING_COLUMN');
    expect((await upload(admin, { communityId: String(d.community) }, { name: 'x.txt', data: 'x' })).json().error.code).toBe('IMPORT_FILE_TYPE');
    const other = (await admin.post('/api/places', { parentId: d.street, kind: 'community', name: '别的社区' })).json();
    await createStaff(admin, 'officer-imp', 'community_officer', d.community);
    const officer = await signIn(t.app, 'officer-imp', 'Staff-pass-2026');
    const res = await upload(officer, { communityId: String(other.id) }, { name: 'ok.csv', data: HEADER + good(9) });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('PLACE_NOT_FOUND');
    // A grid worker may not import at all.
    await createStaff(admin, 'grid-imp', 'grid_worker', d.gridA);
    const grid = await signIn(t.app, 'grid-imp', 'Staff-pass-2026');
    expect((await upload(grid, { communityId: String(d.community) }, { name: 'ok.csv', data: HEADER + good(9) })).statusCode).toBe(403);
    // Another user cannot see my job.
    const mine = await upload(admin, { communityId: String(d.community) }, { name: 'ok.csv', data: HEADER + good(9) });
    expect((await officer.get(`/api/imports/${mine.json().job.id}`)).statusCode).toBe(404);
  });

  it('imports a 20,000-row generated ledger of a whole district all at once, with progress', async () => {
    const file = path.join(os.tmpdir(), `fk-import-${process.pid}.csv`);
    await writeDistrictCsv(file, { residents: 20_000, seed: 11 });
    const data = fs.readFileSync(file);
    const res = await upload(admin, { communityId: String(d.district), unknownPlaces: 'create' }, { name: 'big.csv', data });
    const job = await waitFor(admin, res.json().job.id, ['validated', 'failed']);
    expect(job.errors).toEqual([]);
    expect(job.summary).toMatchObject({ rows: 20_000, valid: 20_000, toCreate: 20_000 });
    expect(job.progress.bytesRead).toBe(job.progress.totalBytes);
    const before = await residentCount();
    await admin.post(`/api/imports/${job.id}/commit`);
    const done = await waitFor(admin, job.id, ['committed', 'failed']);
    expect(done.status).toBe('committed');
    expect(done.summary.created).toBe(20_000);
    expect(await residentCount()).toBe(before + 20_000);
    // The fixture's street 友谊路街道 was reused, not duplicated; the generator's communities were created under it.
    const streets = await t.ctx.db.query<{ n: number }>(`SELECT count(*) AS n FROM places WHERE kind = 'street' AND name = '友谊路街道'`);
    expect(streets.rows[0].n).toBe(1);
    fs.rmSync(file);
  });

  it('rejects a row whose community does not match the community imported into', async () => {
    const csv = '姓名,身份证号,社区,小区,楼栋,房号\n' + `错社区,${makeMainlandId('19810101', 611)},别处社区,幸福里小区,1号楼,101\n`;
    const res = await upload(admin, { communityId: String(d.community) }, { name: 'c.csv', data: csv });
    const job = await waitFor(admin, res.json().job.id, ['validated']);
    expect(job.errors[0]).toMatchObject({ row: 2, code: 'IMPORT_UNKNOWN_PLACE' });
    expect(job.errors[0].column).toContain('社区');
  });
});
