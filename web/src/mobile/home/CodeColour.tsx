// The personal code's colour on the resident's phone (绿码 / 黄码 / 红码): the QR framed and drawn
// in the colour under a band that names it (a word and an icon, never the colour alone), each
// reason in plain words in the resident's language (else the Chinese words) with its date, an
// officer's override with its reason and expiry, and when this phone last got the colour (the
// code and its colour are kept together for an offline reopen). Below: the appeal (申诉) — a
// short text to the community, the appeal waiting, and the answer once given.
import { useCallback, useEffect, useId, useState } from 'react';
import { Button } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled, QuestionCircleFilled, WarningFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import QrImage from '../../pages/registry/QrImage';
import { formatTime } from '../../utils/time';
import { ApiError } from '../../api';
import { portal, type Appeal, type PersonalCode, type PortalColour } from './api';
import { homeErrorText } from './text';
import './colour.css';

type Colour = PortalColour['colour'];
type Lang = 'zh-CN' | 'en-US' | 'ko-KR';

/** The QR's modules in the colour, each dark enough on white to scan (and 4.5:1 for the eye). */
const QR_DARK: Record<Colour, string> = { green: '#135200', yellow: '#7a5c00', red: '#a8071a' };
const ICON: Record<Colour, React.ReactNode> = { green: <CheckCircleFilled />, yellow: <ExclamationCircleFilled />, red: <CloseCircleFilled /> };

/** Words in the resident's language, else the Chinese ones (always there). */
function plainIn(w: PortalColour['reasons'][number]['plain'], lang: string): string {
  return (lang === 'en-US' || lang === 'ko-KR' ? w[lang as Lang] : undefined) || w['zh-CN'];
}

/** The framed QR with the band naming the colour; a code kept by an older app shows a neutral frame. */
export function ColourQr({ name, code }: { name: string; code: PersonalCode }) {
  const { t } = useTranslation();
  const colour = code.colour?.colour;
  const label = colour ? t(`home.code.colour.${colour}`) : t('home.code.colour.unknown');
  return (
    <div className={`fk-colour-frame is-${colour ?? 'unknown'}`} data-testid="home-colour" data-colour={colour ?? 'unknown'}>
      <div className="fk-colour-band" data-testid="home-colour-label">
        <span className="fk-colour-band-icon" aria-hidden="true">
          {colour ? ICON[colour] : <QuestionCircleFilled />}
        </span>
        <span>{label}</span>
      </div>
      <div className="fk-colour-qr">
        <QrImage text={code.code} size={232} dark={colour ? QR_DARK[colour] : undefined} alt={t('home.code.qrAltColour', { name, colour: label })} testId="home-qr" />
      </div>
    </div>
  );
}

/** Why the code has its colour: the override in force, else each reason with its date; and when it was last got. */
export function ColourWhy({ code }: { code: PersonalCode }) {
  const { t, i18n } = useTranslation();
  const c = code.colour;
  return (
    <div className="fk-colour-why" data-testid="home-colour-why">
      {!c ? null : c.override ? (
        <div className={`fk-colour-override is-${c.override.colour}`} data-testid="home-colour-override">
          <div className="fk-colour-override-title">{t('home.code.colour.override')}</div>
          <p className="fk-colour-override-reason" data-testid="home-colour-override-reason">
            {c.override.reason}
          </p>
          <p className="fk-colour-small" data-testid="home-colour-override-until">
            {t('home.code.colour.until', { time: formatTime(c.override.expiresAt) })}
          </p>
        </div>
      ) : c.reasons.length ? (
        <>
          <h2 className="fk-colour-why-title">{t('home.code.colour.why')}</h2>
          <ul className="fk-colour-reasons">
            {c.reasons.map((r, i) => (
              <li key={`${r.since}-${i}`} className={`fk-colour-reason is-${r.colour}`} data-testid="home-colour-reason">
                <span className={`fk-colour-chip is-${r.colour}`}>
                  <span aria-hidden="true">{ICON[r.colour]}</span> {t(`home.code.colour.${r.colour}`)}
                </span>
                <span className="fk-colour-reason-text">{plainIn(r.plain, i18n.language)}</span>
                <time className="fk-colour-small" dateTime={r.since}>
                  {t('home.code.colour.since', { time: formatTime(r.since) })}
                </time>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="fk-colour-none" data-testid="home-colour-none">
          {t('home.code.colour.none')}
        </p>
      )}
      {code.fetchedAt && (
        <p className="fk-colour-small fk-colour-updated" data-testid="home-colour-updated">
          {t('home.code.colour.updated', { time: formatTime(code.fetchedAt) })}
        </p>
      )}
    </div>
  );
}

/** 申诉: the latest appeal (waiting, or its answer) and a short form for a new one. Offline or failing: nothing. */
export function AppealCard() {
  const { t } = useTranslation();
  const ids = useId();
  const [items, setItems] = useState<Appeal[]>();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [short, setShort] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);

  const load = useCallback(() => portal.appeals().then((r) => setItems(r.items), () => undefined), []);
  useEffect(() => {
    void load();
  }, [load]);
  if (!items) return null;

  const latest = items[0];
  const waiting = !!latest && !latest.answeredAt;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const v = text.trim();
    if (v.length < 2) {
      setShort(true);
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      const a = await portal.appeal(v);
      setItems((list) => [a, ...(list ?? [])]);
      setOpen(false);
      setText('');
      setSent(true);
    } catch (err) {
      setProblem(err);
      // one is waiting already (sent from another phone of the household): show it
      if (err instanceof ApiError && err.code === 'APPEAL_OPEN') void load();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="fk-lane-card fk-colour-appeal" aria-labelledby={`${ids}-title`} data-testid="home-appeal">
      <h2 className="fk-lane-h2" id={`${ids}-title`}>
        {t('home.code.appeal.title')}
      </h2>
      {sent && (
        <div className="fk-home-done" role="status" data-testid="home-appeal-sent">
          <CheckCircleFilled aria-hidden="true" /> {t('home.code.appeal.sent')}
        </div>
      )}
      {latest && (
        <div className={`fk-colour-appeal-item${waiting ? ' is-waiting' : ' is-answered'}`} data-testid={waiting ? 'home-appeal-waiting' : 'home-appeal-answered'}>
          {waiting ? (
            <div className="fk-colour-appeal-state">{t('home.code.appeal.waiting')}</div>
          ) : (
            <>
              <div className="fk-colour-appeal-state">
                {t('home.code.appeal.answered')} · <span data-testid="home-appeal-outcome">{t(`home.code.appeal.outcome.${latest.outcome ?? 'kept'}`)}</span>
              </div>
              <p className="fk-colour-appeal-answer" data-testid="home-appeal-answer">
                {latest.answer}
              </p>
              <p className="fk-colour-small">{[latest.answeredBy, formatTime(latest.answeredAt)].filter(Boolean).join(' · ')}</p>
            </>
          )}
          <div className="fk-colour-small fk-colour-appeal-yours">{t('home.code.appeal.yours', { time: formatTime(latest.at) })}</div>
          <p className="fk-colour-appeal-text" data-testid="home-appeal-text-sent">
            {latest.text}
          </p>
        </div>
      )}
      {!waiting && !open && (
        <Button
          size="large"
          className="fk-lane-big fk-colour-appeal-open"
          onClick={() => {
            setOpen(true);
            setSent(false);
          }}
          data-testid="home-appeal-open"
        >
          {t('home.code.appeal.open')}
        </Button>
      )}
      {open && (
        <form onSubmit={submit} noValidate data-testid="home-appeal-form">
          <p className="fk-lane-hint fk-colour-appeal-intro">{t('home.code.appeal.intro')}</p>
          <label htmlFor={`${ids}-text`} className="fk-lane-h3 fk-home-label">
            {t('home.code.appeal.text')}
          </label>
          <textarea
            id={`${ids}-text`}
            className="fk-lane-input fk-colour-textarea"
            rows={4}
            maxLength={1000}
            value={text}
            aria-invalid={short || undefined}
            aria-describedby={short ? `${ids}-short` : undefined}
            onChange={(e) => {
              setText(e.target.value);
              setShort(false);
            }}
            data-testid="home-appeal-text"
          />
          {short && (
            <div className="fk-lane-field-error" role="alert" id={`${ids}-short`}>
              {t('home.code.appeal.textRequired')}
            </div>
          )}
          {!!problem && (
            <div className="fk-lane-banner is-danger" role="alert" data-testid="home-appeal-error">
              <WarningFilled className="fk-lane-banner-icon" />
              <span>{homeErrorText(problem, t)}</span>
            </div>
          )}
          <div className="fk-colour-appeal-actions">
            <Button
              size="large"
              className="fk-lane-big"
              onClick={() => {
                setOpen(false);
                setText('');
                setShort(false);
                setProblem(undefined);
              }}
              data-testid="home-appeal-cancel"
            >
              {t('home.code.appeal.cancel')}
            </Button>
            <Button type="primary" htmlType="submit" size="large" className="fk-lane-big" loading={busy} data-testid="home-appeal-submit">
              {t('home.code.appeal.submit')}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
