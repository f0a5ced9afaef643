import { and, desc, eq, sql } from 'drizzle-orm';
import type {
  TPatrol,
  TPatrolDetail,
  TPatrolPoints,
  TPatrolProblem,
  TStartPatrol,
} from '../../../core/contracts/grids.js';
import type { TProblemDetail } from '../../../core/contracts/problems.js';
import { cellGrid, trackLengthM, visitedCells } from '../../../core/geo/coverage.js';
import type { TAreaGeometry } from '../../../core/geo/polygon.js';
import { Permission } from '../../../core/permissions.js';
import { execRows, type Database, type DbOrTx } from '../../db/client.js';
import {
  gridMembers,
  grids,
  patrolPoints,
  patrolProblems,
  patrols,
  problems,
  users,
} from '../../db/schema/index.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { ensureCodeSequences, getProblem, intakeProblem } from '../problems/problems.service.js';
import { gridAt } from './grid-routing.js';
import { gridError } from './grids.service.js';

const patrolColumns = {
  p: patrols,
  gridName: grids.name,
  workerName: users.name,
  pointCount: sql<number>`(select count(*)::int from patrol_points pp where pp.patrol_id = ${patrols.id})`,
  problemCount: sql<number>`(select count(*)::int from patrol_problems pr where pr.patrol_id = ${patrols.id})`,
};

async function selectPatrols(db: DbOrTx, where: ReturnType<typeof eq> | undefined, limit = 1) {
  const rows = await db
    .select(patrolColumns)
    .from(patrols)
    .innerJoin(grids, eq(grids.id, patrols.gridId))
    .innerJoin(users, eq(users.id, patrols.workerId))
    .where(where)
    .orderBy(desc(patrols.startedAt), desc(patrols.id))
    .limit(limit);
  return rows.map(present);
}

function present(r: {
  p: typeof patrols.$inferSelect;
  gridName: string;
  workerName: string;
  pointCount: number;
  problemCount: number;
}): TPatrol {
  return {
    id: r.p.id,
    clientId: r.p.clientId,
    gridId: r.p.gridId,
    gridName: r.gridName,
    workerId: r.p.workerId,
    workerName: r.workerName,
    state: r.p.state,
    startedAt: r.p.startedAt.toISOString(),
    endedAt: r.p.endedAt?.toISOString() ?? null,
    distanceM: r.p.distanceM === null ? null : Math.round(r.p.distanceM),
    coverage: r.p.coverage,
    pointCount: Number(r.pointCount),
    problemCount: Number(r.problemCount),
  };
}

/** A patrol by the phone's id; only its walker may add to it. */
async function ownPatrol(db: DbOrTx, actor: Actor, clientId: string) {
  const [p] = await db.select().from(patrols).where(eq(patrols.clientId, clientId));
  if (!p) throw errors.notFound('patrol', clientId);
  if (p.workerId !== actor.id) {
    throw new AppError('duplicate', 409, {
      zh: '该巡查编号属于他人',
      en: 'this patrol id belongs to someone else',
    });
  }
  return p;
}

async function gridToPatrol(tx: DbOrTx, actor: Actor, input: TStartPatrol) {
  const mine = await tx
    .select({ gridId: gridMembers.gridId })
    .from(gridMembers)
    .innerJoin(grids, eq(grids.id, gridMembers.gridId))
    .where(and(eq(gridMembers.userId, actor.id!), eq(grids.active, true)));
  const office = requirePermission(actor, Permission.GridRead).kind === 'all';
  let gridId = input.gridId;
  if (gridId === undefined) {
    if (mine.length === 1) gridId = mine[0]!.gridId;
    else if (input.lat !== undefined && input.lng !== undefined) {
      gridId = (await gridAt(tx, input.lat, input.lng))?.id;
    }
  }
  if (gridId === undefined) throw gridError();
  if (!office && !mine.some((m) => m.gridId === gridId)) {
    throw new AppError('forbidden', 403, {
      zh: '只能巡查自己所在的网格',
      en: 'you can patrol only your own grids',
    });
  }
  const [grid] = await tx.select().from(grids).where(eq(grids.id, gridId));
  if (!grid || !grid.active) throw errors.notFound('grid', gridId);
  return grid;
}

/** Starts a patrol; the phone's client id makes a retried start return the same patrol. */
export async function startPatrol(
  database: Database,
  actor: Actor,
  input: TStartPatrol,
): Promise<{ patrol: TPatrol; created: boolean }> {
  requirePermission(actor, Permission.PatrolWalk);
  if (actor.id === null) throw errors.unauthenticated();
  const [existing] = await database.db
    .select()
    .from(patrols)
    .where(eq(patrols.clientId, input.clientId));
  if (existing) {
    await ownPatrol(database.db, actor, input.clientId);
    return {
      patrol: (await selectPatrols(database.db, eq(patrols.id, existing.id)))[0]!,
      created: false,
    };
  }
  try {
    const id = await withTx(database, async (tx) => {
      const grid = await gridToPatrol(tx, actor, input);
      const [row] = await tx
        .insert(patrols)
        .values({
          clientId: input.clientId,
          gridId: grid.id,
          workerId: actor.id!,
          state: 'active',
          startedAt: input.startedAt ? new Date(input.startedAt) : new Date(),
          geometryRev: grid.geometryRev,
        })
        .returning();
      await writeAudit(tx, actor, {
        action: 'patrol.start',
        entityType: 'patrol',
        entityId: row!.id,
        after: row,
      });
      return row!.id;
    });
    return { patrol: (await selectPatrols(database.db, eq(patrols.id, id)))[0]!, created: true };
  } catch (err) {
    // The same start sent twice at once: the loser finds the winner's patrol.
    const [again] = await database.db
      .select()
      .from(patrols)
      .where(eq(patrols.clientId, input.clientId));
    if (!again) throw err;
    await ownPatrol(database.db, actor, input.clientId);
    return {
      patrol: (await selectPatrols(database.db, eq(patrols.id, again.id)))[0]!,
      created: false,
    };
  }
}

/**
 * Adds a batch of GPS samples. The phone numbers its samples, so a re-sent batch adds nothing;
 * new samples after the patrol ended are refused (409).
 */
export async function addPoints(
  database: Database,
  actor: Actor,
  patrolClientId: string,
  input: TPatrolPoints,
): Promise<{ added: number; total: number }> {
  requirePermission(actor, Permission.PatrolWalk);
  return withTx(database, async (tx) => {
    const p = await ownPatrol(tx, actor, patrolClientId);
    const added = await tx
      .insert(patrolPoints)
      .values(
        input.points.map((pt) => ({
          patrolId: p.id,
          seq: pt.seq,
          at: new Date(pt.at),
          lat: pt.lat,
          lng: pt.lng,
          accuracyM: pt.accuracyM ?? null,
        })),
      )
      .onConflictDoNothing()
      .returning({ seq: patrolPoints.seq });
    if (added.length && p.state === 'ended') {
      throw new AppError('patrol_ended', 409, {
        zh: '巡查已结束，不能再添加轨迹',
        en: 'the patrol has ended; no more track can be added',
      });
    }
    if (added.length) {
      await writeAudit(tx, actor, {
        action: 'patrol.track',
        entityType: 'patrol',
        entityId: p.id,
        after: { batch: input.clientId, added: added.length },
      });
    }
    const [{ n }] = (await execRows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from patrol_points where patrol_id = ${p.id}`,
    )) as [{ n: number }];
    return { added: added.length, total: Number(n) };
  });
}

/**
 * Reports a problem found on the patrol (channel `patrol`): the problem and its link to the patrol
 * in one transaction. The phone's client id makes a retry return the same problem.
 */
export async function reportOnPatrol(
  database: Database,
  actor: Actor,
  patrolClientId: string,
  input: TPatrolProblem,
): Promise<{ detail: TProblemDetail; created: boolean }> {
  requirePermission(actor, Permission.PatrolWalk);
  requirePermission(actor, Permission.ProblemReport);
  const linked = async () => {
    const [l] = await database.db
      .select()
      .from(patrolProblems)
      .where(eq(patrolProblems.clientId, input.clientId));
    return l;
  };
  const before = await linked();
  if (before) {
    await ownPatrol(database.db, actor, patrolClientId);
    return { detail: await getProblem(database, actor, before.problemId), created: false };
  }
  await ensureCodeSequences(database);
  try {
    const problemId = await withTx(database, async (tx) => {
      const p = await ownPatrol(tx, actor, patrolClientId);
      const { detail } = await intakeProblem(tx, actor, {
        title: input.title,
        description: input.description ?? null,
        categoryId: input.categoryId,
        severity: 'normal',
        channel: 'patrol',
        lat: input.lat ?? null,
        lng: input.lng ?? null,
        address: input.address ?? null,
        photoIds: input.photoIds ?? [],
      });
      await tx
        .insert(patrolProblems)
        .values({ clientId: input.clientId, patrolId: p.id, problemId: detail.problem.id });
      await writeAudit(tx, actor, {
        action: 'patrol.problem',
        entityType: 'patrol',
        entityId: p.id,
        after: { problemId: detail.problem.id, code: detail.problem.code },
      });
      return detail.problem.id;
    });
    await database.afterCommit();
    return { detail: await getProblem(database, actor, problemId), created: true };
  } catch (err) {
    const again = await linked();
    if (!again) throw err;
    return { detail: await getProblem(database, actor, again.problemId), created: false };
  }
}

/** Coverage of one track over its grid's current polygon: cells visited, share and length. */
export function patrolCoverage(
  geometry: TAreaGeometry,
  track: readonly { lat: number; lng: number }[],
) {
  const cells = cellGrid(geometry);
  const visited = visitedCells(cells, track);
  return {
    visited,
    coverage: cells.inside.length ? visited.length / cells.inside.length : 0,
    distanceM: trackLengthM(track),
  };
}

/** Ends a patrol and fixes its length and coverage; ending it again returns it as it is. */
export async function endPatrol(
  database: Database,
  actor: Actor,
  patrolClientId: string,
  input: { endedAt?: string | undefined; note?: string | null | undefined },
): Promise<TPatrol> {
  requirePermission(actor, Permission.PatrolWalk);
  const id = await withTx(database, async (tx) => {
    const p = await ownPatrol(tx, actor, patrolClientId);
    if (p.state === 'ended') return p.id;
    const [grid] = await tx.select().from(grids).where(eq(grids.id, p.gridId));
    const track = await tx
      .select({ lat: patrolPoints.lat, lng: patrolPoints.lng })
      .from(patrolPoints)
      .where(eq(patrolPoints.patrolId, p.id))
      .orderBy(patrolPoints.seq);
    const c = patrolCoverage(grid!.geometry as TAreaGeometry, track);
    const [after] = await tx
      .update(patrols)
      .set({
        state: 'ended',
        endedAt: input.endedAt ? new Date(input.endedAt) : new Date(),
        distanceM: c.distanceM,
        visitedCells: c.visited,
        geometryRev: grid!.geometryRev,
        coverage: c.coverage,
        note: input.note ?? null,
        version: p.version + 1,
      })
      .where(and(eq(patrols.id, p.id), eq(patrols.version, p.version)))
      .returning();
    if (!after) throw errors.staleVersion('patrol');
    await writeAudit(tx, actor, {
      action: 'patrol.end',
      entityType: 'patrol',
      entityId: p.id,
      before: { state: p.state },
      after: { state: 'ended', distanceM: c.distanceM, coverage: c.coverage, points: track.length },
    });
    return p.id;
  });
  return (await selectPatrols(database.db, eq(patrols.id, id)))[0]!;
}

/** Which patrols the actor may see: the office all; others their own and their grids' (as leader). */
function patrolScope(actor: Actor) {
  if (requirePermission(actor, Permission.GridRead).kind === 'all') return undefined;
  return sql`(${patrols.workerId} = ${actor.id ?? -1} or ${patrols.gridId} in
    (select grid_id from grid_members where user_id = ${actor.id ?? -1} and role = 'leader'))`;
}

export async function listPatrols(
  database: Database,
  actor: Actor,
  q: { gridId?: number | undefined; workerId?: number | undefined; limit: number },
) {
  const conds = [patrolScope(actor)];
  if (q.gridId) conds.push(eq(patrols.gridId, q.gridId));
  if (q.workerId) conds.push(eq(patrols.workerId, q.workerId));
  const c = conds.filter((x) => x !== undefined);
  return { items: await selectPatrols(database.db, c.length ? and(...c) : undefined, q.limit) };
}

/** The actor's patrol still walking (the phone resumes it after a reload), or null. */
export async function activePatrol(database: Database, actor: Actor) {
  requirePermission(actor, Permission.PatrolWalk);
  const [p] = await selectPatrols(
    database.db,
    and(eq(patrols.workerId, actor.id ?? -1), eq(patrols.state, 'active')),
  );
  return { patrol: p ?? null };
}

export async function getPatrol(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TPatrolDetail> {
  const s = patrolScope(actor);
  const [patrol] = await selectPatrols(
    database.db,
    s ? and(eq(patrols.id, id), s) : eq(patrols.id, id),
  );
  if (!patrol) throw errors.notFound('patrol', id);
  const track = await database.db
    .select({
      seq: patrolPoints.seq,
      at: patrolPoints.at,
      lat: patrolPoints.lat,
      lng: patrolPoints.lng,
    })
    .from(patrolPoints)
    .where(eq(patrolPoints.patrolId, id))
    .orderBy(patrolPoints.seq);
  const found = await database.db
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
    .where(eq(patrolProblems.patrolId, id))
    .orderBy(problems.id);
  return {
    patrol,
    track: track.map((t) => ({ ...t, at: t.at.toISOString() })),
    problems: found,
  };
}

/**
 * Patrol log per worker and grid over the last `days`: patrols, distance, mean coverage, problems
 * reported and the last patrol — the office sees all, others their own (and their grids as leader).
 */
export async function patrolSummary(database: Database, actor: Actor, days: number) {
  const scope = patrolScope(actor);
  const since = new Date(Date.now() - days * 86_400_000);
  const rows = await execRows<{
    worker_id: number;
    worker_name: string;
    grid_id: number;
    grid_name: string;
    patrols: number;
    distance_m: number | null;
    coverage: number | null;
    problems: number;
    last_at: Date | string;
  }>(
    database.db,
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
  return {
    items: rows.map((r) => ({
      workerId: Number(r.worker_id),
      workerName: r.worker_name,
      gridId: Number(r.grid_id),
      gridName: r.grid_name,
      patrols: Number(r.patrols),
      distanceM: r.distance_m === null ? 0 : Math.round(Number(r.distance_m)),
      coverage: r.coverage === null ? null : Number(r.coverage),
      problems: Number(r.problems),
      lastAt: new Date(r.last_at).toISOString(),
    })),
  };
}
