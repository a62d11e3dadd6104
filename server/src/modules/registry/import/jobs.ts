// Import jobs: a dry run that reports every rejected row, then an all-or-nothing commit.
// Jobs live in this process's memory (with their temp files) for an hour: progress must be
// readable while the commit's transaction is still open.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify';
import type { Queryable } from '../../../db/client.js';
import { audit } from '../../../platform/audit.js';
import type { Actor, AppContext } from '../../../platform/context.js';
import { AppError, type Messages } from '../../../platform/errors.js';
import { placeInScope, requirePermission, type PlaceRow } from '../../../platform/scope.js';
import { LEDGER_COLUMNS, type ResidentField } from '../columns.js';
import { RESIDENT_COLUMNS, residentRow, validateResident, type ResidentValues } from '../resident-input.js';
import { PlaceResolver } from './places.js';
import { rowInput, type Location } from './row-input.js';
import { columnFields, readRows, type Cell, type FileKind } from './rows.js';

export interface RowError {
  row: number;
  column: string;
  code: string;
  message: Messages;
}

export type JobStatus = 'validating' | 'validated' | 'committing' | 'committed' | 'failed';

export interface ImportJob {
  id: string;
  userId: number;
  status: JobStatus;
  fileName: string;
  progress: { phase: 'reading' | 'writing' | 'done'; rowsRead: number; bytesRead: number; totalBytes: number; rowsWritten: number };
  summary: { rows: number; valid: number; rejected: number; toCreate: number; toUpdate: number; unchanged: number; placesToCreate: number; created: number; updated: number; placesCreated: number };
  errors: RowError[];
  errorCount: number;
  failure?: { code: string; message: Messages };
  createdAt: string;
}

interface JobState {
  job: ImportJob;
  file: string;
  kind: FileKind;
  reportFile: string;
  community: PlaceRow;
  unknownPlaces: 'create' | 'reject';
  mapping?: Record<string, string | null>;
  committed?: Promise<void>;
}

const jobs = new Map<string, JobState>();
const KEEP_MS = 60 * 60 * 1000;
const BATCH = 1000;
const KEPT_ERRORS = 200;

function columnLabel(field: string | undefined): string {
  const c = LEDGER_COLUMNS.find((c) => c.key === field);
  return c ? `${c.zh} / ${c.en}` : (field ?? '');
}

function forget(id: string) {
  const s = jobs.get(id);
  if (!s) return;
  jobs.delete(id);
  for (const f of [s.file, s.reportFile]) fs.rm(f, { force: true }, () => undefined);
}

export function getJob(actor: Actor, id: string): JobState {
  const s = jobs.get(id);
  if (!s || s.job.userId !== actor.id) throw new AppError('IMPORT_NOT_FOUND', { params: { id } });
  return s;
}

export interface StartOptions {
  file: string; // a temp file the job now owns
  fileName: string;
  communityId: number;
  unknownPlaces: 'create' | 'reject';
  mapping?: Record<string, string | null>;
}

/** Starts the dry run in the background and returns the job at once. */
export async function startImport(ctx: AppContext, actor: Actor, kind: FileKind, o: StartOptions): Promise<ImportJob> {
  requirePermission(actor, 'registry.import');
  const community = await placeInScope(ctx.db, actor, o.communityId, 'communityId');
  if (!['district', 'street', 'community'].includes(community.kind)) {
    throw new AppError('PLACE_BAD_PARENT', { field: 'communityId', params: { kind: '居民 / residents', parentKind: community.kind } });
  }
  const id = crypto.randomUUID();
  const job: ImportJob = {
    id,
    userId: actor.id,
    status: 'validating',
    fileName: o.fileName,
    progress: { phase: 'reading', rowsRead: 0, bytesRead: 0, totalBytes: fs.statSync(o.file).size, rowsWritten: 0 },
    summary: { rows: 0, valid: 0, rejected: 0, toCreate: 0, toUpdate: 0, unchanged: 0, placesToCreate: 0, created: 0, updated: 0, placesCreated: 0 },
    errors: [],
    errorCount: 0,
    createdAt: new Date().toISOString(),
  };
  const state: JobState = {
    job,
    file: o.file,
    kind,
    reportFile: path.join(os.tmpdir(), `fangkong-import-${id}-report.csv`),
    community,
    unknownPlaces: o.unknownPlaces,
    mapping: o.mapping,
  };
  jobs.set(id, state);
  setTimeout(() => forget(id), KEEP_MS).unref();
  await validateHeaders(state);
  void dryRun(ctx, actor, state).catch((err) => fail(state, err));
  return job;
}

function fail(state: JobState, err: unknown) {
  const e = err instanceof AppError ? err : new AppError('INTERNAL');
  state.job.status = 'failed';
  state.job.failure = { code: e.code, message: e.messages() };
  if (!(err instanceof AppError)) console.error('import failed', err);
}

async function validateHeaders(state: JobState) {
  for await (const [, header] of readRows(state.file, state.kind)) {
    columnFields(header.map((h) => String(h ?? '')), state.mapping);
    return;
  }
  throw new AppError('IMPORT_MISSING_COLUMN', { field: 'file', params: { column: '姓名 / Name' } });
}

interface GoodRow {
  row: number;
  values: ResidentValues;
  placeKey: string;
  room: string;
  blind: Buffer;
}

/**
 * Reads the whole file in batches: validates rows, resolves places, and hands each batch of
 * good rows to `onBatch`. Used by both the dry run and the commit, so they judge rows alike.
 */
async function scan(ctx: AppContext, state: JobState, resolver: PlaceResolver, onError: (e: RowError) => void, onBatch: (rows: GoodRow[]) => Promise<void>) {
  let fields: (ResidentField | null)[] | null = null;
  // First row of each ID number, for duplicates inside the file. 16 bytes of the blind index
  // (128 bits) tell IDs apart and keep a million-row file's map small.
  const seen = new Map<string, number>();
  let batch: GoodRow[] = [];
  const p = state.job.progress;
  for await (const [row, cells] of readRows(state.file, state.kind, (b) => (p.bytesRead = b))) {
    if (!fields) {
      fields = columnFields(cells.map((h) => String(h ?? '')), state.mapping);
      continue;
    }
    p.rowsRead++;
    const converted = rowInput(cells as Cell[], fields);
    if ('errors' in converted) {
      for (const e of converted.errors) onError({ row, column: columnLabel(e.field), code: e.code, message: e.messages() });
      continue;
    }
    const checked = validateResident(converted.input);
    let placeKey: string | undefined;
    const rowErrors: AppError[] = 'errors' in checked ? [...checked.errors] : [];
    try {
      placeKey = resolver.resolve(converted.location as Location);
    } catch (e) {
      rowErrors.push(e as AppError);
    }
    if ('value' in checked && !rowErrors.length) {
      const blind = ctx.vault.blindIndex(checked.value.idType, checked.value.idNumber);
      const seenKey = blind.toString('latin1', 0, 16);
      const first = seen.get(seenKey);
      if (first !== undefined) rowErrors.push(new AppError('IMPORT_DUPLICATE_IN_FILE', { field: 'idNumber', params: { row: first } }));
      else {
        seen.set(seenKey, row);
        batch.push({ row, values: checked.value, placeKey: placeKey!, room: converted.location.room, blind });
      }
    }
    for (const e of rowErrors) onError({ row, column: columnLabel(e.field), code: e.code, message: e.messages() });
    if (batch.length >= BATCH) {
      await onBatch(batch);
      batch = [];
    }
  }
  if (batch.length) await onBatch(batch);
}

interface Existing {
  id_blind: Uint8Array;
  in_scope: boolean;
  same: boolean;
}

/** Which rows of a batch are new, changed or identical to what is stored; rows owned by another area are refused. */
async function classify(q: Queryable, actor: Actor, rows: GoodRow[], placePathOf: (key: string) => string | null) {
  const { rows: found } = await q.query<Existing & { place_path: string; room: string | null; name: string; sex: string | null; birth_date: string | null; phone: string | null; nationality: string; language: string; tenancy: string; elderly_alone: boolean; mobility_impaired: boolean; pregnant: boolean; due_date: string | null; chronic_illness: boolean; infant: boolean; archived: boolean }>(
    `SELECT r.id_blind, r.place_path LIKE $2 || '%' AS in_scope, r.place_path, h.room, r.name, r.sex, r.birth_date, r.phone, r.nationality,
            r.language, r.tenancy, r.elderly_alone, r.mobility_impaired, r.pregnant, r.due_date, r.chronic_illness, r.infant,
            r.archived_at IS NOT NULL AS archived
       FROM residents r LEFT JOIN households h ON h.id = r.household_id WHERE r.id_blind = ANY($1::bytea[])`,
    [rows.map((r) => r.blind), actor.scopePath],
  );
  const byBlind = new Map(found.map((f) => [Buffer.from(f.id_blind).toString('hex'), f]));
  return rows.map((r) => {
    const f = byBlind.get(r.blind.toString('hex'));
    if (!f) return 'create' as const;
    if (!f.in_scope) return 'foreign' as const;
    const v = r.values;
    const same =
      !f.archived && f.place_path === placePathOf(r.placeKey) && f.room === r.room && f.name === v.name && f.sex === v.sex &&
      f.birth_date === v.birthDate && f.phone === v.phone && f.nationality === v.nationality && f.language === v.language &&
      f.tenancy === v.tenancy && f.elderly_alone === v.elderlyAlone && f.mobility_impaired === v.mobilityImpaired &&
      f.pregnant === v.pregnant && f.due_date === v.dueDate && f.chronic_illness === v.chronicIllness && f.infant === v.infant;
    return same ? ('same' as const) : ('update' as const);
  });
}

async function dryRun(ctx: AppContext, actor: Actor, state: JobState) {
  const { job } = state;
  const resolver = await PlaceResolver.load(ctx.db, state.community, state.unknownPlaces === 'create');
  const report = stringify({ header: true, columns: ['row', 'column', 'code', 'zh-CN', 'en-US'] });
  const out = fs.createWriteStream(state.reportFile);
  out.write('\ufeff');
  report.pipe(out);
  const rejected = new Set<number>();
  await scan(
    ctx,
    state,
    resolver,
    (e) => {
      rejected.add(e.row);
      job.errorCount++;
      if (job.errors.length < KEPT_ERRORS) job.errors.push(e);
      report.write([e.row, e.column, e.code, e.message['zh-CN'], e.message['en-US']]);
    },
    async (rows) => {
      const kinds = await classify(ctx.db, actor, rows, (k) => resolver.pathOf(k));
      kinds.forEach((k, i) => {
        if (k === 'foreign') {
          const e = new AppError('RESIDENT_DUPLICATE_ID', { field: 'idNumber' });
          rejected.add(rows[i].row);
          job.errorCount++;
          const re = { row: rows[i].row, column: columnLabel('idNumber'), code: e.code, message: e.messages() };
          if (job.errors.length < KEPT_ERRORS) job.errors.push(re);
          report.write([re.row, re.column, re.code, re.message['zh-CN'], re.message['en-US']]);
        } else if (k === 'create') job.summary.toCreate++;
        else if (k === 'update') job.summary.toUpdate++;
        else job.summary.unchanged++;
      });
    },
  );
  report.end();
  await new Promise<void>((r) => out.on('finish', () => r()));
  job.errors.sort((a, b) => a.row - b.row);
  job.summary.rows = job.progress.rowsRead;
  job.summary.rejected = rejected.size;
  job.summary.valid = job.summary.rows - rejected.size;
  job.summary.placesToCreate = resolver.placesToCreate;
  job.progress.phase = 'done';
  job.status = 'validated';
}

/** Starts the commit; a second call returns the same job (idempotent). */
export function commitImport(ctx: AppContext, actor: Actor, id: string): ImportJob {
  requirePermission(actor, 'registry.import');
  const state = getJob(actor, id);
  const { job } = state;
  if (job.status === 'committing' || job.status === 'committed') return job;
  if (job.status !== 'validated') throw new AppError('IMPORT_NOT_READY', { params: { status: job.status } });
  if (job.errorCount > 0) throw new AppError('IMPORT_HAS_ERRORS', { params: { count: job.summary.rejected } });
  job.status = 'committing';
  job.progress = { ...job.progress, phase: 'writing', rowsRead: 0, bytesRead: 0, rowsWritten: 0 };
  state.committed = commit(ctx, actor, state).catch((err) => fail(state, err));
  return job;
}

/** Waits for a running commit (tests, the benchmark). */
export async function settled(actor: Actor, id: string): Promise<ImportJob> {
  const state = getJob(actor, id);
  while (state.job.status === 'validating') await new Promise((r) => setTimeout(r, 20));
  await state.committed;
  return state.job;
}

const UPSERT_SET = RESIDENT_COLUMNS.filter((c) => c !== 'id_blind').map((c) => `${c} = EXCLUDED.${c}`).join(', ');
const COMPARED = RESIDENT_COLUMNS.filter((c) => !['id_cipher', 'id_blind'].includes(c));

async function commit(ctx: AppContext, actor: Actor, state: JobState) {
  const { job } = state;
  await ctx.db.tx(async (q) => {
    const resolver = await PlaceResolver.load(q, state.community, state.unknownPlaces === 'create');
    const placeCache = new Map<string, { id: number; path: string }>();
    let late = 0;
    await scan(
      ctx,
      state,
      resolver,
      () => late++,
      async (rows) => {
        // Places (created on first use), then households, then residents.
        for (const r of rows) {
          if (!placeCache.has(r.placeKey)) {
            const p = await resolver.placeOf(q, r.placeKey);
            job.summary.placesCreated += p.created;
            placeCache.set(r.placeKey, p);
          }
        }
        const pairs = [...new Map(rows.map((r) => [`${placeCache.get(r.placeKey)!.id}|${r.room}`, r])).values()];
        await q.query(
          `INSERT INTO households (place_id, place_path, room) SELECT * FROM unnest($1::int[], $2::text[], $3::text[]) ON CONFLICT (place_id, room) DO NOTHING`,
          [pairs.map((r) => placeCache.get(r.placeKey)!.id), pairs.map((r) => placeCache.get(r.placeKey)!.path), pairs.map((r) => r.room)],
        );
        const { rows: hh } = await q.query<{ id: number; place_id: number; room: string }>(
          `SELECT h.id, h.place_id, h.room FROM households h JOIN unnest($1::int[], $2::text[]) AS k(place_id, room) ON h.place_id = k.place_id AND h.room = k.room`,
          [pairs.map((r) => placeCache.get(r.placeKey)!.id), pairs.map((r) => r.room)],
        );
        const householdOf = new Map(hh.map((h) => [`${h.place_id}|${h.room}`, h.id]));
        const values: unknown[] = [];
        const tuples: string[] = [];
        for (const r of rows) {
          const place = placeCache.get(r.placeKey)!;
          const row = residentRow(ctx.vault, r.values, householdOf.get(`${place.id}|${r.room}`)!, place.path);
          tuples.push(`(${row.map((_, i) => `$${values.length + i + 1}`).join(',')})`);
          values.push(...row);
        }
        // Unchanged rows are left alone (updated_at stays); a resident of another area is never overwritten.
        const { rows: written } = await q.query<{ inserted: boolean }>(
          `INSERT INTO residents (${RESIDENT_COLUMNS.join(', ')}) VALUES ${tuples.join(',')}
           ON CONFLICT (id_blind) DO UPDATE SET ${UPSERT_SET}, archived_at = NULL, updated_at = now()
           WHERE residents.place_path LIKE $${values.length + 1} || '%'
             AND ((${COMPARED.map((c) => `residents.${c}`).join(', ')}, residents.archived_at IS NULL)
                  IS DISTINCT FROM (${COMPARED.map((c) => `EXCLUDED.${c}`).join(', ')}, true))
           RETURNING (xmax = 0) AS inserted`,
          [...values, actor.scopePath],
        );
        for (const w of written) {
          if (w.inserted) job.summary.created++;
          else job.summary.updated++;
        }
        job.progress.rowsWritten += rows.length;
      },
    );
    // The file was judged clean in the dry run; if the registry changed since, nothing is written.
    if (late > 0) throw new AppError('IMPORT_HAS_ERRORS', { params: { count: late } });
    job.summary.unchanged = job.progress.rowsWritten - job.summary.created - job.summary.updated;
    await audit(q, actor, {
      action: 'import.commit',
      entity: 'place',
      entityId: state.community.id,
      placePath: state.community.path,
      detail: { fileName: job.fileName, rows: job.summary.rows, created: job.summary.created, updated: job.summary.updated, unchanged: job.summary.unchanged, placesCreated: job.summary.placesCreated },
    });
  });
  job.progress.phase = 'done';
  job.status = 'committed';
}

export function reportFile(actor: Actor, id: string): string {
  const s = getJob(actor, id);
  if (s.job.status === 'validating') throw new AppError('IMPORT_NOT_READY', { params: { status: s.job.status } });
  return s.reportFile;
}
