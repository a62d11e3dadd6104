// The outbox's routes: the development SMS page and the Web Push public key.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import { answers } from '../../platform/schemas.js';
import { listDevSms, vapidPublicKey } from './service.js';

const DevSms = Type.Object({
  id: Type.String({ format: 'uuid' }),
  at: Type.String({ format: 'date-time', description: 'when it was queued' }),
  to: Type.String({ description: 'the full mobile number' }),
  text: Type.String(),
  source: Type.String({ description: "what made it ('otp', 'notice', …)" }),
});

export async function outboxRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/dev-sms',
    {
      schema: {
        tags: ['outbox'],
        summary: 'Development SMS (开发短信): what would have been sent with no SMS centre configured; 404 when one is',
        querystring: Type.Object({
          to: Type.Optional(Type.String({ maxLength: 20, pattern: '^[0-9 +-]*$', description: 'part of the mobile number' })),
          page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
        response: answers({ 200: Type.Object({ items: Type.Array(DevSms), page: Type.Integer(), hasMore: Type.Boolean() }) }),
      },
    },
    async (req) => listDevSms(app.ctx, requireActor(req), req.query),
  );
  app.get(
    '/api/push/vapid-public-key',
    {
      schema: {
        tags: ['outbox'],
        summary: "The Web Push VAPID public key (an installed PWA's PushManager.subscribe applicationServerKey)",
        security: [],
        response: answers({ 200: Type.Object({ publicKey: Type.String({ description: 'URL-safe base64' }) }) }),
      },
    },
    async () => ({ publicKey: vapidPublicKey(app.ctx) }),
  );
}
