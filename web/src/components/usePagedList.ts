// Cursor paging with previous/next: a stack of the cursors of the pages seen so far.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../api';

export interface Paged<T> {
  items: T[];
  loading: boolean;
  error: unknown;
  page: number;
  hasNext: boolean;
  next: () => void;
  prev: () => void;
  reload: () => void;
  pageSize: number;
  setPageSize: (n: number) => void;
  loaded: boolean;
}

/** `fetchPage` must be stable for the same filters (useCallback with the filters as deps). */
export function usePagedList<T>(fetchPage: (cursor: string | null, limit: number) => Promise<Page<T>>, onError: (e: unknown) => void, initialSize = 50): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [loading, setLoading] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [pageSize, setPageSizeState] = useState(initialSize);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;

  // new filters → back to the first page
  useEffect(() => {
    setCursors([null]);
  }, [fetchPage, pageSize]);

  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    const my = ++seq.current;
    setLoading(true);
    fetchPage(cursor, pageSize)
      .then((p) => {
        if (my !== seq.current) return;
        setItems(p.items);
        setNextCursor(p.nextCursor);
        setError(undefined);
        setLoaded(true);
      })
      .catch((e) => {
        if (my !== seq.current) return;
        setError(e);
        setItems([]);
        setNextCursor(null);
        onErrorRef.current(e);
      })
      .finally(() => {
        if (my === seq.current) setLoading(false);
      });
  }, [fetchPage, cursor, pageSize, tick]);

  return {
    items,
    loading,
    loaded,
    error,
    page: cursors.length,
    hasNext: !!nextCursor,
    next: useCallback(() => nextCursor && setCursors((c) => [...c, nextCursor]), [nextCursor]),
    prev: useCallback(() => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)), []),
    reload: useCallback(() => setTick((x) => x + 1), []),
    pageSize,
    setPageSize: setPageSizeState,
  };
}
