// /home/card#<code>: the household card's QR. The personal code rides in the fragment, so it
// never reaches a server log; the page posts it to sign-in/card and opens /home. A card whose
// codes were rotated (lost card) answers 410 CODE_REVOKED: say so, and point to the community.
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Spin } from 'antd';
import { StopOutlined, WarningFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { portal, rememberResidentLocale, residentLocale } from './api';
import { HomeShell, useResidentLanguage } from './HomePage';
import { homeErrorText } from './text';
import '../lane/lane.css';
import './home.css';

export default function CardSignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const chooseLanguage = useResidentLanguage();
  const [error, setError] = useState<unknown>();
  const [missing, setMissing] = useState(false);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const raw = window.location.hash.replace(/^#/, '');
    let code: string;
    try {
      code = decodeURIComponent(raw).trim();
    } catch {
      code = raw.trim();
    }
    // an old self-report poster's link opens the antigen tab
    const next = new URLSearchParams(window.location.search).get('then') === 'antigen' ? '/home?tab=antigen' : '/home';
    // the code leaves the address bar (and the history) at once
    window.history.replaceState(null, '', '/home/card');
    if (!code) {
      setMissing(true);
      return;
    }
    portal.signInCard(code).then(
      (me) => {
        if (!residentLocale()) rememberResidentLocale(me.resident.language);
        navigate(next, { replace: true });
      },
      setError,
    );
  }, [navigate]);

  const revoked = error instanceof ApiError && error.code === 'CODE_REVOKED';
  return (
    <HomeShell onLanguage={chooseLanguage}>
      <main className="fk-lane-body">
        {!error && !missing ? (
          <div className="fk-center fk-home-loading" role="status">
            <Spin />
            <p>{t('home.signIn.cardSigningIn')}</p>
          </div>
        ) : (
          <section className="fk-lane-card fk-home-card-error" role="alert" data-testid={revoked ? 'home-card-revoked' : 'home-card-error'}>
            <h2 className="fk-lane-h2">
              {revoked ? <StopOutlined /> : <WarningFilled />} {revoked ? t('home.signIn.cardRevokedTitle') : t('home.signIn.cardUnknownTitle')}
            </h2>
            <p>{revoked ? t('home.signIn.cardRevoked') : missing ? t('home.signIn.cardMissing') : homeErrorText(error, t)}</p>
          </section>
        )}
        {(error || missing) && (
          <Link to="/home" className="fk-home-link" data-testid="home-card-use-phone">
            {t('home.signIn.usePhone')}
          </Link>
        )}
      </main>
    </HomeShell>
  );
}
