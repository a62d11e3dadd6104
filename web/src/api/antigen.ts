// The antigen-kit API (server/src/modules/testing/antigen-routes.ts), for the console and the
// residents' self-report page; shapes are pieces of the generated schema.d.ts (`npm run api`).
// Writes carry a key made once per submission, so a retry or a double tap is recorded once.
import { api, call } from './client';
import { every, type Answer, type BodyOf } from './types';

export type AntigenResult = BodyOf<'/api/antigen/reports', 'post'>['result'];
export const ANTIGEN_RESULTS = every<AntigenResult>()(['negative', 'positive', 'invalid']);

export type HouseholdAntigen = Answer<'/api/households/{id}/antigen'>;
export type AntigenReport = Answer<'/api/residents/{id}/antigen'>['items'][number];
export type KitDistribution = HouseholdAntigen['distributions'][number];
export type AntigenSummary = Answer<'/api/antigen/summary'>;
export type AntigenCounts = Omit<AntigenSummary, 'rows'>;
export type AntigenAlert = Answer<'/api/antigen/alerts'>['items'][number];

const id = (n: number) => ({ path: { id: n } });

export const antigen = {
  household: (n: number) => call(api.GET('/api/households/{id}/antigen', { params: id(n) })),
  resident: (n: number) => call(api.GET('/api/residents/{id}/antigen', { params: id(n) })),
  distribute: (body: BodyOf<'/api/antigen/distributions', 'post'>) => call(api.POST('/api/antigen/distributions', { body })),
  report: (body: BodyOf<'/api/antigen/reports', 'post'>) => call(api.POST('/api/antigen/reports', { body })),
  selfReport: (body: BodyOf<'/api/public/antigen-reports', 'post'>) => call(api.POST('/api/public/antigen-reports', { body }), { quiet401: true }),
  summary: (placeId?: number) => call(api.GET('/api/antigen/summary', { params: { query: { placeId, by: 'children' } } })),
  alerts: (open: boolean | undefined, cursor?: string | null, limit = 50) =>
    call(api.GET('/api/antigen/alerts', { params: { query: { open, cursor: cursor ?? undefined, limit } } })),
  openCount: () => call(api.GET('/api/antigen/alerts/count')),
  acknowledge: (n: number) => call(api.POST('/api/antigen/alerts/{id}/acknowledge', { params: id(n) })),
};
