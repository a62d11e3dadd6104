// The area board, live (components/useLiveBoard.ts: the stream, polling while it is down).
import { useCallback } from 'react';
import { areaBoard, type AreaBoard } from '../../api/testing';
import { useLiveBoard } from '../../components/useLiveBoard';

export function useAreaBoard(placeId: number | undefined, onError: (err: unknown) => void) {
  const read = useCallback(() => areaBoard.get(placeId), [placeId]);
  const url = useCallback(() => areaBoard.streamUrl(placeId), [placeId]);
  return useLiveBoard<AreaBoard>(String(placeId ?? 'mine'), read, url, onError);
}
