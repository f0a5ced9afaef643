import {
  AlertOutlined,
  ApiOutlined,
  CameraOutlined,
  EnvironmentOutlined,
  ApartmentOutlined,
  BarChartOutlined,
  CalendarOutlined,
  FileSearchOutlined,
  FlagOutlined,
  FolderOpenOutlined,
  AuditOutlined,
  ClusterOutlined,
  GlobalOutlined,
  GroupOutlined,
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
  BorderOutlined,
  NodeIndexOutlined,
  CompassOutlined,
  FormOutlined,
  FundOutlined,
  MobileOutlined,
  PieChartOutlined,
  HeartOutlined,
  ScanOutlined,
  UnorderedListOutlined,
  ExperimentOutlined,
  TrophyOutlined,
  LineChartOutlined,
  NotificationOutlined,
  PhoneOutlined,
} from '@ant-design/icons';
import { Badge, Button, Drawer, Dropdown, Grid, Layout, Menu, Spin, Typography } from 'antd';
import { lazy, Suspense, useState, type ComponentType } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { Permission } from '../../core/permissions.js';
import { useI18n } from '../shared/i18n.js';
import { useAuth } from './auth.js';
import { ChangePasswordModal } from './ChangePasswordModal.js';
import { NotificationBell } from './NotificationBell.js';
import { LoginPage } from './pages/LoginPage.js';
import { useVerificationCount } from './use-verification-count.js';

/**
 * Every page but sign-in is its own chunk, loaded when first opened: a user downloads and starts
 * only the pages (and the charts and maps) they open, not the whole platform on every visit.
 */
const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));
const AuditPage = page(() => import('./pages/AuditPage.js'), 'AuditPage');
const CampaignsPage = page(() => import('./pages/CampaignsPage.js'), 'CampaignsPage');
const DashboardPage = page(() => import('./pages/DashboardPage.js'), 'DashboardPage');
const UnitDashboardPage = page(() => import('./pages/UnitDashboardPage.js'), 'UnitDashboardPage');
const FrameworksPage = page(() => import('./pages/FrameworksPage.js'), 'FrameworksPage');
const AssignmentsPage = page(() => import('./pages/AssignmentsPage.js'), 'AssignmentsPage');
const WorkingGroupsPage = page(() => import('./pages/WorkingGroupsPage.js'), 'WorkingGroupsPage');
const MyAssignmentsPage = page(() => import('./pages/MyAssignmentsPage.js'), 'MyAssignmentsPage');
const EvidencePage = page(() => import('./pages/EvidencePage.js'), 'EvidencePage');
const IndicatorsPage = page(() => import('./pages/IndicatorsPage.js'), 'IndicatorsPage');
const PledgePage = page(() => import('./pages/PledgePage.js'), 'PledgePage');
const CalendarPage = page(() => import('./pages/CalendarPage.js'), 'CalendarPage');
const EscalationOrdersPage = page(
  () => import('./pages/EscalationOrdersPage.js'),
  'EscalationOrdersPage',
);
const ProblemDetailPage = page(() => import('./pages/ProblemDetailPage.js'), 'ProblemDetailPage');
const ProblemKpisPage = page(() => import('./pages/ProblemKpisPage.js'), 'ProblemKpisPage');
const ProblemsPage = page(() => import('./pages/ProblemsPage.js'), 'ProblemsPage');
const RegionsPage = page(() => import('./pages/RegionsPage.js'), 'RegionsPage');
const FrontageDutiesPage = page(
  () => import('./pages/FrontageDutiesPage.js'),
  'FrontageDutiesPage',
);
const OutreachPage = page(() => import('./pages/OutreachPage.js'), 'OutreachPage');
const PartiesPage = page(() => import('./pages/PartiesPage.js'), 'PartiesPage');
const Open311ClientsPage = page(
  () => import('./pages/Open311ClientsPage.js'),
  'Open311ClientsPage',
);
const RoundsPage = page(() => import('./pages/RoundsPage.js'), 'RoundsPage');
const InspectPage = page(() => import('./pages/InspectPage.js'), 'InspectPage');
const SimulationsPage = page(() => import('./pages/SimulationsPage.js'), 'SimulationsPage');
const PointsPage = page(() => import('./pages/PointsPage.js'), 'PointsPage');
const PointTypesPage = page(() => import('./pages/PointTypesPage.js'), 'PointTypesPage');
const RoundReportPage = page(() => import('./pages/RoundReportPage.js'), 'RoundReportPage');
const UnitsPage = page(() => import('./pages/UnitsPage.js'), 'UnitsPage');
const UsersPage = page(() => import('./pages/UsersPage.js'), 'UsersPage');
const GridsPage = page(() => import('./pages/GridsPage.js'), 'GridsPage');
const PatrolPhonePage = page(() => import('./pages/PatrolPhonePage.js'), 'PatrolPhonePage');
const PatrolsPage = page(() => import('./pages/PatrolsPage.js'), 'PatrolsPage');
const VerificationQueuePage = page(
  () => import('./pages/VerificationQueuePage.js'),
  'VerificationQueuePage',
);
const SurveyDesignerPage = page(
  () => import('./pages/SurveyDesignerPage.js'),
  'SurveyDesignerPage',
);
const SurveyGuidePage = page(() => import('./pages/SurveyGuidePage.js'), 'SurveyGuidePage');
const SurveyQuotaBoardPage = page(
  () => import('./pages/SurveyQuotaBoardPage.js'),
  'SurveyQuotaBoardPage',
);
const SurveyResultsPage = page(() => import('./pages/SurveyResultsPage.js'), 'SurveyResultsPage');
const VolunteerActivitiesPage = page(
  () => import('./pages/VolunteerActivitiesPage.js'),
  'VolunteerActivitiesPage',
);
const VolunteerActivityDetailPage = page(
  () => import('./pages/VolunteerActivityDetailPage.js'),
  'VolunteerActivityDetailPage',
);
const VolunteerCheckinPage = page(
  () => import('./pages/VolunteerCheckinPage.js'),
  'VolunteerCheckinPage',
);
const VolunteerStatsPage = page(
  () => import('./pages/VolunteerStatsPage.js'),
  'VolunteerStatsPage',
);
const VolunteersPage = page(() => import('./pages/VolunteersPage.js'), 'VolunteersPage');
const ScorePage = page(() => import('./pages/ScorePage.js'), 'ScorePage');
const MockEvaluationPage = page(
  () => import('./pages/MockEvaluationPage.js'),
  'MockEvaluationPage',
);
const BulletinPrintPage = page(
  () => import('./pages/rankings/BulletinPrintPage.js'),
  'BulletinPrintPage',
);
const BulletinsPage = page(() => import('./pages/rankings/BulletinsPage.js'), 'BulletinsPage');
const RankingsPage = page(() => import('./pages/rankings/RankingsPage.js'), 'RankingsPage');

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
    perm: Permission.IntegrationManage,
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
    key: '/working-groups',
    icon: <TeamOutlined />,
    label: { zh: '工作组', en: 'Working groups' },
    perm: Permission.AssignmentRead,
  },
  {
    key: '/my-assignments',
    icon: <CheckSquareOutlined />,
    label: { zh: '我的任务', en: 'My assignments' },
    perm: Permission.AssignmentRead,
    needsUnit: true,
  },
  {
    key: '/evidence',
    icon: <FolderOpenOutlined />,
    label: { zh: '档案资料', en: 'Archive materials' },
    perm: Permission.AssignmentRead,
  },
  {
    key: '/indicators',
    icon: <DashboardOutlined />,
    label: { zh: '硬性指标', en: 'Indicators' },
    perm: Permission.AssignmentRead,
  },
  {
    key: '/pledge',
    icon: <FileSearchOutlined />,
    label: { zh: '目标责任书', en: 'Pledge' },
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
  {
    key: '/inspect',
    icon: <CameraOutlined />,
    label: { zh: '实地检查', en: 'Field inspection' },
    perm: Permission.ProblemReport,
  },
  {
    key: '/simulations',
    icon: <PhoneOutlined />,
    label: { zh: '模拟验证', en: 'Simulation checks' },
    perm: Permission.SimulationRead,
  },
  {
    key: '/points',
    icon: <EnvironmentOutlined />,
    label: { zh: '点位管理', en: 'Points' },
    perm: Permission.InspectionManage,
  },
  {
    key: '/point-types',
    icon: <UnorderedListOutlined />,
    label: { zh: '点位类型', en: 'Point types' },
    perm: Permission.InspectionManage,
    cityOnly: true,
  },
];

/** 问卷调查: design, quotas, the guide's phone screen, results. */
const SURVEY_MODULES = [
  {
    key: '/survey-app',
    icon: <MobileOutlined />,
    label: { zh: '入户调查', en: 'Survey app' },
    perm: Permission.SurveyCollect,
  },
  {
    key: '/survey-results',
    icon: <PieChartOutlined />,
    label: { zh: '调查结果', en: 'Survey results' },
    perm: Permission.SurveyRead,
  },
  {
    key: '/survey-quotas',
    icon: <FundOutlined />,
    label: { zh: '配额看板', en: 'Quota board' },
    perm: Permission.SurveyRead,
  },
  {
    key: '/surveys',
    icon: <FormOutlined />,
    label: { zh: '问卷设计', en: 'Questionnaires' },
    perm: Permission.SurveyWrite,
  },
];

/**
 * 测评结果: unit rankings and bulletins (the office and leaders all, a unit its own standing), the
 * projected score and the mock evaluation (office, leaders read-only).
 */
const SCORE_MODULES = [
  {
    key: '/rankings',
    icon: <TrophyOutlined />,
    label: { zh: '单位排名', en: 'Unit rankings' },
    perm: Permission.RankingRead,
  },
  {
    key: '/bulletins',
    icon: <NotificationOutlined />,
    label: { zh: '通报', en: 'Bulletins' },
    perm: Permission.RankingRead,
  },
  {
    key: '/score',
    icon: <LineChartOutlined />,
    label: { zh: '测评得分预估', en: 'Projected score' },
    perm: Permission.ScoreRead,
  },
  {
    key: '/mock-evaluation',
    icon: <ExperimentOutlined />,
    label: { zh: '模拟测评推演', en: 'Mock evaluation' },
    perm: Permission.ScoreRead,
  },
];

/** 志愿服务: the registry and stations, activities (volunteers sign up there), statistics. */
const VOLUNTEER_MODULES = [
  {
    key: '/volunteer-activities',
    icon: <ScanOutlined />,
    label: { zh: '志愿活动', en: 'Activities' },
    perms: [Permission.VolunteerRead, Permission.VolunteerServe],
  },
  {
    key: '/volunteers',
    icon: <HeartOutlined />,
    label: { zh: '志愿者与阵地', en: 'Volunteers' },
    perms: [Permission.VolunteerRead],
  },
  {
    key: '/volunteer-stats',
    icon: <FundOutlined />,
    label: { zh: '志愿服务统计', en: 'Volunteer statistics' },
    perms: [Permission.VolunteerRead],
    // Whole-registry aggregates: the office, admins and leaders.
    roles: ['admin', 'office', 'leader'],
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
    key: '/parties',
    icon: <GroupOutlined />,
    label: { zh: '集体责任方', en: 'Collective parties' },
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
    key: '/grids',
    icon: <BorderOutlined />,
    label: { zh: '网格管理', en: 'Grids' },
    perm: Permission.GridRead,
  },
  {
    key: '/patrols',
    icon: <NodeIndexOutlined />,
    label: { zh: '巡查记录', en: 'Patrols' },
    perm: Permission.GridRead,
  },
  {
    key: '/patrol',
    icon: <CompassOutlined />,
    label: { zh: '网格巡查', en: 'Walk a patrol' },
    perm: Permission.PatrolWalk,
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
  const { user, loading, can, cityLevel, signOut } = useAuth();
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
  // The printable bulletin is a document of its own: no menu, no header.
  if (can(Permission.RankingRead) && /^\/bulletins\/\d+\/print$/.test(location.pathname)) {
    return (
      <Suspense fallback={<Spin fullscreen />}>
        <Routes>
          <Route path="/bulletins/:id/print" element={<BulletinPrintPage />} />
        </Routes>
      </Suspense>
    );
  }

  const modules = MODULES.filter((m) => can(m.perm));
  const problemModules = PROBLEM_MODULES.filter((m) => can(m.perm));
  const frameworkModules = FRAMEWORK_MODULES.filter(
    (m) =>
      can(m.perm) &&
      (!('needsUnit' in m) || user.unitId !== null) &&
      (!('cityOnly' in m) || cityLevel),
  );
  const surveyModules = SURVEY_MODULES.filter((m) => can(m.perm));
  const scoreModules = SCORE_MODULES.filter((m) => can(m.perm));
  const volunteerModules = VOLUNTEER_MODULES.filter(
    (m) => m.perms.some((p) => can(p)) && (!m.roles || user.roles.some((r) => m.roles.includes(r))),
  );
  const officeRoles = user.roles.some((r) => r === 'office' || r === 'leader');
  // 看板: the landing page of the office, admins and leaders (the campaign) and of units (their own).
  const campaignWide = user.roles.some((r) => r === 'admin' || r === 'office' || r === 'leader');
  const unitDashboard = !campaignWide && user.roles.includes('unit') && user.unitId !== null;
  const hasDashboard = can(Permission.ProblemRead) && (campaignWide || unitDashboard);
  const first =
    (hasDashboard ? '/dashboard' : undefined) ??
    problemModules[0]?.key ??
    surveyModules[0]?.key ??
    scoreModules[0]?.key ??
    modules[0]?.key ??
    volunteerModules[0]?.key ??
    '/units';
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
        ...(hasDashboard
          ? [
              {
                key: '/dashboard',
                icon: <DashboardOutlined />,
                label: unitDashboard
                  ? t({ zh: '本单位看板', en: 'Our dashboard' })
                  : t({ zh: '工作看板', en: 'Dashboard' }),
              },
            ]
          : []),
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
        ...(surveyModules.length
          ? [
              {
                type: 'group' as const,
                label: t({ zh: '问卷调查', en: 'Surveys' }),
                children: surveyModules.map((m) => ({
                  key: m.key,
                  icon: m.icon,
                  label: t(m.label),
                })),
              },
            ]
          : []),
        ...(scoreModules.length
          ? [
              {
                type: 'group' as const,
                label: t({ zh: '测评结果', en: 'Results' }),
                children: scoreModules.map((m) => ({
                  key: m.key,
                  icon: m.icon,
                  label: t(m.label),
                })),
              },
            ]
          : []),
        ...(volunteerModules.length
          ? [
              {
                type: 'group' as const,
                label: t({ zh: '志愿服务', en: 'Volunteering' }),
                children: volunteerModules.map((m) => ({
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
                {wide && !cityLevel && officeRoles && user.regionName
                  ? ` · ${user.regionName}${t({ zh: '创建办', en: ' office' })}`
                  : wide && user.unitName
                    ? ` · ${user.unitName}`
                    : ''}
              </Button>
            </Dropdown>
          </div>
        </Layout.Header>
        <Layout.Content style={{ margin: wide ? 16 : 8 }}>
          <Suspense fallback={<Spin style={{ display: 'block', margin: '48px auto' }} />}>
            <Routes>
              {hasDashboard && (
                <Route
                  path="/dashboard"
                  element={unitDashboard ? <UnitDashboardPage /> : <DashboardPage />}
                />
              )}
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
              {can(Permission.RankingRead) && <Route path="/rankings" element={<RankingsPage />} />}
              {can(Permission.RankingRead) && (
                <Route path="/bulletins" element={<BulletinsPage />} />
              )}
              {can(Permission.ProblemRead) && (
                <Route path="/escalation-orders" element={<EscalationOrdersPage />} />
              )}
              {can(Permission.ProblemRead) && <Route path="/calendar" element={<CalendarPage />} />}
              {can(Permission.IntegrationManage) && (
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
              {can(Permission.AssignmentRead) && (
                <Route path="/working-groups" element={<WorkingGroupsPage />} />
              )}
              {can(Permission.AssignmentRead) && (
                <Route path="/my-assignments" element={<MyAssignmentsPage />} />
              )}
              {can(Permission.AssignmentRead) && (
                <Route path="/evidence" element={<EvidencePage />} />
              )}
              {can(Permission.AssignmentRead) && (
                <Route path="/indicators" element={<IndicatorsPage />} />
              )}
              {can(Permission.AssignmentRead) && <Route path="/pledge" element={<PledgePage />} />}
              {can(Permission.UnitRead) && <Route path="/units" element={<UnitsPage />} />}
              {can(Permission.UnitRead) && <Route path="/parties" element={<PartiesPage />} />}
              {can(Permission.UnitRead) && (
                <Route path="/frontage-duties" element={<FrontageDutiesPage />} />
              )}
              {can(Permission.UnitRead) && <Route path="/outreach" element={<OutreachPage />} />}
              {can(Permission.GridRead) && <Route path="/grids" element={<GridsPage />} />}
              {can(Permission.GridRead) && <Route path="/patrols" element={<PatrolsPage />} />}
              {can(Permission.GridRead) && <Route path="/patrols/:id" element={<PatrolsPage />} />}
              {can(Permission.PatrolWalk) && <Route path="/patrol" element={<PatrolPhonePage />} />}
              {can(Permission.ProblemRead) && <Route path="/rounds" element={<RoundsPage />} />}
              {can(Permission.InspectionManage) && (
                <Route path="/rounds/:id/report" element={<RoundReportPage />} />
              )}
              {can(Permission.ProblemReport) && <Route path="/inspect" element={<InspectPage />} />}
              {can(Permission.SimulationRead) && (
                <Route path="/simulations" element={<SimulationsPage />} />
              )}
              {can(Permission.InspectionManage) && (
                <Route path="/points" element={<PointsPage />} />
              )}
              {can(Permission.InspectionManage) && cityLevel && (
                <Route path="/point-types" element={<PointTypesPage />} />
              )}
              {can(Permission.UserRead) && <Route path="/users" element={<UsersPage />} />}
              {can(Permission.RegionRead) && <Route path="/regions" element={<RegionsPage />} />}
              {can(Permission.AuditRead) && <Route path="/audit" element={<AuditPage />} />}
              {can(Permission.SurveyCollect) && (
                <Route path="/survey-app" element={<SurveyGuidePage />} />
              )}
              {can(Permission.SurveyRead) && (
                <Route path="/survey-results" element={<SurveyResultsPage />} />
              )}
              {can(Permission.ScoreRead) && <Route path="/score" element={<ScorePage />} />}
              {can(Permission.ScoreRead) && (
                <Route path="/mock-evaluation" element={<MockEvaluationPage />} />
              )}
              {can(Permission.SurveyRead) && (
                <Route path="/survey-quotas" element={<SurveyQuotaBoardPage />} />
              )}
              {can(Permission.SurveyWrite) && (
                <Route path="/surveys" element={<SurveyDesignerPage />} />
              )}
              {volunteerModules.map((m) => (
                <Route
                  key={m.key}
                  path={m.key}
                  element={
                    m.key === '/volunteers' ? (
                      <VolunteersPage />
                    ) : m.key === '/volunteer-stats' ? (
                      <VolunteerStatsPage />
                    ) : (
                      <VolunteerActivitiesPage />
                    )
                  }
                />
              ))}
              {volunteerModules.length > 0 && (
                <Route path="/volunteer-activities/:id" element={<VolunteerActivityDetailPage />} />
              )}
              {can(Permission.VolunteerServe) && (
                <Route path="/volunteer-checkin/:id" element={<VolunteerCheckinPage />} />
              )}
              <Route path="*" element={<Navigate to={first} replace />} />
            </Routes>
          </Suspense>
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
