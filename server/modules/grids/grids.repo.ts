import { eq, sql } from 'drizzle-orm';
import type { TAreaGeometry } from '../../../core/geo/polygon.js';
import { OPEN_STATES } from '../../../core/problems/lifecycle.js';
import type { TScope } from '../../../core/permissions.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { gridMembers, grids, regions, users } from '../../db/schema/index.js';
import { regionSubtree } from '../org/regions.repo.js';

export type GridRow = typeof grids.$inferSelect & { regionName: string; leaderName: string | null };

const leaderName = sql<
  string | null
>`(select u.name from grid_members gm join users u on u.id = gm.user_id
  where gm.grid_id = ${grids.id} and gm.role = 'leader')`;

/** The grids a scope may see: the office all; field staff the grids of their region and their own. */
export function gridScope(scope: TScope) {
  switch (scope.kind) {
    case 'all':
      return undefined;
    case 'region':
      return sql`(${grids.regionId} in ${regionSubtree(scope.regionId)} or ${grids.id} in
        (select grid_id from grid_members where user_id = ${scope.userId ?? -1}))`;
    case 'unit':
    case 'self':
      return sql`${grids.id} in (select grid_id from grid_members where user_id = ${scope.userId ?? -1})`;
  }
}

export async function selectGrids(
  db: DbOrTx,
  where: ReturnType<typeof sql> | undefined,
): Promise<GridRow[]> {
  return db
    .select({
      id: grids.id,
      code: grids.code,
      name: grids.name,
      regionId: grids.regionId,
      geometry: grids.geometry,
      minLat: grids.minLat,
      minLng: grids.minLng,
      maxLat: grids.maxLat,
      maxLng: grids.maxLng,
      cellCount: grids.cellCount,
      population: grids.population,
      households: grids.households,
      active: grids.active,
      geometryRev: grids.geometryRev,
      version: grids.version,
      createdAt: grids.createdAt,
      updatedAt: grids.updatedAt,
      regionName: regions.name,
      leaderName,
    })
    .from(grids)
    .innerJoin(regions, eq(regions.id, grids.regionId))
    .where(where)
    .orderBy(grids.code);
}

export async function membersOf(db: DbOrTx, gridId: number) {
  return db
    .select({
      userId: gridMembers.userId,
      name: users.name,
      username: users.username,
      role: gridMembers.role,
      note: gridMembers.note,
    })
    .from(gridMembers)
    .innerJoin(users, eq(users.id, gridMembers.userId))
    .where(eq(gridMembers.gridId, gridId))
    .orderBy(
      sql`case ${gridMembers.role} when 'leader' then 0 when 'worker' then 1 else 2 end`,
      users.name,
    );
}

export interface StatsRow {
  grid_id: number;
  open: number;
  closed: number;
  overdue: number;
  total: number;
  patrols: number;
  last_patrol_at: Date | string | null;
  visited: number;
  cell_count: number;
}

/**
 * Per grid: problems open / closed / overdue (one aggregate over the grid index), patrols in the
 * window and the cells their tracks visited (the union over the window, current polygon only).
 */
export async function statsOf(
  db: DbOrTx,
  gridIds: readonly number[] | null,
  since: Date,
  now: Date,
): Promise<StatsRow[]> {
  const only =
    gridIds === null
      ? sql`true`
      : gridIds.length
        ? sql`g.id in (${sql.join(
            gridIds.map((i) => sql`${i}`),
            sql`, `,
          )})`
        : sql`false`;
  return execRows<StatsRow>(
    db,
    sql`select g.id as grid_id, g.cell_count,
          coalesce(p.open, 0)::int as open, coalesce(p.closed, 0)::int as closed,
          coalesce(p.overdue, 0)::int as overdue, coalesce(p.total, 0)::int as total,
          coalesce(t.patrols, 0)::int as patrols, t.last_patrol_at,
          coalesce(v.visited, 0)::int as visited
        from grids g
        left join (
          select grid_id,
            count(*) filter (where state in (${sql.join(
              OPEN_STATES.map((st) => sql`${st}`),
              sql`, `,
            )})) as open,
            count(*) filter (where state = 'closed') as closed,
            count(*) filter (where state = 'dispatched' and deadline < ${now}) as overdue,
            count(*) filter (where state <> 'merged') as total
          from problems where grid_id is not null group by grid_id) p on p.grid_id = g.id
        left join (
          select grid_id, count(*) as patrols, max(started_at) as last_patrol_at
          from patrols where started_at >= ${since} group by grid_id) t on t.grid_id = g.id
        left join (
          select pa.grid_id, count(distinct c) as visited
          from patrols pa join grids g2 on g2.id = pa.grid_id and g2.geometry_rev = pa.geometry_rev,
            unnest(pa.visited_cells) as c
          where pa.started_at >= ${since} and pa.state = 'ended' group by pa.grid_id) v on v.grid_id = g.id
        where ${only}`,
  );
}

export type { TAreaGeometry };
