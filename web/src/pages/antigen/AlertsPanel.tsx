// 阳性提醒: every antigen positive in my area — who, where, how to reach them and their grid
// worker — open ones first, until someone acknowledges that the community is on it.
import { useCallback, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Badge, Button, Empty, Grid, Popconfirm, Segmented, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { antigen, type AntigenAlert } from '../../api/antigen';
import { useAuth } from '../../auth/AuthContext';
import Pager from '../../components/Pager';
import { usePagedList } from '../../components/usePagedList';
import { useErrorMessage } from '../../components/useErrorMessage';
import { formatTime } from '../../utils/time';
import { reporter } from './labels';
import { useOfflineEmpty } from '../../components/LoadFailed';

type Filter = 'open' | 'all';

function Workers({ a }: { a: AntigenAlert }) {
  if (!a.gridWorkers.length) return <span className="fk-muted">—</span>;
  return (
    <div style={{ lineHeight: 1.35 }}>
      {a.gridWorkers.map((w, i) => (
        <div key={i} className="fk-antigen-nowrap">
          {w.name}
          {w.phone && (
            <a href={`tel:${w.phone}`} className="fk-mono" style={{ marginInlineStart: 6 }}>
              {w.phone}
            </a>
          )}
        </div>
      ))}
    </div>
  );
}

function Status({ a }: { a: AntigenAlert }) {
  const { t } = useTranslation();
  if (!a.acknowledgedAt) return <Badge status="error" text={<strong style={{ color: '#cf1322' }}>{t('antigen.alerts.open')}</strong>} />;
  return (
    <div style={{ lineHeight: 1.3 }}>
      <Tag color="default" icon={<CheckOutlined />} style={{ marginInlineEnd: 0 }}>
        {t('antigen.alerts.acknowledged')}
      </Tag>
      <div className="fk-muted" style={{ fontSize: 12 }}>{t('antigen.alerts.acknowledgedBy', { by: a.acknowledgedBy ?? '—', time: formatTime(a.acknowledgedAt) })}</div>
    </div>
  );
}

export default function AlertsPanel({ onChanged, version }: { onChanged: () => void; version: number }) {
  const { t } = useTranslation();
  const offlineEmpty = useOfflineEmpty();
  const { can } = useAuth();
  const { message } = App.useApp();
  const showError = useErrorMessage();
  const mobile = Grid.useBreakpoint().md === false;
  const [filter, setFilter] = useState<Filter>('open');
  const [busy, setBusy] = useState<number>();
  const canAck = can('antigen.report');

  // version: a new report or acknowledgement elsewhere on the page reloads the list
  const fetchPage = useCallback(
    (cursor: string | null, limit: number) => antigen.alerts(filter === 'open' ? true : undefined, cursor, limit),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [filter, version],
  );
  const list = usePagedList(fetchPage, showError);
  // newest first from the server; in "all", the open ones of the page come first
  const items = useMemo(() => [...list.items].sort((a, b) => Number(!!a.acknowledgedAt) - Number(!!b.acknowledgedAt)), [list.items]);

  const acknowledge = async (a: AntigenAlert) => {
    setBusy(a.id);
    try {
      await antigen.acknowledge(a.id);
      void message.success(t('antigen.alerts.done', { name: a.resident.name }));
      onChanged();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(undefined);
    }
  };

  const ackButton = (a: AntigenAlert) =>
    canAck &&
    !a.acknowledgedAt && (
      <Popconfirm
        title={t('antigen.alerts.acknowledgeConfirm')}
        description={<div style={{ maxWidth: 260 }}>{t('antigen.alerts.acknowledgeExplain')}</div>}
        okText={t('antigen.alerts.acknowledge')}
        cancelText={t('common.cancel')}
        okButtonProps={{ 'data-testid': 'ack-confirm' }}
        onConfirm={() => acknowledge(a)}
      >
        <Button type="primary" size={mobile ? 'middle' : 'small'} icon={<CheckOutlined />} loading={busy === a.id} data-testid={`ack-${a.id}`}>
          {t('antigen.alerts.acknowledge')}
        </Button>
      </Popconfirm>
    );

  const columns: ColumnsType<AntigenAlert> = [
    { title: t('antigen.alerts.status'), key: 'status', render: (_, a) => <Status a={a} /> },
    {
      title: t('antigen.alerts.name'),
      key: 'name',
      render: (_, a) => (
        <Link to={`/residents/${a.resident.id}`} className="fk-antigen-nowrap" style={{ fontWeight: 600, color: a.acknowledgedAt ? undefined : '#cf1322' }} data-testid="alert-name">
          {a.resident.name}
        </Link>
      ),
    },
    { title: t('resident.idNumber'), key: 'id', render: (_, a) => <span className="fk-mono fk-antigen-nowrap">{a.resident.idMasked}</span> },
    { title: t('resident.phone'), key: 'phone', render: (_, a) => <span className="fk-mono">{a.resident.phone ?? '—'}</span> },
    { title: t('resident.address'), dataIndex: 'address', width: 200 },
    { title: t('antigen.alerts.gridWorkers'), key: 'workers', render: (_, a) => <Workers a={a} /> },
    { title: t('antigen.alerts.testedAt'), dataIndex: 'testedAt', render: (v: string) => <span className="fk-antigen-nowrap">{formatTime(v)}</span> },
    { title: t('antigen.alerts.reportedBy'), dataIndex: 'reportedBy', render: (v: string | null) => reporter(t, v) },
    ...(canAck ? [{ title: t('common.actions'), key: 'actions', fixed: 'right' as const, render: (_: unknown, a: AntigenAlert) => ackButton(a) }] : []),
  ];

  const empty = list.loading ? (
    <span />
  ) : (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <span data-testid="alerts-empty">
          {filter === 'open' ? t('antigen.alerts.emptyOpen') : t('antigen.alerts.empty')}
          <br />
          <span className="fk-muted" style={{ fontSize: 12 }}>{t('antigen.alerts.emptyHint')}</span>
        </span>
      }
    />
  );

  return (
    <div data-testid="antigen-alerts">
      <div className="fk-toolbar">
        <Segmented<Filter>
          value={filter}
          onChange={setFilter}
          options={(['open', 'all'] as Filter[]).map((f) => ({ value: f, label: <span data-testid={`alerts-${f}`}>{t(`antigen.alerts.${f}`)}</span> }))}
        />
        {!mobile && <span className="fk-muted">{t('antigen.alerts.explain')}</span>}
        <span className="fk-spacer" />
        <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t('antigen.refresh')} title={t('antigen.refresh')} />
      </div>
      {mobile ? (
        <div className="fk-mlist" data-testid="alerts-table">
          {!items.length ? (
            <div className="fk-mlist-empty">{empty}</div>
          ) : (
            items.map((a) => (
              <div className={`fk-mlist-item fk-antigen-mitem${a.acknowledgedAt ? '' : ' is-open'}`} key={a.id} data-testid="alert-item">
                <div className="fk-mlist-line">
                  <Link to={`/residents/${a.resident.id}`} style={{ fontWeight: 700, fontSize: 16, color: a.acknowledgedAt ? undefined : '#cf1322' }} data-testid="alert-name">
                    {a.resident.name}
                  </Link>
                  <span className="fk-mono" style={{ fontSize: 13 }}>{a.resident.idMasked}</span>
                  <span className="fk-grow" />
                  <Status a={a} />
                </div>
                <div style={{ fontSize: 13 }}>{a.address}</div>
                <div className="fk-mlist-line" style={{ fontSize: 13 }}>
                  <span className="fk-muted">{t('resident.phone')}</span>
                  <span className="fk-mono">{a.resident.phone ?? '—'}</span>
                </div>
                <div className="fk-mlist-line" style={{ fontSize: 13 }}>
                  <span className="fk-muted">{t('antigen.alerts.gridWorkers')}</span>
                  <Workers a={a} />
                </div>
                <div className="fk-muted" style={{ fontSize: 12 }}>
                  {t('antigen.alerts.testedAt')} {formatTime(a.testedAt)} · {reporter(t, a.reportedBy)}
                </div>
                {ackButton(a) && <div style={{ marginTop: 6 }}>{ackButton(a)}</div>}
              </div>
            ))
          )}
        </div>
      ) : (
        <Table<AntigenAlert>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: offlineEmpty(empty) }}
          rowClassName={(a) => (a.acknowledgedAt ? '' : 'fk-row-positive')}
          data-testid="alerts-table"
        />
      )}
      <Pager list={list} />
    </div>
  );
}
