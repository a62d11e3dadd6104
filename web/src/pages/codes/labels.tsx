// Small shared labels of the code colour screens: a colour as a tag that says its name (never
// the colour alone), a rule's parameters in words, a fact's details.
import { Tag } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import type { ColourReason, ColourRule } from '../../api/codes';
import { formatTime } from '../../utils/time';

const TAG: Record<string, { color: string; icon: React.ReactNode }> = {
  green: { color: 'green', icon: <CheckCircleOutlined /> },
  yellow: { color: 'gold', icon: <ExclamationCircleOutlined /> },
  red: { color: 'red', icon: <CloseCircleOutlined /> },
};

/** 绿码 / 黄码 / 红码 as a tag with an icon; an unknown colour (an old appeal) as its plain word. */
export function ColourTag({ t, colour, testId, big }: { t: TFunction; colour: string; testId?: string; big?: boolean }) {
  const look = TAG[colour];
  const size = big ? { fontSize: 15, lineHeight: '26px', paddingInline: 10 } : undefined;
  return (
    <Tag color={look?.color} icon={look?.icon} style={{ marginInlineEnd: 0, fontWeight: 600, ...size }} data-testid={testId} data-colour={colour}>
      {t(`colours.colour.${colour}`, { defaultValue: colour })}
    </Tag>
  );
}

/** A rule's parameters in words: "within 14 days", "zone levels: sealed, high". */
export function paramsText(t: TFunction, params: ColourRule['params']): string {
  const parts: string[] = [];
  if (params.days !== undefined) parts.push(t('colours.rules.params.days', { count: params.days }));
  if (params.hours !== undefined) parts.push(t('colours.rules.params.hours', { count: params.hours }));
  if (params.levels?.length) parts.push(t('colours.rules.params.levels', { levels: params.levels.map((l) => t(`colours.level.${l}`, { defaultValue: l })).join(t('audit.listSeparator')) }));
  return parts.join('; ') || '—';
}

const TIMES = new Set(['lastSampledAt']);

/** The fact behind a reason, for staff: each detail with its label ("tube: 0012…", "level: sealed"). */
export function factDetails(t: TFunction, detail: ColourReason['fact']['detail']): { key: string; label: string; value: string }[] {
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== '')
    .map(([key, v]) => ({
      key,
      label: t(`colours.detail.${key}`, { defaultValue: key }),
      value: TIMES.has(key) ? formatTime(String(v)) : key === 'level' ? t(`colours.level.${v}`, { defaultValue: String(v) }) : String(v),
    }));
}
