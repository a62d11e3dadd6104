// HTTP for testing campaigns: campaigns, rounds, sites and lanes; scans at the lane; tubes.
// Handover, results, coverage and the schedule have their own route files beside this one.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import { errorBody } from '../../platform/errors.js';
import { requestLocale } from '../../platform/i18n.js';
import { ID_TYPES } from '../../platform/ids.js';
import { answers, IdParam, Items, Nullable } from '../../platform/schemas.js';
import { Campaign, CampaignSummary, Plan, ScanBatch, ScanResult, Site, Slot, SlotEdit, Tube } from './schemas.js';
import * as campaigns from './campaigns.js';
import * as scans from './scans.js';
import * as schedule from './schedule/service.js';

const lit = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Instant = Type.String({ format: 'date-time' });
const Hhmm = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' });

export const ScanBody = Type.Object({
  key: Type.String({ format: 'uuid', description: 'idempotency key made by the device; a retry with the same key answers the first result' }),
  laneId: Type.Integer({ minimum: 1, maximum: 2147483647 }),
  tube: Type.String({ minLength: 1, maxLength: 40 }),
  mode: Type.Optional(lit(campaigns.MODES)),
  code: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'a personal code (QR), or what a card reader typed' })),
  idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
  idType: Type.Optional(lit(ID_TYPES)),
  register: Type.Optional(Type.Object({ name: Type.String({ minLength: 1, maxLength: 50 }), phone: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])) })),
  at: Type.Optional(Instant),
});

export async function testingRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const ctx = app.ctx;
  const tags = ['testing'];

  app.get('/api/campaigns', { schema: { tags, summary: 'Campaigns that overlap my area', response: answers({ 200: Items(CampaignSummary) }) } }, async (req) => ({
    items: await campaigns.listCampaigns(ctx, requireActor(req)),
  }));
  app.get('/api/campaigns/:id', { schema: { tags, summary: 'A campaign with its places, rounds, sites and lanes', response: answers({ 200: Campaign }), params: IdParam } }, async (req) =>
    campaigns.getCampaign(ctx, requireActor(req), req.params.id),
  );
  app.post(
    '/api/campaigns',
    {
      schema: {
        tags,
        summary: 'Plan a campaign over places and a time window', response: answers({ 201: Campaign }),
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 100 }),
          placeId: Type.Integer({ minimum: 1, maximum: 2147483647 }),
          startsAt: Instant,
          endsAt: Instant,
          exemptUnderMonths: Type.Optional(Type.Integer({ minimum: 0, maximum: 240 })),
          secondsPerSwab: Type.Optional(Type.Integer({ minimum: 5, maximum: 600 })),
          places: Type.Optional(Type.Array(Type.Object({ placeId: Type.Integer({ minimum: 1, maximum: 2147483647 }), mode: lit(campaigns.MODES) }), { maxItems: 2000 })),
          rounds: Type.Optional(Type.Array(Type.Object({ startsAt: Instant, endsAt: Instant }), { maxItems: 60 })),
        }),
      },
    },
    async (req, reply) => {
      reply.status(201);
      return campaigns.createCampaign(ctx, requireActor(req), req.body);
    },
  );
  app.post(
    '/api/campaigns/:id/rounds',
    { schema: { tags, summary: 'Add a round (day 2, day 3, …)', response: answers({ 201: Campaign }), params: IdParam, body: Type.Object({ startsAt: Instant, endsAt: Instant }) } },
    async (req, reply) => {
      reply.status(201);
      return campaigns.addRound(ctx, requireActor(req), req.params.id, req.body);
    },
  );
  app.post(
    '/api/campaigns/:id/sites',
    {
      schema: {
        tags,
        summary: 'Add a sampling site with its lanes', response: answers({ 201: Site }),
        params: IdParam,
        body: Type.Object({
          placeId: Type.Integer({ minimum: 1, maximum: 2147483647 }),
          name: Type.String({ minLength: 1, maxLength: 100 }),
          lanes: Type.Integer({ minimum: 1, maximum: 50 }),
          opensAt: Type.Optional(Hhmm),
          closesAt: Type.Optional(Hhmm),
          doorToDoor: Type.Optional(Type.Boolean()),
        }),
      },
    },
    async (req, reply) => {
      reply.status(201);
      return campaigns.createSite(ctx, requireActor(req), req.params.id, req.body);
    },
  );
  app.patch(
    '/api/sites/:id',
    {
      schema: {
        tags,
        summary: 'Rename a site, change its hours, add lanes', response: answers({ 200: Site }),
        params: IdParam,
        body: Type.Object({
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          lanes: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
          opensAt: Type.Optional(Hhmm),
          closesAt: Type.Optional(Hhmm),
        }),
      },
    },
    async (req) => campaigns.updateSite(ctx, requireActor(req), req.params.id, req.body),
  );

  app.post('/api/scans', { schema: { tags, summary: 'One scan at a lane: a person into a tube (idempotent by key)', response: answers({ 200: ScanResult }), body: ScanBody } }, async (req) =>
    scans.recordScan(ctx, requireActor(req), req.body),
  );
  app.post(
    '/api/scans/batch',
    {
      schema: {
        tags,
        summary: 'Sync an offline queue of scans, in order; each scan has its own outcome', response: answers({ 200: ScanBatch }),
        body: Type.Object({ scans: Type.Array(ScanBody, { minItems: 1, maxItems: 2000 }) }),
      },
    },
    async (req) => {
      const locale = requestLocale(req);
      const items = await scans.recordScanBatch(ctx, requireActor(req), req.body.scans);
      return {
        recorded: items.filter((i) => i.ok).length,
        rejected: items.filter((i) => !i.ok).length,
        items: items.map((i) => (i.ok ? { key: i.key, ok: true, result: i.result } : { key: i.key, ok: false, ...errorBody(i.error, locale) })),
      };
    },
  );

  const Barcode = Type.Object({ barcode: Type.String({ minLength: 1, maxLength: 40 }) });
  app.get('/api/tubes/:barcode', { schema: { tags, summary: 'A tube and who is in it', response: answers({ 200: Tube }), params: Barcode } }, async (req) =>
    scans.getTube(ctx, requireActor(req), req.params.barcode),
  );
  app.post('/api/tubes/:barcode/seal', { schema: { tags, summary: 'Seal a tube before it is full (idempotent)', response: answers({ 200: Tube }), params: Barcode } }, async (req) =>
    scans.sealTube(ctx, requireActor(req), req.params.barcode),
  );

  // ---- the time-slot plan
  app.post(
    '/api/rounds/:id/schedule',
    {
      schema: {
        tags,
        summary: 'Plan (or re-plan) the time slots of a round by building, and simulate the queues', response: answers({ 200: Plan }),
        params: IdParam,
        body: Type.Object({
          secondsPerSwab: Type.Optional(Type.Integer({ minimum: 5, maximum: 600 })),
          maxQueuePerLane: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          slotMinutes: Type.Optional(Type.Integer({ minimum: 10, maximum: 240 })),
          turnout: Type.Optional(Type.Number({ minimum: 0.05, maximum: 1 })),
        }),
      },
    },
    async (req) => schedule.planRound(ctx, requireActor(req), req.params.id, req.body),
  );
  app.get('/api/rounds/:id/schedule', { schema: { tags, summary: 'The stored plan with a simulation of it (null before planning)', response: answers({ 200: Nullable(Plan) }), params: IdParam } }, async (req) =>
    schedule.getPlan(ctx, requireActor(req), req.params.id),
  );
  app.get(
    '/api/rounds/:id/slots',
    {
      schema: {
        tags,
        summary: 'Slots by building and time', response: answers({ 200: Items(Slot) }),
        params: IdParam,
        querystring: Type.Object({
          placeId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
          siteId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
          from: Type.Optional(Instant),
          to: Type.Optional(Instant),
          limit: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
        }),
      },
    },
    async (req) => schedule.listSlots(ctx, requireActor(req), req.params.id, req.query),
  );
  app.patch(
    '/api/slots/:id',
    { schema: { tags, summary: 'Move a slot to another time or site', response: answers({ 200: SlotEdit }), params: IdParam, body: Type.Object({ startsAt: Type.Optional(Instant), endsAt: Type.Optional(Instant), siteId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })) }) } },
    async (req) => schedule.editSlot(ctx, requireActor(req), req.params.id, req.body),
  );
}
