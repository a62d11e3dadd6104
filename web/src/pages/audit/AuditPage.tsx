// Audit log (审计日志): who did what, when, where. Filter by user, action and time range.
import { useCallback, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Card, DatePicker, Empty, Input, Select, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { audit, type AuditEntry, type AuditFilters } from '../../api';
import Pager from '../../components/Pager';
import ScrollHint from '../../components/ScrollHint';
import { usePagedList } from '../../components/usePagedList';
import { useErrorMessage } from '../../components/useErrorMessage';
import { useCrumbs } from '../../layout/PageContext';
import { dayEnd, dayStart, formatTime, formatTimeExact } from '../../utils/time';
import zhCN from '../../i18n/zh-CN.json';
import AuditDetail from './AuditDetail';
import { useOfflineEmpty } from '../../components/LoadFailed';

/** Every action the server records: the keys of audit.action in the texts (a test on the server
 * fails when it writes an action that has no text in both languages). 'box_hand_over' → 'box.hand_over'. */
export const AUDIT_ACTIONS = Object.keys(zhCN.audit.action).map((k) => k.replace('_', '.'));
const PREFIXES = [...new Set(AUDIT_ACTIONS.map((a) => a.slice(0, a.indexOf('.') + 1)))];

const ACTION_COLORS: Record<string, string> = {
  'resident.reveal_id': 'red',
  'resident.read': 'orange',
  'resident.export': 'volcano',
  'auth.login_failed': 'magenta',
  'auth.password_change_failed': 'magenta',
  'import.commit': 'purple',
};

function entityLink(e: AuditEntry): string | undefined {
  if (!e.entityId) return undefined;
  if (e.entity === 'resident') return `/residents/${e.entityId}`;
  if (e.entity === 'household') return `/households/${e.entityId}`;
  if (e.entity === 'place') return `/places/${e.entityId}`;
  if (e.entity === 'campaign') return `/testing/${e.entityId}`;
  return undefined;
}

export default function AuditPage() {
  const { t } = useTranslation();
  const offlineEmpty = useOfflineEmpty();
  const showError = useErrorMessage();
  const [username, setUsername] = useState('');
  const [typed, setTyped] = useState('');
  const [action, setAction] = useState<string>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  useCrumbs([], 'audit');

  const filters: AuditFilters = useMemo(
    () => ({
      username: username || undefined,
      action,
      from: range?.[0] ? dayStart(range[0]) : undefined,
      to: range?.[1] ? dayEnd(range[1]) : undefined,
    }),
    [username, action, range],
  );
  const fetchPage = useCallback((cursor: string | null, limit: number) => audit.list(filters, cursor, limit), [filters]);
  const list = usePagedList(fetchPage, showError);
  const filtered = !!(username || action || range);

  const actionLabel = (a: string) => t(`audit.action.${a.replace('.', '_')}`, { defaultValue: a });

  const columns: ColumnsType<AuditEntry> = [
    { title: t('audit.at'), dataIndex: 'at', width: 172, render: (v) => <span className="fk-mono" style={{ whiteSpace: 'nowrap', fontSize: 13 }} title={formatTimeExact(v)}>{formatTime(v)}</span> },
    { title: t('audit.user'), dataIndex: 'username', width: 110, render: (v) => v ?? <span className="fk-muted">{t('audit.system')}</span> },
    {
      title: t('audit.actionLabel'),
      dataIndex: 'action',
      width: 160,
      render: (a: string) => (
        <Tag color={ACTION_COLORS[a]} title={a} data-testid="audit-action">
          {actionLabel(a)}
        </Tag>
      ),
    },
    {
      title: t('audit.entity'),
      key: 'entity',
      width: 140,
      render: (_, e) => {
        if (!e.entity) return '—';
        const label = `${t(`audit.entityKind.${e.entity}`, { defaultValue: e.entity })} #${e.entityId ?? ''}`;
        const to = entityLink(e);
        return to ? <Link to={to}>{label}</Link> : label;
      },
    },
    {
      title: t('audit.detail'),
      dataIndex: 'detail',
      render: (d: Record<string, unknown> | null) => <AuditDetail detail={d} />,
      ellipsis: true,
    },
    { title: t('audit.ip'), dataIndex: 'ip', width: 110, render: (v) => <span className="fk-mono">{v ?? '—'}</span> },
  ];

  return (
    <Card size="small" styles={{ body: { padding: 12 } }}>
      <div className="fk-toolbar">
        <Input.Search
          allowClear
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onSearch={(v) => setUsername(v.trim())}
          placeholder={t('audit.userPlaceholder')}
          style={{ width: 200 }}
          data-testid="audit-user"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('audit.actionLabel')}
          aria-label={t('audit.actionLabel')}
          value={action}
          onChange={setAction}
          style={{ width: 220 }}
          data-testid="audit-action-filter"
          options={[
            { label: t('audit.groups'), options: PREFIXES.map((p) => ({ value: p, label: t('audit.allOf', { group: t(`audit.group.${p.slice(0, -1)}`) }) })) },
            { label: t('audit.actions'), options: AUDIT_ACTIONS.map((a) => ({ value: a, label: actionLabel(a) })) },
          ]}
        />
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} allowEmpty={[true, true]} style={{ maxWidth: '100%' }} />
        {filtered && (
          <Button
            onClick={() => {
              setUsername('');
              setTyped('');
              setAction(undefined);
              setRange(null);
            }}
          >
            {t('common.clearFilters')}
          </Button>
        )}
        <span className="fk-spacer" />
        <span className="fk-muted" style={{ fontSize: 12 }}>{t('audit.timeZoneNote')}</span>
      </div>
      <ScrollHint>
        <Table<AuditEntry>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          tableLayout="fixed"
          locale={{ emptyText: offlineEmpty(list.loading ? <span /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filtered ? t('audit.emptyFiltered') : t('audit.empty')} />) }}
          data-testid="audit-table"
        />
      </ScrollHint>
      <Pager list={list} />
    </Card>
  );
}
