// The console's frame: side menu (a drawer on phones), header with the user, role, scope and
// language, breadcrumbs, and the place-tree navigator beside the registry pages.
import { Suspense, useCallback, useMemo, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, App, Avatar, Badge, Breadcrumb, Button, ConfigProvider, Drawer, Dropdown, Grid, Layout, Menu, Spin, Tag } from 'antd';
import { ApartmentOutlined, HomeOutlined, KeyOutlined, LogoutOutlined, MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/AuthContext';
import LanguageSwitch from '../components/LanguageSwitch';
import { OfflineState } from '../components/LoadFailed';
import PageBoundary from '../components/PageBoundary';
import { useNetwork } from '../api/network';
import ChangePasswordModal from '../pages/auth/ChangePasswordModal';
import { useOpenAlertCount } from '../pages/antigen/openAlerts';
import type { Place } from '../api';
import { entryForPath, menuFor } from './menu';
import { PageContext, type Crumb } from './PageContext';
import PlaceTree from './PlaceTree';

const { Sider, Header, Content } = Layout;

export default function AppLayout() {
  const { t } = useTranslation();
  const network = useNetwork();
  const { user, signOut, setLocale, can } = useAuth();
  const { modal } = App.useApp();
  const screens = Grid.useBreakpoint();
  const mobile = screens.md === false;
  const location = useLocation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [collapsed, setCollapsed] = useState(false);
  const [drawer, setDrawer] = useState(false);
  const [treeDrawer, setTreeDrawer] = useState(false);
  const [crumbs, setCrumbsState] = useState<Crumb[]>([]);
  const [treeVersion, setTreeVersion] = useState(0);
  const [pwOpen, setPwOpen] = useState(false);

  const setCrumbs = useCallback((c: Crumb[]) => setCrumbsState(c), []);
  const reloadTree = useCallback(() => setTreeVersion((v) => v + 1), []);
  const page = useMemo(() => ({ setCrumbs, reloadTree, treeVersion }), [setCrumbs, reloadTree, treeVersion]);

  const entries = menuFor(can);
  const entry = entryForPath(location.pathname);
  // positives nobody has acted on: a count beside 抗原, and a dot on the menu button when the
  // menu is folded away (a phone's drawer, a collapsed sider)
  const openAlerts = useOpenAlertCount(entries.some((m) => m.key === 'antigen'));

  // the tree sits beside the residents list and the places page
  const treeMode: 'residents' | 'places' | null =
    location.pathname === '/residents' ? 'residents' : location.pathname.startsWith('/places') ? 'places' : null;
  const selectedPlaceId =
    treeMode === 'residents'
      ? Number(params.get('placeId')) || undefined
      : treeMode === 'places'
        ? Number(location.pathname.split('/')[2]) || undefined
        : undefined;

  const onTreeSelect = (p: Place) => {
    setTreeDrawer(false);
    if (treeMode === 'residents') {
      const next = new URLSearchParams(params);
      next.set('placeId', String(p.id));
      next.delete('cursor');
      navigate({ pathname: '/residents', search: next.toString() });
    } else navigate(`/places/${p.id}`);
  };

  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      selectedKeys={entry ? [entry.key] : []}
      items={entries.map((m) => ({
        key: m.key,
        icon: m.icon,
        label: (
          <Link to={m.path} data-testid={`nav-${m.key}`}>
            {t(m.labelKey)}
            {m.key === 'antigen' && openAlerts > 0 && <Badge count={openAlerts} size="small" style={{ marginInlineStart: 8, boxShadow: 'none' }} data-testid="nav-antigen-badge" />}
          </Link>
        ),
      }))}
      onClick={() => setDrawer(false)}
    />
  );

  const brand = (
    <div className="fk-brand">
      <img src="/icons/icon.svg" alt="" />
      {/* the sider is narrow: the full English name would not fit */}
      {(!collapsed || mobile) && <span>{t('app.brand')}</span>}
    </div>
  );

  const roleLabel = user ? t(`role.${user.role}`) : '';
  const scopeLabel = user?.placeName ?? t('app.allAreas');

  const confirmSignOut = () =>
    modal.confirm({
      title: t('auth.signOutConfirm'),
      okText: t('auth.signOut'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        await signOut();
        navigate('/login', { replace: true });
      },
    });

  const tree = treeMode ? <PlaceTree selectedId={selectedPlaceId} onSelect={onTreeSelect} version={treeVersion} /> : null;

  return (
    <PageContext.Provider value={page}>
      <Layout style={{ minHeight: '100vh' }}>
        {!mobile && (
          <Sider collapsible collapsed={collapsed} trigger={null} width={200} collapsedWidth={56} style={{ position: 'sticky', top: 0, height: '100vh' }}>
            {brand}
            {menu}
          </Sider>
        )}
        {mobile && (
          <Drawer placement="left" open={drawer} onClose={() => setDrawer(false)} size={220} styles={{ body: { padding: 0, background: '#0f2a4a' }, header: { display: 'none' } }}>
            {brand}
            {menu}
          </Drawer>
        )}
        <Layout style={{ minWidth: 0 }}>
          <Header className="fk-header">
            <Badge dot={openAlerts > 0 && (mobile || collapsed)} offset={[-6, 6]}>
              <Button
                type="text"
                aria-label={t('nav.toggleMenu')}
                icon={mobile ? <MenuOutlined /> : collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
                onClick={() => (mobile ? setDrawer(true) : setCollapsed(!collapsed))}
              />
            </Badge>
            {mobile && <span style={{ fontWeight: 600, whiteSpace: 'nowrap' }}>{t('app.shortName')}</span>}
            <div className="fk-header-right">
              <LanguageSwitch onChange={setLocale} compact={mobile} />
              <Dropdown
                trigger={['click']}
                menu={{
                  items: [
                    { key: 'who', disabled: true, label: `${user?.username} · ${roleLabel}` },
                    { type: 'divider' },
                    { key: 'password', icon: <KeyOutlined />, label: t('auth.changePassword') },
                    { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="sign-out">{t('auth.signOut')}</span> },
                  ],
                  onClick: ({ key }) => (key === 'logout' ? confirmSignOut() : key === 'password' ? setPwOpen(true) : undefined),
                }}
              >
                <Button type="text" style={{ height: 44, padding: '0 6px', display: 'flex', alignItems: 'center', gap: 8, maxWidth: mobile ? 180 : 380 }} data-testid="user-menu">
                  <Avatar size={28} icon={<UserOutlined />} style={{ background: '#1456b8', flex: 'none' }} />
                  <span className="fk-user">
                    <span className="fk-user-name">{user?.displayName}</span>
                    {!mobile ? (
                      <span className="fk-user-meta" data-testid="user-meta">
                        {roleLabel} · {scopeLabel}
                      </span>
                    ) : (
                      <span className="fk-user-meta">{roleLabel}</span>
                    )}
                  </span>
                </Button>
              </Dropdown>
            </div>
          </Header>
          <Content className="fk-content">
            {/* the page's one h1, for screen readers and the document outline: what the breadcrumb ends with */}
            <h1 className="fk-sr-only" data-testid="page-title">
              {crumbs.length ? crumbs[crumbs.length - 1].title : entry ? t(entry.labelKey) : t('app.name')}
            </h1>
            <Breadcrumb
              className="fk-crumbs"
              items={[
                { title: <Link to="/" aria-label={t('nav.home')}><HomeOutlined /></Link> },
                ...(entry ? [{ title: crumbs.length ? <Link to={entry.path}>{t(entry.labelKey)}</Link> : t(entry.labelKey) }] : []),
                ...crumbs.map((c) => ({ title: c.to ? <Link to={c.to}>{c.title}</Link> : c.title })),
              ]}
            />
            {tree && mobile && (
              <div className="fk-mobile-place-bar">
                <Button icon={<ApartmentOutlined />} onClick={() => setTreeDrawer(true)} data-testid="open-place-tree">
                  {t('place.browse')}
                </Button>
                {user?.placeName && <Tag>{scopeLabel}</Tag>}
              </div>
            )}
            <div className="fk-workspace">
              {tree && !mobile && (
                <aside className="fk-tree-panel" data-testid="place-tree">
                  <div className="fk-tree-panel-title">
                    <span>{t('place.tree')}</span>
                    <span className="fk-muted" style={{ fontSize: 12, fontWeight: 400 }}>{t('place.residentsHeader')}</span>
                  </div>
                  <div className="fk-tree-scroll">{tree}</div>
                </aside>
              )}
              {/* antd's Content is the page's one <main>; this is only the column beside the tree */}
              <div className="fk-main">
                {/* offline: said once here, and in every empty table, instead of an error per request */}
                {network.offline && <Alert type="warning" showIcon banner title={t('offline.banner')} style={{ marginBottom: 12 }} data-testid="offline-banner" role="status" />}
                <ConfigProvider renderEmpty={network.offline ? () => <OfflineState compact /> : undefined}>
                  {/* a page whose code cannot be downloaded offline: the offline state and a retry, inside the layout */}
                  <PageBoundary resetKey={location.pathname}>
                    <Suspense fallback={<div className="fk-center"><Spin /></div>}>
                      {/* a new epoch when the server answers again: the page loads its data afresh */}
                      <Outlet key={network.epoch} />
                    </Suspense>
                  </PageBoundary>
                </ConfigProvider>
              </div>
            </div>
          </Content>
        </Layout>
        {tree && mobile && (
          <Drawer title={t('place.tree')} placement="left" open={treeDrawer} onClose={() => setTreeDrawer(false)} size={300}>
            <div data-testid="place-tree">{tree}</div>
          </Drawer>
        )}
        <ChangePasswordModal open={pwOpen} onClose={() => setPwOpen(false)} />
      </Layout>
    </PageContext.Provider>
  );
}
