// Import jobs: a dry run that reports every rejected row, then an all-or-nothing commit.
// Jobs live in this process's memory (with their temp files) for an hour: progress must be
// readable while the commit's transaction is still open (PGlite has a single connection),
// so none of it is kept in the database.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Actor, AppContext } from '../../../platform/context.js';
import { AppError, type Messages } from '../../../platform/errors.js';
import { placeInScope, requirePermission, type PlaceRow } from '../../../platform/scope.js';
import { commit } from './commit.js';
import { dryRun } from './dry-run.js';
import { readLedger, type FileKind } from './rows.js';
import type { RowError } from './scan.js';
import type { PlannedPlace } from './places.js';

export type { RowError } from './scan.js';

export type JobStatus = 'validating' | 'validated' | 'committing' | 'committed' | 'failed';

export interface ImportJob {
  id: string;
  userId: number;
  status: JobStatus;
  fileName: string;
  progress: { phase: 'reading' | 'writing' | 'done'; rowsRead: number; bytesRead: number; totalBytes: number; rowsWritten: number };
  summary: {
    rows: number;
    valid: number;
    rejected: number;
    toCreate: number;
    toUpdate: number;
    unchanged: number;
    placesToCreate: number;
    created: number;
    updated: number;
    placesCreated: number;
  };
  /** the places the commit will create, parents first, each with the rows that name it (the first 200 places) */
  placesToCreate: PlannedPlace[];
  errors: RowError[];
  errorCount: number;
  failure?: { code: string; message: Messages };
  createdAt: string;
}

export interface JobState {
  job: ImportJob;
  ctx: AppContext;
  file: string;
  keepFile: boolean;
  kind: FileKind;
  reportFile: string;
  /** the place imported into: a community, or a street or district for files with 街道/社区 columns */
  community: PlaceRow;
  unknownPlaces: 'create' | 'reject';
  mapping?: Record<string, string | null>;
  running?: Promise<void>;
}

const jobs = new Map<string, JobState>();
const KEEP_MS = 60 * 60 * 1000;

/** The upload is needed only until the commit (or until it is clear there will be none). */
function dropUpload(s: JobState) {
  if (!s.keepFile) fs.rm(s.file, { force: true }, () => undefined);
}

function forget(id: string) {
  const s = jobs.get(id);
  if (!s) return;
  jobs.delete(id);
  dropUpload(s);
  fs.rm(s.reportFile, { force: true }, () => undefined);
}

/** Drops the jobs (and temp files) of an application that is closing. */
export function forgetJobs(ctx: AppContext) {
  for (const [id, s] of jobs) if (s.ctx === ctx) forget(id);
}

/** A job of this user (another user's job is "not found"). */
export function getJob(actor: Actor, id: string): JobState {
  const s = jobs.get(id);
  if (!s || s.job.userId !== actor.id) throw new AppError('IMPORT_NOT_FOUND', { params: { id } });
  return s;
}

export interface StartOptions {
  file: string; // a temp file the job now owns (unless keepFile)
  fileName: string;
  communityId: number;
  unknownPlaces: 'create' | 'reject';
  mapping?: Record<string, string | null>;
  /** The caller keeps the file (a script importing from disk); otherwise the job deletes it. */
  keepFile?: boolean;
}

/** Checks the place and the header row, then starts the dry run in the background and returns the job at once. */
export async function startImport(ctx: AppContext, actor: Actor, kind: FileKind, o: StartOptions): Promise<ImportJob> {
  requirePermission(actor, 'registry.import');
  const community = await placeInScope(ctx.db, actor, o.communityId, 'communityId');
  if (!['district', 'street', 'community'].includes(community.kind)) {
    throw new AppError('PLACE_BAD_PARENT', { field: 'communityId', params: { kind: '居民 / residents', parentKind: community.kind } });
  }
  // Missing required columns fail the upload itself (400), not a job.
  for await (const _ of readLedger(o.file, kind, ctx.config.importLimits, o.mapping)) break;

  const id = crypto.randomUUID();
  const job: ImportJob = {
    id,
    userId: actor.id,
    status: 'validating',
    fileName: o.fileName,
    progress: { phase: 'reading', rowsRead: 0, bytesRead: 0, totalBytes: fs.statSync(o.file).size, rowsWritten: 0 },
    summary: { rows: 0, valid: 0, rejected: 0, toCreate: 0, toUpdate: 0, unchanged: 0, placesToCreate: 0, created: 0, updated: 0, placesCreated: 0 },
    placesToCreate: [],
    errors: [],
    errorCount: 0,
    createdAt: new Date().toISOString(),
  };
  const state: JobState = {
    job,
    ctx,
    file: o.file,
    keepFile: !!o.keepFile,
    kind,
    reportFile: path.join(os.tmpdir(), `fangkong-import-${id}-report.csv`),
    community,
    unknownPlaces: o.unknownPlaces,
    mapping: o.mapping,
  };
  jobs.set(id, state);
  setTimeout(() => forget(id), KEEP_MS).unref();
  state.running = dryRun(ctx, actor, state).then(
    () => {
      job.progress.phase = 'done';
      job.status = 'validated';
      if (job.errorCount > 0) dropUpload(state); // it cannot be committed
    },
    (err) => fail(state, err),
  );
  return job;
}

function fail(state: JobState, err: unknown) {
  const e = err instanceof AppError ? err : new AppError('INTERNAL');
  const { job } = state;
  job.status = 'failed';
  job.progress.phase = 'done';
  job.failure = { code: e.code, message: e.messages() };
  // A failed commit was rolled back: nothing was written.
  Object.assign(job.summary, { created: 0, updated: 0, placesCreated: 0 });
  job.progress.rowsWritten = 0;
  dropUpload(state);
  // The stack only: a driver's error object carries the statement's parameters (ID numbers).
  if (!(err instanceof AppError)) console.error('import failed:', err instanceof Error ? err.stack : err);
}

/** Starts the commit of a clean dry run; a second call returns the same job (idempotent). */
export function commitImport(ctx: AppContext, actor: Actor, id: string): ImportJob {
  requirePermission(actor, 'registry.import');
  const state = getJob(actor, id);
  const { job } = state;
  if (job.status === 'committing' || job.status === 'committed') return job;
  if (job.status !== 'validated') throw new AppError('IMPORT_NOT_READY', { params: { status: job.status } });
  if (job.errorCount > 0) throw new AppError('IMPORT_HAS_ERRORS', { params: { count: job.summary.rejected } });
  job.status = 'committing';
  job.progress = { ...job.progress, phase: 'writing', rowsRead: 0, bytesRead: 0, rowsWritten: 0 };
  state.running = commit(ctx, actor, state).then(
    () => {
      job.progress.phase = 'done';
      job.status = 'committed';
      dropUpload(state);
    },
    (err) => fail(state, err),
  );
  return job;
}

/** Waits until the job's dry run or commit has finished (tests, scripts, the benchmark). */
export async function settled(actor: Actor, id: string): Promise<ImportJob> {
  const state = getJob(actor, id);
  await state.running;
  return state.job;
}

/** The report CSV of a finished dry run. */
export function reportFile(actor: Actor, id: string): string {
  const s = getJob(actor, id);
  if (s.job.status === 'validating') throw new AppError('IMPORT_NOT_READY', { params: { status: s.job.status } });
  return s.reportFile;
}
