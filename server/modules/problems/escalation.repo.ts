import { and, eq, inArray, not } from 'drizzle-orm';
import type { TEscalationLevel } from '../../../core/problems/escalation.js';
import type { DbOrTx } from '../../db/client.js';
import { escalationOrders, problems } from '../../db/schema/index.js';
import { escalationCondition } from './problems.repo.js';

type Level = Exclude<TEscalationLevel, 'none'>;

const AT_OR_ABOVE: Record<Level, TEscalationLevel[]> = {
  red: ['red'],
  yellow: ['yellow', 'red'],
  blue: ['blue', 'yellow', 'red'],
};

/** Dispatched problems whose colour is `level` now but whose last 督办单 is below it. */
export function dueForEscalation(
  db: DbOrTx,
  level: Level,
  bounds: Parameters<typeof escalationCondition>[1],
  limit: number,
) {
  return db
    .select({
      id: problems.id,
      code: problems.code,
      title: problems.title,
      unitId: problems.unitId,
      regionId: problems.regionId,
      deadline: problems.deadline,
      issued: problems.escalationIssued,
    })
    .from(problems)
    .where(
      and(
        escalationCondition([level], bounds),
        not(inArray(problems.escalationIssued, AT_OR_ABOVE[level])),
      ),
    )
    .limit(limit);
}

/**
 * Moves a problem's issued level from what was read to `level`, only while it is still
 * dispatched; false when another server (or a state change) came first.
 */
export async function claimEscalation(
  db: DbOrTx,
  id: number,
  from: string,
  level: Level,
): Promise<boolean> {
  const moved = await db
    .update(problems)
    .set({ escalationIssued: level })
    .where(
      and(
        eq(problems.id, id),
        eq(problems.escalationIssued, from),
        // still running: submitted, deferred or merged since it was read means no order
        eq(problems.state, 'dispatched'),
      ),
    )
    .returning({ id: problems.id });
  return moved.length > 0;
}

export async function insertEscalationOrder(
  db: DbOrTx,
  order: typeof escalationOrders.$inferInsert,
): Promise<void> {
  await db.insert(escalationOrders).values(order);
}
