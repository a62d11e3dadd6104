// Step 1: campaign → site → lane, as big buttons.
import { useEffect, useState } from 'react';
import { Alert, Button, Spin } from 'antd';
import { CheckCircleFilled, LeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../components/useErrorMessage';
import { dayjs, TIME_ZONE } from '../../utils/time';
import { laneApi, type Campaign, type CampaignSummary, type Site } from './api';
import type { LaneSetup } from './setup';

const short = (iso: string | null) => (iso ? dayjs(iso).tz(TIME_ZONE).format('MM-DD HH:mm') : '…');

function roundNow(c: Campaign): Campaign['rounds'][number] | undefined {
  const now = Date.now();
  return c.rounds.find((r) => !r.closedAt && Date.parse(r.startsAt) <= now && now < Date.parse(r.endsAt));
}

export default function LanePicker({ current, onPick, onCancel }: { current: LaneSetup | null; onPick: (s: LaneSetup) => void; onCancel?: () => void }) {
  const { t, i18n } = useTranslation();
  const [list, setList] = useState<CampaignSummary[]>();
  const [campaign, setCampaign] = useState<Campaign>();
  const [site, setSite] = useState<Site>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    laneApi.campaigns().then((r) => setList(r.items), setError);
  }, []);

  const openCampaign = async (id: number) => {
    setLoading(true);
    setError(undefined);
    try {
      const c = await laneApi.campaign(id);
      setCampaign(c);
      setSite(c.sites.length === 1 ? c.sites[0] : undefined);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };

  const step = !campaign ? 1 : !site ? 2 : 3;
  const back = () => {
    setError(undefined);
    if (step === 3 && campaign && campaign.sites.length > 1) setSite(undefined);
    else {
      setSite(undefined);
      setCampaign(undefined);
    }
  };

  const running = campaign ? roundNow(campaign) : undefined;

  return (
    <div className="fk-lane-picker" data-testid="lane-picker">
      <div className="fk-lane-steps" aria-label={t('lane.pick.progress')}>
        {[1, 2, 3].map((n) => (
          <span key={n} className={n === step ? 'is-current' : n < step ? 'is-done' : ''} aria-current={n === step ? 'step' : undefined}>
            {n < step ? <CheckCircleFilled aria-hidden="true" /> : `${n}.`} {t(`lane.pick.step${n}`)}
          </span>
        ))}
      </div>
      {error !== undefined && <Alert type="error" showIcon title={errorText(error, i18n.language, t('errors.unexpected'))} className="fk-lane-alert" />}
      {(step > 1 || onCancel) && (
        <Button type="link" icon={<LeftOutlined />} className="fk-lane-link" onClick={step > 1 ? back : onCancel} data-testid="lane-pick-back">
          {step > 1 ? t('common.back') : t('common.cancel')}
        </Button>
      )}

      {step === 1 && (
        <>
          <h2 className="fk-lane-h2">{t('lane.pick.campaign')}</h2>
          {!list && !error && <Spin />}
          {list && !list.length && <Alert type="info" showIcon title={t('lane.pick.noCampaigns')} />}
          <div className="fk-lane-choices">
            {list?.map((c) => (
              <button
                type="button"
                key={c.id}
                className={`fk-lane-choice${current?.campaignId === c.id ? ' is-selected' : ''}`}
                onClick={() => void openCampaign(c.id)}
                disabled={loading}
                data-testid={`lane-campaign-${c.id}`}
              >
                <span className="fk-lane-choice-title">{c.name}</span>
                <span className="fk-lane-choice-meta">
                  {c.placeName} · {short(c.startsAt)} – {short(c.endsAt)}
                </span>
              </button>
            ))}
          </div>
        </>
      )}

      {step === 2 && campaign && (
        <>
          <h2 className="fk-lane-h2">{t('lane.pick.site')}</h2>
          <div className="fk-lane-crumb">{campaign.name}</div>
          {!running && <Alert type="warning" showIcon title={t('lane.pick.noRound')} className="fk-lane-alert" />}
          {!campaign.sites.length && <Alert type="info" showIcon title={t('lane.pick.noSites')} />}
          <div className="fk-lane-choices">
            {campaign.sites.map((s) => (
              <button
                type="button"
                key={s.id}
                className={`fk-lane-choice${current?.siteId === s.id ? ' is-selected' : ''}`}
                onClick={() => setSite(s)}
                data-testid={`lane-site-${s.id}`}
              >
                <span className="fk-lane-choice-title">{s.name}</span>
                <span className="fk-lane-choice-meta">
                  {s.placeName} · {s.opensAt}–{s.closesAt} · {t(`lane.mode.${s.mode}`)} · {t('lane.pick.laneCount', { count: s.lanes.length })}
                </span>
              </button>
            ))}
          </div>
        </>
      )}

      {step === 3 && campaign && site && (
        <>
          <h2 className="fk-lane-h2">{t('lane.pick.lane')}</h2>
          <div className="fk-lane-crumb">
            {campaign.name} · {site.name}
          </div>
          {!running && <Alert type="warning" showIcon title={t('lane.pick.noRound')} className="fk-lane-alert" />}
          <div className="fk-lane-lanes">
            {site.lanes.map((l) => (
              <button
                type="button"
                key={l.id}
                className={`fk-lane-lane${current?.laneId === l.id ? ' is-selected' : ''}`}
                aria-label={t('lane.laneN', { n: l.number })}
                data-testid={`lane-lane-${l.number}`}
                onClick={() =>
                  onPick({
                    campaignId: campaign.id,
                    campaignName: campaign.name,
                    siteId: site.id,
                    siteName: site.name,
                    laneId: l.id,
                    laneNumber: l.number,
                    siteMode: site.mode,
                    tubeMode: current?.siteId === site.id ? current.tubeMode : site.mode,
                  })
                }
              >
                <span className="fk-lane-lane-n">{l.number}</span>
                <span className="fk-lane-lane-word">{t('lane.laneWord')}</span>
              </button>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
