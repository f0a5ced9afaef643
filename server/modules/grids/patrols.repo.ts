import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../../db/client.js';
import { regionSubtree } from '../org/regions.repo.js';
import {
  gridMembers,
  grids,
  patrolPoints,
  patrolProblems,
  patrols,
  problems,
  users,
} from '../../db/schema/index.js';

export type PatrolTableRow = typeof patrols.$inferSelect;
export type PatrolInsert = typeof patrols.$inferInsert;
export type PatrolPointInsert = typeof patrolPoints.$inferInsert;

const patrolColumns = {
  p: patrols,
  gridName: grids.name,
  workerName: users.name,
  pointCount: sql<number>`(select count(*)::int from patrol_points pp where pp.patrol_id = ${patrols.id})`,
  problemCount: sql<number>`(select count(*)::int from patrol_problems pr where pr.patrol_id = ${patrols.id})`,
};

export interface PatrolRow {
  p: PatrolTableRow;
  gridName: string;
  workerName: string;
  pointCount: number;
  problemCount: number;
}

/**
 * Who sees which patrols: `null` the office (all); otherwise the user's own patrols and those of
 * the grids the user leads.
 */
/**
 * Who sees which patrols: null all; else a user's own and their grids' (as 网格长), and with
 * `officeRegionId` (a district or street office) every patrol on a grid of that subtree.
 */
export type PatrolVisibility = { userId: number; officeRegionId?: number } | null;

function patrolScope(visibleTo: PatrolVisibility): SQL | undefined {
  if (visibleTo === null) return undefined;
  const office =
    visibleTo.officeRegionId === undefined
      ? sql``
      : sql` or ${patrols.gridId} in (select g.id from grids g
          where g.region_id in ${regionSubtree(visibleTo.officeRegionId)})`;
  return sql`(${patrols.workerId} = ${visibleTo.userId} or ${patrols.gridId} in
    (select grid_id from grid_members where user_id = ${visibleTo.userId} and role = 'leader')${office})`;
}

/** The patrols matching every given filter, newest first, with their grid, walker and counts. */
export async function selectPatrols(
  db: DbOrTx,
  f: {
    id?: number | undefined;
    gridId?: number | undefined;
    workerId?: number | undefined;
    active?: boolean;
    visibleTo?: PatrolVisibility;
  },
  limit = 1,
): Promise<PatrolRow[]> {
  const conds = [f.visibleTo === undefined ? undefined : patrolScope(f.visibleTo)];
  if (f.id !== undefined) conds.push(eq(patrols.id, f.id));
  if (f.gridId) conds.push(eq(patrols.gridId, f.gridId));
  if (f.workerId !== undefined) conds.push(eq(patrols.workerId, f.workerId));
  if (f.active) conds.push(eq(patrols.state, 'active'));
  const c = conds.filter((x) => x !== undefined);
  return db
    .select(patrolColumns)
    .from(patrols)
    .innerJoin(grids, eq(grids.id, patrols.gridId))
    .innerJoin(users, eq(users.id, patrols.workerId))
    .where(c.length ? and(...c) : undefined)
    .orderBy(desc(patrols.startedAt), desc(patrols.id))
    .limit(limit);
}

export async function patrolByClientId(
  db: DbOrTx,
  clientId: string,
): Promise<PatrolTableRow | undefined> {
  const [p] = await db.select().from(patrols).where(eq(patrols.clientId, clientId));
  return p;
}

/** The active grids the user is a member of. */
export async function activeGridsOfMember(tx: DbOrTx, userId: number) {
  return tx
    .select({ gridId: gridMembers.gridId })
    .from(gridMembers)
    .innerJoin(grids, eq(grids.id, gridMembers.gridId))
    .where(and(eq(gridMembers.userId, userId), eq(grids.active, true)));
}

export async function insertPatrol(tx: DbOrTx, values: PatrolInsert): Promise<PatrolTableRow> {
  const [row] = await tx.insert(patrols).values(values).returning();
  return row!;
}

/** Adds the samples not yet stored (by patrol and seq); the seqs added. */
export async function insertPatrolPoints(tx: DbOrTx, points: PatrolPointInsert[]) {
  return tx
    .insert(patrolPoints)
    .values(points)
    .onConflictDoNothing()
    .returning({ seq: patrolPoints.seq });
}

export async function countPatrolPoints(tx: DbOrTx, patrolId: number): Promise<number> {
  const [{ n }] = (await execRows<{ n: number }>(
    tx,
    sql`select count(*)::int as n from patrol_points where patrol_id = ${patrolId}`,
  )) as [{ n: number }];
  return Number(n);
}

export async function patrolProblemByClientId(db: DbOrTx, clientId: string) {
  const [l] = await db.select().from(patrolProblems).where(eq(patrolProblems.clientId, clientId));
  return l;
}

export async function insertPatrolProblem(
  tx: DbOrTx,
  values: { clientId: string; patrolId: number; problemId: number },
) {
  await tx.insert(patrolProblems).values(values);
}

/** The patrol's samples in order (positions only). */
export async function trackOf(tx: DbOrTx, patrolId: number) {
  return tx
    .select({ lat: patrolPoints.lat, lng: patrolPoints.lng })
    .from(patrolPoints)
    .where(eq(patrolPoints.patrolId, patrolId))
    .orderBy(patrolPoints.seq);
}

/** The patrol's samples in order, with their times. */
export async function timedTrackOf(db: DbOrTx, patrolId: number) {
  return db
    .select({
      seq: patrolPoints.seq,
      at: patrolPoints.at,
      lat: patrolPoints.lat,
      lng: patrolPoints.lng,
    })
    .from(patrolPoints)
    .where(eq(patrolPoints.patrolId, patrolId))
    .orderBy(patrolPoints.seq);
}

/** Writes the patrol if it is still at `version`; the new row, or undefined. */
export async function updatePatrolAtVersion(
  tx: DbOrTx,
  id: number,
  version: number,
  set: Partial<PatrolInsert>,
): Promise<PatrolTableRow | undefined> {
  const [after] = await tx
    .update(patrols)
    .set(set)
    .where(and(eq(patrols.id, id), eq(patrols.version, version)))
    .returning();
  return after;
}

/** The problems reported on the patrol, by id. */
export async function problemsOfPatrol(db: DbOrTx, patrolId: number) {
  return db
    .select({
      id: problems.id,
      code: problems.code,
      title: problems.title,
      state: problems.state,
      lat: problems.lat,
      lng: problems.lng,
    })
    .from(patrolProblems)
    .innerJoin(problems, eq(problems.id, patrolProblems.problemId))
    .where(eq(patrolProblems.patrolId, patrolId))
    .orderBy(problems.id);
}

export interface PatrolSummaryRow {
  worker_id: number;
  worker_name: string;
  grid_id: number;
  grid_name: string;
  patrols: number;
  distance_m: number | null;
  coverage: number | null;
  problems: number;
  last_at: Date | string;
}

/** Patrols per worker and grid since `since`, within what `visibleTo` sees. */
export async function patrolSummaryRows(
  db: DbOrTx,
  visibleTo: PatrolVisibility,
  since: Date,
): Promise<PatrolSummaryRow[]> {
  const scope = patrolScope(visibleTo);
  return execRows<PatrolSummaryRow>(
    db,
    sql`select ${patrols.workerId} as worker_id, u.name as worker_name, ${patrols.gridId} as grid_id,
          g.name as grid_name, count(*)::int as patrols, sum(${patrols.distanceM}) as distance_m,
          avg(${patrols.coverage}) as coverage,
          (select count(*)::int from patrol_problems pp join patrols p2 on p2.id = pp.patrol_id
            where p2.worker_id = ${patrols.workerId} and p2.grid_id = ${patrols.gridId}
              and p2.started_at >= ${since}) as problems,
          max(${patrols.startedAt}) as last_at
        from ${patrols} join users u on u.id = ${patrols.workerId} join grids g on g.id = ${patrols.gridId}
        where ${patrols.startedAt} >= ${since} ${scope ? sql`and ${scope}` : sql``}
        group by ${patrols.workerId}, u.name, ${patrols.gridId}, g.name
        order by g.name, u.name`,
  );
}
