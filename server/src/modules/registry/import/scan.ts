// One pass over a ledger: every row converted, validated and placed, good rows handed on in
// batches. The dry run and the commit both use it, so they judge every row alike.
import type { AppContext } from '../../../platform/context.js';
import { AppError, type Messages } from '../../../platform/errors.js';
import { LEDGER_COLUMNS } from '../columns.js';
import { validateResident, type ResidentValues } from '../resident-input.js';
import type { PlaceResolver } from './places.js';
import { FirstRows } from './first-rows.js';
import { rowInput } from './row-input.js';
import { readLedger, type FileKind } from './rows.js';

export interface RowError {
  row: number;
  /** the column as its headers read, e.g. "身份证号 / ID number" */
  column: string;
  code: string;
  message: Messages;
}

export interface GoodRow {
  row: number;
  values: ResidentValues;
  placeKey: string;
  room: string;
  blind: Buffer;
}

export interface ScanSource {
  file: string;
  kind: FileKind;
  mapping?: Record<string, string | null>;
}

export interface ScanProgress {
  rowsRead: number;
  bytesRead: number;
}

const BATCH = 1000;

function columnLabel(field: string | undefined): string {
  const c = LEDGER_COLUMNS.find((c) => c.key === field);
  return c ? `${c.label['zh-CN']} / ${c.label['en-US']}` : (field ?? '');
}

/** A row's error as reported: the column by its header names, and messages that name it as the user knows it. */
export function rowError(row: number, e: AppError): RowError {
  const m = e.messages();
  const c = LEDGER_COLUMNS.find((c) => c.key === e.field);
  const message = c
    ? { 'zh-CN': m['zh-CN'].replace(`“${c.key}”`, `“${c.label['zh-CN']}”`), 'en-US': m['en-US'].replace(`"${c.key}"`, `"${c.label['en-US']}"`) }
    : m;
  return { row, column: columnLabel(e.field), code: e.code, message };
}

/**
 * Reads the whole file: rejects bad rows through onError and hands good ones to onBatch,
 * about a thousand at a time. The next batch is read while the previous one is with the
 * database (never two batches at once: the commit writes them on one connection).
 */
export async function scan(
  ctx: AppContext,
  source: ScanSource,
  resolver: PlaceResolver,
  progress: ScanProgress,
  onError: (e: RowError) => void,
  onBatch: (rows: GoodRow[]) => Promise<void>,
) {
  // First row of each ID number, for duplicates inside the file.
  const seen = new FirstRows();
  let batch: GoodRow[] = [];
  let inFlight: Promise<void> | undefined;
  const flush = async () => {
    await inFlight;
    inFlight = onBatch(batch);
    inFlight.catch(() => undefined); // surfaces at the next await, not as an unhandled rejection
    batch = [];
  };
  const today = new Date();
  try {
    for await (const { row, cells, fields } of readLedger(source.file, source.kind, ctx.config.importLimits, source.mapping, (b) => (progress.bytesRead = b))) {
      progress.rowsRead++;
      const converted = rowInput(cells, fields);
      if ('errors' in converted) {
        for (const e of converted.errors) onError(rowError(row, e));
        continue;
      }
      const checked = validateResident(converted.input, today);
      const rowErrors: AppError[] = 'errors' in checked ? [...checked.errors] : [];
      let placeKey: string | undefined;
      try {
        placeKey = resolver.resolve(converted.location, row);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        rowErrors.push(e);
      }
      if ('value' in checked && placeKey !== undefined && !rowErrors.length) {
        const blind = ctx.vault.blindIndex(checked.value.idType, checked.value.idNumber);
        const first = seen.firstOrRemember(blind, row);
        if (first !== undefined) rowErrors.push(new AppError('IMPORT_DUPLICATE_IN_FILE', { field: 'idNumber', params: { row: first } }));
        else batch.push({ row, values: checked.value, placeKey, room: converted.location.room, blind });
      }
      for (const e of rowErrors) onError(rowError(row, e));
      if (batch.length >= BATCH) await flush();
    }
    if (batch.length) await flush();
    await inFlight;
  } catch (err) {
    // Let a running batch finish before the caller rolls back: no query may outlive its transaction.
    await inFlight?.catch(() => undefined);
    throw err;
  }
}
