// What the lane shows: the tube and its count, the last scan (big, for a glance check), its
// warnings as coloured banners, the people in the tube, the kind of tube, the sync state and
// the scans the server rejected after an offline sync.
import { Button } from 'antd';
import { CheckCircleFilled, CloseOutlined, CloudSyncOutlined, DisconnectOutlined, ExclamationCircleFilled, InfoCircleFilled, WarningFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { pick } from '../../i18n';
import { dayjs, TIME_ZONE } from '../../utils/time';
import type { IdType } from '../../api';
import { MODES, type Mode } from './api';
import type { Rejected } from './queue';
import { keepFocus } from './ScanInput';

export interface Entry {
  /** the scan key, or r<residentId> for people loaded from the server */
  key: string;
  /** as the server answers a sampler: masked (张*芊); the name typed when registering on the spot */
  name?: string;
  idMasked?: string;
  sex?: string | null;
  age?: number | null;
  /** what was scanned, masked (offline) */
  label: string;
  pending: boolean;
  repeatInRound?: boolean;
  outsideCampaign?: boolean;
  registeredOnSpot?: boolean;
  /** registration was asked for an ID number already registered: sampled under that record */
  alreadyRegistered?: boolean;
}

/** 女 · 34 岁: what, with the masked name, tells the person in front of the sampler from another */
export function SexAge({ entry, testId }: { entry: Entry; testId?: string }) {
  const { t } = useTranslation();
  const parts = [entry.sex ? t(`sex.${entry.sex}`) : null, entry.age != null ? t('lane.age', { count: entry.age }) : null].filter(Boolean);
  if (!parts.length) return null;
  return (
    <span className="fk-lane-sexage" data-testid={testId}>
      {parts.join(' · ')}
    </span>
  );
}

export type LastScan =
  | { kind: 'ok'; entry: Entry; alreadyInTube: boolean; count: number; poolSize: number; sealed: boolean }
  | { kind: 'queued'; entry: Entry; count: number; poolSize: number; sealed: boolean }
  | { kind: 'error'; message: string; hint?: string };

export function Banner({ tone, children, testId }: { tone: 'ok' | 'warn' | 'info' | 'danger'; children: React.ReactNode; testId?: string }) {
  const icon =
    tone === 'ok' ? <CheckCircleFilled /> : tone === 'warn' ? <WarningFilled /> : tone === 'info' ? <InfoCircleFilled /> : <ExclamationCircleFilled />;
  return (
    <div className={`fk-lane-banner is-${tone}`} role={tone === 'danger' || tone === 'warn' ? 'alert' : 'status'} data-testid={testId}>
      <span className="fk-lane-banner-icon" aria-hidden="true">
        {icon}
      </span>
      <span>{children}</span>
    </div>
  );
}

export function Count({ count, poolSize, testId }: { count: number; poolSize: number; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className="fk-lane-count" data-testid={testId} aria-label={t('lane.countAria', { count, poolSize })}>
      {count} / {poolSize}
    </span>
  );
}

export function LastScanCard({ last }: { last: LastScan }) {
  const { t } = useTranslation();
  if (last.kind === 'error') {
    // a scan that was not taken: big, red, at the top, until the next scan (never a passing toast)
    return (
      <div className="fk-lane-last is-error is-loud" data-testid="lane-last" role="alert" aria-live="assertive">
        <div className="fk-lane-alert-title" data-testid="lane-alert">
          <ExclamationCircleFilled aria-hidden="true" /> {t('lane.notTaken')}
        </div>
        <div className="fk-lane-alert-text" data-testid="lane-error">
          {last.message}
        </div>
        {last.hint && <div className="fk-lane-alert-hint">{last.hint}</div>}
      </div>
    );
  }
  const e = last.entry;
  return (
    <div
      className={`fk-lane-last${last.kind === 'queued' || e.repeatInRound || e.alreadyRegistered ? ' is-queued' : ''}${last.kind === 'ok' && last.alreadyInTube ? ' is-error' : ''}`}
      data-testid="lane-last"
      aria-live="polite"
    >
      <div className="fk-lane-last-main">
        <div className="fk-lane-last-who">
          {last.kind === 'ok' ? (
            <>
              <div className="fk-lane-name" data-testid="lane-last-name">
                {e.name}
              </div>
              <div className="fk-lane-id-row">
                <span className="fk-lane-id fk-mono" data-testid="lane-last-id">
                  {e.idMasked}
                </span>
                <SexAge entry={e} testId="lane-last-sexage" />
              </div>
            </>
          ) : (
            <>
              <div className="fk-lane-id fk-mono" data-testid="lane-last-label">
                {e.label}
              </div>
              <div className="fk-lane-hint">{t('lane.offlineNoName')}</div>
            </>
          )}
        </div>
        <Count count={last.count} poolSize={last.poolSize} testId="lane-last-count" />
      </div>
      {last.kind === 'ok' && last.alreadyInTube && (
        <Banner tone="danger" testId="lane-flag-in-tube">
          {t('lane.flag.alreadyInTube')}
        </Banner>
      )}
      {e.repeatInRound && (
        <Banner tone="warn" testId="lane-flag-repeat">
          {t('lane.flag.repeatInRound')}
        </Banner>
      )}
      {e.outsideCampaign && (
        <Banner tone="info" testId="lane-flag-outside">
          {t('lane.flag.outsideCampaign')}
        </Banner>
      )}
      {e.registeredOnSpot && (
        <Banner tone="ok" testId="lane-flag-registered">
          {t('lane.flag.registeredOnSpot')}
        </Banner>
      )}
      {e.alreadyRegistered && (
        <Banner tone="warn" testId="lane-flag-already-registered">
          {t('lane.flag.alreadyRegistered')}
        </Banner>
      )}
      {last.kind === 'queued' && (
        <Banner tone="warn" testId="lane-flag-queued">
          {t('lane.flag.queued')}
        </Banner>
      )}
      {last.kind === 'ok' && !last.alreadyInTube && !e.repeatInRound && !e.outsideCampaign && !e.registeredOnSpot && !e.alreadyRegistered && (
        <Banner tone="ok" testId="lane-flag-ok">
          {t('lane.flag.recorded')}
        </Banner>
      )}
    </div>
  );
}

export function PeopleList({ entries }: { entries: Entry[] }) {
  const { t } = useTranslation();
  if (!entries.length) return null;
  return (
    <section className="fk-lane-section" aria-label={t('lane.inTube')}>
      <h3 className="fk-lane-h3">{t('lane.inTube')}</h3>
      <ol className="fk-lane-people" data-testid="lane-people">
        {entries.map((e, i) => (
          <li key={e.key} className={e.pending ? 'is-pending' : ''} data-testid="lane-person">
            <span className="fk-lane-people-n">{i + 1}</span>
            <span className="fk-lane-people-who">
              {e.name ? (
                <span className="fk-lane-people-name">
                  {e.name} <SexAge entry={e} />
                </span>
              ) : null}
              <span className="fk-mono fk-lane-people-id">{e.idMasked ?? e.label}</span>
            </span>
            <span className="fk-lane-people-tags">
              {e.pending && <span className="fk-lane-tag is-warn">{t('lane.tag.pending')}</span>}
              {e.repeatInRound && <span className="fk-lane-tag is-warn">{t('lane.tag.repeat')}</span>}
              {e.outsideCampaign && <span className="fk-lane-tag is-info">{t('lane.tag.outside')}</span>}
              {e.registeredOnSpot && <span className="fk-lane-tag is-ok">{t('lane.tag.registered')}</span>}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function KindPicker({ value, siteMode, onChange }: { value: Mode; siteMode: Mode; onChange: (m: Mode) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="fk-lane-kinds">
      <legend className="fk-lane-label">{t('lane.kind')}</legend>
      <div className="fk-lane-kinds-grid" role="radiogroup" aria-label={t('lane.kind')}>
        {MODES.map((m) => (
          <button
            type="button"
            key={m}
            role="radio"
            aria-checked={value === m}
            className={`fk-lane-kind${value === m ? ' is-selected' : ''}`}
            onMouseDown={keepFocus}
            onClick={() => onChange(m)}
            data-testid={`lane-kind-${m}`}
          >
            {t(`lane.mode.${m}`)}
            {m === siteMode && <span className="fk-lane-kind-default">{t('lane.siteDefault')}</span>}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

/** Documents a sampler types the number of; a personal code or a mainland ID card needs no choice. */
export const TYPED_DOCUMENTS = ['passport', 'hk_macau_permit', 'taiwan_permit'] as const satisfies readonly IdType[];
export type TypedDocument = (typeof TYPED_DOCUMENTS)[number];

/** What the next person shows: their code or ID card (the default), or a document whose number is typed. */
export function DocPicker({ value, onChange }: { value: TypedDocument | null; onChange: (d: TypedDocument | null) => void }) {
  const { t } = useTranslation();
  const choices: (TypedDocument | null)[] = [null, ...TYPED_DOCUMENTS];
  return (
    <fieldset className="fk-lane-kinds">
      <legend className="fk-lane-label">{t('lane.docType')}</legend>
      <div className="fk-lane-kinds-grid fk-lane-docs-grid" role="radiogroup" aria-label={t('lane.docType')}>
        {choices.map((d) => (
          <button
            type="button"
            key={d ?? 'code'}
            role="radio"
            aria-checked={value === d}
            className={`fk-lane-kind fk-lane-doc${value === d ? ' is-selected' : ''}`}
            onMouseDown={keepFocus}
            onClick={() => onChange(d)}
            data-testid={`lane-doc-${d ?? 'code'}`}
          >
            {d ? t(`idType.${d}`) : t('lane.docAuto')}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

export function SyncBadge({ online, pending, syncing, lastSynced }: { online: boolean; pending: number; syncing: boolean; lastSynced: number | null }) {
  const { t } = useTranslation();
  if (!online) {
    return (
      <span className="fk-lane-pill is-offline" data-testid="lane-sync-badge" role="status">
        <DisconnectOutlined /> {pending ? t('lane.sync.offlineWaiting', { count: pending }) : t('lane.sync.offline')}
      </span>
    );
  }
  if (pending) {
    return (
      <span className="fk-lane-pill is-syncing" data-testid="lane-sync-badge" role="status">
        <CloudSyncOutlined spin={syncing} /> {t('lane.sync.waiting', { count: pending })}
      </span>
    );
  }
  return (
    <span className="fk-lane-pill is-online" data-testid="lane-sync-badge" role="status">
      <CheckCircleFilled /> {lastSynced !== null ? t('lane.sync.synced', { count: lastSynced }) : t('lane.sync.online')}
    </span>
  );
}

export function RejectedList({
  items,
  onDismiss,
  onRegister,
  canRegister,
}: {
  items: Rejected[];
  onDismiss: (key: string) => void;
  onRegister: (r: Rejected) => void;
  /** an unknown person can be registered into the tube open now */
  canRegister: boolean;
}) {
  const { t } = useTranslation();
  if (!items.length) return null;
  return (
    <section className="fk-lane-section fk-lane-rejected" id="lane-rejected" data-testid="lane-rejected" aria-label={t('lane.rejected.title', { count: items.length })}>
      <h3 className="fk-lane-h3">
        <ExclamationCircleFilled /> {t('lane.rejected.title', { count: items.length })}
      </h3>
      <p className="fk-lane-hint">{t('lane.rejected.explain')}</p>
      <ul>
        {items.map((r) => (
          <li key={r.key} data-testid="lane-rejected-item">
            <div className="fk-lane-rejected-text">
              <div className="fk-mono fk-lane-rejected-label">{r.label}</div>
              <div>{pick(r.messages)}</div>
              <div className="fk-lane-hint">
                {t('lane.tubeShort', { barcode: r.tube })} · {dayjs(r.at).tz(TIME_ZONE).format('HH:mm:ss')}
              </div>
            </div>
            <div className="fk-lane-rejected-actions">
              {r.scan && (
                <Button onClick={() => onRegister(r)} disabled={!canRegister} title={canRegister ? undefined : t('lane.rejected.needTube')} data-testid="lane-rejected-register">
                  {t('lane.rejected.register')}
                </Button>
              )}
              <Button type="text" aria-label={t('lane.rejected.dismiss')} icon={<CloseOutlined />} onClick={() => onDismiss(r.key)} />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
