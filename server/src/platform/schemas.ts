// Shared TypeBox pieces for routes: parameters, and the pieces of answers that several
// routes share (the error body, the paging envelope, places and residents in summary).
import type { Readable } from 'node:stream';
import { Type, type Static, type TSchema } from 'typebox';

export const IdParam = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 100, description: 'opaque cursor from the previous page' })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
};

// Answers are written by fast-json-stringify: a plain `enum` and `nullable: true` (OpenAPI 3.0's
// own keyword, which @fastify/swagger keeps) serialise without the per-value schema checks an
// anyOf costs.

/** One of a constant list of strings. */
export const lit = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });

/** A value or null. */
export const Nullable = <T extends TSchema>(t: T) => Type.Unsafe<Static<T> | null>({ ...t, nullable: true });

/** A moment as an ISO 8601 string (a Date is written the same way by the serializer). */
export const Instant = Type.String({ format: 'date-time' });
/** A calendar day, YYYY-MM-DD. */
export const Day = Type.String({ format: 'date' });

/** Both languages of a text. */
export const Messages = Type.Object({ 'zh-CN': Type.String(), 'en-US': Type.String() });

/** A list page: the items and the cursor of the next page (null on the last). */
export const Page = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

/** A list that is not paged. */
export const Items = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });

export const Ok = Type.Object({ ok: Type.Boolean() });

/**
 * The one error shape (errors.ts errorBody). Registered once under this $id and referenced
 * by every route for 4xx and 5xx; members beside `error` (the row report of RESULTS_REJECTED)
 * are kept.
 */
export const ERROR_SCHEMA_ID = 'ErrorBody';
export const ErrorBody = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({ description: 'stable error code, e.g. RESIDENT_NOT_FOUND' }),
        status: Type.Integer(),
        field: Type.Optional(Type.String({ description: 'the field at fault' })),
        message: Type.String({ description: 'the message in the request language' }),
        messages: Messages,
      },
      { additionalProperties: true },
    ),
  },
  { $id: ERROR_SCHEMA_ID, title: ERROR_SCHEMA_ID, additionalProperties: true, description: 'Every error: { error: { code, status, field, message, messages } }' },
);

const ErrorRef = Type.Unsafe<{ error: { code: string; status: number; field?: string; message: string; messages: { 'zh-CN': string; 'en-US': string } }; [k: string]: unknown }>(
  Type.Ref(ERROR_SCHEMA_ID),
);

/** The error answers every route declares beside its success answers. */
export const errorResponses = { '4xx': ErrorRef, '5xx': ErrorRef } as const;

/** Success answers plus the shared error answers: `response: answers({ 200: X })`. */
export function answers<T extends Record<number, TSchema>>(ok: T): T & typeof errorResponses {
  return { ...ok, ...errorResponses };
}

/** A file download: the content type and a binary body, for the OpenAPI document (the body is streamed, not serialised). */
export function fileAnswer(contentType: string, description: string) {
  return { description, content: { [contentType]: { schema: Type.Unsafe<Buffer | Readable>({ type: 'string', format: 'binary' }) } } };
}

/** A place as the registry presents it (places.ts Place). */
export const PlaceKind = lit(['district', 'street', 'community', 'compound', 'grid', 'building', 'unit', 'entrance'] as const);
export const Place = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  kind: PlaceKind,
  name: Type.String(),
  code: Nullable(Type.String()),
  path: Type.String(),
  depth: Type.Integer(),
  floors: Nullable(Type.Integer()),
});
/** A place with its head counts (places.ts PlaceWithCounts). */
export const PlaceWithCounts = Type.Object({
  ...Place.properties,
  households: Type.Integer(),
  residents: Type.Integer(),
  children: Type.Integer(),
});

/** A resident in summary: masked ID, and the phone masked where lists show it. */
export const MaskedResident = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  idMasked: Type.String(),
  phone: Nullable(Type.String()),
});

/** A grid worker to call about a place. */
export const GridWorker = Type.Object({ name: Type.String(), phone: Nullable(Type.String()) });
