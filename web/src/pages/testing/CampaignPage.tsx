// One campaign (检测任务): a round picker and a tab per stage of the work — overview (live
// board), sites and lanes, the time-slot plan, coverage (清楼), handover, results, recalls.
// The tab and round live in the URL so a link or a reload lands on the same view.
import { Suspense, useCallback, useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { Card, Result, Segmented, Skeleton, Space, Spin, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { campaigns, type Campaign, type Round } from '../../api/testing';
import { useErrorMessage } from '../../components/useErrorMessage';
import { useCrumbs } from '../../layout/PageContext';
import { formatTime } from '../../utils/time';
import LoadFailed from '../../components/LoadFailed';
import { isNetworkError } from '../../api/network';
import { lazyPage } from '../../components/lazyPage';
import PageBoundary from '../../components/PageBoundary';

export interface TabProps {
  campaign: Campaign;
  round: Round;
  /** reload the campaign (after adding a site, a round…) */
  reload: () => void;
}

const TABS = {
  overview: lazyPage(() => import('./tabs/OverviewTab')),
  sites: lazyPage(() => import('./tabs/SitesTab')),
  schedule: lazyPage(() => import('./tabs/ScheduleTab')),
  coverage: lazyPage(() => import('./tabs/CoverageTab')),
  handover: lazyPage(() => import('./tabs/HandoverTab')),
  results: lazyPage(() => import('./tabs/ResultsTab')),
  recalls: lazyPage(() => import('./tabs/RecallsTab')),
};
type TabKey = keyof typeof TABS;

/** The round running now, else the last one that started, else the first. */
export function currentRound(rounds: Round[], now = Date.now()): Round | undefined {
  return (
    rounds.find((r) => Date.parse(r.startsAt) <= now && now < Date.parse(r.endsAt)) ??
    [...rounds].reverse().find((r) => Date.parse(r.startsAt) <= now) ??
    rounds[0]
  );
}

export default function CampaignPage() {
  const { t } = useTranslation();
  const showError = useErrorMessage();
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const [campaign, setCampaign] = useState<Campaign>();
  const [failed, setFailed] = useState<unknown>();

  const load = useCallback(() => {
    campaigns
      .get(id)
      .then(setCampaign)
      .catch((err) => {
        setFailed(err ?? true);
        showError(err);
      });
  }, [id, showError]);
  useEffect(load, [load]);

  useCrumbs([{ title: t('testing.campaigns'), to: '/testing' }, { title: campaign?.name ?? '…' }], `${id}:${campaign?.name}`);

  if (failed) return isNetworkError(failed) ? <LoadFailed error={failed} /> : <Result status="404" title={t('testing.notFound')} />;
  if (!campaign) return <Skeleton active />;

  const tab = (params.get('tab') as TabKey) in TABS ? (params.get('tab') as TabKey) : 'overview';
  const round = campaign.rounds.find((r) => r.id === Number(params.get('round'))) ?? currentRound(campaign.rounds);
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    next.set(k, v);
    setParams(next, { replace: true });
  };
  const Tab = TABS[tab];

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap size={16} style={{ width: '100%', justifyContent: 'space-between' }}>
          <Space orientation="vertical" size={0}>
            <Typography.Title level={5} style={{ margin: 0 }} data-testid="campaign-title">
              {campaign.name}
            </Typography.Title>
            <Typography.Text type="secondary">
              {campaign.placeName} · {formatTime(campaign.startsAt)} – {formatTime(campaign.endsAt)}
            </Typography.Text>
          </Space>
          {campaign.rounds.length > 1 && round && (
            <Segmented
              data-testid="round-picker"
              value={round.id}
              onChange={(v) => set('round', String(v))}
              options={campaign.rounds.map((r) => ({ value: r.id, label: t('testing.roundN', { n: r.number }) }))}
            />
          )}
        </Space>
      </Card>
      <Card size="small" styles={{ body: { paddingTop: 0 } }}>
        <Tabs
          activeKey={tab}
          onChange={(k) => set('tab', k)}
          items={(Object.keys(TABS) as TabKey[]).map((k) => ({ key: k, label: <span data-testid={`tab-${k}`}>{t(`testing.tab.${k}`)}</span> }))}
        />
        {round ? (
          <PageBoundary resetKey={tab}>
            <Suspense fallback={<Spin />}>
              <Tab campaign={campaign} round={round} reload={load} />
            </Suspense>
          </PageBoundary>
        ) : (
          <Result status="info" title={t('testing.noRounds')} />
        )}
      </Card>
    </Space>
  );
}
