import type {
  TMergeRequest,
  TProblemDetail,
  TProblemMerges,
} from '../../../core/contracts/problems.js';
import {
  mergeTargetRefusal,
  PROBLEM_ACTION_LABELS,
  PROBLEM_STATE_LABELS,
  transition,
  type TProblemState,
} from '../../../core/problems/lifecycle.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { notify, usersWithRole } from '../notifications/notifications.service.js';
import {
  findRef,
  linkBeforePhotos,
  listAbsorbed,
  lockProblems,
  repointAbsorbed,
  touchProblem,
} from './merge.repo.js';
import { requireActionParty } from './act-on-problem.js';
import { detail, partiesOf } from './problems.service.js';
import * as repo from './problems.repo.js';
import { findNearbyOpen } from './problems-reports.repo.js';
import { enqueueMergePushback } from '../pushback/enqueue-pushback.js';
import { reverseFor } from '../credits/grant-credits.js';

const refused = (zh: string, en: string) => new AppError('merge_refused', 409, { zh, en });

/**
 * 合并: folds a duplicate into another open problem (the primary). The duplicate becomes `merged`
 * for good — its deadline ends and no 督办 follows it — and the primary carries the work on: both
 * timelines say so, the primary's gallery shows the duplicate's before-photos (linked, not copied),
 * and whatever the duplicate had absorbed moves on to the primary, so there is never a chain.
 */
export async function mergeProblem(
  database: Database,
  actor: Actor,
  id: number,
  input: TMergeRequest,
): Promise<TProblemDetail> {
  const scope = requirePermission(actor, Permission.ProblemRead);
  requireActionParty(actor, 'merge');
  return withTx(database, async (tx) => {
    await lockProblems(tx, [id, input.intoId]);
    const row = await repo.findProblem(tx, id, scope);
    if (!row) throw errors.notFound('problem', id);
    const primary = await repo.findProblem(tx, input.intoId, scope);
    if (!primary) throw errors.notFound('problem', input.intoId);
    if (row.version !== input.version) throw errors.staleVersion('problem');
    const from = row.state as TProblemState;
    const result = transition(
      {
        state: from,
        unitId: row.unitId,
        reworkCount: row.reworkCount,
        extensionPending: row.extensionPending,
      },
      'merge',
      partiesOf(actor, row),
    );
    if (!result.ok) {
      if (result.reason === 'not_allowed') throw errors.forbidden();
      const state = PROBLEM_STATE_LABELS[from];
      const label = PROBLEM_ACTION_LABELS.merge;
      throw new AppError('illegal_transition', 409, {
        zh: `问题当前为“${state.zh}”，不能“${label.zh}”`,
        en: `the problem is "${state.en}": cannot ${label.en.toLowerCase()}`,
      });
    }
    const refusal = mergeTargetRefusal(row, {
      id: primary.id,
      state: primary.state as TProblemState,
      mergedIntoId: primary.mergedIntoId,
    });
    if (refusal?.reason === 'self') {
      throw errors.invalid(
        { zh: '不能把问题合并到它自己', en: 'a problem cannot be merged into itself' },
        [{ path: 'body.intoId', message: '不能合并到问题本身 / the problem itself' }],
      );
    }
    if (refusal?.reason === 'into_merged') {
      const final = refusal.finalId !== null ? await findRef(tx, refusal.finalId, scope) : null;
      if (final?.id === row.id) {
        throw refused(
          `${primary.code} 已合并至本问题，不能再把本问题合并到它`,
          `${primary.code} was merged into this problem; this problem cannot be merged into it`,
        );
      }
      throw refused(
        `${primary.code} 已合并至 ${final?.code ?? '其他问题'}，不能合并到已合并的问题${final ? `；请合并到 ${final.code}` : ''}`,
        `${primary.code} was merged into ${final?.code ?? 'another problem'}; nothing can be merged into a merged problem${final ? `: merge into ${final.code} instead` : ''}`,
      );
    }
    if (refusal?.reason === 'into_final') {
      const state = PROBLEM_STATE_LABELS[refusal.state];
      throw refused(
        `${primary.code} 当前为“${state.zh}”，不能合并到已办结的问题`,
        `${primary.code} is "${state.en}": a problem cannot be merged into a finished one`,
      );
    }

    const now = new Date();
    const ok = await repo.updateProblem(tx, id, input.version, {
      state: result.next.state,
      mergedIntoId: primary.id,
      // Merged is final: the duplicate's clock stops (no deadline, so no 督办 and nothing due).
      deadline: null,
      extensionPending: false,
      extensionRequestedDeadline: null,
    });
    if (!ok) throw errors.staleVersion('problem');
    const moved = await repointAbsorbed(tx, id, primary.id, now);
    const into = { intoId: primary.id, intoCode: primary.code, intoTitle: primary.title };
    const mergeEventId = await repo.insertEvent(tx, {
      problemId: id,
      action: 'merge',
      fromState: from,
      toState: 'merged',
      actorId: actor.id,
      actorName: actor.name,
      at: now,
      note: input.note ?? null,
      data: {
        ...into,
        // What the merge ended, for the record.
        ...(row.deadline ? { deadline: row.deadline.toISOString() } : {}),
        ...(row.unitId ? { unitId: row.unitId, unitName: row.unitName } : {}),
        ...(moved.length ? { moved: moved.map((m) => m.code) } : {}),
      },
    });
    for (const m of moved) {
      await repo.insertEvent(tx, {
        problemId: m.id,
        action: 'merge',
        fromState: 'merged',
        toState: 'merged',
        actorId: actor.id,
        actorName: actor.name,
        at: now,
        note: null,
        data: { ...into, viaId: row.id, viaCode: row.code },
      });
    }
    const absorbEventId = await repo.insertEvent(tx, {
      problemId: primary.id,
      action: 'absorb',
      fromState: primary.state,
      toState: primary.state,
      actorId: actor.id,
      actorName: actor.name,
      at: now,
      note: input.note ?? null,
      data: {
        duplicateId: row.id,
        duplicateCode: row.code,
        duplicateTitle: row.title,
        ...(moved.length ? { also: moved.map((m) => m.code) } : {}),
      },
    });
    const photos = await linkBeforePhotos(tx, id, primary.id, absorbEventId);
    // 文明积分: a duplicate earns nothing — what its acceptance granted is taken back (a ledger
    // row of its own). What it had absorbed was merged (and reversed) already.
    await reverseFor(tx, {
      kind: 'report',
      sourceId: id,
      reason: 'reversed_merged',
      note: `随手拍 ${row.code} 为重复上报，已并入 ${primary.code}`,
      actor,
    });
    await touchProblem(tx, primary.id, now);
    if (row.unitId !== null) {
      // The unit stops working on the duplicate: tell it where the problem went.
      await notify(
        tx,
        await usersWithRole(tx, 'unit', row.unitId),
        {
          kind: 'merge',
          problemId: id,
          title: `问题已合并：${row.title}（并入 ${primary.code}，本问题不再单独办理）`,
          body: input.note ?? null,
        },
        actor.id,
      );
    }
    // An Open311 client now reads the primary's status for the duplicate (and what it had absorbed).
    await enqueueMergePushback(tx, [id, ...moved.map((m) => m.id)], {
      primary,
      eventId: mergeEventId,
      action: 'merge',
      at: now,
      actorName: actor.name,
      note: input.note ?? null,
    });
    const after = (await repo.findProblem(tx, id))!;
    const out = await detail(tx, actor, after, now);
    await writeAudit(tx, actor, {
      action: 'problem.merge',
      entityType: 'problem',
      entityId: id,
      before: {
        state: from,
        unitId: row.unitId,
        deadline: row.deadline?.toISOString() ?? null,
        version: row.version,
      },
      after: {
        state: after.state,
        mergedIntoId: primary.id,
        mergedIntoCode: primary.code,
        moved: moved.map((m) => m.id),
        photosLinked: photos,
        version: after.version,
      },
    });
    return out;
  });
}

const iso = (v: Date | string | null): string | null => (v ? new Date(v).toISOString() : null);

/** Where a merged problem went and which duplicates a problem absorbed (within the scope). */
export async function problemMerges(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TProblemMerges> {
  const scope = requirePermission(actor, Permission.ProblemRead);
  const row = await repo.findProblem(database.db, id, scope);
  if (!row) throw errors.notFound('problem', id);
  const into = row.mergedIntoId ? await findRef(database.db, row.mergedIntoId, scope) : undefined;
  const absorbed = await listAbsorbed(database.db, id, scope);
  return {
    mergedInto: into ? { ...into, state: into.state as TProblemState } : null,
    absorbed: absorbed.map((a) => ({
      id: a.id,
      code: a.code,
      title: a.title,
      state: a.state as TProblemState,
      mergedAt: iso(a.mergedAt),
    })),
  };
}

/** Open problems of the same category near a problem: what it may be a duplicate of. */
export async function similarProblems(
  database: Database,
  actor: Actor,
  id: number,
  radiusM: number,
) {
  const scope = requirePermission(actor, Permission.ProblemRead);
  const row = await repo.findProblem(database.db, id, scope);
  if (!row) throw errors.notFound('problem', id);
  if (row.lat === null || row.lng === null) return { items: [] };
  const near = await findNearbyOpen(
    database.db,
    { id, categoryId: row.categoryId, lat: row.lat, lng: row.lng },
    radiusM,
    scope,
  );
  return {
    items: near.map((n) => ({
      id: n.id,
      code: n.code,
      title: n.title,
      state: n.state as TProblemState,
      distanceM: Math.round(n.distance_m * 10) / 10,
    })),
  };
}
