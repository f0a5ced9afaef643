import type {
  TItemAnswer,
  TMyRound,
  TVisit,
  TVisitCorrection,
  TVisitSubmit,
} from '../../../core/contracts/inspections.js';
import { distanceM } from '../../../core/geo/coords.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import { scoredAnswers, visitAnswersProblem } from '../../../core/inspection/answer-check.js';
import { tallyVisit, type ChecklistItem } from '../../../core/inspection/score.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx, Tx } from '../../db/client.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors, isUniqueViolation } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { ensureCodeSequences } from '../problems/problems.service.js';
import { resolvePlace } from '../org/region-routing.js';
import { raiseFindings, type FindingPoint } from './findings.service.js';
import { managesRound } from './round-access.js';
import * as daysRepo from './round-days.repo.js';
import { findRound, type RoundRow } from './rounds.repo.js';
import { presentMyRound, presentVisit as present } from './visits.present.js';
import * as repo from './visits.repo.js';

const notAssigned = () =>
  new AppError('forbidden', 403, {
    zh: '您不是本轮的测评员，不能提交该点位的检查',
    en: 'you are not an inspector of this round',
  });

async function loadPoint(db: DbOrTx, pointId: number) {
  const point = await repo.findPointWithChecklist(db, pointId);
  if (!point) throw errors.notFound('point', pointId);
  return point;
}

/** Photos must exist and be the actor's own uploads (or already part of the visit corrected). */
async function checkPhotos(db: DbOrTx, actor: Actor, items: TItemAnswer[], kept: Set<string>) {
  const ids = [...new Set(items.flatMap((i) => i.photoIds))].filter((id) => !kept.has(id));
  if (!ids.length) return;
  const rows = await repo.fileUploaders(db, ids);
  const bad = ids.find((id) => !rows.some((r) => r.id === id && r.by === actor.id));
  if (bad) {
    throw errors.invalid(
      { zh: '照片不存在或不能使用', en: 'a photo does not exist or cannot be used' },
      [{ path: 'body.items', message: `照片不可用：${bad} / unusable photo ${bad}` }],
    );
  }
}

/** One answer per item, the numbers of count rules, a photo for every severe failure (400). */
function checkAnswers(checklist: ChecklistItem[], items: TItemAnswer[]) {
  const wrong = visitAnswersProblem(checklist, items);
  if (wrong) throw errors.invalid(wrong, [{ path: 'body.items', message: wrong.en }]);
}

/**
 * A visit already stored under this client id (a retry): its own sender gets it back
 * (`created: false`), anyone else 409.
 */
async function sentBefore(database: Database, actor: Actor, clientId: string) {
  const existing = await repo.findVisitByClientId(database.db, clientId);
  return existing && { visit: ownOrForbidden(existing, actor), created: false };
}

/** Raises the visit's failed items as a problem (findings.service.ts) and links it. */
async function raiseAndLink(
  tx: Tx,
  actor: Actor,
  visitId: number,
  input: Parameters<typeof raiseFindings>[2],
): Promise<number | null> {
  const problemId = await raiseFindings(tx, actor, input);
  if (problemId !== null) await repo.setVisitProblem(tx, visitId, problemId);
  return problemId;
}

/**
 * The place a visit is of: a drawn point of the round, or (随机查看) a place of a type that allows
 * it, to be created with the visit — located by the visit's GPS, in the region of the grid holding
 * it or the deepest region boundary holding it (else fallbackRegion).
 */
async function visitedPlace(
  database: Database,
  actor: Actor,
  round: RoundRow,
  input: TVisitSubmit,
): Promise<{ point: PointOfVisit; create: repo.PointInsert | null }> {
  if (input.pointId !== undefined) {
    if (!(round.drawnIds ?? []).includes(input.pointId)) {
      throw errors.invalid({
        zh: '该点位不在本轮抽中的点位中',
        en: 'this point was not drawn for the round',
      });
    }
    return { point: await loadPoint(database.db, input.pointId), create: null };
  }
  const added = input.addedPoint!;
  const type = await repo.findTypeByCode(database.db, added.type);
  if (!type) {
    throw errors.invalid({
      zh: `点位类型“${added.type}”不存在`,
      en: `unknown point type "${added.type}"`,
    });
  }
  if (!type.random_check) {
    throw errors.invalid({
      zh: `“${type.name}”不在随机查看的点位类型中，只能检查抽中的点位`,
      en: `places of type "${type.name}" cannot be added during a round (随机查看 is off for it)`,
    });
  }
  if (round.endsOn !== null && shanghaiDate(new Date(input.visitedAt)) > round.endsOn) {
    throw errors.invalid({
      zh: `本轮已于 ${round.endsOn} 结束，不能再随机增加点位`,
      en: `the round ended on ${round.endsOn}: no places can be added to it`,
    });
  }
  const lat = input.lat ?? null;
  const lng = input.lng ?? null;
  // The grid's region, else the boundaries' (org/region-routing), else the round's fallback.
  const place = await resolvePlace(database.db, { lat, lng }, false);
  const regionId = place.regionId ?? (await fallbackRegion(database.db, round, input.visitedAt));
  const create: repo.PointInsert = {
    name: added.name,
    typeId: type.id,
    regionId,
    regionSource: place.regionSource ?? (regionId === null ? null : 'given'),
    lat,
    lng,
    address: added.address ?? null,
    addedInRoundId: round.id,
    addedBy: actor.id,
  };
  const point: PointOfVisit = {
    id: 0,
    name: added.name,
    regionId,
    unitId: null,
    lat,
    lng,
    address: create.address ?? null,
    checklist: type.checklist,
  };
  return { point, create };
}

type PointOfVisit = FindingPoint & { checklist: ChecklistItem[] };

/**
 * Where an added place lies when no grid holds its GPS fix: drawn by day, the district of the
 * visit's day when that day covers one; else the round's one region; else nowhere (null).
 */
async function fallbackRegion(
  db: DbOrTx,
  round: RoundRow,
  visitedAt: string,
): Promise<number | null> {
  if (round.byDistrict) {
    const date = shanghaiDate(new Date(visitedAt));
    const day = (await daysRepo.daysOf(db, [round.id])).find((d) => d.date === date);
    if (day?.regionIds.length === 1) return day.regionIds[0]!;
  }
  return round.regionIds.length === 1 ? round.regionIds[0]! : null;
}

/**
 * Submits a field inspection of one drawn point (实地检查), or of a place added on the spot
 * (随机查看, `addedPoint`: the point is created in the same transaction, flagged as added in the
 * round and kept out of the draw until the office adopts it). Immutable once stored; a retry with
 * the same client id returns the stored visit (`created: false`) — the added place included, so
 * a phone's offline queue never adds it twice. Count rules score the items from the numbers
 * entered; a severe failure needs its photo. In the same transaction the failed items become a
 * problem (findings.service.ts).
 */
export async function submitVisit(
  database: Database,
  actor: Actor,
  input: TVisitSubmit,
): Promise<{ visit: TVisit; created: boolean }> {
  requirePermission(actor, Permission.ProblemReport);
  if (actor.id === null) throw errors.unauthenticated();
  const retry = await sentBefore(database, actor, input.clientId);
  if (retry) return retry;
  const round = await findRound(database.db, input.roundId);
  if (!round) throw errors.notFound('round', input.roundId);
  if (!round.inspectorIds.includes(actor.id) && !(await managesRound(database.db, actor, round))) {
    throw notAssigned();
  }
  if (round.state !== 'drawn' && round.state !== 'revealed') {
    throw new AppError('illegal_transition', 409, {
      zh: '本轮尚未抽签，不能提交检查',
      en: 'this round has not been drawn yet',
    });
  }
  const { point, create } = await visitedPlace(database, actor, round, input);
  checkAnswers(point.checklist, input.items);
  await checkPhotos(database.db, actor, input.items, new Set());
  const items = scoredAnswers(point.checklist, input.items);
  const tally = tallyVisit(point.checklist, items);
  const dist =
    !create && input.lat != null && input.lng != null && point.lat !== null && point.lng !== null
      ? distanceM(input.lat, input.lng, point.lat, point.lng)
      : null;
  await ensureCodeSequences(database);
  try {
    const id = await withTx(database, async (tx) => {
      if (create) {
        const row = await repo.insertAddedPoint(tx, create);
        point.id = row.id;
        await writeAudit(tx, actor, {
          action: 'point.add_in_round',
          entityType: 'point',
          entityId: row.id,
          after: { ...row, clientId: input.clientId },
        });
      }
      const visitId = await repo.insertVisit(tx, {
        clientId: input.clientId,
        version: 1,
        roundId: round.id,
        pointId: point.id,
        inspectorId: actor.id!,
        items,
        ratings: input.ratings ?? null,
        note: input.note ?? null,
        lat: input.lat ?? null,
        lng: input.lng ?? null,
        accuracyM: input.accuracyM ?? null,
        distanceM: dist,
        visitedAt: new Date(input.visitedAt),
        ...tally,
      });
      const problemId = await raiseAndLink(tx, actor, visitId, {
        rootId: visitId,
        roundName: round.name,
        round: { ownerRegionId: round.ownerRegionId, handDown: round.handDown },
        point,
        checklist: point.checklist,
        items,
        visitedAt: new Date(input.visitedAt),
      });
      await writeAudit(tx, actor, {
        action: 'visit.submit',
        entityType: 'inspection_visit',
        entityId: visitId,
        after: { ...input, pointId: point.id, items, ...tally, distanceM: dist, problemId },
      });
      return visitId;
    });
    const visit = await repo.findVisitById(database.db, id);
    return { visit: present(visit!), created: true };
  } catch (err) {
    if (isUniqueViolation(err, 'inspection_visits_client_uq')) {
      const again = await sentBefore(database, actor, input.clientId);
      if (again) return again;
    }
    if (isUniqueViolation(err, 'inspection_visits_point_uq')) {
      throw new AppError('duplicate', 409, {
        zh: '本轮该点位已有检查记录；如需更正，请对原记录提交更正',
        en: 'this point already has a visit in this round; submit a correction to it instead',
      });
    }
    if (isUniqueViolation(err, 'points_added_name_uq')) {
      throw new AppError('duplicate', 409, {
        zh: `本轮已随机增加过同类型的“${point.name}”，请勿重复增加；如需更正，请对原记录提交更正`,
        en: `"${point.name}" of this type was already added in this round; correct that visit instead`,
      });
    }
    throw err;
  }
}

/** A client id belongs to whoever first used it: another person gets 409, not that visit. */
function ownOrForbidden(row: repo.VisitRow, actor: Actor): TVisit {
  if (row.inspector_id !== actor.id) {
    throw errors.duplicate('inspection_visit', 'clientId', row.client_id);
  }
  return present(row);
}

/**
 * 更正: appends a new version to a visit chain with a reason; the earlier versions stay as they
 * were. Only the latest version can be corrected (an older one → 409), by its inspector or the
 * office.
 */
export async function correctVisit(
  database: Database,
  actor: Actor,
  id: number,
  input: TVisitCorrection,
): Promise<{ visit: TVisit; created: boolean }> {
  requirePermission(actor, Permission.ProblemReport);
  if (actor.id === null) throw errors.unauthenticated();
  const retry = await sentBefore(database, actor, input.clientId);
  if (retry) return retry;
  const prev = await repo.findVisitById(database.db, id);
  if (!prev) throw errors.notFound('inspection_visit', id);
  if (prev.inspector_id !== actor.id) {
    const round = await findRound(database.db, prev.round_id);
    if (!round || !(await managesRound(database.db, actor, round))) throw errors.forbidden();
  }
  if (!prev.latest) throw errors.staleVersion('inspection_visit');
  const point = await loadPoint(database.db, prev.point_id);
  checkAnswers(point.checklist, input.items);
  const kept = new Set((prev.items as TItemAnswer[]).flatMap((i) => i.photoIds ?? []));
  await checkPhotos(database.db, actor, input.items, kept);
  const items = scoredAnswers(point.checklist, input.items);
  const tally = tallyVisit(point.checklist, items);
  await ensureCodeSequences(database);
  try {
    const newId = await withTx(database, async (tx) => {
      const rootId = Number(prev.root_id);
      const visitId = await repo.insertVisit(tx, {
        clientId: input.clientId,
        rootId,
        previousId: Number(prev.id),
        version: prev.version + 1,
        reason: input.reason,
        roundId: prev.round_id,
        pointId: prev.point_id,
        inspectorId: prev.inspector_id,
        items,
        ratings: input.ratings ?? prev.ratings,
        note: input.note ?? prev.note,
        lat: prev.lat,
        lng: prev.lng,
        accuracyM: prev.accuracy_m,
        distanceM: prev.distance_m,
        visitedAt: new Date(prev.visited_at),
        ...tally,
        problemId: prev.problem_id === null ? null : Number(prev.problem_id),
      });
      if (prev.problem_id === null) {
        const round = (await findRound(tx, prev.round_id))!;
        await raiseAndLink(tx, actor, visitId, {
          rootId,
          roundName: prev.round_name,
          round: { ownerRegionId: round.ownerRegionId, handDown: round.handDown },
          point,
          checklist: point.checklist,
          items,
          visitedAt: new Date(prev.visited_at),
        });
      }
      await writeAudit(tx, actor, {
        action: 'visit.correct',
        entityType: 'inspection_visit',
        entityId: visitId,
        before: { id: Number(prev.id), version: prev.version, items: prev.items },
        after: { ...input, items, version: prev.version + 1, ...tally },
      });
      return visitId;
    });
    const visit = await repo.findVisitById(database.db, newId);
    return { visit: present(visit!), created: true };
  } catch (err) {
    if (isUniqueViolation(err, 'inspection_visits_client_uq')) {
      const again = await sentBefore(database, actor, input.clientId);
      if (again) return again;
    }
    // Someone corrected the same version at the same moment.
    if (isUniqueViolation(err)) throw errors.staleVersion('inspection_visit');
    throw err;
  }
}

export async function listVisits(
  database: Database,
  actor: Actor,
  q: {
    roundId?: number | undefined;
    pointId?: number | undefined;
    history?: 'true' | 'false' | undefined;
  },
): Promise<{ items: TVisit[] }> {
  const scope = requirePermission(actor, Permission.ProblemRead);
  const rows = await repo.listVisits(
    database.db,
    { roundId: q.roundId, pointId: q.pointId, history: q.history === 'true' },
    repo.visitScopeSql(scope, actor.id, officeRegionOf(actor)),
  );
  return { items: rows.map(present) };
}

/** One visit with every version of its chain (the history of corrections). */
export async function getVisit(
  database: Database,
  actor: Actor,
  id: number,
): Promise<{ visit: TVisit; versions: TVisit[] }> {
  const scope = requirePermission(actor, Permission.ProblemRead);
  const row = await repo.findVisitById(
    database.db,
    id,
    repo.visitScopeSql(scope, actor.id, officeRegionOf(actor)),
  );
  if (!row) throw errors.notFound('inspection_visit', id);
  const versions = await repo.chainOf(database.db, Number(row.root_id));
  return { visit: present(row), versions: versions.map(present) };
}

/**
 * The inspector's work: the drawn rounds they are assigned to, each with its drawn points and the
 * places added during it, the checklists, what is already visited, and — while the round is under
 * way — the point types whose places may be added (随机查看): everything the phone keeps for
 * offline use.
 */
export async function myRounds(database: Database, actor: Actor): Promise<{ items: TMyRound[] }> {
  requirePermission(actor, Permission.ProblemReport);
  if (actor.id === null) throw errors.unauthenticated();
  const mine = await repo.inspectorRounds(database.db, actor.id);
  const addable = mine.length ? await repo.addableTypes(database.db) : [];
  const byDay = mine.filter((r) => r.byDistrict).map((r) => r.id);
  const days = await daysRepo.daysOf(database.db, byDay);
  const names = byDay.length ? await daysRepo.districtNames(database.db) : new Map();
  const today = shanghaiDate(new Date());
  const items: TMyRound[] = [];
  for (const r of mine) {
    const rows = await repo.assignedPoints(database.db, r.id, r.drawnIds ?? []);
    const underWay = r.endsOn === null || r.endsOn >= today;
    const own = days.filter((d) => d.roundId === r.id);
    items.push(presentMyRound(r, rows, underWay ? addable : [], own, names));
  }
  return { items };
}
