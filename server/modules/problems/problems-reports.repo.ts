import { sql, type SQL } from 'drizzle-orm';
import {
  KPI_EXCLUDED_STATES,
  type KpiCounts,
  type SatisfactionCounts,
} from '../../../core/problems/kpis.js';
import { OPEN_STATES } from '../../../core/problems/lifecycle.js';
import type { TKpiQuery } from '../../../core/contracts/problems.js';
import type { TScope } from '../../../core/permissions.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { problems } from '../../db/schema/index.js';
import { problemScope } from './problems.repo.js';

const EARTH_M = 6_371_000;

/** Great-circle distance in metres between a problem's position and a point (SQL). */
function distanceSql(lat: number, lng: number): SQL {
  return sql`(${EARTH_M} * 2 * asin(sqrt(
    power(sin(radians(${problems.lat} - ${lat}) / 2), 2) +
    cos(radians(${lat})) * cos(radians(${problems.lat})) * power(sin(radians(${problems.lng} - ${lng}) / 2), 2)
  )))`;
}

/** A bounding box first (index-friendly), then the exact distance. */
function within(lat: number, lng: number, radiusM: number): SQL {
  const dLat = radiusM / 111_320;
  const dLng = radiusM / (111_320 * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  return sql`${problems.lat} between ${lat - dLat} and ${lat + dLat}
    and ${problems.lng} between ${lng - dLng} and ${lng + dLng}
    and ${distanceSql(lat, lng)} <= ${radiusM}`;
}

/** Open problems of a category within a radius (that the scope shows): candidates for a duplicate. */
export async function findNearbyOpen(
  db: DbOrTx,
  p: { id: number; categoryId: number; lat: number; lng: number },
  radiusM: number,
  scope?: TScope,
) {
  const scoped = scope ? problemScope(scope) : undefined;
  // bigint ids arrive as strings from node-postgres: convert them here.
  const rows = await execRows<{
    id: number | string;
    code: string;
    title: string;
    state: string;
    distance_m: number;
  }>(
    db,
    sql`select ${problems.id} as id, ${problems.code} as code, ${problems.title} as title,
          ${problems.state} as state, ${distanceSql(p.lat, p.lng)} as distance_m
        from ${problems}
        where ${problems.categoryId} = ${p.categoryId} and ${problems.id} <> ${p.id}
          and ${problems.state} in ${OPEN_STATES} and ${within(p.lat, p.lng, radiusM)}
          ${scoped ? sql`and ${scoped}` : sql``}
        order by distance_m limit 10`,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), distance_m: Number(r.distance_m) }));
}

/** The latest problem of the category closed at the same place within the window (反弹). */
export async function findRecentlyClosedNearby(
  db: DbOrTx,
  p: { categoryId: number; lat: number; lng: number },
  radiusM: number,
  since: Date,
): Promise<number | null> {
  const rows = await execRows<{ id: number | string }>(
    db,
    sql`select ${problems.id} as id from ${problems}
        where ${problems.categoryId} = ${p.categoryId} and ${problems.state} = 'closed'
          and ${problems.closedAt} >= ${since} and ${within(p.lat, p.lng, radiusM)}
        order by ${problems.closedAt} desc limit 1`,
  );
  return rows[0] ? Number(rows[0].id) : null;
}

const GROUP: Record<TKpiQuery['groupBy'], { key: SQL; name: SQL; join: SQL }> = {
  unit: {
    key: sql`p.unit_id`,
    name: sql`coalesce(u.name, '未派遣')`,
    join: sql`left join units u on u.id = p.unit_id`,
  },
  category: {
    key: sql`coalesce(c.parent_id, c.id)`,
    name: sql`coalesce(pc.name, c.name)`,
    join: sql`join problem_categories c on c.id = p.category_id left join problem_categories pc on pc.id = c.parent_id`,
  },
  // Roll up to the district / street above the problem's region through the region path.
  district: {
    key: sql`nullif(split_part(r.path, '/', 3), '')::int`,
    name: sql`coalesce((select name from regions x where x.id = nullif(split_part(r.path, '/', 3), '')::int), '未定位')`,
    join: sql`left join regions r on r.id = p.region_id`,
  },
  street: {
    key: sql`nullif(split_part(r.path, '/', 4), '')::int`,
    name: sql`coalesce((select name from regions x where x.id = nullif(split_part(r.path, '/', 4), '')::int), '未定位')`,
    join: sql`left join regions r on r.id = p.region_id`,
  },
};

/** KPI counts of the cohort dispatched in [from, to), grouped; one SQL aggregate. */
export async function kpiCounts(
  db: DbOrTx,
  scope: TScope,
  q: TKpiQuery,
  now: Date,
): Promise<({ key: number | null; name: string } & KpiCounts & SatisfactionCounts)[]> {
  const g = GROUP[q.groupBy];
  const to = new Date(q.to);
  const cutoff = to < now ? to : now;
  const scoped = problemScope(scope);
  const due = sql`(p.state = 'closed' or p.deadline <= ${cutoff})`;
  const rows = await execRows<{
    key: number | null;
    name: string;
    due: number;
    deferred: number;
    closed: number;
    closed_on_time: number;
    reworked: number;
    extended: number;
    hours: number;
    rated: number;
    satisfied: number;
    basic: number;
  }>(
    db,
    sql`select ${g.key} as key, ${g.name} as name,
          count(*) filter (where ${due})::int as due,
          count(*) filter (where ${due} and p.state = 'deferred')::int as deferred,
          count(*) filter (where p.state = 'closed')::int as closed,
          count(*) filter (where p.state = 'closed' and p.closed_at <= p.deadline)::int as closed_on_time,
          count(*) filter (where ${due} and p.rework_count > 0)::int as reworked,
          count(*) filter (where ${due} and p.extension_count > 0)::int as extended,
          coalesce(sum(p.handling_hours) filter (where p.state = 'closed'), 0)::float8 as hours,
          coalesce(sum(cr.rated), 0)::int as rated,
          coalesce(sum(cr.satisfied), 0)::int as satisfied,
          coalesce(sum(cr.basic), 0)::int as basic
        from problems p ${g.join}
        -- 满意率: the reporters' ratings, per rated problem (a partial index holds them all).
        left join (
          select rated_problem_id as problem_id, count(*) as rated,
            count(*) filter (where rating = 'satisfied') as satisfied,
            count(*) filter (where rating = 'basic') as basic
          from citizen_reports where rating is not null group by 1
        ) cr on cr.problem_id = p.id
        where p.dispatched_at >= ${new Date(q.from)} and p.dispatched_at < ${to}
          and p.state not in ${KPI_EXCLUDED_STATES}
          ${scoped ? sql`and p.id in (select ${problems.id} from ${problems} where ${scoped})` : sql``}
        group by 1, 2
        order by due desc, 2`,
  );
  return rows.map((r) => ({
    key: r.key,
    name: r.name,
    due: r.due,
    deferred: r.deferred,
    closed: r.closed,
    closedOnTime: r.closed_on_time,
    reworked: r.reworked,
    extended: r.extended,
    handlingHoursSum: r.hours,
    rated: r.rated,
    satisfied: r.satisfied,
    basic: r.basic,
  }));
}
