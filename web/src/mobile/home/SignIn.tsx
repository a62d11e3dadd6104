// 居民登录: mobile number → "send code" (the server answers the same whether or not the number is
// a resident's; the retry countdown comes from its retryAfterSeconds) → the six-digit code.
import { useEffect, useId, useRef, useState } from 'react';
import { Button } from 'antd';
import { WarningFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { portal, type Me } from './api';
import { homeErrorText, retryAfterOf } from './text';

const normalise = (v: string) => v.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');

export default function SignIn({ onSignedIn, notice }: { onSignedIn: (me: Me) => void; notice?: React.ReactNode }) {
  const { t } = useTranslation();
  const ids = useId();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [sentTo, setSentTo] = useState<string>();
  const [until, setUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [problem, setProblem] = useState<{ field: 'phone' | 'code' | 'general'; text: () => string }>();
  const [busy, setBusy] = useState<'send' | 'code'>();
  const codeInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (until <= now) return;
    const timer = window.setTimeout(() => setNow(Date.now()), 1000);
    return () => window.clearTimeout(timer);
  }, [until, now]);
  const wait = Math.max(0, Math.ceil((until - now) / 1000));

  const fail = (field: 'phone' | 'code' | 'general', err: unknown) => setProblem({ field, text: () => homeErrorText(err, t) });

  const send = async () => {
    const p = normalise(phone);
    if (!/^1\d{10}$/.test(p)) {
      setProblem({ field: 'phone', text: () => t('home.signIn.phoneInvalid') });
      return;
    }
    setProblem(undefined);
    setBusy('send');
    try {
      const r = await portal.sendCode(p);
      setSentTo(p);
      setUntil(Date.now() + r.retryAfterSeconds * 1000);
      setNow(Date.now());
      window.setTimeout(() => codeInput.current?.focus(), 0);
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        const s = retryAfterOf(err);
        if (s) {
          setUntil(Date.now() + s * 1000);
          setNow(Date.now());
        }
      }
      fail('phone', err);
    } finally {
      setBusy(undefined);
    }
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!sentTo) return void send();
    const c = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(c)) {
      setProblem({ field: 'code', text: () => t('home.signIn.codeInvalid') });
      codeInput.current?.focus();
      return;
    }
    setProblem(undefined);
    setBusy('code');
    try {
      onSignedIn(await portal.signInCode(sentTo, c));
    } catch (err) {
      fail('code', err);
      if (err instanceof ApiError && (err.code === 'OTP_LOCKED' || err.code === 'OTP_EXPIRED')) setCode('');
    } finally {
      setBusy(undefined);
    }
  };

  const errorFor = (field: 'phone' | 'code' | 'general') =>
    problem?.field === field ? (
      <div className="fk-lane-field-error" role="alert" data-testid={`home-${field}-error`}>
        <WarningFilled /> {problem.text()}
      </div>
    ) : null;

  return (
    <form className="fk-home-signin" onSubmit={submit} noValidate data-testid="home-sign-in">
      <h2 className="fk-lane-h2">{t('home.signIn.title')}</h2>
      {notice}
      <p className="fk-home-intro">{t('home.signIn.intro')}</p>
      <section className="fk-lane-card">
        <label className="fk-lane-label" htmlFor={`${ids}-phone`}>
          {t('home.signIn.phone')}
        </label>
        <div className="fk-lane-scan-row">
          <input
            id={`${ids}-phone`}
            className="fk-lane-input fk-home-input"
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            value={phone}
            maxLength={20}
            placeholder={t('home.signIn.phonePlaceholder')}
            onChange={(e) => {
              setPhone(e.target.value);
              if (sentTo && normalise(e.target.value) !== sentTo) setSentTo(undefined);
            }}
            aria-invalid={problem?.field === 'phone'}
            data-testid="home-phone"
          />
        </div>
        {errorFor('phone')}
        <Button size="large" className="fk-home-send" onClick={send} loading={busy === 'send'} disabled={wait > 0} data-testid="home-send">
          {wait > 0 ? t('home.signIn.wait', { seconds: wait }) : sentTo ? t('home.signIn.resend') : t('home.signIn.send')}
        </Button>
        {sentTo && (
          <p className="fk-lane-hint" role="status" data-testid="home-sent">
            {t('home.signIn.sent')}
          </p>
        )}
      </section>
      {sentTo && (
        <section className="fk-lane-card">
          <label className="fk-lane-label" htmlFor={`${ids}-code`}>
            {t('home.signIn.code')}
          </label>
          <input
            id={`${ids}-code`}
            ref={codeInput}
            className="fk-lane-input fk-home-input fk-home-otp"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={6}
            value={code}
            placeholder={t('home.signIn.codePlaceholder')}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
            aria-invalid={problem?.field === 'code'}
            data-testid="home-otp"
          />
          {errorFor('code')}
          <Button type="primary" htmlType="submit" size="large" className="fk-lane-big fk-home-submit" loading={busy === 'code'} data-testid="home-submit">
            {t('home.signIn.submit')}
          </Button>
        </section>
      )}
      <p className="fk-lane-hint">{t('home.signIn.cardHint')}</p>
    </form>
  );
}
