// A place's zone history: every decision on every zone ever declared on it, newest first, as a
// timeline — what (declared, re-applied, stepped down, lifted), which policy and version, who,
// when and why.
import { useEffect, useState } from 'react';
import { Drawer, Empty, Grid, Spin, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { zones, type PlaceZoneHistory, type ZoneEventKind } from '../../api/zones';
import LoadFailed from '../../components/LoadFailed';
import { formatTime } from '../../utils/time';
import { LevelTag, toneOf } from './labels';

const KIND_COLOR: Record<ZoneEventKind, string> = { declared: 'red', reapplied: 'blue', stepped_down: 'orange', lifted: 'green' };

export default function ZoneHistoryDrawer({ place, onClose }: { place: { id: number; name: string } | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const screens = Grid.useBreakpoint();
  const [history, setHistory] = useState<PlaceZoneHistory>();
  const [error, setError] = useState<unknown>();
  const placeId = place?.id;

  useEffect(() => {
    if (placeId === undefined) return;
    let live = true;
    setHistory(undefined);
    setError(undefined);
    zones.history(placeId).then(
      (h) => live && setHistory(h),
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [placeId]);

  // the newest decision on each zone still in force is what holds now
  const inForce = new Set(history?.zones.filter((z) => !z.endedAt).map((z) => z.id));
  const current = new Set<number>();
  for (const e of history?.events ?? []) {
    if (inForce.has(e.zoneId)) {
      current.add(e.id);
      inForce.delete(e.zoneId);
    }
  }

  return (
    <Drawer
      open={!!place}
      onClose={onClose}
      title={place ? t('zones.history.title', { place: place.name }) : ''}
      size={screens.md ? 520 : '100%'}
      destroyOnHidden
      data-testid="zone-history"
    >
      {error ? (
        <LoadFailed error={error} />
      ) : !history ? (
        <div className="fk-center" style={{ minHeight: 160 }}>
          <Spin />
        </div>
      ) : !history.events.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('zones.history.empty')} />
      ) : (
        <Timeline
          data-testid="zone-history-timeline"
          items={history.events.map((e) => ({
            key: e.id,
            color: e.kind === 'declared' ? toneOf(e.policy.level) : KIND_COLOR[e.kind],
            content: (
              <div className="fk-zone-event" data-testid="zone-event" data-kind={e.kind}>
                <div className="fk-zone-event-head">
                  <span>{t(`zones.history.kind.${e.kind}`)}</span>
                  <LevelTag level={e.policy.level} names={e.policy.names} lang={lang} version={e.policy.version} />
                  {current.has(e.id) && <span className="fk-zone-sub" data-testid="zone-event-current">{t('zones.history.current')}</span>}
                </div>
                <span className="fk-zone-sub">
                  <time dateTime={e.at} className="fk-mono">
                    {formatTime(e.at)}
                  </time>
                  {' · '}
                  {e.actor ?? t('zones.history.unknownActor')}
                </span>
                <Typography.Text className="fk-zone-event-reason">{e.reason}</Typography.Text>
              </div>
            ),
          }))}
        />
      )}
    </Drawer>
  );
}
