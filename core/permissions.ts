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
  /** Design questionnaires, plan rounds and quotas, assign guides (office). */
  SurveyWrite = 'survey.write',
  /** Fill in responses as a survey guide (民意调查引导员); sees only their own. */
  SurveyCollect = 'survey.collect',
  /** 志愿服务: the registry, activities and statistics (phones masked except to the office). */
  VolunteerRead = 'volunteer.read',
  /** The registry, teams, places, activities and hour corrections: the office. */
  VolunteerWrite = 'volunteer.write',
  /** A volunteer's own part: sign up, check in and out, see one's own hours. */
  VolunteerServe = 'volunteer.serve',
  /** 测评得分预估 and 模拟测评推演 (office, leaders; read-only computations). */
  ScoreRead = 'score.read',
  /** 单位排名 and 通报: the office and leaders all; a unit its own standing (published only). */
  RankingRead = 'ranking.read',
  /** Ranking rules, snapshots, publishing, bulletins: the office. */
  RankingWrite = 'ranking.write',
  /** 实景模拟验证: targets and checks (office, leaders, inspectors all; a unit its own targets'). */
  SimulationRead = 'simulation.read',
  /** Define simulation targets (what to call, the pass criteria): the office. */
  SimulationWrite = 'simulation.write',
  /** Record and correct simulation checks (the calls made): the office and inspectors. */
  SimulationRecord = 'simulation.record',
}

const ALL = Object.values(Permission);

const ROLE_PERMISSIONS: Record<TRole, readonly Permission[]> = {
  admin: ALL,
  office: ALL.filter(
    (p) =>
      p !== Permission.UserGrantAdmin &&
      p !== Permission.AuditRead &&
      p !== Permission.ProblemRectify,
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
  ],
  grid_worker: [
    Permission.RegionRead,
    Permission.UnitRead,
    Permission.ProblemRead,
    Permission.ProblemReport,
    Permission.FrameworkRead,
    Permission.GridRead,
    Permission.PatrolWalk,
  ],
  surveyor: [
    Permission.RegionRead,
    Permission.UnitRead,
    Permission.FrameworkRead,
    Permission.SurveyCollect,
  ],
  volunteer: [Permission.VolunteerServe],
};

/** Every permission held by a user with these roles. */
const permissionSets = new Map<string, ReadonlySet<Permission>>();

/**
 * The permissions a user with these roles holds. Worked out once per combination of roles and
 * shared (read-only): every request asks several times, and a fresh set of ~60 entries each time
 * was a good part of a request's allocations.
 */
export function permissionsOf(roles: readonly TRole[]): ReadonlySet<Permission> {
  const key = roles.length === 1 ? roles[0]! : [...roles].sort().join(',');
  let out = permissionSets.get(key);
  if (!out) {
    const set = new Set<Permission>();
    for (const role of roles) for (const p of ROLE_PERMISSIONS[role]) set.add(p);
    out = set;
    permissionSets.set(key, out);
  }
  return out;
}

/** True when a user with these roles holds the permission. */
export function hasPermission(roles: readonly TRole[], permission: Permission): boolean {
  return roles.some((r) => ROLE_PERMISSIONS[r].includes(permission));
}

/**
 * What part of the campaign a user's records are limited to.
 * - `all`: the office, admins and leaders see the whole campaign (leaders read-only by permissions).
 * - `unit`: a unit user sees its own unit's records.
 * - `region`: field staff (grid workers, inspectors, surveyors) tied to a region see that subtree.
 * - `self`: a user with neither a unit nor a region sees only their own record.
 */
export type TScope =
  | { kind: 'all' }
  | { kind: 'unit'; unitId: number; userId?: number }
  | { kind: 'region'; regionId: number; userId?: number }
  | { kind: 'self'; userId: number };

/** The widest scope any of a user's roles grants. */
export function scopeOf(user: {
  id: number;
  roles: readonly TRole[];
  unitId: number | null;
  regionId: number | null;
}): TScope {
  if (user.roles.some((r) => r === 'admin' || r === 'office' || r === 'leader')) {
    return { kind: 'all' };
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
