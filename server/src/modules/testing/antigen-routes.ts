// HTTP for antigen kits: distribution, reports (staff, or residents with their personal code), alerts.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import { answers, IdParam, PageQuery } from '../../platform/schemas.js';
import { AlertPage, AntigenSummary, Distribution, HouseholdAntigen, ReportAnswer, ResidentAntigen, SelfReportAnswer } from './schemas.js';
import {
  acknowledgeAlert,
  antigenAlerts,
  antigenSummary,
  distributeKits,
  householdAntigen,
  openAlertCount,
  reportAntigen,
  residentAntigen,
  selfReportAntigen,
} from './antigen.js';
import { RESULTS } from './results.js';

const Key = Type.String({ format: 'uuid', description: 'idempotency key made by the device' });
const Result = Type.Union(RESULTS.map((r) => Type.Literal(r)));
const Instant = Type.String({ format: 'date-time' });

export async function antigenRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const ctx = app.ctx;
  const tags = ['antigen'];

  app.post(
    '/api/antigen/distributions',
    { schema: { tags, summary: 'Kits handed to a household (idempotent by key)', response: answers({ 200: Distribution }), body: Type.Object({ key: Key, householdId: Type.Integer({ minimum: 1, maximum: 2147483647 }), kits: Type.Integer({ minimum: 1, maximum: 100 }) }) } },
    async (req) => distributeKits(ctx, requireActor(req), req.body),
  );
  app.post(
    '/api/antigen/reports',
    { schema: { tags, summary: "A resident's antigen result, reported by staff; a positive raises an alert", response: answers({ 200: ReportAnswer }), body: Type.Object({ key: Key, residentId: Type.Integer({ minimum: 1, maximum: 2147483647 }), result: Result, testedAt: Type.Optional(Instant) }) } },
    async (req) => reportAntigen(ctx, requireActor(req), req.body),
  );
  app.post(
    '/api/public/antigen-reports',
    {
      schema: {
        tags,
        summary: 'A resident reports their own result with the personal code on their card (no sign-in)', response: answers({ 200: SelfReportAnswer }),
        security: [],
        body: Type.Object({ key: Key, code: Type.String({ minLength: 1, maxLength: 100 }), result: Result, testedAt: Type.Optional(Instant) }),
      },
    },
    async (req) => selfReportAntigen(ctx, req.body),
  );
  app.get(
    '/api/antigen/alerts',
    { schema: { tags, summary: 'Positive antigen reports in my area', response: answers({ 200: AlertPage }), querystring: Type.Object({ open: Type.Optional(Type.Boolean()), ...PageQuery }) } },
    async (req) => antigenAlerts(ctx, requireActor(req), req.query),
  );
  app.post('/api/antigen/alerts/:id/acknowledge', { schema: { tags, summary: 'Acknowledge a positive (the community is on it)', response: answers({ 200: Type.Object({ id: Type.Integer(), acknowledged: Type.Boolean() }) }), params: IdParam } }, async (req) =>
    acknowledgeAlert(ctx, requireActor(req), req.params.id),
  );
  app.get('/api/antigen/alerts/count', { schema: { tags, summary: 'How many positives in my area nobody has acknowledged yet', response: answers({ 200: Type.Object({ open: Type.Integer() }) }) } }, async (req) =>
    openAlertCount(ctx, requireActor(req)),
  );
  app.get(
    '/api/antigen/summary',
    {
      schema: {
        tags,
        summary: 'Households reached, kits out, results in, open alerts (by=children: also per child place)', response: answers({ 200: AntigenSummary }),
        querystring: Type.Object({ placeId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })), by: Type.Optional(Type.Literal('children')) }),
      },
    },
    async (req) => antigenSummary(ctx, requireActor(req), req.query.placeId, req.query.by),
  );
  app.get('/api/households/:id/antigen', { schema: { tags, summary: "A household's kits and its members' antigen results", response: answers({ 200: HouseholdAntigen }), params: IdParam } }, async (req) =>
    householdAntigen(ctx, requireActor(req), req.params.id),
  );
  app.get('/api/residents/:id/antigen', { schema: { tags, summary: "A resident's antigen results", response: answers({ 200: ResidentAntigen }), params: IdParam } }, async (req) =>
    residentAntigen(ctx, requireActor(req), req.params.id),
  );
}
