// The lane's API calls and the shapes of their answers (server/src/modules/testing/routes.ts).
import { ApiError, api, call, type Answer, type BodyOf } from '../../api';
import type { Mode } from '../../api/testing';

export type { Campaign, CampaignSummary, Mode, Round, Site } from '../../api/testing';
export { MODES } from '../../api/testing';

/** How many people a tube of this kind holds (mirrors the server's tubeOf). */
export const POOL_SIZE: Record<Mode, number> = { single: 1, pool5: 5, pool10: 10, pool20: 20, household: 20 };

export function modeOfTube(poolSize: number, householdOnly: boolean): Mode {
  if (householdOnly) return 'household';
  return poolSize === 1 ? 'single' : poolSize === 5 ? 'pool5' : poolSize === 10 ? 'pool10' : 'pool20';
}

/** One scan as POST /api/scans takes it (and as the offline queue keeps it until it syncs). */
export type ScanBody = BodyOf<'/api/scans', 'post'>;
export type ScanResult = Answer<'/api/scans', 'post'>;
export type BatchAnswer = Answer<'/api/scans/batch', 'post'>;
export type BatchItem = BatchAnswer['items'][number];
export type Tube = Answer<'/api/tubes/{barcode}'>;
export type TubeSample = Tube['samples'][number];

/** The most scans one sync request may carry (the server's limit). */
export const BATCH_MAX = 2000;

const bc = (barcode: string) => ({ path: { barcode } });

export const laneApi = {
  campaigns: () => call(api.GET('/api/campaigns')),
  campaign: (id: number) => call(api.GET('/api/campaigns/{id}', { params: { path: { id } } })),
  scan: (body: ScanBody) => call(api.POST('/api/scans', { body })),
  batch: (scans: ScanBody[]) => call(api.POST('/api/scans/batch', { body: { scans } })),
  tube: (barcode: string) => call(api.GET('/api/tubes/{barcode}', { params: bc(barcode) })),
  seal: (barcode: string) => call(api.POST('/api/tubes/{barcode}/seal', { params: bc(barcode) })),
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

/** A household card's QR is a link, <PUBLIC_URL>/home/card#<code>: the lane takes the code in it. */
export function codeFromCardLink(text: string): string {
  const m = /\/home\/card#(\S+)$/.exec(text.trim());
  if (!m) return text;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

/** What was typed or scanned, masked for the screen (the name check is unavailable offline). */
export function maskTyped(text: string): string {
  const v = codeFromCardLink(text).trim();
  if (v.startsWith('FK1.')) return `FK1.…${v.slice(-4)}`;
  if (v.length >= 15) return `${v.slice(0, 6)}${'*'.repeat(v.length - 10)}${v.slice(-4)}`;
  if (v.length > 4) return `${'*'.repeat(v.length - 4)}${v.slice(-4)}`;
  return '*'.repeat(v.length);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/**
 * A personal code or a mainland ID number (its GB 11643 check character right): a person, not
 * a tube. Scanned where a tube barcode is expected (the sampler forgot the tube), it must not
 * open a tube named after someone's ID number.
 */
export function looksLikePerson(text: string): boolean {
  const v = codeFromCardLink(text).trim().toUpperCase();
  if (v.startsWith('FK1.')) return true;
  if (!/^\d{17}[\dX]$/.test(v)) return false;
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(v[i]), 0);
  return '10X98765432'[sum % 11] === v[17];
}
