import {
  GlobalOutlined,
  KeyOutlined,
  LogoutOutlined,
  MenuOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Badge, Button, Drawer, Dropdown, Grid, Layout, Menu, Spin, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { lazy, Suspense, useEffect, useState, useTransition, type ReactNode } from 'react';
import { matchPath, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { Permission } from '../../core/permissions.js';
import { L, useI18n } from '../shared/i18n.js';
import { useAuth } from './auth.js';
import { NotificationBell } from './NotificationBell.js';
import { LoginPage } from './LoginPage.js';
import { accessOf, landingFor, menuFor, routesFor, type AdminRoute } from './routes.js';
import { useVerificationCount } from './use-verification-count.js';

// Opened rarely (and forced on a first sign-in): its form and the password schema (zod) load then.
const ChangePasswordModal = lazy(() =>
  import('./ChangePasswordModal.js').then((m) => ({ default: m.ChangePasswordModal })),
);

const SIDER_WIDTH = 200;
/** antd's dark menu and sider (colorBgLayout of the dark Sider). */
const SIDER_BACKGROUND = '#001529';
type MenuItems = NonNullable<MenuProps['items']>;

/** What shows in the content area while a page's chunk loads: the menu and header stay. */
export function PageLoading() {
  return (
    <div data-testid="page-loading" style={{ padding: '48px 0', textAlign: 'center' }}>
      <Spin />
    </div>
  );
}

const routeElements = (routes: AdminRoute[]) =>
  routes.map((r) => <Route key={r.path} path={r.path} element={<r.page />} />);

/**
 * The admin app: sign-in, then the frame (menu, header) around the page the URL names. The
 * routes and the menu both come from the route table (routes.tsx).
 */
export function AdminApp() {
  const { user, loading, can, cityLevel, signOut } = useAuth();
  const { t, lang, setLang } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const [pwOpen, setPwOpen] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  // A menu click is a transition: the current page stays (in its frame) until the next one's
  // chunk has loaded, with a spinner in the header meanwhile.
  const [navigating, startNavigation] = useTransition();
  // Phones get the menu in a drawer and a compact header.
  const wide = Grid.useBreakpoint().lg ?? true;
  const queueCount = useVerificationCount(
    !!user && can(Permission.ProblemVerify),
    location.pathname,
  );
  // A new page opens at its top, wherever the last one was scrolled to.
  useEffect(() => {
    window.scrollTo?.(0, 0);
  }, [location.pathname]);

  if (loading) {
    return <Spin fullscreen />;
  }
  if (!user) return <LoginPage />;

  const access = accessOf(user);
  const routes = routesFor(access);
  const bare = routes.filter((r) => r.bare);
  // A document of its own (the printable bulletin): no menu, no header.
  if (bare.some((r) => matchPath(r.path, location.pathname))) {
    return (
      <Suspense fallback={<Spin fullscreen />}>
        <Routes>{routeElements(bare)}</Routes>
      </Suspense>
    );
  }

  // Counts beside menu items: what waits in the verification queue.
  const counts: Record<string, number | null> = { '/verification': queueCount };
  const label = (path: string, text: string): ReactNode => {
    const count = counts[path];
    if (!count) return text;
    return (
      <span data-testid={`menu${path.replace(/\//g, '-')}`}>
        {text}
        <Badge
          count={count}
          overflowCount={999}
          size="small"
          style={{ marginLeft: 6, boxShadow: 'none' }}
        />
      </span>
    );
  };
  const officeRoles = user.roles.some((r) => r === 'office' || r === 'leader');
  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      selectedKeys={[`/${location.pathname.split('/')[1] ?? ''}`]}
      onClick={(e) => {
        setDrawerOpen(false);
        startNavigation(() => void navigate(e.key));
      }}
      items={menuFor(access).flatMap((g): MenuItems => {
        const items = g.items.map((m) => ({
          key: m.path,
          icon: m.icon,
          label: label(m.path, t(m.label)),
        }));
        return g.label ? [{ type: 'group' as const, label: t(g.label), children: items }] : items;
      })}
    />
  );
  const brand = (
    <div style={{ color: '#fff', padding: '16px 20px', fontSize: 18, fontWeight: 600 }}>
      {t({ zh: '创城平台', en: 'Chuangcheng' })}
    </div>
  );
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {wide ? (
        // Sticky: the menu stays in view however long the page, and scrolls on its own. Its
        // column is dark all the way down (what a full-page picture shows below it).
        <div style={{ background: SIDER_BACKGROUND, flex: 'none' }}>
          <Layout.Sider
            theme="dark"
            width={SIDER_WIDTH}
            data-testid="admin-sider"
            style={{
              position: 'sticky',
              top: 0,
              height: '100vh',
              overflowY: 'auto',
              scrollbarWidth: 'thin',
            }}
          >
            {brand}
            {menu}
          </Layout.Sider>
        </div>
      ) : (
        <Drawer
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          placement="left"
          size={220}
          closable={false}
          styles={{ body: { padding: 0, background: SIDER_BACKGROUND } }}
        >
          {brand}
          {menu}
        </Drawer>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header
          style={{
            background: '#fff',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            padding: wide ? '0 24px' : '0 8px',
            gap: 8,
          }}
        >
          {wide ? (
            <Typography.Text strong>
              {t({ zh: '示范市文明城市创建管理平台', en: 'Civilized-city campaign platform' })}
            </Typography.Text>
          ) : (
            <Button
              type="text"
              icon={<MenuOutlined />}
              onClick={() => setDrawerOpen(true)}
              aria-label={t({ zh: '菜单', en: 'Menu' })}
              data-testid="menu-button"
            />
          )}
          <div style={{ display: 'flex', gap: wide ? 12 : 0, alignItems: 'center', minWidth: 0 }}>
            {navigating && <Spin size="small" data-testid="page-navigating" />}
            <NotificationBell />
            <Button
              icon={<GlobalOutlined />}
              type="text"
              onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
              data-testid="lang-switch"
            >
              {lang === 'zh' ? 'English' : '中文'}
            </Button>
            <Dropdown
              menu={{
                items: [
                  {
                    key: 'pw',
                    icon: <KeyOutlined />,
                    label: t(L.common.changePassword),
                  },
                  {
                    key: 'out',
                    icon: <LogoutOutlined />,
                    label: t(L.common.signOut),
                  },
                ],
                onClick: (e) => (e.key === 'pw' ? setPwOpen(true) : void signOut()),
              }}
            >
              <Button type="text" icon={<UserOutlined />} data-testid="user-menu">
                {user.name}
                {wide && !cityLevel && officeRoles && user.regionName
                  ? ` · ${user.regionName}${lang === 'en' ? ' ' : ''}${t(L.org.office)}`
                  : wide && user.unitName
                    ? ` · ${user.unitName}`
                    : ''}
              </Button>
            </Dropdown>
          </div>
        </Layout.Header>
        {/* data-path: the page shown, which changes when a navigation (a transition) commits. */}
        <Layout.Content data-path={location.pathname} style={{ margin: wide ? 16 : 8 }}>
          <Suspense fallback={<PageLoading />}>
            <Routes>
              {routeElements(routes.filter((r) => !r.bare))}
              <Route path="*" element={<Navigate to={landingFor(access)} replace />} />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
      {(pwOpen || user.mustChangePassword) && (
        <Suspense fallback={null}>
          <ChangePasswordModal
            open
            forced={user.mustChangePassword}
            onClose={() => setPwOpen(false)}
          />
        </Suspense>
      )}
    </Layout>
  );
}
