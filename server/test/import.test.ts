// Ledger import through the HTTP API: dry-run report, all-or-nothing commit, idempotent
// re-import, XLSX with English headers, creating places, scope, encodings, a large file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { importFile, LEDGER_COLUMNS } from '../src/modules/registry/index.js';
import type { Actor } from '../src/platform/context.js';
import { mintScope } from '../src/platform/scope.js';
import { createStaff, makeMainlandId, useDistrictApp, type District } from './fixtures.js';
import { signIn, type Client, type TestApp } from './helpers.js';

// A fresh app and district for every test: a commit changes the registry and the audit log that
// other tests count, so no test may see another's rows, whatever order they run in.
const env = useDistrictApp({ each: true });
let t: TestApp;
let admin: Client;
let d: District;
beforeEach(async () => {
  ({ t, admin, d } = env);
});

type FileData = { name: string; data: Buffer | string };

async function multipart(fields: Record<string, string>, file?: FileData) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([typeof file.data === 'string' ? file.data : new Uint8Array(file.data)]), file.name);
  const res = new Response(form);
  return { body: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type')! };
}

async function upload(c: Client, fields: Record<string, string>, file?: FileData, url = '/api/imports') {
  const m = await multipart(fields, file);
  return c.inject({ method: 'POST', url, payload: m.body, headers: { 'content-type': m.type } });
}

interface Job {
  id: string;
  status: string;
  progress: { phase: string; rowsRead: number; bytesRead: number; totalBytes: number; rowsWritten: number };
  summary: Record<string, number>;
  errors: { row: number; column: string; code: string; message: Record<'zh-CN' | 'en-US', string> }[];
  errorCount: number;
  failure?: { code: string; message: Record<string, string> };
}

/** Polls the job until it reaches one of `until`; `seen` collects every state observed on the way. */
async function waitFor(c: Client, id: string, until: string[], seen?: Job[]): Promise<Job> {
  for (let i = 0; i < 1200; i++) {
    const res = await c.get(`/api/imports/${id}`);
    expect(res.statusCode).toBe(200);
    const job = res.json().job as Job;
    seen?.push(job);
    if (until.includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('import did not finish');
}

/** Uploads, waits for the dry run, commits, waits for the commit. */
async function importAndCommit(c: Client, fields: Record<string, string>, file: FileData) {
  const res = await upload(c, fields, file);
  expect(res.statusCode).toBe(202);
  const validated = await waitFor(c, res.json().job.id, ['validated', 'failed']);
  expect(validated.errors).toEqual([]);
  expect((await c.post(`/api/imports/${validated.id}/commit`)).statusCode).toBe(202);
  return { validated, committed: await waitFor(c, validated.id, ['committed', 'failed']) };
}

const HEADER = '姓名,身份证号,手机号,小区,网格,楼栋,单元,房号,居住类型,独居老人\n';
const good = (n: number) =>
  `居民${n},${makeMainlandId('19800101', 100 + n * 2)},1390000${String(n).padStart(4, '0')},幸福里小区,第一网格,1号楼,1单元,30${n},租户,否\n`;

const count = async (table: string) => (await t.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
const counts = async () => ({ residents: await count('residents'), households: await count('households'), places: await count('places'), audit: await count('audit_log') });

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Sheet1');
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('preview and template', () => {
  it('previews headers and suggests the mapping', async () => {
    const res = await upload(admin, {}, { name: 'a.csv', data: '\ufeff' + HEADER + good(1) }, '/api/imports/preview');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.suggestedMapping).toMatchObject({ 姓名: 'name', 身份证号: 'idNumber', 手机号: 'phone', 房号: 'room' });
    expect(body.sampleRows[0][0]).toBe('居民1');
    expect(body.fields.find((f: { key: string }) => f.key === 'idNumber')).toMatchObject({ label: { 'zh-CN': '身份证号', 'en-US': 'ID number' }, required: true });
  });

  it('finds the header below a title row and reads spellings with notes and marks', async () => {
    const data = await xlsx([['平江里社区居民台账（2022年4月）'], ['序号', '姓名*', '身份证号码（必填）', 'Phone', '小区', '楼栋', '房号'], [1, '张三', makeMainlandId('19800101', 5), '13900001111', '幸福里小区', '1号楼', '101']]);
    const res = await upload(admin, {}, { name: 'title.xlsx', data }, '/api/imports/preview');
    const body = res.json();
    expect(body.headers[1]).toBe('姓名*');
    expect(body.suggestedMapping).toMatchObject({ 序号: null, '姓名*': 'name', '身份证号码（必填）': 'idNumber', Phone: 'phone' });
    expect(body.sampleRows).toHaveLength(1);
  });

  it('serves an empty ledger template with the Chinese headers', async () => {
    const res = await admin.get('/api/imports/template.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const header = (book.worksheets[0].getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(LEDGER_COLUMNS.map((c) => c.label['zh-CN']));
  });
});

describe('dry run', () => {
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
      `无楼,${makeMainlandId('19800101', 305)},13900000007,幸福里小区,第一网格,9号楼,1单元,307,户籍,否\n` +
      '\n' + // a blank line still counts as a spreadsheet row
      `坏旗,${makeMainlandId('19800101', 307)},13900000009,幸福里小区,第一网格,1号楼,1单元,309,户籍,也许\n`;
    const before = await counts();
    const res = await upload(admin, { communityId: String(d.community), unknownPlaces: 'reject' }, { name: 'bad.csv', data: csv });
    expect(res.statusCode).toBe(202);
    const job = await waitFor(admin, res.json().job.id, ['validated', 'failed']);
    expect(job.summary).toMatchObject({ rows: 8, valid: 1, rejected: 7, toCreate: 1 });
    const byRow = Object.fromEntries(job.errors.map((e) => [e.row, e]));
    expect(byRow[3]).toMatchObject({ code: 'RESIDENT_ID_CHECKSUM', column: '身份证号 / ID number' });
    expect(byRow[3].message['zh-CN']).toContain('校验位');
    expect(byRow[3].message['en-US']).toContain('check digit');
    expect(byRow[4].code).toBe('RESIDENT_ID_BIRTH_DATE');
    expect(byRow[5]).toMatchObject({ code: 'RESIDENT_PHONE_FORMAT', column: '手机号 / Phone' });
    expect(byRow[6].code).toBe('IMPORT_DUPLICATE_IN_FILE');
    expect(byRow[6].message['en-US']).toContain('row 2');
    expect(byRow[7]).toMatchObject({ code: 'FIELD_REQUIRED', column: '姓名 / Name' });
    expect(byRow[7].message).toEqual({ 'zh-CN': '缺少必填字段“姓名”', 'en-US': 'Field "Name" is required' });
    expect(byRow[8]).toMatchObject({ code: 'IMPORT_UNKNOWN_PLACE', column: '楼栋 / Building' });
    expect(byRow[8].message['zh-CN']).toContain('9号楼');
    expect(byRow[10]).toMatchObject({ code: 'FIELD_INVALID', column: '独居老人 / Elderly alone' });

    const commit = await admin.post(`/api/imports/${job.id}/commit`);
    expect(commit.statusCode).toBe(409);
    expect(commit.json().error.code).toBe('IMPORT_HAS_ERRORS');

    const report = await admin.get(`/api/imports/${job.id}/report.csv`);
    expect(report.headers['content-type']).toContain('text/csv');
    expect(report.body.startsWith('\ufeffrow,column,code,zh-CN,en-US')).toBe(true);
    const lines = report.body.trim().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[1]).toMatch(/^3,身份证号 \/ ID number,RESIDENT_ID_CHECKSUM,/);
    expect(await counts()).toEqual(before);
  });

  it('keeps the first 200 errors in the job and all of them in the report', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => `人${i},123,,幸福里小区,第一网格,1号楼,1单元,1${i}\n`).join('');
    const res = await upload(admin, { communityId: String(d.community) }, { name: 'many.csv', data: '姓名,身份证号,手机号,小区,网格,楼栋,单元,房号\n' + rows });
    const job = await waitFor(admin, res.json().job.id, ['validated']);
    expect(job.errorCount).toBe(250);
    expect(job.errors).toHaveLength(200);
    expect(job.errors[0].row).toBe(2);
    const report = await admin.get(`/api/imports/${job.id}/report.csv`);
    expect(report.body.trim().split('\n')).toHaveLength(251);
  });

  it('flags an ID that Excel stored as a number', async () => {
    const data = await xlsx([['姓名', '身份证号', '小区', '网格', '楼栋', '房号'], ['数字', 110105194912310000, '幸福里小区', '第一网格', '1号楼', '101']]);
    const res = await upload(admin, { communityId: String(d.community) }, { name: 'num.xlsx', data });
    const job = await waitFor(admin, res.json().job.id, ['validated']);
    expect(job.errors).toHaveLength(1);
    expect(job.errors[0]).toMatchObject({ row: 2, code: 'FIELD_INVALID', column: '身份证号 / ID number' });
    expect(job.errors[0].message['zh-CN']).toContain('文本');
    expect(job.errors[0].message['en-US']).toContain('format the column as text');
  });

  it('rejects a row whose community does not match the community imported into', async () => {
    const csv = '姓名,身份证号,社区,小区,楼栋,房号\n' + `错社区,${makeMainlandId('19810101', 611)},别处社区,幸福里小区,1号楼,101\n`;
    const res = await upload(admin, { communityId: String(d.community) }, { name: 'c.csv', data: csv });
    const job = await waitFor(admin, res.json().job.id, ['validated']);
    expect(job.errors[0]).toMatchObject({ row: 2, code: 'IMPORT_UNKNOWN_PLACE', column: '社区 / Community' });
  });

  it('refuses a file without the required columns, a bad file type, GBK text, an old .xls, a bad mapping', async () => {
    const fields = { communityId: String(d.community) };
    const missing = await upload(admin, fields, { name: 'x.csv', data: '姓名,手机号\n张三,13800000000\n' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('IMPORT_MISSING_COLUMN');
    expect(missing.json().error.messages['zh-CN']).toContain('身份证号');
    expect((await upload(admin, fields, { name: 'x.txt', data: 'x' })).json().error.code).toBe('IMPORT_FILE_TYPE');
    expect((await upload(admin, fields)).json().error.code).toBe('IMPORT_NO_FILE');

    // 姓名,身份证号 / 张三 as Excel saves "CSV" on a Chinese Windows: GBK.
    const gbk = await upload(admin, fields, { name: 'gbk.csv', data: Buffer.from('d0d5c3fb2cc9edb7ddd6a4bac50ad5c5c8fd2c310a', 'hex') });
    expect(gbk.statusCode).toBe(400);
    expect(gbk.json().error).toMatchObject({ code: 'FIELD_INVALID', field: 'file' });
    expect(gbk.json().error.messages['zh-CN']).toContain('GBK');
    expect(gbk.json().error.messages['en-US']).toContain('CSV UTF-8');

    const xls = await upload(admin, fields, { name: 'old.xlsx', data: Buffer.from('d0cf11e0a1b11ae1000000', 'hex') });
    expect(xls.json().error.messages['en-US']).toContain('.xls');
    const mislabelled = await upload(admin, fields, { name: 'book.csv', data: await xlsx([['姓名']]) });
    expect(mislabelled.json().error.messages['en-US']).toContain('rename it to .xlsx');
    const book = await xlsx([['姓名', '身份证号', '楼栋', '房号'], ...Array.from({ length: 500 }, (_, i) => [`人${i}`, 'x', '1号楼', i])]);
    const cut = await upload(admin, fields, { name: 'cut.xlsx', data: book.subarray(0, book.length >> 1) });
    expect(cut.statusCode).toBe(400);
    expect(cut.json().error.messages['en-US']).toContain('cannot be parsed');

    const badMapping = await upload(admin, { ...fields, mapping: JSON.stringify({ 名字: 'nickname' }) }, { name: 'x.csv', data: '名字\n张三\n' });
    expect(badMapping.json().error).toMatchObject({ code: 'FIELD_INVALID', field: 'mapping' });
    const notJson = await upload(admin, { ...fields, mapping: '{' }, { name: 'x.csv', data: '名字\n张三\n' });
    expect(notJson.json().error).toMatchObject({ code: 'FIELD_INVALID', field: 'mapping' });
  });

  it('fails the dry run of a file that breaks off in the middle, naming the line', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `人${i},x,幸福里小区,1号楼,${i}\n`).join('');
    const csv = '姓名,身份证号,小区,楼栋,房号\n' + rows + '"没有结尾的引号,x,幸福里小区,1号楼,1\n';
    const res = await upload(admin, { communityId: String(d.community) }, { name: 'broken.csv', data: csv });
    const job = await waitFor(admin, res.json().job.id, ['validated', 'failed']);
    expect(job.status).toBe('failed');
    expect(job.failure?.code).toBe('FIELD_INVALID');
    expect(job.failure?.message['zh-CN']).toContain('第 3002 行');
    expect((await admin.post(`/api/imports/${job.id}/commit`)).json().error.code).toBe('IMPORT_NOT_READY');
  });
});

describe('commit', () => {
  it('commits a clean file, and re-importing it changes nothing', async () => {
    const csv = HEADER + [1, 2, 3, 4].map(good).join('');
    const before = await counts();
    const { validated, committed } = await importAndCommit(admin, { communityId: String(d.community) }, { name: 'ok.csv', data: csv });
    expect(validated.summary).toMatchObject({ rows: 4, toCreate: 4, rejected: 0 });
    expect(committed.summary).toMatchObject({ created: 4, updated: 0, unchanged: 0, placesCreated: 0 });
    expect(committed.progress).toMatchObject({ phase: 'done', rowsWritten: 4 });
    expect(await counts()).toMatchObject({ residents: before.residents + 4, households: before.households + 4, places: before.places });
    const found = (await admin.get(`/api/residents?q=${makeMainlandId('19800101', 104)}`)).json().items;
    expect(found[0]).toMatchObject({ name: '居民2', tenancy: 'tenant', address: '幸福里小区 1号楼 1单元 302' });
    const stamp = async () => (await t.ctx.db.query<{ u: string }>('SELECT max(updated_at)::text AS u FROM residents')).rows[0].u;
    const stampBefore = await stamp();

    const again = await importAndCommit(admin, { communityId: String(d.community) }, { name: 'ok.csv', data: csv });
    expect(again.validated.summary).toMatchObject({ toCreate: 0, toUpdate: 0, unchanged: 4 });
    expect(again.committed.summary).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
    expect(await stamp()).toBe(stampBefore);
    // Committing the same job twice does not import twice.
    const twice = await admin.post(`/api/imports/${again.committed.id}/commit`);
    expect(twice.json().job).toMatchObject({ status: 'committed', summary: { created: 0, updated: 0 } });

    // One changed phone: one update, the rest untouched.
    const changed = await importAndCommit(admin, { communityId: String(d.community) }, { name: 'ok2.csv', data: csv.replace('13900000003', '13900009999') });
    expect(changed.validated.summary).toMatchObject({ toUpdate: 1, unchanged: 3 });
    expect(changed.committed.summary).toMatchObject({ created: 0, updated: 1, unchanged: 3 });

    const log = (await admin.get('/api/audit?action=import.commit')).json().items;
    expect(log).toHaveLength(3);
    expect(log.map((e: { detail: { fileName: string } }) => e.detail.fileName).sort()).toEqual(['ok.csv', 'ok.csv', 'ok2.csv']);
    expect(log.find((e: { detail: { created: number } }) => e.detail.created === 4)).toBeTruthy();
  });

  it('updates a resident already registered in scope (upsert by ID)', async () => {
    const csv = '姓名,身份证号,手机号,小区,网格,楼栋,单元,房号\n' + `张伟,${d.idA},13811110000,幸福里小区,第二网格,2号楼,1单元,202\n`;
    const { validated, committed } = await importAndCommit(admin, { communityId: String(d.community) }, { name: 'move.csv', data: csv });
    expect(validated.summary).toMatchObject({ toUpdate: 1 });
    expect(committed.summary).toMatchObject({ updated: 1, created: 0 });
    const r = (await admin.get(`/api/residents/${d.residentA}`)).json().resident;
    expect(r).toMatchObject({ phone: '13811110000', householdId: d.householdB, address: '幸福里小区 2号楼 1单元 202' });
  });

  it('imports an XLSX with English headers and creates unknown places with correct paths', async () => {
    const data = await xlsx([
      ['Name', 'ID number', 'Phone', 'Compound', 'Building', 'Unit', 'Room', 'Birth date', 'Sex'],
      ['Wang Lei', makeMainlandId('19750505', 411), '13811112222', '新建小区', '8号楼', '2单元', '801', new Date('1975-05-05'), 'male'],
      ['Li Mei', makeMainlandId('19780606', 412), 13811113333, '新建小区', '8号楼', '2单元', 802, 28647, ''], // 28647 = 1978-06-06 as an Excel serial
      ['Zhao Min', makeMainlandId('19790707', 413), '', '新建小区', '9号楼', '', '101', '', ''],
    ]);
    const before = await counts();
    const res = await upload(admin, { communityId: String(d.community), unknownPlaces: 'create' }, { name: 'en.xlsx', data });
    const job = await waitFor(admin, res.json().job.id, ['validated', 'failed']);
    expect(job.errors).toEqual([]);
    expect(job.summary).toMatchObject({ rows: 3, rejected: 0, placesToCreate: 4 });
    expect(await counts()).toEqual(before); // the dry run writes nothing
    await admin.post(`/api/imports/${job.id}/commit`);
    const done = await waitFor(admin, job.id, ['committed', 'failed']);
    expect(done.summary).toMatchObject({ created: 3, placesCreated: 4 });
    const r = (await admin.get(`/api/residents?q=${makeMainlandId('19750505', 411)}`)).json().items[0];
    expect(r.address).toBe('新建小区 8号楼 2单元 801');
    expect((await admin.get(`/api/residents?q=${makeMainlandId('19790707', 413)}`)).json().items[0].address).toBe('新建小区 9号楼 101');

    const { rows } = await t.ctx.db.query<{ kind: string; name: string; path: string; depth: number; parent_kind: string; parent_name: string; ok: boolean }>(
      `SELECT c.kind, c.name, c.path, c.depth, p.kind AS parent_kind, p.name AS parent_name,
              c.path = p.path || c.id || '/' AND c.depth = p.depth + 1 AS ok
         FROM places c JOIN places p ON p.id = c.parent_id WHERE c.name IN ('新建小区', '8号楼', '2单元', '9号楼') ORDER BY c.depth, c.name`,
    );
    expect(rows.map((p) => [p.kind, p.name, p.parent_name, p.ok])).toEqual([
      ['compound', '新建小区', '平江里社区', true],
      ['building', '8号楼', '新建小区', true],
      ['building', '9号楼', '新建小区', true],
      ['unit', '2单元', '8号楼', true],
    ]);
    // Households hang on the unit, or on the building when there is no unit.
    const hh = await t.ctx.db.query<{ kind: string; room: string; same_path: boolean }>(
      `SELECT p.kind, h.room, h.place_path = p.path AS same_path FROM households h JOIN places p ON p.id = h.place_id WHERE p.name IN ('2单元', '9号楼') ORDER BY h.room`,
    );
    expect(hh.rows).toEqual([
      { kind: 'building', room: '101', same_path: true },
      { kind: 'unit', room: '801', same_path: true },
      { kind: 'unit', room: '802', same_path: true },
    ]);
    const liMei = (await admin.get(`/api/residents?q=${makeMainlandId('19780606', 412)}`)).json().items[0];
    expect(liMei).toMatchObject({ birthDate: '1978-06-06' });
  });

  it('finds a building inside a grid when the ledger has no grid column', async () => {
    const csv = '姓名,身份证号,小区,楼栋,单元,房号\n' + `无网格,${makeMainlandId('19820202', 521)},幸福里小区,2号楼,1单元,203\n`;
    const before = await counts();
    const { committed } = await importAndCommit(admin, { communityId: String(d.community), unknownPlaces: 'create' }, { name: 'nogrid.csv', data: csv });
    expect(committed.summary).toMatchObject({ created: 1, placesCreated: 0 });
    expect((await counts()).places).toBe(before.places);
    const r = (await admin.get(`/api/residents?q=${makeMainlandId('19820202', 521)}`)).json().items[0];
    expect(r).toMatchObject({ gridId: d.gridB, address: '幸福里小区 2号楼 1单元 203' });
  });

  it('maps custom headers with an explicit mapping', async () => {
    const csv = '名字,证件,小区名,楼,房间\n' + `映射,${makeMainlandId('19830303', 531)},幸福里小区,1号楼,909\n`;
    const mapping = JSON.stringify({ 名字: 'name', 证件: 'idNumber', 小区名: 'compound', 楼: 'building', 房间: 'room' });
    const { committed } = await importAndCommit(admin, { communityId: String(d.community), unknownPlaces: 'create', mapping }, { name: 'm.csv', data: csv });
    expect(committed.summary).toMatchObject({ created: 1 });
  });

  it('writes nothing when the commit fails half-way', async () => {
    // A trigger makes the database refuse one row near the end: two batches are already written by then.
    await t.ctx.db.exec(`
      CREATE FUNCTION fk_test_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.name = '炸弹' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER fk_test_boom BEFORE INSERT ON residents FOR EACH ROW EXECUTE FUNCTION fk_test_boom();`);
    try {
      const lines = Array.from({ length: 2500 }, (_, i) =>
        `${i === 2300 ? '炸弹' : `半途${i}`},${makeMainlandId(`1960010${1 + Math.floor(i / 500)}`, i % 500)},半途小区,${1 + Math.floor(i / 100)}号楼,${1 + (i % 2)}单元,${i}\n`,
      );
      const csv = '姓名,身份证号,小区,楼栋,单元,房号\n' + lines.join('');
      const before = await counts();
      const res = await upload(admin, { communityId: String(d.community), unknownPlaces: 'create' }, { name: 'half.csv', data: csv });
      const job = await waitFor(admin, res.json().job.id, ['validated', 'failed']);
      expect(job.errors).toEqual([]);
      expect(job.summary.placesToCreate).toBe(1 + 25 + 50);
      await admin.post(`/api/imports/${job.id}/commit`);
      const seen: Job[] = [];
      const failed = await waitFor(admin, job.id, ['committed', 'failed'], seen);
      expect(failed.status).toBe('failed');
      // PostgreSQL answers polls during the commit: batches had been written when it failed.
      if (t.ctx.db.kind === 'postgres') expect(Math.max(...seen.map((j) => j.progress.rowsWritten))).toBeGreaterThanOrEqual(1000);
      expect(failed.failure?.code).toBe('INTERNAL');
      expect(failed.summary).toMatchObject({ created: 0, updated: 0, placesCreated: 0 });
      expect(await counts()).toEqual(before);
      // A failed job cannot be committed again.
      expect((await admin.post(`/api/imports/${job.id}/commit`)).json().error.code).toBe('IMPORT_NOT_READY');
    } finally {
      await t.ctx.db.exec('DROP TRIGGER fk_test_boom ON residents; DROP FUNCTION fk_test_boom();');
    }
  });

  it('writes nothing when the registry changed between the dry run and the commit', async () => {
    const building = (await admin.post('/api/places', { parentId: d.gridB, kind: 'building', name: '临时楼' })).json().id as number;
    const csv = '姓名,身份证号,小区,网格,楼栋,房号\n' + `晚到,${makeMainlandId('19840404', 541)},幸福里小区,第二网格,临时楼,101\n`;
    const res = await upload(admin, { communityId: String(d.community) }, { name: 'late.csv', data: csv });
    const job = await waitFor(admin, res.json().job.id, ['validated']);
    expect(job.errors).toEqual([]);
    await t.ctx.db.query('UPDATE places SET archived_at = now() WHERE id = $1', [building]);
    const before = await counts();
    await admin.post(`/api/imports/${job.id}/commit`);
    const failed = await waitFor(admin, job.id, ['committed', 'failed']);
    expect(failed).toMatchObject({ status: 'failed', failure: { code: 'IMPORT_HAS_ERRORS' } });
    expect(await counts()).toEqual(before);
  });
});

describe('scope', () => {
  let officer: Client;
  let other: number;
  const foreignId = makeMainlandId('19700707', 711);
  beforeEach(async () => {
    // Another community of the same street, with one resident.
    other = (await admin.post('/api/places', { parentId: d.street, kind: 'community', name: '别的社区' })).json().id;
    const compound = (await admin.post('/api/places', { parentId: other, kind: 'compound', name: '别处小区' })).json().id;
    const building = (await admin.post('/api/places', { parentId: compound, kind: 'building', name: '1号楼' })).json().id;
    const household = (await admin.post('/api/households', { placeId: building, room: '101' })).json().id;
    expect((await admin.post('/api/residents', { householdId: household, name: '外人', idNumber: foreignId })).statusCode).toBe(201);
    await createStaff(admin, 'officer-imp', 'community_officer', d.community);
    officer = await signIn(t.app, 'officer-imp', 'Staff-pass-2026');
  });

  it('lets a community officer import into their community', async () => {
    const csv = HEADER + `书记导入,${makeMainlandId('19850505', 811)},13900008888,幸福里小区,第一网格,1号楼,1单元,808,户籍,否\n`;
    const { committed } = await importAndCommit(officer, { communityId: String(d.community) }, { name: 'officer.csv', data: csv });
    expect(committed.summary).toMatchObject({ created: 1 });
  });

  it('refuses a community outside the officer scope, and a role without the permission', async () => {
    const res = await upload(officer, { communityId: String(other) }, { name: 'ok.csv', data: HEADER + good(9) });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('PLACE_NOT_FOUND');
    const compoundRes = await upload(officer, { communityId: String(d.compound) }, { name: 'ok.csv', data: HEADER + good(9) });
    expect(compoundRes.json().error.code).toBe('PLACE_BAD_PARENT');
    await createStaff(admin, 'grid-imp', 'grid_worker', d.gridA);
    const grid = await signIn(t.app, 'grid-imp', 'Staff-pass-2026');
    expect((await upload(grid, { communityId: String(d.community) }, { name: 'ok.csv', data: HEADER + good(9) })).statusCode).toBe(403);
  });

  it('never updates or reveals a resident registered in another area', async () => {
    const csv = HEADER + `冒名,${foreignId},13900007777,幸福里小区,第一网格,1号楼,1单元,707,户籍,否\n`;
    const res = await upload(officer, { communityId: String(d.community) }, { name: 'foreign.csv', data: csv });
    const job = await waitFor(officer, res.json().job.id, ['validated']);
    expect(job.errors).toHaveLength(1);
    expect(job.errors[0]).toMatchObject({ row: 2, code: 'RESIDENT_DUPLICATE_ID', column: '身份证号 / ID number' });
    expect(JSON.stringify(job.errors[0].message)).not.toMatch(/别的社区|别处小区|外人/);
    expect((await officer.post(`/api/imports/${job.id}/commit`)).statusCode).toBe(409);
    const stored = await t.ctx.db.query<{ name: string; phone: string | null }>(`SELECT name, phone FROM residents WHERE name = '外人'`);
    expect(stored.rows).toEqual([{ name: '外人', phone: null }]);
  });

  it('keeps jobs private to the user who started them', async () => {
    const mine = await upload(admin, { communityId: String(d.community) }, { name: 'ok.csv', data: HEADER + good(9) });
    const id = mine.json().job.id;
    expect((await officer.get(`/api/imports/${id}`)).statusCode).toBe(404);
    expect((await officer.get(`/api/imports/${id}/report.csv`)).statusCode).toBe(404);
    expect((await officer.post(`/api/imports/${id}/commit`)).json().error.code).toBe('IMPORT_NOT_FOUND');
    await waitFor(admin, id, ['validated']);
  });
});

describe('large files', () => {
  /** A district-wide ledger: street and community columns, new communities, compounds, grids, buildings, units. */
  function writeLedger(file: string, rows: number) {
    const out: string[] = ['\ufeff姓名,证件类型,身份证号,性别,手机号,街道,社区,小区,网格,楼栋,单元,房号,居住类型,独居老人\n'];
    for (let i = 0; i < rows; i++) {
      const household = Math.floor(i / 2);
      const community = ['平江里社区', '新兴社区', '梅江社区'][household % 3];
      const compound = `${['和平', '友爱', '团结', '光明'][Math.floor(household / 3) % 4]}里`;
      const building = `${1 + (Math.floor(household / 12) % 20)}号楼`;
      const unit = `${1 + (household % 3)}单元`;
      const room = `${1 + (Math.floor(household / 240) % 30)}0${1 + (household % 4)}`;
      const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(i / 400) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
      const id = makeMainlandId(birth, i % 400);
      out.push(`居民${i},身份证,${id},,139${String(i).padStart(8, '0')},友谊路街道,${community},${compound},网格${household % 2},${building},${unit},${room},户籍,否\n`);
    }
    fs.writeFileSync(file, out.join(''));
  }

  it('imports a 20,000-row ledger of a whole district, with progress', async () => {
    const file = path.join(os.tmpdir(), `fk-import-${process.pid}.csv`);
    writeLedger(file, 20_000);
    const data = fs.readFileSync(file);
    fs.rmSync(file);
    const before = await counts();
    const res = await upload(admin, { communityId: String(d.district), unknownPlaces: 'create' }, { name: 'big.csv', data });
    expect(res.statusCode).toBe(202);
    const seen: Job[] = [];
    const job = await waitFor(admin, res.json().job.id, ['validated', 'failed'], seen);
    expect(job.errors).toEqual([]);
    expect(job.summary).toMatchObject({ rows: 20_000, valid: 20_000, toCreate: 20_000 });
    expect(job.progress.bytesRead).toBe(job.progress.totalBytes);
    await admin.post(`/api/imports/${job.id}/commit`);
    const done = await waitFor(admin, job.id, ['committed', 'failed'], seen);
    expect(done.status).toBe('committed');
    expect(done.summary.created).toBe(20_000);
    expect(done.progress.rowsWritten).toBe(20_000);
    expect((await counts()).residents).toBe(before.residents + 20_000);
    // Progress moved while the job ran: some poll saw a part read or written.
    expect(seen.some((j) => (j.status === 'validating' || j.status === 'committing') && j.progress.bytesRead > 0 && j.progress.bytesRead < j.progress.totalBytes)).toBe(true);
    if (t.ctx.db.kind === 'postgres') {
      // On PGlite every request (its session lookup) waits for the commit's transaction to end.
      expect(seen.some((j) => j.status === 'committing' && j.progress.rowsWritten > 0 && j.progress.rowsWritten < 20_000)).toBe(true);
    }
    // The street and the existing community were reused, not duplicated; the others were created under the street.
    const dup = await t.ctx.db.query<{ name: string; n: number }>(
      `SELECT name, count(*)::int AS n FROM places WHERE name IN ('友谊路街道', '平江里社区', '新兴社区', '梅江社区') AND archived_at IS NULL GROUP BY name ORDER BY name`,
    );
    expect(dup.rows.every((r) => r.n === 1)).toBe(true);
    const broken = await t.ctx.db.query(`SELECT c.id FROM places c JOIN places p ON p.id = c.parent_id WHERE c.path <> p.path || c.id || '/' OR c.depth <> p.depth + 1`);
    expect(broken.rows).toEqual([]);
  }, 180_000); // 20,000 rows twice (dry run and commit): the time is the machine's, the test asserts none

  it('imports a file from disk without HTTP (the benchmark path)', async () => {
    const file = path.join(os.tmpdir(), `fk-import-run-${process.pid}.csv`);
    fs.writeFileSync(file, HEADER + [11, 12, 13].map(good).join(''));
    const { rows } = await t.ctx.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'admin'`);
    const actor: Actor = { id: rows[0].id, username: 'admin', displayName: 'admin', role: 'admin', placeId: null, scope: mintScope('/'), locale: 'zh-CN' };
    const progress: number[] = [];
    const result = await importFile(t.ctx, actor, file, { communityId: d.community, onProgress: (j) => progress.push(j.progress.rowsRead) });
    expect(result.job).toMatchObject({ status: 'committed', summary: { created: 3 } });
    expect(result.dryRunMs).toBeGreaterThan(0);
    expect(result.commitMs).toBeGreaterThan(0);
    expect(fs.existsSync(file)).toBe(true); // the caller's file is left alone
    fs.rmSync(file);
  });
});
