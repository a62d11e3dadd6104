// The zones API (server/src/modules/zones/routes.ts): policies and their versions, zones in
// force and their history, declaring (with a key made once per submission, so a retry or a
// double click declares once), stepping down, lifting, re-applying; shapes are pieces of the
// generated schema.d.ts (`npm run api`).
import { api, call } from './client';
import { every, type Answer, type BodyOf, type QueryOf } from './types';

export type ZonePolicy = Answer<'/api/zone-policies'>['items'][number];
export type PolicyRules = BodyOf<'/api/zone-policies/{key}', 'put'>;
export type Zone = Answer<'/api/zones'>['items'][number];
export type ZoneInclude = NonNullable<QueryOf<'/api/zones'>['include']>;
export type Declare = BodyOf<'/api/zones', 'post'>;
export type StepDownCandidate = Answer<'/api/zones/step-down'>['items'][number];
export type PlaceZoneHistory = Answer<'/api/places/{id}/zones'>;
export type ZoneEvent = PlaceZoneHistory['events'][number];
export type ZoneEventKind = ZoneEvent['kind'];
export type ZoneLevel = ZonePolicy['level'];
export type Movement = ZonePolicy['movement'];
export type Supply = ZonePolicy['supply'];
export type PolicyNames = ZonePolicy['names'];
export type PolicyLanguage = keyof PolicyNames;

export const ZONE_LEVELS = every<ZoneLevel>()(['sealed', 'controlled', 'prevention', 'high', 'medium', 'low']);
export const MOVEMENTS = every<Movement>()(['stay_home', 'stay_in_compound', 'no_gatherings', 'free']);
export const SUPPLIES = every<Supply>()(['door', 'pickup', 'shops']);
export const POLICY_LANGUAGES = every<PolicyLanguage>()(['zh-CN', 'en-US', 'ko-KR']);
export const ZONE_EVENT_KINDS = every<ZoneEventKind>()(['declared', 'reapplied', 'stepped_down', 'lifted']);

/** The three decisions on a zone in force, each with a reason. */
export type ZoneAction = 'stepDown' | 'lift' | 'reapply';

const id = (n: number) => ({ path: { id: n } });

export const zones = {
  policies: () => call(api.GET('/api/zone-policies')),
  updatePolicy: (key: string, body: PolicyRules) => call(api.PUT('/api/zone-policies/{key}', { params: { path: { key } }, body })),
  list: (query: { placeId?: number; include?: ZoneInclude } = {}) => call(api.GET('/api/zones', { params: { query } })),
  declare: (body: Declare) => call(api.POST('/api/zones', { body })),
  stepDownCandidates: () => call(api.GET('/api/zones/step-down')),
  stepDown: (n: number, reason: string) => call(api.POST('/api/zones/{id}/step-down', { params: id(n), body: { reason } })),
  lift: (n: number, reason: string) => call(api.POST('/api/zones/{id}/lift', { params: id(n), body: { reason } })),
  reapply: (n: number, reason: string) => call(api.POST('/api/zones/{id}/reapply', { params: id(n), body: { reason } })),
  history: (placeId: number) => call(api.GET('/api/places/{id}/zones', { params: id(placeId) })),
};
