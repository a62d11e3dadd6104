import type { TFunction } from 'i18next';
import type { PlaceBase } from '../api/types';

export function kindLabel(t: TFunction, kind: string): string {
  return t(`place.kind.${kind}`);
}

/** "河西区 / 友谊路街道 / 龙都社区" from ancestors plus the place itself. */
export function placeTrail(ancestors: PlaceBase[], place?: PlaceBase): string {
  return [...ancestors, ...(place ? [place] : [])].map((p) => p.name).join(' / ');
}
