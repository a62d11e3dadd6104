// HTTP for what happens after the lane: boxes and handover, lab results (file or API),
// recall lists, coverage and the missing list, exemptions, the live board (SSE).
import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import { AppError, errorBody } from '../../platform/errors.js';
import { requestLocale } from '../../platform/i18n.js';
import { answers, fileAnswer, IdParam, Page, PageQuery } from '../../platform/schemas.js';
import { Board, Box, BoxList, Coverage, Exemption, MissingPage, Recall, ResidentTests, ResultSummary as ResultSummaryAnswer } from './schemas.js';
import { receiveUpload } from '../registry/index.js';
import { board } from './board.js';
import { coverage, exempt, EXEMPTION_REASONS, exportMissing, missing, unexempt } from './coverage.js';
import { getBox, handOver, listBoxes, packBox, receive } from './handover.js';
import { listRecalls, recordResults, residentTests, resultsFromFile, RESULTS, type ResultSummary } from './results.js';
import { TOPIC, type TestingEvent } from './events.js';

const lit = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const Barcode = Type.String({ minLength: 1, maxLength: 40 });
const PlaceQuery = Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 }));

/** A rejected batch is an error (400, RESULTS_REJECTED) that carries the row report beside it. */
function answer(req: FastifyRequest, reply: FastifyReply, summary: ResultSummary) {
  if (summary.committed) return summary;
  const count = new Set(summary.errors.map((e) => e.row)).size;
  // every row refused only because no lab received its box: a conflict with the state (409), not a bad request
  const code = summary.errors.every((e) => e.code === 'RESULT_TUBE_NOT_RECEIVED') ? 'RESULTS_NOT_RECEIVED' : 'RESULTS_REJECTED';
  const error = new AppError(code, { params: { count } });
  reply.status(error.status);
  return { ...errorBody(error, requestLocale(req)), ...summary };
}

export async function labRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const ctx = app.ctx;
  const tags = ['testing'];

  // ---- boxes
  app.post(
    '/api/boxes',
    { schema: { tags, summary: 'Pack sealed tubes into a box (created on first use)', response: answers({ 200: Box }), body: Type.Object({ barcode: Barcode, tubes: Type.Array(Barcode, { minItems: 1, maxItems: 1000 }) }) } },
    async (req) => packBox(ctx, requireActor(req), req.body),
  );
  app.get('/api/boxes/:barcode', { schema: { tags, summary: 'A box, its tubes and its handover steps', response: answers({ 200: Box }), params: Type.Object({ barcode: Barcode }) } }, async (req) =>
    getBox(ctx, requireActor(req), req.params.barcode),
  );
  app.post(
    '/api/boxes/:barcode/handover',
    { schema: { tags, summary: 'Hand a box to transport', response: answers({ 200: Box }), params: Type.Object({ barcode: Barcode }), body: Type.Object({ carrier: Type.String({ minLength: 1, maxLength: 100 }) }) } },
    async (req) => handOver(ctx, requireActor(req), req.params.barcode, req.body),
  );
  app.post(
    '/api/boxes/:barcode/receive',
    {
      schema: {
        tags,
        summary: 'The lab receives a box and lists the tubes it found; missing and extra tubes are reported', response: answers({ 200: Box }),
        params: Type.Object({ barcode: Barcode }),
        body: Type.Object({ labName: Type.String({ minLength: 1, maxLength: 100 }), tubes: Type.Array(Barcode, { maxItems: 1000 }) }),
      },
    },
    async (req) => receive(ctx, requireActor(req), req.params.barcode, req.body),
  );
  app.get('/api/rounds/:id/boxes', { schema: { tags, summary: 'Boxes of a round', response: answers({ 200: BoxList }), params: IdParam } }, async (req) =>
    listBoxes(ctx, requireActor(req), req.params.id),
  );

  // ---- results
  app.post(
    '/api/results',
    {
      schema: {
        tags,
        summary: 'Report results per tube (all or nothing); positives and invalids produce recall lists', response: answers({ 200: ResultSummaryAnswer }),
        body: Type.Object({ results: Type.Array(Type.Object({ tube: Barcode, result: lit(RESULTS) }), { minItems: 1, maxItems: 200_000 }) }),
      },
      bodyLimit: 32 * 1024 * 1024,
    },
    async (req, reply) => {
      const summary = await recordResults(ctx, requireActor(req), req.body.results.map((r, i) => ({ row: i + 1, barcode: r.tube, result: r.result })), 'api');
      return answer(req, reply, summary);
    },
  );
  app.post('/api/results/import', { schema: { tags, summary: 'Upload a result file (CSV/XLSX: tube, result); all or nothing, with a row report', response: answers({ 200: ResultSummaryAnswer }) } }, async (req, reply) => {
    const actor = requireActor(req);
    const { file, kind } = await receiveUpload(req);
    try {
      const summary = await recordResults(ctx, actor, await resultsFromFile(file, kind, ctx.config.importLimits), 'file');
      return answer(req, reply, summary);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  app.get(
    '/api/recalls',
    {
      schema: {
        tags,
        summary: 'The recall list in my area: people of positive or invalid tubes, with households and grid workers', response: answers({ 200: Page(Recall) }),
        querystring: Type.Object({
          roundId: Type.Optional(Type.Integer({ minimum: 1 })),
          campaignId: Type.Optional(Type.Integer({ minimum: 1 })),
          open: Type.Optional(Type.Boolean()),
          ...PageQuery,
        }),
      },
    },
    async (req) => listRecalls(ctx, requireActor(req), req.query),
  );
  app.get('/api/residents/:id/tests', { schema: { tags, summary: "A resident's samples and results", response: answers({ 200: ResidentTests }), params: IdParam } }, async (req) =>
    residentTests(ctx, requireActor(req), req.params.id),
  );

  // ---- coverage
  app.get(
    '/api/rounds/:id/coverage',
    {
      schema: {
        tags,
        summary: 'Expected, sampled, exempt and missing for a place, by child place or by building', response: answers({ 200: Coverage }),
        params: IdParam,
        querystring: Type.Object({ placeId: PlaceQuery, by: Type.Optional(lit(['children', 'building'] as const)) }),
      },
    },
    async (req) => coverage(ctx, requireActor(req), req.params.id, req.query),
  );
  app.get(
    '/api/rounds/:id/missing',
    { schema: { tags, summary: 'Who is not yet sampled (nor exempt), by address', response: answers({ 200: MissingPage }), params: IdParam, querystring: Type.Object({ placeId: PlaceQuery, ...PageQuery }) } },
    async (req) => missing(ctx, requireActor(req), req.params.id, req.query),
  );
  app.get(
    '/api/rounds/:id/missing.xlsx',
    { schema: { tags, summary: 'The missing list as XLSX for door-knocking teams (audit-logged)', response: answers({ 200: fileAnswer(XLSX, 'The missing list, one row per person (streamed)') }), params: IdParam, querystring: Type.Object({ placeId: PlaceQuery }) } },
    async (req, reply) => {
      const out = await exportMissing(ctx, requireActor(req), req.params.id, req.query.placeId);
      const name = encodeURIComponent(`未采样名单-${out.placeName}-第${out.roundNumber}轮.xlsx`);
      return reply
        .type(XLSX)
        .header('content-disposition', `attachment; filename*=UTF-8''${name}`)
        .send(out.stream);
    },
  );
  app.put(
    '/api/rounds/:id/exemptions/:residentId',
    {
      schema: {
        tags,
        summary: 'Exempt a resident from this round (away, hospitalised, …)', response: answers({ 200: Exemption }),
        params: Type.Object({ id: Type.Integer({ minimum: 1 }), residentId: Type.Integer({ minimum: 1, maximum: 2147483647 }) }),
        body: Type.Object({ reason: lit(EXEMPTION_REASONS), note: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])) }),
      },
    },
    async (req) => exempt(ctx, requireActor(req), req.params.id, { residentId: req.params.residentId, ...req.body }),
  );
  app.delete(
    '/api/rounds/:id/exemptions/:residentId',
    { schema: { tags, summary: 'Withdraw an exemption', response: answers({ 200: Type.Object({ removed: Type.Boolean() }) }), params: Type.Object({ id: Type.Integer({ minimum: 1 }), residentId: Type.Integer({ minimum: 1, maximum: 2147483647 }) }) } },
    async (req) => unexempt(ctx, requireActor(req), req.params.id, req.params.residentId),
  );

  // ---- the live board
  const BoardQuery = Type.Object({ roundId: Type.Optional(Type.Integer({ minimum: 1 })) });
  app.get('/api/campaigns/:id/board', { schema: { tags, summary: 'Progress figures of a campaign', response: answers({ 200: Board }), params: IdParam, querystring: BoardQuery } }, async (req) =>
    board(ctx, requireActor(req), req.params.id, req.query.roundId),
  );
  app.get(
    '/api/campaigns/:id/board/stream',
    { schema: { tags, summary: 'The board as Server-Sent Events: a `board` event now and after every change (at most one a second)', response: answers({ 200: fileAnswer('text/event-stream', 'Server-Sent Events: `event: board` with the board (as GET …/board answers) as data; `: ping` comments keep it open') }), params: IdParam, querystring: BoardQuery } },
    async (req, reply) => {
      const actor = requireActor(req);
      const max = ctx.config.maxStreamsPerUser;
      const release = ctx.events.holdStream(actor.id, max);
      if (!release) throw new AppError('STREAMS_TOO_MANY', { params: { max, retryAfter: 20 } });
      let first;
      try {
        first = await board(ctx, actor, req.params.id, req.query.roundId);
      } catch (err) {
        release();
        throw err;
      }
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      const send = (data: unknown) => res.write(`event: board\ndata: ${JSON.stringify(data)}\n\n`);
      send(first);
      const rounds = new Set((first?.rounds ?? []).map((r) => r.id));
      let timer: NodeJS.Timeout | undefined;
      const refresh = () => {
        if (timer) return;
        timer = setTimeout(async () => {
          timer = undefined;
          try {
            send(await board(ctx, actor, req.params.id, req.query.roundId));
          } catch {
            /* the next change tries again */
          }
        }, 500);
      };
      const off = ctx.events.subscribe(TOPIC, (data) => {
        const e = data as unknown as TestingEvent;
        if (e.campaigns?.includes(req.params.id) || e.rounds?.some((r) => rounds.has(r))) refresh();
      });
      // A comment every 20 s keeps proxies from closing an idle stream.
      const ping = setInterval(() => res.write(': ping\n\n'), 20_000);
      req.raw.on('close', () => {
        release();
        off();
        clearInterval(ping);
        if (timer) clearTimeout(timer);
      });
    },
  );
}
