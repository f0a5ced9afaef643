import { and, eq, inArray, sql } from 'drizzle-orm';
import type {
  TItemAnswer,
  TMyRound,
  TRatings,
  TVisit,
  TVisitCorrection,
  TVisitSubmit,
} from '../../../core/contracts/inspections.js';
import { distanceM } from '../../../core/geo/coords.js';
import {
  answersProblem,
  FAR_FROM_POINT_M,
  tallyVisit,
  visitResult,
  type ChecklistItem,
} from '../../../core/inspection/score.js';
import { Permission, permissionsOf } from '../../../core/permissions.js';
import { execRows, type Database, type DbOrTx } from '../../db/client.js';
import { files, inspectionVisits, points, pointTypes, rounds } from '../../db/schema/index.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { ensureCodeSequences } from '../problems/problems.service.js';
import { raiseFindings } from './raise-findings.js';
import * as repo from './visits.repo.js';

const iso = (d: Date | string) => (typeof d === 'string' ? new Date(d) : d).toISOString();

function present(r: repo.VisitRow): TVisit {
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
    unitId: r.unit_id,
    unitName: r.unit_name,
    inspectorId: r.inspector_id,
    inspectorName: r.inspector_name,
    items: answers.map((a) => ({
      ...a,
      photoIds: a.photoIds ?? [],
      text: r.checklist[a.index]?.text ?? '',
      serious: r.checklist[a.index]?.serious ?? false,
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

const isOffice = (actor: Actor) => permissionsOf(actor.roles).has(Permission.ProblemManage);

function isUniqueViolation(err: unknown, constraint?: string): boolean {
  for (let e = err, depth = 0; e && depth < 4; depth++) {
    const x = e as { code?: unknown; constraint?: unknown; message?: unknown };
    if (x.code === '23505') {
      return (
        !constraint ||
        x.constraint === constraint ||
        (typeof x.message === 'string' && x.message.includes(constraint))
      );
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

const notAssigned = () =>
  new AppError('forbidden', 403, {
    zh: '您不是本轮的测评员，不能提交该点位的检查',
    en: 'you are not an inspector of this round',
  });

async function loadPoint(db: DbOrTx, pointId: number) {
  const [row] = await db
    .select({ p: points, checklist: pointTypes.checklist })
    .from(points)
    .innerJoin(pointTypes, eq(pointTypes.id, points.typeId))
    .where(eq(points.id, pointId));
  if (!row) throw errors.notFound('point', pointId);
  return { ...row.p, checklist: row.checklist as ChecklistItem[] };
}

/** Photos must exist and be the actor's own uploads (or already part of the visit corrected). */
async function checkPhotos(db: DbOrTx, actor: Actor, items: TItemAnswer[], kept: Set<string>) {
  const ids = [...new Set(items.flatMap((i) => i.photoIds))].filter((id) => !kept.has(id));
  if (!ids.length) return;
  const rows = await db
    .select({ id: files.id, by: files.uploadedBy })
    .from(files)
    .where(inArray(files.id, ids));
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
  const existing = await repo.findVisit(database.db, sql`v.client_id = ${input.clientId}`);
  if (existing) return { visit: ownOrForbidden(existing, actor), created: false };
  const [round] = await database.db.select().from(rounds).where(eq(rounds.id, input.roundId));
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
      const [row] = await tx
        .insert(inspectionVisits)
        .values({
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
        })
        .returning({ id: inspectionVisits.id });
      const visitId = row!.id;
      const problemId = await raiseFindings(tx, actor, {
        rootId: visitId,
        roundName: round.name,
        point,
        checklist: point.checklist,
        items: input.items,
        visitedAt: new Date(input.visitedAt),
      });
      if (problemId !== null) {
        await tx
          .update(inspectionVisits)
          .set({ problemId })
          .where(eq(inspectionVisits.id, visitId));
      }
      await writeAudit(tx, actor, {
        action: 'visit.submit',
        entityType: 'inspection_visit',
        entityId: visitId,
        after: { ...input, ...tally, distanceM: dist, problemId },
      });
      return visitId;
    });
    const visit = await repo.findVisit(database.db, sql`v.id = ${id}`);
    return { visit: present(visit!), created: true };
  } catch (err) {
    if (isUniqueViolation(err, 'inspection_visits_client_uq')) {
      const again = await repo.findVisit(database.db, sql`v.client_id = ${input.clientId}`);
      if (again) return { visit: ownOrForbidden(again, actor), created: false };
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
  const existing = await repo.findVisit(database.db, sql`v.client_id = ${input.clientId}`);
  if (existing) return { visit: ownOrForbidden(existing, actor), created: false };
  const prev = await repo.findVisit(database.db, sql`v.id = ${id}`);
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
      const [row] = await tx
        .insert(inspectionVisits)
        .values({
          clientId: input.clientId,
          rootId,
          previousId: Number(prev.id),
          version: prev.version + 1,
          reason: input.reason,
          roundId: prev.round_id,
          pointId: prev.point_id,
          inspectorId: prev.inspector_id,
          items: input.items,
          ratings: input.ratings ?? (prev.ratings as TRatings | null),
          note: input.note ?? prev.note,
          lat: prev.lat,
          lng: prev.lng,
          accuracyM: prev.accuracy_m,
          distanceM: prev.distance_m,
          visitedAt: new Date(prev.visited_at),
          ...tally,
          problemId: prev.problem_id === null ? null : Number(prev.problem_id),
        })
        .returning({ id: inspectionVisits.id });
      const visitId = row!.id;
      if (prev.problem_id === null) {
        const problemId = await raiseFindings(tx, actor, {
          rootId,
          roundName: prev.round_name,
          point,
          checklist: point.checklist,
          items: input.items,
          visitedAt: new Date(prev.visited_at),
        });
        if (problemId !== null) {
          await tx
            .update(inspectionVisits)
            .set({ problemId })
            .where(eq(inspectionVisits.id, visitId));
        }
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
    const visit = await repo.findVisit(database.db, sql`v.id = ${newId}`);
    return { visit: present(visit!), created: true };
  } catch (err) {
    if (isUniqueViolation(err, 'inspection_visits_client_uq')) {
      const again = await repo.findVisit(database.db, sql`v.client_id = ${input.clientId}`);
      if (again) return { visit: ownOrForbidden(again, actor), created: false };
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
  const row = await repo.findVisit(
    database.db,
    sql`v.id = ${id}`,
    repo.visitScopeSql(scope, actor.id),
  );
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
  const mine = await database.db
    .select()
    .from(rounds)
    .where(
      and(
        inArray(rounds.state, ['drawn', 'revealed']),
        sql`${actor.id} = any(${rounds.inspectorIds})`,
      ),
    )
    .orderBy(sql`${rounds.id} desc`)
    .limit(20);
  const items: TMyRound[] = [];
  for (const r of mine) {
    const ids = r.drawnIds ?? [];
    const rows = ids.length
      ? await execRows<{
          id: number;
          name: string;
          type: string;
          type_name: string;
          route: string | null;
          address: string | null;
          lat: number | null;
          lng: number | null;
          unit_name: string | null;
          checklist: ChecklistItem[];
          visit_id: number | null;
          failed: number | null;
          serious_failed: number | null;
          score: number | null;
        }>(
          database.db,
          sql`select p.id, p.name, t.code as type, t.name as type_name, t.route, p.address, p.lat,
                p.lng, u.name as unit_name, t.checklist, lv.id as visit_id, lv.failed,
                lv.serious_failed, lv.score
              from points p
              join point_types t on t.id = p.type_id
              left join units u on u.id = p.unit_id
              left join lateral (
                select v.id, v.failed, v.serious_failed, v.score from inspection_visits v
                where v.round_id = ${r.id} and v.point_id = p.id
                  and not exists (select 1 from inspection_visits c where c.previous_id = v.id)
                limit 1) lv on true
              where p.id in (${sql.join(
                ids.map((i) => sql`${i}`),
                sql`, `,
              )})
              order by t.code, p.id`,
        )
      : [];
    items.push({
      id: r.id,
      name: r.name,
      kind: r.kind,
      startsOn: r.startsOn,
      endsOn: r.endsOn,
      points: rows.map((p) => ({
        id: p.id,
        name: p.name,
        type: p.type,
        typeName: p.type_name,
        route: p.route,
        address: p.address,
        lat: p.lat,
        lng: p.lng,
        unitName: p.unit_name,
        checklist: p.checklist.map((c) => ({
          text: c.text,
          serious: c.serious ?? false,
          guidance: c.guidance ?? null,
          countRule: c.countRule ?? null,
          standards: [...(c.standards ?? [])],
        })),
        visitId: p.visit_id === null ? null : Number(p.visit_id),
        visitResult:
          p.visit_id === null
            ? null
            : visitResult({ failed: p.failed ?? 0, seriousFailed: p.serious_failed ?? 0 }),
        visitScore: p.score,
      })),
    });
  }
  return { items };
}
