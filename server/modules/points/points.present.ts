import type { TPointDetail } from '../../../core/contracts/inspections.js';
import type { TPoint, TPointListItem, TPointOverview } from '../../../core/contracts/points.js';
import { fieldChanges } from '../../../core/audit/field-changes.js';
import { visitResult } from '../../../core/inspection/score.js';
import type { OverviewRow, PointDetailRow, PointHistoryRow, PointRow } from './points.repo.js';

export function presentPoint(r: PointRow): TPoint {
  const { addedBy: _by, ...rest } = r;
  return {
    ...rest,
    adoptedAt: r.adoptedAt === null ? null : r.adoptedAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
  };
}

export function presentListItem(r: PointRow & { type: string; typeName: string }): TPointListItem {
  return { ...presentPoint(r), type: r.type, typeName: r.typeName };
}

const IGNORED = ['version', 'createdAt', 'id', 'addedBy'];

export function presentPointDetail(
  p: PointDetailRow,
  grid: TPointDetail['grid'],
  history: PointHistoryRow[],
): TPointDetail {
  return {
    point: {
      ...p,
      id: Number(p.id),
      typeName: p.type_name,
      regionName: p.region_name,
      unitName: p.unit_name,
    },
    grid,
    history: history.map((r) => ({
      at: new Date(r.at).toISOString(),
      actorName: r.actor_name,
      action: r.action,
      changes: r.action === 'point.import' ? [] : fieldChanges(r.before, r.after, IGNORED),
    })),
  };
}

export function presentOverview(r: OverviewRow): TPointOverview {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    typeName: r.type_name,
    regionId: r.region_id,
    regionName: r.region_name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    address: r.address,
    lat: r.lat,
    lng: r.lng,
    leader: r.leader,
    contact: r.contact,
    active: r.active,
    added: r.added,
    addedInRoundName: r.added_in_round_name,
    version: r.version,
    lastVisitId: r.visit_id === null ? null : Number(r.visit_id),
    lastVisitAt: r.visited_at === null ? null : new Date(r.visited_at).toISOString(),
    lastRoundName: r.round_name,
    lastScore: r.score,
    lastResult:
      r.visit_id === null
        ? null
        : visitResult({ failed: r.failed ?? 0, seriousFailed: r.serious_failed ?? 0 }),
  };
}
