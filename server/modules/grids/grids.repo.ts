import { and, eq, inArray, sql } from 'drizzle-orm';
import type { BBox, TAreaGeometry } from '../../../core/geo/polygon.js';
import { OPEN_STATES } from '../../../core/problems/lifecycle.js';
import type { TScope } from '../../../core/permissions.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import {
  gridMembers,
  grids,
  patrolProblems,
  problems,
  regions,
  users,
} from '../../db/schema/index.js';
import { regionSubtree } from '../org/regions.repo.js';
import { problemScope } from '../problems/problems.repo.js';

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

/** The grids of a scope, filtered by region (with its subtree) and by name or code prefix. */
export async function listGridRows(
  db: DbOrTx,
  scope: TScope,
  q: { regionId?: number | undefined; q?: string | undefined },
): Promise<GridRow[]> {
  const conds = [gridScope(scope)];
  if (q.regionId) {
    conds.push(sql`${grids.regionId} in (select r2.id from regions r2 where r2.path like
      (select r1.path from regions r1 where r1.id = ${q.regionId}) || '%')`);
  }
  if (q.q) conds.push(sql`(${grids.name} ilike ${`%${q.q}%`} or ${grids.code} like ${`${q.q}%`})`);
  const filtered = conds.filter((c) => c !== undefined);
  return selectGrids(db, filtered.length ? and(...filtered) : undefined);
}

/** One grid if the scope sees it. */
export async function visibleGridRow(
  db: DbOrTx,
  scope: TScope,
  id: number,
): Promise<GridRow | undefined> {
  const s = gridScope(scope);
  const [row] = await selectGrids(db, s ? and(eq(grids.id, id), s) : eq(grids.id, id));
  return row;
}

export type GridTableRow = typeof grids.$inferSelect;
export type GridInsert = typeof grids.$inferInsert;
export type RegionRow = typeof regions.$inferSelect;
type GridMemberInsert = typeof gridMembers.$inferInsert;

export async function regionById(db: DbOrTx, regionId: number): Promise<RegionRow | undefined> {
  const [region] = await db.select().from(regions).where(eq(regions.id, regionId));
  return region;
}

export async function regionsByCodes(db: DbOrTx, codes: string[]): Promise<RegionRow[]> {
  return db.select().from(regions).where(inArray(regions.code, codes));
}

export async function gridIdByCode(db: DbOrTx, code: string): Promise<number | undefined> {
  const [row] = await db.select({ id: grids.id }).from(grids).where(eq(grids.code, code));
  return row?.id;
}

export async function gridsByCodes(db: DbOrTx, codes: string[]): Promise<GridTableRow[]> {
  return db.select().from(grids).where(inArray(grids.code, codes));
}

/** The grid row, locked for the rest of the transaction. */
export async function lockGrid(tx: DbOrTx, id: number): Promise<GridTableRow | undefined> {
  const [row] = await tx.select().from(grids).where(eq(grids.id, id)).for('update');
  return row;
}

export async function gridById(db: DbOrTx, id: number): Promise<GridTableRow | undefined> {
  const [grid] = await db.select().from(grids).where(eq(grids.id, id));
  return grid;
}

export async function insertGrid(tx: DbOrTx, values: GridInsert): Promise<GridTableRow> {
  const [row] = await tx.insert(grids).values(values).returning();
  return row!;
}

export async function insertGridId(tx: DbOrTx, values: GridInsert): Promise<number> {
  const [row] = await tx.insert(grids).values(values).returning({ id: grids.id });
  return row!.id;
}

/** Writes the grid if it is still at `version`; the new row, or undefined. */
export async function updateGridAtVersion(
  tx: DbOrTx,
  id: number,
  version: number,
  set: Partial<GridInsert>,
): Promise<GridTableRow | undefined> {
  const [after] = await tx
    .update(grids)
    .set(set)
    .where(and(eq(grids.id, id), eq(grids.version, version)))
    .returning();
  return after;
}

export async function updateGridById(tx: DbOrTx, id: number, set: Partial<GridInsert>) {
  await tx.update(grids).set(set).where(eq(grids.id, id));
}

export async function usersByIds(tx: DbOrTx, ids: number[]) {
  return tx
    .select({ id: users.id, roles: users.roles, active: users.active })
    .from(users)
    .where(inArray(users.id, ids));
}

/** Replaces the grid's members. */
export async function replaceMembers(
  tx: DbOrTx,
  gridId: number,
  members: readonly { userId: number; role: GridMemberInsert['role']; note: string | null }[],
) {
  await tx.delete(gridMembers).where(eq(gridMembers.gridId, gridId));
  if (members.length) {
    await tx.insert(gridMembers).values(
      members.map((m) => ({
        gridId,
        userId: m.userId,
        role: m.role,
        note: m.note,
      })),
    );
  }
}

/** The grid's located problems (open ones unless `all`) within a problem scope, newest first. */
export async function gridProblemRows(
  db: DbOrTx,
  scope: TScope,
  id: number,
  q: { all: 'true' | 'false'; limit: number },
) {
  const s = problemScope(scope);
  const conds = [eq(problems.gridId, id), sql`${problems.lat} is not null`];
  if (s) conds.push(s);
  if (q.all === 'false') {
    conds.push(sql`${problems.state} not in ('closed', 'rejected', 'merged')`);
  }
  return db
    .select({
      id: problems.id,
      code: problems.code,
      title: problems.title,
      state: problems.state,
      channel: problems.channel,
      lat: problems.lat,
      lng: problems.lng,
      patrolId: patrolProblems.patrolId,
    })
    .from(problems)
    .leftJoin(patrolProblems, eq(patrolProblems.problemId, problems.id))
    .where(and(...conds))
    .orderBy(sql`${problems.id} desc`)
    .limit(q.limit);
}

/** The active points (点位) whose position is in the box, by id. */
export async function activePointsInBox(db: DbOrTx, box: BBox) {
  return execRows<{
    id: number;
    name: string;
    address: string | null;
    lat: number;
    lng: number;
  }>(
    db,
    sql`select id, name, address, lat, lng from points
        where active and lat between ${box.minLat} and ${box.maxLat}
          and lng between ${box.minLng} and ${box.maxLng}
        order by id`,
  );
}

/** Every grid's region code, by grid id. */
export async function gridRegionCodes(db: DbOrTx): Promise<{ id: number; code: string }[]> {
  return execRows<{ id: number; code: string }>(
    db,
    sql`select g.id, r.code from grids g join regions r on r.id = g.region_id`,
  );
}
