import { VISIT_RESULTS } from '../inspection/score.js';
import { ESCALATION_LEVELS } from './problems.js';
import { z } from './zod-setup.js';

/**
 * Dashboards (issue #8 part 5): aggregates over problems, points and units, each one SQL
 * statement. Every query names its level with `regionId` (any region: the city, a district, a
 * street…) and/or `unitId`; with neither it covers the whole campaign.
 */

const id = z.coerce.number().int().positive();

export const ZDashboardScopeQuerySchema = z.object({
  regionId: id.optional(),
  unitId: id.optional(),
});
export type TDashboardScopeQuery = z.infer<typeof ZDashboardScopeQuerySchema>;

/** The KPI window: problems dispatched in the last `days` days (a rolling cohort). */
const days = z.coerce.number().int().min(1).max(366).default(30);

export const ZDashboardKpisQuerySchema = ZDashboardScopeQuerySchema.extend({ days });
export type TDashboardKpisQuery = z.infer<typeof ZDashboardKpisQuerySchema>;

const ZCohortFields = {
  due: z.number().int(),
  deferred: z.number().int(),
  closed: z.number().int(),
  closedOnTime: z.number().int(),
  reworked: z.number().int(),
  extended: z.number().int(),
  closeRate: z.number().nullable(),
  onTimeCloseRate: z.number().nullable(),
  reworkRate: z.number().nullable(),
  extensionRate: z.number().nullable(),
  avgHandlingHours: z.number().nullable(),
};

export const ZDashboardLevelSchema = z.object({
  level: z.enum(['city', 'district', 'street', 'community', 'unit']),
  regionId: z.number().int().nullable(),
  regionName: z.string().nullable(),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  /** The way up, for breadcrumbs: the region's ancestors (outermost first), then the region. */
  path: z.array(z.object({ id: z.number().int(), name: z.string(), level: z.string() })),
});
export type TDashboardLevel = z.infer<typeof ZDashboardLevelSchema>;

export const ZDashboardKpisSchema = z.object({
  scope: ZDashboardLevelSchema,
  /** Open problems now (every state still being worked on, including 缓办). */
  open: z.number().int(),
  /** Dispatched and past the deadline. */
  overdue: z.number().int(),
  red: z.number().int(),
  yellow: z.number().int(),
  blue: z.number().int(),
  /** 交办逾期: handed down, not dispatched by the office below, past the 交办时限. */
  handDownOverdue: z.number().int(),
  /** Calendar month in Shanghai time. */
  monthStart: z.string(),
  registeredThisMonth: z.number().int(),
  closedThisMonth: z.number().int(),
  /** 反弹: problems registered this month that repeat one closed at the same place. */
  recurrenceThisMonth: z.number().int(),
  recurrenceRate: z.number().nullable(),
  cohort: z.object({ from: z.string(), to: z.string(), ...ZCohortFields }),
});
export type TDashboardKpis = z.infer<typeof ZDashboardKpisSchema>;

export const TREND_INTERVALS = ['week', 'month'] as const;
export const ZDashboardTrendQuerySchema = ZDashboardScopeQuerySchema.extend({
  interval: z.enum(TREND_INTERVALS).default('week'),
  count: z.coerce.number().int().min(2).max(52).default(12),
});
export type TDashboardTrendQuery = z.infer<typeof ZDashboardTrendQuerySchema>;
export const ZDashboardTrendSchema = z.object({
  interval: z.enum(TREND_INTERVALS),
  /** Buckets oldest first; `start` is a Shanghai date (Monday / the 1st). */
  buckets: z.array(
    z.object({ start: z.string(), registered: z.number().int(), closed: z.number().int() }),
  ),
});
export type TDashboardTrend = z.infer<typeof ZDashboardTrendSchema>;

export const ZDashboardHeatQuerySchema = ZDashboardScopeQuerySchema.extend({
  /** Cell size in degrees (0.01° ≈ 1 km). */
  cell: z.coerce.number().min(0.0005).max(1).default(0.01),
});
export type TDashboardHeatQuery = z.infer<typeof ZDashboardHeatQuerySchema>;
/** Open problems counted per grid cell, never the problems themselves. */
export const ZDashboardHeatSchema = z.object({
  cell: z.number(),
  /** Open problems with a position, in every cell (also those beyond `cells`). */
  total: z.number().int(),
  cells: z.array(
    z.object({
      /** The cell's centre (WGS-84). */
      lat: z.number(),
      lng: z.number(),
      count: z.number().int(),
      overdue: z.number().int(),
    }),
  ),
});
export type TDashboardHeat = z.infer<typeof ZDashboardHeatSchema>;

export const ZDashboardPointsSchema = z.object({
  /** When the points' states were read (cached up to 60 s). */
  asOf: z.string(),
  items: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      lat: z.number(),
      lng: z.number(),
      unitName: z.string().nullable(),
      /** The latest visit's result; null when never visited. */
      result: z.enum(VISIT_RESULTS).nullable(),
      visitedAt: z.string().nullable(),
    }),
  ),
});
export type TDashboardPoints = z.infer<typeof ZDashboardPointsSchema>;

export const BREAKDOWN_BY = ['region', 'unit'] as const;
export const ZDashboardBreakdownQuerySchema = ZDashboardScopeQuerySchema.extend({
  /** `region`: the children of the region (the city's districts); `unit`: the units. */
  by: z.enum(BREAKDOWN_BY).default('region'),
  days,
});
export type TDashboardBreakdownQuery = z.infer<typeof ZDashboardBreakdownQuerySchema>;
export const ZDashboardBreakdownRowSchema = z.object({
  key: z.number().int().nullable(),
  name: z.string(),
  open: z.number().int(),
  overdue: z.number().int(),
  red: z.number().int(),
  yellow: z.number().int(),
  ...ZCohortFields,
});
export type TDashboardBreakdownRow = z.infer<typeof ZDashboardBreakdownRowSchema>;
export const ZDashboardBreakdownSchema = z.object({
  by: z.enum(BREAKDOWN_BY),
  /** When the figures were computed (cached up to 60 s; they are exact as of this moment). */
  asOf: z.string(),
  rows: z.array(ZDashboardBreakdownRowSchema),
});
export type TDashboardBreakdown = z.infer<typeof ZDashboardBreakdownSchema>;

export const ZDashboardRankingQuerySchema = z.object({
  days,
  /** A unit class (units.type); all units when absent. */
  type: z.string().max(40).optional(),
  /** Units with fewer due problems (应结案 − 缓办) than this are listed but not ranked. */
  minSample: z.coerce.number().int().min(1).max(1000).default(5),
  limit: z.coerce.number().int().min(1).max(1000).default(20),
});
export type TDashboardRankingQuery = z.infer<typeof ZDashboardRankingQuerySchema>;
export const ZRankedUnitSchema = z.object({
  unitId: z.number().int(),
  name: z.string(),
  type: z.string(),
  /** Rank among all ranked units (null: below the minimum sample). */
  rank: z.number().int().nullable(),
  rankInType: z.number().int().nullable(),
  ...ZCohortFields,
});
export type TRankedUnit = z.infer<typeof ZRankedUnitSchema>;
export const ZDashboardRankingSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** When the figures were computed (cached up to 60 s; they are exact as of this moment). */
  asOf: z.string(),
  minSample: z.number().int(),
  /** Ranked units counted (all, and per class), for "rank 3 of 41". */
  rankedCount: z.number().int(),
  rankedInType: z.record(z.string(), z.number().int()),
  rows: z.array(ZRankedUnitSchema),
});
export type TDashboardRanking = z.infer<typeof ZDashboardRankingSchema>;

export const ZDashboardDueSoonQuerySchema = ZDashboardScopeQuerySchema.extend({
  limit: z.coerce.number().int().min(1).max(100).default(10),
});
export type TDashboardDueSoonQuery = z.infer<typeof ZDashboardDueSoonQuerySchema>;
export const ZDueSoonItemSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  regionName: z.string().nullable(),
  deadline: z.string(),
  escalation: z.enum(ESCALATION_LEVELS),
});
export const ZDashboardDueSoonSchema = z.object({
  /** Dispatched, not yet overdue, due before this instant (the blue step of the ladder). */
  dueBefore: z.string(),
  items: z.array(ZDueSoonItemSchema),
});
export type TDashboardDueSoon = z.infer<typeof ZDashboardDueSoonSchema>;

export const ZUnitStandingQuerySchema = z.object({ unitId: id.optional(), days });
export type TUnitStandingQuery = z.infer<typeof ZUnitStandingQuerySchema>;
export const ZUnitStandingSchema = z.object({
  unit: z.object({ id: z.number().int(), name: z.string(), type: z.string() }),
  from: z.string(),
  to: z.string(),
  /** When the standing was computed (cached up to 60 s); the open work is counted live. */
  asOf: z.string(),
  minSample: z.number().int(),
  /** This unit's row (rank null when below the minimum sample). */
  standing: ZRankedUnitSchema,
  rankedCount: z.number().int(),
  rankedInType: z.number().int(),
  /** Open problems dispatched to the unit, by 督办 colour. */
  openByColour: z.object({
    none: z.number().int(),
    blue: z.number().int(),
    yellow: z.number().int(),
    red: z.number().int(),
  }),
  /** Waiting for the unit in other states: 待核查 (submitted) and 缓办 (deferred). */
  submitted: z.number().int(),
  deferred: z.number().int(),
  /**
   * 满意率 of the same cohort: reporters' ratings (满意 / 基本满意 / 不满意) of its problems;
   * `rate` = (satisfied + basic) ÷ rated, null when none was rated.
   */
  satisfaction: z.object({
    rated: z.number().int(),
    satisfied: z.number().int(),
    basic: z.number().int(),
    rate: z.number().nullable(),
  }),
});
export type TUnitStanding = z.infer<typeof ZUnitStandingSchema>;

/**
 * 待办档案资料 of a unit's dashboard: the material standards it leads (任务分解) whose dossier for
 * the year of their 时限 is not approved — nothing uploaded, returned, or awaiting review — and
 * whose 时限 has passed or comes within `days` days (Asia/Shanghai dates).
 */
export const ZUnitDueMaterialsQuerySchema = z.object({
  unitId: id.optional(),
  days: z.coerce.number().int().min(1).max(90).default(14),
});
export type TUnitDueMaterialsQuery = z.infer<typeof ZUnitDueMaterialsQuerySchema>;

export const DUE_MATERIAL_STATES = ['none', 'draft', 'returned', 'submitted'] as const;

export const ZDueMaterialSchema = z.object({
  frameworkId: z.number().int(),
  frameworkName: z.string(),
  /** The cycle year of the dossier: the year of the 时限. */
  year: z.number().int(),
  standardKey: z.string(),
  code: z.string(),
  text: z.string(),
  dueDate: z.string(),
  /** Days from today to the 时限 (negative: overdue). */
  daysLeft: z.number().int(),
  /** `none`: nothing uploaded (a draft without files counts as none). */
  state: z.enum(DUE_MATERIAL_STATES),
  returnCount: z.number().int(),
  reviewComment: z.string().nullable(),
});
export type TDueMaterial = z.infer<typeof ZDueMaterialSchema>;

export const ZUnitDueMaterialsSchema = z.object({
  unit: z.object({ id: z.number().int(), name: z.string() }),
  today: z.string(),
  /** The last 时限 counted as due soon (today + days). */
  horizon: z.string(),
  counts: z.object({
    total: z.number().int(),
    overdue: z.number().int(),
    dueSoon: z.number().int(),
    /** Nothing submitted yet (none or draft). */
    missing: z.number().int(),
    returned: z.number().int(),
    submitted: z.number().int(),
  }),
  /** Soonest 时限 first; at most 50 (the counts cover all). */
  items: z.array(ZDueMaterialSchema),
});
export type TUnitDueMaterials = z.infer<typeof ZUnitDueMaterialsSchema>;
