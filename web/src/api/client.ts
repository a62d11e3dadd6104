// The console's HTTP client: openapi-fetch typed by schema.d.ts, which `npm run api` generates
// from the server's route schemas (paths, parameters, bodies and answers are the server's own).
// `call` unwraps an answer: every non-2xx answer becomes an ApiError carrying the server's
// stable code, the field at fault and the message in both languages; a lost session calls
// the handler the app registered.
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';
import { networkAnswered, networkFailed } from './network';

/** Text in both languages: the server's one shape (platform/errors.ts Messages), as the API document declares it. */
export type Messages = components['schemas']['ErrorBody']['error']['messages'];
export type Locale = keyof Messages;

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly field?: string;
  readonly messages: Messages;
  /** the whole answer, for errors that carry a report (e.g. rejected rows of a result file) */
  data?: unknown;

  constructor(code: string, status: number, messages: Messages, field?: string) {
    super(messages['en-US'] || code);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.field = field;
    this.messages = messages;
  }

  /** The message in the console's current language. */
  text(locale: string): string {
    return locale.startsWith('en') ? this.messages['en-US'] : this.messages['zh-CN'];
  }

  get sessionLost(): boolean {
    return this.status === 401 && (this.code === 'AUTH_SESSION_EXPIRED' || this.code === 'AUTH_REQUIRED');
  }
}

/** Client-side failures (no answer, not JSON) get codes and texts of their own. */
const CLIENT_ERRORS: Record<string, Messages> = {
  NETWORK: { 'zh-CN': '离线：无法连接服务器，恢复网络后自动重试', 'en-US': 'Offline: cannot reach the server; will retry when the connection is back' },
  BAD_RESPONSE: { 'zh-CN': '服务器返回了无法识别的内容（{status}）', 'en-US': 'The server sent an unexpected answer ({status})' },
};

function clientError(code: 'NETWORK' | 'BAD_RESPONSE', status = 0): ApiError {
  const m = CLIENT_ERRORS[code];
  return new ApiError(code, status, {
    'zh-CN': m['zh-CN'].replace('{status}', String(status)),
    'en-US': m['en-US'].replace('{status}', String(status)),
  });
}

type SessionLostHandler = (err: ApiError) => void;
let onSessionLost: SessionLostHandler | undefined;

/** The app registers what happens when the session is gone (back to sign-in). */
export function setSessionLostHandler(h: SessionLostHandler | undefined) {
  onSessionLost = h;
}

let currentLocale: Locale = 'zh-CN';
export function setApiLocale(l: Locale) {
  currentLocale = l;
}

export type Query = Record<string, string | number | boolean | null | undefined | string[]>;

export function queryString(q?: Query): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) p.set(k, v.join(','));
    } else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The client: same-origin cookies (the session), JSON, the console's language on every request. */
export const api = createClient<paths>({
  baseUrl: '',
  credentials: 'same-origin',
  headers: { Accept: 'application/json' },
  // arrays as a,b (the server splits them); empty values are left out
  querySerializer: (q) => queryString(q as Query).slice(1),
  // looked up per request, not captured once
  fetch: (req) => fetch(req),
});
api.use({
  onRequest({ request }) {
    request.headers.set('Accept-Language', currentLocale);
    return request;
  },
});

export interface CallOptions {
  /** do not call the session-lost handler on 401 (used by the first /me probe and sign-in) */
  quiet401?: boolean;
}

type ErrorBody = components['schemas']['ErrorBody'];

/** The answer of an api.GET/POST/… call, or the ApiError it stands for. */
export async function call<R extends { data?: unknown; error?: unknown; response: Response }>(
  pending: Promise<R>,
  opts: CallOptions = {},
): Promise<Exclude<R['data'], undefined>> {
  let res: R;
  try {
    res = await pending;
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    // openapi-fetch parses a 2xx answer as JSON; one that is not is the server's fault, not the network's
    if (err instanceof SyntaxError) throw clientError('BAD_RESPONSE', 200);
    networkFailed();
    throw clientError('NETWORK');
  }
  const { response } = res;
  // an answer, even an error: a proxy's 502/503/504 means the server behind it is not reachable
  if (response.status === 502 || response.status === 503 || response.status === 504) networkFailed();
  else networkAnswered();
  if (response.ok) return res.data as Exclude<R['data'], undefined>;
  const e = typeof res.error === 'object' && res.error ? (res.error as Partial<ErrorBody>).error : undefined;
  if (!e?.code) throw clientError('BAD_RESPONSE', response.status);
  const messages = e.messages ?? { 'zh-CN': e.message ?? e.code, 'en-US': e.message ?? e.code };
  const err = new ApiError(e.code, e.status ?? response.status, messages, e.field ?? undefined);
  err.data = res.error;
  if (err.sessionLost && !opts.quiet401) onSessionLost?.(err);
  throw err;
}

/** A form with a file (multipart); the server reads the fields in the order they are appended. */
export function formData(fields: Record<string, string | Blob | undefined>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) fd.append(k, v);
  return fd;
}
