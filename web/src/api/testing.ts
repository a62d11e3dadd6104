// The testing-campaign API (server/src/modules/testing/*routes.ts), typed for the console.
import { http, queryString } from './client';
import type { Page } from './types';

export type Mode = 'single' | 'pool5' | 'pool10' | 'pool20' | 'household';
export const MODES: Mode[] = ['single', 'pool5', 'pool10', 'pool20', 'household'];
export type TestResult = 'negative' | 'positive' | 'invalid';
export type ExemptionReason = 'away' | 'hospitalised' | 'infant' | 'bedridden' | 'quarantined' | 'other';
export const EXEMPTION_REASONS: ExemptionReason[] = ['away', 'hospitalised', 'infant', 'bedridden', 'quarantined', 'other'];

export interface CampaignSummary {
  id: number;
  name: string;
  placeId: number;
  placeName: string;
  startsAt: string;
  endsAt: string;
  rounds: number;
  sites: number;
  lanes: number;
}

export interface Round {
  id: number;
  number: number;
  startsAt: string;
  endsAt: string;
  closedAt: string | null;
}

export interface Site {
  id: number;
  placeId: number;
  placeName: string;
  name: string;
  opensAt: string;
  closesAt: string;
  doorToDoor: boolean;
  mode: Mode;
  lanes: { id: number; number: number }[];
}

export interface Campaign {
  id: number;
  name: string;
  placeId: number;
  placeName: string;
  startsAt: string;
  endsAt: string;
  exemptUnderMonths: number;
  secondsPerSwab: number;
  places: { placeId: number; name: string; kind: string; mode: Mode }[];
  rounds: Round[];
  sites: Site[];
}

export interface NewCampaign {
  name: string;
  placeId: number;
  startsAt: string;
  endsAt: string;
  exemptUnderMonths?: number;
  secondsPerSwab?: number;
  places?: { placeId: number; mode: Mode }[];
  rounds?: { startsAt: string; endsAt: string }[];
}

export interface Board {
  campaign: { id: number; name: string };
  round: { id: number; number: number; startsAt: string; endsAt: string };
  rounds: { id: number; number: number }[];
  expected: number;
  samples: number;
  sites: { siteId: number; name: string; samples: number; hours: { hour: string; samples: number }[] }[];
  tubes: { open: number; sealed: number; packed: number; inTransit: number; atLab: number; negative: number; positive: number; invalid: number };
  recalls: { open: number; closed: number };
  at: string;
}

export interface SitePlan {
  siteId: number;
  name: string;
  lanes: number;
  opensAt?: string;
  closesAt?: string;
  firstSlotAt: string | null;
  finishesAt: string | null;
  people: number;
  capacityPerHour: number;
  overflow: number;
}

export interface Simulation {
  sites: { siteId: number; points: { at: string; waiting: number; waitingPerLane: number; served: number }[]; maxWaitingPerLane: number; lastServedAt: string | null; meanWaitSeconds: number; p95WaitSeconds: number }[];
  finishesAt: string | null;
  maxWaitingPerLane: number;
}

export interface SchedulePlan {
  parameters: { secondsPerSwab: number; maxQueuePerLane: number; slotMinutes: number; turnout: number };
  buildings: number;
  people: number;
  slots: number;
  finishesAt: string | null;
  unplaced: number;
  sites: SitePlan[];
  simulation: Simulation;
}

export interface Slot {
  id: number;
  placeId: number;
  building: string;
  /** the compound and grid above the building (names repeat across compounds) */
  within: string;
  siteId: number;
  site: string;
  startsAt: string;
  endsAt: string;
  people: number;
}

export interface CoverageRow {
  placeId: number;
  name: string;
  kind: string;
  within: string;
  expected: number;
  sampled: number;
  exempt: number;
  missing: number;
}

export interface Coverage {
  round: { id: number; number: number; campaignId: number };
  place: { id: number; name: string; kind: string; path: string };
  totals: { expected: number; sampled: number; exempt: number; missing: number };
  sampledOutside: number;
  rows: CoverageRow[];
}

export interface MissingPerson {
  id: number;
  name: string;
  idMasked: string;
  phone: string | null;
  address: string;
  elderlyAlone: boolean;
  mobilityImpaired: boolean;
  /** null for a role without the reveal right: it gets the age (the date and the mask would give back the ID) */
  birthDate: string | null;
  age: number | null;
}

export interface Box {
  barcode: string;
  roundId: number;
  state: 'packed' | 'in_transit' | 'received';
  packedAt: string;
  packedBy: string | null;
  handedOverAt: string | null;
  handedOverBy: string | null;
  carrier: string | null;
  receivedAt: string | null;
  receivedBy: string | null;
  labName: string | null;
  receipt: { missing: string[]; extra: string[] } | null;
  tubes?: { barcode: string; people: number; poolSize: number; result: TestResult | null }[];
  tubeCount?: number;
  people?: number;
}

export interface ResultSummary {
  rows: number;
  negative: number;
  positive: number;
  invalid: number;
  corrected: number;
  unchanged: number;
  recalled: number;
  retested: number;
  committed: boolean;
  errors: { row: number; field: 'tube' | 'result'; code: string; messages: Record<'zh-CN' | 'en-US', string> }[];
}

export interface Recall {
  id: number;
  roundId: number;
  roundNumber: number;
  campaignId: number;
  tube: string;
  reason: 'positive' | 'invalid';
  createdAt: string;
  outcome: TestResult | null;
  closedAt: string | null;
  retestTube: string | null;
  resident: { id: number; name: string; idMasked: string; phone: string | null; householdId: number | null };
  address: string;
  gridWorkers: { name: string; phone: string | null }[];
}

export interface Tube {
  barcode: string;
  roundId: number;
  poolSize: number;
  householdOnly: boolean;
  people: number;
  siteId: number;
  siteName: string;
  laneNumber: number | null;
  openedAt: string;
  sealedAt: string | null;
  box: string | null;
  result: TestResult | null;
  resultAt: string | null;
  samples: { residentId: number; name: string; idMasked: string; sampledAt: string; repeatInRound: boolean; outsideCampaign: boolean }[];
}

export interface ResidentTest {
  sampledAt: string;
  campaign: string;
  round: number;
  site: string;
  tube: string;
  poolSize: number;
  result: TestResult | null;
  resultAt: string | null;
}

export const campaigns = {
  list: () => http.get<{ items: CampaignSummary[] }>('/api/campaigns'),
  get: (id: number) => http.get<Campaign>(`/api/campaigns/${id}`),
  create: (body: NewCampaign) => http.post<Campaign>('/api/campaigns', body),
  addRound: (id: number, body: { startsAt: string; endsAt: string }) => http.post<Campaign>(`/api/campaigns/${id}/rounds`, body),
  addSite: (id: number, body: { placeId: number; name: string; lanes: number; opensAt?: string; closesAt?: string; doorToDoor?: boolean }) =>
    http.post<Site>(`/api/campaigns/${id}/sites`, body),
  updateSite: (siteId: number, body: { name?: string; lanes?: number; opensAt?: string; closesAt?: string }) => http.patch<Site>(`/api/sites/${siteId}`, body),
  board: (id: number, roundId?: number) => http.get<Board | null>(`/api/campaigns/${id}/board`, { roundId }),
  /** Server-Sent Events: a `board` event now and after every change. */
  boardStreamUrl: (id: number, roundId?: number) => `/api/campaigns/${id}/board/stream` + queryString({ roundId }),
};

export const schedule = {
  plan: (roundId: number, body: { secondsPerSwab?: number; maxQueuePerLane?: number; slotMinutes?: number; turnout?: number }) =>
    http.post<SchedulePlan>(`/api/rounds/${roundId}/schedule`, body),
  get: (roundId: number) => http.get<SchedulePlan | null>(`/api/rounds/${roundId}/schedule`),
  slots: (roundId: number, f: { placeId?: number; siteId?: number; from?: string; to?: string; limit?: number }) =>
    http.get<{ items: Slot[] }>(`/api/rounds/${roundId}/slots`, { ...f, limit: f.limit ?? 500 }),
  editSlot: (slotId: number, body: { startsAt?: string; endsAt?: string; siteId?: number }) => http.patch<{ id: number }>(`/api/slots/${slotId}`, body),
};

export const coverage = {
  get: (roundId: number, f: { placeId?: number; by?: 'children' | 'building' }) => http.get<Coverage>(`/api/rounds/${roundId}/coverage`, f),
  missing: (roundId: number, placeId: number | undefined, cursor?: string | null, limit = 50) =>
    http.get<Page<MissingPerson>>(`/api/rounds/${roundId}/missing`, { placeId, cursor, limit }),
  missingXlsxUrl: (roundId: number, placeId?: number) => `/api/rounds/${roundId}/missing.xlsx` + queryString({ placeId }),
  exempt: (roundId: number, residentId: number, body: { reason: ExemptionReason; note?: string | null }) =>
    http.put<unknown>(`/api/rounds/${roundId}/exemptions/${residentId}`, body),
  unexempt: (roundId: number, residentId: number) => http.del<unknown>(`/api/rounds/${roundId}/exemptions/${residentId}`),
};

export const handover = {
  boxes: (roundId: number) => http.get<{ items: Box[] }>(`/api/rounds/${roundId}/boxes`),
  box: (barcode: string) => http.get<Box>(`/api/boxes/${encodeURIComponent(barcode)}`),
  pack: (barcode: string, tubes: string[]) => http.post<Box>('/api/boxes', { barcode, tubes }),
  handOver: (barcode: string, carrier: string) => http.post<Box>(`/api/boxes/${encodeURIComponent(barcode)}/handover`, { carrier }),
  receive: (barcode: string, labName: string, tubes: string[]) => http.post<Box>(`/api/boxes/${encodeURIComponent(barcode)}/receive`, { labName, tubes }),
  tube: (barcode: string) => http.get<Tube>(`/api/tubes/${encodeURIComponent(barcode)}`),
  seal: (barcode: string) => http.post<Tube>(`/api/tubes/${encodeURIComponent(barcode)}/seal`),
};

export const results = {
  /** A lab file (CSV/XLSX with a tube and a result column). Answers 400 with the row report when any row is wrong. */
  upload: (file: File) => {
    const fd = new FormData();
    fd.append('file', file);
    return http.post<ResultSummary>('/api/results/import', fd);
  },
  record: (rows: { tube: string; result: TestResult }[]) => http.post<ResultSummary>('/api/results', { results: rows }),
  recalls: (f: { roundId?: number; campaignId?: number; open?: boolean }, cursor?: string | null, limit = 50) =>
    http.get<Page<Recall>>('/api/recalls', { ...f, cursor, limit }),
  residentTests: (residentId: number) => http.get<{ items: ResidentTest[] }>(`/api/residents/${residentId}/tests`),
};
