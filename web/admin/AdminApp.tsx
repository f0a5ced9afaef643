import {
  AlertOutlined,
  ApiOutlined,
  ApartmentOutlined,
  BarChartOutlined,
  CalendarOutlined,
  FileSearchOutlined,
  FlagOutlined,
  AuditOutlined,
  ClusterOutlined,
  GlobalOutlined,
  LogoutOutlined,
  MenuOutlined,
  KeyOutlined,
  ProfileOutlined,
  ScheduleOutlined,
  ShopOutlined,
  HomeOutlined,
  AimOutlined,
  TableOutlined,
  CheckSquareOutlined,
  DashboardOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Badge, Button, Drawer, Dropdown, Grid, Layout, Menu, Spin, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { Permission } from '../../core/permissions.js';
import { useI18n } from '../shared/i18n.js';
import { useAuth } from './auth.js';
import { ChangePasswordModal } from './ChangePasswordModal.js';
import { NotificationBell } from './NotificationBell.js';
import { AuditPage } from './pages/AuditPage.js';
import { CampaignsPage } from './pages/CampaignsPage.js';
import { FrameworksPage } from './pages/FrameworksPage.js';
import { AssignmentsPage } from './pages/AssignmentsPage.js';
import { MyTasksPage } from './pages/MyTasksPage.js';
import { IndicatorsPage } from './pages/IndicatorsPage.js';
import { AgreementPage } from './pages/AgreementPage.js';
import { CalendarPage } from './pages/CalendarPage.js';
import { EscalationOrdersPage } from './pages/EscalationOrdersPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { ProblemDetailPage } from './pages/ProblemDetailPage.js';
import { ProblemKpisPage } from './pages/ProblemKpisPage.js';
import { ProblemsPage } from './pages/ProblemsPage.js';
import { RegionsPage } from './pages/RegionsPage.js';
import { FrontageDutiesPage } from './pages/FrontageDutiesPage.js';
import { OutreachPage } from './pages/OutreachPage.js';
import { Open311ClientsPage } from './pages/Open311ClientsPage.js';
import { RoundsPage } from './pages/RoundsPage.js';
import { UnitsPage } from './pages/UnitsPage.js';
import { UsersPage } from './pages/UsersPage.js';
import { VerificationQueuePage } from './pages/VerificationQueuePage.js';
import { useVerificationCount } from './use-verification-count.js';

/** Modules in the menu: only those that exist and that the user may open. */
const PROBLEM_MODULES = [
  {
    key: '/problems',
    icon: <AlertOutlined />,
    label: { zh: '问题台账', en: 'Problem ledger' },
    perm: Permission.ProblemRead,
  },
  {
    key: '/verification',
    icon: <FileSearchOutlined />,
    label: { zh: '核查队列', en: 'Verification queue' },
    perm: Permission.ProblemVerify,
  },
  {
    key: '/escalation-orders',
    icon: <FlagOutlined />,
    label: { zh: '督办单', en: 'Escalation orders' },
    perm: Permission.ProblemRead,
  },
  {
    key: '/calendar',
    icon: <CalendarOutlined />,
    label: { zh: '节假日', en: 'Holidays' },
    perm: Permission.ProblemRead,
  },
  {
    key: '/problem-kpis',
    icon: <BarChartOutlined />,
    label: { zh: '办理统计', en: 'KPIs' },
    perm: Permission.ProblemRead,
  },
  {
    key: '/open311',
    icon: <ApiOutlined />,
    label: { zh: 'Open311 接入', en: 'Open311 clients' },
    perm: Permission.ProblemManage,
  },
];

/** 测评体系: campaigns and their frameworks. */
const FRAMEWORK_MODULES = [
  {
    key: '/frameworks',
    icon: <ProfileOutlined />,
    label: { zh: '体系编辑', en: 'Framework editor' },
    perm: Permission.FrameworkRead,
  },
  {
    key: '/assignments',
    icon: <TableOutlined />,
    label: { zh: '任务分解', en: 'Task matrix' },
    perm: Permission.AssignmentRead,
  },
  {
    key: '/my-tasks',
    icon: <CheckSquareOutlined />,
    label: { zh: '我的任务', en: 'My tasks' },
    perm: Permission.AssignmentRead,
    needsUnit: true,
  },
  {
    key: '/indicators',
    icon: <DashboardOutlined />,
    label: { zh: '硬性指标', en: 'Indicators' },
    perm: Permission.AssignmentRead,
  },
  {
    key: '/agreement',
    icon: <FileSearchOutlined />,
    label: { zh: '目标责任书', en: 'Agreement' },
    perm: Permission.AssignmentRead,
    needsUnit: true,
  },
  {
    key: '/campaigns',
    icon: <ScheduleOutlined />,
    label: { zh: '创建周期', en: 'Campaigns' },
    perm: Permission.FrameworkRead,
  },
  {
    key: '/rounds',
    icon: <AimOutlined />,
    label: { zh: '测评轮次', en: 'Rounds' },
    perm: Permission.ProblemRead,
  },
];

const MODULES = [
  {
    key: '/units',
    icon: <ApartmentOutlined />,
    label: { zh: '单位管理', en: 'Units' },
    perm: Permission.UnitRead,
  },
  {
    key: '/users',
    icon: <TeamOutlined />,
    label: { zh: '用户管理', en: 'Users' },
    perm: Permission.UserRead,
  },
  {
    key: '/regions',
    icon: <ClusterOutlined />,
    label: { zh: '行政区划', en: 'Regions' },
    perm: Permission.RegionRead,
  },
  {
    key: '/frontage-duties',
    icon: <ShopOutlined />,
    label: { zh: '门前三包', en: 'Frontage duties' },
    perm: Permission.UnitRead,
  },
  {
    key: '/outreach',
    icon: <HomeOutlined />,
    label: { zh: '入户包联', en: 'Household outreach' },
    perm: Permission.UnitRead,
  },
  {
    key: '/audit',
    icon: <AuditOutlined />,
    label: { zh: '审计日志', en: 'Audit log' },
    perm: Permission.AuditRead,
  },
];

export function AdminApp() {
  const { user, loading, can, signOut } = useAuth();
  const { t, lang, setLang } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const [pwOpen, setPwOpen] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  // Phones get the menu in a drawer and a compact header.
  const wide = Grid.useBreakpoint().lg ?? true;
  const queueCount = useVerificationCount(
    !!user && can(Permission.ProblemVerify),
    location.pathname,
  );

  if (loading) {
    return <Spin fullscreen />;
  }
  if (!user) return <LoginPage />;

  const modules = MODULES.filter((m) => can(m.perm));
  const problemModules = PROBLEM_MODULES.filter((m) => can(m.perm));
  const frameworkModules = FRAMEWORK_MODULES.filter(
    (m) => can(m.perm) && (!('needsUnit' in m) || user.unitId !== null),
  );
  const first = problemModules[0]?.key ?? modules[0]?.key ?? '/units';
  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      selectedKeys={[`/${location.pathname.split('/')[1] ?? ''}`]}
      onClick={(e) => {
        setDrawerOpen(false);
        void navigate(e.key);
      }}
      items={[
        ...(problemModules.length
          ? [
              {
                type: 'group' as const,
                label: t({ zh: '问题管理', en: 'Problems' }),
                children: problemModules.map((m) => ({
                  key: m.key,
                  icon: m.icon,
                  label:
                    m.key === '/verification' && queueCount ? (
                      <span data-testid="menu-verification">
                        {t(m.label)}
                        <Badge
                          count={queueCount}
                          overflowCount={999}
                          size="small"
                          style={{ marginLeft: 6, boxShadow: 'none' }}
                        />
                      </span>
                    ) : (
                      t(m.label)
                    ),
                })),
              },
            ]
          : []),
        ...(frameworkModules.length
          ? [
              {
                type: 'group' as const,
                label: t({ zh: '测评体系', en: 'Frameworks' }),
                children: frameworkModules.map((m) => ({
                  key: m.key,
                  icon: m.icon,
                  label: t(m.label),
                })),
              },
            ]
          : []),
        {
          type: 'group' as const,
          label: t({ zh: '组织机构', en: 'Organisation' }),
          children: modules.map((m) => ({ key: m.key, icon: m.icon, label: t(m.label) })),
        },
      ]}
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
        <Layout.Sider theme="dark" width={200}>
          {brand}
          {menu}
        </Layout.Sider>
      ) : (
        <Drawer
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          placement="left"
          size={220}
          closable={false}
          styles={{ body: { padding: 0, background: '#001529' } }}
        >
          {brand}
          {menu}
        </Drawer>
      )}
      <Layout>
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
                    label: t({ zh: '修改密码', en: 'Change password' }),
                  },
                  {
                    key: 'out',
                    icon: <LogoutOutlined />,
                    label: t({ zh: '退出登录', en: 'Sign out' }),
                  },
                ],
                onClick: (e) => (e.key === 'pw' ? setPwOpen(true) : void signOut()),
              }}
            >
              <Button type="text" icon={<UserOutlined />} data-testid="user-menu">
                {user.name}
                {wide && user.unitName ? ` · ${user.unitName}` : ''}
              </Button>
            </Dropdown>
          </div>
        </Layout.Header>
        <Layout.Content style={{ margin: wide ? 16 : 8 }}>
          <Routes>
            {can(Permission.ProblemRead) && <Route path="/problems" element={<ProblemsPage />} />}
            {can(Permission.ProblemRead) && (
              <Route path="/problems/:id" element={<ProblemDetailPage />} />
            )}
            {can(Permission.ProblemRead) && (
              <Route path="/problem-kpis" element={<ProblemKpisPage />} />
            )}
            {can(Permission.ProblemVerify) && (
              <Route path="/verification" element={<VerificationQueuePage />} />
            )}
            {can(Permission.ProblemRead) && (
              <Route path="/escalation-orders" element={<EscalationOrdersPage />} />
            )}
            {can(Permission.ProblemRead) && <Route path="/calendar" element={<CalendarPage />} />}
            {can(Permission.ProblemManage) && (
              <Route path="/open311" element={<Open311ClientsPage />} />
            )}
            {can(Permission.FrameworkRead) && (
              <Route path="/frameworks" element={<FrameworksPage />} />
            )}
            {can(Permission.FrameworkRead) && (
              <Route path="/campaigns" element={<CampaignsPage />} />
            )}
            {can(Permission.AssignmentRead) && (
              <Route path="/assignments" element={<AssignmentsPage />} />
            )}
            {can(Permission.AssignmentRead) && <Route path="/my-tasks" element={<MyTasksPage />} />}
            {can(Permission.AssignmentRead) && (
              <Route path="/indicators" element={<IndicatorsPage />} />
            )}
            {can(Permission.AssignmentRead) && (
              <Route path="/agreement" element={<AgreementPage />} />
            )}
            {can(Permission.UnitRead) && <Route path="/units" element={<UnitsPage />} />}
            {can(Permission.UnitRead) && (
              <Route path="/frontage-duties" element={<FrontageDutiesPage />} />
            )}
            {can(Permission.UnitRead) && <Route path="/outreach" element={<OutreachPage />} />}
            {can(Permission.ProblemRead) && <Route path="/rounds" element={<RoundsPage />} />}
            {can(Permission.UserRead) && <Route path="/users" element={<UsersPage />} />}
            {can(Permission.RegionRead) && <Route path="/regions" element={<RegionsPage />} />}
            {can(Permission.AuditRead) && <Route path="/audit" element={<AuditPage />} />}
            <Route path="*" element={<Navigate to={first} replace />} />
          </Routes>
        </Layout.Content>
      </Layout>
      <ChangePasswordModal
        open={pwOpen || user.mustChangePassword}
        forced={user.mustChangePassword}
        onClose={() => setPwOpen(false)}
      />
    </Layout>
  );
}
