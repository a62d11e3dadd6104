// HTTP for the residents' portal (/api/portal, resident session cookie fk_resident) and the
// staff's code rotation. The contract the resident page is built against: /work/portal-contract.md
// (copied in the module's README section of the project README).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import { AppError } from '../../platform/errors.js';
import { rateLimit } from '../../platform/security.js';
import { answers, fileAnswer, IdParam, Instant, lit, Nullable } from '../../platform/schemas.js';
import { NOTICE_POSTED_TOPIC, type NoticePosted } from '../notices/index.js';
import { INAPP_TOPIC } from '../outbox/index.js';
import { RESULTS } from '../testing/index.js';
import { MOVEMENTS, SUPPLIES, ZONE_LEVELS } from '../zones/index.js';
import { AppealSchema, PlainColourSchema } from '../codes/index.js';
import * as portal from './service.js';
import { clearSessionCookie, PORTAL_LANGUAGES, requireResident, residentForToken, setSessionCookie, type ResidentActor } from './session.js';

const security = [{ resident: [] }];
const Language = lit(PORTAL_LANGUAGES);
const Phone = Type.String({ minLength: 1, maxLength: 20, description: 'a mainland mobile number (11 digits; spaces, dashes, +86 allowed)' });
const Person = Type.Object({ id: Type.Integer(), name: Type.String() });
const Me = Type.Object({
  resident: Type.Object({ id: Type.Integer(), name: Type.String(), language: Language }),
  actingFor: Nullable(Person),
  household: Nullable(
    Type.Object({
      id: Type.Integer(),
      address: Type.String(),
      members: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), sex: Nullable(lit(['male', 'female'] as const)), age: Nullable(Type.Integer()), isSelf: Type.Boolean() })),
    }),
  ),
});
const NoContent = Type.Null({ description: 'no content' });
const NoticeId = Type.String({
  pattern: '^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|notice-[1-9][0-9]{0,9})$',
  description: 'an in-app message (uuid), or a notice posted to a place the person lives under (notice-<id>)',
});
const Key = Type.String({ format: 'uuid', description: 'idempotency key made by the device, once per report' });

export async function portalRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const ctx = app.ctx;
  const tags = ['portal'];
  const client = (req: { ip: string; headers: Record<string, string | string[] | undefined> }) => ({ ip: req.ip, userAgent: req.headers['user-agent'] as string | undefined });

  app.post(
    '/api/portal/sign-in/sms',
    {
      config: { rateLimit: rateLimit(ctx.config, 'signIn') },
      schema: {
        tags,
        security: [],
        summary: 'Ask for a six-digit sign-in code by SMS: the same answer whether or not the number is a resident’s (limited per number and per client)',
        body: Type.Object({ phone: Phone }),
        response: answers({ 202: Type.Object({ sent: Type.Literal(true), retryAfterSeconds: Type.Integer() }) }),
      },
    },
    async (req, reply) => {
      const answer = await portal.requestOtp(ctx, req.body.phone, client(req));
      reply.status(202);
      return answer;
    },
  );

  app.post(
    '/api/portal/sign-in/code',
    {
      config: { rateLimit: rateLimit(ctx.config, 'signIn') },
      schema: {
        tags,
        security: [],
        summary: 'Sign in with the SMS code (5 wrong tries kill the code)',
        body: Type.Object({ phone: Phone, code: Type.String({ pattern: '^[0-9]{6}$' }) }),
        response: answers({ 200: Me }),
      },
    },
    async (req, reply) => {
      const { token, resident } = await portal.signInWithOtp(ctx, req.body.phone, req.body.code, client(req));
      setSessionCookie(ctx, req, reply, token);
      return portal.me(ctx, resident);
    },
  );

  app.post(
    '/api/portal/sign-in/card',
    {
      config: { rateLimit: rateLimit(ctx.config, 'signIn') },
      schema: {
        tags,
        security: [],
        summary: 'Sign in with the personal code of the household card (its QR): 404 CODE_UNKNOWN, 410 CODE_REVOKED after a rotation',
        body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: answers({ 200: Me }),
      },
    },
    async (req, reply) => {
      const token = await portal.signInWithCard(ctx, req.body.code, client(req));
      setSessionCookie(ctx, req, reply, token);
      return portal.me(ctx, await residentOf(token, req));
    },
  );

  /** The resident of a session just created (the cookie is only on the answer). */
  async function residentOf(token: string, req: { ip: string; headers: Record<string, string | string[] | undefined> }): Promise<ResidentActor> {
    const found = await residentForToken(ctx.db, token);
    if (!found) throw new Error('the resident session just created is missing');
    return { ...found, ...client(req) };
  }

  app.post('/api/portal/sign-out', { schema: { tags, security, summary: 'Sign out (the resident session ends)', response: answers({ 204: NoContent }) } }, async (req, reply) => {
    await portal.signOut(ctx, await requireResident(ctx, req));
    clearSessionCookie(ctx, req, reply);
    reply.status(204);
    return null;
  });

  app.get('/api/portal/me', { schema: { tags, security, summary: 'The signed-in resident, whom they act for, and their household', response: answers({ 200: Me }) } }, async (req) =>
    portal.me(ctx, await requireResident(ctx, req)),
  );

  app.put(
    '/api/portal/acting-for',
    {
      schema: {
        tags,
        security,
        summary: 'Act for a member of my household (家属代办), or for myself again (null); audited',
        body: Type.Object({ residentId: Nullable(Type.Integer({ minimum: 1, maximum: 2147483647 })) }),
        response: answers({ 200: Me }),
      },
    },
    async (req) => portal.me(ctx, await portal.actFor(ctx, await requireResident(ctx, req), req.body.residentId)),
  );

  app.put(
    '/api/portal/language',
    { schema: { tags, security, summary: 'The signed-in resident’s language (their pages and messages)', body: Type.Object({ language: Language }), response: answers({ 204: NoContent }) } },
    async (req, reply) => {
      await portal.setLanguage(ctx, await requireResident(ctx, req), req.body.language);
      reply.status(204);
    return null;
    },
  );

  app.get(
    '/api/portal/code',
    {
      schema: {
        tags,
        security,
        summary: 'The personal code of the person acted for, its colour now and why, in plain words',
        response: answers({ 200: Type.Object({ code: Type.String(), version: Type.Integer(), colour: PlainColourSchema }) }),
      },
    },
    async (req) => portal.personalCodeOf(ctx, await requireResident(ctx, req)),
  );

  app.get(
    '/api/portal/appeals',
    { schema: { tags, security, summary: 'Appeals against the colour of the person acted for, and their answers', response: answers({ 200: Type.Object({ items: Type.Array(AppealSchema) }) }) } },
    async (req) => portal.colourAppealsOf(ctx, await requireResident(ctx, req)),
  );
  app.post(
    '/api/portal/appeals',
    {
      schema: {
        tags,
        security,
        summary: 'Appeals against the colour of the person acted for (one waits at a time); an officer of their area answers',
        body: Type.Object({ text: Type.String({ minLength: 2, maxLength: 1000, description: 'why the colour is wrong' }) }),
        response: answers({ 201: AppealSchema }),
      },
    },
    async (req, reply) => reply.code(201).send(await portal.appealColour(ctx, await requireResident(ctx, req), req.body.text)),
  );

  app.get(
    '/api/portal/zone',
    {
      schema: {
        tags,
        security,
        summary: 'The zone that holds at the home of the person acted for (the strictest over it) and what it means; null when none',
        response: answers({
          200: Type.Object({
            zone: Nullable(
              Type.Object({
                place: Type.Object({ name: Type.String(), kind: Type.String() }),
                level: lit(ZONE_LEVELS),
                names: Type.Object({ 'zh-CN': Type.String(), 'en-US': Type.Optional(Type.String()), 'ko-KR': Type.Optional(Type.String()) }),
                movement: lit(MOVEMENTS),
                supply: lit(SUPPLIES),
                testEveryDays: Nullable(Type.Integer()),
                testPerHousehold: Type.Boolean(),
                declaredAt: Instant,
              }),
            ),
          }),
        }),
      },
    },
    async (req) => portal.zoneOf(ctx, await requireResident(ctx, req)),
  );

  app.get(
    '/api/portal/results',
    {
      schema: {
        tags,
        security,
        summary: 'Test results of the person acted for, newest first (PCR: pending until the tube’s result)',
        response: answers({
          200: Type.Object({
            results: Type.Array(Type.Object({ at: Instant, kind: lit(['pcr', 'antigen'] as const), result: lit(['pending', ...RESULTS] as const), campaign: Type.Optional(Type.String()) })),
          }),
        }),
      },
    },
    async (req) => portal.resultsOf(ctx, await requireResident(ctx, req)),
  );

  const AntigenItem = Type.Object({ id: Type.Integer(), result: lit(RESULTS), testedAt: Instant, reportedAt: Instant, byStaff: Type.Boolean() });
  app.get(
    '/api/portal/antigen-reports',
    { schema: { tags, security, summary: 'Antigen results of the person acted for, newest first', response: answers({ 200: Type.Object({ items: Type.Array(AntigenItem) }) }) } },
    async (req) => portal.antigenReports(ctx, await requireResident(ctx, req)),
  );
  app.post(
    '/api/portal/antigen-reports',
    {
      schema: {
        tags,
        security,
        summary: 'Report an antigen result for the person acted for (idempotent by key); a positive raises an alert',
        body: Type.Object({ key: Key, result: lit(RESULTS), testedAt: Type.Optional(Instant) }),
        response: answers({ 200: Type.Object({ reportId: Type.Integer(), received: Type.Literal(true), replay: Type.Boolean() }) }),
      },
    },
    async (req) => portal.reportAntigen(ctx, await requireResident(ctx, req), req.body),
  );

  app.get(
    '/api/portal/notices',
    {
      schema: {
        tags,
        security,
        summary: `In-app notices of the person acted for, newest first (${portal.NOTICES_PER_PAGE} a page)`,
        querystring: Type.Object({ page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }) }),
        response: answers({
          200: Type.Object({
            notices: Type.Array(Type.Object({ id: NoticeId, subject: Nullable(Type.String()), body: Type.String(), at: Instant, readAt: Nullable(Instant) })),
            unread: Type.Integer(),
            total: Type.Integer(),
          }),
        }),
      },
    },
    async (req) => portal.notices(ctx, await requireResident(ctx, req), req.query.page),
  );
  app.post(
    '/api/portal/notices/:id/read',
    { schema: { tags, security, summary: 'Mark a notice read (a message uuid, or notice-<id> for a notice posted to a place)', params: Type.Object({ id: NoticeId }), response: answers({ 204: NoContent }) } },
    async (req, reply) => {
      await portal.markRead(ctx, await requireResident(ctx, req), req.params.id);
      reply.status(204);
    return null;
    },
  );

  app.get(
    '/api/portal/stream',
    {
      schema: {
        tags,
        security,
        summary: 'Server-Sent Events: `event: notice` (data {id}) when an in-app message for the person acted for is delivered',
        response: answers({ 200: fileAnswer('text/event-stream', 'Server-Sent Events: `event: notice` with {"id": message id}; `: ping` comments keep it open') }),
      },
    },
    async (req, reply) => {
      const r = await requireResident(ctx, req);
      // residents share the per-account stream places with staff ids, so they count as negative ids
      const release = ctx.events.holdStream(-r.residentId, ctx.config.maxStreamsPerUser);
      if (!release) throw new AppError('STREAMS_TOO_MANY', { params: { max: ctx.config.maxStreamsPerUser, retryAfter: 20 } });
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.write(': open\n\n');
      const path = await portal.placePathOf(ctx, r.subjectId);
      const offMessages = ctx.events.subscribe(INAPP_TOPIC, (data) => {
        // the outbox's in-app channel publishes each message it delivers (InappEvent)
        if (data.residentId === r.subjectId && typeof data.messageId === 'string') {
          res.write(`event: notice\ndata: ${JSON.stringify({ id: data.messageId })}\n\n`);
        }
      });
      const offPosted = ctx.events.subscribe(NOTICE_POSTED_TOPIC, (data) => {
        // a notice posted to a place the person lives under
        const posted = data as unknown as NoticePosted;
        if (path && typeof posted.placePath === 'string' && path.startsWith(posted.placePath)) {
          res.write(`event: notice\ndata: ${JSON.stringify({ id: `notice-${posted.noticeId}` })}\n\n`);
        }
      });
      const off = () => {
        offMessages();
        offPosted();
      };
      const ping = setInterval(() => res.write(': ping\n\n'), 20_000);
      req.raw.on('close', () => {
        release();
        off();
        clearInterval(ping);
      });
    },
  );

  // ---- staff
  app.post(
    '/api/households/:id/codes/rotate',
    {
      schema: {
        tags: ['registry'],
        summary: 'A lost card: rotate the household’s personal codes (every old QR stops working at once); audited',
        params: IdParam,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: answers({ 200: Type.Object({ version: Type.Integer() }) }),
      },
    },
    async (req) => portal.rotateHouseholdCodes(ctx, requireActor(req), req.params.id, req.body.reason),
  );
}
