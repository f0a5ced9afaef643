import {
  AimOutlined,
  PictureOutlined,
  AlertOutlined,
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  BarChartOutlined,
  BorderOutlined,
  CalendarOutlined,
  CameraOutlined,
  CheckSquareOutlined,
  CloudUploadOutlined,
  ClusterOutlined,
  CompassOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  ExperimentOutlined,
  FileSearchOutlined,
  FlagOutlined,
  FolderOpenOutlined,
  FormOutlined,
  FundOutlined,
  GroupOutlined,
  HeartOutlined,
  HomeOutlined,
  LikeOutlined,
  LineChartOutlined,
  MessageOutlined,
  MobileOutlined,
  NodeIndexOutlined,
  NotificationOutlined,
  PhoneOutlined,
  PieChartOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  ScanOutlined,
  ScheduleOutlined,
  SendOutlined,
  ShopOutlined,
  StarOutlined,
  TableOutlined,
  TeamOutlined,
  TrophyOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import {
  lazy,
  useEffect,
  type ComponentType,
  type LazyExoticComponent,
  type ReactNode,
} from 'react';
import { generatePath, useLocation, useParams } from 'react-router';
import type { TSessionUser } from '../../core/contracts/auth.js';
import { Permission, type TRole } from '../../core/permissions.js';
import { FIELD_ROLES } from '../shared/field-roles.js';
import { L } from '../shared/i18n.js';
import { isCityLevel } from './auth.js';

/**
 * The admin's pages, one table: each route's path, who may open it, its page (a chunk of its own,
 * loaded when first opened) and, for those in the menu, its place there. AdminApp builds both the
 * `<Routes>` and the sidebar menu from it, so a menu item and its route cannot disagree: an item
 * shows only to a user its route admits (`allow`), and `menu.shownTo` narrows that further for
 * pages a role may open but does not work on (a unit's own pages, the phone pages).
 */

/** The signed-in user as the table's rules see them. */
export interface Access {
  user: TSessionUser;
  can: (permission: Permission) => boolean;
  /** Office and leader roles held at the city (see AuthState.cityLevel). */
  cityLevel: boolean;
}

export function accessOf(user: TSessionUser): Access {
  return {
    user,
    can: (p) => user.permissions.includes(p),
    cityLevel: isCityLevel(user),
  };
}

/** Who may open a route: a permission, or a rule over the user (permissions, roles, unit, level). */
export type Allow = Permission | ((a: Access) => boolean);

/** The menu's groups, in the menu's order; `top` sits above the groups, without a heading. */
export const MENU_GROUPS = [
  { key: 'top', label: null },
  { key: 'problems', label: { zh: '问题管理', en: 'Problems' } },
  { key: 'frameworks', label: L.framework.framework },
  { key: 'surveys', label: L.surveys.surveyMethod },
  { key: 'results', label: { zh: '测评结果', en: 'Results' } },
  { key: 'cells', label: L.cells.cells },
  { key: 'volunteering', label: L.volunteers.volunteerService },
  { key: 'organisation', label: { zh: '组织机构', en: 'Organisation' } },
] as const satisfies readonly { key: string; label: L | null }[];
export type MenuGroup = (typeof MENU_GROUPS)[number]['key'];

/**
 * Where a user lands (on / or a path they may not open): the first menu item of the first of these
 * groups that has one — the dashboard, else the ledger, the survey app, the rankings, …
 */
const LANDING_GROUPS: readonly MenuGroup[] = [
  'top',
  'problems',
  'surveys',
  'results',
  'organisation',
  'volunteering',
];
/** Where a user with no menu item in those groups lands. */
const LAST_RESORT = '/units';

export interface MenuEntry {
  group: MenuGroup;
  label: L;
  icon: ReactNode;
  /** Narrows who sees the item (the route stays open to everyone `allow` admits). */
  shownTo?: (a: Access) => boolean;
}

export interface AdminRoute {
  path: string;
  allow: Allow;
  page: LazyExoticComponent<ComponentType>;
  /** A document of its own (the printable bulletin): no menu, no header. */
  bare?: true;
  menu?: MenuEntry;
}

const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));

/**
 * A field flow that lives in the phone app (web/mobile, under /m/): opening its old desktop path
 * (from the menu, a link, a page) loads the phone app at `target`, a phone path whose `:params`
 * are the route's own, with the query string kept (a check-in's `?t=`). The server redirects the
 * same old addresses (PHONE_PAGES_MOVED in server/app.ts).
 */
function phoneApp(target: `/m/${string}`) {
  function ToPhoneApp() {
    const params = useParams();
    const { search } = useLocation();
    const to = generatePath(target, params) + search;
    useEffect(() => window.location.replace(to), [to]);
    return null;
  }
  return lazy(() => Promise.resolve({ default: ToPhoneApp }));
}

// ----- the rules -----

const any =
  (...perms: Permission[]) =>
  (a: Access) =>
    perms.some((p) => a.can(p));
const hasRole = (a: Access, roles: readonly TRole[]) => a.user.roles.some((r) => roles.includes(r));
/** The office, admins and leaders: the whole campaign (or their subtree's) is their work. */
const campaignWide = (a: Access) => hasRole(a, ['admin', 'office', 'leader']);
/** A unit's own pages (本单位看板, 我的任务, 目标责任书): the unit role, with its unit. */
const ownUnit = (a: Access) => a.user.roles.includes('unit') && a.user.unitId !== null;
/**
 * The phone pages (巡查, 实地检查, 入户调查, 签到) are in the menu of field roles only: the office
 * opens them by link (and for testing), it does not work in them.
 */
const fieldRole = (a: Access) => hasRole(a, FIELD_ROLES);
const volunteering = any(Permission.VolunteerRead, Permission.VolunteerServe);

export const ROUTES: readonly AdminRoute[] = [
  // ----- 看板: the campaign's for the office, admins and leaders; a unit's own for a unit -----
  {
    path: '/dashboard',
    allow: (a) => a.can(Permission.ProblemRead) && campaignWide(a),
    page: page(() => import('./results/DashboardPage.js'), 'DashboardPage'),
    menu: { group: 'top', label: { zh: '工作看板', en: 'Dashboard' }, icon: <DashboardOutlined /> },
  },
  {
    path: '/dashboard',
    allow: (a) => a.can(Permission.ProblemRead) && !campaignWide(a) && ownUnit(a),
    page: page(() => import('./results/UnitDashboardPage.js'), 'UnitDashboardPage'),
    menu: {
      group: 'top',
      label: { zh: '本单位看板', en: 'Our dashboard' },
      icon: <DashboardOutlined />,
    },
  },

  // ----- 问题管理 -----
  {
    path: '/problems',
    allow: Permission.ProblemRead,
    page: page(() => import('./problems/ProblemsPage.js'), 'ProblemsPage'),
    menu: {
      group: 'problems',
      label: L.problems.ledger,
      icon: <AlertOutlined />,
    },
  },
  {
    path: '/problems/:id',
    allow: Permission.ProblemRead,
    page: page(() => import('./problems/ProblemDetailPage.js'), 'ProblemDetailPage'),
  },
  {
    path: '/verification',
    allow: Permission.ProblemVerify,
    page: page(() => import('./problems/VerificationQueuePage.js'), 'VerificationQueuePage'),
    menu: {
      group: 'problems',
      label: { zh: '核查队列', en: 'Verification queue' },
      icon: <FileSearchOutlined />,
    },
  },
  {
    path: '/escalation-orders',
    allow: Permission.ProblemRead,
    page: page(() => import('./problems/EscalationOrdersPage.js'), 'EscalationOrdersPage'),
    menu: {
      group: 'problems',
      label: { zh: '督办单', en: 'Escalation orders' },
      icon: <FlagOutlined />,
    },
  },
  {
    path: '/calendar',
    allow: Permission.ProblemRead,
    page: page(() => import('./problems/CalendarPage.js'), 'CalendarPage'),
    menu: {
      group: 'problems',
      label: { zh: '节假日', en: 'Holidays' },
      icon: <CalendarOutlined />,
    },
  },
  {
    path: '/problem-kpis',
    allow: Permission.ProblemRead,
    page: page(() => import('./problems/ProblemKpisPage.js'), 'ProblemKpisPage'),
    menu: { group: 'problems', label: { zh: '办理统计', en: 'KPIs' }, icon: <BarChartOutlined /> },
  },
  {
    path: '/open311',
    allow: Permission.IntegrationManage,
    page: page(() => import('./problems/Open311ClientsPage.js'), 'Open311ClientsPage'),
    menu: {
      group: 'problems',
      label: { zh: 'Open311 接入', en: 'Open311 clients' },
      icon: <ApiOutlined />,
    },
  },
  {
    path: '/sms-log',
    allow: Permission.IntegrationManage,
    page: page(() => import('./problems/SmsLogPage.js'), 'SmsLogPage'),
    menu: {
      group: 'problems',
      label: { zh: '短信发送记录', en: 'SMS log' },
      icon: <MessageOutlined />,
    },
  },
  {
    path: '/pushback',
    allow: Permission.IntegrationManage,
    page: page(() => import('./problems/PushbackPage.js'), 'PushbackPage'),
    menu: {
      group: 'problems',
      label: { zh: '结果回传', en: 'Result push-back' },
      icon: <SendOutlined />,
    },
  },

  // ----- 测评体系: campaigns and their frameworks, tasks, rounds, points -----
  {
    path: '/frameworks',
    allow: Permission.FrameworkRead,
    page: page(() => import('./framework/FrameworksPage.js'), 'FrameworksPage'),
    menu: {
      group: 'frameworks',
      label: { zh: '体系编辑', en: 'Framework editor' },
      icon: <ProfileOutlined />,
    },
  },
  {
    path: '/assignments',
    allow: Permission.AssignmentRead,
    page: page(() => import('./assignments/AssignmentsPage.js'), 'AssignmentsPage'),
    menu: {
      group: 'frameworks',
      label: L.org.assignment,
      icon: <TableOutlined />,
    },
  },
  {
    path: '/working-groups',
    allow: Permission.AssignmentRead,
    page: page(() => import('./assignments/WorkingGroupsPage.js'), 'WorkingGroupsPage'),
    menu: {
      group: 'frameworks',
      label: { zh: '工作组', en: 'Working groups' },
      icon: <TeamOutlined />,
    },
  },
  {
    path: '/my-assignments',
    allow: Permission.AssignmentRead,
    page: page(() => import('./assignments/MyAssignmentsPage.js'), 'MyAssignmentsPage'),
    menu: {
      group: 'frameworks',
      label: L.org.myAssignments,
      icon: <CheckSquareOutlined />,
      shownTo: ownUnit,
    },
  },
  {
    path: '/evidence',
    allow: Permission.AssignmentRead,
    page: page(() => import('./assignments/EvidencePage.js'), 'EvidencePage'),
    menu: {
      group: 'frameworks',
      label: L.framework.archive,
      icon: <FolderOpenOutlined />,
    },
  },
  {
    // 网上申报 is the city's filing: the office, leaders and admins at the city (a unit or a
    // district office works on its dossiers in 档案资料).
    path: '/filing',
    allow: (a) => a.can(Permission.AssignmentRead) && a.cityLevel && campaignWide(a),
    page: page(() => import('./filing/FilingPage.js'), 'FilingPage'),
    menu: {
      group: 'frameworks',
      label: { zh: '网上申报', en: 'Online filing' },
      icon: <CloudUploadOutlined />,
    },
  },
  {
    path: '/indicators',
    allow: Permission.AssignmentRead,
    page: page(() => import('./assignments/IndicatorsPage.js'), 'IndicatorsPage'),
    menu: {
      group: 'frameworks',
      label: { zh: '硬性指标', en: 'Indicators' },
      icon: <DashboardOutlined />,
    },
  },
  {
    // The office opens any unit's from the unit's page (?unitId=); the menu's is one's own.
    path: '/pledge',
    allow: Permission.AssignmentRead,
    page: page(() => import('./assignments/PledgePage.js'), 'PledgePage'),
    menu: {
      group: 'frameworks',
      label: L.org.pledge,
      icon: <FileSearchOutlined />,
      shownTo: ownUnit,
    },
  },
  {
    path: '/campaigns',
    allow: Permission.FrameworkRead,
    page: page(() => import('./framework/CampaignsPage.js'), 'CampaignsPage'),
    menu: {
      group: 'frameworks',
      label: L.framework.campaign,
      icon: <ScheduleOutlined />,
    },
  },
  {
    path: '/rounds',
    allow: Permission.ProblemRead,
    page: page(() => import('./rounds/RoundsPage.js'), 'RoundsPage'),
    menu: { group: 'frameworks', label: L.points.round, icon: <AimOutlined /> },
  },
  {
    path: '/rounds/:id/report',
    allow: Permission.InspectionManage,
    page: page(() => import('./rounds/RoundReportPage.js'), 'RoundReportPage'),
  },
  {
    path: '/inspect',
    allow: Permission.ProblemReport,
    page: phoneApp('/m/inspect'),
    menu: {
      group: 'frameworks',
      label: L.points.fieldInspection,
      icon: <CameraOutlined />,
      shownTo: fieldRole,
    },
  },
  {
    path: '/simulations',
    allow: Permission.SimulationRead,
    page: page(() => import('./rounds/SimulationsPage.js'), 'SimulationsPage'),
    menu: {
      group: 'frameworks',
      label: { zh: '模拟验证', en: 'Simulation checks' },
      icon: <PhoneOutlined />,
    },
  },
  {
    path: '/points',
    allow: Permission.InspectionManage,
    page: page(() => import('./points/PointsPage.js'), 'PointsPage'),
    menu: {
      group: 'frameworks',
      label: { zh: '点位管理', en: 'Points' },
      icon: <EnvironmentOutlined />,
    },
  },
  {
    // The catalogue is the city's.
    path: '/point-types',
    allow: (a) => a.can(Permission.InspectionManage) && a.cityLevel,
    page: page(() => import('./points/PointTypesPage.js'), 'PointTypesPage'),
    menu: {
      group: 'frameworks',
      label: L.points.pointType,
      icon: <UnorderedListOutlined />,
    },
  },

  // ----- 问卷调查: the guide's flow (in the phone app), results, quotas, design -----
  {
    path: '/survey-app',
    allow: Permission.SurveyCollect,
    page: phoneApp('/m/survey'),
    menu: {
      group: 'surveys',
      label: L.surveys.householdSurvey,
      icon: <MobileOutlined />,
      shownTo: fieldRole,
    },
  },
  {
    path: '/survey-results',
    allow: Permission.SurveyRead,
    page: page(() => import('./surveys/SurveyResultsPage.js'), 'SurveyResultsPage'),
    menu: {
      group: 'surveys',
      label: { zh: '调查结果', en: 'Survey results' },
      icon: <PieChartOutlined />,
    },
  },
  {
    path: '/survey-quotas',
    allow: Permission.SurveyRead,
    page: page(() => import('./surveys/SurveyQuotaBoardPage.js'), 'SurveyQuotaBoardPage'),
    menu: {
      group: 'surveys',
      label: { zh: '配额看板', en: 'Quota board' },
      icon: <FundOutlined />,
    },
  },
  {
    path: '/surveys',
    allow: Permission.SurveyWrite,
    page: page(() => import('./surveys/SurveyDesignerPage.js'), 'SurveyDesignerPage'),
    menu: {
      group: 'surveys',
      label: { zh: '问卷设计', en: 'Questionnaires' },
      icon: <FormOutlined />,
    },
  },

  // ----- 测评结果: rankings and 通报 (a unit its own standing), the score pages (office, leaders) -----
  {
    path: '/rankings',
    allow: Permission.RankingRead,
    page: page(() => import('./rankings/RankingsPage.js'), 'RankingsPage'),
    menu: {
      group: 'results',
      label: L.results.unitRanking,
      icon: <TrophyOutlined />,
    },
  },
  {
    path: '/bulletins',
    allow: Permission.RankingRead,
    page: page(() => import('./rankings/BulletinsPage.js'), 'BulletinsPage'),
    menu: {
      group: 'results',
      label: L.results.bulletin,
      icon: <NotificationOutlined />,
    },
  },
  {
    path: '/bulletins/:id/print',
    allow: Permission.RankingRead,
    page: page(() => import('./rankings/BulletinPrintPage.js'), 'BulletinPrintPage'),
    bare: true,
  },
  {
    path: '/score',
    allow: Permission.ScoreRead,
    page: page(() => import('./results/ScorePage.js'), 'ScorePage'),
    menu: {
      group: 'results',
      label: { zh: '测评得分预估', en: 'Projected score' },
      icon: <LineChartOutlined />,
    },
  },
  {
    path: '/mock-evaluation',
    allow: Permission.ScoreRead,
    page: page(() => import('./results/MockEvaluationPage.js'), 'MockEvaluationPage'),
    menu: {
      group: 'results',
      label: { zh: '模拟测评推演', en: 'Mock evaluation' },
      icon: <ExperimentOutlined />,
    },
  },

  // ----- 公益广告阵地: carriers, coverage per point, 换版 (adcarrier.read; writes adcarrier.write) -----
  {
    path: '/ad-carriers',
    allow: Permission.AdCarrierRead,
    page: page(() => import('./carriers/CarriersPage.js'), 'CarriersPage'),
    menu: {
      group: 'frameworks',
      label: L.carriers.carriers,
      icon: <PictureOutlined />,
    },
  },
  // ----- 文明细胞: the registry of title holders (read with unit.read, written with unit.write) -----
  {
    path: '/honours',
    allow: Permission.UnitRead,
    page: page(() => import('./cells/HonoursPage.js'), 'HonoursPage'),
    menu: {
      group: 'cells',
      label: L.cells.honoursRegistry,
      icon: <SafetyCertificateOutlined />,
    },
  },
  // ----- 文明细胞申报: calls, applications and their assessment, the certificate -----
  {
    path: '/cell-calls',
    allow: (a) => a.can(Permission.UnitRead) && campaignWide(a),
    page: page(() => import('./cells/CellCallsPage.js'), 'CellCallsPage'),
    menu: {
      group: 'cells',
      label: L.cells.awardCalls,
      icon: <TrophyOutlined />,
    },
  },
  {
    path: '/cell-calls/:id',
    allow: (a) => a.can(Permission.UnitRead) && campaignWide(a),
    page: page(() => import('./cells/CellCallPage.js'), 'CellCallPage'),
  },
  {
    path: '/cell-applications/:id',
    allow: (a) => a.can(Permission.UnitRead) && campaignWide(a),
    page: page(() => import('./cells/CellApplicationPage.js'), 'CellApplicationPage'),
  },
  {
    path: '/cell-applications/:id/certificate',
    allow: (a) => a.can(Permission.UnitRead) && campaignWide(a),
    page: page(() => import('./cells/CellCertificatePage.js'), 'CellCertificatePage'),
    bare: true,
  },
  {
    path: '/cell-checks',
    allow: Permission.UnitRead,
    page: page(() => import('./cells/CellChecksPage.js'), 'CellChecksPage'),
    menu: {
      group: 'cells',
      label: L.cells.dynamicManagement,
      icon: <CheckSquareOutlined />,
      shownTo: campaignWide,
    },
  },
  {
    path: '/cell-reviews',
    allow: Permission.UnitRead,
    page: page(() => import('./cells/CellReviewPage.js'), 'CellReviewPage'),
    menu: {
      group: 'cells',
      label: L.cells.yearlyReview,
      icon: <AuditOutlined />,
      shownTo: campaignWide,
    },
  },
  {
    path: '/cell-reviews/:id',
    allow: Permission.UnitRead,
    page: page(() => import('./cells/CellReviewPage.js'), 'CellReviewPage'),
  },
  {
    path: '/cell-reviews/:id/bulletin',
    allow: Permission.UnitRead,
    page: page(() => import('./cells/CellReviewBulletinPage.js'), 'CellReviewBulletinPage'),
    bare: true,
  },
  {
    path: '/star-households',
    allow: Permission.StarRead,
    page: page(() => import('./cells/StarHouseholdsPage.js'), 'StarHouseholdsPage'),
    menu: {
      group: 'cells',
      label: { zh: '十星级文明户', en: 'Star households' },
      icon: <StarOutlined />,
      // Grid workers propose on the phone (/m/stars); the office, leaders and admins work here.
      shownTo: campaignWide,
    },
  },
  // ----- 身边好人 -----
  {
    // Units, community staff and offices nominate; the offices review (web/admin/cells).
    path: '/cell-good-people',
    allow: (a) => a.can(Permission.GoodPersonNominate) || a.can(Permission.GoodPersonReview),
    page: page(() => import('./cells/GoodPeoplePage.js'), 'GoodPeoplePage'),
    menu: {
      group: 'cells',
      label: L.cells.goodPeople,
      icon: <LikeOutlined />,
    },
  },

  // ----- 志愿服务: activities (volunteers sign up there), the registry and stations, statistics -----
  {
    path: '/volunteer-activities',
    allow: volunteering,
    page: page(() => import('./volunteers/VolunteerActivitiesPage.js'), 'VolunteerActivitiesPage'),
    menu: {
      group: 'volunteering',
      label: L.volunteers.activity,
      icon: <ScanOutlined />,
    },
  },
  {
    path: '/volunteer-activities/:id',
    allow: volunteering,
    page: page(
      () => import('./volunteers/VolunteerActivityDetailPage.js'),
      'VolunteerActivityDetailPage',
    ),
  },
  {
    // The check-in QR codes made before the move: the phone app's check-in, the token kept.
    path: '/volunteer-checkin/:id',
    allow: Permission.VolunteerServe,
    page: phoneApp('/m/checkin/:id'),
  },
  {
    path: '/volunteers',
    allow: Permission.VolunteerRead,
    page: page(() => import('./volunteers/VolunteersPage.js'), 'VolunteersPage'),
    menu: {
      group: 'volunteering',
      label: { zh: '志愿者与阵地', en: 'Volunteers' },
      icon: <HeartOutlined />,
    },
  },
  {
    // Whole-registry aggregates: the office, admins and leaders.
    path: '/volunteer-stats',
    allow: (a) => a.can(Permission.VolunteerRead) && campaignWide(a),
    page: page(() => import('./volunteers/VolunteerStatsPage.js'), 'VolunteerStatsPage'),
    menu: {
      group: 'volunteering',
      label: { zh: '志愿服务统计', en: 'Volunteer statistics' },
      icon: <FundOutlined />,
    },
  },
  {
    // 文明积分: accounts, rules, shops, redemptions, ranking (the city office and leaders; not
    // /credits, which is the residents' public page).
    path: '/credit-accounts',
    allow: Permission.CreditRead,
    page: page(() => import('./credits/CreditsAdminPage.js'), 'CreditsAdminPage'),
    menu: {
      group: 'volunteering',
      label: { zh: '文明积分', en: 'Civility points' },
      icon: <TrophyOutlined />,
    },
  },

  // ----- 点单派单: the stations' orders, menus and record (the office; leaders read) -----
  {
    path: '/service-orders',
    allow: Permission.ServiceOrderRead,
    page: page(() => import('./volunteers/ServiceOrdersPage.js'), 'ServiceOrdersPage'),
    menu: {
      group: 'volunteering',
      label: { zh: '点单派单', en: 'Service orders' },
      icon: <ShopOutlined />,
    },
  },
  {
    path: '/service-menu',
    allow: Permission.ServiceOrderRead,
    page: page(() => import('./volunteers/ServiceMenuPage.js'), 'ServiceMenuPage'),
    menu: {
      group: 'volunteering',
      label: { zh: '服务菜单', en: 'Service menus' },
      icon: <ProfileOutlined />,
    },
  },
  {
    path: '/service-records',
    allow: Permission.ServiceOrderRead,
    page: page(() => import('./volunteers/ServiceRecordsPage.js'), 'ServiceRecordsPage'),
    menu: {
      group: 'volunteering',
      label: { zh: '站点点单记录', en: 'Stations’ service record' },
      icon: <LineChartOutlined />,
    },
  },

  // ----- 组织机构 -----
  {
    path: '/units',
    allow: Permission.UnitRead,
    page: page(() => import('./org/UnitsPage.js'), 'UnitsPage'),
    menu: {
      group: 'organisation',
      label: { zh: '单位管理', en: 'Units' },
      icon: <ApartmentOutlined />,
    },
  },
  {
    path: '/parties',
    allow: Permission.UnitRead,
    page: page(() => import('./assignments/PartiesPage.js'), 'PartiesPage'),
    menu: {
      group: 'organisation',
      label: { zh: '集体责任方', en: 'Collective parties' },
      icon: <GroupOutlined />,
    },
  },
  {
    path: '/users',
    allow: Permission.UserRead,
    page: page(() => import('./org/UsersPage.js'), 'UsersPage'),
    menu: { group: 'organisation', label: { zh: '用户管理', en: 'Users' }, icon: <TeamOutlined /> },
  },
  {
    path: '/regions',
    allow: Permission.RegionRead,
    page: page(() => import('./org/RegionsPage.js'), 'RegionsPage'),
    menu: {
      group: 'organisation',
      label: L.org.region,
      icon: <ClusterOutlined />,
    },
  },
  {
    path: '/grids',
    allow: Permission.GridRead,
    page: page(() => import('./grids/GridsPage.js'), 'GridsPage'),
    menu: {
      group: 'organisation',
      label: { zh: '网格管理', en: 'Grids' },
      icon: <BorderOutlined />,
    },
  },
  {
    path: '/patrols',
    allow: Permission.GridRead,
    page: page(() => import('./grids/PatrolsPage.js'), 'PatrolsPage'),
    menu: {
      group: 'organisation',
      label: L.grids.patrolRecords,
      icon: <NodeIndexOutlined />,
    },
  },
  {
    path: '/patrols/:id',
    allow: Permission.GridRead,
    page: page(() => import('./grids/PatrolsPage.js'), 'PatrolsPage'),
  },
  {
    path: '/patrol',
    allow: Permission.PatrolWalk,
    page: phoneApp('/m/patrol'),
    menu: {
      group: 'organisation',
      label: L.grids.gridPatrol,
      icon: <CompassOutlined />,
      shownTo: fieldRole,
    },
  },
  {
    path: '/frontage-duties',
    allow: Permission.UnitRead,
    page: page(() => import('./grids/FrontageDutiesPage.js'), 'FrontageDutiesPage'),
    menu: {
      group: 'organisation',
      label: L.org.frontageDuty,
      icon: <ShopOutlined />,
    },
  },
  {
    path: '/outreach',
    allow: Permission.UnitRead,
    page: page(() => import('./grids/OutreachPage.js'), 'OutreachPage'),
    menu: {
      group: 'organisation',
      label: { zh: '入户包联', en: 'Household outreach' },
      icon: <HomeOutlined />,
    },
  },
  {
    path: '/audit',
    allow: Permission.AuditRead,
    page: page(() => import('./org/AuditPage.js'), 'AuditPage'),
    menu: {
      group: 'organisation',
      label: { zh: '审计日志', en: 'Audit log' },
      icon: <AuditOutlined />,
    },
  },
];

/** Whether the user may open the route. */
export function allows(route: AdminRoute, a: Access): boolean {
  return typeof route.allow === 'function' ? route.allow(a) : a.can(route.allow);
}

/** The routes the user may open (at most one per path: a path's rules exclude each other). */
export function routesFor(a: Access): AdminRoute[] {
  return ROUTES.filter((r) => allows(r, a));
}

export interface MenuItem {
  path: string;
  label: L;
  icon: ReactNode;
}

/** The user's menu: its groups in order, each with its items, empty groups left out. */
export function menuFor(a: Access): { group: MenuGroup; label: L | null; items: MenuItem[] }[] {
  const shown = routesFor(a).filter((r) => r.menu && (r.menu.shownTo?.(a) ?? true));
  return MENU_GROUPS.map((g) => ({
    group: g.key,
    label: g.label,
    items: shown
      .filter((r) => r.menu!.group === g.key)
      .map((r) => ({ path: r.path, label: r.menu!.label, icon: r.menu!.icon })),
  })).filter((g) => g.items.length > 0);
}

/** Where the user lands: see LANDING_GROUPS. */
export function landingFor(a: Access): string {
  const menu = menuFor(a);
  for (const key of LANDING_GROUPS) {
    const first = menu.find((g) => g.group === key)?.items[0];
    if (first) return first.path;
  }
  return LAST_RESORT;
}
