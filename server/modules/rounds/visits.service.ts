import type {
  TItemAnswer,
  TMyRound,
  TVisit,
  TVisitCorrection,
  TVisitSubmit,
} from '../../../core/contracts/inspections.js';
import { distanceM } from '../../../core/geo/coords.js';
import { answersProblem, tallyVisit, type ChecklistItem } from '../../../core/inspection/score.js';
import { Permission, permissionsOf } from '../../../core/permissions.js';
import type { Database, DbOrTx, Tx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors, isUniqueViolation } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { ensureCodeSequences } from '../problems/problems.service.js';
import { raiseFindings } from './findings.service.js';
import { findRound } from './rounds.repo.js';
import { presentMyRound, presentVisit as present } from './visits.present.js';
import * as repo from './visits.repo.js';

const isOffice = (actor: Actor) => permissionsOf(actor.roles).has(Permission.ProblemManage);

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
      [{ path: 'body.items', message: `unusable photo ${bad}` }],
    );
  }
}

function checkAnswers(checklist: ChecklistItem[], items: TItemAnswer[]) {
  const wrong = answersProblem(checklist, items);
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
 * Submits a field inspection of one drawn point (实地检查). Immutable once stored; a retry with the
 * same client id returns the stored visit (`created: false`). In the same transaction the failed
 * items become a problem (raise-findings.ts).
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
  if (!isOffice(actor) && !round.inspectorIds.includes(actor.id)) throw notAssigned();
  if (round.state !== 'drawn' && round.state !== 'revealed') {
    throw new AppError('illegal_transition', 409, {
      zh: '本轮尚未抽签，不能提交检查',
      en: 'this round has not been drawn yet',
    });
  }
  if (!(round.drawnIds ?? []).includes(input.pointId)) {
    throw errors.invalid({
      zh: '该点位不在本轮抽中的点位中',
      en: 'this point was not drawn for the round',
    });
  }
  const point = await loadPoint(database.db, input.pointId);
  checkAnswers(point.checklist, input.items);
  await checkPhotos(database.db, actor, input.items, new Set());
  const tally = tallyVisit(point.checklist, input.items);
  const dist =
    input.lat != null && input.lng != null && point.lat !== null && point.lng !== null
      ? distanceM(input.lat, input.lng, point.lat, point.lng)
      : null;
  await ensureCodeSequences(database);
  try {
    const id = await withTx(database, async (tx) => {
      const visitId = await repo.insertVisit(tx, {
        clientId: input.clientId,
        version: 1,
        roundId: round.id,
        pointId: point.id,
        inspectorId: actor.id!,
        items: input.items,
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
        point,
        checklist: point.checklist,
        items: input.items,
        visitedAt: new Date(input.visitedAt),
      });
      await writeAudit(tx, actor, {
        action: 'visit.submit',
        entityType: 'inspection_visit',
        entityId: visitId,
        after: { ...input, ...tally, distanceM: dist, problemId },
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
  if (!isOffice(actor) && prev.inspector_id !== actor.id) throw errors.forbidden();
  if (!prev.latest) throw errors.staleVersion('inspection_visit');
  const point = await loadPoint(database.db, prev.point_id);
  checkAnswers(point.checklist, input.items);
  const kept = new Set((prev.items as TItemAnswer[]).flatMap((i) => i.photoIds ?? []));
  await checkPhotos(database.db, actor, input.items, kept);
  const tally = tallyVisit(point.checklist, input.items);
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
        items: input.items,
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
        await raiseAndLink(tx, actor, visitId, {
          rootId,
          roundName: prev.round_name,
          point,
          checklist: point.checklist,
          items: input.items,
          visitedAt: new Date(prev.visited_at),
        });
      }
      await writeAudit(tx, actor, {
        action: 'visit.correct',
        entityType: 'inspection_visit',
        entityId: visitId,
        before: { id: Number(prev.id), version: prev.version, items: prev.items },
        after: { ...input, version: prev.version + 1, ...tally },
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
    repo.visitScopeSql(scope, actor.id),
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
  const row = await repo.findVisitById(database.db, id, repo.visitScopeSql(scope, actor.id));
  if (!row) throw errors.notFound('inspection_visit', id);
  const versions = await repo.chainOf(database.db, Number(row.root_id));
  return { visit: present(row), versions: versions.map(present) };
}

/**
 * The inspector's work: the drawn rounds they are assigned to, each with its drawn points, the
 * checklists and what is already visited — everything the phone keeps for offline use.
 */
export async function myRounds(database: Database, actor: Actor): Promise<{ items: TMyRound[] }> {
  requirePermission(actor, Permission.ProblemReport);
  if (actor.id === null) throw errors.unauthenticated();
  const mine = await repo.inspectorRounds(database.db, actor.id);
  const items: TMyRound[] = [];
  for (const r of mine) {
    const ids = r.drawnIds ?? [];
    const rows = ids.length ? await repo.assignedPoints(database.db, r.id, ids) : [];
    items.push(presentMyRound(r, rows));
  }
  return { items };
}
