// Coverage (清楼): for the round, drill down from the campaign's place (or my own area) to the
// building and unit — expected, sampled, exempt and missing per child place, most missing
// first — or list every building at once; below, the names still missing for door-knocking.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Breadcrumb, Button, Col, Empty, Grid, Progress, Result, Row, Segmented, Skeleton, Space, Statistic, Table, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ApartmentOutlined, BuildOutlined, CheckCircleFilled, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { coverage, type Coverage, type CoverageRow } from '../../../api/testing';
import EChart from '../../../components/EChart';
import { kindLabel } from '../../../components/placeLabels';
import { useErrorMessage } from '../../../components/useErrorMessage';
import type { TabProps } from '../CampaignPage';
import MissingList from '../clearance/MissingList';
import '../clearance/clearance.css';
import { OfflineState } from '../../../components/LoadFailed';
import { useNetwork } from '../../../api/network';

/** Place names are typed by officers; the chart's tooltip is HTML. */
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

type By = 'children' | 'building';
interface Stop {
  id: number;
  name: string;
  kind: string;
  within?: string;
}

function percent(r: { expected: number; sampled: number; exempt: number }): number {
  if (!r.expected) return 100;
  return Math.floor(((r.sampled + r.exempt) / r.expected) * 1000) / 10;
}

function CoverageBar({ r, width, label }: { r: { expected: number; sampled: number; exempt: number; missing: number }; width?: number; label: string }) {
  const p = percent(r);
  return (
    <Progress
      aria-label={label}
      percent={p}
      size="small"
      status={r.missing === 0 && r.expected > 0 ? 'success' : 'normal'}
      strokeColor={r.missing === 0 ? undefined : p < 60 ? '#fa8c16' : '#1677ff'}
      format={(v) => `${v}%`}
      style={{ width: width ?? 150, margin: 0 }}
    />
  );
}

function CoverageView({ campaign, round }: TabProps) {
  const { t } = useTranslation();
  const showError = useErrorMessage();
  const { offline } = useNetwork();
  const mobile = Grid.useBreakpoint().md === false;
  const [by, setBy] = useState<By>('children');
  const [root, setRoot] = useState<Stop>();
  const [trail, setTrail] = useState<Stop[]>([]);
  const [data, setData] = useState<Coverage>();
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const [version, setVersion] = useState(0);
  const placeId = trail.at(-1)?.id;

  useEffect(() => {
    let live = true;
    setLoading(true);
    coverage
      .get(round.id, { placeId, by })
      .then((c) => {
        if (!live) return;
        setData(c);
        setFailed(false);
        if (placeId === undefined) setRoot({ id: c.place.id, name: c.place.name, kind: c.place.kind });
      })
      .catch((err) => {
        if (!live) return;
        setFailed(true);
        showError(err);
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [round.id, placeId, by, version, showError]);

  const drill = (r: CoverageRow) => {
    setTrail((tr) => [...tr, { id: r.placeId, name: r.name, kind: r.kind, within: r.within || undefined }]);
    // a building's own list is its units
    if (by === 'building') setBy('children');
  };
  const back = (i: number) => setTrail((tr) => tr.slice(0, i));
  const refresh = () => setVersion((v) => v + 1);

  const rows = useMemo(() => data?.rows ?? [], [data]);
  const withMissing = rows.filter((r) => r.missing > 0);

  const chart = useMemo(() => {
    const top = rows.filter((r) => r.missing > 0).slice(0, 12).reverse();
    // "2号楼" is in every compound: the chart names each bar's compound, the tooltip the whole way down
    const label = (r: CoverageRow) => (r.compound && r.compound !== r.name ? `${r.compound} ${r.name}` : r.name);
    const full = (r: CoverageRow) => {
      const above = r.within ? r.within.split(' ') : [];
      if (r.compound && r.compound !== r.name && !above.includes(r.compound)) above.unshift(r.compound);
      return [...above, r.name].join(' ');
    };
    const option = {
      aria: { enabled: true },
      grid: { left: 8, right: 40, top: 6, bottom: 6, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (p: { dataIndex: number }) => {
          const r = top[p.dataIndex];
          return `${escapeHtml(full(r))}<br/>${t('clearance.coverage.missing')}: ${r.missing} / ${t('clearance.coverage.expected')}: ${r.expected}`;
        },
      },
      xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#f0f0f0' } } },
      yAxis: { type: 'category', data: top.map(label), axisLabel: { width: 150, overflow: 'truncate' }, axisTick: { show: false } },
      series: [{ type: 'bar', data: top.map((r) => r.missing), itemStyle: { color: '#ff7a45', borderRadius: [0, 3, 3, 0] }, barMaxWidth: 18, label: { show: true, position: 'right', color: '#595959' } }],
    };
    return { option, top };
  }, [rows, t]);

  if (!data && loading) return <Skeleton active />;
  if (!data || !root) return failed && offline ? <OfflineState /> : failed ? <Result status="warning" title={t('clearance.coverage.failed')} extra={<Button onClick={refresh}>{t('clearance.refresh')}</Button>} /> : null;

  const totals = data.totals;
  const here = data.place;
  const cleared = totals.expected > 0 && totals.missing === 0;
  const stops = [root, ...trail];

  const columns: ColumnsType<CoverageRow> = [
    {
      title: by === 'building' ? t('clearance.coverage.building') : t('clearance.coverage.place'),
      dataIndex: 'name',
      fixed: 'left',
      render: (_, r) => (
        <div style={{ lineHeight: 1.3 }}>
          <Space size={6}>
            <Button type="link" size="small" style={{ padding: 0, height: 'auto', fontWeight: 500 }} onClick={(e) => {
                e.stopPropagation();
                drill(r);
              }}
              data-testid={`drill-${r.placeId}`}
            >
              {r.name}
            </Button>
            {by === 'children' && <span className="fk-muted" style={{ fontSize: 12 }}>{kindLabel(t, r.kind)}</span>}
          </Space>
          {by === 'building' && r.within && <div className="fk-muted" style={{ fontSize: 12 }}>{r.within}</div>}
        </div>
      ),
    },
    { title: t('clearance.coverage.expected'), dataIndex: 'expected', align: 'right', sorter: (a, b) => a.expected - b.expected },
    { title: t('clearance.coverage.sampled'), dataIndex: 'sampled', align: 'right', sorter: (a, b) => a.sampled - b.sampled },
    { title: t('clearance.coverage.exempt'), dataIndex: 'exempt', align: 'right', sorter: (a, b) => a.exempt - b.exempt },
    {
      title: t('clearance.coverage.missing'),
      dataIndex: 'missing',
      align: 'right',
      defaultSortOrder: 'descend',
      sorter: (a, b) => a.missing - b.missing,
      render: (v: number, r) =>
        v ? (
          <span style={{ color: '#cf1322', fontWeight: 600 }}>{v}</span>
        ) : r.expected ? (
          <Tooltip title={t('clearance.coverage.cleared')}>
            <CheckCircleFilled style={{ color: '#52c41a' }} />
          </Tooltip>
        ) : (
          <span className="fk-muted">0</span>
        ),
    },
    { title: t('clearance.coverage.progress'), key: 'progress', width: 170, render: (_, r) => <CoverageBar r={r} label={`${t('clearance.coverage.progress')} ${r.name}`} /> },
    { title: '', key: 'go', width: 32, render: () => <RightOutlined className="fk-muted" /> },
  ];

  const header = (
    <div className="fk-toolbar" style={{ marginBottom: 8 }}>
      <Breadcrumb
        data-testid="coverage-trail"
        items={stops.map((s, i) => ({
          title:
            i < stops.length - 1 ? (
              <a onClick={() => back(i)} title={s.within} data-testid={`trail-${s.id}`}>
                {s.name}
              </a>
            ) : (
              <span title={s.within} style={{ fontWeight: 600 }} data-testid="trail-current">
                {s.name}
              </span>
            ),
        }))}
      />
      {cleared && (
        <Tag color="success" icon={<CheckCircleFilled />} data-testid="cleared-tag">
          {t('clearance.coverage.cleared')}
        </Tag>
      )}
      <span className="fk-spacer" />
      <Segmented<By>
        size="small"
        value={by}
        onChange={setBy}
        options={[
          { value: 'children', label: t('clearance.coverage.byChildren'), icon: <ApartmentOutlined /> },
          { value: 'building', label: <span data-testid="by-building">{t('clearance.coverage.byBuilding')}</span>, icon: <BuildOutlined /> },
        ]}
      />
      <Button size="small" icon={<ReloadOutlined />} loading={loading} onClick={refresh} data-testid="coverage-refresh">
        {t('clearance.refresh')}
      </Button>
    </div>
  );

  const totalsRow = (
    <Row gutter={[12, 8]} className="fk-cov-totals" data-testid="coverage-totals" align="middle">
      <Col xs={8} md={4}><Statistic title={t('clearance.coverage.expected')} value={totals.expected} /></Col>
      <Col xs={8} md={4}><Statistic title={t('clearance.coverage.sampled')} value={totals.sampled} styles={{ content: { color: totals.sampled ? 'var(--ant-color-success)' : undefined } }} /></Col>
      <Col xs={8} md={4}><Statistic title={t('clearance.coverage.exempt')} value={totals.exempt} /></Col>
      <Col xs={8} md={4}>
        <Statistic title={t('clearance.coverage.missing')} value={totals.missing} styles={{ content: { color: totals.missing ? '#cf1322' : 'var(--ant-color-success)', fontWeight: 600 } }} />
      </Col>
      <Col xs={16} md={8}>
        <div className="ant-statistic-title" style={{ color: 'var(--ant-color-text-description)' }}>{t('clearance.coverage.rate')}</div>
        <CoverageBar r={totals} width={mobile ? 200 : 260} label={t('clearance.coverage.progress')} />
        {data.sampledOutside > 0 && (
          <div className="fk-muted" style={{ fontSize: 12, marginTop: 2 }} data-testid="sampled-outside">
            {t('clearance.coverage.outside', { count: data.sampledOutside })}
          </div>
        )}
      </Col>
    </Row>
  );

  if (totals.expected === 0) {
    return (
      <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="coverage-tab">
        {header}
        <Empty description={t('clearance.coverage.notCovered', { place: here.name })}>
          {trail.length > 0 && <Button onClick={() => back(trail.length - 1)}>{t('clearance.coverage.up')}</Button>}
        </Empty>
      </Space>
    );
  }

  const table = mobile ? (
    <div className="fk-mlist" data-testid="coverage-table">
      {rows.map((r) => (
        <div className="fk-mlist-item fk-drill" key={r.placeId} onClick={() => drill(r)} data-testid={`drill-${r.placeId}`}>
          <div className="fk-mlist-line">
            <span style={{ fontWeight: 500, color: 'var(--ant-color-link)' }}>{r.name}</span>
            <span className="fk-muted" style={{ fontSize: 12 }}>{by === 'building' ? r.within : kindLabel(t, r.kind)}</span>
            <span className="fk-grow" />
            {r.missing ? <span style={{ color: '#cf1322', fontWeight: 600 }}>{t('clearance.coverage.missingN', { count: r.missing })}</span> : <CheckCircleFilled style={{ color: '#52c41a' }} />}
            <RightOutlined className="fk-muted" />
          </div>
          <div className="fk-mlist-line" style={{ fontSize: 12 }}>
            <span className="fk-muted">{t('clearance.coverage.line', { expected: r.expected, sampled: r.sampled, exempt: r.exempt })}</span>
            <span className="fk-grow" />
            <CoverageBar r={r} width={120} label={`${t('clearance.coverage.progress')} ${r.name}`} />
          </div>
        </div>
      ))}
    </div>
  ) : (
    <Table<CoverageRow>
      size="small"
      rowKey="placeId"
      columns={columns}
      dataSource={rows}
      loading={loading}
      pagination={rows.length > 30 ? { pageSize: 30, size: 'small', showSizeChanger: false } : false}
      scroll={{ x: 'max-content' }}
      rowClassName={() => 'fk-drill'}
      onRow={(r) => ({ onClick: () => drill(r) })}
      data-testid="coverage-table"
    />
  );

  const showChart = !mobile && withMissing.length >= 2;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="coverage-tab">
      {header}
      {totalsRow}
      {rows.length > 0 && (
        <Row gutter={[12, 12]}>
          <Col xs={24} xl={showChart ? 15 : 24}>{table}</Col>
          {showChart && (
            <Col xs={24} xl={9} data-testid="coverage-chart">
              <div className="fk-muted" style={{ fontSize: 12, marginBottom: 4 }}>{t('clearance.coverage.chartTitle')}</div>
              <EChart
                option={chart.option}
                height={Math.max(140, Math.min(12, withMissing.length) * 26 + 24)}
                onClick={(p) => {
                  const r = chart.top[p.dataIndex];
                  if (r) drill(r);
                }}
              />
            </Col>
          )}
        </Row>
      )}
      {rows.length === 0 && here.kind !== 'unit' && by === 'children' && (
        <Alert type="info" showIcon title={t('clearance.coverage.noChildren', { place: here.name })} />
      )}
      {cleared ? (
        <Result
          status="success"
          title={<span data-testid="cleared">{t('clearance.coverage.clearedTitle', { place: here.name })}</span>}
          subTitle={t('clearance.coverage.clearedDetail', { expected: totals.expected, sampled: totals.sampled, exempt: totals.exempt })}
          style={{ padding: '16px 0' }}
          extra={trail.length > 0 ? <Button onClick={() => back(trail.length - 1)}>{t('clearance.coverage.up')}</Button> : undefined}
        />
      ) : (
        <MissingList
          roundId={round.id}
          roundNumber={round.number}
          campaignName={campaign.name}
          placeId={placeId}
          placeName={here.name}
          missing={totals.missing}
          version={version}
          onChanged={refresh}
        />
      )}
    </Space>
  );
}

export default function CoverageTab(props: TabProps) {
  // a new round starts again at the top
  return <CoverageView key={props.round.id} {...props} />;
}
