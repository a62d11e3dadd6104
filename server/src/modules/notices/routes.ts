// HTTP for notices: preview, send, list, the delivery report, resend; a round's slot notices.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import { answers, IdParam, Instant, lit, Nullable, Page, PageQuery } from '../../platform/schemas.js';
import { listNotices, NOTICE_CHANNELS, NOTICE_LISTS, noticeReport, previewNotice, resendNotice, sendNotice, sendSlotNotices } from './notices.js';

const Key = Type.String({ format: 'uuid', description: 'idempotency key made by the client once per request' });
const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Channel = lit(NOTICE_CHANNELS);
const Channels = Type.Array(Channel, { minItems: 1, maxItems: 2, uniqueItems: true });
const Template = (description: string) => Type.String({ maxLength: 1000, description });
const Texts = Type.Object(
  {
    'zh-CN': Type.String({ minLength: 1, maxLength: 1000, description: 'the Chinese text (required): everyone without a text in their language reads it' }),
    'en-US': Type.Optional(Template('English, for residents whose language is en-US')),
    'ko-KR': Type.Optional(Template('Korean, for residents whose language is ko-KR')),
  },
  { description: 'templates by language; variables {name} {building} {community} ({slot} {site} in slot notices)' },
);
const Compose = {
  placeId: { ...Id, description: 'the place (community, compound, grid, building, unit) within my area' },
  list: Type.Optional(lit(NOTICE_LISTS)),
  roundId: Type.Optional({ ...Id, description: 'the round whose list it is (with list)' }),
  channels: Channels,
  texts: Texts,
};

const PlaceBrief = Type.Object({ id: Type.Integer(), name: Type.String(), kind: Type.String() });
const ChannelQueued = Type.Object({ channel: Channel, queued: Type.Integer(), unreachable: Type.Integer({ description: 'written as failed with the reason (no mobile number)' }) });
const Preview = Type.Object({
  place: PlaceBrief,
  recipients: Type.Integer(),
  noMobile: Type.Integer({ description: 'recipients without a mobile number (an SMS cannot reach them)' }),
  channels: Type.Array(Type.Object({ channel: Channel, reachable: Type.Integer(), unreachable: Type.Integer() })),
  languages: Type.Array(Type.Object({ language: Type.String(), recipients: Type.Integer(), sample: Nullable(Type.String()) })),
});
const Sent = Type.Object({ id: Type.Integer(), recipients: Type.Integer(), channels: Type.Array(ChannelQueued), replay: Type.Boolean() });
const Notice = Type.Object({
  id: Type.Integer(),
  target: lit(['place', 'missing', 'recall', 'slot'] as const),
  place: PlaceBrief,
  roundId: Nullable(Type.Integer()),
  slot: Nullable(Type.String()),
  channels: Type.Array(Type.String()),
  texts: Type.Object({ 'zh-CN': Type.String(), 'en-US': Type.Optional(Type.String()), 'ko-KR': Type.Optional(Type.String()) }),
  recipients: Type.Integer(),
  createdBy: Nullable(Type.String()),
  createdAt: Instant,
});
const Count = Type.Integer({ minimum: 0 });
const Report = Type.Object({
  ...Notice.properties,
  report: Type.Object({
    channels: Type.Array(
      Type.Object({ channel: Type.String(), total: Count, queued: Count, sending: Count, sent: Count, delivered: Count, failed: Count, read: Count }),
    ),
    failures: Type.Array(Type.Object({ channel: Type.String(), code: Nullable(Type.String()), reason: Nullable(Type.String()), count: Count })),
  }),
});
const SlotNotices = Type.Object({
  roundId: Type.Integer(),
  notices: Type.Array(Type.Object({ id: Type.Integer(), buildingId: Type.Integer(), building: Type.String(), slot: Type.String(), site: Type.String(), recipients: Type.Integer() })),
  recipients: Type.Integer(),
  replay: Type.Boolean(),
});

export async function noticeRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const ctx = app.ctx;
  const tags = ['notices'];

  app.post(
    '/api/notices/preview',
    { schema: { tags, summary: 'Who a notice would reach, by channel and language, with a filled sample per language (nothing is sent)', body: Type.Object(Compose), response: answers({ 200: Preview }) } },
    async (req) => previewNotice(ctx, requireActor(req), req.body),
  );
  app.post(
    '/api/notices',
    { schema: { tags, summary: 'Send a notice to a place or a list of a round (idempotent by key)', body: Type.Object({ key: Key, ...Compose }), response: answers({ 201: Sent }) } },
    async (req, reply) => {
      reply.status(201);
      return sendNotice(ctx, requireActor(req), req.body);
    },
  );
  app.get(
    '/api/notices',
    { schema: { tags, summary: 'Notices of my area, newest first', querystring: Type.Object({ roundId: Type.Optional(Id), ...PageQuery }), response: answers({ 200: Page(Notice) }) } },
    async (req) => listNotices(ctx, requireActor(req), req.query),
  );
  app.get(
    '/api/notices/:id',
    { schema: { tags, summary: 'A notice and its delivery report: messages per channel and status, failure reasons', params: IdParam, response: answers({ 200: Report }) } },
    async (req) => noticeReport(ctx, requireActor(req), req.params.id),
  );
  app.post(
    '/api/notices/:id/resend',
    {
      schema: {
        tags,
        summary: 'Send again through another channel to those whose message failed, or who have not read it in the app (idempotent by key)',
        params: IdParam,
        body: Type.Object({ key: Key, channel: Channel, only: lit(['failed', 'unread'] as const) }),
        response: answers({ 200: Type.Object({ id: Type.Integer(), channel: Channel, queued: Type.Integer(), unreachable: Type.Integer(), replay: Type.Boolean() }) }),
      },
    },
    async (req) => resendNotice(ctx, requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/rounds/:id/slot-notices',
    {
      schema: {
        tags,
        summary: "A round's slot notices: one notice per building on its schedule with its time (idempotent by key)",
        params: IdParam,
        body: Type.Object({
          key: Key,
          placeId: Type.Optional({ ...Id, description: 'only the buildings under this place (within my area)' }),
          channels: Channels,
          texts: Type.Optional(Texts),
        }),
        response: answers({ 201: SlotNotices }),
      },
    },
    async (req, reply) => {
      reply.status(201);
      return sendSlotNotices(ctx, requireActor(req), req.params.id, req.body);
    },
  );
}
