import type { TPatrol } from '../../../core/contracts/grids.js';
import type { PatrolRow, PatrolSummaryRow } from './patrols.repo.js';

export function presentPatrol(r: PatrolRow): TPatrol {
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

export function presentPatrolSummary(r: PatrolSummaryRow) {
  return {
    workerId: Number(r.worker_id),
    workerName: r.worker_name,
    gridId: Number(r.grid_id),
    gridName: r.grid_name,
    patrols: Number(r.patrols),
    distanceM: r.distance_m === null ? 0 : Math.round(Number(r.distance_m)),
    coverage: r.coverage === null ? null : Number(r.coverage),
    problems: Number(r.problems),
    lastAt: new Date(r.last_at).toISOString(),
  };
}
