// HTTP for gates and checkpoints: the gates of my area, a check (and an offline device's queue of
// them), a gate's log, and visitors' registration.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import { ID_TYPES } from '../../platform/ids.js';
import { answers, IdParam, Instant, Items, lit, Nullable } from '../../platform/schemas.js';
import { checkAtGate, checkBatchAtGate, gateLog } from './checks.js';
import { listGates } from './gate.js';
import { registerVisitor } from './visitors.js';

const Key = Type.String({ format: 'uuid', description: 'idempotency key made by the device once per check' });
const Words = Type.Object({ 'zh-CN': Type.String(), 'en-US': Type.Optional(Type.String()), 'ko-KR': Type.Optional(Type.String()) });
const CheckBody = Type.Object({
  key: Key,
  code: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "a personal code, a visitor's pass, or what a card reader typed (an ID number)" })),
  idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  idType: Type.Optional(lit(ID_TYPES)),
  direction: lit(['in', 'out'] as const),
  temperature: Type.Optional(Type.Number({ minimum: 30, maximum: 45, description: '°C; 37.3 and above stops' })),
  plate: Type.Optional(Type.String({ minLength: 2, maxLength: 12, description: "a vehicle's plate at a road checkpoint" })),
  at: Type.Optional({ ...Instant, description: "the device's time of the check (offline checks are sent later)" }),
});
const Check = Type.Object({
  id: Type.Integer(),
  decision: lit(['pass', 'stop'] as const),
  colour: Nullable(lit(['green', 'yellow', 'red'] as const)),
  reasons: Type.Array(Type.Object({ key: Type.String(), colour: Nullable(lit(['red', 'yellow'] as const)), text: Words })),
  person: Type.Object({ kind: lit(['resident', 'visitor', 'unknown'] as const), name: Nullable(Type.String()), home: Nullable(Type.String()) }),
  direction: lit(['in', 'out'] as const),
  temperature: Nullable(Type.Number()),
  fever: Type.Boolean(),
  checkedAt: Instant,
  replay: Type.Boolean(),
});
const ErrorItem = Type.Object({ code: Type.String(), field: Type.Optional(Type.String()), messages: Type.Object({ 'zh-CN': Type.String(), 'en-US': Type.String() }) });

export async function gateRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const ctx = app.ctx;
  const tags = ['gates'];

  app.get(
    '/api/gates',
    { schema: { tags, summary: 'The gates and checkpoints of my area', response: answers({ 200: Items(Type.Object({ id: Type.Integer(), name: Type.String(), parent: Type.Object({ id: Type.Integer(), name: Type.String(), kind: Type.String() }) })) }) } },
    async (req) => listGates(ctx, requireActor(req)),
  );
  app.post(
    '/api/gates/:id/checks',
    { schema: { tags, summary: 'Checks a person at a gate: PASS or STOP with the reason (idempotent by key)', params: IdParam, body: CheckBody, response: answers({ 200: Check }) } },
    async (req) => checkAtGate(ctx, requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/gates/:id/checks/batch',
    {
      schema: {
        tags,
        summary: "An offline device's queued checks, each on its own (a retried one answers as a replay)",
        params: IdParam,
        body: Type.Object({ checks: Type.Array(CheckBody, { minItems: 1, maxItems: 200 }) }),
        response: answers({
          200: Type.Object({ results: Type.Array(Type.Object({ index: Type.Integer(), ok: Type.Boolean(), check: Type.Optional(Check), error: Type.Optional(ErrorItem) })) }),
        }),
      },
    },
    async (req) => checkBatchAtGate(ctx, requireActor(req), req.params.id, req.body.checks),
  );
  app.get(
    '/api/gates/:id/checks',
    {
      schema: {
        tags,
        summary: "A gate's log, newest first",
        params: IdParam,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }),
        response: answers({
          200: Type.Object({
            gate: Type.Object({ id: Type.Integer(), name: Type.String(), parent: Type.String() }),
            items: Type.Array(
              Type.Object({
                id: Type.Integer(),
                decision: lit(['pass', 'stop'] as const),
                direction: lit(['in', 'out'] as const),
                colour: Nullable(Type.String()),
                reasons: Type.Array(Type.String()),
                name: Nullable(Type.String()),
                kind: lit(['resident', 'visitor', 'unknown'] as const),
                temperature: Nullable(Type.Number()),
                plate: Nullable(Type.String()),
                checkedAt: Instant,
                checkedBy: Nullable(Type.String()),
              }),
            ),
          }),
        }),
      },
    },
    async (req) => gateLog(ctx, requireActor(req), req.params.id, req.query.limit),
  );
  app.post(
    '/api/gates/:id/visitors',
    {
      schema: {
        tags,
        summary: "Registers a visitor at a gate; answers their pass for today at the gate's compound (idempotent by key)",
        params: IdParam,
        body: Type.Object({
          key: Key,
          name: Type.String({ minLength: 1, maxLength: 50 }),
          idType: Type.Optional(lit(ID_TYPES)),
          idNumber: Type.String({ minLength: 1, maxLength: 40 }),
          phone: Type.String({ minLength: 5, maxLength: 20 }),
          visiting: Type.String({ minLength: 1, maxLength: 100, description: 'whom they visit (building and room, or a name)' }),
          purpose: Type.String({ minLength: 1, maxLength: 100 }),
        }),
        response: answers({
          201: Type.Object({
            id: Type.Integer(),
            name: Type.String(),
            idMasked: Type.String(),
            visiting: Type.String(),
            validOn: Type.String({ format: 'date' }),
            pass: Type.String({ description: 'the pass to show at the gate (a QR)' }),
            gate: Type.Object({ id: Type.Integer(), name: Type.String(), parent: Type.String() }),
            replay: Type.Boolean(),
          }),
        }),
      },
    },
    async (req, reply) => reply.code(201).send(await registerVisitor(ctx, requireActor(req), req.params.id, req.body)),
  );
}
