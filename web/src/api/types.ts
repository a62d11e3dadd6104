// The API's shapes, named for the pages: every one is a piece of schema.d.ts, which `npm run api`
// generates from the server's route schemas, so a field the server does not send does not exist here.
import type { paths } from './schema';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;

/** The JSON a route answers when it succeeds (its 200, 201 or 202). */
export type Answer<P extends keyof paths, M extends Method = 'get'> = paths[P][M] extends { responses: infer R }
  ? Json<R[Extract<keyof R, 200 | 201 | 202>]>
  : never;

/** The JSON body a route takes. */
export type BodyOf<P extends keyof paths, M extends Method> = paths[P][M] extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

/** The query parameters a route takes. */
export type QueryOf<P extends keyof paths, M extends Method = 'get'> = paths[P][M] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/**
 * A list of every member of a union, checked by the compiler (a value the server adds or drops
 * fails typecheck here instead of going missing from a select).
 */
export const every =
  <T extends string>() =>
  <const A extends readonly T[]>(values: A & ([T] extends [A[number]] ? unknown : { missing: Exclude<T, A[number]> })) =>
    values as readonly T[];

/** One page of a listing: items and the cursor of the next page (null: the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type User = Answer<'/api/auth/me'>['user'];
export type Role = User['role'];
export type Permission = Answer<'/api/auth/me'>['permissions'][number];
export type Preferences = NonNullable<User['preferences']>;
export type RoleItem = Answer<'/api/roles'>['items'][number];

export type Place = Answer<'/api/places/{id}'>['place'];
export type PlaceBase = Answer<'/api/places/{id}'>['ancestors'][number];
export type PlaceKind = Place['kind'];
export const PLACE_KINDS = every<PlaceKind>()(['district', 'street', 'community', 'compound', 'grid', 'building', 'unit', 'entrance']);

/** Which kinds may sit directly under which (mirrors the server's rule). */
export const ALLOWED_PARENTS: Record<PlaceKind, PlaceKind[]> = {
  district: [],
  street: ['district'],
  community: ['street'],
  compound: ['community'],
  grid: ['compound'],
  building: ['grid', 'compound'],
  unit: ['building'],
  entrance: ['compound'],
};

export function childKinds(kind: PlaceKind): PlaceKind[] {
  return PLACE_KINDS.filter((k) => ALLOWED_PARENTS[k].includes(kind));
}

export type Resident = Answer<'/api/residents/{id}'>['resident'];
type ResidentBody = BodyOf<'/api/residents', 'post'>;
export type Tenancy = NonNullable<ResidentBody['tenancy']>;
export const TENANCIES = every<Tenancy>()(['owner', 'tenant', 'floating']);
export type IdType = Resident['idType'];
export const ID_TYPES = every<IdType>()(['mainland_id', 'passport', 'hk_macau_permit', 'taiwan_permit']);
export type CareFlag = Extract<keyof Resident, 'elderlyAlone' | 'mobilityImpaired' | 'pregnant' | 'chronicIllness' | 'infant'>;
export const CARE_FLAGS: CareFlag[] = ['elderlyAlone', 'mobilityImpaired', 'pregnant', 'chronicIllness', 'infant'];
export const LANGUAGES = ['zh-CN', 'en-US', 'ko-KR', 'ja-JP', 'ru-RU', 'ug-CN', 'bo-CN', 'mn-CN'] as const;

export type Household = Answer<'/api/households/{id}'>['household'];

export type ImportPreview = Answer<'/api/imports/preview', 'post'>;
export type ImportField = ImportPreview['fields'][number];
export type ImportJob = Answer<'/api/imports/{id}'>['job'];
export type ImportStatus = ImportJob['status'];

export type AuditEntry = Answer<'/api/audit'>['items'][number];
