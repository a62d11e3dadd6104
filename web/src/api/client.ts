// A small typed fetch client. Every non-2xx answer becomes an ApiError carrying the
// server's stable code, the field at fault and the message in both languages.

export type Locale = 'zh-CN' | 'en-US';
export type Messages = Record<Locale, string>;

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
  NETWORK: { 'zh-CN': '无法连接服务器，请检查网络后重试', 'en-US': 'Cannot reach the server; check the network and try again' },
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

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** do not call the session-lost handler on 401 (used by the first /me probe and sign-in) */
  quiet401?: boolean;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLocale };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(path + queryString(opts.query), { method, headers, body, signal: opts.signal, credentials: 'same-origin' });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw clientError('NETWORK');
  }
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      throw clientError('BAD_RESPONSE', res.status);
    }
  }
  if (!res.ok) {
    const e = (data as { error?: { code: string; status: number; field?: string; message?: string; messages?: Messages } })?.error;
    if (!e) throw clientError('BAD_RESPONSE', res.status);
    const messages = e.messages ?? { 'zh-CN': e.message ?? e.code, 'en-US': e.message ?? e.code };
    const err = new ApiError(e.code, e.status ?? res.status, messages, e.field ?? undefined);
    err.data = data;
    if (err.sessionLost && !opts.quiet401) onSessionLost?.(err);
    throw err;
  }
  return data as T;
}

export const http = {
  get: <T>(path: string, query?: Query, opts: Omit<RequestOptions, 'query'> = {}) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('PATCH', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('PUT', path, { ...opts, body }),
  del: <T>(path: string, opts: RequestOptions = {}) => request<T>('DELETE', path, opts),
};
