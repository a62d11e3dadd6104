// 区域看板 (the area board): the command center's and a street's first panel — every running
// campaign of the area, live (SSE), with sampled against expected, tubes by stage (missing at
// receipt apart), results, positives and open recalls, the sum on top, a chart of how far each
// campaign has got, and the table to open one. Anyone sees their own area; a place narrows it.
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Card, Col, Empty, Grid, Progress, Row, Skeleton, Space, Statistic, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { AlertOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { AreaBoard, AreaCampaign } from '../../api/testing';
import EChart from '../../components/EChart';
import PlaceTreeSelect from '../../components/PlaceTreeSelect';
import LoadFailed from '../../components/LoadFailed';
import { useErrorMessage } from '../../components/useErrorMessage';
import { useCrumbs } from '../../layout/PageContext';
import { LinkState, tubeStagesOption } from '../testing/tabs/OverviewTab';
import { useAreaBoard } from './useAreaBoard';

const pct = (samples: number, expected: number) => (expected ? Math.min(100, Math.floor((samples / expected) * 1000) / 10) : 0);

/** Sampled and not yet sampled per campaign: how far each has got, at a glance. */
function progressOption(b: AreaBoard, t: TFunction) {
  const rows = [...b.campaigns].reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    legend: { top: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 12 } },
    grid: { left: 8, right: 24, top: 28, bottom: 4, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
    yAxis: { type: 'category', data: rows.map((c) => c.campaign.name), axisLabel: { width: 140, overflow: 'truncate' }, axisTick: { show: false } },
    series: [
      { name: t('area.chartSampled'), type: 'bar', stack: 'p', data: rows.map((c) => c.samples), itemStyle: { color: '#1456b8' }, barMaxWidth: 18 },
      { name: t('area.chartRemaining'), type: 'bar', stack: 'p', data: rows.map((c) => Math.max(0, c.expected - c.samples)), itemStyle: { color: '#d9d9d9' }, barMaxWidth: 18 },
    ],
  };
}

export default function AreaBoardPage() {
  const { t, i18n } = useTranslation();
  const showError = useErrorMessage();
  const mobile = Grid.useBreakpoint().md === false;
  const [placeId, setPlaceId] = useState<number>();
  const { board, link, error } = useAreaBoard(placeId, showError);
  useCrumbs([], `area-${i18n.language}`);
  const progress = useMemo(() => (board?.campaigns.length ? progressOption(board, t) : null), [board, t]);
  const stages = useMemo(() => (board?.campaigns.length ? tubeStagesOption(board.totals.tubes, t) : null), [board, t]);

  const columns: ColumnsType<AreaCampaign> = [
    {
      title: t('area.col.campaign'),
      key: 'campaign',
      render: (_, c) => (
        <div>
          <Link to={`/testing/${c.campaign.id}`} data-testid={`area-campaign-${c.campaign.id}`}>{c.campaign.name}</Link>
          <div className="fk-muted" style={{ fontSize: 12 }}>{c.campaign.placeName}</div>
        </div>
      ),
    },
    { title: t('area.col.round'), key: 'round', render: (_, c) => t('testing.roundN', { n: c.round.number }), responsive: ['md'] },
    {
      title: t('area.col.progress'),
      key: 'progress',
      render: (_, c) => (
        <div style={{ minWidth: 140 }}>
          <Progress percent={pct(c.samples, c.expected)} size="small" aria-label={t('area.col.progress')} />
          <span className="fk-muted" style={{ fontSize: 12 }} data-testid="area-row-sampled">{c.samples} / {c.expected}</span>
        </div>
      ),
    },
    {
      title: t('area.col.tubes'),
      key: 'tubes',
      responsive: ['lg'],
      render: (_, c) => (
        <span style={{ fontSize: 12 }} data-testid="area-row-tubes">
          {t('area.tubesCell', { transit: c.tubes.inTransit + c.tubes.packed + c.tubes.sealed, lab: c.tubes.atLab, missing: c.tubes.missing })}
        </span>
      ),
    },
    {
      title: t('area.col.results'),
      key: 'results',
      render: (_, c) => (
        <span data-testid="area-row-results">
          {c.tubes.negative} / <Typography.Text type={c.tubes.positive ? 'danger' : undefined} strong={!!c.tubes.positive}>{c.tubes.positive}</Typography.Text> / {c.tubes.invalid}
        </span>
      ),
    },
    { title: t('area.col.recalls'), key: 'recalls', align: 'right', render: (_, c) => <Typography.Text type={c.recalls.open ? 'danger' : undefined}>{c.recalls.open}</Typography.Text> },
  ];

  const head = (
    <div className="fk-board-meta" style={{ flexWrap: 'wrap', gap: 8 }}>
      <Typography.Title level={4} style={{ margin: 0 }}>{t('area.title')}</Typography.Title>
      {board && <span className="fk-muted" data-testid="area-subtitle">{board.place ? t('area.subtitle', { place: board.place.name }) : t('area.subtitleAll')}</span>}
      <span className="fk-grow" />
      <PlaceTreeSelect value={placeId ?? null} onChange={(id) => setPlaceId(id)} allowClear placeholder={t('area.placeAll')} style={{ width: mobile ? '100%' : 240 }} data-testid="area-place" />
      {board && <LinkState link={link} at={board.at} />}
    </div>
  );

  if (!board) {
    return (
      <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="area-page">
        {head}
        {error ? <LoadFailed error={error} /> : <Skeleton active data-testid="area-loading" />}
      </Space>
    );
  }

  const { totals } = board;
  const awaiting = totals.tubes.open + totals.tubes.sealed + totals.tubes.packed + totals.tubes.inTransit + totals.tubes.atLab;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="area-page">
      {head}
      {totals.tubes.positive > 0 && (
        <Alert type="error" showIcon icon={<AlertOutlined />} data-testid="area-positive-alert" title={t('area.positiveAlert', { count: totals.tubes.positive, recalls: totals.recalls.open })} />
      )}
      {totals.tubes.missing > 0 && <Alert type="warning" showIcon data-testid="area-missing-alert" title={t('area.missingAlert', { count: totals.tubes.missing })} />}
      <Row gutter={[12, 12]} data-testid="area-totals">
        <Col xs={12} md={4}><Card size="small"><Statistic title={t('area.campaigns')} value={totals.campaigns} data-testid="area-total-campaigns" /></Card></Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('area.sampled')} value={totals.samples} suffix={<span className="fk-muted" style={{ fontSize: 14 }}>/ {totals.expected}</span>} data-testid="area-total-sampled" />
          </Card>
        </Col>
        <Col xs={12} md={4}><Card size="small"><Statistic title={t('area.awaiting')} value={awaiting} /></Card></Col>
        <Col xs={12} md={3}><Card size="small"><Statistic title={t('area.missing')} value={totals.tubes.missing} styles={{ content: { color: totals.tubes.missing ? '#cf1322' : undefined } }} data-testid="area-total-missing" /></Card></Col>
        <Col xs={12} md={3}><Card size="small"><Statistic title={t('area.positive')} value={totals.tubes.positive} styles={{ content: { color: totals.tubes.positive ? '#cf1322' : undefined } }} data-testid="area-total-positive" /></Card></Col>
        <Col xs={12} md={4}><Card size="small"><Statistic title={t('area.openRecalls')} value={totals.recalls.open} styles={{ content: { color: totals.recalls.open ? '#cf1322' : undefined } }} data-testid="area-total-recalls" /></Card></Col>
      </Row>
      {!board.campaigns.length ? (
        <Card size="small">
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            data-testid="area-empty"
            description={
              <Space orientation="vertical" size={2}>
                <span>{t('area.empty')}</span>
                <span className="fk-muted" style={{ fontSize: 12 }}>{t('area.emptyHint')}</span>
              </Space>
            }
          >
            <Link to="/testing">{t('area.toCampaigns')}</Link>
          </Empty>
        </Card>
      ) : (
        <>
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={14}>
              <Card size="small" title={t('area.chartTitle')} data-testid="area-chart">
                {progress && <EChart option={progress} height={Math.max(240, 40 + board.campaigns.length * 34)} />}
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card size="small" title={t('area.stagesTitle')} data-testid="area-stages">
                {stages && <EChart option={stages} height={Math.max(240, 40 + board.campaigns.length * 34)} />}
              </Card>
            </Col>
          </Row>
          <Card size="small" title={t('area.table')}>
            <Table<AreaCampaign> size="small" rowKey={(c) => c.campaign.id} columns={columns} dataSource={board.campaigns} pagination={false} scroll={{ x: 'max-content' }} data-testid="area-table" />
          </Card>
        </>
      )}
    </Space>
  );
}
