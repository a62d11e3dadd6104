// No plaintext ID number outside the vault (issue 11, 1): not in the audit log's copy of a
// search filter, not in the access log's request URL, not in an upload left in a temp folder,
// not in the spreadsheet library's spool files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, logUrl } from '../src/app.js';
import { prepareSpool, spoolFile, spoolRoot, spoolWriteStream } from '../src/platform/spool.js';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';
import { buildTown, type Town } from './factories.js';

let t: TestApp;
let admin: Client;
let town: Town;
let id: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
  town = await buildTown(admin, '-lk');
  id = town.c1.a.people[0].idNumber;
}, 60_000);

afterAll(async () => t?.close());

async function upload(url: string, body: Buffer, name: string) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(body)]), name);
  const res = new Response(form);
  return admin.inject({ method: 'POST', url, payload: Buffer.from(await res.arrayBuffer()), headers: { 'content-type': res.headers.get('content-type')! } });
}

describe('ID numbers stay in the vault', () => {
  it('a search by ID number copied into the audit log is masked', async () => {
    // only the rows this test writes: another test's exports may run before or after it
    const { rows: [{ last }] } = await t.ctx.db.query<{ last: string }>(`SELECT COALESCE(MAX(id), 0)::text AS last FROM audit_log`);
    for (const q of [id, id.toLowerCase(), `张 ${id}`]) {
      expect((await admin.get(`/api/residents/export.xlsx?q=${encodeURIComponent(q)}`)).statusCode).toBe(200);
    }
    const { rows } = await t.ctx.db.query<{ detail: string }>(`SELECT detail::text AS detail FROM audit_log WHERE action LIKE 'resident.export%' AND id > $1`, [last]);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const r of rows) {
      expect(r.detail.toUpperCase()).not.toContain(id);
      expect(r.detail).not.toContain(id.slice(6, 14)); // nor its birth date
    }
    expect(rows.some((r) => r.detail.includes(id.slice(0, 6)))).toBe(true); // the mask is kept: the log still says what was searched
  });

  it('the access log keeps no ID number from a URL', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const logged = await buildApp(t.ctx, { logger: { level: 'info', stream } });
    await logged.ready();
    try {
      const cookies = { fk_session: admin.token };
      await logged.inject({ method: 'GET', url: `/api/residents?idNumber=${id}`, cookies });
      await logged.inject({ method: 'GET', url: `/api/residents?q=${id}&limit=5`, cookies });
      await logged.inject({ method: 'GET', url: `/api/residents?limit=5&q=${encodeURIComponent('张')}`, cookies });
      await logged.inject({ method: 'GET', url: `/api/residents/export.xlsx?x=${id}`, cookies });
    } finally {
      await logged.close().catch(() => undefined);
    }
    const text = lines.join('');
    expect(text).toContain('idNumber=***');
    expect(text).toContain('q=***');
    expect(text).not.toContain(id);
    expect(text).not.toContain(id.slice(6, 14));
    expect(logUrl(`/api/x?idNumber=${id}&placeId=3`)).toBe('/api/x?idNumber=***&placeId=3');
  });

  it('uploads go to a folder of this process under DATA_DIR, readable by this user only, and it is emptied at start', async () => {
    const dir = t.ctx.spoolDir;
    expect(dir.startsWith(spoolRoot(t.ctx.config.dataDir))).toBe(true);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const file = spoolFile(dir, 'csv');
    await new Promise<void>((resolve, reject) => spoolWriteStream(file).on('error', reject).end('x', resolve));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    // what a crash left behind: in this process's folder and in a process that no longer runs
    const dead = path.join(spoolRoot(t.ctx.config.dataDir), '99999999');
    fs.mkdirSync(dead, { recursive: true });
    fs.writeFileSync(path.join(dead, 'upload-x.csv'), `姓名,身份证号\n张伟,${id}\n`);
    prepareSpool(t.ctx.config.dataDir);
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(file)).toBe(false);

    // a preview leaves nothing behind, and nothing was written to the system's temp folder
    const before = new Set(fs.readdirSync(os.tmpdir()));
    const res = await upload('/api/imports/preview', Buffer.from(`姓名,身份证号,手机号\n张伟,${id},13900000001\n`), 'ledger.csv');
    expect(res.statusCode).toBe(200);
    expect(fs.readdirSync(dir).filter((f) => f !== 'xlsx')).toEqual([]);
    expect([...fs.readdirSync(os.tmpdir())].filter((f) => !before.has(f) && f.startsWith('fangkong-upload'))).toEqual([]);
  });

  it("the spreadsheet library's spool files are deleted when a reader stops early", async () => {
    // a streamed workbook with shared strings writes its sheet before the strings: the reader spools the sheet.
    // Its rows carry a number of this run only, so a file in the shared temp folder that happens to
    // hold some fixed number (another program's, another test's) is not taken for a leak.
    const mark = 100_000_000_000 + Math.floor(Math.random() * 800_000_000_000);
    const chunks: Buffer[] = [];
    const out = new Writable({ write: (c, _e, cb) => (chunks.push(Buffer.from(c)), cb()) });
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true });
    const sheet = book.addWorksheet('居民台账');
    sheet.addRow(['姓名', '身份证号', '手机号', '编号']).commit();
    for (let i = 0; i < 60; i++) sheet.addRow(['张伟', id, '13900000001', mark + i]).commit();
    sheet.commit();
    await book.commit();
    const xlsx = Buffer.concat(chunks);

    const res = await upload('/api/imports/preview', xlsx, 'ledger.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.json().headers).toContain('身份证号');
    const holding = (d: string) =>
      fs
        .readdirSync(d, { withFileTypes: true })
        .filter((e) => e.isFile())
        .filter((e) => {
          try {
            return fs.readFileSync(path.join(d, e.name)).includes(String(mark));
          } catch {
            return false;
          }
        })
        .map((e) => e.name);
    expect(holding(os.tmpdir())).toEqual([]);
    expect(holding(path.join(t.ctx.spoolDir, 'xlsx'))).toEqual([]);
  });
});
