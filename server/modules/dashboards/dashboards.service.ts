import type {
  TDashboardBreakdown,
  TDashboardBreakdownQuery,
  TDashboardDueSoon,
  TDashboardDueSoonQuery,
  TDashboardHeat,
  TDashboardHeatQuery,
  TDashboardKpis,
  TDashboardKpisQuery,
  TDashboardLevel,
  TDashboardPoints,
  TDashboardRanking,
  TDashboardRankingQuery,
  TDashboardScopeQuery,
  TDashboardTrend,
  TDashboardTrendQuery,
  TRankedUnit,
  TUnitStanding,
  TUnitStandingQuery,
} from '../../../core/contracts/dashboards.js';
import { bucketStarts, monthStart, rankByOnTime } from '../../../core/dashboards/dashboards.js';
import { startOfShanghaiDay } from '../../../core/calendar/working-days.js';
import { visitResult } from '../../../core/inspection/score.js';
import { escalationBounds, levelFromBounds } from '../../../core/problems/escalation.js';
import { computeKpis, satisfactionRate } from '../../../core/problems/kpis.js';
import { Permission, type TScope } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { errors } from '../../platform/errors.js';
import { loadCalendar } from '../problems/problems.repo.js';
import { cohortCache } from './cohort-cache.js';
import * as repo from './dashboards.repo.js';

/**
 * Dashboards for the office (the whole campaign), leaders (read-only, drilling down city →
 * district → unit) and units (only themselves). Reading a dashboard needs ProblemRead; the scope
 * of the actor bounds the levels they may ask for.
 */

const DAY_MS = 86_400_000;

interface Resolved {
  level: repo.Level;
  scope: TDashboardLevel;
  region: repo.RegionRef | null;
}

/** Checks the permission and the scope, and turns `regionId`/`unitId` into a level. */
async function resolve(
  database: Database,
  actor: Actor,
  q: TDashboardScopeQuery,
): Promise<Resolved> {
  const scope = requirePermission(actor, Permission.ProblemRead);
  const db = database.db;
  let unitId = q.unitId ?? null;
  let regionId = q.regionId ?? null;
  switch (scope.kind) {
    case 'all':
      break;
    case 'unit':
      // A unit sees itself only.
      if (unitId !== null && unitId !== scope.unitId) throw errors.forbidden();
      unitId = scope.unitId;
      break;
    case 'region':
      regionId ??= scope.regionId;
      break;
    case 'self':
      throw errors.forbidden();
  }
  const region = regionId !== null ? ((await repo.findRegionRef(db, regionId)) ?? null) : null;
  if (regionId !== null && !region) throw errors.notFound('region', regionId);
  if (scope.kind === 'region') {
    const own = await repo.findRegionRef(db, scope.regionId);
    if (!own || !region!.path.startsWith(own.path)) throw errors.forbidden();
  }
  const unit = unitId !== null ? await repo.findUnitRef(db, unitId) : null;
  if (unitId !== null && !unit) throw errors.notFound('unit', unitId);
  const path = region ? await repo.regionsOnPath(db, region.path) : [];
  return {
    level: { regionPath: region?.path ?? null, unitId },
    region,
    scope: {
      level: unit ? 'unit' : ((region?.level ?? 'city') as TDashboardLevel['level']),
      regionId: region?.id ?? null,
      regionName: region?.name ?? null,
      unitId: unit?.id ?? null,
      unitName: unit?.name ?? null,
      path: path.map((r) => ({ id: r.id, name: r.name, level: r.level })),
    },
  };
}

const cohortFrom = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

function cohortOf(c: repo.BreakdownRow | Parameters<typeof repo.toCounts>[0]) {
  const k = computeKpis(repo.toCounts(c));
  return {
    due: k.due,
    deferred: k.deferred,
    closed: k.closed,
    closedOnTime: k.closedOnTime,
    reworked: k.reworked,
    extended: k.extended,
    closeRate: k.closeRate,
    onTimeCloseRate: k.onTimeCloseRate,
    reworkRate: k.reworkRate,
    extensionRate: k.extensionRate,
    avgHandlingHours: k.avgHandlingHours,
  };
}

async function bounds(database: Database, now: Date) {
  return escalationBounds(now, await loadCalendar(database.db));
}

export async function dashboardKpis(
  database: Database,
  actor: Actor,
  q: TDashboardKpisQuery,
): Promise<TDashboardKpis> {
  const r = await resolve(database, actor, q);
  const now = new Date();
  const from = cohortFrom(now, q.days);
  const start = monthStart(now);
  const row = await repo.kpiCards(database.db, r.level, {
    now,
    bounds: await bounds(database, now),
    monthStart: start,
    cohortFrom: from,
  });
  return {
    scope: r.scope,
    open: row.open,
    overdue: row.overdue,
    red: row.red,
    yellow: row.yellow,
    blue: row.blue,
    handDownOverdue: row.hand_overdue,
    monthStart: start.toISOString(),
    registeredThisMonth: row.registered,
    closedThisMonth: row.closed_month,
    recurrenceThisMonth: row.recurrence,
    recurrenceRate:
      row.registered > 0 ? Math.round((row.recurrence / row.registered) * 10_000) / 10_000 : null,
    cohort: { from: from.toISOString(), to: now.toISOString(), ...cohortOf(row) },
  };
}

export async function dashboardTrend(
  database: Database,
  actor: Actor,
  q: TDashboardTrendQuery,
): Promise<TDashboardTrend> {
  const r = await resolve(database, actor, q);
  const starts = bucketStarts(new Date(), q.interval, q.count);
  const first = starts[0]!;
  const rows = await repo.trend(database.db, r.level, q.interval, startOfShanghaiDay(first), first);
  const byStart = new Map(rows.map((x) => [x.start, x]));
  return {
    interval: q.interval,
    buckets: starts.map((start) => ({
      start,
      registered: byStart.get(start)?.registered ?? 0,
      closed: byStart.get(start)?.closed ?? 0,
    })),
  };
}

export async function dashboardHeat(
  database: Database,
  actor: Actor,
  q: TDashboardHeatQuery,
): Promise<TDashboardHeat> {
  const r = await resolve(database, actor, q);
  const rows = await repo.heat(database.db, r.level, q.cell, new Date());
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return {
    cell: q.cell,
    total: rows[0]?.total ?? 0,
    cells: rows.map((c) => ({
      lat: round((c.y + 0.5) * q.cell),
      lng: round((c.x + 0.5) * q.cell),
      count: c.n,
      overdue: c.overdue,
    })),
  };
}

export async function dashboardPoints(
  database: Database,
  actor: Actor,
  q: TDashboardScopeQuery,
): Promise<TDashboardPoints> {
  const r = await resolve(database, actor, q);
  // Every point's latest visit (10,000 points, 1.3 MB): from the short cache too.
  const key = JSON.stringify(['points', r.level]);
  const { value: items, asOf } = await cohortCache(database).get(key, async () => {
    const rows = await repo.pointStates(database.db, r.level);
    return rows.map((p) => ({
      id: p.id,
      name: p.name,
      lat: p.lat,
      lng: p.lng,
      unitName: p.unit_name,
      result:
        p.failed === null
          ? null
          : visitResult({ failed: p.failed, seriousFailed: p.serious_failed ?? 0 }),
      visitedAt: p.visited_at === null ? null : new Date(p.visited_at).toISOString(),
    }));
  });
  return { asOf: asOf.toISOString(), items };
}

export async function dashboardBreakdown(
  database: Database,
  actor: Actor,
  q: TDashboardBreakdownQuery,
): Promise<TDashboardBreakdown> {
  const r = await resolve(database, actor, q);
  let by: Parameters<typeof repo.breakdown>[2] = { kind: 'unit' };
  if (q.by === 'region') {
    // The path segment of the child level: `/1/` has one id, its children are segment 3.
    const region = r.region ?? (await repo.rootRegion(database.db)) ?? null;
    const ids = region ? region.path.split('/').filter(Boolean).length : 0;
    by = { kind: 'region', childSegment: ids + 2 };
  }
  // An aggregate over the whole cohort: served from the short cache (see cohort-cache.ts).
  const key = JSON.stringify(['breakdown', r.level, by, q.days]);
  const { value: rows, asOf } = await cohortCache(database).get(key, async (now) =>
    repo.breakdown(database.db, r.level, by, {
      now,
      bounds: await bounds(database, now),
      cohortFrom: cohortFrom(now, q.days),
    }),
  );
  const unnamed =
    q.by === 'unit' ? { zh: '未派遣', en: 'Not dispatched' } : { zh: '未定位', en: 'No region' };
  return {
    by: q.by,
    asOf: asOf.toISOString(),
    rows: rows.map((x) => ({
      key: x.key,
      name: x.name ?? unnamed.zh,
      open: x.open,
      overdue: x.overdue,
      red: x.red,
      yellow: x.yellow,
      ...cohortOf(x),
    })),
  };
}

interface Ranked {
  rows: TRankedUnit[];
  rankedCount: number;
  rankedInType: Record<string, number>;
  from: Date;
  to: Date;
}

/** The units ranked over the last `days` days, as of now or up to a minute ago (cached). */
async function rankUnits(
  database: Database,
  days: number,
  minSample: number,
  type?: string,
): Promise<Ranked> {
  const key = JSON.stringify(['ranking', days, minSample, type ?? null]);
  const { value } = await cohortCache(database).get(key, (to) =>
    computeRanking(database, to, days, minSample, type),
  );
  return value;
}

async function computeRanking(
  database: Database,
  to: Date,
  days: number,
  minSample: number,
  type?: string,
): Promise<Ranked> {
  const from = cohortFrom(to, days);
  const cohorts = await repo.unitCohorts(database.db, from, to, type);
  const byId = new Map(
    cohorts.map((c) => [
      c.unit_id,
      { unitId: c.unit_id, name: c.name, type: c.type, ...cohortOf(c) },
    ]),
  );
  const order = rankByOnTime(
    [...byId.values()].map((u) => ({ ...u, base: u.due - u.deferred })),
    minSample,
  );
  const rankedInType: Record<string, number> = {};
  let rankedCount = 0;
  const rows = order.map((s) => {
    const u = byId.get(s.unitId)!;
    if (s.rank !== null) {
      rankedCount++;
      rankedInType[u.type] = (rankedInType[u.type] ?? 0) + 1;
    }
    return { ...u, rank: s.rank, rankInType: s.rankInType };
  });
  return { rows, rankedCount, rankedInType, from, to };
}

/** Units ranked by 按期结案率 over the last `days` days (the office's and leaders' view). */
export async function dashboardRanking(
  database: Database,
  actor: Actor,
  q: TDashboardRankingQuery,
): Promise<TDashboardRanking> {
  const scope = requirePermission(actor, Permission.ProblemRead);
  // Other units' figures: the office, admins and leaders only.
  if (scope.kind !== 'all') throw errors.forbidden();
  const r = await rankUnits(database, q.days, q.minSample, q.type);
  return {
    from: r.from.toISOString(),
    to: r.to.toISOString(),
    asOf: r.to.toISOString(),
    minSample: q.minSample,
    rankedCount: r.rankedCount,
    rankedInType: r.rankedInType,
    rows: r.rows.slice(0, q.limit),
  };
}

export async function dashboardDueSoon(
  database: Database,
  actor: Actor,
  q: TDashboardDueSoonQuery,
): Promise<TDashboardDueSoon> {
  const r = await resolve(database, actor, q);
  const now = new Date();
  const b = await bounds(database, now);
  // "Due soon" is the blue step of the ladder: due within its working days.
  const dueBefore = b.find((x) => x.due)?.due?.to ?? new Date(now.getTime() + 2 * DAY_MS);
  const rows = await repo.dueSoon(database.db, r.level, now, dueBefore, q.limit);
  return {
    dueBefore: dueBefore.toISOString(),
    items: rows.map((p) => {
      const deadline = new Date(p.deadline);
      return {
        id: Number(p.id),
        code: p.code,
        title: p.title,
        unitId: p.unit_id,
        unitName: p.unit_name,
        regionName: p.region_name,
        deadline: deadline.toISOString(),
        escalation: levelFromBounds(b, {
          state: 'dispatched',
          deadline,
          reworkCount: p.rework_count,
        }),
      };
    }),
  };
}

const MIN_SAMPLE = 5;

/**
 * The unit a unit-level view is about: a unit user's own (asking for another is a 403), or the one
 * an office user names (required).
 */
export function unitOfRequest(scope: TScope, asked: number | undefined): number {
  if (scope.kind === 'unit') {
    if (asked !== undefined && asked !== scope.unitId) throw errors.forbidden();
    return scope.unitId;
  }
  if (scope.kind === 'all') {
    if (asked === undefined)
      throw errors.invalid({ zh: '请指定单位', en: 'give a unitId' }, [
        { path: 'querystring.unitId', message: '必填 / required' },
      ]);
    return asked;
  }
  throw errors.forbidden();
}

/** A unit's own standing among all units and its class, and its open work by colour. */
export async function unitStanding(
  database: Database,
  actor: Actor,
  q: TUnitStandingQuery,
): Promise<TUnitStanding> {
  const scope = requirePermission(actor, Permission.ProblemRead);
  const unitId = unitOfRequest(scope, q.unitId);
  const unit = await repo.findUnitRef(database.db, unitId);
  if (!unit) throw errors.notFound('unit', unitId);
  const now = new Date();
  const [ranked, open] = await Promise.all([
    rankUnits(database, q.days, MIN_SAMPLE),
    bounds(database, now).then((b) => repo.unitOpen(database.db, unitId, b, now)),
  ]);
  const rated = await repo.unitSatisfaction(database.db, unitId, ranked.from, ranked.to);
  const own = ranked.rows.find((x) => x.unitId === unitId) ?? {
    unitId,
    name: unit.name,
    type: unit.type,
    rank: null,
    rankInType: null,
    ...cohortOf({
      due: 0,
      deferred: 0,
      closed: 0,
      closed_on_time: 0,
      reworked: 0,
      extended: 0,
      hours: 0,
    }),
  };
  return {
    unit,
    from: ranked.from.toISOString(),
    to: ranked.to.toISOString(),
    asOf: ranked.to.toISOString(),
    minSample: MIN_SAMPLE,
    standing: own,
    rankedCount: ranked.rankedCount,
    rankedInType: ranked.rankedInType[unit.type] ?? 0,
    openByColour: {
      none: open.dispatched - open.red - open.yellow - open.blue,
      blue: open.blue,
      yellow: open.yellow,
      red: open.red,
    },
    submitted: open.submitted,
    deferred: open.deferred,
    satisfaction: { ...rated, rate: satisfactionRate(rated) },
  };
}
