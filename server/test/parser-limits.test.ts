// Hostile spreadsheets: small on disk, huge when read. Each is built here, refused with a 4xx
// in the one error shape, and the server answers the next request. Limits are lowered on the
// running app where a real-size file would need hundreds of megabytes in CI.
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useDistrictApp } from './fixtures.js';
import type { Client, TestApp } from './helpers.js';

const env = useDistrictApp();
let t: TestApp;
let admin: Client;
let communityId: string;
let defaults: TestApp['ctx']['config']['importLimits'];
beforeAll(() => {
  ({ t, admin } = env);
  communityId = String(env.d.community);
  defaults = { ...t.ctx.config.importLimits };
});
afterEach(() => Object.assign(t.ctx.config.importLimits, defaults));

async function upload(url: string, fields: Record<string, string>, name: string, data: Buffer | string) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([typeof data === 'string' ? data : new Uint8Array(data)]), name);
  const res = new Response(form);
  const body = Buffer.from(await res.arrayBuffer());
  return admin.inject({ method: 'POST', url, payload: body, headers: { 'content-type': res.headers.get('content-type')! } });
}

/** The server still answers: the hostile upload neither killed nor wedged it. */
async function stillUp() {
  const res = await admin.get('/api/auth/me');
  expect(res.statusCode).toBe(200);
}

interface Part {
  name: string;
  /** the bytes as stored (deflated) */
  data: Buffer;
  size: number;
  crc: number;
}

/** Deflates `total` bytes made by `chunk` a megabyte at a time: the expanded part never sits in memory. */
async function deflatedPart(name: string, head: string, body: (i: number) => string, chunks: number, tail: string): Promise<Part> {
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (b: Buffer) => out.push(b));
  let size = 0;
  let crc = 0;
  const write = (s: string) =>
    new Promise<void>((resolve) => {
      const b = Buffer.from(s);
      size += b.length;
      crc = zlib.crc32(b, crc);
      if (deflate.write(b)) resolve();
      else deflate.once('drain', resolve);
    });
  await write(head);
  for (let i = 0; i < chunks; i++) await write(body(i));
  await write(tail);
  await new Promise<void>((resolve) => deflate.end(resolve));
  return { name, data: Buffer.concat(out), size, crc };
}

/** A zip by hand, so a part can claim any size it likes in its headers. */
function zip(parts: Part[], claim?: (p: Part) => number): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const size = claim ? claim(p) : p.size;
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(8, 8); // deflate
    h.writeUInt32LE(p.crc >>> 0, 14);
    h.writeUInt32LE(p.data.length, 18);
    h.writeUInt32LE(size, 22);
    h.writeUInt16LE(name.length, 26);
    local.push(h, name, p.data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(p.crc >>> 0, 16);
    c.writeUInt32LE(p.data.length, 20);
    c.writeUInt32LE(size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + p.data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, dir, end]);
}

const small = (name: string, text: string) => deflatedPart(name, text, () => '', 0, '');

/** A workbook whose one sheet reads its two cells from the shared strings, and those shared strings. */
async function workbook(sharedStrings: Part, claim?: (p: Part) => number): Promise<Buffer> {
  const parts = await Promise.all([
    small(
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    ),
    small(
      '_rels/.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    small(
      'xl/workbook.xml',
      '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    small(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    ),
  ]);
  const sheet = await small(
    'xl/worksheets/sheet1.xml',
    '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>0</v></c></row></sheetData></worksheet>',
  );
  return zip([...parts, sharedStrings, sheet], claim);
}

const SST = '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">';
const MB = 1024 * 1024;

describe('spreadsheet limits', () => {
  it('refuses an XLSX whose shared strings expand to one 300 MB string, before exceljs reads it', async () => {
    const part = await deflatedPart('xl/sharedStrings.xml', `${SST}<si><t>`, () => 'A'.repeat(MB), 300, '</t></si></sst>');
    const file = await workbook(part);
    expect(file.length).toBeLessThan(400 * 1024); // about 300 KB on disk
    for (const url of ['/api/imports/preview', '/api/imports', '/api/results/import']) {
      const res = await upload(url, { communityId }, 'bomb.xlsx', file);
      expect(res.statusCode, `${url} ${res.body}`).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'IMPORT_CELL_TOO_LONG_IN', status: 422, field: 'file' });
      expect(res.json().error.messages['en-US']).toContain('xl/sharedStrings.xml');
      expect(res.json().error.messages['zh-CN']).toContain('32767');
      await stillUp();
    }
  });

  it('does not believe the sizes a zip declares: a part that claims 1 KB is measured as it inflates', async () => {
    t.ctx.config.importLimits.maxSharedStringsBytes = 4 * MB;
    // Many short strings: no long run, only a shared-strings part far larger than exceljs may cache.
    const part = await deflatedPart('xl/sharedStrings.xml', SST, () => '<si><t>x</t></si>'.repeat(MB / 17), 40, '</sst>');
    const file = await workbook(part, () => 1024);
    const res = await upload('/api/imports', { communityId }, 'lying.xlsx', file);
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'IMPORT_TOO_LARGE', status: 413, field: 'file' });
    expect(res.json().error.messages['en-US']).toContain('xl/sharedStrings.xml');
    await stillUp();
  });

  it('refuses a zip with a part hidden from its central directory', async () => {
    const good = await workbook(await small('xl/sharedStrings.xml', `${SST}<si><t>姓名</t></si></sst>`));
    const hidden = await small('xl/sharedStrings.xml', `${SST}<si><t>hidden</t></si></sst>`);
    // A local entry in front that no central-directory record points at: a sequential reader meets it first.
    const name = Buffer.from(hidden.name);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(8, 8);
    h.writeUInt32LE(hidden.data.length, 18);
    h.writeUInt32LE(hidden.size, 22);
    h.writeUInt16LE(name.length, 26);
    const prefix = Buffer.concat([h, name, hidden.data]);
    // Shift the central directory's offsets so the file is still a readable zip.
    const file = Buffer.concat([prefix, good]);
    const endAt = file.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const cdAt = file.readUInt32LE(endAt + 16) + prefix.length;
    file.writeUInt32LE(cdAt, endAt + 16);
    for (let p = cdAt; p < endAt;) {
      file.writeUInt32LE(file.readUInt32LE(p + 42) + prefix.length, p + 42);
      p += 46 + file.readUInt16LE(p + 28) + file.readUInt16LE(p + 30) + file.readUInt16LE(p + 32);
    }
    const res = await upload('/api/imports', { communityId }, 'hidden.xlsx', file);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('IMPORT_DAMAGED');
    await stillUp();
  });

  it('refuses a one-line CSV longer than a row may be, naming the row', async () => {
    // 3 MB of one line against the default 1 MB (the was 150 MB: the limit is what matters).
    const csv = '姓名,身份证号,' + 'x,'.repeat(1.5 * MB);
    const res = await upload('/api/imports', { communityId }, 'line.csv', csv);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'IMPORT_ROW_TOO_LONG', status: 422, field: 'file' });
    expect(res.json().error.messages['en-US']).toContain('Row 1');
    const lab = await upload('/api/results/import', {}, 'line.csv', 'tube,result\n' + 'x'.repeat(2 * MB));
    expect(lab.statusCode, lab.body).toBe(422);
    expect(lab.json().error.messages['zh-CN']).toContain('第 2 行');
    await stillUp();
  });

  it('refuses a cell longer than Excel allows, naming its row and column', async () => {
    const csv = '姓名,身份证号,手机号\n张三,110101199003077777,' + '1'.repeat(40_000) + '\n';
    const res = await upload('/api/imports/preview', {}, 'cell.csv', csv);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'IMPORT_CELL_TOO_LONG', status: 422, field: 'file' });
    expect(res.json().error.messages['en-US']).toBe('Row 2, column C is longer than 32767 characters');

    const book = new ExcelJS.Workbook();
    book.addWorksheet('s').addRows([
      ['tube', 'result'],
      ['P-1', 'n'.repeat(40_000)],
    ]);
    const xlsx = Buffer.from(await book.xlsx.writeBuffer());
    const lab = await upload('/api/results/import', {}, 'cell.xlsx', xlsx);
    expect(lab.statusCode, lab.body).toBe(422);
    expect(lab.json().error.messages['en-US']).toBe('Row 2, column B is longer than 32767 characters');
    await stillUp();
  });

  it('bounds rows and columns (limits from the configuration)', async () => {
    Object.assign(t.ctx.config.importLimits, { maxRows: 100, maxColumns: 20 });
    const wide = await upload('/api/imports/preview', {}, 'wide.csv', Array.from({ length: 21 }, (_, i) => `c${i}`).join(',') + '\n');
    expect(wide.statusCode, wide.body).toBe(422);
    expect(wide.json().error).toMatchObject({ code: 'IMPORT_TOO_MANY_COLUMNS' });
    expect(wide.json().error.messages['en-US']).toBe('Row 1 has 21 columns; at most 20 are allowed');
    const long = await upload('/api/results/import', {}, 'long.csv', 'tube,result\n' + 'P-1,阴性\n'.repeat(200));
    expect(long.statusCode, long.body).toBe(413);
    expect(long.json().error).toMatchObject({ code: 'IMPORT_TOO_MANY_ROWS', status: 413 });
    expect(long.json().error.messages['en-US']).toContain('row 101');
    await stillUp();
  });

  it('still reads an ordinary workbook', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('s').addRows([
      ['姓名', '身份证号', '手机号'],
      ['张三', '110101199003077777', '13800000000'],
    ]);
    const res = await upload('/api/imports/preview', {}, 'ok.xlsx', Buffer.from(await book.xlsx.writeBuffer()));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().headers).toEqual(['姓名', '身份证号', '手机号']);
  });
});
