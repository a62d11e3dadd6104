// 进度看板: the live board of a round — sampled against expected, samples per site per hour,
// tubes by stage, results with positives in red, open recalls. Pushed by the server (SSE);
// polled every 10 s while the stream is down.
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Badge, Button, Card, Col, Empty, Grid, Progress, Result, Row, Skeleton, Space, Statistic, Tooltip, Typography } from 'antd';
import { AlertOutlined, ScanOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Board } from '../../../api/testing';
import { useAuth } from '../../../auth/AuthContext';
import EChart from '../../../components/EChart';
import { useErrorMessage } from '../../../components/useErrorMessage';
import { dayjs, TIME_ZONE } from '../../../utils/time';
import type { TabProps } from '../CampaignPage';
import { PALETTE } from '../campaign/charts';
import { span } from '../campaign/time';
import { useBoard, type BoardLink } from '../campaign/useBoard';
import '../campaign/campaign.css';
import { OfflineState } from '../../../components/LoadFailed';
import { useNetwork } from '../../../api/network';

const HOUR = 3_600_000;
const TOP_SITES = 10;

export function LinkState({ link, at }: { link: BoardLink; at?: string }) {
  const { t } = useTranslation();
  const status = link === 'live' ? 'success' : link === 'polling' ? 'warning' : 'default';
  return (
    <Space size={6} data-testid="board-link">
      <Tooltip title={t(`testing.board.link.${link}Hint`)}>
        <Badge status={status} text={<span className="fk-muted" style={{ fontSize: 12 }}>{t(`testing.board.link.${link}`)}</span>} />
      </Tooltip>
      {at && (
        <span className="fk-muted" style={{ fontSize: 12 }} data-testid="board-updated">
          {t('testing.board.updatedAt', { time: dayjs(at).tz(TIME_ZONE).format('HH:mm:ss') })}
        </span>
      )}
    </Space>
  );
}

/** Samples per site per hour, stacked; the ten busiest sites and the rest together. */
function hourlyOption(board: Board, t: TFunction) {
  const all = board.sites.flatMap((s) => s.hours.map((h) => Date.parse(h.hour)));
  if (!all.length) return null;
  const firstSample = Math.min(...all);
  const roundStart = Math.floor(Date.parse(board.round.startsAt) / HOUR) * HOUR;
  const first = Math.max(roundStart, firstSample - 2 * HOUR);
  const now = Math.floor(Date.parse(board.at) / HOUR) * HOUR;
  const roundEnd = Date.parse(board.round.endsAt) - 1;
  const last = Math.max(Math.max(...all), Math.min(now, roundEnd));
  const hours: number[] = [];
  for (let h = first; h <= last && hours.length < 24 * 7; h += HOUR) hours.push(h);
  const multiDay = dayjs(first).tz(TIME_ZONE).format('YYYYMMDD') !== dayjs(last).tz(TIME_ZONE).format('YYYYMMDD');
  const label = (ms: number) => dayjs(ms).tz(TIME_ZONE).format(multiDay ? 'MM-DD HH:00' : 'HH:00');
  const index = new Map(hours.map((h, i) => [h, i]));
  const sorted = [...board.sites].sort((a, b) => b.samples - a.samples);
  const top = sorted.slice(0, TOP_SITES);
  const rest = sorted.slice(TOP_SITES);
  const row = (sites: Board['sites']) => {
    const data = hours.map(() => 0);
    for (const s of sites) for (const h of s.hours) {
      const i = index.get(Date.parse(h.hour));
      if (i !== undefined) data[i] += h.samples;
    }
    return data;
  };
  const series = top.map((s, i) => ({ name: s.name, type: 'bar', stack: 'samples', data: row([s]), itemStyle: { color: PALETTE[i % PALETTE.length] }, barMaxWidth: 36 }));
  if (rest.length) series.push({ name: t('testing.board.otherSites', { count: rest.length }), type: 'bar', stack: 'samples', data: row(rest), itemStyle: { color: PALETTE[10] }, barMaxWidth: 36 });
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    legend: { type: 'scroll', top: 0, left: 0, right: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 12 } },
    grid: { left: 8, right: 12, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: hours.map(label), axisLabel: { fontSize: 11, hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 11 } },
    series,
  };
}

/** Tubes by stage, from the lane to the result (a campaign's, or an area's totals on the area board). */
export function tubeStagesOption(tb: Board['tubes'], t: TFunction) {
  const stages = [
    { key: 'open', value: tb.open, color: '#91caff' },
    { key: 'sealed', value: tb.sealed, color: '#4096ff' },
    { key: 'packed', value: tb.packed, color: '#1456b8' },
    { key: 'inTransit', value: tb.inTransit, color: '#722ed1' },
    { key: 'atLab', value: tb.atLab, color: '#13a8a8' },
    // not at the lab: the lab did not find them in the box it received
    { key: 'missing', value: tb.missing, color: '#cf1322' },
    { key: 'resulted', value: tb.negative + tb.positive + tb.invalid, color: '#52c41a' },
  ];
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    grid: { left: 8, right: 36, top: 4, bottom: 4, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 11 }, splitLine: { lineStyle: { type: 'dashed' } } },
    yAxis: { type: 'category', inverse: true, data: stages.map((s) => t(`testing.board.stage.${s.key}`)), axisLabel: { fontSize: 12 }, axisTick: { show: false } },
    series: [
      {
        name: t('testing.board.tubes'),
        type: 'bar',
        barMaxWidth: 18,
        data: stages.map((s) => ({ value: s.value, itemStyle: { color: s.color } })),
        label: { show: true, position: 'right', fontSize: 11, color: '#595959' },
      },
    ],
  };
}

export default function OverviewTab({ campaign, round }: TabProps) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const showError = useErrorMessage();
  const { offline } = useNetwork();
  const mobile = Grid.useBreakpoint().md === false;
  const { board, link } = useBoard(campaign.id, round.id, showError);
  const hourly = useMemo(() => (board ? hourlyOption(board, t) : null), [board, t]);
  const stages = useMemo(() => (board ? tubeStagesOption(board.tubes, t) : null), [board, t]);
  const tabLink = (tab: string) => ({ search: `?tab=${tab}&round=${round.id}` });

  if (board === undefined) return offline ? <OfflineState /> : <Skeleton active data-testid="board-loading" />;
  if (board === null) return <Result status="info" title={t('testing.noRounds')} />;

  const { expected, samples, tubes, recalls } = board;
  const percent = expected ? Math.min(100, Math.floor((samples / expected) * 1000) / 10) : 0;
  const remaining = Math.max(0, expected - samples);
  const tubeCount = tubes.open + tubes.sealed + tubes.packed + tubes.inTransit + tubes.atLab + tubes.missing + tubes.negative + tubes.positive + tubes.invalid;
  const awaiting = tubeCount - tubes.negative - tubes.positive - tubes.invalid;
  const noSites = campaign.sites.length === 0;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="overview-tab">
      <div className="fk-board-meta">
        <Typography.Text strong>{t('testing.roundN', { n: board.round.number })}</Typography.Text>
        <span>{span(board.round.startsAt, board.round.endsAt)}</span>
        <span className="fk-grow" />
        <LinkState link={link} at={board.at} />
      </div>

      {tubes.positive > 0 && (
        <Alert
          type="error"
          showIcon
          icon={<AlertOutlined />}
          data-testid="board-positive-alert"
          title={t('testing.board.positiveAlert', { count: tubes.positive, recalls: recalls.open })}
          action={
            <Link to={tabLink('recalls')}>
              <Button size="small" danger>
                {t('testing.board.openRecalls')}
              </Button>
            </Link>
          }
        />
      )}
      {tubes.missing > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="board-missing-alert"
          title={t('testing.board.missingAlert', { count: tubes.missing })}
          action={
            <Link to={tabLink('handover')}>
              <Button size="small">{t('testing.board.toHandover')}</Button>
            </Link>
          }
        />
      )}
      {noSites && (
        <Alert
          type="info"
          showIcon
          title={t('testing.board.noSites')}
          action={
            <Link to={tabLink('sites')}>
              <Button size="small" type="primary">
                {t('testing.sites.add')}
              </Button>
            </Link>
          }
        />
      )}

      <Row gutter={[12, 12]}>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('testing.board.progress')} style={{ height: '100%' }}>
            <div className="fk-board-progress">
              <Progress
                type="dashboard"
                percent={percent}
                size={mobile ? 108 : 132}
                strokeColor={percent >= 100 ? '#52c41a' : '#1456b8'}
                format={() => (expected ? `${percent}%` : '—')}
                data-testid="board-percent"
                aria-label={t('testing.board.progress')}
              />
              <div className="fk-board-figures">
                <Statistic title={t('testing.board.sampled')} value={samples} suffix={<span className="fk-muted" style={{ fontSize: 14 }}>/ {expected}</span>} data-testid="board-sampled" />
                <Row gutter={12} className="fk-stat-sm">
                  <Col span={12}>
                    <Statistic title={t('testing.board.expected')} value={expected} data-testid="board-expected" />
                  </Col>
                  <Col span={12}>
                    <Statistic title={t('testing.board.remaining')} value={remaining} />
                  </Col>
                </Row>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('testing.board.expectedHint')}
                </Typography.Text>
              </div>
            </div>
          </Card>
        </Col>
        <Col xs={24} sm={14} lg={8}>
          <Card size="small" title={t('testing.board.results')} style={{ height: '100%' }} data-testid="board-results">
            <Row gutter={[12, 12]} className="fk-stat-sm">
              <Col span={8}>
                <Statistic title={t('testing.result.negative')} value={tubes.negative} styles={{ content: { color: tubes.negative ? '#389e0d' : undefined } }} />
              </Col>
              <Col span={8} className={tubes.positive ? 'fk-positive' : undefined}>
                <Statistic title={t('testing.result.positive')} value={tubes.positive} styles={{ content: { color: tubes.positive ? '#cf1322' : undefined, fontWeight: tubes.positive ? 600 : undefined } }} data-testid="board-positive" />
              </Col>
              <Col span={8}>
                <Statistic title={t('testing.result.invalid')} value={tubes.invalid} styles={{ content: { color: tubes.invalid ? '#d46b08' : undefined } }} />
              </Col>
              <Col span={24}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('testing.board.resultsHint', { tubes: tubeCount, awaiting })}
                </Typography.Text>
              </Col>
            </Row>
          </Card>
        </Col>
        <Col xs={24} sm={10} lg={6}>
          <Card size="small" title={t('testing.board.recalls')} style={{ height: '100%' }} data-testid="board-recalls">
            <Row gutter={12} className="fk-stat-sm">
              <Col span={12}>
                <Statistic title={t('testing.board.recallsOpen')} value={recalls.open} styles={{ content: { color: recalls.open ? '#cf1322' : undefined } }} />
              </Col>
              <Col span={12}>
                <Statistic title={t('testing.board.recallsClosed')} value={recalls.closed} />
              </Col>
            </Row>
            <Link to={tabLink('recalls')} data-testid="board-recalls-link" style={{ display: 'inline-block', marginTop: 8 }}>
              {recalls.open ? t('testing.board.openRecalls') : t('testing.board.viewRecalls')} →
            </Link>
          </Card>
        </Col>
      </Row>

      <Row gutter={[12, 12]}>
        <Col xs={24} xl={15}>
          <Card size="small" title={t('testing.board.perHour')} data-testid="board-hourly">
            {hourly ? (
              <EChart option={hourly} height={280} />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={noSites ? t('testing.board.emptyNoSites') : t('testing.board.emptySamples')} style={{ padding: '24px 0' }}>
                {noSites ? (
                  <Link to={tabLink('sites')}>
                    <Button type="primary">{t('testing.sites.add')}</Button>
                  </Link>
                ) : (
                  can('testing.sample') && (
                    <Link to="/lane">
                      <Button icon={<ScanOutlined />}>{t('testing.sites.openLane')}</Button>
                    </Link>
                  )
                )}
              </Empty>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card size="small" title={t('testing.board.tubeStages')} data-testid="board-stages">
            {tubeCount && stages ? (
              <EChart option={stages} height={280} />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('testing.board.emptyTubes')} style={{ padding: '24px 0' }} />
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
