// Small shared pieces of the campaign screens: the sampling mode, a campaign's state.
import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import { MODES, type Mode } from '../../../api/testing';

const MODE_COLORS: Record<Mode, string> = { single: 'blue', pool5: 'cyan', pool10: 'geekblue', pool20: 'purple', household: 'gold' };

export function modeOptions(t: TFunction) {
  return MODES.map((m) => ({ value: m, label: t(`testing.mode.${m}`) }));
}

export function ModeTag({ t, mode }: { t: TFunction; mode: Mode }) {
  return (
    <Tag color={MODE_COLORS[mode]} style={{ marginInlineEnd: 0 }}>
      {t(`testing.mode.${mode}`)}
    </Tag>
  );
}

export type CampaignState = 'upcoming' | 'running' | 'ended';

/** The campaign list declares its times nullable: an unknown end never ends it, an unknown start has begun. */
export function campaignState(startsAt: string | null, endsAt: string | null, now = Date.now()): CampaignState {
  if (startsAt && now < Date.parse(startsAt)) return 'upcoming';
  if (endsAt && now >= Date.parse(endsAt)) return 'ended';
  return 'running';
}

const STATE_COLORS: Record<CampaignState, string> = { upcoming: 'default', running: 'processing', ended: 'default' };

export function StateTag({ t, state }: { t: TFunction; state: CampaignState }) {
  return (
    <Tag color={STATE_COLORS[state]} style={{ marginInlineEnd: 0 }} data-testid={`state-${state}`}>
      {t(`testing.state.${state}`)}
    </Tag>
  );
}

/** Lane numbers as short ranges: 1–3, 5, 7–8. */
export function laneRanges(numbers: number[]): string {
  const sorted = [...numbers].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(j > i ? `${sorted[i]}–${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return out.join(', ');
}
