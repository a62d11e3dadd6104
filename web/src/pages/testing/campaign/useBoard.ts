// The live board of a campaign round (components/useLiveBoard.ts: the stream, polling while it is down).
import { useCallback } from 'react';
import { campaigns, type Board } from '../../../api/testing';
import { useLiveBoard } from '../../../components/useLiveBoard';

export type { BoardLink } from '../../../components/useLiveBoard';

export function useBoard(campaignId: number, roundId: number, onError: (err: unknown) => void) {
  const read = useCallback(() => campaigns.board(campaignId, roundId), [campaignId, roundId]);
  const url = useCallback(() => campaigns.boardStreamUrl(campaignId, roundId), [campaignId, roundId]);
  const { board, link } = useLiveBoard<Board | null>(`${campaignId}/${roundId}`, read, url, onError);
  return { board, link };
}
