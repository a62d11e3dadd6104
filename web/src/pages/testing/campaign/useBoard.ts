// The live board of a campaign round: Server-Sent Events (`board` events, now and after every
// change), and when the stream fails, polling every 10 s — with another try at the stream
// every minute, so a dropped connection comes back to live on its own.
import { useEffect, useRef, useState } from 'react';
import { campaigns, type Board } from '../../../api/testing';

export type BoardLink = 'connecting' | 'live' | 'polling';

const POLL_MS = 10_000;
const RETRY_STREAM_MS = 60_000;

export function useBoard(campaignId: number, roundId: number, onError: (err: unknown) => void) {
  const [board, setBoard] = useState<Board | null>();
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
    setLink('connecting');

    const fetchOnce = () =>
      campaigns.board(campaignId, roundId).then(
        (b) => {
          if (closed) return;
          setBoard(b);
          reported = false;
        },
        (err) => {
          if (closed || reported) return;
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
      source = new EventSource(campaigns.boardStreamUrl(campaignId, roundId));
      source.addEventListener('board', (e) => {
        if (closed) return;
        try {
          setBoard(JSON.parse((e as MessageEvent<string>).data) as Board | null);
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
  }, [campaignId, roundId]);

  return { board, link };
}
