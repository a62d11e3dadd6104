// The zone that holds at home (封控区 / 管控区 / 防范区 …), for the person acted for: its name in
// the resident's language (else the Chinese one), the place, and in plain words what they may
// do, how supplies come and how often they are tested. None: one quiet line. The last answer is
// kept on the phone and shown again when the network is gone.
import { useEffect, useState } from 'react';
import { ExperimentOutlined, HomeOutlined, ShoppingOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../utils/time';
import { loadCachedZone, portal, saveCachedZone, type PortalZone } from './api';

type Tone = 'red' | 'orange' | 'blue';
const TONE: Record<string, Tone> = { sealed: 'red', high: 'red', controlled: 'orange', medium: 'orange', prevention: 'blue', low: 'blue' };

export function ZoneCard({ zone }: { zone: PortalZone }) {
  const { t, i18n } = useTranslation();
  if (!zone)
    return (
      <p className="fk-home-zone-none" data-testid="home-zone-none">
        {t('home.zone.none')}
      </p>
    );
  const lang = i18n.language as 'zh-CN' | 'en-US' | 'ko-KR';
  const name = zone.names[lang] || zone.names['zh-CN'];
  const testing =
    zone.testEveryDays === null ? t('home.zone.test.none') : zone.testEveryDays === 1 ? t('home.zone.test.daily') : t('home.zone.test.every', { count: zone.testEveryDays });
  const tone = TONE[zone.level] ?? 'blue';
  return (
    <section className={`fk-lane-card fk-home-zone is-${tone}`} aria-labelledby="home-zone-name" data-testid="home-zone" data-level={zone.level}>
      <p className="fk-home-zone-title">{t('home.zone.title')}</p>
      <h2 className="fk-home-zone-name" id="home-zone-name" data-testid="home-zone-name">
        {name}
      </h2>
      <p className="fk-home-zone-place" data-testid="home-zone-place">
        {t('home.zone.since', { place: zone.place.name, date: formatDate(zone.declaredAt) })}
      </p>
      <ul className="fk-home-zone-rules">
        <li data-testid="home-zone-movement">
          <HomeOutlined aria-hidden="true" className="fk-home-zone-icon" />
          <span>
            <span className="fk-home-zone-label">{t('home.zone.movementLabel')}</span>
            {t(`home.zone.movement.${zone.movement}`)}
          </span>
        </li>
        <li data-testid="home-zone-supply">
          <ShoppingOutlined aria-hidden="true" className="fk-home-zone-icon" />
          <span>
            <span className="fk-home-zone-label">{t('home.zone.supplyLabel')}</span>
            {t(`home.zone.supply.${zone.supply}`)}
          </span>
        </li>
        <li data-testid="home-zone-test">
          <ExperimentOutlined aria-hidden="true" className="fk-home-zone-icon" />
          <span>
            <span className="fk-home-zone-label">{t('home.zone.testLabel')}</span>
            {testing}
            {zone.testPerHousehold && <span className="fk-home-zone-extra">{t('home.zone.perHousehold')}</span>}
          </span>
        </li>
      </ul>
    </section>
  );
}

/** Asks what holds at home for the person acted for; on a failure shows the last answer kept for them, else nothing. */
export function ZoneLoader({ subjectId, onLost }: { subjectId: number; onLost: (err: unknown) => void }) {
  const [zone, setZone] = useState<PortalZone | undefined>();
  useEffect(() => {
    let live = true;
    portal.zone().then(
      (r) => {
        if (!live) return;
        setZone(r.zone);
        saveCachedZone({ subjectId, zone: r.zone, savedAt: new Date().toISOString() });
      },
      (err: unknown) => {
        if (!live) return;
        onLost(err);
        // offline or failing: what was shown last for this person (never another's)
        setZone(loadCachedZone(subjectId)?.zone);
      },
    );
    return () => {
      live = false;
    };
  }, [subjectId, onLost]);
  return zone === undefined ? null : <ZoneCard zone={zone} />;
}

/** Offline: the last zone kept for this person, if any. */
export function CachedZoneCard({ subjectId }: { subjectId: number }) {
  const cached = loadCachedZone(subjectId);
  return cached ? <ZoneCard zone={cached.zone} /> : null;
}
