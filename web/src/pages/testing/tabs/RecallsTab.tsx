// Recalls (召回名单): everyone in a positive or invalid tube, held in place and retested one per
// tube — who, where they live, how to reach them and their grid worker; printable.
import { useCallback, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Empty, Grid, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { results, type Recall } from '../../../api/testing';
import Pager from '../../../components/Pager';
import { usePagedList } from '../../../components/usePagedList';
import { useErrorMessage } from '../../../components/useErrorMessage';
import { formatTime } from '../../../utils/time';
import type { TabProps } from '../CampaignPage';
import PrintArea from '../clearance/PrintArea';
import { ResultTag } from '../clearance/labels';
import '../clearance/clearance.css';
import { useOfflineEmpty } from '../../../components/LoadFailed';

type Filter = 'open' | 'closed' | 'all';
const PRINT_LIMIT = 5000;

function ReasonTag({ reason }: { reason: Recall['reason'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={reason === 'positive' ? 'red' : 'orange'} style={{ marginInlineEnd: 0, fontWeight: reason === 'positive' ? 600 : undefined }}>
      {t(`clearance.recalls.reason.${reason}`)}
    </Tag>
  );
}

function Workers({ r }: { r: Recall }) {
  if (!r.gridWorkers.length) return <span className="fk-muted">—</span>;
  return (
    <div style={{ lineHeight: 1.35 }}>
      {r.gridWorkers.map((w, i) => (
        <div key={i} style={{ whiteSpace: 'nowrap' }}>
          {w.name}
          {w.phone && <span className="fk-mono fk-muted" style={{ marginInlineStart: 6 }}>{w.phone}</span>}
        </div>
      ))}
    </div>
  );
}

function Status({ r }: { r: Recall }) {
  const { t } = useTranslation();
  if (!r.closedAt) {
    return (
      <Space size={4} wrap>
        <Tag color="processing" style={{ marginInlineEnd: 0 }}>{t('clearance.recalls.open')}</Tag>
        {r.retestTube && (
          <span style={{ whiteSpace: 'nowrap' }}>
            <span className="fk-mono">{r.retestTube}</span> <ResultTag t={t} result={r.outcome} />
          </span>
        )}
      </Space>
    );
  }
  return (
    <Space size={4} wrap>
      {r.retestTube ? (
        <span style={{ whiteSpace: 'nowrap' }}>
          <span className="fk-mono">{r.retestTube}</span> <ResultTag t={t} result={r.outcome} />
        </span>
      ) : (
        <Tag style={{ marginInlineEnd: 0 }}>{t('clearance.recalls.calledOff')}</Tag>
      )}
      <span className="fk-muted" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>{formatTime(r.closedAt)}</span>
    </Space>
  );
}

export default function RecallsTab({ campaign, round }: TabProps) {
  const { t } = useTranslation();
  const offlineEmpty = useOfflineEmpty();
  const { message } = App.useApp();
  const showError = useErrorMessage();
  const mobile = Grid.useBreakpoint().md === false;
  const [filter, setFilter] = useState<Filter>('open');
  const [printing, setPrinting] = useState<Recall[]>();
  const [preparing, setPreparing] = useState(false);

  const open = filter === 'all' ? undefined : filter === 'open';
  const fetchPage = useCallback((cursor: string | null, limit: number) => results.recalls({ roundId: round.id, open }, cursor, limit), [round.id, open]);
  const list = usePagedList(fetchPage, showError);

  const print = async () => {
    setPreparing(true);
    try {
      const all: Recall[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Recall[]; nextCursor: string | null } = await results.recalls({ roundId: round.id, open }, cursor, 500);
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && all.length < PRINT_LIMIT);
      if (cursor) void message.warning(t('clearance.printTruncated', { count: all.length }));
      setPrinting(all);
    } catch (err) {
      showError(err);
    } finally {
      setPreparing(false);
    }
  };

  const columns: ColumnsType<Recall> = useMemo(
    () => [
      { title: t('clearance.tube'), dataIndex: 'tube', fixed: 'left', render: (v: string) => <span className="fk-mono" style={{ fontWeight: 600 }}>{v}</span> },
      { title: t('clearance.recalls.reasonTitle'), dataIndex: 'reason', render: (v: Recall['reason']) => <ReasonTag reason={v} /> },
      {
        title: t('resident.name'),
        key: 'name',
        render: (_, r) => (
          <Link to={`/residents/${r.resident.id}`} data-testid="recall-name" style={{ whiteSpace: 'nowrap' }}>
            {r.resident.name}
          </Link>
        ),
      },
      { title: t('resident.idNumber'), key: 'id', render: (_, r) => <span className="fk-mono" style={{ whiteSpace: 'nowrap' }}>{r.resident.idMasked}</span> },
      { title: t('resident.phone'), key: 'phone', render: (_, r) => <span className="fk-mono">{r.resident.phone ?? '—'}</span> },
      { title: t('resident.address'), dataIndex: 'address', width: 220 },
      { title: t('clearance.recalls.gridWorkers'), key: 'workers', render: (_, r) => <Workers r={r} /> },
      { title: t('clearance.recalls.createdAt'), dataIndex: 'createdAt', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(v)}</span> },
      { title: t('clearance.recalls.retest'), key: 'status', render: (_, r) => <Status r={r} /> },
    ],
    [t],
  );

  const empty = list.loading ? (
    <span />
  ) : (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <span data-testid="recalls-empty">
          {filter === 'open' ? t('clearance.recalls.emptyOpen') : t('clearance.recalls.empty')}
          <br />
          <span className="fk-muted" style={{ fontSize: 12 }}>{t('clearance.recalls.emptyHint')}</span>
        </span>
      }
    />
  );

  const filterLabel = t(`clearance.recalls.filter.${filter}`);

  return (
    <div data-testid="recalls-tab">
      <div className="fk-toolbar">
        <Segmented<Filter>
          value={filter}
          onChange={setFilter}
          options={(['open', 'closed', 'all'] as Filter[]).map((f) => ({ value: f, label: <span data-testid={`recalls-${f}`}>{t(`clearance.recalls.filter.${f}`)}</span> }))}
        />
        {!mobile && <span className="fk-muted">{t('clearance.recalls.explain')}</span>}
        <span className="fk-spacer" />
        <Button icon={<ReloadOutlined />} onClick={list.reload}>
          {t('clearance.refresh')}
        </Button>
        <Button icon={<PrinterOutlined />} onClick={print} loading={preparing} disabled={!list.items.length} data-testid="recalls-print">
          {t('clearance.print')}
        </Button>
      </div>
      {mobile ? (
        <div className="fk-mlist" data-testid="recalls-table">
          {!list.items.length ? (
            <div className="fk-mlist-empty">{empty}</div>
          ) : (
            list.items.map((r) => (
              <div className={`fk-mlist-item${r.reason === 'positive' ? ' fk-row-positive' : ''}`} key={r.id} style={r.reason === 'positive' ? { background: '#fff1f0', paddingInline: 6 } : undefined}>
                <div className="fk-mlist-line">
                  <Link to={`/residents/${r.resident.id}`} style={{ fontWeight: 600 }} data-testid="recall-name">{r.resident.name}</Link>
                  <ReasonTag reason={r.reason} />
                  <span className="fk-mono">{r.tube}</span>
                </div>
                <div className="fk-mlist-line fk-mono" style={{ fontSize: 13 }}>
                  {r.resident.idMasked}
                  {r.resident.phone && <span className="fk-muted">{r.resident.phone}</span>}
                </div>
                <div style={{ fontSize: 13 }}>{r.address}</div>
                <div className="fk-mlist-line" style={{ fontSize: 12 }}>
                  <span className="fk-muted">{t('clearance.recalls.gridWorkers')}</span>
                  {r.gridWorkers.map((w) => `${w.name}${w.phone ? ` ${w.phone}` : ''}`).join('、') || '—'}
                </div>
                <Status r={r} />
              </div>
            ))
          )}
        </div>
      ) : (
        <Table<Recall>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: offlineEmpty(empty) }}
          rowClassName={(r) => (r.reason === 'positive' ? 'fk-row-positive' : '')}
          data-testid="recalls-table"
        />
      )}
      <Pager list={list} />
      {printing && (
        <PrintArea onDone={() => setPrinting(undefined)}>
          <h1>{t('clearance.recalls.printTitle')}</h1>
          <div className="fk-print-meta">
            {campaign.name} · {t('testing.roundN', { n: round.number })} · {filterLabel} · {t('clearance.recalls.printCount', { count: printing.length })} · {t('clearance.printedAt', { at: formatTime(new Date().toISOString()) })}
          </div>
          <table>
            <thead>
              <tr>
                <th>{t('clearance.tube')}</th>
                <th>{t('clearance.recalls.reasonTitle')}</th>
                <th>{t('resident.name')}</th>
                <th>{t('resident.idNumber')}</th>
                <th>{t('resident.phone')}</th>
                <th>{t('resident.address')}</th>
                <th>{t('clearance.recalls.gridWorkers')}</th>
                <th>{t('clearance.recalls.retest')}</th>
              </tr>
            </thead>
            <tbody>
              {printing.map((r) => (
                <tr key={r.id}>
                  <td>{r.tube}</td>
                  <td className={r.reason === 'positive' ? 'fk-print-strong' : undefined}>{t(`clearance.recalls.reason.${r.reason}`)}</td>
                  <td className="fk-print-strong">{r.resident.name}</td>
                  <td>{r.resident.idMasked}</td>
                  <td>{r.resident.phone ?? ''}</td>
                  <td>{r.address}</td>
                  <td>{r.gridWorkers.map((w) => `${w.name}${w.phone ? ` ${w.phone}` : ''}`).join('; ')}</td>
                  <td>{r.retestTube ? `${r.retestTube} ${r.outcome ? t(`clearance.result.${r.outcome}`) : ''}` : r.closedAt ? t('clearance.recalls.calledOff') : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </PrintArea>
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
        {t('clearance.recalls.footnote')}
      </Typography.Paragraph>
    </div>
  );
}
