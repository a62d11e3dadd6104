// HTTP for ledger imports: preview the headers, upload (dry run), poll, download the report, commit.
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import ExcelJS from 'exceljs';
import { requireActor } from '../../../platform/auth.js';
import { AppError, fieldInvalid } from '../../../platform/errors.js';
import { refuseNul } from '../../../platform/input.js';
import { requirePermission } from '../../../platform/scope.js';
import { spoolFile, spoolWriteStream } from '../../../platform/spool.js';
import { answers, fileAnswer } from '../../../platform/schemas.js';
import { LEDGER_COLUMNS } from '../columns.js';
import { ImportJob, ImportPreview } from '../schemas.js';
import { commitImport, forgetJobs, getJob, reportFile, startImport } from './jobs.js';
import { checkFile, checkMapping, fileKind, previewRows, suggestMapping, type FileKind } from './rows.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const JobAnswer = Type.Object({ job: ImportJob });
const JobParam = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** busboy's own errors (no boundary, a cut-off or garbled part) are bad input; our limits and the disk's errors keep theirs. */
function uploadError(err: unknown): never {
  const code = (err as { code?: string }).code;
  if (err instanceof AppError || code?.startsWith('FST_') || code?.startsWith('E')) throw err;
  throw new AppError('MULTIPART_MALFORMED', { field: 'file' });
}

/** Streams the multipart upload to a temp file (never into memory) and collects the other fields. */
export async function receiveUpload(req: FastifyRequest): Promise<{ file: string; fileName: string; kind: FileKind; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw new AppError('IMPORT_NO_FILE', { field: 'file' });
  const fields: Record<string, string> = {};
  let saved: { file: string; fileName: string; kind: FileKind } | undefined;
  try {
    const parts = req.parts()[Symbol.asyncIterator]();
    for (;;) {
      const next = await parts.next().catch(uploadError);
      if (next.done) break;
      const part = next.value;
      if (part.type === 'file') {
        if (saved) {
          part.file.resume();
          continue;
        }
        refuseNul(part.filename, 'file');
        const kind = fileKind(part.filename);
        // In this process's spool folder, readable by this user only (platform/spool.ts), never the shared temp folder.
        const file = spoolFile(req.server.ctx.spoolDir, kind);
        saved = { file, fileName: part.filename, kind };
        await pipeline(part.file, spoolWriteStream(file)).catch(uploadError);
        if (part.file.truncated) throw new AppError('BODY_TOO_LARGE', { field: 'file' });
      } else {
        refuseNul({ [part.fieldname]: String(part.value) }, '');
        fields[part.fieldname] = String(part.value);
      }
    }
    if (!saved) throw new AppError('IMPORT_NO_FILE', { field: 'file' });
    await checkFile(saved.file, saved.kind, req.server.ctx.config.importLimits);
    return { ...saved, fields };
  } catch (err) {
    if (saved) fs.rmSync(saved.file, { force: true });
    throw err;
  }
}

export async function importRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const ctx = app.ctx;
  const tags = ['import'];
  app.addHook('onClose', async () => forgetJobs(ctx));

  app.get('/api/imports/template.xlsx', { schema: { tags, summary: 'An empty resident ledger with the expected headers', response: answers({ 200: fileAnswer(XLSX, 'The template workbook') }) } }, async (req, reply) => {
    requireActor(req);
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('居民台账');
    sheet.columns = LEDGER_COLUMNS.map((c) => ({ header: c.label['zh-CN'], key: c.key, width: c.key === 'idNumber' ? 22 : 12, style: c.key === 'idNumber' ? { numFmt: '@' } : {} }));
    const buffer = await book.xlsx.writeBuffer();
    reply.type(XLSX).header('content-disposition', 'attachment; filename="resident-ledger-template.xlsx"');
    return reply.send(Buffer.from(buffer));
  });

  app.post('/api/imports/preview', { schema: { tags, summary: 'Headers, suggested column mapping and the first rows of a file', response: answers({ 200: ImportPreview }) } }, async (req) => {
    const actor = requireActor(req);
    requirePermission(actor, 'registry.import');
    const { file, kind } = await receiveUpload(req);
    try {
      const { headers, rows } = await previewRows(file, kind, ctx.config.importLimits);
      return {
        headers,
        suggestedMapping: suggestMapping(headers),
        sampleRows: rows,
        fields: LEDGER_COLUMNS.map((c) => ({ key: c.key, label: c.label, required: !!c.required })),
      };
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  app.post('/api/imports', { schema: { tags, summary: 'Upload a ledger; the dry run starts at once (multipart: file, communityId, unknownPlaces, mapping)', response: answers({ 202: JobAnswer }) } }, async (req, reply) => {
    const actor = requireActor(req);
    requirePermission(actor, 'registry.import');
    const { file, fileName, kind, fields } = await receiveUpload(req);
    try {
      // plain decimal digits only, as in a path or a query: `0x10` is not place 16
      const communityId = /^\d{1,10}$/.test(fields.communityId ?? '') ? Number(fields.communityId) : NaN;
      if (!Number.isInteger(communityId) || communityId < 1 || communityId > 2147483647) throw new AppError('FIELD_REQUIRED', { field: 'communityId' });
      const unknownPlaces = fields.unknownPlaces ?? 'reject';
      if (unknownPlaces !== 'create' && unknownPlaces !== 'reject') {
        throw fieldInvalid('unknownPlaces', { 'zh-CN': '只能是 create 或 reject', 'en-US': 'must be create or reject' });
      }
      let mapping: Record<string, string | null> | undefined;
      if (fields.mapping) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(fields.mapping);
        } catch {
          throw fieldInvalid('mapping', { 'zh-CN': '应为 JSON 对象', 'en-US': 'must be a JSON object' });
        }
        mapping = checkMapping(parsed);
      }
      const job = await startImport(ctx, actor, kind, { file, fileName, communityId, unknownPlaces, mapping });
      reply.status(202);
      return { job };
    } catch (err) {
      fs.rmSync(file, { force: true });
      throw err;
    }
  });

  app.get('/api/imports/:id', { schema: { tags, summary: 'An import job: status, progress, summary, first errors', response: answers({ 200: JobAnswer }), params: JobParam } }, async (req) => ({
    job: getJob(requireActor(req), req.params.id).job,
  }));

  app.get('/api/imports/:id/report.csv', { schema: { tags, summary: 'Every rejected row with its reasons', response: answers({ 200: fileAnswer('text/csv', 'The report: row, column, code and messages of each rejected row (streamed)') }), params: JobParam } }, async (req, reply) => {
    const file = reportFile(requireActor(req), req.params.id);
    reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="import-report.csv"');
    return reply.send(fs.createReadStream(file));
  });

  app.post('/api/imports/:id/commit', { schema: { tags, summary: 'Commit a clean dry run, all or nothing', response: answers({ 202: JobAnswer }), params: JobParam } }, async (req, reply) => {
    reply.status(202);
    return { job: commitImport(ctx, requireActor(req), req.params.id) };
  });
}
