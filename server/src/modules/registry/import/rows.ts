// Reads a ledger file (CSV or XLSX) as a stream of rows, so a 100,000-row file never sits
// in memory, and maps its headers to resident fields.
import fs from 'node:fs';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { AppError } from '../../../platform/errors.js';
import { LEDGER_COLUMNS, type ResidentField } from '../columns.js';

export type FileKind = 'csv' | 'xlsx';

export function fileKind(fileName: string): FileKind {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  throw new AppError('IMPORT_FILE_TYPE', { field: 'file' });
}

/** A raw cell: XLSX may hand us numbers and dates. */
export type Cell = string | number | Date | null;

/** Yields [rowNumber, cells]; rowNumber is the spreadsheet row (header = 1). */
export async function* readRows(file: string, kind: FileKind, onBytes?: (bytes: number) => void): AsyncGenerator<[number, Cell[]]> {
  if (kind === 'csv') {
    const input = fs.createReadStream(file);
    let bytes = 0;
    input.on('data', (chunk) => {
      bytes += chunk.length;
      onBytes?.(bytes);
    });
    const parser = input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }));
    let n = 0;
    for await (const record of parser as AsyncIterable<string[]>) yield [++n, record];
    return;
  }
  const input = fs.createReadStream(file);
  let bytes = 0;
  input.on('data', (chunk) => {
    bytes += chunk.length;
    onBytes?.(bytes);
  });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore' });
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = (row.values as unknown[]).slice(1).map(cellValue);
      if (values.every((v) => v === null || v === '')) continue;
      yield [row.number, values];
    }
    break; // the first worksheet is the ledger
  }
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

const normalise = (h: string) => h.replace(/[\s（）()【】[\]*：:]/g, '').toLowerCase();

const KNOWN = new Map<string, ResidentField>();
for (const c of LEDGER_COLUMNS) for (const h of [c.zh, c.en, c.key, ...(c.aliases ?? [])]) KNOWN.set(normalise(h), c.key);

/** header text → field, from the ledger's known spellings. */
export function suggestMapping(headers: string[]): Record<string, ResidentField | null> {
  return Object.fromEntries(headers.map((h) => [h, KNOWN.get(normalise(h)) ?? null]));
}

/** Column index → field, from an explicit mapping or the suggestion; fails on a missing required column. */
export function columnFields(headers: string[], mapping?: Record<string, string | null>): (ResidentField | null)[] {
  const map = mapping ?? suggestMapping(headers);
  const fields = headers.map((h) => (map[h] ?? null) as ResidentField | null);
  for (const c of LEDGER_COLUMNS.filter((c) => c.required)) {
    if (!fields.includes(c.key)) throw new AppError('IMPORT_MISSING_COLUMN', { field: 'file', params: { column: `${c.zh} / ${c.en}` } });
  }
  return fields;
}
