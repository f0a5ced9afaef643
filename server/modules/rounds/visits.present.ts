import type {
  TAssignedPoint,
  TItemAnswer,
  TMyRound,
  TRatings,
  TVisit,
} from '../../../core/contracts/inspections.js';
import { FAR_FROM_POINT_M, visitResult } from '../../../core/inspection/score.js';
import type { RoundDayRow } from './round-days.repo.js';
import type { RoundRow } from './rounds.repo.js';
import { normalItem } from '../points/point-types.present.js';
import type { AddableTypeRow, AssignedPointRow, VisitRow } from './visits.repo.js';

const iso = (d: Date | string) => (typeof d === 'string' ? new Date(d) : d).toISOString();

export function presentVisit(r: VisitRow): TVisit {
  const answers = r.items as TItemAnswer[];
  return {
    id: Number(r.id),
    clientId: r.client_id,
    rootId: Number(r.root_id),
    previousId: r.previous_id === null ? null : Number(r.previous_id),
    version: r.version,
    latest: r.latest,
    reason: r.reason,
    roundId: r.round_id,
    roundName: r.round_name,
    pointId: r.point_id,
    pointName: r.point_name,
    pointType: r.point_type,
    pointTypeName: r.point_type_name,
    added: r.added,
    unitId: r.unit_id,
    unitName: r.unit_name,
    inspectorId: r.inspector_id,
    inspectorName: r.inspector_name,
    items: answers.map((a) => ({
      ...a,
      photoIds: a.photoIds ?? [],
      text: r.checklist[a.index]?.text ?? '',
      serious: r.checklist[a.index]?.serious ?? false,
      severeCapable: r.checklist[a.index]?.severeCapable ?? false,
      quantity: r.checklist[a.index]?.quantity ?? null,
    })),
    ratings: (r.ratings as TRatings | null) ?? null,
    note: r.note,
    lat: r.lat,
    lng: r.lng,
    accuracyM: r.accuracy_m,
    distanceM: r.distance_m === null ? null : Math.round(r.distance_m),
    far: r.distance_m !== null && r.distance_m > FAR_FROM_POINT_M,
    visitedAt: iso(r.visited_at),
    createdAt: iso(r.created_at),
    passed: r.passed,
    failed: r.failed,
    notApplicable: r.not_applicable,
    seriousFailed: r.serious_failed,
    score: r.score,
    result: visitResult({ failed: r.failed, seriousFailed: r.serious_failed }),
    problemId: r.problem_id === null ? null : Number(r.problem_id),
    problemCode: r.problem_code,
  };
}

function presentAssignedPoint(
  p: AssignedPointRow,
  dayOfDistrict: ReadonlyMap<number, number>,
): TAssignedPoint {
  return {
    id: p.id,
    name: p.name,
    type: p.type,
    typeName: p.type_name,
    route: p.route,
    address: p.address,
    lat: p.lat,
    lng: p.lng,
    unitName: p.unit_name,
    added: p.added,
    districtName: p.district_name,
    dayId: p.district_id === null ? null : (dayOfDistrict.get(Number(p.district_id)) ?? null),
    checklist: p.checklist.map(normalItem),
    visitId: p.visit_id === null ? null : Number(p.visit_id),
    visitResult:
      p.visit_id === null
        ? null
        : visitResult({ failed: p.failed ?? 0, seriousFailed: p.serious_failed ?? 0 }),
    visitScore: p.score,
  };
}

/**
 * A drawn round as the inspector's phone keeps it, with the types of 随机查看 and — drawn by day
 * — its schedule, each point filed under the day whose districts hold it.
 */
export function presentMyRound(
  r: RoundRow,
  points: AssignedPointRow[],
  addable: AddableTypeRow[],
  days: RoundDayRow[] = [],
  districtNames: ReadonlyMap<number, string> = new Map(),
): TMyRound {
  const dayOfDistrict = new Map(days.flatMap((d) => d.regionIds.map((id) => [id, d.id] as const)));
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    points: points.map((p) => presentAssignedPoint(p, dayOfDistrict)),
    addableTypes: addable.map((t) => ({
      code: t.code,
      name: t.name,
      route: t.route,
      checklist: t.checklist.map(normalItem),
    })),
    days: days.map((d) => ({
      id: d.id,
      date: d.date,
      districtNames: d.regionIds.map((id) => districtNames.get(id) ?? `#${id}`),
      state: d.state,
    })),
  };
}
