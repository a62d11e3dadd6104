// Providers (antd theme and locale, i18n, session) and the routes. Every page is loaded on
// demand (React.lazy) so the first screen stays small.
import { Suspense, useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import koKR from 'antd/locale/ko_KR';
import { useTranslation } from 'react-i18next';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { setSessionLostHandler } from './api';
import AppLayout from './layout/AppLayout';
import { firstAllowedPath } from './layout/menu';
import { appTheme } from './theme';
import { lazyPage } from './components/lazyPage';
import PageBoundary from './components/PageBoundary';

const SignInPage = lazyPage(() => import('./pages/auth/SignInPage'));
const ChangePasswordPage = lazyPage(() => import('./pages/auth/ChangePasswordPage'));
const ResidentsPage = lazyPage(() => import('./pages/registry/ResidentsPage'));
const ResidentDetailPage = lazyPage(() => import('./pages/registry/ResidentDetailPage'));
const ResidentFormPage = lazyPage(() => import('./pages/registry/ResidentFormPage'));
const HouseholdPage = lazyPage(() => import('./pages/registry/HouseholdPage'));
const PlacesPage = lazyPage(() => import('./pages/registry/PlacesPage'));
const ImportPage = lazyPage(() => import('./pages/import/ImportPage'));
const AccountsPage = lazyPage(() => import('./pages/accounts/AccountsPage'));
const AuditPage = lazyPage(() => import('./pages/audit/AuditPage'));
const DevSmsPage = lazyPage(() => import('./pages/outbox/DevSmsPage'));
const CampaignsPage = lazyPage(() => import('./pages/testing/CampaignsPage'));
const CampaignPage = lazyPage(() => import('./pages/testing/CampaignPage'));
const AreaBoardPage = lazyPage(() => import('./pages/area/AreaBoardPage'));
const LanePage = lazyPage(() => import('./mobile/lane/LanePage'));
const HouseholdCardPage = lazyPage(() => import('./pages/registry/HouseholdCardPage'));
const AntigenPage = lazyPage(() => import('./pages/antigen/AntigenPage'));
const ResidentHomePage = lazyPage(() => import('./mobile/home/HomePage'));
const CardSignInPage = lazyPage(() => import('./mobile/home/CardSignInPage'));
const NoticesPage = lazyPage(() => import('./pages/notices/NoticesPage'));
const NoticeComposePage = lazyPage(() => import('./pages/notices/NoticeComposePage'));
const NoticeReportPage = lazyPage(() => import('./pages/notices/NoticeReportPage'));
const ZonesPage = lazyPage(() => import('./pages/zones/ZonesPage'));
const ZonePoliciesPage = lazyPage(() => import('./pages/zones/ZonePoliciesPage'));
const ColourAppealsPage = lazyPage(() => import('./pages/codes/ColourAppealsPage'));
const ColourRulesPage = lazyPage(() => import('./pages/codes/ColourRulesPage'));
const NoWorkflowPage = lazyPage(() => import('./pages/home/NoWorkflowPage'));
const NotFoundPage = lazyPage(() => import('./pages/home/NotFoundPage'));

function Loading() {
  return (
    <div className="fk-center">
      <Spin />
    </div>
  );
}

/** When the server says the session is gone, forget it: RequireAuth then sends the user to
 * sign-in with `next` set to where they were, and the sign-in page says why. */
function SessionWatcher() {
  const { dropSession } = useAuth();
  useEffect(() => {
    setSessionLostHandler((err) => dropSession(err.messages));
    return () => setSessionLostHandler(undefined);
  }, [dropSession]);
  return null;
}

function RequireAuth({ children }: { children: React.ReactNode }) {
  const { status, user } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <Loading />;
  const here = location.pathname + location.search;
  if (status === 'anonymous' || !user) return <Navigate to={`/login?next=${encodeURIComponent(here)}`} replace />;
  if (user.mustChangePassword && location.pathname !== '/password') {
    return <Navigate to={`/password?next=${encodeURIComponent(here)}`} replace />;
  }
  return <>{children}</>;
}

function Home() {
  const { user, can } = useAuth();
  // A sampler's day is the lane: sign-in lands there, the console is one tap away.
  const to = user?.role === 'sampler' ? '/lane' : firstAllowedPath(can);
  return to ? <Navigate to={to} replace /> : <NoWorkflowPage />;
}

function Guard({ children, ok }: { children: React.ReactNode; ok: boolean }) {
  return ok ? <>{children}</> : <Navigate to="/" replace />;
}

/** /self-report (old posters and cards): a link with ?code= signs in by that card, else the antigen tab of /home. */
function SelfReportRedirect() {
  const code = new URLSearchParams(useLocation().search).get('code');
  if (code) {
    window.location.replace(`/home/card?then=antigen#${encodeURIComponent(code)}`);
    return null;
  }
  return <Navigate to="/home?tab=antigen" replace />;
}

function AppRoutes() {
  const { can } = useAuth();
  const { pathname } = useLocation();
  // a page whose code cannot be downloaded (offline, never opened) shows the offline state with a retry
  return (
    <PageBoundary resetKey={pathname}>
    <Suspense fallback={<Loading />}>
      <SessionWatcher />
      <Routes>
        <Route path="/login" element={<SignInPage />} />
        {/* the residents' home (their own session, not the console's); old self-report posters open it */}
        <Route path="/home" element={<ResidentHomePage />} />
        <Route path="/home/card" element={<CardSignInPage />} />
        <Route path="/self-report" element={<SelfReportRedirect />} />
        <Route
          path="/password"
          element={
            <RequireAuth>
              <ChangePasswordPage />
            </RequireAuth>
          }
        />
        {/* full-screen pages outside the console layout: the sampler's lane, the printable household card */}
        <Route
          path="/lane"
          element={
            <RequireAuth>
              <Guard ok={can('testing.sample')}>
                <LanePage />
              </Guard>
            </RequireAuth>
          }
        />
        <Route
          path="/households/:id/card"
          element={
            <RequireAuth>
              <Guard ok={can('registry.read')}>
                <HouseholdCardPage />
              </Guard>
            </RequireAuth>
          }
        />
        <Route
          element={
            <RequireAuth>
              <AppLayout />
            </RequireAuth>
          }
        >
          <Route index element={<Home />} />
          <Route path="residents" element={<Guard ok={can('registry.read')}><ResidentsPage /></Guard>} />
          <Route path="residents/new" element={<Guard ok={can('registry.write')}><ResidentFormPage /></Guard>} />
          <Route path="residents/:id" element={<Guard ok={can('registry.read')}><ResidentDetailPage /></Guard>} />
          <Route path="residents/:id/edit" element={<Guard ok={can('registry.write')}><ResidentFormPage /></Guard>} />
          <Route path="households/:id" element={<Guard ok={can('registry.read')}><HouseholdPage /></Guard>} />
          <Route path="places" element={<Guard ok={can('registry.read')}><PlacesPage /></Guard>} />
          <Route path="places/:id" element={<Guard ok={can('registry.read')}><PlacesPage /></Guard>} />
          <Route path="import" element={<Guard ok={can('registry.import')}><ImportPage /></Guard>} />
          <Route path="accounts" element={<Guard ok={can('users.manage')}><AccountsPage /></Guard>} />
          <Route path="audit" element={<Guard ok={can('audit.read')}><AuditPage /></Guard>} />
          <Route path="dev-sms" element={<Guard ok={can('outbox.devSms')}><DevSmsPage /></Guard>} />
          <Route path="testing" element={<Guard ok={can('testing.read')}><CampaignsPage /></Guard>} />
          <Route path="testing/:id" element={<Guard ok={can('testing.read')}><CampaignPage /></Guard>} />
          <Route path="area" element={<Guard ok={can('testing.read')}><AreaBoardPage /></Guard>} />
          <Route path="antigen" element={<Guard ok={can('antigen.report')}><AntigenPage /></Guard>} />
          <Route path="notices" element={<Guard ok={can('notices.read')}><NoticesPage /></Guard>} />
          <Route path="notices/new" element={<Guard ok={can('notices.send')}><NoticeComposePage /></Guard>} />
          <Route path="notices/:id" element={<Guard ok={can('notices.read')}><NoticeReportPage /></Guard>} />
          <Route path="zones" element={<Guard ok={can('zones.read')}><ZonesPage /></Guard>} />
          <Route path="zones/policies" element={<Guard ok={can('zones.read')}><ZonePoliciesPage /></Guard>} />
          <Route path="colour-appeals" element={<Guard ok={can('codes.override')}><ColourAppealsPage /></Guard>} />
          <Route path="colour-rules" element={<Guard ok={can('codes.read')}><ColourRulesPage /></Guard>} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </Suspense>
    </PageBoundary>
  );
}

function Themed() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language === 'en-US' ? enUS : i18n.language === 'ko-KR' ? koKR : zhCN}
      theme={appTheme}
    >
      <AntApp>
        <BrowserRouter>
          <AuthProvider>
            <AppRoutes />
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export default function App() {
  return <Themed />;
}
