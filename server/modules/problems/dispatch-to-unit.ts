import { addWorkingDays } from '../../../core/calendar/working-days.js';
import type { TSeverity } from '../../../core/contracts/problems.js';
import type { Tx } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import * as repo from './problems.repo.js';

/**
 * Dispatches a problem just registered from a finding (an inspection visit, a failed simulation
 * check) to the unit answerable for it, in the caller's transaction, as the office's dispatch
 * would: the deadline from its category's working days for the severity, a timeline event and an
 * audit record. The caller has checked its own permission and that the unit is active. False when
 * the problem changed since it was read (nothing is written then).
 */
export async function dispatchToUnit(
  tx: Tx,
  actor: Actor,
  p: {
    problemId: number;
    version: number;
    categoryId: number;
    severity: TSeverity;
    unit: { id: number; name: string };
    note: string;
  },
): Promise<boolean> {
  const now = new Date();
  const cat = await repo.findCategory(tx, p.categoryId);
  const days = cat?.deadlineDays ??
    cat?.parent?.deadlineDays ?? { normal: 5, urgent: 2, critical: 1 };
  const deadline = addWorkingDays(now, days[p.severity], await repo.loadCalendar(tx));
  const ok = await repo.updateProblem(tx, p.problemId, p.version, {
    state: 'dispatched',
    unitId: p.unit.id,
    deadline,
    dispatchedAt: now,
  });
  if (!ok) return false;
  await repo.insertEvent(tx, {
    problemId: p.problemId,
    action: 'dispatch',
    fromState: 'registered',
    toState: 'dispatched',
    actorId: actor.id,
    actorName: actor.name,
    at: now,
    note: p.note,
    data: { unitId: p.unit.id, unitName: p.unit.name, deadline: deadline.toISOString() },
  });
  await writeAudit(tx, actor, {
    action: 'problem.dispatch',
    entityType: 'problem',
    entityId: p.problemId,
    before: { state: 'registered' },
    after: { state: 'dispatched', unitId: p.unit.id, deadline: deadline.toISOString() },
  });
  return true;
}
