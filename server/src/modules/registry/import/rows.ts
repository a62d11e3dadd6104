// Reads a ledger file (CSV or XLSX) as a stream of rows, so a 100,000-row file never sits
// in memory, and maps its headers to resident fields.
import fs from 'node:fs';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { ImportLimits } from '../../../config.js';
import { AppError, fieldInvalid } from '../../../platform/errors.js';
import { ownedSpreadsheetReader } from '../../../platform/spool.js';
import { LEDGER_COLUMNS, type ResidentField } from '../columns.js';
import { checkXlsx } from './zip-check.js';

export type FileKind = 'csv' | 'xlsx';

export function fileKind(fileName: string): FileKind {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  throw new AppError('IMPORT_FILE_TYPE', { field: 'file' });
}

// TODO(errors.ts): IMPORT_ENCODING / IMPORT_FILE_CONTENT codes; until then FIELD_INVALID on "file".
function fileError(zh: string, en: string): AppError {
  return fieldInvalid('file', { 'zh-CN': zh, 'en-US': en });
}

export function encodingError(encoding: string): AppError {
  return fileError(
    `文件编码为 ${encoding}，不是 UTF-8；请在 Excel 中“另存为”→“CSV UTF-8（逗号分隔）”，或上传 XLSX`,
    `the file is encoded in ${encoding}, not UTF-8; in Excel use "Save As" → "CSV UTF-8 (Comma delimited)", or upload the XLSX`,
  );
}

const SNIFF_BYTES = 64 * 1024;

/**
 * Checks that the bytes are what the name says: an XLSX is a zip, a CSV is UTF-8 text.
 * Chinese Excel saves "CSV" as GBK by default; parsing that as UTF-8 would turn every name
 * into mojibake and every header into "missing column", so it is refused with its name.
 */
export async function checkFile(file: string, kind: FileKind, limits: ImportLimits): Promise<void> {
  const fd = await fs.promises.open(file, 'r');
  let head: Buffer;
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fd.read(buf, 0, SNIFF_BYTES, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await fd.close();
  }
  const zip = head.length >= 4 && head.readUInt32BE(0) === 0x504b0304;
  const ole = head.length >= 4 && head.readUInt32BE(0) === 0xd0cf11e0; // .xls (Excel 97–2003)
  if (ole) throw fileError('这是旧版 Excel（.xls）文件；请另存为 .xlsx 或 CSV UTF-8', 'this is an old Excel (.xls) workbook; save it as .xlsx or CSV UTF-8');
  if (kind === 'xlsx') {
    if (!zip) throw fileError('文件不是有效的 XLSX 工作簿', 'the file is not a valid XLSX workbook');
    await checkXlsx(file, limits); // what it expands to, before exceljs inflates any of it
    return;
  }
  if (zip) throw fileError('文件内容是 XLSX 工作簿，但扩展名是 .csv；请改名为 .xlsx', 'the file is an XLSX workbook named .csv; rename it to .xlsx');
  if (head[0] === 0xff && head[1] === 0xfe) throw encodingError('UTF-16 LE');
  if (head[0] === 0xfe && head[1] === 0xff) throw encodingError('UTF-16 BE');
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true }); // stream: a cut-off last character is fine
  } catch {
    let gbk = false;
    try {
      new TextDecoder('gb18030', { fatal: true }).decode(head, { stream: true });
      gbk = true;
    } catch {
      // neither
    }
    throw encodingError(gbk ? 'GBK / GB18030' : '未知 / unknown');
  }
}

/** A raw cell: XLSX may hand us numbers and dates. */
export type Cell = string | number | Date | null;

/** A column as Excel names it: 1 → A, 27 → AA. */
export function columnName(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Refuses a row that passes the limits: too far down, too wide, or a cell too long. */
function checkRow(row: number, cells: Cell[], limits: ImportLimits) {
  if (row > limits.maxRows) throw new AppError('IMPORT_TOO_MANY_ROWS', { field: 'file', params: { row, limit: limits.maxRows } });
  if (cells.length > limits.maxColumns) {
    throw new AppError('IMPORT_TOO_MANY_COLUMNS', { field: 'file', params: { row, count: cells.length, limit: limits.maxColumns } });
  }
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (typeof c === 'string' && c.length > limits.maxCellChars) {
      throw new AppError('IMPORT_CELL_TOO_LONG', { field: 'file', params: { row, column: columnName(i + 1), limit: limits.maxCellChars } });
    }
  }
}

/**
 * Yields [rowNumber, cells]; rowNumber is the spreadsheet row (header = 1). Blank rows are skipped.
 * An XLSX must have passed checkFile (what it expands to); rows, columns, cells and CSV records
 * are bounded here, as they are read.
 */
export async function* readRows(file: string, kind: FileKind, limits: ImportLimits, onBytes?: (bytes: number) => void): AsyncGenerator<[number, Cell[]]> {
  const input = fs.createReadStream(file);
  let bytes = 0;
  input.on('data', (chunk) => {
    bytes += chunk.length;
    onBytes?.(bytes);
  });
  let closeSpool: (() => void) | undefined;
  try {
    if (kind === 'csv') {
      // Empty lines are counted, not skipped by the parser: row numbers must match what Excel shows.
      // relax_quotes: a stray quote inside an unquoted cell (5"号楼) is text, not an error.
      // max_record_size: a record (a line, or a quoted cell running on) is bounded while it is read.
      const parser = input.pipe(parse({ bom: true, relax_column_count: true, relax_quotes: true, trim: true, max_record_size: limits.maxRowBytes }));
      let n = 0;
      for await (const record of parser as AsyncIterable<string[]>) {
        n++;
        checkRow(n, record, limits);
        if (record.every((c) => c === '')) continue;
        yield [n, record];
      }
      return;
    }
    const reader = ownedSpreadsheetReader(new ExcelJS.stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore' }));
    closeSpool = reader.close;
    for await (const sheet of reader.sheets) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        // row.values is sparse and 1-based; Array.from fills the holes.
        const values = Array.from(row.values as unknown[], (v) => cellValue(v)).slice(1);
        checkRow(row.number, values, limits);
        if (values.every((v) => v === null || v === '')) continue;
        yield [row.number, values];
      }
      break; // the first worksheet is the ledger
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const csv = err as { code?: string; lines?: number };
    if (csv.code === 'CSV_MAX_RECORD_SIZE') throw new AppError('IMPORT_ROW_TOO_LONG', { field: 'file', params: { row: csv.lines ?? 0, limit: limits.maxRowBytes } });
    // A broken file (an unclosed quote, a damaged workbook) fails the job with the parser's reason.
    const line = (err as { lines?: number }).lines;
    const reason = err instanceof Error ? err.message : String(err);
    throw fileError(
      `文件无法解析${line ? `（第 ${line} 行附近）` : ''}：${reason}`,
      `the file cannot be parsed${line ? ` (near line ${line})` : ''}: ${reason}`,
    );
  } finally {
    input.destroy(); // also when the caller stops early (preview, header check)
    closeSpool?.(); // and the library's spool files with it (platform/spool.ts)
  }
}

const headerText = (c: Cell | undefined) => (c === null || c === undefined ? '' : c instanceof Date ? c.toISOString().slice(0, 10) : String(c).trim());

/** How many rows may precede the header: ledgers often open with a title such as “XX社区居民台账”. */
const PREAMBLE_ROWS = 10;

export interface LedgerRow {
  row: number;
  cells: Cell[];
  fields: (ResidentField | null)[];
}

/**
 * The data rows of a ledger, with the column → field map of its header row: the first row
 * (of the first ten) that has every required column. Throws IMPORT_MISSING_COLUMN otherwise.
 */
export async function* readLedger(
  file: string,
  kind: FileKind,
  limits: ImportLimits,
  mapping?: Record<string, string | null>,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<LedgerRow> {
  let fields: (ResidentField | null)[] | null = null;
  let first: string[] | undefined;
  let before = 0;
  for await (const [row, cells] of readRows(file, kind, limits, onBytes)) {
    if (fields) {
      yield { row, cells, fields };
      continue;
    }
    const headers = cells.map(headerText);
    first ??= headers;
    try {
      fields = columnFields(headers, mapping);
    } catch {
      if (++before >= PREAMBLE_ROWS) break;
    }
  }
  if (!fields) columnFields(first ?? [], mapping); // throws, naming the first missing column
}

/** The header row (found as in readLedger, by at least two known headers) and a few rows after it, as text. */
export async function previewRows(file: string, kind: FileKind, limits: ImportLimits, sample = 5): Promise<{ headers: string[]; rows: string[][] }> {
  const seen: string[][] = [];
  let headerAt = -1;
  for await (const [, cells] of readRows(file, kind, limits)) {
    const texts = cells.map(headerText);
    seen.push(texts);
    if (headerAt < 0 && seen.length <= PREAMBLE_ROWS && Object.values(suggestMapping(texts)).filter(Boolean).length >= 2) headerAt = seen.length - 1;
    if (seen.length >= (headerAt < 0 ? PREAMBLE_ROWS : headerAt + 1) + sample) break;
  }
  if (headerAt < 0) headerAt = 0; // unknown headers: the first row, for the user to map
  return { headers: seen[headerAt] ?? [], rows: seen.slice(headerAt + 1, headerAt + 1 + sample) };
}

function cellValue(v: unknown): Cell {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || v instanceof Date) return typeof v === 'string' ? v.trim() : v;
  if (typeof v === 'boolean') return v ? '是' : '否';
  const o = v as { text?: string; result?: unknown; richText?: { text: string }[] };
  if (o.richText) return o.richText.map((t) => t.text).join('').trim();
  if (o.text !== undefined) return String(o.text).trim();
  if (o.result !== undefined) return cellValue(o.result);
  return String(v);
}

// Header spellings compare without spaces, brackets, required-marks or case: “身份证号（必填）”, “ID Number*”.
const normalise = (h: string) => h.replace(/[\s（）()【】[\]*＊：:]/g, '').toLowerCase();
const withoutNote = (h: string) => h.replace(/[（(【[].*?[）)】\]]/g, '');

const KNOWN = new Map<string, ResidentField>();
for (const c of LEDGER_COLUMNS) for (const h of [c.label['zh-CN'], c.label['en-US'], c.key, ...(c.aliases ?? [])]) KNOWN.set(normalise(h), c.key);

/** header text → field, from the ledger's known spellings. */
export function suggestMapping(headers: string[]): Record<string, ResidentField | null> {
  return Object.fromEntries(headers.map((h) => [h, KNOWN.get(normalise(h)) ?? KNOWN.get(normalise(withoutNote(h))) ?? null]));
}

const FIELDS = new Set<string>(LEDGER_COLUMNS.map((c) => c.key));

/** Checks a caller's mapping ({ header: field | null }): known fields, each used once. */
export function checkMapping(mapping: unknown): Record<string, ResidentField | null> {
  const bad = (zh: string, en: string) => fieldInvalid('mapping', { 'zh-CN': zh, 'en-US': en });
  if (!mapping || typeof mapping !== 'object' || Array.isArray(mapping)) throw bad('应为 JSON 对象 { 列名: 字段 }', 'must be a JSON object { header: field }');
  const used = new Set<string>();
  for (const [header, field] of Object.entries(mapping)) {
    if (field === null || field === '') continue;
    if (typeof field !== 'string' || !FIELDS.has(field)) throw bad(`列“${header}”对应的字段“${String(field)}”不存在`, `column "${header}" maps to an unknown field "${String(field)}"`);
    if (used.has(field)) throw bad(`字段“${field}”对应了多列`, `field "${field}" is mapped from more than one column`);
    used.add(field);
  }
  return mapping as Record<string, ResidentField | null>;
}

/** Column index → field, from an explicit mapping or the suggestion; fails on a missing required column. */
export function columnFields(headers: string[], mapping?: Record<string, string | null>): (ResidentField | null)[] {
  const map = mapping ?? suggestMapping(headers);
  const taken = new Set<string>();
  const fields = headers.map((h) => {
    // A header repeated in the file maps once (the first column), not twice.
    const f = (map[h] || null) as ResidentField | null;
    if (!f || taken.has(f)) return null;
    taken.add(f);
    return f;
  });
  for (const c of LEDGER_COLUMNS.filter((c) => c.required)) {
    if (!fields.includes(c.key)) throw new AppError('IMPORT_MISSING_COLUMN', { field: 'file', params: { column: `${c.label['zh-CN']} / ${c.label['en-US']}` } });
  }
  return fields;
}
