// Imports a ledger file from disk without HTTP: the same dry run and commit as the API,
// for the benchmark, scripts and tests.
import path from 'node:path';
import type { Actor, AppContext } from '../../../platform/context.js';
import { commitImport, settled, startImport, type ImportJob } from './jobs.js';
import { checkFile, fileKind } from './rows.js';

export interface FileImportOptions {
  /** The community (or street, or district) the file belongs to. */
  communityId: number;
  unknownPlaces?: 'create' | 'reject';
  mapping?: Record<string, string | null>;
  /** Also commit when the dry run is clean (default true). */
  commit?: boolean;
  /** Called about every 200 ms with the live job (progress bar). */
  onProgress?: (job: ImportJob) => void;
}

export interface FileImportResult {
  job: ImportJob;
  dryRunMs: number;
  /** 0 when the commit did not run. */
  commitMs: number;
}

/** Dry run, then (if clean and asked) commit; resolves when both are done. The file is left in place. */
export async function importFile(ctx: AppContext, actor: Actor, file: string, o: FileImportOptions): Promise<FileImportResult> {
  const kind = fileKind(file);
  await checkFile(file, kind, ctx.config.importLimits);
  const watch = o.onProgress ? setInterval(() => o.onProgress!(job), 200) : undefined;
  let job: ImportJob;
  try {
    let t = performance.now();
    job = await startImport(ctx, actor, kind, {
      file,
      fileName: path.basename(file),
      communityId: o.communityId,
      unknownPlaces: o.unknownPlaces ?? 'reject',
      mapping: o.mapping,
      keepFile: true,
    });
    job = await settled(actor, job.id);
    const dryRunMs = performance.now() - t;
    if (o.commit === false || job.status !== 'validated' || job.errorCount > 0) return { job, dryRunMs, commitMs: 0 };
    t = performance.now();
    commitImport(ctx, actor, job.id);
    job = await settled(actor, job.id);
    return { job, dryRunMs, commitMs: performance.now() - t };
  } finally {
    if (watch) clearInterval(watch);
  }
}
