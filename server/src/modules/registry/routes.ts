// HTTP for places, households and residents.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import { ID_TYPES } from '../../platform/ids.js';
import { answers, fileAnswer, IdParam, Items, Ok, Page, PageQuery, PlaceWithCounts } from '../../platform/schemas.js';
import { Household, HouseholdCard, PersonalCode, PlaceDetail, Resident, ResidentPage } from './schemas.js';
import { exportResidents } from './export.js';
import * as places from './places.js';
import { LANGUAGES, TENANCIES } from './resident-input.js';
import * as residents from './residents.js';
import { importRoutes } from './import/routes.js';
import { shanghaiDate } from '../../platform/time.js';

const lit = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Date = Type.String({ format: 'date' });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));

const ResidentFields = {
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  idType: Type.Optional(lit(ID_TYPES)),
  idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
  sex: Type.Optional(Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Null()])),
  birthDate: Nullable(Date),
  phone: Nullable(Type.String({ maxLength: 20 })),
  nationality: Type.Optional(Type.String({ maxLength: 3 })),
  language: Type.Optional(lit(LANGUAGES)),
  tenancy: Type.Optional(lit(TENANCIES)),
  elderlyAlone: Type.Optional(Type.Boolean()),
  mobilityImpaired: Type.Optional(Type.Boolean()),
  pregnant: Type.Optional(Type.Boolean()),
  dueDate: Nullable(Date),
  chronicIllness: Type.Optional(Type.Boolean()),
  infant: Type.Optional(Type.Boolean()),
};

const ResidentQuery = {
  q: Type.Optional(Type.String({ maxLength: 50, description: 'name prefix, full mobile number or full ID number' })),
  name: Type.Optional(Type.String({ maxLength: 50 })),
  phone: Type.Optional(Type.String({ maxLength: 20 })),
  idNumber: Type.Optional(Type.String({ maxLength: 30 })),
  placeId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  tenancy: Type.Optional(lit(TENANCIES)),
  flags: Type.Optional(Type.String({ pattern: `^((${residents.CARE_FLAGS.join('|')}),?)*$`, description: 'comma list of care flags' })),
};

function parseFlags(flags?: string): residents.CareFlag[] {
  return (flags ?? '').split(',').filter(Boolean) as residents.CareFlag[];
}

export async function registryRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const ctx = app.ctx;
  const tags = ['registry'];

  app.get('/api/places/roots', { schema: { tags, summary: 'The top of my place scope', response: answers({ 200: Items(PlaceWithCounts) }) } }, async (req) => ({
    items: await places.roots(ctx, requireActor(req)),
  }));
  app.get('/api/places/:id', { schema: { tags, summary: 'A place with counts and breadcrumbs', response: answers({ 200: PlaceDetail }), params: IdParam } }, async (req) =>
    places.getPlace(ctx, requireActor(req), req.params.id),
  );
  app.get('/api/places/:id/children', { schema: { tags, summary: 'Child places with counts', response: answers({ 200: Items(PlaceWithCounts) }), params: IdParam } }, async (req) => ({
    items: await places.children(ctx, requireActor(req), req.params.id),
  }));
  app.post(
    '/api/places',
    {
      schema: {
        tags,
        summary: 'Create a place', response: answers({ 201: PlaceWithCounts }),
        body: Type.Object({
          parentId: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
          kind: lit(places.PLACE_KINDS),
          name: Type.String({ minLength: 1, maxLength: 100 }),
          code: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
          floors: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 200 }), Type.Null()])),
        }),
      },
    },
    async (req, reply) => {
      reply.status(201);
      return places.createPlace(ctx, requireActor(req), req.body);
    },
  );
  app.patch(
    '/api/places/:id',
    {
      schema: {
        tags,
        summary: 'Rename a place or change its code or floors', response: answers({ 200: PlaceWithCounts }),
        params: IdParam,
        body: Type.Object({
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          code: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
          floors: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 200 }), Type.Null()])),
        }),
      },
    },
    async (req) => places.updatePlace(ctx, requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/places/:id/move',
    { schema: { tags, summary: 'Move a place under another parent', response: answers({ 200: PlaceWithCounts }), params: IdParam, body: Type.Object({ parentId: Type.Integer({ minimum: 1 }) }) } },
    async (req) => places.movePlace(ctx, requireActor(req), req.params.id, req.body.parentId),
  );
  app.post('/api/places/:id/archive', { schema: { tags, summary: 'Archive an empty place', response: answers({ 200: Ok }), params: IdParam } }, async (req) =>
    places.archivePlace(ctx, requireActor(req), req.params.id),
  );

  app.get(
    '/api/households',
    { schema: { tags, summary: 'Households under a place', response: answers({ 200: Page(Household) }), querystring: Type.Object({ placeId: Type.Optional(Type.Integer({ minimum: 1 })), ...PageQuery }) } },
    async (req) => residents.listHouseholds(ctx, requireActor(req), req.query),
  );
  app.get('/api/households/:id/card', { schema: { tags, summary: "A household's personal codes on one card (logged)", response: answers({ 200: HouseholdCard }), params: IdParam } }, async (req) =>
    residents.householdCard(ctx, requireActor(req), req.params.id),
  );
  app.get('/api/residents/:id/code', { schema: { tags, summary: "A resident's personal code (QR content)", response: answers({ 200: PersonalCode }), params: IdParam } }, async (req) =>
    residents.personalCode(ctx, requireActor(req), req.params.id),
  );
  app.get('/api/households/:id', { schema: { tags, summary: 'A household and its members (audit-logged)', response: answers({ 200: Type.Object({ household: Household, residents: Type.Array(Resident) }) }), params: IdParam } }, async (req) =>
    residents.getHousehold(ctx, requireActor(req), req.params.id),
  );
  app.post(
    '/api/households',
    {
      schema: {
        tags,
        summary: 'Create a household in a unit or building', response: answers({ 201: Household }),
        body: Type.Object({ placeId: Type.Integer({ minimum: 1 }), room: Type.String({ minLength: 1, maxLength: 20 }) }),
      },
    },
    async (req, reply) => {
      reply.status(201);
      return residents.createHousehold(ctx, requireActor(req), req.body);
    },
  );

  app.get(
    '/api/residents',
    { schema: { tags, summary: 'Search residents in my scope', response: answers({ 200: ResidentPage }), querystring: Type.Object({ ...ResidentQuery, ...PageQuery }) } },
    async (req) => residents.searchResidents(ctx, requireActor(req), { ...req.query, flags: parseFlags(req.query.flags) }),
  );
  app.get(
    '/api/residents/export.xlsx',
    {
      schema: {
        tags,
        summary: 'Export a resident search as XLSX (audit-logged)', response: answers({ 200: fileAnswer(XLSX, 'The residents found, one row each (streamed)') }),
        querystring: Type.Object({ ...ResidentQuery, fullIds: Type.Optional(Type.Boolean()) }),
      },
    },
    async (req, reply) => {
      const { stream } = await exportResidents(ctx, requireActor(req), { ...req.query, flags: parseFlags(req.query.flags) });
      // the date of the officer's day (Beijing), not UTC's: an export at 07:00 was dated yesterday
      const name = encodeURIComponent(`居民台账-${shanghaiDate()}.xlsx`);
      reply
        .type(XLSX)
        .header('content-disposition', `attachment; filename="residents.xlsx"; filename*=UTF-8''${name}`);
      return reply.send(stream);
    },
  );
  app.get('/api/residents/:id', { schema: { tags, summary: 'A resident’s full record (audit-logged)', response: answers({ 200: Type.Object({ resident: Resident }) }), params: IdParam } }, async (req) => ({
    resident: await residents.readResident(ctx, requireActor(req), req.params.id),
  }));
  app.post('/api/residents/:id/reveal-id', { schema: { tags, summary: 'Show the full ID number (audit-logged)', response: answers({ 200: Type.Object({ idNumber: Type.String() }) }), params: IdParam } }, async (req) => ({
    idNumber: await residents.revealId(ctx, requireActor(req), req.params.id),
  }));
  app.post(
    '/api/residents',
    {
      schema: {
        tags,
        summary: 'Register a resident in a household', response: answers({ 201: Type.Object({ resident: Resident }) }),
        body: Type.Object({
          householdId: Type.Integer({ minimum: 1 }),
          ...ResidentFields,
          name: Type.String({ minLength: 1, maxLength: 50 }),
          idNumber: Type.String({ minLength: 1, maxLength: 30 }),
        }),
      },
    },
    async (req, reply) => {
      reply.status(201);
      return { resident: await residents.createResident(ctx, requireActor(req), req.body) };
    },
  );
  app.patch(
    '/api/residents/:id',
    {
      schema: {
        tags,
        summary: 'Edit a resident or move them to another household', response: answers({ 200: Type.Object({ resident: Resident }) }),
        params: IdParam,
        body: Type.Object({ householdId: Type.Optional(Type.Integer({ minimum: 1 })), ...ResidentFields }),
      },
    },
    async (req) => ({ resident: await residents.updateResident(ctx, requireActor(req), req.params.id, req.body) }),
  );
  app.delete('/api/residents/:id', { schema: { tags, summary: 'Archive a resident who moved away', response: answers({ 200: Ok }), params: IdParam } }, async (req) =>
    residents.archiveResident(ctx, requireActor(req), req.params.id),
  );

  await app.register(importRoutes);
}
