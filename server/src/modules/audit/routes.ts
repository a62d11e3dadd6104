// The audit log, readable by the command center: filter by user, action and time.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import { answers, Nullable, Page, PageQuery } from '../../platform/schemas.js';

const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  userId: Nullable(Type.Integer()),
  username: Nullable(Type.String()),
  action: Type.String(),
  entity: Nullable(Type.String()),
  entityId: Nullable(Type.String()),
  placePath: Nullable(Type.String()),
  detail: Type.Unknown({ description: 'what the action was about (JSON, shape per action)' }),
  ip: Nullable(Type.String()),
});
import { listAudit } from './service.js';

export async function auditRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit log (审计日志)', response: answers({ 200: Page(AuditEntry) }),
        querystring: Type.Object({
          username: Type.Optional(Type.String({ maxLength: 40 })),
          action: Type.Optional(Type.String({ maxLength: 60 })),
          entity: Type.Optional(Type.String({ maxLength: 40 })),
          entityId: Type.Optional(Type.String({ maxLength: 40 })),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          ...PageQuery,
        }),
      },
    },
    async (req) => listAudit(app.ctx, requireActor(req), req.query),
  );
}
