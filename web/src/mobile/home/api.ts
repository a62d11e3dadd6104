// The residents' portal (/api/portal, the resident's own session cookie fk_resident): every
// call is quiet on 401 (a resident session is not the console's, losing it shows the sign-in
// here, not the console's). The contract: server/src/modules/portal/routes.ts.
import { api, call, ApiError, type Answer } from '../../api';
import type { ResidentLocale } from '../../i18n';

export type Me = Answer<'/api/portal/me'>;
type CodeAnswer = Answer<'/api/portal/code'>;
/** the code's colour now and why, in plain words (the reasons are left out while an override holds) */
export type PortalColour = CodeAnswer['colour'];
/** the personal code with its colour, and when this phone got it; a code kept by an older app has no colour */
export type PersonalCode = Omit<CodeAnswer, 'colour'> & { colour?: PortalColour; fetchedAt?: string };
/** an appeal against the colour of the person acted for, and its answer once given */
export type Appeal = Answer<'/api/portal/appeals'>['items'][number];
export type Results = Answer<'/api/portal/results'>['results'];
export type Notices = Answer<'/api/portal/notices'>;
export type Notice = Notices['notices'][number];
export type AntigenReport = Answer<'/api/portal/antigen-reports'>['items'][number];
export type PortalResult = 'negative' | 'positive' | 'invalid';
/** the zone that holds at the home of the person acted for (the strictest over it), or null */
export type PortalZone = Answer<'/api/portal/zone'>['zone'];

const quiet = { quiet401: true };

export const portal = {
  sendCode: (phone: string) => call(api.POST('/api/portal/sign-in/sms', { body: { phone } }), quiet),
  signInCode: (phone: string, code: string) => call(api.POST('/api/portal/sign-in/code', { body: { phone, code } }), quiet),
  signInCard: (code: string) => call(api.POST('/api/portal/sign-in/card', { body: { code } }), quiet),
  signOut: () => call(api.POST('/api/portal/sign-out'), quiet),
  me: () => call(api.GET('/api/portal/me'), quiet),
  actFor: (residentId: number | null) => call(api.PUT('/api/portal/acting-for', { body: { residentId } }), quiet),
  setLanguage: (language: ResidentLocale) => call(api.PUT('/api/portal/language', { body: { language } }), quiet),
  code: (): Promise<PersonalCode> => call(api.GET('/api/portal/code'), quiet).then((c) => ({ ...c, fetchedAt: new Date().toISOString() })),
  appeals: () => call(api.GET('/api/portal/appeals'), quiet),
  appeal: (text: string) => call(api.POST('/api/portal/appeals', { body: { text } }), quiet),
  zone: () => call(api.GET('/api/portal/zone'), quiet),
  results: () => call(api.GET('/api/portal/results'), quiet),
  notices: (page = 1) => call(api.GET('/api/portal/notices', { params: { query: { page } } }), quiet),
  markRead: (id: string) => call(api.POST('/api/portal/notices/{id}/read', { params: { path: { id } } }), quiet),
  antigenReports: () => call(api.GET('/api/portal/antigen-reports'), quiet),
  reportAntigen: (body: { key: string; result: PortalResult; testedAt?: string }) => call(api.POST('/api/portal/antigen-reports', { body }), quiet),
};

/** The resident session is gone (signed out elsewhere, expired): back to sign-in. */
export const signedOut = (err: unknown) => err instanceof ApiError && err.status === 401 && (err.code === 'AUTH_REQUIRED' || err.code === 'AUTH_SESSION_EXPIRED' || err.code.startsWith('PORTAL_SESSION'));

// ---- what this phone keeps for a slow or missing network: the last Me and personal code shown,
// and the last zone shown (for the person it was shown for)
const CACHE_KEY = 'fk.home.last';
const ZONE_KEY = 'fk.home.zone';
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
    else {
      localStorage.removeItem(CACHE_KEY);
      localStorage.removeItem(ZONE_KEY);
    }
  } catch {
    /* storage may be unavailable */
  }
}

export interface CachedZone {
  /** the resident it was shown for (the person acted for) */
  subjectId: number;
  zone: PortalZone;
  savedAt: string;
}

/** The last zone shown for this person, if any was kept. */
export function loadCachedZone(subjectId: number): CachedZone | undefined {
  try {
    const v = localStorage.getItem(ZONE_KEY);
    const c = v ? (JSON.parse(v) as CachedZone) : undefined;
    return c?.subjectId === subjectId ? c : undefined;
  } catch {
    return undefined;
  }
}
export function saveCachedZone(c: CachedZone) {
  try {
    localStorage.setItem(ZONE_KEY, JSON.stringify(c));
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
