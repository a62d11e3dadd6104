// Small shared labels of the antigen screens: the result, who reported it, the alert's state.
import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import type { AntigenResult } from '../../api/antigen';

const COLORS: Record<AntigenResult, string> = { negative: 'green', positive: 'red', invalid: 'orange' };

export function AntigenTag({ t, result }: { t: TFunction; result: AntigenResult | null | undefined }) {
  if (!result) return <span className="fk-muted">{t('antigen.result.none')}</span>;
  return (
    <Tag color={COLORS[result]} style={{ marginInlineEnd: 0, fontWeight: result === 'positive' ? 600 : undefined }} data-testid={`antigen-${result}`}>
      {t(`antigen.result.${result}`)}
    </Tag>
  );
}

/** Staff name, or "self-reported" when the resident used their personal code. */
export function reporter(t: TFunction, by: string | null): string {
  return by === null ? t('antigen.selfReported') : by || '—';
}
