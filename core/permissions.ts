/**
 * Roles and permissions. A permission is `<Entity><Action>`; a role is a set of permissions.
 * Scope (which rows a user may see) is decided separately by `scopeOf` — a permission says
 * "may do this kind of thing", the scope says "to which records".
 */

export const ROLES = [
  'admin',
  'office',
  'leader',
  'unit',
  'inspector',
  'grid_worker',
  'surveyor',
  'volunteer',
  'shop',
] as const;
export type TRole = (typeof ROLES)[number];

export const ROLE_LABELS: Record<TRole, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  office: { zh: '创建办', en: 'Campaign office' },
  leader: { zh: '领导', en: 'Leader' },
  unit: { zh: '责任单位', en: 'Responsible unit' },
  inspector: { zh: '测评员', en: 'Inspector' },
  grid_worker: { zh: '网格员', en: 'Grid worker' },
  surveyor: { zh: '调查员', en: 'Surveyor' },
  volunteer: { zh: '志愿者', en: 'Volunteer' },
  shop: { zh: '商户店员', en: 'Shop staff' },
};

export enum Permission {
  RegionRead = 'region.read',
  RegionWrite = 'region.write',
  UnitRead = 'unit.read',
  UnitWrite = 'unit.write',
  UnitImport = 'unit.import',
  UserRead = 'user.read',
  UserWrite = 'user.write',
  UserImport = 'user.import',
  /** Grant or revoke the admin role; only administrators hold it. */
  UserGrantAdmin = 'user.grant_admin',
  AuditRead = 'audit.read',
  ProblemRead = 'problem.read',
  /** Report a problem (intake). */
  ProblemReport = 'problem.report',
  /** The office's part of the loop: register, reject, dispatch, extensions, defer, reopen. */
  ProblemManage = 'problem.manage',
  /** The unit's part: submit the rectification, return, ask for more time. */
  ProblemRectify = 'problem.rectify',
  /** Check a rectification on site (回头看) and close it or send it back. */
  ProblemVerify = 'problem.verify',
  /** 点位 and 测评轮次: point types, points, declarations, rounds and their draws (the office). */
  InspectionManage = 'inspection.manage',
  /** 曝光台: publish a problem to the public board, in the office's wording (the city office). */
  ExposureManage = 'exposure.manage',
  /** Outside channels: Open311 clients and their keys, 12345 work-order imports (the city office). */
  IntegrationManage = 'integration.manage',
  CalendarWrite = 'calendar.write',
  /** Campaigns and their frameworks (测评体系): everyone signed in reads them. */
  FrameworkRead = 'framework.read',
  /** Campaign settings, framework content, versions, import: the office. */
  FrameworkWrite = 'framework.write',
  /** 任务分解: the office and leaders see all; a unit sees the standards it works on. */
  AssignmentRead = 'assignment.read',
  AssignmentWrite = 'assignment.write',
  /** Grids (网格), their people and statistics. */
  GridRead = 'grid.read',
  /** Draw, import and edit grids and name their people: the office. */
  GridWrite = 'grid.write',
  /** Walk a patrol (巡查) and report on the way: grid workers. */
  PatrolWalk = 'patrol.walk',
  /** 问卷调查: results, quota board (office, leaders). */
  SurveyRead = 'survey.read',
  /** Design questionnaires, plan rounds and quotas (the city office). */
  SurveyWrite = 'survey.write',
  /** Assign guides (调查员) to quotas: the office; below the city, its own guides to its quotas. */
  SurveyAssign = 'survey.assign',
  /** Fill in responses as a survey guide (民意调查引导员); sees only their own. */
  SurveyCollect = 'survey.collect',
  /** 志愿服务: the registry, activities and statistics (phones masked except to the office). */
  VolunteerRead = 'volunteer.read',
  /** The registry, teams, places, activities and hour corrections: the office. */
  VolunteerWrite = 'volunteer.write',
  /** A volunteer's own part: sign up, check in and out, see one's own hours. */
  VolunteerServe = 'volunteer.serve',
  /**
   * 实名与全国志愿服务信息系统: reveal a volunteer's 身份证号 in full, export the registry,
   * activities and hours in the national system's layout (the one place ID numbers leave
   * decrypted), import the hours recorded there, and edit that layout — every use audited. The city
   * office and administrators only: below the city an office registers ID numbers (shown masked)
   * but does not read them back.
   */
  VolunteerRealname = 'volunteer.realname',
  /** 测评得分预估 and 模拟测评推演 (office, leaders; read-only computations). */
  ScoreRead = 'score.read',
  /** 单位排名 and 通报: the office and leaders all; a unit its own standing (published only). */
  RankingRead = 'ranking.read',
  /** Ranking rules, snapshots, publishing, bulletins: the office. */
  RankingWrite = 'ranking.write',
  /**
   * 实景模拟验证: targets and checks, by the target's unit (org/unit-scope.repo.ts): the city's
   * office and leaders and its inspectors all; below the city (an office, a leader, an inspector
   * tied to a district or street) its subtree's units'; a unit its own.
   */
  SimulationRead = 'simulation.read',
  /** Define simulation targets (what to call, the pass criteria): the office. */
  SimulationWrite = 'simulation.write',
  /** Record and correct simulation checks (the calls made): the city office and inspectors. */
  SimulationRecord = 'simulation.record',
  /**
   * 十星级文明户: households and their star ratings — the office and leaders their subtree (the
   * city: all), a grid worker the households of the grids they are a member of.
   */
  StarRead = 'star.read',
  /**
   * Register households and propose their stars: grid workers in their own grids; the office
   * (a community's office = 社区居委会, a street's, a district's) in its subtree.
   */
  StarPropose = 'star.propose',
  /** Approve or return a proposed rating (never one's own proposal): the office, in its subtree. */
  StarReview = 'star.review',
  /**
   * 身边好人: put a person forward for a month's 好人榜 and follow one's own nominations (units,
   * community staff — grid workers — and the offices; citizens use the public form).
   */
  GoodPersonNominate = 'goodperson.nominate',
  /**
   * 身边好人 评议: review the nominations of one's subtree (入围 / 未入围), read their nominators'
   * contacts; at the city also the month's vote, the 好人榜 and the path upward (the office).
   */
  GoodPersonReview = 'goodperson.review',
  /**
   * 公益广告阵地: the carriers registry, its coverage per point and 换版 campaigns (office, leaders,
   * inspectors and grid workers; a district or street office and leader their subtree's).
   */
  AdCarrierRead = 'adcarrier.read',
  /** Add and update carriers (the office, and inspectors and grid workers in the field). */
  AdCarrierWrite = 'adcarrier.write',
  /**
   * 文明积分: accounts, ledgers, shops and their items, redemptions, the month's ranking with names
   * (office and leaders of the city; a credit account is the city's, not a district's).
   */
  CreditRead = 'credit.read',
  /** 积分规则, shops (爱心超市, partner 商户), their items and staff: the city office. */
  CreditManage = 'credit.manage',
  /** Confirm a resident's redemption code at the shop one is staff of (商户店员). */
  CreditRedeem = 'credit.redeem',
  /**
   * 点单派单: the stations' service orders, menus and records (the office and leaders; below the
   * city, the stations placed in their subtree).
   */
  ServiceOrderRead = 'serviceorder.read',
  /** A station's service menu (服务菜单): what it offers and which teams serve it (the office). */
  ServiceMenuWrite = 'servicemenu.write',
  /**
   * 派单: send an order to a team with a deadline, decline it, confirm it for a requester who did
   * not answer; see the requester's contact (the office over the station).
   */
  ServiceOrderDispatch = 'serviceorder.dispatch',
  /** Order a service on a resident's behalf (grid workers on the phone; the office). */
  ServiceOrderRequest = 'serviceorder.request',
  /** 接单: a volunteer of the dispatched team takes an order, checks in on site, marks it done. */
  ServiceOrderTake = 'serviceorder.take',
}

const ALL = Object.values(Permission);

const ROLE_PERMISSIONS: Record<TRole, readonly Permission[]> = {
  admin: ALL,
  office: ALL.filter(
    (p) =>
      p !== Permission.UserGrantAdmin &&
      p !== Permission.AuditRead &&
      p !== Permission.ProblemRectify &&
      // A redemption is confirmed by the shop's own staff, at the shop.
      p !== Permission.CreditRedeem,
  ),
  leader: [
    Permission.RegionRead,
    Permission.UnitRead,
    Permission.UserRead,
    Permission.ProblemRead,
    Permission.FrameworkRead,
    Permission.AssignmentRead,
    Permission.GridRead,
    Permission.SurveyRead,
    Permission.VolunteerRead,
    Permission.ScoreRead,
    Permission.RankingRead,
    Permission.SimulationRead,
    Permission.StarRead,
    Permission.AdCarrierRead,
    Permission.ServiceOrderRead,
    Permission.CreditRead,
  ],
  unit: [
    Permission.RegionRead,
    Permission.UnitRead,
    Permission.UserRead,
    Permission.ProblemRead,
    Permission.ProblemReport,
    Permission.ProblemRectify,
    Permission.FrameworkRead,
    Permission.AssignmentRead,
    Permission.VolunteerRead,
    Permission.RankingRead,
    Permission.SimulationRead,
    Permission.GoodPersonNominate,
  ],
  inspector: [
    Permission.RegionRead,
    Permission.UnitRead,
    Permission.ProblemRead,
    Permission.ProblemReport,
    Permission.ProblemVerify,
    Permission.FrameworkRead,
    Permission.SimulationRead,
    Permission.SimulationRecord,
    Permission.AdCarrierRead,
    Permission.AdCarrierWrite,
  ],
  grid_worker: [
    Permission.RegionRead,
    Permission.UnitRead,
    Permission.ProblemRead,
    Permission.ProblemReport,
    Permission.FrameworkRead,
    Permission.GridRead,
    Permission.PatrolWalk,
    Permission.StarRead,
    Permission.StarPropose,
    Permission.GoodPersonNominate,
    Permission.AdCarrierRead,
    Permission.AdCarrierWrite,
    Permission.ServiceOrderRequest,
  ],
  surveyor: [
    Permission.RegionRead,
    Permission.UnitRead,
    Permission.FrameworkRead,
    Permission.SurveyCollect,
  ],
  volunteer: [Permission.VolunteerServe, Permission.ServiceOrderTake],
  shop: [Permission.CreditRedeem],
};

/**
 * 行政层级 of the place a role is held at. Office and leader roles held at the city (or with no
 * place) cover the whole campaign; held at a district or street they cover its subtree only.
 */
export type RegionLevel = 'city' | 'district' | 'street' | 'community';

/** A user as the permission and scope rules see them: roles and the place they are held at. */
export interface Holder {
  id: number;
  roles: readonly TRole[];
  unitId: number | null;
  regionId: number | null;
  /** The level of `regionId`; unknown (undefined) with a region counts as below the city. */
  regionLevel?: RegionLevel | null;
}

/** The roles that are "an office at a level" (创建办, 领导): city-wide at the city, a subtree below. */
export const PLACED_ROLES: readonly TRole[] = ['office', 'leader'];

/**
 * What an office or leader held at a district or street keeps (区/街道创建办). Only permissions
 * whose every route confines reads and writes to the holder's subtree are here: the problem loop;
 * inspection.manage (its own rounds and points — the point-type catalogue and the declaration stay
 * the city's, `requireCityLevel`); user.write/unit.write (its own people and units, granting only
 * what core/org/grants.ts allows; its 门前三包 and 包联 too — 集体责任方 stay the city's); ranking.read/
 * write (its own level's snapshots and 通报 of its own units; the rules stay the city's);
 * grid.write (the grids of its subtree, its own people as members; the city-wide reassignment
 * stays the city's); volunteer.read/write (the registry, places, teams and activities of its
 * subtree, hours of its own activities; the settings and populations stay the city's);
 * assignment.read (任务分解 and 档案资料 of the assignments a unit of its subtree leads or shares,
 * with their reports, indicators and files — unit-scope.repo.ts; the assignments' writes, dossier
 * review and 集体责任方 stay the city's); simulation.read (实景模拟验证: the targets whose unit is
 * placed in its subtree, their checks and shares — unit-scope.repo.ts; defining targets stays the
 * city office's, recording calls its and the inspectors'). The rest are the city's: city-level
 * settings (frameworks, campaigns, calendars, categories, regions) and the score projection (the
 * assessment scores the city; docs/decisions.md). A district office is refused those (403)
 * rather than given the city's records. See docs/security.md.
 * 问卷调查: survey.read reads the city's surveys and rounds, but the quota board, responses and
 * rates of its subtree's quotas only; survey.assign names its own 调查员 on its subtree's quotas;
 * questionnaires, rounds and quotas (survey.write) stay the city's, and collecting is the guides'.
 * 十星级文明户: star.read/propose/review on the households of its subtree's grids; the list of
 * stars (criteria) stays the city's (`requireCityLevel`).
 * 身边好人: goodperson.nominate and goodperson.review — the nominations placed in its subtree
 * (入围 / 未入围); the month's vote, the 好人榜 and the path upward stay the city's.
 * 公益广告阵地: adcarrier.read/write (the office; the leader reads) over the carriers placed in its
 * subtree, and its own 换版 campaigns; the rules per point type stay the city's (requireCityLevel).
 * 点单派单: serviceorder.read (office and leader), servicemenu.write, serviceorder.dispatch and
 * serviceorder.request (the office) over the stations placed in its subtree and the teams placed
 * there; another level's station, menu or order is 404.
 */
const REGIONAL_PERMISSIONS: Record<'office' | 'leader', readonly Permission[]> = {
  office: [
    Permission.RegionRead,
    Permission.UnitRead,
    Permission.UserRead,
    Permission.ProblemRead,
    Permission.ProblemReport,
    Permission.ProblemManage,
    Permission.ProblemVerify,
    Permission.InspectionManage,
    Permission.FrameworkRead,
    Permission.GridRead,
    Permission.GridWrite,
    Permission.SurveyRead,
    Permission.SurveyAssign,
    Permission.UserWrite,
    Permission.UserImport,
    Permission.UnitWrite,
    Permission.UnitImport,
    Permission.RankingRead,
    Permission.RankingWrite,
    Permission.VolunteerRead,
    Permission.VolunteerWrite,
    Permission.AssignmentRead,
    Permission.SimulationRead,
    Permission.StarRead,
    Permission.StarPropose,
    Permission.StarReview,
    Permission.GoodPersonNominate,
    Permission.GoodPersonReview,
    Permission.AdCarrierRead,
    Permission.AdCarrierWrite,
    Permission.ServiceOrderRead,
    Permission.ServiceMenuWrite,
    Permission.ServiceOrderDispatch,
    Permission.ServiceOrderRequest,
  ],
  leader: [
    Permission.RegionRead,
    Permission.UnitRead,
    Permission.UserRead,
    Permission.ProblemRead,
    Permission.FrameworkRead,
    Permission.GridRead,
    Permission.SurveyRead,
    Permission.RankingRead,
    Permission.VolunteerRead,
    Permission.AssignmentRead,
    Permission.SimulationRead,
    Permission.StarRead,
    Permission.AdCarrierRead,
    Permission.ServiceOrderRead,
  ],
};

/**
 * City-level settings and channels: held only at the city, whatever happens to the rest of the
 * regional lists (测评体系 and campaigns, the calendar, regions, categories, 曝光台, Open311/12345).
 */
export const CITY_LEVEL_PERMISSIONS: readonly Permission[] = [
  Permission.FrameworkWrite,
  Permission.CalendarWrite,
  Permission.RegionWrite,
  Permission.UserGrantAdmin,
  Permission.AuditRead,
  Permission.ExposureManage,
  Permission.IntegrationManage,
  Permission.VolunteerRealname,
];

/** True when the user's office and leader roles are held below the city (a district or street). */
export function heldBelowCity(h: Pick<Holder, 'regionId' | 'regionLevel'>): boolean {
  return h.regionId !== null && h.regionLevel !== 'city';
}

/** Every permission held by a user with these roles. */
const permissionSets = new Map<string, ReadonlySet<Permission>>();

/**
 * The permissions a user with these roles holds (at the city: `below` says the office and leader
 * roles are held at a district or street). Worked out once per combination and shared (read-only):
 * every request asks several times, and a fresh set of ~60 entries each time was a good part of a
 * request's allocations.
 */
export function permissionsOf(roles: readonly TRole[], below = false): ReadonlySet<Permission> {
  const key = (roles.length === 1 ? roles[0]! : [...roles].sort().join(',')) + (below ? '@' : '');
  let out = permissionSets.get(key);
  if (!out) {
    const set = new Set<Permission>();
    for (const role of roles) {
      const list =
        below && (role === 'office' || role === 'leader')
          ? REGIONAL_PERMISSIONS[role]
          : ROLE_PERMISSIONS[role];
      for (const p of list) set.add(p);
    }
    out = set;
    permissionSets.set(key, out);
  }
  return out;
}

/** The permissions a user holds, with their roles at the place they are held. */
export function permissionsOfHolder(
  h: Pick<Holder, 'roles' | 'regionId' | 'regionLevel'>,
): ReadonlySet<Permission> {
  return permissionsOf(h.roles, heldBelowCity(h));
}

/** True when a user with these roles (held at the city) holds the permission. */
export function hasPermission(roles: readonly TRole[], permission: Permission): boolean {
  return roles.some((r) => ROLE_PERMISSIONS[r].includes(permission));
}

/**
 * What part of the campaign a user's records are limited to.
 * - `all`: admins, and offices and leaders held at the city, see the whole campaign.
 * - `unit`: a unit user sees its own unit's records.
 * - `region`: an office or leader held at a district or street, and field staff (grid workers,
 *   inspectors, surveyors) tied to a region, see that subtree; `unitId` when the same user also
 *   answers for a unit (a district leader who heads a unit) adds that unit's records.
 * - `self`: a user with neither a unit nor a region sees only their own record.
 */
export type TScope =
  | { kind: 'all' }
  | { kind: 'unit'; unitId: number; userId?: number }
  | { kind: 'region'; regionId: number; userId?: number; unitId?: number }
  | { kind: 'self'; userId: number };

/** The widest scope any of a user's roles grants. */
export function scopeOf(user: Holder): TScope {
  if (user.roles.includes('admin')) return { kind: 'all' };
  const placed = user.roles.some((r) => PLACED_ROLES.includes(r));
  if (placed && !heldBelowCity(user)) return { kind: 'all' };
  if (placed && user.regionId !== null) {
    return {
      kind: 'region',
      regionId: user.regionId,
      userId: user.id,
      ...(user.roles.includes('unit') && user.unitId !== null ? { unitId: user.unitId } : {}),
    };
  }
  // `userId`: what people reported themselves stays theirs to see, wherever it lies.
  if (user.roles.includes('unit') && user.unitId !== null) {
    return { kind: 'unit', unitId: user.unitId, userId: user.id };
  }
  if (user.regionId !== null) return { kind: 'region', regionId: user.regionId, userId: user.id };
  if (user.unitId !== null) return { kind: 'unit', unitId: user.unitId, userId: user.id };
  return { kind: 'self', userId: user.id };
}

/** Roles a granter may hand out: only holders of UserGrantAdmin may give `admin`. */
export function grantableRoles(granterRoles: readonly TRole[]): TRole[] {
  if (hasPermission(granterRoles, Permission.UserGrantAdmin)) return [...ROLES];
  return ROLES.filter((r) => r !== 'admin');
}
