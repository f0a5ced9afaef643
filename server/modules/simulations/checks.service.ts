import type {
  TSimulationCheck,
  TSimulationCheckCorrection,
  TSimulationCheckInput,
} from '../../../core/contracts/simulations.js';
import { formatShanghai } from '../../../core/calendar/working-days.js';
import {
  ANSWER_QUALITY_LABELS,
  CHECK_REASON_LABELS,
  describeCriteria,
  type JudgedCheck,
} from '../../../core/inspection/simulation.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx, Tx } from '../../db/client.js';
import { requirePermission, type Actor, actorPermissions } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { dispatchToUnit } from '../problems/dispatch-to-unit.js';
import { loadCalendar } from '../problems/problems.repo.js';
import { intakeProblem } from '../problems/problems.service.js';
import { presentCheck } from './simulations.present.js';
import * as repo from './simulations.repo.js';
import { judgeRow, reachesUnit, simulationErrors } from './simulations.service.js';

// 模拟验证记录: the office and inspectors record the calls they made; a retry with the same client
// id returns the stored check; corrections are versioned and audited; a failed check may become a
// problem dispatched to the target's unit (as an inspection finding does, rounds/findings.service).

/** Minutes a call may lie ahead of the server's clock (phones whose clocks run fast). */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The problem category a failed check is registered under: 待分类 (no category fits a hotline). */
const FAILED_CHECK_CATEGORY = 'QT01';

async function presented(db: DbOrTx, id: number, now = new Date()): Promise<TSimulationCheck> {
  const [row] = await repo.listChecks(db, { id });
  if (!row) throw simulationErrors.notFound('check', id);
  return presentCheck(row, judgeRow(row, now, await loadCalendar(db)));
}

type CallInput = Omit<TSimulationCheckCorrection, 'reason' | 'version'>;

/**
 * The rules a call must meet against its target and round (beyond the contract's): a round the
 * caller is named in (the office: any), a time not in the future, a wait and an answer where the
 * target judges them, attachments the caller uploaded.
 */
async function checkCall(
  tx: Tx,
  actor: Actor,
  target: repo.TargetTableRow,
  input: CallInput,
  now: Date,
) {
  const calledAt = new Date(input.calledAt);
  if (calledAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw simulationErrors.invalid(
      '拨打时间不能晚于现在',
      'the call cannot be in the future',
      'calledAt',
    );
  }
  if (calledAt.getUTCFullYear() < 2000) {
    throw simulationErrors.invalid('拨打时间不对', 'the call time is not plausible', 'calledAt');
  }
  let roundId: number | null = null;
  if (input.roundId != null) {
    const round = await repo.findRound(tx, input.roundId);
    if (!round)
      throw simulationErrors.invalid('测评轮次不存在', 'no such inspection round', 'roundId');
    const office = actorPermissions(actor).has(Permission.SimulationWrite);
    if (!office && (actor.id === null || !round.inspectorIds.includes(actor.id))) {
      throw new AppError('not_round_inspector', 403, {
        zh: '您不是该测评轮次的测评员',
        en: 'you are not an inspector of this round',
      });
    }
    roundId = round.id;
  }
  if (input.answered) {
    if (target.maxRings !== null && input.rings == null && input.waitSeconds == null) {
      throw simulationErrors.invalid(
        '请填写响铃声数或等待秒数（该对象要求及时接通）',
        'give the rings or the seconds waited (the target judges the wait)',
        'rings',
      );
    }
    if (target.requireCorrect && input.answer == null) {
      throw simulationErrors.invalid(
        '请选择答复是否准确',
        'say whether the answer was correct',
        'answer',
      );
    }
  }
  const fileIds = input.fileIds ?? [];
  const own = await repo.ownFiles(tx, actor.id, fileIds);
  if (fileIds.some((f) => !own.has(f))) {
    throw simulationErrors.invalid(
      '附件不存在或不是本人上传',
      'an attachment does not exist or is not yours',
      'fileIds',
    );
  }
  return {
    roundId,
    calledAt,
    answered: input.answered,
    rings: input.answered ? (input.rings ?? null) : null,
    waitSeconds: input.answered ? (input.waitSeconds ?? null) : null,
    answer: input.answered ? (input.answer ?? null) : null,
    callbackPromised: input.answered ? (input.callbackPromised ?? null) : null,
    callbackOnTime: input.callbackPromised === true ? (input.callbackOnTime ?? null) : null,
    notes: input.notes ?? null,
    fileIds,
  };
}

/**
 * A failed check becomes ONE problem (idempotent by `simulation-<id>`), registered at once and
 * dispatched to the target's unit, in the caller's transaction. Returns the problem's id.
 */
async function raiseProblem(
  tx: Tx,
  actor: Actor,
  checkId: number,
  target: repo.TargetTableRow,
  call: { calledAt: Date; callerName: string; answer: string | null; notes: string | null },
  judged: JudgedCheck,
): Promise<number | null> {
  const categoryId = await repo.categoryId(tx, FAILED_CHECK_CATEGORY);
  if (categoryId === undefined) return null;
  const why = judged.reasons.map((r) => CHECK_REASON_LABELS[r].zh).join('、');
  const answer = call.answer
    ? ANSWER_QUALITY_LABELS[call.answer as keyof typeof ANSWER_QUALITY_LABELS].zh
    : null;
  const lines = [
    `实景模拟验证不合格：${target.name}（${target.contact}）`,
    `拨打时间：${formatShanghai(call.calledAt)}；拨打人：${call.callerName}`,
    `问题：${why}${answer ? `（答复${answer}）` : ''}`,
    `合格标准：${describeCriteria(target).zh}`,
    target.script ? `验证情景：${target.script}` : null,
    call.notes ? `记录：${call.notes}` : null,
  ].filter(Boolean);
  const { detail, created } = await intakeProblem(
    tx,
    actor,
    {
      title: `${target.name}：模拟验证不合格（${why}）`.slice(0, 100),
      description: lines.join('\n').slice(0, 2000),
      categoryId,
      severity: 'normal',
      channel: 'inspection',
      externalRef: `simulation-${checkId}`,
      register: true,
      photoIds: [],
    },
    { duplicateRadiusM: 0, recurrenceDays: 90 },
  );
  const problemId = detail.problem.id;
  await repo.setCheckProblem(tx, checkId, problemId);
  if (!created) return problemId;
  const unit = await repo.findUnit(tx, target.unitId);
  if (unit?.active) {
    await dispatchToUnit(tx, actor, {
      problemId,
      version: detail.problem.version,
      categoryId,
      severity: 'normal',
      unit,
      note: '实景模拟验证不合格，派往责任单位',
    });
  }
  return problemId;
}

/** The target, when the actor reaches its unit (one out of reach answers as one that is not there). */
async function activeTarget(db: DbOrTx, actor: Actor, id: number) {
  const target = await repo.findTarget(db, id);
  if (!target || !(await reachesUnit(db, actor, target.unitId))) {
    throw simulationErrors.invalid(
      `模拟验证对象不存在（${id}）`,
      `simulation target not found (${id})`,
      'targetId',
    );
  }
  return target;
}

/**
 * Records a call. A retry with the same client id returns the stored check (`created: false`);
 * the id used by someone else, or for another target, is a 409.
 */
export async function recordCheck(
  database: Database,
  actor: Actor,
  input: TSimulationCheckInput,
  now = new Date(),
): Promise<{ check: TSimulationCheck; created: boolean }> {
  requirePermission(actor, Permission.SimulationRecord);
  const db = database.db;
  const again = async () => {
    const prior = await repo.findCheck(db, { clientId: input.clientId });
    if (!prior) return null;
    if (prior.targetId !== input.targetId || prior.recordedBy !== actor.id) {
      throw new AppError('duplicate', 409, {
        zh: '该记录编号已被使用',
        en: 'this record id was already used',
      });
    }
    return { check: await presented(db, prior.id, now), created: false };
  };
  const prior = await again();
  if (prior) return prior;
  try {
    const id = await withTx(database, async (tx) => {
      const target = await activeTarget(tx, actor, input.targetId);
      if (!target.active) {
        throw simulationErrors.invalid(
          '该模拟验证对象已停用',
          'this simulation target is retired',
          'targetId',
        );
      }
      const call = await checkCall(tx, actor, target, input, now);
      const callerName = input.callerName ?? actor.name;
      const row = await repo.insertCheck(tx, {
        ...call,
        clientId: input.clientId,
        targetId: target.id,
        callerName,
        recordedBy: actor.id,
      });
      await writeAudit(tx, actor, {
        action: 'simulation_check.record',
        entityType: 'simulation_check',
        entityId: row.id,
        after: row,
      });
      const [stored] = await repo.listChecks(tx, { id: row.id });
      const judged = judgeRow(stored!, now, await loadCalendar(tx));
      if (judged.verdict === 'fail' && input.raiseProblem !== false) {
        await raiseProblem(tx, actor, row.id, target, { ...call, callerName }, judged);
      }
      return row.id;
    });
    return { check: await presented(db, id, now), created: true };
  } catch (err) {
    // Two submissions at once: the second finds the first by its client id.
    if (!(err instanceof AppError)) {
      const raced = await again();
      if (raced) return raced;
    }
    throw err;
  }
}

/**
 * Corrects a check (what was heard, the call-back that came…), with the reason. The recorder
 * corrects their own checks, the office any; a stale version is a 409. A check that fails after the
 * correction and has no problem yet may raise one; a problem already raised stays (the office
 * closes or rejects it in the ledger).
 */
export async function correctCheck(
  database: Database,
  actor: Actor,
  id: number,
  input: TSimulationCheckCorrection,
  now = new Date(),
): Promise<TSimulationCheck> {
  requirePermission(actor, Permission.SimulationRecord);
  await withTx(database, async (tx) => {
    const before = await repo.findCheck(tx, { id });
    const reached = before && (await repo.findTarget(tx, before.targetId));
    if (!before || !reached || !(await reachesUnit(tx, actor, reached.unitId))) {
      throw simulationErrors.notFound('check', id);
    }
    const office = actorPermissions(actor).has(Permission.SimulationWrite);
    if (!office && before.recordedBy !== actor.id) throw errors.forbidden();
    if (before.version !== input.version) throw simulationErrors.stale();
    const target = await activeTarget(tx, actor, before.targetId);
    const call = await checkCall(tx, actor, target, input, now);
    const after = await repo.updateCheck(tx, id, input.version, {
      ...call,
      ...(input.callerName ? { callerName: input.callerName } : {}),
    });
    if (!after) throw simulationErrors.stale();
    await writeAudit(tx, actor, {
      action: 'simulation_check.correct',
      entityType: 'simulation_check',
      entityId: id,
      before,
      after: { ...after, reason: input.reason },
    });
    const [row] = await repo.listChecks(tx, { id });
    const judged = judgeRow(row!, now, await loadCalendar(tx));
    if (judged.verdict === 'fail' && after.problemId === null && input.raiseProblem !== false) {
      await raiseProblem(tx, actor, id, target, after, judged);
    }
  });
  return presented(database.db, id, now);
}
