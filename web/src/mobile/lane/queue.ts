// The lane's offline queue: scans (and seals) taken while the server cannot be reached wait
// in IndexedDB, in the order they were taken, and sync with POST /api/scans/batch when the
// network returns. Every scan carries its idempotency key, so a sync that is retried (the
// answer was lost, the page reloaded mid-sync) never puts a person into a tube twice.
// Rejected scans (tube full, unknown person…) move to a list the sampler can see.
import { createStore, del, delMany, set, values, type UseStore } from 'idb-keyval';
import { ApiError, type Messages } from '../../api';
import { BATCH_MAX, isOffline, laneApi, type ScanBody, type ScanResult } from './api';

export interface QueuedScan {
  seq: number;
  kind: 'scan';
  scan: ScanBody;
  /** what was scanned, masked, to show until the server names the person */
  label: string;
}

export interface QueuedSeal {
  seq: number;
  kind: 'seal';
  barcode: string;
}

export type QueueItem = QueuedScan | QueuedSeal;

export interface Rejected {
  key: string;
  label: string;
  tube: string;
  at: string;
  code: string;
  messages: Messages;
  /** kept for an unknown person, so that they can be registered and sampled afterwards */
  scan?: ScanBody;
}

// One database per store: idb-keyval's createStore opens its database with a single store.
export const QUEUE_DB = 'fk-lane-queue';
export const REJECTED_DB = 'fk-lane-rejected';
const STORE = 'items';

/** IndexedDB, or memory when the browser refuses it (private mode): the lane still works. */
class Box<T> {
  private store: UseStore | null = null;
  private memory = new Map<IDBValidKey, T>();
  persistent = true;

  constructor(db: string) {
    try {
      this.store = createStore(db, STORE);
    } catch {
      this.persistent = false;
    }
  }

  private async tryIdb<R>(fn: (s: UseStore) => Promise<R>, fallback: () => R): Promise<R> {
    if (this.store && this.persistent) {
      try {
        return await fn(this.store);
      } catch {
        this.persistent = false;
      }
    }
    return fallback();
  }

  all(): Promise<T[]> {
    return this.tryIdb((s) => values<T>(s), () => [...this.memory.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v));
  }
  put(key: IDBValidKey, value: T): Promise<void> {
    this.memory.set(key, value);
    return this.tryIdb((s) => set(key, value, s), () => undefined);
  }
  remove(keys: IDBValidKey[]): Promise<void> {
    for (const k of keys) this.memory.delete(k);
    if (!keys.length) return Promise.resolve();
    return this.tryIdb((s) => (keys.length === 1 ? del(keys[0], s) : delMany(keys, s)), () => undefined);
  }
}

const queue = new Box<QueueItem>(QUEUE_DB);
const rejectedBox = new Box<Rejected>(REJECTED_DB);

/** false when the queue lives only in memory (it would not survive a reload) */
export function queueIsPersistent(): boolean {
  return queue.persistent;
}

let lastSeq = 0;
function nextSeq(): number {
  lastSeq = Math.max(Date.now(), lastSeq + 1);
  return lastSeq;
}

export async function enqueueScan(scan: ScanBody, label: string): Promise<void> {
  const seq = nextSeq();
  await queue.put(seq, { seq, kind: 'scan', scan, label });
}

export async function enqueueSeal(barcode: string): Promise<void> {
  const seq = nextSeq();
  await queue.put(seq, { seq, kind: 'seal', barcode });
}

export async function queued(): Promise<QueueItem[]> {
  const items = await queue.all();
  return items.sort((a, b) => a.seq - b.seq);
}

export async function rejectedScans(): Promise<Rejected[]> {
  const items = await rejectedBox.all();
  return items.sort((a, b) => (a.at < b.at ? 1 : -1));
}

export async function dismissRejected(key: string): Promise<void> {
  await rejectedBox.remove([key]);
}

export interface SyncReport {
  /** scans the server took (recorded, or replayed answers of an earlier attempt) */
  results: ScanResult[];
  rejected: Rejected[];
  /** tubes sealed during this sync */
  sealed: string[];
  /** items still waiting (the network dropped again, or the session ended) */
  remaining: number;
  /** why the sync stopped early */
  error?: ApiError;
}

function rejectedOf(item: QueuedScan, err: { code: string; messages?: Messages; message?: string }): Rejected {
  const messages = err.messages ?? { 'zh-CN': err.message ?? err.code, 'en-US': err.message ?? err.code };
  return {
    key: item.scan.key,
    label: item.label,
    tube: item.scan.tube,
    at: item.scan.at ?? new Date().toISOString(),
    code: err.code,
    messages,
    scan: err.code === 'PERSON_UNKNOWN' ? item.scan : undefined,
  };
}

/** A failure that stops the sync (try again later) rather than rejecting one scan. */
function stops(err: unknown): boolean {
  return !(err instanceof ApiError) || isOffline(err) || err.status === 401 || err.status === 403 || err.status >= 500;
}

async function sendOneByOne(chunk: QueuedScan[], report: SyncReport): Promise<boolean> {
  for (const item of chunk) {
    try {
      report.results.push(await laneApi.scan(item.scan));
    } catch (err) {
      if (stops(err)) {
        report.error = err instanceof ApiError ? err : undefined;
        return false;
      }
      const e = err as ApiError;
      const r = rejectedOf(item, { code: e.code, messages: e.messages });
      report.rejected.push(r);
      await rejectedBox.put(r.key, r);
    }
    await queue.remove([item.seq]);
  }
  return true;
}

async function run(): Promise<SyncReport> {
  const report: SyncReport = { results: [], rejected: [], sealed: [], remaining: 0 };
  const items = await queued();
  const scans = items.filter((i): i is QueuedScan => i.kind === 'scan');
  const seals = items.filter((i): i is QueuedSeal => i.kind === 'seal');
  let ok = true;
  for (let i = 0; ok && i < scans.length; i += BATCH_MAX) {
    const chunk = scans.slice(i, i + BATCH_MAX);
    try {
      const answer = await laneApi.batch(chunk.map((c) => c.scan));
      const byKey = new Map(chunk.map((c) => [c.scan.key, c]));
      for (const a of answer.items) {
        if (a.ok && a.result) report.results.push(a.result);
        else if (a.error) {
          const item = byKey.get(a.key);
          if (!item) continue;
          const r = rejectedOf(item, a.error);
          report.rejected.push(r);
          await rejectedBox.put(r.key, r);
        }
      }
      await queue.remove(chunk.map((c) => c.seq));
    } catch (err) {
      if (stops(err)) {
        report.error = err instanceof ApiError ? err : undefined;
        ok = false;
      } else {
        // the whole request was refused (one malformed scan): send them one by one
        ok = await sendOneByOne(chunk, report);
      }
    }
  }
  // seals after the scans: a tube is sealed once the people in it have arrived
  for (const s of ok ? seals : []) {
    try {
      await laneApi.seal(s.barcode);
      report.sealed.push(s.barcode);
    } catch (err) {
      if (stops(err)) {
        report.error = err instanceof ApiError ? err : undefined;
        break;
      }
      // an empty tube (all its scans rejected) or an unknown one: nothing to seal
    }
    await queue.remove([s.seq]);
  }
  report.remaining = (await queued()).length;
  return report;
}

let running: Promise<SyncReport> | null = null;

/** Syncs the queue; concurrent callers share one run. */
export function syncQueue(): Promise<SyncReport> {
  if (!running) running = run().finally(() => (running = null));
  return running;
}
