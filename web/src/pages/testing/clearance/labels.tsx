// Small shared labels for the lab side of a campaign: result, box state, pool size, recall reason.
import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import type { Box, TestResult } from '../../../api/testing';

const RESULT_COLORS: Record<TestResult, string> = { negative: 'green', positive: 'red', invalid: 'orange' };

/** A tube's result; some answers (a resident's tests, a recall's outcome) declare it as a plain string. */
export function ResultTag({ t, result }: { t: TFunction; result: TestResult | string | null | undefined }) {
  if (!result) return <Tag style={{ marginInlineEnd: 0 }}>{t('clearance.result.pending')}</Tag>;
  return (
    <Tag color={(RESULT_COLORS as Record<string, string>)[result]} style={{ marginInlineEnd: 0 }} data-testid={`result-${result}`}>
      {t(`clearance.result.${result}`)}
    </Tag>
  );
}

const BOX_COLORS: Record<Box['state'], string> = { packed: 'blue', in_transit: 'gold', received: 'green' };

export function BoxStateTag({ t, state }: { t: TFunction; state: Box['state'] }) {
  return (
    <Tag color={BOX_COLORS[state]} style={{ marginInlineEnd: 0 }}>
      {t(`clearance.box.state.${state}`)}
    </Tag>
  );
}

/** "单管" for one person per tube, "5混1" for a pool. */
export function poolLabel(t: TFunction, poolSize: number): string {
  return poolSize <= 1 ? t('clearance.pool.single') : t('clearance.pool.n', { n: poolSize });
}

/** The index named by a server field like "tubes[3]", or null. */
export function fieldIndex(field: string | undefined, name: string): number | null {
  const m = field ? new RegExp(`^${name}\\[(\\d+)\\]$`).exec(field) : null;
  return m ? Number(m[1]) : null;
}

/** Barcodes as the server accepts them (4–40 letters, digits or hyphens). */
export const BARCODE = /^[A-Za-z0-9-]{4,40}$/;
