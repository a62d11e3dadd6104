// HTTP for zones: the policies (presets and their versions), zones in force and their history,
// declaring, re-applying, stepping down and lifting, and the step-down candidates.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import { answers, Day, IdParam, Instant, Items, lit, Nullable } from '../../platform/schemas.js';
import { listPolicies, MOVEMENTS, SUPPLIES, updatePolicy, ZONE_LEVELS } from './policies.js';
import { declareZones, liftZone, listStepDownCandidates, listZones, placeZoneHistory, reapplyZone, stepDownZone } from './zones.js';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const PolicyKey = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$', description: 'a policy key (sealed, controlled, prevention, high_risk, …)' });
const Reason = Type.String({ minLength: 2, maxLength: 500, description: 'why: kept with the decision, shown in the history' });
const Names = Type.Object({
  'zh-CN': Type.String({ minLength: 1, maxLength: 40 }),
  'en-US': Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  'ko-KR': Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
});
const Rules = {
  level: lit(ZONE_LEVELS),
  names: Names,
  movement: { ...lit(MOVEMENTS), description: 'what residents may do: stay home, stay in the compound, no gatherings, free' },
  supply: { ...lit(SUPPLIES), description: 'how supplies reach them: to the door, at a pickup point, the shops' },
  testEveryDays: Nullable(Type.Integer({ minimum: 1, maximum: 30, description: 'a test every N days (null: with the campaigns)' })),
  testPerHousehold: Type.Boolean({ description: 'one tube per household' }),
  stepDownDays: Nullable(Type.Integer({ minimum: 1, maximum: 90, description: 'may step down after N days with no new positive (null: only by hand)' })),
  stepDownTo: Nullable({ ...PolicyKey, description: 'the policy it steps down to (null: stepping down lifts it)' }),
};
const Policy = Type.Object({ id: Type.Integer(), key: Type.String(), version: Type.Integer(), createdAt: Instant, ...Rules });
const PlaceRef = Type.Object({ id: Type.Integer(), name: Type.String(), kind: Type.String() });
const Zone = Type.Object({
  id: Type.Integer(),
  place: Type.Object({ ...PlaceRef.properties, path: Type.String() }),
  policy: Policy,
  newerVersion: Nullable(Type.Integer({ description: 'the latest version of its policy, when newer than the one it follows' })),
  reason: Type.String(),
  declaredBy: Nullable(Type.String()),
  declaredAt: Instant,
  steppedFrom: Nullable(Type.Integer()),
  endedAt: Nullable(Instant),
  endedHow: Nullable(lit(['lifted', 'stepped_down'] as const)),
  endReason: Nullable(Type.String()),
  endedBy: Nullable(Type.String()),
  households: Type.Integer(),
  residents: Type.Integer(),
});
const ZoneEvent = Type.Object({
  id: Type.Integer(),
  zoneId: Type.Integer(),
  kind: lit(['declared', 'reapplied', 'stepped_down', 'lifted'] as const),
  policy: Type.Object({ key: Type.String(), version: Type.Integer(), names: Names, level: Type.String() }),
  reason: Type.String(),
  actor: Nullable(Type.String()),
  at: Instant,
});
const ReasonBody = Type.Object({ reason: Reason });

export async function zoneRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const ctx = app.ctx;
  const tags = ['zones'];

  app.get(
    '/api/zone-policies',
    { schema: { tags, summary: 'The zone policies (latest version of each), strictest first', response: answers({ 200: Items(Type.Object({ ...Policy.properties, versions: Type.Integer() })) }) } },
    async (req) => listPolicies(ctx, requireActor(req)),
  );
  app.put(
    '/api/zone-policies/:key',
    {
      schema: {
        tags,
        summary: "Edits a policy: a new version (zones in force keep theirs until re-applied); the administrator's",
        params: Type.Object({ key: PolicyKey }),
        body: Type.Object(Rules),
        response: answers({ 200: Policy }),
      },
    },
    async (req) => updatePolicy(ctx, requireActor(req), req.params.key, req.body),
  );
  app.get(
    '/api/zones',
    {
      schema: {
        tags,
        summary: 'Zones over and under my area (in force, or all), strictest first, with households and residents under each',
        querystring: Type.Object({ placeId: Type.Optional(Id), include: Type.Optional(lit(['active', 'all'] as const)) }),
        response: answers({ 200: Items(Zone) }),
      },
    },
    async (req) => listZones(ctx, requireActor(req), req.query),
  );
  app.post(
    '/api/zones',
    {
      schema: {
        tags,
        summary: 'Declares a zone on each place given (all or none), under the latest version of the policy',
        body: Type.Object({
          key: Type.String({ format: 'uuid', description: 'idempotency key made by the client once per request' }),
          placeIds: Type.Array(Id, { minItems: 1, maxItems: 200, description: 'places within my area: a compound, some buildings, a unit' }),
          policy: PolicyKey,
          reason: Reason,
        }),
        response: answers({ 201: Type.Object({ items: Type.Array(Zone), replay: Type.Boolean() }) }),
      },
    },
    async (req, reply) => reply.code(201).send(await declareZones(ctx, requireActor(req), req.body)),
  );
  app.get(
    '/api/zones/step-down',
    { schema: { tags, summary: 'Zones in my area that meet their step-down rule now, for a person to confirm', response: answers({ 200: Items(Type.Object({ zone: Zone, lastPositiveAt: Nullable(Instant), daysClear: Type.Integer(), listedOn: Nullable(Day) })) }) } },
    async (req) => listStepDownCandidates(ctx, requireActor(req)),
  );
  app.post(
    '/api/zones/:id/step-down',
    { schema: { tags, summary: "Steps a zone down to its policy's next (the last step lifts it)", params: IdParam, body: ReasonBody, response: answers({ 200: Type.Object({ ended: Zone, next: Nullable(Zone) }) }) } },
    async (req) => stepDownZone(ctx, requireActor(req), req.params.id, req.body.reason),
  );
  app.post(
    '/api/zones/:id/lift',
    { schema: { tags, summary: 'Lifts a zone', params: IdParam, body: ReasonBody, response: answers({ 200: Zone }) } },
    async (req) => liftZone(ctx, requireActor(req), req.params.id, req.body.reason),
  );
  app.post(
    '/api/zones/:id/reapply',
    { schema: { tags, summary: 'Moves a zone onto the latest version of its policy', params: IdParam, body: ReasonBody, response: answers({ 200: Zone }) } },
    async (req) => reapplyZone(ctx, requireActor(req), req.params.id, req.body.reason),
  );
  app.get(
    '/api/places/:id/zones',
    {
      schema: {
        tags,
        summary: 'Every zone declared on a place, with the trail of decisions',
        params: IdParam,
        response: answers({ 200: Type.Object({ place: PlaceRef, zones: Type.Array(Zone), events: Type.Array(ZoneEvent) }) }),
      },
    },
    async (req) => placeZoneHistory(ctx, requireActor(req), req.params.id),
  );
}
