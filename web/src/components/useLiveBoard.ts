// A board, live: Server-Sent Events (`board` events, now and after every change), and when the
// stream fails, polling every 10 s — with another try at the stream every minute, so a dropped
// connection comes back to live on its own. The campaign board and the area board both use it.
import { useEffect, useRef, useState } from 'react';

export type BoardLink = 'connecting' | 'live' | 'polling';

const POLL_MS = 10_000;
const RETRY_STREAM_MS = 60_000;

/**
 * `key` names what is watched (a new key starts afresh); `fetchOnce` reads the board, `streamUrl`
 * is where its stream is. The last error is kept for the page, and reported once through onError.
 */
export function useLiveBoard<B>(key: string, fetchOnce: () => Promise<B>, streamUrl: () => string, onError: (err: unknown) => void) {
  const [board, setBoard] = useState<B>();
  const [error, setError] = useState<unknown>();
  const [link, setLink] = useState<BoardLink>('connecting');
  const latest = useRef({ fetchOnce, streamUrl, onError });
  useEffect(() => {
    latest.current = { fetchOnce, streamUrl, onError };
  }, [fetchOnce, streamUrl, onError]);

  useEffect(() => {
    let closed = false;
    let source: EventSource | undefined;
    let poll: ReturnType<typeof setInterval> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let reported = false;
    setBoard(undefined);
    setError(undefined);
    setLink('connecting');

    const read = () =>
      latest.current.fetchOnce().then(
        (b) => {
          if (closed) return;
          setBoard(b);
          setError(undefined);
          reported = false;
        },
        (err) => {
          if (closed) return;
          setError(err);
          if (reported) return;
          reported = true; // say it once, not every 10 s
          latest.current.onError(err);
        },
      );

    const startPolling = () => {
      if (closed || poll) return;
      setLink('polling');
      void read();
      poll = setInterval(read, POLL_MS);
      retry = setTimeout(() => {
        if (closed) return;
        clearInterval(poll);
        poll = undefined;
        openStream();
      }, RETRY_STREAM_MS);
    };

    const openStream = () => {
      if (closed) return;
      if (typeof EventSource === 'undefined') return startPolling();
      source = new EventSource(latest.current.streamUrl());
      source.addEventListener('board', (e) => {
        if (closed) return;
        try {
          setBoard(JSON.parse((e as MessageEvent<string>).data) as B);
          setError(undefined);
          setLink('live');
        } catch {
          /* a torn message: the next one replaces it */
        }
      });
      source.onerror = () => {
        source?.close();
        source = undefined;
        startPolling();
      };
    };

    openStream();
    return () => {
      closed = true;
      source?.close();
      if (poll) clearInterval(poll);
      if (retry) clearTimeout(retry);
    };
  }, [key]);

  return { board, link, error };
}
