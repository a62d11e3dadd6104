// The area board, live: Server-Sent Events (`board` events now, after every change and every
// minute), polling every 10 s while the stream is down, another try at the stream every minute.
// The same pattern as the campaign board (testing/campaign/useBoard.ts).
import { useEffect, useRef, useState } from 'react';
import { areaBoard, type AreaBoard } from '../../api/testing';
import type { BoardLink } from '../testing/campaign/useBoard';

const POLL_MS = 10_000;
const RETRY_STREAM_MS = 60_000;

export function useAreaBoard(placeId: number | undefined, onError: (err: unknown) => void) {
  const [board, setBoard] = useState<AreaBoard>();
  const [error, setError] = useState<unknown>();
  const [link, setLink] = useState<BoardLink>('connecting');
  const errorRef = useRef(onError);
  useEffect(() => {
    errorRef.current = onError;
  }, [onError]);

  useEffect(() => {
    let closed = false;
    let source: EventSource | undefined;
    let poll: ReturnType<typeof setInterval> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let reported = false;
    setBoard(undefined);
    setError(undefined);
    setLink('connecting');

    const fetchOnce = () =>
      areaBoard.get(placeId).then(
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
          errorRef.current(err);
        },
      );

    const startPolling = () => {
      if (closed || poll) return;
      setLink('polling');
      void fetchOnce();
      poll = setInterval(fetchOnce, POLL_MS);
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
      source = new EventSource(areaBoard.streamUrl(placeId));
      source.addEventListener('board', (e) => {
        if (closed) return;
        try {
          setBoard(JSON.parse((e as MessageEvent<string>).data) as AreaBoard);
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
  }, [placeId]);

  return { board, link, error };
}
