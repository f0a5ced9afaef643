import type {
  TProblemActionRequest,
  TProblemDetail,
  TSeverity,
} from '../../../core/contracts/problems.js';
import {
  addWorkingDays,
  formatShanghai,
  workingHoursBetween,
} from '../../../core/calendar/working-days.js';
import {
  PROBLEM_ACTION_LABELS,
  PROBLEM_STATE_LABELS,
  transition,
  TRANSITIONS,
  type TProblemAction,
  type TProblemState,
} from '../../../core/problems/lifecycle.js';
import { distanceM } from '../../../core/geo/coords.js';
import { Permission, type TScope } from '../../../core/permissions.js';
import type { Database, DbOrTx, Tx } from '../../db/client.js';
import { requirePermission, type Actor, actorPermissions } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { attachPhotos, checkAttachable } from '../files/files.service.js';
import { notify, officesCovering, usersWithRole } from '../notifications/notifications.service.js';
import { findUnit } from '../org/units.repo.js';
import { detail, partiesOf, problemToChange } from './problems.service.js';
import * as repo from './problems.repo.js';
import { requireUnitWithin } from '../org/jurisdiction.js';
import { replyToReporters } from '../citizen/reply-to-reporters.js';
import { enqueuePushback, type PushSettings } from '../pushback/enqueue-pushback.js';
import { grantFor } from '../credits/grant-credits.js';

const future = (iso: string, now: Date, field: string): Date => {
  const d = new Date(iso);
  if (d.getTime() <= now.getTime()) {
    throw errors.invalid({ zh: '期限必须晚于当前时间', en: 'the deadline must be in the future' }, [
      { path: field, message: '须晚于当前时间 / must be in the future' },
    ]);
  }
  return d;
};

/** The default deadline of a dispatch: the category's working days for this severity. */
export async function ruleDeadline(
  tx: Tx,
  row: Pick<repo.ProblemRow, 'categoryId' | 'severity'>,
  now: Date,
): Promise<Date> {
  const category = await repo.findCategory(tx, row.categoryId);
  const days = category?.deadlineDays ??
    category?.parent?.deadlineDays ?? { normal: 5, urgent: 2, critical: 1 };
  return addWorkingDays(now, days[row.severity as TSeverity], await repo.loadCalendar(tx));
}

/** The steps of POST /actions: every action but merge, which names a second problem. */
type TStepAction = TProblemActionRequest['action'];

/** The field changes an accepted action makes, besides the state. */
async function changesFor(
  tx: Tx,
  action: TStepAction,
  row: repo.ProblemRow,
  input: TProblemActionRequest,
  now: Date,
): Promise<{ changes: Partial<repo.ProblemValues>; data: Record<string, unknown> }> {
  switch (action) {
    case 'register':
      return { changes: { registeredAt: now }, data: {} };
    case 'reject':
      return { changes: {}, data: {} };
    case 'dispatch': {
      const unit = await findUnit(tx, input.unitId!);
      if (!unit || !unit.active) throw errors.notFound('unit', input.unitId);
      const deadline = input.deadline
        ? future(input.deadline, now, 'body.deadline')
        : await ruleDeadline(tx, row, now);
      return {
        changes: { unitId: unit.id, deadline, dispatchedAt: now, submittedAt: null },
        data: { unitId: unit.id, unitName: unit.name, deadline: deadline.toISOString() },
      };
    }
    case 'return':
      // Not theirs: it leaves the unit's list and goes back to the office for re-dispatch.
      return {
        changes: { unitId: null, deadline: null },
        data: { unitId: row.unitId, unitName: row.unitName },
      };
    case 'submit':
      return { changes: { submittedAt: now }, data: {} };
    case 'approve': {
      // Fixed at closing, so the average-handling-time KPI is a plain SQL average.
      const from = row.dispatchedAt ?? row.createdAt;
      const handlingHours =
        Math.round(workingHoursBetween(from, now, await repo.loadCalendar(tx)) * 100) / 100;
      return { changes: { closedAt: now, handlingHours }, data: { handlingHours } };
    }
    case 'rework': {
      const deadline = input.deadline ? future(input.deadline, now, 'body.deadline') : row.deadline;
      return {
        changes: { reworkCount: row.reworkCount + 1, submittedAt: null, deadline },
        data: { reworkCount: row.reworkCount + 1, deadline: deadline?.toISOString() ?? null },
      };
    }
    case 'request_extension': {
      if (!input.extensionDeadline) {
        throw errors.invalid(
          { zh: '请填写申请延期到的日期', en: 'give the deadline you ask for' },
          [{ path: 'body.extensionDeadline', message: '必填 / required' }],
        );
      }
      const asked = future(input.extensionDeadline, now, 'body.extensionDeadline');
      if (row.deadline && asked <= row.deadline) {
        throw errors.invalid(
          {
            zh: '申请的期限必须晚于现有期限',
            en: 'the new deadline must be later than the current one',
          },
          [
            {
              path: 'body.extensionDeadline',
              message: '须晚于当前期限 / not later than the current deadline',
            },
          ],
        );
      }
      return {
        changes: { extensionPending: true, extensionRequestedDeadline: asked },
        data: { from: row.deadline?.toISOString() ?? null, to: asked.toISOString() },
      };
    }
    case 'approve_extension': {
      const deadline = input.deadline
        ? future(input.deadline, now, 'body.deadline')
        : row.extensionRequestedDeadline!;
      return {
        changes: {
          extensionPending: false,
          extensionRequestedDeadline: null,
          deadline,
          extensionCount: row.extensionCount + 1,
        },
        data: { from: row.deadline?.toISOString() ?? null, to: deadline.toISOString() },
      };
    }
    case 'refuse_extension':
      return { changes: { extensionPending: false, extensionRequestedDeadline: null }, data: {} };
    case 'defer':
      return {
        changes: { deferredAt: now, extensionPending: false, extensionRequestedDeadline: null },
        data: {},
      };
    case 'resume': {
      // Time spent deferred does not count against the unit: the deadline moves by as much.
      const paused = row.deferredAt ? now.getTime() - row.deferredAt.getTime() : 0;
      const deadline = row.deadline ? new Date(row.deadline.getTime() + paused) : null;
      return {
        changes: { deferredAt: null, deadline },
        data: {
          deadline: deadline?.toISOString() ?? null,
          pausedHours: Math.round(paused / 3600_000),
        },
      };
    }
    case 'reopen':
      return {
        changes: {
          closedAt: null,
          submittedAt: null,
          deadline: null,
          unitId: null,
          handlingHours: null,
        },
        data: {},
      };
  }
}

/** Who hears about a step: the unit of work it lands on, or the office that has to act next. */
async function noticeFor(
  tx: Tx,
  action: TStepAction,
  p: repo.ProblemRow,
  actor: Actor,
  note: string | null,
): Promise<void> {
  const label = PROBLEM_ACTION_LABELS[action].zh;
  const base = { kind: action, problemId: p.id, body: note };
  const due = p.deadline ? `，整改期限 ${formatShanghai(p.deadline)}` : '';
  switch (action) {
    case 'dispatch':
      return notify(
        tx,
        await usersWithRole(tx, 'unit', p.unitId),
        { ...base, title: `新交办问题：${p.title}${due}` },
        actor.id,
      );
    case 'rework':
    case 'approve_extension':
    case 'refuse_extension':
    case 'approve':
      return notify(
        tx,
        await usersWithRole(tx, 'unit', p.unitId),
        { ...base, title: `${label}：${p.title}${action === 'approve_extension' ? due : ''}` },
        actor.id,
      );
    case 'submit':
    case 'return':
    case 'request_extension':
      return notify(
        tx,
        await officesCovering(tx, p.regionId),
        { ...base, title: `${p.unitName ?? actor.name}${label}：${p.title}` },
        actor.id,
      );
    case 'register':
    case 'reject':
    case 'defer':
    case 'resume':
    case 'reopen':
      return;
  }
}

/**
 * 403 before any lookup when no problem could ever let the actor take this step: the step's parties
 * (office, verifier, the dispatched unit) need ProblemManage, ProblemVerify or ProblemRectify with a
 * unit. Whether the actor is the party on this very problem is still decided by `transition`; this
 * only keeps the answer to a caller without the permission from depending on which ids exist or
 * what version a problem is at.
 */
export function requireActionParty(actor: Actor, action: TProblemAction): void {
  const perms = actorPermissions(actor);
  const possible = TRANSITIONS[action].by.some((party) =>
    party === 'office'
      ? perms.has(Permission.ProblemManage)
      : party === 'verifier'
        ? perms.has(Permission.ProblemVerify)
        : perms.has(Permission.ProblemRectify) && actor.unitId !== null,
  );
  if (!possible) throw errors.forbidden();
}

/**
 * The problem as it is when the step under `input.clientId` was taken already (a phone's retry
 * from its offline queue), or null. The id is the sender's and the step's: another person's, or
 * another step's, is 409 — never a second step, never someone else's answer.
 */
async function alreadyTaken(
  db: DbOrTx,
  actor: Actor,
  id: number,
  scope: TScope,
  input: TProblemActionRequest,
): Promise<TProblemDetail | null> {
  if (!input.clientId) return null;
  const row = await repo.findProblem(db, id, scope);
  if (!row) throw errors.notFound('problem', id);
  const event = await repo.findEventByClientId(db, id, input.clientId);
  if (!event) return null;
  if (event.actorId !== actor.id || event.action !== input.action) {
    throw new AppError('duplicate', 409, {
      zh: '该提交编号已用于另一次操作',
      en: 'this submission id was used for another step',
    });
  }
  return detail(db, actor, row);
}

/** What a step needs from the installation: the public address its replies to reporters link. */
/** How a step is taken beyond its input: what it owes outside. */
export interface StepContext {
  /** PUBLIC_URL: a reply's link is `<publicUrl>/track/<code>` (relative when empty: the seed). */
  publicUrl: string;
  /** 结果回传. Unset: no 12345 result is enqueued (Open311 callbacks follow the clients' own settings). */
  pushback?: PushSettings;
}
const NO_CONTEXT: StepContext = { publicUrl: '' };

/**
 * Takes one step of the closed loop on a problem, as one transaction with its timeline entry.
 * With a client id it is idempotent: the same step sent again answers with the problem as it is.
 */
export async function actOnProblem(
  database: Database,
  actor: Actor,
  id: number,
  input: TProblemActionRequest,
  ctx: StepContext = NO_CONTEXT,
): Promise<TProblemDetail> {
  const scope = requirePermission(actor, Permission.ProblemRead);
  requireActionParty(actor, input.action);
  try {
    return await takeStep(database, actor, id, input, scope, ctx);
  } catch (err) {
    // The same step sent twice at once: the one that lost the race on the version finds the other.
    if (input.clientId && err instanceof AppError && err.code === 'stale_version') {
      const done = await alreadyTaken(database.db, actor, id, scope, input);
      if (done) return done;
    }
    throw err;
  }
}

function takeStep(
  database: Database,
  actor: Actor,
  id: number,
  input: TProblemActionRequest,
  scope: TScope,
  ctx: StepContext,
): Promise<TProblemDetail> {
  return withTx(database, async (tx) => {
    const done = await alreadyTaken(tx, actor, id, scope, input);
    if (done) return done;
    const row = await problemToChange(tx, id, scope, input.version);
    const from = row.state as TProblemState;
    const result = transition(
      {
        state: from,
        unitId: row.unitId,
        reworkCount: row.reworkCount,
        extensionPending: row.extensionPending,
      },
      input.action,
      partiesOf(actor, row),
      { note: input.note ?? null, unitId: input.unitId ?? null },
    );
    const label = PROBLEM_ACTION_LABELS[input.action];
    if (!result.ok) {
      switch (result.reason) {
        case 'not_allowed':
          throw errors.forbidden();
        case 'needs_note':
          throw errors.invalid(
            input.action === 'dispatch' && !input.unitId
              ? { zh: '派遣需要指定责任单位', en: 'dispatch needs a responsible unit' }
              : { zh: `“${label.zh}”需要填写理由`, en: `"${label.en}" needs a reason` },
            [
              {
                path: input.action === 'dispatch' && !input.unitId ? 'body.unitId' : 'body.note',
                message: '必填 / required',
              },
            ],
          );
        case 'wrong_state':
        case 'guard': {
          const state = PROBLEM_STATE_LABELS[from];
          throw new AppError('illegal_transition', 409, {
            zh: `问题当前为“${state.zh}”${result.reason === 'guard' && row.extensionPending ? '（有待审批的延期申请）' : ''}，不能“${label.zh}”`,
            en: `the problem is "${state.en}"${result.reason === 'guard' ? ` (${result.detail})` : ''}: cannot ${label.en.toLowerCase()}`,
          });
        }
      }
    }
    const photoIds = input.photoIds ?? [];
    const photoStage =
      input.action === 'submit'
        ? 'after'
        : input.action === 'approve' || input.action === 'rework'
          ? 'verify'
          : null;
    if (photoIds.length && !photoStage) {
      throw errors.invalid({ zh: '此操作不能附带照片', en: 'this step takes no photos' }, [
        { path: 'body.photoIds', message: '此操作不接受该字段 / not allowed for this action' },
      ]);
    }
    // Where the step was taken on site (整改、核查), and how far from the problem's own place.
    const at = input.lat != null && input.lng != null ? { lat: input.lat, lng: input.lng } : null;
    if (at && !photoStage) {
      throw errors.invalid({ zh: '此操作不记录位置', en: 'this step takes no position' }, [
        { path: 'body.lat', message: '此操作不接受该字段 / not allowed for this action' },
      ]);
    }
    await checkAttachable(tx, actor, photoIds);
    // 交办 stays inside the dispatcher's level: a district office dispatches to its own units.
    if (input.action === 'dispatch' && input.unitId) {
      await requireUnitWithin(tx, actor, input.unitId);
    }
    const now = new Date();
    const { changes, data } = await changesFor(tx, input.action, row, input, now);
    // The machine owns the state and the pending-extension flag: leaving `dispatched` (submit,
    // return, defer) drops a request nobody decided.
    const ok = await repo.updateProblem(tx, id, input.version, {
      ...changes,
      // A new deadline starts the 督办 ladder again.
      ...('deadline' in changes ? { escalationIssued: 'none' } : {}),
      state: result.next.state,
      extensionPending: result.next.extensionPending,
      ...(result.next.extensionPending ? {} : { extensionRequestedDeadline: null }),
    });
    if (!ok) throw errors.staleVersion('problem');
    const eventId = await repo.insertEvent(tx, {
      problemId: id,
      action: input.action,
      fromState: from,
      toState: result.next.state,
      actorId: actor.id,
      actorName: actor.name,
      at: now,
      note: input.note ?? null,
      data: {
        ...data,
        ...(photoIds.length ? { photos: photoIds.length } : {}),
        ...(at
          ? {
              lat: at.lat,
              lng: at.lng,
              ...(row.lat !== null && row.lng !== null
                ? { distanceM: Math.round(distanceM(at.lat, at.lng, row.lat, row.lng)) }
                : {}),
            }
          : {}),
        ...(input.clientId ? { clientId: input.clientId } : {}),
      },
    });
    if (photoStage) await attachPhotos(tx, id, photoIds, photoStage, eventId);
    // 文明积分: a citizen's report counts once it is accepted — 立案, or 重新打开 after 不予立案
    // (a rejected report earns nothing); the grant is once per report, whatever comes after.
    if (
      row.channel === 'citizen' &&
      result.next.state === 'registered' &&
      (from === 'reported' || from === 'rejected')
    ) {
      await grantFor(tx, {
        kind: 'report',
        sourceId: id,
        phone: row.reporterPhone,
        quantity: 1,
        note: `随手拍 ${row.code}：${row.title}`,
        actor,
      });
    }
    const after = (await repo.findProblem(tx, id))!;
    // What the step owes the 12345 hotline and the Open311 clients, committed with it.
    await enqueuePushback(
      tx,
      {
        problem: after,
        eventId,
        action: input.action,
        fromState: from,
        toState: result.next.state,
        at: now,
        actorName: actor.name,
        note: input.note ?? null,
      },
      { hotline: ctx.pushback?.hotline ?? false },
    );
    await noticeFor(tx, input.action, after, actor, input.note ?? null);
    // The citizen who reported it and asked for texts hears of it, in this transaction.
    await replyToReporters(
      tx,
      { action: input.action, eventId, problem: after, note: input.note ?? null },
      ctx.publicUrl,
    );
    const out = await detail(tx, actor, after, now);
    await writeAudit(tx, actor, {
      action: `problem.${input.action}`,
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
        unitId: after.unitId,
        deadline: after.deadline?.toISOString() ?? null,
        version: after.version,
      },
    });
    return out;
  });
}

/**
 * 批量交办: dispatches many problems to one unit. Each is its own transaction, so one stale or
 * out-of-state problem does not hold back the others; the answer says what happened to each.
 */
export async function bulkDispatch(
  database: Database,
  actor: Actor,
  input: {
    items: { id: number; version: number }[];
    unitId: number;
    deadline?: string;
    note?: string;
  },
  lang: 'zh' | 'en',
  ctx: StepContext = NO_CONTEXT,
): Promise<{ results: { id: number; ok: boolean; code?: string; message?: string }[] }> {
  requirePermission(actor, Permission.ProblemManage);
  const results: { id: number; ok: boolean; code?: string; message?: string }[] = [];
  for (const item of input.items) {
    try {
      await actOnProblem(
        database,
        actor,
        item.id,
        {
          action: 'dispatch',
          version: item.version,
          unitId: input.unitId,
          deadline: input.deadline,
          note: input.note ?? null,
        },
        ctx,
      );
      results.push({ id: item.id, ok: true });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results.push({
        id: item.id,
        ok: false,
        code: err.code,
        message: lang === 'en' ? err.msg.en : err.msg.zh,
      });
    }
  }
  return { results };
}
