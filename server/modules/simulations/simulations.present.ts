import type { TSimulationCheck, TSimulationTarget } from '../../../core/contracts/simulations.js';
import { describeCriteria, type JudgedCheck } from '../../../core/inspection/simulation.js';
import type { CheckRow, TargetRow } from './simulations.repo.js';

export function presentTarget(row: TargetRow): TSimulationTarget {
  return {
    id: row.id,
    frameworkId: row.frameworkId,
    standardKey: row.standardKey,
    standardCode: row.standardCode,
    standardText: row.standardText,
    name: row.name,
    contact: row.contact,
    unitId: row.unitId,
    unitName: row.unitName,
    maxRings: row.maxRings,
    requireCorrect: row.requireCorrect,
    callbackDays: row.callbackDays,
    script: row.script,
    active: row.active,
    criteria: describeCriteria(row),
    version: row.version,
  };
}

/** A check with its verdict under its target's criteria. */
export function presentCheck(row: CheckRow, judged: JudgedCheck): TSimulationCheck {
  return {
    id: row.id,
    targetId: row.targetId,
    targetName: row.targetName,
    frameworkId: row.frameworkId,
    standardKey: row.standardKey,
    standardCode: row.standardCode,
    unitId: row.unitId,
    unitName: row.unitName,
    roundId: row.roundId,
    roundName: row.roundName,
    calledAt: row.calledAt.toISOString(),
    callerName: row.callerName,
    recordedBy: row.recordedBy,
    recordedById: row.recordedById,
    answered: row.answered,
    rings: row.rings,
    waitSeconds: row.waitSeconds,
    answer: row.answer,
    callbackPromised: row.callbackPromised,
    callbackOnTime: row.callbackOnTime,
    notes: row.notes,
    fileIds: row.fileIds,
    verdict: judged.verdict,
    value: judged.value,
    reasons: judged.reasons,
    callbackDue: judged.callbackDue?.toISOString() ?? null,
    problemId: row.problemId,
    problemCode: row.problemCode,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}
