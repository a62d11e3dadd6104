// The antigen-kit API (server/src/modules/testing/antigen-routes.ts), typed for the console and
// the residents' self-report page. Writes carry a key made once per submission, so a retry or
// a double tap is recorded once.
import { http } from './client';
import type { Page } from './types';
import type { TestResult } from './testing';

export type AntigenResult = TestResult;
export const ANTIGEN_RESULTS: AntigenResult[] = ['negative', 'positive', 'invalid'];

export interface AntigenReport {
  id: number;
  residentId: number;
  name: string;
  result: AntigenResult;
  testedAt: string;
  reportedAt: string;
  /** who reported it; null: the resident themselves, with their personal code */
  by: string | null;
  acknowledgedAt: string | null;
}

export interface KitDistribution {
  id: number;
  at: string;
  kits: number;
  by: string | null;
}

export interface HouseholdAntigen {
  distributions: KitDistribution[];
  kitsTotal: number;
  reports: AntigenReport[];
}

export interface AntigenCounts {
  households: number;
  reached: number;
  kits: number;
  reports: { negative: number; positive: number; invalid: number };
  openAlerts: number;
}

export interface AntigenSummary extends AntigenCounts {
  rows?: (AntigenCounts & { placeId: number; name: string; kind: string })[];
}

export interface AntigenAlert {
  id: number;
  resident: { id: number; name: string; idMasked: string; phone: string | null };
  address: string;
  testedAt: string;
  reportedAt: string;
  /** null: the resident reported it themselves */
  reportedBy: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  gridWorkers: { name: string; phone: string | null }[];
}

export const antigen = {
  household: (id: number) => http.get<HouseholdAntigen>(`/api/households/${id}/antigen`),
  resident: (id: number) => http.get<{ items: AntigenReport[] }>(`/api/residents/${id}/antigen`),
  distribute: (body: { key: string; householdId: number; kits: number }) =>
    http.post<{ householdId: number; kits: number; householdTotal: number; replay: boolean }>('/api/antigen/distributions', body),
  report: (body: { key: string; residentId: number; result: AntigenResult; testedAt?: string }) =>
    http.post<{ reportId: number | null; replay: boolean; alert: boolean }>('/api/antigen/reports', body),
  selfReport: (body: { key: string; code: string; result: AntigenResult; testedAt?: string }) =>
    http.post<{ received: true; replay: boolean; name: string }>('/api/public/antigen-reports', body, { quiet401: true }),
  summary: (placeId?: number) => http.get<AntigenSummary>('/api/antigen/summary', { placeId, by: 'children' }),
  alerts: (open: boolean | undefined, cursor?: string | null, limit = 50) => http.get<Page<AntigenAlert>>('/api/antigen/alerts', { open, cursor, limit }),
  openCount: () => http.get<{ open: number }>('/api/antigen/alerts/count'),
  acknowledge: (id: number) => http.post<{ id: number; acknowledged: true }>(`/api/antigen/alerts/${id}/acknowledge`),
};
