import {
  HAND_DOWN_DISPATCH_DAYS,
  type THandDownRequest,
  type TProblemDetail,
} from '../../../core/contracts/problems.js';
import { addWorkingDays, formatShanghai } from '../../../core/calendar/working-days.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, Tx } from '../../db/client.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { notify, officesAt, officesCovering } from '../notifications/notifications.service.js';
import { findRegion, regionWithin } from '../org/regions.repo.js';
import { detail, problemToChange } from './problems.service.js';
import * as repo from './problems.repo.js';

/**
 * 交办 down the levels: the office of a level hands a registered problem in its jurisdiction to
 * the 创建办 of a district or street under it that holds the problem, which dispatches it to one
 * of its own units. The problem stays registered and visible to the office above, which keeps
 * watching it (its 三色督办 runs from the dispatch); the lower office is told.
 */
export async function handDown(
  database: Database,
  actor: Actor,
  id: number,
  input: THandDownRequest,
): Promise<TProblemDetail> {
  const scope = requirePermission(actor, Permission.ProblemManage);
  return withTx(database, async (tx) => {
    const row = await problemToChange(tx, id, scope, input.version);
    if (row.state !== 'registered') {
      throw new AppError('illegal_transition', 409, {
        zh: '只有已立案、尚未派遣的问题可以交办下级',
        en: 'only a registered problem not yet dispatched can be handed down',
      });
    }
    const target = await findRegion(tx, input.regionId);
    if (!target) throw errors.notFound('region', input.regionId);
    const own = officeRegionOf(actor);
    const below =
      (target.level === 'district' || target.level === 'street') &&
      target.id !== own &&
      (own === null || (await regionWithin(tx, target.id, own)));
    if (!below) {
      throw errors.invalid(
        {
          zh: '只能交办给本级辖区内的区、街道创建办',
          en: 'a problem is handed down to the office of a district or street under this level',
        },
        [{ path: 'body.regionId', message: '不是本级以下的区域 / not a level under this office' }],
      );
    }
    if (row.regionId === null || !(await regionWithin(tx, row.regionId, target.id))) {
      throw errors.invalid(
        {
          zh: `问题所在区域不在${target.name}内，不能交办给该级`,
          en: `the problem does not lie in ${target.name}: it cannot be handed to that office`,
        },
        [{ path: 'body.regionId', message: '该区域不包含此问题 / does not hold the problem' }],
      );
    }
    const now = new Date();
    await handProblemDown(tx, actor, {
      problem: row,
      target: { id: target.id, name: target.name },
      note: input.note ?? null,
      at: now,
      dispatchDays: input.dispatchDays ?? HAND_DOWN_DISPATCH_DAYS,
    });
    return detail(tx, actor, (await repo.findProblem(tx, id))!, now);
  });
}

/**
 * Hands a registered problem to a lower level's office inside the caller's transaction (the caller
 * has checked that the level holds it): the mark, a timeline event, the lower office told, an audit
 * record. Also used for the findings of a city round that hands its problems down.
 */
export async function handProblemDown(
  tx: Tx,
  actor: Actor,
  p: {
    problem: { id: number; version: number; title: string; handedToRegionId: number | null };
    target: { id: number; name: string };
    note: string | null;
    at: Date;
    /** 交办时限 in working days (default HAND_DOWN_DISPATCH_DAYS). */
    dispatchDays?: number;
  },
): Promise<void> {
  const { problem, target, at } = p;
  const days = p.dispatchDays ?? HAND_DOWN_DISPATCH_DAYS;
  const dueAt = addWorkingDays(at, days, await repo.loadCalendar(tx));
  const updated = await repo.updateProblem(tx, problem.id, problem.version, {
    handedToRegionId: target.id,
    handedAt: at,
    handDueAt: dueAt,
    handRemindedAt: null,
  });
  if (!updated) throw errors.staleVersion('problem');
  await repo.insertEvent(tx, {
    problemId: problem.id,
    action: 'hand_down',
    fromState: 'registered',
    toState: 'registered',
    actorId: actor.id,
    actorName: actor.name,
    at,
    note: p.note,
    data: {
      regionId: target.id,
      regionName: target.name,
      dispatchDays: days,
      dueAt: dueAt.toISOString(),
    },
  });
  await notify(
    tx,
    await officesAt(tx, target.id),
    {
      kind: 'hand_down',
      problemId: problem.id,
      title: `上级交办问题：${problem.title}`,
      body: [`请于 ${formatShanghai(dueAt)} 前派遣`, p.note].filter(Boolean).join('；'),
    },
    actor.id,
  );
  await writeAudit(tx, actor, {
    action: 'problem.hand_down',
    entityType: 'problem',
    entityId: problem.id,
    before: { handedToRegionId: problem.handedToRegionId, version: problem.version },
    after: {
      handedToRegionId: target.id,
      handDueAt: dueAt.toISOString(),
      version: problem.version + 1,
    },
  });
}

/**
 * 交办时限: tells the office below, and every office above it, of each hand-down still not
 * dispatched past its 时限 — once per hand-down (a new hand-down starts a new 时限), whichever
 * server runs the job, because the mark is only set from unset while the problem still waits.
 */
export async function remindOverdueHandDowns(
  database: Database,
  now = new Date(),
  batch = 500,
): Promise<number> {
  let sent = 0;
  for (const p of await repo.dueHandDowns(database.db, now, batch)) {
    const done = await withTx(database, async (tx) => {
      if (!(await repo.claimHandReminder(tx, p.id, now))) return false;
      await notify(tx, await officesCovering(tx, p.handedToRegionId), {
        kind: 'hand_down_overdue',
        problemId: p.id,
        title: `【交办逾期】${p.title}`,
        body: `问题 ${p.code} 交办时限 ${p.handDueAt ? formatShanghai(p.handDueAt) : ''} 已过，下级创建办尚未派遣。`,
      });
      return true;
    });
    if (done) sent++;
  }
  return sent;
}
