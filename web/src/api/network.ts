// Is the server reachable? The browser says when it has no network (navigator.onLine); a
// request that gets no answer (fetch's TypeError) says the server cannot be reached even when
// the browser thinks it is online. While either holds, the console says so once, plainly (the
// layout's banner and empty tables) instead of an error toast per request, asks /api/health
// every few seconds, and when an answer comes back bumps `epoch`, which reloads the page shown.
import { useSyncExternalStore } from 'react';

const PROBE_MS = 5_000;

interface NetworkState {
  /** no network, or the last request got no answer */
  offline: boolean;
  /** bumped each time the server answers again after being unreachable */
  epoch: number;
}

let state: NetworkState = { offline: typeof navigator !== 'undefined' && navigator.onLine === false, epoch: 0 };
let unreachable = false;
let probe: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

function set(next: NetworkState) {
  if (next.offline === state.offline && next.epoch === state.epoch) return;
  state = next;
  listeners.forEach((l) => l());
}

function browserOffline() {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

function scheduleProbe(ms = PROBE_MS) {
  if (probe) clearTimeout(probe);
  probe = setTimeout(async () => {
    probe = undefined;
    if (browserOffline()) return; // the 'online' event probes again
    try {
      const res = await fetch('/api/health', { cache: 'no-store' });
      if (res.ok || res.status < 500) return networkAnswered();
    } catch {
      /* still unreachable */
    }
    scheduleProbe();
  }, ms);
}

/** A request got no answer at all (the client layer calls this). */
export function networkFailed() {
  unreachable = true;
  set({ ...state, offline: true });
  scheduleProbe();
}

/** A request got an answer: if the server had been unreachable, the page reloads its data. */
export function networkAnswered() {
  if (!unreachable && !state.offline) return;
  const was = unreachable || state.offline;
  unreachable = false;
  if (probe) clearTimeout(probe);
  probe = undefined;
  set({ offline: browserOffline(), epoch: was && !browserOffline() ? state.epoch + 1 : state.epoch });
}

if (typeof window !== 'undefined') {
  window.addEventListener('offline', () => set({ ...state, offline: true }));
  window.addEventListener('online', () => scheduleProbe(0));
}

export function isNetworkError(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { code?: unknown }).code === 'NETWORK';
}

export function useNetwork(): NetworkState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}
