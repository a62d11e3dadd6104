// The signed-in resident's tabs: personal code (with its colour and the appeal), results, notices,
// household (家属代办), antigen.
import { useEffect, useId, useRef, useState } from 'react';
import { Button, Spin } from 'antd';
import { CheckCircleFilled, ExclamationCircleFilled, UserOutlined, WarningFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { dayjs, formatTime } from '../../utils/time';
import { uuid } from '../../utils/uuid';
import { portal, type AntigenReport, type Me, type Notices, type PersonalCode, type PortalResult, type Results } from './api';
import { homeErrorText } from './text';
import { AppealCard, ColourQr, ColourWhy } from './CodeColour';

/** The personal code of the person acted for, framed in its colour, why it has that colour, and the appeal. */
export function CodeTab({ name, code }: { name: string; code: PersonalCode }) {
  const { t } = useTranslation();
  return (
    <>
      <section className={`fk-lane-card fk-home-code fk-colour-card is-${code.colour?.colour ?? 'unknown'}`} data-testid="home-code">
        <div className="fk-home-code-name" data-testid="home-code-name">
          {name}
        </div>
        <ColourQr name={name} code={code} />
        <div className="fk-home-code-text fk-mono" data-testid="home-code-text">
          {code.code}
        </div>
        <ColourWhy code={code} />
        <p className="fk-lane-hint">{t('home.code.hint')}</p>
      </section>
      <AppealCard />
    </>
  );
}

function Loading() {
  return (
    <div className="fk-center fk-home-loading">
      <Spin />
    </div>
  );
}

function Failure({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return (
    <div className="fk-lane-banner is-danger" role="alert">
      <WarningFilled className="fk-lane-banner-icon" />
      <span>{homeErrorText(error, t)}</span>
    </div>
  );
}

export function ResultsTab({ name, onLost }: { name: string; onLost: (err: unknown) => void }) {
  const { t } = useTranslation();
  const [results, setResults] = useState<Results>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    portal.results().then(
      (r) => setResults(r.results),
      (err: unknown) => {
        onLost(err);
        setError(err);
      },
    );
  }, [onLost]);
  return (
    <section className="fk-lane-card" data-testid="home-results">
      <h2 className="fk-lane-h2">
        {t('home.results.title')} · {name}
      </h2>
      {error ? (
        <Failure error={error} />
      ) : !results ? (
        <Loading />
      ) : !results.length ? (
        <p className="fk-home-muted">{t('home.results.empty')}</p>
      ) : (
        <ul className="fk-home-list">
          {results.map((r, i) => (
            <li key={`${r.at}-${i}`} className="fk-home-result" data-testid="home-result">
              <span className="fk-home-result-main">
                <span className="fk-home-result-kind">{t(`home.results.${r.kind}`)}</span>
                {r.campaign && <span className="fk-home-muted fk-home-result-campaign">{r.campaign}</span>}
                <time className="fk-home-muted" dateTime={r.at}>
                  {formatTime(r.at)}
                </time>
              </span>
              <span className={`fk-home-tag is-${r.result}`}>{t(`home.results.value.${r.result}`)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function NoticesTab({
  notices,
  fresh,
  onSeen,
  onRead,
  onLost,
}: {
  notices: Notices | undefined;
  fresh: boolean;
  onSeen: () => void;
  onRead: (id: string) => void;
  onLost: (err: unknown) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string>();
  useEffect(() => {
    if (fresh) onSeen();
  }, [fresh, onSeen]);
  if (!notices) return <Loading />;
  // unread first, newest first within each
  const list = [...notices.notices].sort((a, b) => Number(!!a.readAt) - Number(!!b.readAt) || b.at.localeCompare(a.at));
  const tap = (id: string, unread: boolean) => {
    setOpen((o) => (o === id ? undefined : id));
    if (unread) {
      onRead(id);
      portal.markRead(id).catch(onLost);
    }
  };
  return (
    <section className="fk-lane-card" data-testid="home-notices">
      <h2 className="fk-lane-h2">
        {t('home.notices.title')}
        {notices.unread > 0 && <span className="fk-home-count"> · {t('home.notices.unreadCount', { count: notices.unread })}</span>}
      </h2>
      {!list.length ? (
        <p className="fk-home-muted">{t('home.notices.empty')}</p>
      ) : (
        <ul className="fk-home-list">
          {list.map((n) => {
            const unread = !n.readAt;
            return (
              <li key={n.id} className={`fk-home-notice${unread ? ' is-unread' : ''}`} data-testid="home-notice">
                <button type="button" className="fk-home-notice-btn" aria-expanded={open === n.id} onClick={() => tap(n.id, unread)}>
                  <span className="fk-home-notice-head">
                    {unread && (
                      <span className="fk-home-unread" data-testid="home-notice-unread">
                        {t('home.notices.unread')}
                      </span>
                    )}
                    <time className="fk-home-muted" dateTime={n.at}>
                      {formatTime(n.at)}
                    </time>
                  </span>
                  {n.subject && <span className="fk-home-notice-subject">{n.subject}</span>}
                  <span className={`fk-home-notice-body${open === n.id ? ' is-open' : ''}${n.subject ? '' : ' fk-home-notice-subject'}`}>{n.body}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function HouseholdTab({ me, onActFor }: { me: Me; onActFor: (id: number | null) => void }) {
  const { t } = useTranslation();
  const acting = me.actingFor?.id ?? me.resident.id;
  const h = me.household;
  return (
    <section className="fk-lane-card" data-testid="home-household">
      <h2 className="fk-lane-h2">{t('home.household.title')}</h2>
      {h && <p className="fk-home-address">{h.address}</p>}
      <p className="fk-lane-hint">{t('home.household.hint')}</p>
      {!h?.members.length ? (
        <p className="fk-home-muted">{t('home.household.none')}</p>
      ) : (
        <ul className="fk-home-list">
          {h.members.map((p) => (
            <li key={p.id} className="fk-home-member" data-testid="home-member">
              <UserOutlined aria-hidden="true" className="fk-home-member-icon" />
              <span className="fk-home-member-text">
                <span className="fk-home-member-name">{p.name}</span>
                <span className="fk-home-muted">
                  {[p.sex ? t(`home.household.${p.sex}`) : null, p.age !== null ? t('home.household.age', { age: p.age }) : null].filter(Boolean).join(' · ')}
                  {p.isSelf && ` · ${t('home.household.self')}`}
                </span>
              </span>
              {p.id === acting ? (
                <span className="fk-home-tag is-current">{p.isSelf ? t('home.household.self') : t('home.household.acting')}</span>
              ) : (
                <Button size="large" onClick={() => onActFor(p.isSelf ? null : p.id)} data-testid="home-act-for" aria-label={`${p.isSelf ? t('home.actingBack') : t('home.household.actFor')} ${p.name}`}>
                  {p.isSelf ? t('home.actingBack') : t('home.household.actFor')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const RESULTS: PortalResult[] = ['negative', 'positive', 'invalid'];
const STRIPS: Record<PortalResult, { c: boolean; t: boolean }> = { negative: { c: true, t: false }, positive: { c: true, t: true }, invalid: { c: false, t: false } };
const HOURS_AGO = [0, 1, 2, 3, 4, 6, 8, 12, 24];

/** A kit's window: C (control) and T (test) lines, as the leaflet in the box draws them. */
function Strip({ c, t }: { c: boolean; t: boolean }) {
  return (
    <svg className="fk-self-strip" viewBox="0 0 72 34" width="72" height="34" aria-hidden="true">
      <rect x="1" y="1" width="70" height="32" rx="8" fill="#fff" stroke="#7d8aa0" strokeWidth="2" />
      <text x="22" y="12" fontSize="8" textAnchor="middle" fill="#545454">C</text>
      <text x="48" y="12" fontSize="8" textAnchor="middle" fill="#545454">T</text>
      <rect x="19" y="15" width="6" height="14" rx="1" fill={c ? '#c41d7f' : '#f0f0f0'} />
      <rect x="45" y="15" width="6" height="14" rx="1" fill={t ? '#c41d7f' : '#f0f0f0'} />
    </svg>
  );
}

export function AntigenTab({ name, onLost }: { name: string; onLost: (err: unknown) => void }) {
  const { t } = useTranslation();
  const ids = useId();
  const [items, setItems] = useState<AntigenReport[]>();
  const [result, setResult] = useState<PortalResult>();
  const [hoursAgo, setHoursAgo] = useState(0);
  const [problem, setProblem] = useState<unknown>();
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ result: PortalResult; at: string }>();
  // one key per report: a double tap or a retry after a lost answer is recorded once
  const sent = useRef<{ key: string; iso: string } | null>(null);

  const reload = () => portal.antigenReports().then((r) => setItems(r.items), onLost);
  useEffect(() => {
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!result) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      sent.current ??= { key: uuid(), iso: dayjs().subtract(hoursAgo, 'hour').toISOString() };
      await portal.reportAntigen({ key: sent.current.key, result, testedAt: sent.current.iso });
      setDone({ result, at: sent.current.iso });
      sent.current = null;
      setResult(undefined);
      setHoursAgo(0);
      void reload();
    } catch (err) {
      onLost(err);
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };
  const changed = () => {
    sent.current = null;
    setDone(undefined);
  };

  return (
    <>
      <form className="fk-lane-card" onSubmit={submit} noValidate data-testid="home-antigen">
        <h2 className="fk-lane-h2">{t('home.antigen.title')}</h2>
        <p className="fk-home-address">{t('home.antigen.for', { name })}</p>
        {done && (
          <div className={`fk-home-done is-${done.result}`} role="status" data-testid="home-antigen-done">
            {done.result === 'positive' ? <WarningFilled /> : done.result === 'invalid' ? <ExclamationCircleFilled /> : <CheckCircleFilled />}{' '}
            {t('home.antigen.done', { result: t(`home.antigen.${done.result}`), time: formatTime(done.at) })}
            {done.result === 'positive' && <p className="fk-home-done-next">{t('home.antigen.positiveNext')}</p>}
          </div>
        )}
        <h3 id={`${ids}-result`} className="fk-lane-h3">
          {t('home.antigen.result')}
        </h3>
        <div className="fk-self-choices" role="radiogroup" aria-labelledby={`${ids}-result`}>
          {RESULTS.map((r) => (
            <button
              key={r}
              type="button"
              role="radio"
              aria-checked={result === r}
              className={`fk-self-choice is-${r}${result === r ? ' is-selected' : ''}`}
              onClick={() => {
                setResult(r);
                setMissing(false);
                changed();
              }}
              data-testid={`home-antigen-${r}`}
            >
              <Strip {...STRIPS[r]} />
              <span className="fk-self-choice-text">
                <span className="fk-self-choice-title">{t(`home.antigen.${r}`)}</span>
                <span className="fk-self-choice-hint">{t(`home.antigen.${r}Hint`)}</span>
              </span>
              <CheckCircleFilled className="fk-self-choice-tick" aria-hidden="true" />
            </button>
          ))}
        </div>
        {missing && (
          <div className="fk-lane-field-error" role="alert">
            {t('home.antigen.resultRequired')}
          </div>
        )}
        <label htmlFor={`${ids}-time`} className="fk-lane-h3 fk-home-label">
          {t('home.antigen.testedAt')}
        </label>
        <select
          id={`${ids}-time`}
          className="fk-lane-input fk-self-time"
          value={hoursAgo}
          onChange={(e) => {
            setHoursAgo(Number(e.target.value));
            changed();
          }}
          data-testid="home-antigen-time"
        >
          {HOURS_AGO.map((h) => (
            <option key={h} value={h}>
              {h === 0 ? t('home.antigen.justNow') : t('home.antigen.hoursAgo', { count: h })}
            </option>
          ))}
        </select>
        {!!problem && <Failure error={problem} />}
        <Button type="primary" htmlType="submit" size="large" className="fk-lane-big fk-home-submit" loading={busy} data-testid="home-antigen-submit">
          {t('home.antigen.submit')}
        </Button>
      </form>
      <section className="fk-lane-card">
        <h2 className="fk-lane-h2">{t('home.antigen.history')}</h2>
        {!items ? (
          <Loading />
        ) : !items.length ? (
          <p className="fk-home-muted">{t('home.antigen.empty')}</p>
        ) : (
          <ul className="fk-home-list">
            {items.map((r) => (
              <li key={r.id} className="fk-home-result" data-testid="home-antigen-item">
                <span className="fk-home-result-main">
                  <time dateTime={r.testedAt}>{formatTime(r.testedAt)}</time>
                  {r.byStaff && <span className="fk-home-muted">{t('home.antigen.byStaff')}</span>}
                </span>
                <span className={`fk-home-tag is-${r.result}`}>{t(`home.antigen.${r.result}`)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
