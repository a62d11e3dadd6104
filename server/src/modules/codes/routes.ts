// HTTP for personal code colours (staff side): the rules, a person's colour with its reasons,
// overrides, and the appeals of my area. The residents' side is in the portal module.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import { answers, IdParam, Items, lit } from '../../platform/schemas.js';
import { answerAppeal, listAppeals } from './appeals.js';
import { overrideColour, residentColour, revokeOverride } from './overrides.js';
import { listRules, RULE_KEYS, updateRule } from './rules.js';
import { AppealSchema, ColourLit as Colour, ColourSchema, WordsSchema } from './schemas.js';

const RuleSchema = Type.Object({
  key: lit(RULE_KEYS),
  version: Type.Integer(),
  enabled: Type.Boolean(),
  colour: lit(['red', 'yellow'] as const),
  params: Type.Object(
    {
      days: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
      hours: Type.Optional(Type.Integer({ minimum: 0, maximum: 168 })),
      levels: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 6 })),
    },
    { additionalProperties: false },
  ),
  names: WordsSchema,
  plain: WordsSchema,
});

export async function codeRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const ctx = app.ctx;
  const tags = ['codes'];

  app.get('/api/colour-rules', { schema: { tags, summary: 'The colour rules in force (latest version of each)', response: answers({ 200: Items(RuleSchema) }) } }, async (req) =>
    listRules(ctx, requireActor(req)),
  );
  app.put(
    '/api/colour-rules/:key',
    {
      schema: {
        tags,
        summary: "Edits a colour rule: its next version, in force at once; the administrator's",
        params: Type.Object({ key: lit(RULE_KEYS) }),
        body: Type.Object({ enabled: RuleSchema.properties.enabled, colour: RuleSchema.properties.colour, params: RuleSchema.properties.params, names: WordsSchema, plain: WordsSchema }),
        response: answers({ 200: RuleSchema }),
      },
    },
    async (req) => updateRule(ctx, requireActor(req), req.params.key, req.body),
  );
  app.get(
    '/api/residents/:id/colour',
    { schema: { tags, summary: "A person's code colour now, with every rule that fired and the fact behind it, and any override", params: IdParam, response: answers({ 200: ColourSchema }) } },
    async (req) => residentColour(ctx, requireActor(req), req.params.id),
  );
  app.post(
    '/api/residents/:id/colour-override',
    {
      schema: {
        tags,
        summary: "Sets a person's colour for a while, with a reason (audited); it replaces the rules' until it expires or is revoked",
        params: IdParam,
        body: Type.Object({
          colour: Colour,
          reason: Type.String({ minLength: 2, maxLength: 500 }),
          hours: Type.Integer({ minimum: 1, maximum: 336, description: 'how long it holds (at most 14 days)' }),
        }),
        response: answers({ 200: ColourSchema }),
      },
    },
    async (req) => overrideColour(ctx, requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/residents/:id/colour-override/revoke',
    { schema: { tags, summary: 'Ends the override in force (audited)', params: IdParam, body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }), response: answers({ 200: ColourSchema }) } },
    async (req) => revokeOverride(ctx, requireActor(req), req.params.id, req.body.reason),
  );
  app.get(
    '/api/colour-appeals',
    { schema: { tags, summary: 'Appeals of my area: waiting ones oldest first, or all', querystring: Type.Object({ open: Type.Optional(Type.Boolean()) }), response: answers({ 200: Items(AppealSchema) }) } },
    async (req) => listAppeals(ctx, requireActor(req), req.query),
  );
  app.post(
    '/api/colour-appeals/:id/answer',
    {
      schema: {
        tags,
        summary: 'Answers an appeal: kept, or changed (an override with the answer as its reason)',
        params: IdParam,
        body: Type.Object({
          outcome: lit(['changed', 'kept'] as const),
          answer: Type.String({ minLength: 2, maxLength: 1000 }),
          colour: Type.Optional(Colour),
          hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 336 })),
        }),
        response: answers({ 200: AppealSchema }),
      },
    },
    async (req) => answerAppeal(ctx, requireActor(req), req.params.id, req.body),
  );
}
