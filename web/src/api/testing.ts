// The testing-campaign API (server/src/modules/testing/*routes.ts). Shapes are pieces of the
// generated schema.d.ts (`npm run api`), named for the pages.
import { api, call, formData, queryString } from './client';
import { every, type Answer, type BodyOf, type QueryOf } from './types';

export type Campaign = Answer<'/api/campaigns/{id}'>;
export type CampaignSummary = Answer<'/api/campaigns'>['items'][number];
export type Round = Campaign['rounds'][number];
export type Site = Campaign['sites'][number];
export type Mode = Site['mode'];
export const MODES = every<Mode>()(['single', 'pool5', 'pool10', 'pool20', 'household']);
export type NewCampaign = BodyOf<'/api/campaigns', 'post'>;

export type Board = NonNullable<Answer<'/api/campaigns/{id}/board'>>;
export type SchedulePlan = NonNullable<Answer<'/api/rounds/{id}/schedule'>>;
export type SitePlan = SchedulePlan['sites'][number];
export type Simulation = SchedulePlan['simulation'];
export type Slot = Answer<'/api/rounds/{id}/slots'>['items'][number];

export type Coverage = Answer<'/api/rounds/{id}/coverage'>;
export type CoverageRow = Coverage['rows'][number];
export type MissingPerson = Answer<'/api/rounds/{id}/missing'>['items'][number];
export type ExemptionReason = BodyOf<'/api/rounds/{id}/exemptions/{residentId}', 'put'>['reason'];
export const EXEMPTION_REASONS = every<ExemptionReason>()(['away', 'hospitalised', 'infant', 'bedridden', 'quarantined', 'other']);

/** A box with its tubes (one box asked for, or just packed, handed over, received). */
export type Box = Answer<'/api/boxes/{barcode}'>;
/** A box in a round's list: how many tubes and people, not the tubes. */
export type BoxSummary = Answer<'/api/rounds/{id}/boxes'>['items'][number];
export type Tube = Answer<'/api/tubes/{barcode}'>;
export type TestResult = BodyOf<'/api/results', 'post'>['results'][number]['result'];
export type ResultSummary = Answer<'/api/results', 'post'>;
export type Recall = Answer<'/api/recalls'>['items'][number];
export type ResidentTest = Answer<'/api/residents/{id}/tests'>['items'][number];

const id = (n: number) => ({ path: { id: n } });
const bc = (barcode: string) => ({ path: { barcode } });

export const campaigns = {
  list: () => call(api.GET('/api/campaigns')),
  get: (n: number) => call(api.GET('/api/campaigns/{id}', { params: id(n) })),
  create: (body: NewCampaign) => call(api.POST('/api/campaigns', { body })),
  addRound: (n: number, body: BodyOf<'/api/campaigns/{id}/rounds', 'post'>) => call(api.POST('/api/campaigns/{id}/rounds', { params: id(n), body })),
  addSite: (n: number, body: BodyOf<'/api/campaigns/{id}/sites', 'post'>) => call(api.POST('/api/campaigns/{id}/sites', { params: id(n), body })),
  updateSite: (siteId: number, body: BodyOf<'/api/sites/{id}', 'patch'>) => call(api.PATCH('/api/sites/{id}', { params: id(siteId), body })),
  board: (n: number, roundId?: number) => call(api.GET('/api/campaigns/{id}/board', { params: { ...id(n), query: { roundId } } })),
  /** Server-Sent Events: a `board` event now and after every change. */
  boardStreamUrl: (n: number, roundId?: number) => `/api/campaigns/${n}/board/stream` + queryString({ roundId }),
};

export const schedule = {
  plan: (roundId: number, body: BodyOf<'/api/rounds/{id}/schedule', 'post'>) => call(api.POST('/api/rounds/{id}/schedule', { params: id(roundId), body })),
  get: (roundId: number) => call(api.GET('/api/rounds/{id}/schedule', { params: id(roundId) })),
  slots: (roundId: number, f: Partial<QueryOf<'/api/rounds/{id}/slots'>>) =>
    call(api.GET('/api/rounds/{id}/slots', { params: { ...id(roundId), query: { ...f, limit: f.limit ?? 500 } } })),
  editSlot: (slotId: number, body: BodyOf<'/api/slots/{id}', 'patch'>) => call(api.PATCH('/api/slots/{id}', { params: id(slotId), body })),
};

export const coverage = {
  get: (roundId: number, f: QueryOf<'/api/rounds/{id}/coverage'>) => call(api.GET('/api/rounds/{id}/coverage', { params: { ...id(roundId), query: f } })),
  missing: (roundId: number, placeId: number | undefined, cursor?: string | null, limit = 50) =>
    call(api.GET('/api/rounds/{id}/missing', { params: { ...id(roundId), query: { placeId, cursor: cursor ?? undefined, limit } } })),
  missingXlsxUrl: (roundId: number, placeId?: number) => `/api/rounds/${roundId}/missing.xlsx` + queryString({ placeId }),
  exempt: (roundId: number, residentId: number, body: BodyOf<'/api/rounds/{id}/exemptions/{residentId}', 'put'>) =>
    call(api.PUT('/api/rounds/{id}/exemptions/{residentId}', { params: { path: { id: roundId, residentId } }, body })),
  unexempt: (roundId: number, residentId: number) =>
    call(api.DELETE('/api/rounds/{id}/exemptions/{residentId}', { params: { path: { id: roundId, residentId } } })),
};

export const handover = {
  boxes: (roundId: number) => call(api.GET('/api/rounds/{id}/boxes', { params: id(roundId) })),
  box: (barcode: string) => call(api.GET('/api/boxes/{barcode}', { params: bc(barcode) })),
  pack: (barcode: string, tubes: string[]) => call(api.POST('/api/boxes', { body: { barcode, tubes } })),
  handOver: (barcode: string, carrier: string) => call(api.POST('/api/boxes/{barcode}/handover', { params: bc(barcode), body: { carrier } })),
  receive: (barcode: string, labName: string, tubes: string[]) =>
    call(api.POST('/api/boxes/{barcode}/receive', { params: bc(barcode), body: { labName, tubes } })),
  tube: (barcode: string) => call(api.GET('/api/tubes/{barcode}', { params: bc(barcode) })),
  seal: (barcode: string) => call(api.POST('/api/tubes/{barcode}/seal', { params: bc(barcode) })),
};

export const results = {
  /** A lab file (CSV/XLSX with a tube and a result column). Answers 400 with the row report when any row is wrong. */
  // multipart: the route declares no JSON body, so the form goes in as the body openapi-fetch passes through
  upload: (file: File) => call(api.POST('/api/results/import', { body: formData({ file }) as never })),
  record: (rows: { tube: string; result: TestResult }[]) => call(api.POST('/api/results', { body: { results: rows } })),
  recalls: (f: Omit<QueryOf<'/api/recalls'>, 'cursor' | 'limit'>, cursor?: string | null, limit = 50) =>
    call(api.GET('/api/recalls', { params: { query: { ...f, cursor: cursor ?? undefined, limit } } })),
  residentTests: (residentId: number) => call(api.GET('/api/residents/{id}/tests', { params: id(residentId) })),
};

/** Every running campaign in my area (or a place of it), as GET /api/area-board answers. */
export type AreaBoard = Answer<'/api/area-board'>;
export type AreaCampaign = AreaBoard['campaigns'][number];

export const areaBoard = {
  get: (placeId?: number) => call(api.GET('/api/area-board', { params: { query: { placeId } } })),
  /** Server-Sent Events: a `board` event now, after every change and every minute. */
  streamUrl: (placeId?: number) => '/api/area-board/stream' + queryString({ placeId }),
};
