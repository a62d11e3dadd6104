// The queue as the lane page sees it: whether the server is reachable, how many scans wait,
// what was rejected; syncs when the network returns (the `online` event) and every few seconds.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ScanBody } from './api';
import { dismissRejected, enqueueScan, enqueueSeal, queued, rejectedScans, syncQueue, type QueueItem, type Rejected, type SyncReport } from './queue';

const RETRY_MS = 10_000;

export interface LaneQueue {
  /** the browser says it is online and the last request got an answer */
  online: boolean;
  items: QueueItem[];
  pending: number;
  syncing: boolean;
  rejected: Rejected[];
  /** how many scans the last sync delivered (shown for a moment) */
  lastSynced: number | null;
  enqueueScan: (scan: ScanBody, label: string) => Promise<void>;
  enqueueSeal: (barcode: string) => Promise<void>;
  sync: () => Promise<SyncReport | null>;
  dismiss: (key: string) => Promise<void>;
  /** a request failed for want of a network although the browser thinks it is online */
  markUnreachable: () => void;
  markReachable: () => void;
}

export function useLaneQueue(onSynced: (r: SyncReport) => void): LaneQueue {
  const [browserOnline, setBrowserOnline] = useState(() => navigator.onLine);
  const [reachable, setReachable] = useState(true);
  const [items, setItems] = useState<QueueItem[]>([]);
  const [rejected, setRejected] = useState<Rejected[]>([]);
  const [syncing, setSyncing] = useState(false);
  const [lastSynced, setLastSynced] = useState<number | null>(null);
  const onSyncedRef = useRef(onSynced);
  useEffect(() => {
    onSyncedRef.current = onSynced;
  }, [onSynced]);

  const reload = useCallback(async () => {
    const [q, r] = await Promise.all([queued(), rejectedScans()]);
    setItems(q);
    setRejected(r);
    return q;
  }, []);

  const sync = useCallback(async (): Promise<SyncReport | null> => {
    if (!navigator.onLine) return null;
    const before = await queued();
    if (!before.length) return null;
    setSyncing(true);
    try {
      const report = await syncQueue();
      if (report.error) setReachable(false);
      else setReachable(true);
      const delivered = report.results.length + report.rejected.length;
      if (delivered) setLastSynced(report.results.length);
      onSyncedRef.current(report);
      return report;
    } finally {
      setSyncing(false);
      await reload();
    }
  }, [reload]);

  useEffect(() => {
    void reload().then((q) => (q.length ? sync() : null));
    const up = () => {
      setBrowserOnline(true);
      setReachable(true);
      void sync();
    };
    const down = () => setBrowserOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    const timer = window.setInterval(() => void sync(), RETRY_MS);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
      window.clearInterval(timer);
    };
  }, [reload, sync]);

  // "synced N" fades after a few seconds
  useEffect(() => {
    if (lastSynced === null) return;
    const t = window.setTimeout(() => setLastSynced(null), 6000);
    return () => window.clearTimeout(t);
  }, [lastSynced]);

  return {
    online: browserOnline && reachable,
    items,
    pending: items.length,
    syncing,
    rejected,
    lastSynced,
    enqueueScan: useCallback(
      async (scan: ScanBody, label: string) => {
        await enqueueScan(scan, label);
        await reload();
      },
      [reload],
    ),
    enqueueSeal: useCallback(
      async (barcode: string) => {
        await enqueueSeal(barcode);
        await reload();
      },
      [reload],
    ),
    sync,
    dismiss: useCallback(
      async (key: string) => {
        await dismissRejected(key);
        await reload();
      },
      [reload],
    ),
    markUnreachable: useCallback(() => setReachable(false), []),
    markReachable: useCallback(() => setReachable(true), []),
  };
}
