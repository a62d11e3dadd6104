// The lane's API calls and the shapes of their answers (server/src/modules/testing/routes.ts).
import { ApiError, http } from '../../api';
import type { Campaign, CampaignSummary, Mode } from '../../api/testing';

export type { Campaign, CampaignSummary, Mode, Round, Site } from '../../api/testing';
export { MODES } from '../../api/testing';

/** How many people a tube of this kind holds (mirrors the server's tubeOf). */
export const POOL_SIZE: Record<Mode, number> = { single: 1, pool5: 5, pool10: 10, pool20: 20, household: 20 };

export function modeOfTube(poolSize: number, householdOnly: boolean): Mode {
  if (householdOnly) return 'household';
  return poolSize === 1 ? 'single' : poolSize === 5 ? 'pool5' : poolSize === 10 ? 'pool10' : 'pool20';
}

export interface ScanBody {
  key: string;
  laneId: number;
  tube: string;
  mode?: Mode;
  code?: string;
  idNumber?: string;
  register?: { name: string; phone?: string | null };
  /** when the scan was taken (ISO); offline scans sync later */
  at?: string;
}

export interface ScanResult {
  key: string;
  outcome: 'recorded' | 'replay' | 'already_in_tube';
  sampleId: number;
  resident: { id: number; name: string; idMasked: string };
  tube: { barcode: string; people: number; poolSize: number; sealed: boolean };
  round: { id: number; number: number };
  flags: { repeatInRound: boolean; outsideCampaign: boolean; registeredOnSpot: boolean };
}

export interface ErrorBody {
  code: string;
  field?: string | null;
  message: string;
  messages?: { 'zh-CN': string; 'en-US': string };
}

export type BatchItem = { key: string; ok: true; result: ScanResult } | { key: string; ok: false; error: ErrorBody };

export interface BatchAnswer {
  recorded: number;
  rejected: number;
  items: BatchItem[];
}

export interface TubeSample {
  residentId: number;
  name: string;
  idMasked: string;
  sampledAt: string;
  repeatInRound: boolean;
  outsideCampaign: boolean;
}

export interface Tube {
  barcode: string;
  poolSize: number;
  householdOnly: boolean;
  people: number;
  sealedAt: string | null;
  samples: TubeSample[];
}

/** The most scans one sync request may carry (the server's limit). */
export const BATCH_MAX = 2000;

const bc = (barcode: string) => encodeURIComponent(barcode);

export const laneApi = {
  campaigns: () => http.get<{ items: CampaignSummary[] }>('/api/campaigns'),
  campaign: (id: number) => http.get<Campaign>(`/api/campaigns/${id}`),
  scan: (body: ScanBody) => http.post<ScanResult>('/api/scans', body),
  batch: (scans: ScanBody[]) => http.post<BatchAnswer>('/api/scans/batch', { scans }),
  tube: (barcode: string) => http.get<Tube>(`/api/tubes/${bc(barcode)}`),
  seal: (barcode: string) => http.post<Tube>(`/api/tubes/${bc(barcode)}/seal`),
};

/** No answer from the server (or a gateway that could not reach it): the scan waits in the queue. */
export function isOffline(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  if (err.code === 'NETWORK') return true;
  return err.code === 'BAD_RESPONSE' && [0, 502, 503, 504].includes(err.status);
}

/** Tube barcodes the server accepts (checked on the device too, so offline scans do not fail later). */
export const BARCODE = /^[A-Za-z0-9-]{4,40}$/;

export { uuid } from '../../utils/uuid';

/** What was typed or scanned, masked for the screen (the name check is unavailable offline). */
export function maskTyped(text: string): string {
  const v = text.trim();
  if (v.startsWith('FK1.')) return `FK1.…${v.slice(-4)}`;
  if (v.length >= 15) return `${v.slice(0, 6)}${'*'.repeat(v.length - 10)}${v.slice(-4)}`;
  if (v.length > 4) return `${'*'.repeat(v.length - 4)}${v.slice(-4)}`;
  return '*'.repeat(v.length);
}
