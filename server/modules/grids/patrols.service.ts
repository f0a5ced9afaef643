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
import type { Database, DbOrTx } from '../../db/client.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { ensureCodeSequences, getProblem, intakeProblem } from '../problems/problems.service.js';
import { gridAt } from './grid-routing.js';
import { gridById } from './grids.repo.js';
import { gridError } from './grids.service.js';
import { presentPatrol, presentPatrolSummary } from './patrols.present.js';
import {
  activeGridsOfMember,
  countPatrolPoints,
  insertPatrol,
  insertPatrolPoints,
  insertPatrolProblem,
  patrolByClientId,
  patrolProblemByClientId,
  patrolSummaryRows,
  problemsOfPatrol,
  selectPatrols as selectPatrolRows,
  timedTrackOf,
  trackOf,
  updatePatrolAtVersion,
  type PatrolVisibility,
} from './patrols.repo.js';

async function selectPatrols(
  db: DbOrTx,
  where: Parameters<typeof selectPatrolRows>[1],
  limit = 1,
): Promise<TPatrol[]> {
  return (await selectPatrolRows(db, where, limit)).map(presentPatrol);
}

/** A patrol by the phone's id; only its walker may add to it. */
async function ownPatrol(db: DbOrTx, actor: Actor, clientId: string) {
  const p = await patrolByClientId(db, clientId);
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
  const mine = await activeGridsOfMember(tx, actor.id!);
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
  const grid = await gridById(tx, gridId);
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
  const existing = await patrolByClientId(database.db, input.clientId);
  if (existing) {
    await ownPatrol(database.db, actor, input.clientId);
    return {
      patrol: (await selectPatrols(database.db, { id: existing.id }))[0]!,
      created: false,
    };
  }
  try {
    const id = await withTx(database, async (tx) => {
      const grid = await gridToPatrol(tx, actor, input);
      const row = await insertPatrol(tx, {
        clientId: input.clientId,
        gridId: grid.id,
        workerId: actor.id!,
        state: 'active',
        startedAt: input.startedAt ? new Date(input.startedAt) : new Date(),
        geometryRev: grid.geometryRev,
      });
      await writeAudit(tx, actor, {
        action: 'patrol.start',
        entityType: 'patrol',
        entityId: row.id,
        after: row,
      });
      return row.id;
    });
    return { patrol: (await selectPatrols(database.db, { id }))[0]!, created: true };
  } catch (err) {
    // The same start sent twice at once: the loser finds the winner's patrol.
    const again = await patrolByClientId(database.db, input.clientId);
    if (!again) throw err;
    await ownPatrol(database.db, actor, input.clientId);
    return {
      patrol: (await selectPatrols(database.db, { id: again.id }))[0]!,
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
    const added = await insertPatrolPoints(
      tx,
      input.points.map((pt) => ({
        patrolId: p.id,
        seq: pt.seq,
        at: new Date(pt.at),
        lat: pt.lat,
        lng: pt.lng,
        accuracyM: pt.accuracyM ?? null,
      })),
    );
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
    return { added: added.length, total: await countPatrolPoints(tx, p.id) };
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
  const linked = () => patrolProblemByClientId(database.db, input.clientId);
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
      await insertPatrolProblem(tx, {
        clientId: input.clientId,
        patrolId: p.id,
        problemId: detail.problem.id,
      });
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
    const grid = await gridById(tx, p.gridId);
    const track = await trackOf(tx, p.id);
    const c = patrolCoverage(grid!.geometry as TAreaGeometry, track);
    const after = await updatePatrolAtVersion(tx, p.id, p.version, {
      state: 'ended',
      endedAt: input.endedAt ? new Date(input.endedAt) : new Date(),
      distanceM: c.distanceM,
      visitedCells: c.visited,
      geometryRev: grid!.geometryRev,
      coverage: c.coverage,
      note: input.note ?? null,
      version: p.version + 1,
    });
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
  return (await selectPatrols(database.db, { id }))[0]!;
}

/**
 * Which patrols the actor may see: the city's office all; a district or street office those on
 * its subtree's grids; others their own and their grids' (as leader).
 */
function patrolScope(actor: Actor): PatrolVisibility {
  if (requirePermission(actor, Permission.GridRead).kind === 'all') return null;
  const own = officeRegionOf(actor);
  return { userId: actor.id ?? -1, ...(own !== null ? { officeRegionId: own } : {}) };
}

export async function listPatrols(
  database: Database,
  actor: Actor,
  q: { gridId?: number | undefined; workerId?: number | undefined; limit: number },
) {
  const visibleTo = patrolScope(actor);
  return {
    items: await selectPatrols(
      database.db,
      { visibleTo, gridId: q.gridId, workerId: q.workerId || undefined },
      q.limit,
    ),
  };
}

/** The actor's patrol still walking (the phone resumes it after a reload), or null. */
export async function activePatrol(database: Database, actor: Actor) {
  requirePermission(actor, Permission.PatrolWalk);
  const [p] = await selectPatrols(database.db, { workerId: actor.id ?? -1, active: true });
  return { patrol: p ?? null };
}

export async function getPatrol(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TPatrolDetail> {
  const visibleTo = patrolScope(actor);
  const [patrol] = await selectPatrols(database.db, { id, visibleTo });
  if (!patrol) throw errors.notFound('patrol', id);
  const track = await timedTrackOf(database.db, id);
  const found = await problemsOfPatrol(database.db, id);
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
  const visibleTo = patrolScope(actor);
  const since = new Date(Date.now() - days * 86_400_000);
  const rows = await patrolSummaryRows(database.db, visibleTo, since);
  return { items: rows.map(presentPatrolSummary) };
}
