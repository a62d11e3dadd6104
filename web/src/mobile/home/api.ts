// The residents' portal (/api/portal, the resident's own session cookie fk_resident): every
// call is quiet on 401 (a resident session is not the console's, losing it shows the sign-in
// here, not the console's). The contract: server/src/modules/portal/routes.ts.
import { api, call, ApiError, type Answer } from '../../api';
import type { ResidentLocale } from '../../i18n';

export type Me = Answer<'/api/portal/me'>;
/** the colour arrives with the zones issue (null until then) */
export type PersonalCode = { code: string; version: number };
export type Results = Answer<'/api/portal/results'>['results'];
export type Notices = Answer<'/api/portal/notices'>;
export type Notice = Notices['notices'][number];
export type AntigenReport = Answer<'/api/portal/antigen-reports'>['items'][number];
export type PortalResult = 'negative' | 'positive' | 'invalid';

const quiet = { quiet401: true };

export const portal = {
  sendCode: (phone: string) => call(api.POST('/api/portal/sign-in/sms', { body: { phone } }), quiet),
  signInCode: (phone: string, code: string) => call(api.POST('/api/portal/sign-in/code', { body: { phone, code } }), quiet),
  signInCard: (code: string) => call(api.POST('/api/portal/sign-in/card', { body: { code } }), quiet),
  signOut: () => call(api.POST('/api/portal/sign-out'), quiet),
  me: () => call(api.GET('/api/portal/me'), quiet),
  actFor: (residentId: number | null) => call(api.PUT('/api/portal/acting-for', { body: { residentId } }), quiet),
  setLanguage: (language: ResidentLocale) => call(api.PUT('/api/portal/language', { body: { language } }), quiet),
  code: () => call(api.GET('/api/portal/code'), quiet),
  results: () => call(api.GET('/api/portal/results'), quiet),
  notices: (page = 1) => call(api.GET('/api/portal/notices', { params: { query: { page } } }), quiet),
  markRead: (id: string) => call(api.POST('/api/portal/notices/{id}/read', { params: { path: { id } } }), quiet),
  antigenReports: () => call(api.GET('/api/portal/antigen-reports'), quiet),
  reportAntigen: (body: { key: string; result: PortalResult; testedAt?: string }) => call(api.POST('/api/portal/antigen-reports', { body }), quiet),
};

/** The resident session is gone (signed out elsewhere, expired): back to sign-in. */
export const signedOut = (err: unknown) => err instanceof ApiError && err.status === 401 && (err.code === 'AUTH_REQUIRED' || err.code === 'AUTH_SESSION_EXPIRED' || err.code.startsWith('PORTAL_SESSION'));

// ---- what this phone keeps for a slow or missing network: the last Me and personal code shown
const CACHE_KEY = 'fk.home.last';
const LOCALE_KEY = 'fk.home.locale';

export interface Cached {
  me: Me;
  code: PersonalCode;
  savedAt: string;
}

export function loadCached(): Cached | undefined {
  try {
    const v = localStorage.getItem(CACHE_KEY);
    return v ? (JSON.parse(v) as Cached) : undefined;
  } catch {
    return undefined;
  }
}
export function saveCached(c: Cached | undefined) {
  try {
    if (c) localStorage.setItem(CACHE_KEY, JSON.stringify(c));
    else localStorage.removeItem(CACHE_KEY);
  } catch {
    /* storage may be unavailable */
  }
}

export function residentLocale(): ResidentLocale | undefined {
  try {
    const v = localStorage.getItem(LOCALE_KEY);
    return v === 'zh-CN' || v === 'en-US' || v === 'ko-KR' ? v : undefined;
  } catch {
    return undefined;
  }
}
export function rememberResidentLocale(l: ResidentLocale) {
  try {
    localStorage.setItem(LOCALE_KEY, l);
  } catch {
    /* ignore */
  }
}
