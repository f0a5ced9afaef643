import { sql, type SQL } from 'drizzle-orm';
import type { EscalationBound } from '../../../core/problems/escalation.js';
import { KPI_EXCLUDED_STATES, type KpiCounts } from '../../../core/problems/kpis.js';
import { OPEN_STATES } from '../../../core/problems/lifecycle.js';
import type { TTrendInterval } from '../../../core/dashboards/dashboards.js';
import { execRows, type DbOrTx } from '../../db/client.js';

/**
 * Dashboard aggregates: each function is one SQL statement over `problems` (alias `p`) that one of
 * the dashboard indexes covers (see server/db/schema/problems.ts and docs/decisions.md). A level
 * is a region subtree (by its path) and/or a unit.
 */
export interface Level {
  /** The region's path (`/1/5/`): its subtree; null = every region, and unlocated problems. */
  regionPath: string | null;
  unitId: number | null;
}

export function levelSql(l: Level, alias = 'p'): SQL {
  const a = sql.raw(alias);
  const c: SQL[] = [];
  if (l.regionPath !== null)
    c.push(sql`${a}.region_id in (select id from regions where path like ${`${l.regionPath}%`})`);
  if (l.unitId !== null) c.push(sql`${a}.unit_id = ${l.unitId}`);
  return c.length ? sql`and ${sql.join(c, sql` and `)}` : sql``;
}

const OPEN = sql`p.state in ${OPEN_STATES}`;

/** SQL for "this ladder step holds" (the problem is in a deadline state). */
function holds(b: EscalationBound): SQL {
  const parts: SQL[] = [];
  if (b.due) parts.push(sql`(p.deadline >= ${b.due.from} and p.deadline <= ${b.due.to})`);
  if (b.overdueBefore) parts.push(sql`p.deadline < ${b.overdueBefore}`);
  if (b.reworkAtLeast !== undefined) parts.push(sql`p.rework_count >= ${b.reworkAtLeast}`);
  return parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`false`;
}

/** The 督办 colour of a row as a SQL expression: 'red' | 'yellow' | 'blue' | 'none'. */
export function colourSql(bounds: readonly EscalationBound[]): SQL {
  const of = (level: string) => bounds.filter((b) => b.level === level);
  const when = (level: string) => {
    const own = of(level);
    return own.length ? sql`when ${sql.join(own.map(holds), sql` or `)} then ${level}` : sql``;
  };
  return sql`(case when p.state <> 'dispatched' or p.deadline is null then 'none'
    ${when('red')} ${when('yellow')} ${when('blue')} else 'none' end)`;
}

/** Counts of the open set: open, overdue and by colour. */
function openCounts(bounds: readonly EscalationBound[], now: Date): SQL {
  const colour = colourSql(bounds);
  return sql`count(*)::int as open,
    count(*) filter (where p.state = 'dispatched' and p.deadline < ${now})::int as overdue,
    count(*) filter (where ${colour} = 'red')::int as red,
    count(*) filter (where ${colour} = 'yellow')::int as yellow,
    count(*) filter (where ${colour} = 'blue')::int as blue`;
}

/** The KPI counts of a cohort (the 数字城管 formulas of core/problems/kpis.ts). */
function cohortCounts(cutoff: Date): SQL {
  const due = sql`(p.state = 'closed' or p.deadline <= ${cutoff})`;
  return sql`count(*) filter (where ${due})::int as due,
    count(*) filter (where ${due} and p.state = 'deferred')::int as deferred,
    count(*) filter (where p.state = 'closed')::int as closed,
    count(*) filter (where p.state = 'closed' and p.closed_at <= p.deadline)::int as closed_on_time,
    count(*) filter (where ${due} and p.rework_count > 0)::int as reworked,
    count(*) filter (where ${due} and p.extension_count > 0)::int as extended,
    coalesce(sum(p.handling_hours) filter (where p.state = 'closed'), 0)::float8 as hours`;
}

const inCohort = (from: Date, to: Date) =>
  sql`p.dispatched_at >= ${from} and p.dispatched_at < ${to} and p.state not in ${KPI_EXCLUDED_STATES}`;

interface CohortRow {
  due: number;
  deferred: number;
  closed: number;
  closed_on_time: number;
  reworked: number;
  extended: number;
  hours: number;
}
export const toCounts = (r: CohortRow): KpiCounts => ({
  due: r.due,
  deferred: r.deferred,
  closed: r.closed,
  closedOnTime: r.closed_on_time,
  reworked: r.reworked,
  extended: r.extended,
  handlingHoursSum: Number(r.hours),
});

export interface OpenCounts {
  open: number;
  overdue: number;
  red: number;
  yellow: number;
  blue: number;
}

interface KpiExtras {
  registered: number;
  recurrence: number;
  closed_month: number;
  /** 交办 still undispatched by the office below past its 时限. */
  hand_overdue: number;
}

/** The KPI cards: the open set now, this month's intake and closures, and the cohort. */
export async function kpiCards(
  db: DbOrTx,
  l: Level,
  o: {
    now: Date;
    bounds: readonly EscalationBound[];
    monthStart: Date;
    cohortFrom: Date;
  },
): Promise<OpenCounts & KpiExtras & CohortRow> {
  const where = levelSql(l);
  const [row] = await execRows<OpenCounts & KpiExtras & CohortRow>(
    db,
    sql`with o as (
          select ${openCounts(o.bounds, o.now)},
            count(*) filter (where p.state = 'registered' and p.handed_to_region_id is not null
                               and p.hand_due_at < ${o.now})::int as hand_overdue
          from problems p where ${OPEN} ${where}
        ), m as (
          select count(*)::int as registered,
            count(*) filter (where p.recurrence_of_id is not null)::int as recurrence
          from problems p where p.registered_at >= ${o.monthStart} ${where}
        ), c as (
          select count(*)::int as closed_month from problems p
          where p.closed_at >= ${o.monthStart} and p.closed_at is not null ${where}
        ), k as (
          select ${cohortCounts(o.now)} from problems p
          where ${inCohort(o.cohortFrom, o.now)} ${where}
        )
        select * from o, m, c, k`,
  );
  return row!;
}

/**
 * Registered and closed problems per week or month (Shanghai calendar) since `from`. Without a unit
 * it reads the daily rollup (a few hundred rows a day, whatever the intake); a unit's own problems
 * are few enough to count directly.
 */
export async function trend(
  db: DbOrTx,
  l: Level,
  interval: TTrendInterval,
  from: Date,
  fromDay: string,
): Promise<{ start: string; registered: number; closed: number }[]> {
  const unit = sql.raw(`'${interval}'`);
  if (l.unitId === null) {
    const region =
      l.regionPath === null
        ? sql``
        : sql`and d.region_id in (select id from regions where path like ${`${l.regionPath}%`})`;
    return execRows(
      db,
      sql`select to_char(date_trunc(${unit}, d.day), 'YYYY-MM-DD') as start,
            sum(d.registered)::int as registered, sum(d.closed)::int as closed
          from problem_daily_counts d where d.day >= ${fromDay}::date ${region}
          group by 1`,
    );
  }
  const where = levelSql(l);
  return execRows(
    db,
    sql`with r as (
          select date_trunc(${unit}, p.registered_at at time zone 'Asia/Shanghai')::date as start,
            count(*)::int as n
          from problems p where p.registered_at >= ${from} ${where} group by 1
        ), c as (
          select date_trunc(${unit}, p.closed_at at time zone 'Asia/Shanghai')::date as start,
            count(*)::int as n
          from problems p where p.closed_at >= ${from} and p.closed_at is not null ${where} group by 1
        )
        select to_char(coalesce(r.start, c.start), 'YYYY-MM-DD') as start,
          coalesce(r.n, 0)::int as registered, coalesce(c.n, 0)::int as closed
        from r full join c on c.start = r.start`,
  );
}

/** Open problems with a position, counted per grid cell of `cell` degrees (the densest first). */
export async function heat(
  db: DbOrTx,
  l: Level,
  cell: number,
  now: Date,
  maxCells = 5000,
): Promise<{ y: number; x: number; n: number; overdue: number; total: number }[]> {
  return execRows(
    db,
    sql`select floor(p.lat / ${cell})::int as y, floor(p.lng / ${cell})::int as x,
          count(*)::int as n,
          count(*) filter (where p.state = 'dispatched' and p.deadline < ${now})::int as overdue,
          (sum(count(*)) over ())::int as total
        from problems p
        where ${OPEN} and p.lat is not null and p.lng is not null ${levelSql(l)}
        group by 1, 2 order by n desc limit ${maxCells}`,
  );
}

/** Active points with a position and their latest visit (the last version of the newest chain). */
export async function pointStates(db: DbOrTx, l: Level) {
  const c: SQL[] = [sql`pt.active`, sql`pt.lat is not null`, sql`pt.lng is not null`];
  if (l.regionPath !== null)
    c.push(sql`pt.region_id in (select id from regions where path like ${`${l.regionPath}%`})`);
  if (l.unitId !== null) c.push(sql`pt.unit_id = ${l.unitId}`);
  return execRows<{
    id: number;
    name: string;
    lat: number;
    lng: number;
    unit_name: string | null;
    failed: number | null;
    serious_failed: number | null;
    visited_at: Date | string | null;
  }>(
    db,
    sql`with lv as (
          select distinct on (v.point_id) v.point_id, v.failed, v.serious_failed, v.visited_at
          from inspection_visits v
          where not exists (select 1 from inspection_visits x where x.previous_id = v.id)
          order by v.point_id, v.visited_at desc, v.id desc
        )
        select pt.id, pt.name, pt.lat, pt.lng, u.name as unit_name, lv.failed, lv.serious_failed,
          lv.visited_at
        from points pt left join units u on u.id = pt.unit_id left join lv on lv.point_id = pt.id
        where ${sql.join(c, sql` and `)}
        order by pt.id limit 20000`,
  );
}

export type BreakdownRow = OpenCounts & CohortRow & { key: number | null; name: string | null };

/**
 * The level's children with the open set and the cohort KPIs: the sub-regions under `childDepth`
 * (the path segment of the child level) or the units.
 */
export async function breakdown(
  db: DbOrTx,
  l: Level,
  by: { kind: 'region'; childSegment: number } | { kind: 'unit' },
  o: { now: Date; bounds: readonly EscalationBound[]; cohortFrom: Date },
): Promise<BreakdownRow[]> {
  const where = levelSql(l);
  const key =
    by.kind === 'unit'
      ? sql`p.unit_id`
      : sql`nullif(split_part(r.path, '/', ${by.childSegment}), '')::int`;
  const join = by.kind === 'unit' ? sql`` : sql`left join regions r on r.id = p.region_id`;
  const name =
    by.kind === 'unit'
      ? sql`(select name from units x where x.id = k)`
      : sql`(select name from regions x where x.id = k)`;
  return execRows<BreakdownRow>(
    db,
    sql`with o as (
          select ${key} as k, ${openCounts(o.bounds, o.now)}
          from problems p ${join} where ${OPEN} ${where} group by 1
        ), c as (
          select ${key} as k, ${cohortCounts(o.now)}
          from problems p ${join} where ${inCohort(o.cohortFrom, o.now)} ${where} group by 1
        ), j as (
          select coalesce(o.k, c.k) as k,
            coalesce(o.open, 0) as open, coalesce(o.overdue, 0) as overdue,
            coalesce(o.red, 0) as red, coalesce(o.yellow, 0) as yellow, coalesce(o.blue, 0) as blue,
            coalesce(c.due, 0) as due, coalesce(c.deferred, 0) as deferred,
            coalesce(c.closed, 0) as closed, coalesce(c.closed_on_time, 0) as closed_on_time,
            coalesce(c.reworked, 0) as reworked, coalesce(c.extended, 0) as extended,
            coalesce(c.hours, 0)::float8 as hours
          from o full join c on coalesce(c.k, 0) = coalesce(o.k, 0)
        )
        select k as key, ${name} as name, open, overdue, red, yellow, blue, due, deferred, closed,
          closed_on_time, reworked, extended, hours
        from j order by (k is null), open desc, due desc, k`,
  );
}

/** The cohort KPI counts of every unit with problems dispatched in [from, to). */
export async function unitCohorts(
  db: DbOrTx,
  from: Date,
  to: Date,
  type?: string,
): Promise<(CohortRow & { unit_id: number; name: string; type: string })[]> {
  return execRows(
    db,
    sql`with c as (
          select p.unit_id, ${cohortCounts(to)} from problems p
          where ${inCohort(from, to)} and p.unit_id is not null group by 1
        )
        select c.*, u.name, u.type from c join units u on u.id = c.unit_id
        ${type ? sql`where u.type = ${type}` : sql``}`,
  );
}

/**
 * 满意率 of a unit: the reporters' ratings of its problems in the cohort dispatched in [from, to)
 * (each rating counts for the problem it rated).
 */
export async function unitSatisfaction(
  db: DbOrTx,
  unitId: number,
  from: Date,
  to: Date,
): Promise<{ rated: number; satisfied: number; basic: number }> {
  const [row] = await execRows<{ rated: number; satisfied: number; basic: number }>(
    db,
    sql`select count(*)::int as rated,
          count(*) filter (where cr.rating = 'satisfied')::int as satisfied,
          count(*) filter (where cr.rating = 'basic')::int as basic
        from citizen_reports cr join problems p on p.id = cr.rated_problem_id
        where cr.rating is not null and p.unit_id = ${unitId} and ${inCohort(from, to)}`,
  );
  return row!;
}

/** A unit's open problems by colour, and those waiting for verification or deferred. */
export async function unitOpen(
  db: DbOrTx,
  unitId: number,
  bounds: readonly EscalationBound[],
  now: Date,
): Promise<OpenCounts & { submitted: number; deferred: number; dispatched: number }> {
  const [row] = await execRows<
    OpenCounts & { submitted: number; deferred: number; dispatched: number }
  >(
    db,
    sql`select ${openCounts(bounds, now)},
          count(*) filter (where p.state = 'dispatched')::int as dispatched,
          count(*) filter (where p.state = 'submitted')::int as submitted,
          count(*) filter (where p.state = 'deferred')::int as deferred
        from problems p where ${OPEN} and p.unit_id = ${unitId}`,
  );
  return row!;
}

/** Dispatched problems due in [now, dueBefore], the soonest first. */
export async function dueSoon(db: DbOrTx, l: Level, now: Date, dueBefore: Date, limit: number) {
  return execRows<{
    id: number | string;
    code: string;
    title: string;
    unit_id: number | null;
    unit_name: string | null;
    region_name: string | null;
    deadline: Date | string;
    rework_count: number;
  }>(
    db,
    sql`select p.id, p.code, p.title, p.unit_id, u.name as unit_name, r.name as region_name,
          p.deadline, p.rework_count
        from problems p left join units u on u.id = p.unit_id
        left join regions r on r.id = p.region_id
        where p.state = 'dispatched' and p.deadline >= ${now} and p.deadline <= ${dueBefore}
          ${levelSql(l)}
        order by p.deadline, p.id limit ${limit}`,
  );
}

export interface RegionRef {
  id: number;
  name: string;
  level: string;
  path: string;
}

export async function findRegionRef(db: DbOrTx, id: number): Promise<RegionRef | undefined> {
  const [r] = await execRows<RegionRef>(
    db,
    sql`select id, name, level, path from regions where id = ${id}`,
  );
  return r;
}

/** The regions named in a path, outermost first. */
export async function regionsOnPath(db: DbOrTx, path: string): Promise<RegionRef[]> {
  const ids = path.split('/').filter(Boolean).map(Number);
  if (!ids.length) return [];
  const rows = await execRows<RegionRef>(
    db,
    sql`select id, name, level, path from regions where id in ${ids}`,
  );
  return ids.map((id) => rows.find((r) => r.id === id)).filter((r): r is RegionRef => !!r);
}

/** The top of the region tree (the city), when there is exactly one. */
export async function rootRegion(db: DbOrTx): Promise<RegionRef | undefined> {
  const rows = await execRows<RegionRef>(
    db,
    sql`select id, name, level, path from regions where parent_id is null order by id limit 2`,
  );
  return rows.length === 1 ? rows[0] : undefined;
}

export async function findUnitRef(
  db: DbOrTx,
  id: number,
): Promise<{ id: number; name: string; type: string } | undefined> {
  const [u] = await execRows<{ id: number; name: string; type: string }>(
    db,
    sql`select id, name, type from units where id = ${id}`,
  );
  return u;
}
