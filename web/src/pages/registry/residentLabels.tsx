// Tags and labels for a resident's tenancy, care flags, sex, ID type and language.
import { Space, Tag } from 'antd';
import type { TFunction } from 'i18next';
import { CARE_FLAGS, type Resident } from '../../api';

const TENANCY_COLORS: Record<string, string> = { owner: 'blue', tenant: 'cyan', floating: 'orange' };
const FLAG_COLORS: Record<string, string> = { elderlyAlone: 'volcano', mobilityImpaired: 'magenta', pregnant: 'pink', chronicIllness: 'gold', infant: 'green' };

export function TenancyTag({ t, tenancy }: { t: TFunction; tenancy: string }) {
  return (
    <Tag color={TENANCY_COLORS[tenancy]} style={{ marginInlineEnd: 0 }}>
      {t(`tenancy.${tenancy}`)}
    </Tag>
  );
}

export function CareFlags({ t, r, hideEmpty }: { t: TFunction; r: Resident; hideEmpty?: boolean }) {
  const on = CARE_FLAGS.filter((f) => r[f]);
  if (!on.length) return hideEmpty ? null : <span className="fk-muted">—</span>;
  return (
    <Space size={[2, 2]} wrap>
      {on.map((f) => (
        <Tag key={f} color={FLAG_COLORS[f]} style={{ marginInlineEnd: 0 }}>
          {t(`flag.${f}`)}
        </Tag>
      ))}
    </Space>
  );
}

export function sexLabel(t: TFunction, sex: string | null): string {
  return sex ? t(`sex.${sex}`) : '—';
}
