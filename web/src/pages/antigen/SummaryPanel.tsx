// 抗原检测概况: kits and results under a place of my area — households reached, kits out,
// results in, positives, open alerts — and the same per place below, to drill into (which
// compound or grid has not had its kits yet).
import { useCallback, useEffect, useState } from 'react';
import { Breadcrumb, Button, Col, Empty, Grid, Progress, Row, Skeleton, Statistic, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { places, type PlaceBase } from '../../api';
import { antigen, type AntigenCounts, type AntigenSummary } from '../../api/antigen';
import { kindLabel } from '../../components/placeLabels';
import { useErrorMessage } from '../../components/useErrorMessage';
import { usePublicUrl } from '../../components/usePublicUrl';
import { selfReportUrl } from '../../api/system';
import { useOfflineEmpty } from '../../components/LoadFailed';

type Row = NonNullable<AntigenSummary['rows']>[number];

const total = (c: AntigenCounts) => c.reports.negative + c.reports.positive + c.reports.invalid;

/** The share of households reached; `label` names the bar for a screen reader (what it measures, and where). */
function Reach({ c, width, label }: { c: AntigenCounts; width?: number; label: string }) {
  const pct = c.households ? Math.round((c.reached / c.households) * 100) : 0;
  return <Progress percent={pct} size={{ width: width ?? 120, height: 8 }} strokeColor={pct >= 100 ? 'var(--ant-color-success)' : 'var(--ant-color-primary)'} style={{ margin: 0 }} aria-label={label} />;
}

const red = (v: number) => (v ? <span style={{ color: '#cf1322', fontWeight: 600 }}>{v}</span> : <span className="fk-muted">0</span>);

export default function SummaryPanel({ placeId, onPlace, version }: { placeId: number | undefined; onPlace: (id: number | undefined) => void; version: number }) {
  const { t } = useTranslation();
  const offlineEmpty = useOfflineEmpty();
  const publicUrl = usePublicUrl();
  const showError = useErrorMessage();
  const mobile = Grid.useBreakpoint().md === false;
  const [data, setData] = useState<AntigenSummary>();
  const [trail, setTrail] = useState<PlaceBase[]>([]);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);

  const load = useCallback(() => setTick((x) => x + 1), []);
  useEffect(() => {
    let alive = true;
    setLoading(true);
    antigen
      .summary(placeId)
      .then((s) => alive && setData(s))
      .catch((e) => alive && showError(e))
      .finally(() => alive && setLoading(false));
    if (placeId) places.get(placeId).then(({ place, ancestors }) => alive && setTrail([...ancestors, place]), () => undefined);
    else setTrail([]);
    return () => {
      alive = false;
    };
  }, [placeId, tick, version, showError]);

  if (!data) return loading ? <Skeleton active /> : null;
  const rows = data.rows ?? [];
  const nothingYet = data.kits === 0 && total(data) === 0;

  const header = (
    <div className="fk-toolbar" style={{ marginBottom: 8 }}>
      <Breadcrumb
        data-testid="antigen-trail"
        items={[
          { title: placeId ? <a onClick={() => onPlace(undefined)}>{t('antigen.page.all')}</a> : <strong>{t('antigen.page.all')}</strong> },
          ...trail.map((p, i) => ({
            title: i < trail.length - 1 ? <a onClick={() => onPlace(p.id)}>{p.name}</a> : <strong data-testid="antigen-trail-current">{p.name}</strong>,
          })),
        ]}
      />
      <span className="fk-spacer" />
      <Button size="small" icon={<ReloadOutlined />} loading={loading} onClick={load} data-testid="antigen-refresh">
        {t('antigen.refresh')}
      </Button>
    </div>
  );

  const stats = (
    <Row gutter={[12, 8]} className="fk-cov-totals" data-testid="antigen-totals">
      <Col xs={12} md={6}>
        <Statistic title={t('antigen.page.reached')} value={data.reached} suffix={<span className="fk-antigen-of">{t('antigen.page.reachedOf', { total: data.households })}</span>} />
        <Reach c={data} width={mobile ? 120 : 160} label={t('antigen.page.coverage')} />
      </Col>
      <Col xs={12} md={4}>
        <Statistic title={t('antigen.page.kits')} value={data.kits} />
      </Col>
      <Col xs={12} md={6}>
        <Statistic title={t('antigen.page.results')} value={total(data)} />
        <div className="fk-muted" style={{ fontSize: 12 }}>{t('antigen.page.resultsDetail', data.reports)}</div>
      </Col>
      <Col xs={6} md={4}>
        <Statistic title={t('antigen.page.positives')} value={data.reports.positive} styles={{ content: { color: data.reports.positive ? '#cf1322' : undefined } }} />
      </Col>
      <Col xs={6} md={4} data-testid="antigen-open-count">
        <Statistic title={t('antigen.page.openAlerts')} value={data.openAlerts} styles={{ content: { color: data.openAlerts ? '#cf1322' : '#389e0d', fontWeight: data.openAlerts ? 700 : undefined } }} />
      </Col>
    </Row>
  );

  const columns: ColumnsType<Row> = [
    {
      title: t('antigen.page.place'),
      dataIndex: 'name',
      fixed: 'left',
      render: (v: string, r) => (
        <span className="fk-antigen-nowrap">
          <Button type="link" size="small" style={{ padding: 0, height: 'auto', fontWeight: 500 }} onClick={() => onPlace(r.placeId)} aria-label={t('antigen.page.drill', { name: v })} data-testid={`antigen-drill-${r.placeId}`}>
            {v}
          </Button>{' '}
          <span className="fk-muted" style={{ fontSize: 12 }}>{kindLabel(t, r.kind)}</span>
        </span>
      ),
    },
    { title: t('antigen.page.households'), dataIndex: 'households', align: 'right' },
    { title: t('antigen.page.reached'), dataIndex: 'reached', align: 'right', sorter: (a, b) => a.reached / (a.households || 1) - b.reached / (b.households || 1) },
    { title: t('antigen.page.coverage'), key: 'coverage', width: 150, render: (_, r) => <Reach c={r} label={`${t('antigen.page.coverage')} ${r.name}`} /> },
    { title: t('antigen.page.kits'), dataIndex: 'kits', align: 'right' },
    { title: t('antigen.result.negative'), key: 'negative', align: 'right', render: (_, r) => r.reports.negative },
    { title: t('antigen.result.positive'), key: 'positive', align: 'right', render: (_, r) => red(r.reports.positive) },
    { title: t('antigen.result.invalid'), key: 'invalid', align: 'right', render: (_, r) => r.reports.invalid },
    { title: t('antigen.page.openAlerts'), dataIndex: 'openAlerts', align: 'right', defaultSortOrder: 'descend', sorter: (a, b) => a.openAlerts - b.openAlerts, render: red },
  ];

  const noChildren = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('antigen.page.noChildren')} />;
  const table = mobile ? (
    <div className="fk-mlist" data-testid="antigen-places">
      {!rows.length ? (
        <div className="fk-mlist-empty">{noChildren}</div>
      ) : (
        rows.map((r) => (
          <div className="fk-mlist-item fk-drill" key={r.placeId} onClick={() => onPlace(r.placeId)} data-testid={`antigen-drill-${r.placeId}`}>
            <div className="fk-mlist-line">
              <span style={{ fontWeight: 500, color: 'var(--ant-color-link)' }}>{r.name}</span>
              <span className="fk-muted" style={{ fontSize: 12 }}>{kindLabel(t, r.kind)}</span>
              <span className="fk-grow" />
              {r.openAlerts > 0 && <span style={{ color: '#cf1322', fontWeight: 600 }}>{t('antigen.page.openAlerts')} {r.openAlerts}</span>}
              <RightOutlined className="fk-muted" />
            </div>
            <div className="fk-mlist-line" style={{ fontSize: 12 }}>
              <span className="fk-muted">
                {t('antigen.page.reached')} {r.reached}/{r.households} · {t('antigen.page.kits')} {r.kits} · {t('antigen.page.results')} {total(r)}
              </span>
              <span className="fk-grow" />
              <Reach c={r} width={90} label={`${t('antigen.page.coverage')} ${r.name}`} />
            </div>
          </div>
        ))
      )}
    </div>
  ) : (
    <Table<Row>
      size="small"
      rowKey="placeId"
      columns={columns}
      dataSource={rows}
      loading={loading}
      pagination={rows.length > 30 ? { pageSize: 30, size: 'small', showSizeChanger: false } : false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: offlineEmpty(noChildren) }}
      rowClassName={(r) => (r.openAlerts ? 'fk-row-positive' : '')}
      data-testid="antigen-places"
    />
  );

  const selfReport = selfReportUrl(publicUrl.url);
  return (
    <div data-testid="antigen-summary">
      {header}
      {stats}
      {nothingYet ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          style={{ marginTop: 16 }}
          description={
            <span data-testid="antigen-empty">
              {t('antigen.page.empty')}
              <br />
              <span className="fk-muted" style={{ fontSize: 12 }}>{t('antigen.page.emptyHint')}</span>
            </span>
          }
        />
      ) : (
        <>
          <Typography.Text strong style={{ display: 'block', margin: '14px 0 6px' }}>
            {t('antigen.page.byPlace')}
          </Typography.Text>
          {table}
        </>
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '10px 0 0' }} data-testid="self-report-link">
        {t('antigen.page.selfReportHint')}{' '}
        <Typography.Text copyable={{ text: selfReport }} style={{ fontSize: 12 }}>
          <a href={selfReport} target="_blank" rel="noreferrer" data-testid="self-report-url">
            {selfReport}
          </a>
        </Typography.Text>
        {publicUrl.known && !publicUrl.configured && <span data-testid="self-report-derived"> {t('antigen.page.urlDerived')}</span>}
      </Typography.Paragraph>
    </div>
  );
}
