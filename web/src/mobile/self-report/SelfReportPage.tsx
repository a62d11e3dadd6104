// 抗原自测上报: a resident's phone page, no sign-in. They scan (or type) the personal code of
// their household card, tap the result they see on the kit, and send it; a positive tells
// them what to do next while the community is alerted. Chinese first, English one tap away.
// One key per submission: a double tap or a retry after a lost answer is recorded once.
import { useEffect, useId, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button } from 'antd';
import { CameraOutlined, CheckCircleFilled, ExclamationCircleFilled, MedicineBoxOutlined, WarningFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { ANTIGEN_RESULTS, antigen, type AntigenResult } from '../../api/antigen';
import LanguageSwitch from '../../components/LanguageSwitch';
import { ymdhm } from '../../pages/testing/campaign/time';
import { dayjs } from '../../utils/time';
import { uuid } from '../../utils/uuid';
import { CameraScanner, cameraScanAvailable } from '../lane/ScanInput';
import '../lane/lane.css';
import './self-report.css';

type Field = 'code' | 'result' | 'testedAt';

/** What a scanner or a pasted link gives: the code itself, or a link carrying ?code=. */
function codeOf(text: string): string {
  let v = text.trim();
  const m = /[?&]code=([^&#\s]+)/.exec(v);
  if (m) {
    try {
      v = decodeURIComponent(m[1]);
    } catch {
      v = m[1]; // a mangled link: the server will say the code is not valid
    }
  }
  // typed by hand: spaces dropped, the prefix in capitals as printed (the rest is case-sensitive)
  return v.replace(/\s+/g, '').replace(/^fk1\./i, 'FK1.');
}

// When the test was done, in hours before now: a resident reports soon after testing, and a
// list of words reads the same on every phone (a native date-time field follows the phone's
// own locale, not the page's).
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

const STRIPS: Record<AntigenResult, { c: boolean; t: boolean }> = {
  negative: { c: true, t: false },
  positive: { c: true, t: true },
  invalid: { c: false, t: false },
};

interface Done {
  name: string;
  result: AntigenResult;
  testedAt: string;
}

export default function SelfReportPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const ids = useId();
  const [code, setCodeState] = useState(() => codeOf(params.get('code') ?? ''));
  const [result, setResultState] = useState<AntigenResult>();
  const [hoursAgo, setHoursAgoState] = useState(0);
  // client-side problems as text keys, server errors as they came: both follow the language switch
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Done>();
  const [camera, setCamera] = useState(false);
  const key = useRef(uuid());
  // the time sent with this key: a retry must resend the identical report (same key, same body)
  const sentAt = useRef<{ key: string; iso: string } | null>(null);
  const codeInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = t('antigen.self.title');
  }, [t]);

  // another code, result or time is another report, not a retry of the last one
  const edited = (field: Field) => {
    key.current = uuid();
    setProblems((p) => ({ ...p, [field]: undefined }));
    if (failure instanceof ApiError && (!failure.field || failure.field === field)) setFailure(undefined);
  };
  const setCode = (v: string) => {
    setCodeState(v);
    edited('code');
  };
  const setResult = (r: AntigenResult) => {
    setResultState(r);
    edited('result');
  };
  const setHoursAgo = (v: number) => {
    setHoursAgoState(v);
    edited('testedAt');
  };

  const serverText = (field?: Field) => {
    if (!failure) return undefined;
    if (failure instanceof ApiError) {
      const mine = failure.field === field || (!field && !['code', 'result', 'testedAt'].includes(failure.field ?? ''));
      return mine ? failure.text(i18n.language) : undefined;
    }
    return field ? undefined : t('errors.unexpected');
  };
  const errorOf = (field: Field) => (problems[field] ? t(problems[field]!) : serverText(field));

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const c = codeOf(code);
    const found: Partial<Record<Field, string>> = {};
    if (!c) found.code = 'antigen.self.codeRequired';
    else if (!/^FK1\./i.test(c)) found.code = 'antigen.self.codeShape';
    if (!result) found.result = 'antigen.self.resultRequired';
    setProblems(found);
    setFailure(undefined);
    if (Object.keys(found).length || !result) {
      if (found.code) codeInput.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const iso = sentAt.current?.key === key.current ? sentAt.current.iso : dayjs().subtract(hoursAgo, 'hour').toISOString();
      sentAt.current = { key: key.current, iso };
      const r = await antigen.selfReport({ key: key.current, code: c, result, testedAt: iso });
      setDone({ name: r.name, result, testedAt: iso });
      window.scrollTo({ top: 0 });
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  /** Next person of the family: a new code, a new result, the same phone. */
  const another = () => {
    key.current = uuid();
    setDone(undefined);
    setCodeState('');
    setResultState(undefined);
    setHoursAgoState(0);
    setProblems({});
    setFailure(undefined);
    window.setTimeout(() => codeInput.current?.focus(), 0);
  };
  /** The same person again (an invalid kit, tested anew). */
  const again = () => {
    key.current = uuid();
    setDone(undefined);
    setResultState(undefined);
    setHoursAgoState(0);
  };

  const codeError = errorOf('code');
  const resultError = errorOf('result');
  const testedAtError = errorOf('testedAt');
  const generalError = serverText();

  return (
    <div className="fk-lane fk-self" data-testid="self-report-page">
      <header className="fk-lane-top">
        <img src="/icons/icon.svg" alt="" className="fk-self-logo" />
        <h1 className="fk-lane-title">
          <MedicineBoxOutlined /> {t('antigen.self.title')}
        </h1>
        <LanguageSwitch compact light />
      </header>

      <main className="fk-lane-body">
        {done ? (
          <>
            <section className={`fk-self-done is-${done.result}`} role="status" data-testid="self-done">
              {done.result === 'positive' ? (
                <>
                  <h2 className="fk-self-done-title">
                    <WarningFilled /> {t('antigen.self.positiveTitle')}
                  </h2>
                  <p className="fk-self-done-line">{t('antigen.self.received', { name: done.name, result: t(`antigen.result.${done.result}`) })}</p>
                  <p className="fk-self-done-time">{t('antigen.self.receivedAt', { time: ymdhm(done.testedAt) })}</p>
                  <h3 className="fk-self-steps-title">{t('antigen.self.positiveSteps')}</h3>
                  <ol className="fk-self-steps" data-testid="self-positive-steps">
                    <li>{t('antigen.self.positiveStep1')}</li>
                    <li>{t('antigen.self.positiveStep2')}</li>
                    <li>{t('antigen.self.positiveStep3')}</li>
                  </ol>
                </>
              ) : (
                <>
                  <h2 className="fk-self-done-title">
                    {done.result === 'invalid' ? <ExclamationCircleFilled /> : <CheckCircleFilled />}{' '}
                    {done.result === 'invalid' ? t('antigen.self.invalidTitle') : t('antigen.self.receivedTitle')}
                  </h2>
                  <p className="fk-self-done-line">{t('antigen.self.received', { name: done.name, result: t(`antigen.result.${done.result}`) })}</p>
                  <p className="fk-self-done-time">{t('antigen.self.receivedAt', { time: ymdhm(done.testedAt) })}</p>
                  <p className="fk-self-done-next">{done.result === 'invalid' ? t('antigen.self.invalidNext') : t('antigen.self.negativeNext')}</p>
                </>
              )}
              <p className="fk-lane-hint">{t('antigen.self.notYou')}</p>
            </section>
            <div className="fk-self-actions">
              {done.result === 'invalid' && (
                <Button type="primary" size="large" className="fk-lane-big" onClick={again} data-testid="self-again">
                  {t('antigen.self.again')}
                </Button>
              )}
              <Button size="large" className="fk-lane-big" onClick={another} data-testid="self-another">
                {t('antigen.self.another')}
              </Button>
            </div>
          </>
        ) : (
          <form onSubmit={submit} noValidate className="fk-self-form" data-testid="self-form">
            <p className="fk-self-intro">{t('antigen.self.intro')}</p>

            <section className="fk-lane-card">
              <label htmlFor={`${ids}-code`} className="fk-lane-h2 fk-self-h2">
                {t('antigen.self.codeLabel')}
              </label>
              <div className="fk-lane-scan-row">
                <input
                  id={`${ids}-code`}
                  ref={codeInput}
                  className="fk-lane-input fk-self-code"
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                  placeholder={t('antigen.self.codePlaceholder')}
                  maxLength={200}
                  autoComplete="off"
                  autoCapitalize="off"
                  autoCorrect="off"
                  spellCheck={false}
                  enterKeyHint="next"
                  aria-invalid={!!codeError}
                  aria-describedby={`${ids}-code-hint`}
                  data-testid="self-code"
                />
                {cameraScanAvailable() && (
                  <Button className="fk-lane-icon-btn" aria-label={t('antigen.self.scan')} icon={<CameraOutlined />} onClick={() => setCamera(true)} data-testid="self-camera" />
                )}
              </div>
              {codeError && (
                <div className="fk-lane-field-error" role="alert" data-testid="self-code-error">
                  {codeError}
                </div>
              )}
              <p id={`${ids}-code-hint`} className="fk-lane-hint">
                {t('antigen.self.codeHint')}
              </p>
            </section>

            <section className="fk-lane-card" aria-labelledby={`${ids}-result`}>
              <h2 id={`${ids}-result`} className="fk-lane-h2 fk-self-h2">
                {t('antigen.self.resultLabel')}
              </h2>
              <div className="fk-self-choices" role="radiogroup" aria-labelledby={`${ids}-result`}>
                {ANTIGEN_RESULTS.map((r) => (
                  <button
                    key={r}
                    type="button"
                    role="radio"
                    aria-checked={result === r}
                    className={`fk-self-choice is-${r}${result === r ? ' is-selected' : ''}`}
                    onClick={() => setResult(r)}
                    data-testid={`self-${r}`}
                  >
                    <Strip {...STRIPS[r]} />
                    <span className="fk-self-choice-text">
                      <span className="fk-self-choice-title">{t(`antigen.result.${r}`)}</span>
                      <span className="fk-self-choice-hint">{t(`antigen.self.${r}Hint`)}</span>
                    </span>
                    <CheckCircleFilled className="fk-self-choice-tick" aria-hidden="true" />
                  </button>
                ))}
              </div>
              {resultError && (
                <div className="fk-lane-field-error" role="alert" data-testid="self-result-error">
                  {resultError}
                </div>
              )}
            </section>

            <section className="fk-lane-card">
              <label htmlFor={`${ids}-time`} className="fk-lane-h2 fk-self-h2">
                {t('antigen.self.testedAtLabel')}
              </label>
              <select
                id={`${ids}-time`}
                className="fk-lane-input fk-self-time"
                value={hoursAgo}
                onChange={(e) => setHoursAgo(Number(e.target.value))}
                aria-invalid={!!testedAtError}
                data-testid="self-tested-at"
              >
                {HOURS_AGO.map((h) => (
                  <option key={h} value={h}>
                    {h === 0 ? t('antigen.self.justNow') : t('antigen.self.hoursAgo', { count: h })}
                  </option>
                ))}
              </select>
              {testedAtError && (
                <div className="fk-lane-field-error" role="alert">
                  {testedAtError}
                </div>
              )}
              <p className="fk-lane-hint">{t('antigen.self.testedAtHint')}</p>
            </section>

            {generalError && (
              <div className="fk-lane-banner is-danger" role="alert" data-testid="self-error">
                <WarningFilled className="fk-lane-banner-icon" />
                <span>{generalError}</span>
              </div>
            )}
            <Button type="primary" htmlType="submit" size="large" className="fk-lane-big fk-self-submit" loading={busy} data-testid="self-submit">
              {busy ? t('antigen.self.submitting') : t('antigen.self.submit')}
            </Button>
          </form>
        )}
      </main>
      {camera && (
        <CameraScanner
          onClose={() => setCamera(false)}
          onValue={(v) => {
            setCamera(false);
            setCode(codeOf(v));
          }}
        />
      )}
    </div>
  );
}
