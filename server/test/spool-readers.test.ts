// The spreadsheet library's spool files belong to the reader that made them: readers stopping
// early and readers reading to the end, at the same time, never delete each other's files
// (a deleted file is an 'error' on a stream nobody listens to, which kills the process).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { readRows } from '../src/modules/registry/index.js';
import { prepareSpool } from '../src/platform/spool.js';

let dataDir: string;
let spool: string;
let file: string;
const limits = loadConfig({}).importLimits;

/** A streamed workbook with shared strings: its sheet comes before the strings, so a reader spools it. */
async function spoolingWorkbook(rows: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const out = new Writable({ write: (c, _e, cb) => (chunks.push(Buffer.from(c)), cb()) });
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true });
  const sheet = book.addWorksheet('台账');
  sheet.addRow(['姓名', '编号']).commit();
  for (let i = 0; i < rows; i++) sheet.addRow([`居民${i}`, `编号${i}`]).commit();
  sheet.commit();
  await book.commit();
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangkong-spool-'));
  spool = prepareSpool(dataDir);
  file = path.join(spool, 'ledger.xlsx');
  fs.writeFileSync(file, await spoolingWorkbook(3000));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function readAll(): Promise<number> {
  let n = 0;
  for await (const _ of readRows(file, 'xlsx', limits)) n++;
  return n;
}
async function readFirst(): Promise<number> {
  for await (const [row] of readRows(file, 'xlsx', limits)) return row;
  return 0;
}

describe('spreadsheet spool files', () => {
  it('readers that stop early and readers that read to the end, at once, each keep their own file', async () => {
    const unhandled: unknown[] = [];
    const onError = (err: unknown) => unhandled.push(err);
    process.on('uncaughtException', onError);
    try {
      for (let round = 0; round < 5; round++) {
        // staggered starts, so early readers close while full readers are between spooling and reading
        const work = Array.from({ length: 8 }, (_, i) =>
          new Promise((r) => setTimeout(r, i * 3)).then(() => (i % 2 ? readFirst() : readAll())),
        );
        const counts = await Promise.all(work);
        expect(counts.filter((_, i) => i % 2 === 0)).toEqual([3001, 3001, 3001, 3001]);
        expect(counts.filter((_, i) => i % 2 === 1)).toEqual([1, 1, 1, 1]);
      }
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(unhandled).toEqual([]);
    // and every reader's files are gone when it has closed
    expect(fs.readdirSync(path.join(spool, 'xlsx'))).toEqual([]);
  });
});
