// 我的防控: the residents' home in the PWA. Without a resident session: sign-in (SMS code, or the
// household card's QR link /home/card#<code>). Signed in: the personal code, test results, the
// community's notices (live over SSE), the household with 家属代办 (acting for a member), the
// antigen self-report, and above the code the risk zone that holds at home (what it means in
// plain words); zh-CN, en-US or ko-KR. The last code and zone shown are kept on the phone and
// open offline (the service worker keeps the shell).
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button, Dropdown, Spin } from 'antd';
import { BellOutlined, ExperimentOutlined, GlobalOutlined, LogoutOutlined, MedicineBoxOutlined, QrcodeOutlined, TeamOutlined, WarningFilled, WifiOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { chosenLocale, RESIDENT_LOCALES, type ResidentLocale } from '../../i18n';
import { formatTime } from '../../utils/time';
import { loadCached, portal, rememberResidentLocale, residentLocale, saveCached, signedOut, type Cached, type Me, type Notices } from './api';
import SignIn from './SignIn';
import { AntigenTab, CodeTab, HouseholdTab, NoticesTab, ResultsTab } from './tabs';
import { homeErrorText } from './text';
import { CachedZoneCard, ZoneLoader } from './ZoneCard';
import '../lane/lane.css';
import './antigen.css';
import './home.css';

const NAMES: Record<ResidentLocale, string> = { 'zh-CN': '简体中文', 'en-US': 'English', 'ko-KR': '한국어' };
const SHORT: Record<ResidentLocale, string> = { 'zh-CN': '中', 'en-US': 'EN', 'ko-KR': '한' };
export const TABS = ['code', 'results', 'notices', 'household', 'antigen'] as const;
export type Tab = (typeof TABS)[number];
const ICONS: Record<Tab, React.ReactNode> = {
  code: <QrcodeOutlined />,
  results: <ExperimentOutlined />,
  notices: <BellOutlined />,
  household: <TeamOutlined />,
  antigen: <MedicineBoxOutlined />,
};

/** The language of the resident pages: chosen here before, else the one chosen in this browser's console, else the phone's. */
function firstLocale(): ResidentLocale {
  const saved = residentLocale() ?? chosenLocale();
  if (saved) return saved;
  const nav = (navigator.language || '').toLowerCase();
  return nav.startsWith('ko') ? 'ko-KR' : nav.startsWith('en') ? 'en-US' : 'zh-CN';
}

export function useResidentLanguage() {
  const { i18n } = useTranslation();
  useEffect(() => {
    const l = firstLocale();
    if (i18n.language !== l) void i18n.changeLanguage(l);
  }, [i18n]);
  return useCallback(
    (l: ResidentLocale) => {
      rememberResidentLocale(l);
      if (i18n.language !== l) void i18n.changeLanguage(l);
    },
    [i18n],
  );
}

export function HomeLanguageSwitch({ onChange }: { onChange: (l: ResidentLocale) => void }) {
  const { i18n, t } = useTranslation();
  const current = (RESIDENT_LOCALES.includes(i18n.language as ResidentLocale) ? i18n.language : 'zh-CN') as ResidentLocale;
  return (
    <Dropdown
      trigger={['click']}
      menu={{ selectable: true, selectedKeys: [current], items: RESIDENT_LOCALES.map((l) => ({ key: l, label: <span lang={l}>{NAMES[l]}</span> })), onClick: ({ key }) => onChange(key as ResidentLocale) }}
    >
      <Button type="text" icon={<GlobalOutlined />} aria-label={`${NAMES[current]} (${t('home.language')})`} data-testid="home-lang" style={{ color: '#fff' }}>
        {SHORT[current]}
      </Button>
    </Dropdown>
  );
}

export function HomeShell({ children, onLanguage, actions }: { children: React.ReactNode; onLanguage: (l: ResidentLocale) => void; actions?: React.ReactNode }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = t('home.title');
  }, [t]);
  return (
    <div className="fk-lane fk-home" data-testid="home-page">
      <header className="fk-lane-top">
        <img src="/icons/icon.svg" alt="" className="fk-self-logo" />
        <h1 className="fk-lane-title fk-home-title">{t('home.title')}</h1>
        <HomeLanguageSwitch onChange={onLanguage} />
        {actions}
      </header>
      {children}
    </div>
  );
}

type State = { kind: 'loading' } | { kind: 'anonymous' } | { kind: 'in'; me: Me } | { kind: 'offline'; cached?: Cached };

export default function HomePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const chooseLanguage = useResidentLanguage();
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [notices, setNotices] = useState<Notices>();
  const [fresh, setFresh] = useState(false);
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'code';
  const setTab = (v: Tab) => {
    setParams(v === 'code' ? {} : { tab: v }, { replace: true });
    // each tab opens at its top, not where the last one was scrolled to
    window.scrollTo({ top: 0 });
  };

  const load = useCallback(() => {
    setState({ kind: 'loading' });
    portal.me().then(
      (me) => setState({ kind: 'in', me }),
      (err: unknown) => {
        if (err instanceof ApiError && err.code === 'NETWORK') setState({ kind: 'offline', cached: loadCached() });
        else setState({ kind: 'anonymous' });
      },
    );
  }, []);
  useEffect(load, [load]);
  // offline: the page tries again by itself when the connection is back
  const offline = state.kind === 'offline';
  useEffect(() => {
    if (!offline) return;
    window.addEventListener('online', load);
    return () => window.removeEventListener('online', load);
  }, [offline, load]);

  const me = state.kind === 'in' ? state.me : undefined;
  const subject = me ? (me.actingFor ?? me.resident) : undefined;
  const subjectId = subject?.id;

  const signedIn = (m: Me) => {
    // the language saved on the resident wins unless they chose another here
    if (!residentLocale()) chooseLanguage(m.resident.language);
    setState({ kind: 'in', me: m });
    setTab('code');
  };
  const lost = useCallback((err: unknown) => {
    if (signedOut(err)) {
      saveCached(undefined);
      setState({ kind: 'anonymous' });
    }
  }, []);

  const loadNotices = useCallback(() => {
    portal.notices().then(setNotices, lost);
  }, [lost]);
  useEffect(() => {
    if (subjectId === undefined) return;
    setNotices(undefined);
    loadNotices();
    // live: the server says when an in-app message for the person acted for is delivered
    if (typeof EventSource === 'undefined') return;
    const es = new EventSource('/api/portal/stream');
    es.addEventListener('notice', () => {
      setFresh(true);
      loadNotices();
    });
    return () => es.close();
  }, [subjectId, loadNotices]);

  // opening the notices tab asks again (a stream lost on a slow network misses nothing)
  useEffect(() => {
    if (tab === 'notices' && subjectId !== undefined) loadNotices();
  }, [tab, subjectId, loadNotices]);

  const language = (l: ResidentLocale) => {
    chooseLanguage(l);
    if (me) portal.setLanguage(l).catch(lost);
  };
  const signOut = async () => {
    await portal.signOut().catch(() => undefined);
    saveCached(undefined);
    setState({ kind: 'anonymous' });
    setParams({}, { replace: true });
  };
  const actFor = async (id: number | null) => {
    try {
      const m = await portal.actFor(id);
      setState({ kind: 'in', me: m });
      setTab('code');
    } catch (err) {
      lost(err);
    }
  };

  if (state.kind === 'loading')
    return (
      <HomeShell onLanguage={language}>
        <div className="fk-center fk-home-loading">
          <Spin />
        </div>
      </HomeShell>
    );

  if (state.kind === 'anonymous')
    return (
      <HomeShell onLanguage={language}>
        <main className="fk-lane-body">
          <SignIn onSignedIn={signedIn} />
        </main>
      </HomeShell>
    );

  if (state.kind === 'offline') {
    const c = state.cached;
    return (
      <HomeShell onLanguage={language}>
        <main className="fk-lane-body">
          <div className="fk-lane-banner is-warn fk-home-offline" role="status" data-testid="home-offline">
            <WifiOutlined className="fk-lane-banner-icon" />
            <span>{c ? t('home.offline', { time: formatTime(c.savedAt) }) : t('home.offlineNoData')}</span>
          </div>
          {c && <CachedZoneCard subjectId={(c.me.actingFor ?? c.me.resident).id} />}
          {c && <CodeTab name={(c.me.actingFor ?? c.me.resident).name} code={c.code} />}
          <Button size="large" className="fk-lane-big" onClick={load} data-testid="home-retry">
            {t('home.retry')}
          </Button>
        </main>
      </HomeShell>
    );
  }

  const m = state.me;
  const name = (m.actingFor ?? m.resident).name;
  return (
    <HomeShell
      onLanguage={language}
      actions={<Button type="text" icon={<LogoutOutlined />} aria-label={t('home.signOut')} title={t('home.signOut')} onClick={signOut} data-testid="home-sign-out" style={{ color: '#fff' }} />}
    >
      {m.actingFor && (
        <div className="fk-home-acting" role="status" data-testid="home-acting">
          <TeamOutlined aria-hidden="true" />
          <span className="fk-home-acting-text">{t('home.actingFor', { name: m.actingFor.name })}</span>
          <Button size="large" onClick={() => void actFor(null)} data-testid="home-acting-back">
            {t('home.actingBack')}
          </Button>
        </div>
      )}
      <main className="fk-lane-body fk-home-body" id="home-panel" role="tabpanel" aria-label={t(`home.tabs.${tab}`)}>
        {tab === 'code' && subjectId !== undefined && <ZoneLoader key={`zone-${subjectId}`} subjectId={subjectId} onLost={lost} />}
        {tab === 'code' && <CodeLoader key={subjectId} me={m} onLost={lost} />}
        {tab === 'results' && <ResultsTab key={subjectId} name={name} onLost={lost} />}
        {tab === 'notices' && (
          <NoticesTab
            notices={notices}
            fresh={fresh}
            onSeen={() => setFresh(false)}
            onRead={(id) =>
              setNotices((n) => (n ? { ...n, unread: Math.max(0, n.unread - 1), notices: n.notices.map((x) => (x.id === id ? { ...x, readAt: new Date().toISOString() } : x)) } : n))
            }
            onLost={lost}
          />
        )}
        {tab === 'household' && <HouseholdTab me={m} onActFor={actFor} />}
        {tab === 'antigen' && <AntigenTab key={subjectId} name={name} onLost={lost} />}
      </main>
      <nav className="fk-home-tabs" aria-label={t('home.nav')}>
        {TABS.map((k) => (
          <button
            key={k}
            type="button"
            className={`fk-home-tab${tab === k ? ' is-current' : ''}`}
            aria-current={tab === k ? 'page' : undefined}
            aria-controls="home-panel"
            onClick={() => setTab(k)}
            data-testid={`home-tab-${k}`}
          >
            <span className="fk-home-tab-icon" aria-hidden="true">
              {ICONS[k]}
              {k === 'notices' && !!notices?.unread && <span className="fk-home-badge" data-testid="home-unread-badge">{notices.unread}</span>}
            </span>
            <span className="fk-home-tab-text">{t(`home.tabs.${k}`)}</span>
            {k === 'notices' && !!notices?.unread && <span className="fk-sr-only">{t('home.notices.unreadCount', { count: notices.unread })}</span>}
          </button>
        ))}
      </nav>
    </HomeShell>
  );
}

/** Loads the personal code of the person acted for and keeps it (with Me) for an offline reopen. */
function CodeLoader({ me, onLost }: { me: Me; onLost: (err: unknown) => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState<Cached['code']>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    portal.code().then(
      (c) => {
        setCode(c);
        saveCached({ me, code: c, savedAt: new Date().toISOString() });
      },
      (err: unknown) => {
        onLost(err);
        setError(err);
      },
    );
  }, [me, onLost]);
  if (error) {
    const cached = loadCached();
    const same = cached && (cached.me.actingFor ?? cached.me.resident).id === (me.actingFor ?? me.resident).id;
    return (
      <>
        <div className="fk-lane-banner is-warn" role="status" data-testid="home-offline">
          <WarningFilled className="fk-lane-banner-icon" />
          <span>{same && cached ? t('home.offline', { time: formatTime(cached.savedAt) }) : homeErrorText(error, t)}</span>
        </div>
        {same && cached && <CodeTab name={(me.actingFor ?? me.resident).name} code={cached.code} />}
      </>
    );
  }
  if (!code)
    return (
      <div className="fk-center fk-home-loading">
        <Spin />
      </div>
    );
  return <CodeTab name={(me.actingFor ?? me.resident).name} code={code} />;
}
