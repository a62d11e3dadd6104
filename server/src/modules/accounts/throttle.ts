// Sign-in throttling by client and account together. Failures are counted per (IP, username),
// known or not: after a few, each further failure from that client for that name waits twice as
// long as the last (429 RATE_LIMITED with Retry-After). A stranger guessing from elsewhere never
// locks the owner out, and an unknown name is throttled exactly like a known one.
// Kept in this process's memory: several processes each count their own (a multiple of the budget).
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';

interface Entry {
  failures: number;
  blockedUntil: number;
  last: number;
}

const MAX_ENTRIES = 100_000;
const stores = new WeakMap<AppContext, Map<string, Entry>>();

function store(ctx: AppContext) {
  let s = stores.get(ctx);
  if (!s) stores.set(ctx, (s = new Map()));
  return s;
}

const keyOf = (ip: string | undefined, username: string) => `${ip ?? ''}\n${username.toLowerCase()}`;

/** Throws 429 while this client must wait before trying this name again. */
export function checkThrottle(ctx: AppContext, ip: string | undefined, username: string, now = Date.now()) {
  const e = store(ctx).get(keyOf(ip, username));
  if (e && e.blockedUntil > now) throw rateLimited(Math.ceil((e.blockedUntil - now) / 1000));
}

export function rateLimited(seconds: number): AppError {
  return new AppError('RATE_LIMITED', { params: { retryAfter: Math.max(1, seconds) } });
}

/** Counts a failure; from the free attempts on, sets the next wait (doubling, capped). */
export function recordFailure(ctx: AppContext, ip: string | undefined, username: string, now = Date.now()) {
  const s = store(ctx);
  const key = keyOf(ip, username);
  const { loginFreeAttempts, loginDelaySeconds, loginMaxDelaySeconds } = ctx.config;
  let e = s.get(key);
  // A quiet spell as long as the longest wait forgives the past.
  if (e && now - e.last > loginMaxDelaySeconds * 1000 * 2) e = undefined;
  e ??= { failures: 0, blockedUntil: 0, last: now };
  e.failures++;
  e.last = now;
  if (e.failures >= loginFreeAttempts) {
    const wait = Math.min(loginMaxDelaySeconds, loginDelaySeconds * 2 ** (e.failures - loginFreeAttempts));
    e.blockedUntil = now + wait * 1000;
  }
  s.delete(key); // re-insert: the Map's order is the age order the cap evicts by
  s.set(key, e);
  if (s.size > MAX_ENTRIES) s.delete(s.keys().next().value!);
}

/** A successful sign-in clears its client's count. */
export function clearFailures(ctx: AppContext, ip: string | undefined, username: string) {
  store(ctx).delete(keyOf(ip, username));
}

/** An officer's unlock clears every client's count for the account. */
export function clearAccount(ctx: AppContext, username: string) {
  const s = store(ctx);
  const suffix = `\n${username.toLowerCase()}`;
  for (const key of s.keys()) if (key.endsWith(suffix)) s.delete(key);
}
