// An audit record's detail as labelled fields ("行数 6 · 新增 6"), each key and the values that
// are codes (roles, results, languages, yes/no) in the console's language; the raw record stays
// in the tooltip for whoever needs it verbatim.
import { Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

const LANGS: Record<string, string> = { 'zh-CN': '简体中文', 'en-US': 'English' };

function fieldLabel(t: TFunction, key: string): string {
  return t(`audit.field.${key}`, { defaultValue: key });
}

function valueText(t: TFunction, key: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return t(v ? 'audit.value.yes' : 'audit.value.no');
  if (Array.isArray(v)) return v.length ? v.map((x) => (key === 'fields' ? fieldLabel(t, String(x)) : valueText(t, key, x))).join(t('audit.listSeparator')) : '—';
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined && x !== null && x !== '')
      .map(([k, x]) => `${fieldLabel(t, k)} ${valueText(t, k, x)}`)
      .join(t('audit.listSeparator')) || '—';
  }
  const s = String(v);
  if (key === 'role') return t(`role.${s}`, { defaultValue: s });
  if (key === 'result' || key === 'from' || key === 'to') return t(`testing.result.${s}`, { defaultValue: s });
  if (key === 'locale') return LANGS[s] ?? s;
  if (key === 'reason') return t(`audit.value.${s}`, { defaultValue: s });
  if (key === 'tenancy') return t(`tenancy.${s}`, { defaultValue: s });
  if (key === 'kind') return t(`place.kind.${s}`, { defaultValue: s });
  return s;
}

export default function AuditDetail({ detail }: { detail: Record<string, unknown> | null }) {
  const { t } = useTranslation();
  const pairs = Object.entries(detail ?? {}).filter(([, v]) => v !== undefined);
  if (!pairs.length) return <>—</>;
  return (
    <Typography.Text style={{ fontSize: 12 }} ellipsis={{ tooltip: JSON.stringify(detail, null, 1) }} data-testid="audit-detail">
      {pairs.map(([k, v], i) => (
        <span key={k} className="fk-audit-field">
          {i > 0 && ' · '}
          <span className="fk-muted">{fieldLabel(t, k)}</span> {valueText(t, k, v)}
        </span>
      ))}
    </Typography.Text>
  );
}
