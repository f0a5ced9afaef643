import { and, eq, inArray, not } from 'drizzle-orm';
import {
  ESCALATION_LABELS,
  escalationBounds,
  type TEscalationLevel,
} from '../../../core/problems/escalation.js';
import { formatShanghai } from '../../../core/calendar/working-days.js';
import type { Database } from '../../db/client.js';
import { escalationOrders, problems } from '../../db/schema/index.js';
import { withTx } from '../../platform/tx.js';
import { notify, usersWithRole } from '../notifications/notifications.service.js';
import { escalationCondition, loadCalendar } from './problems.repo.js';

const LADDER: Exclude<TEscalationLevel, 'none'>[] = ['red', 'yellow', 'blue'];
const AT_OR_ABOVE: Record<Exclude<TEscalationLevel, 'none'>, TEscalationLevel[]> = {
  red: ['red'],
  yellow: ['yellow', 'red'],
  blue: ['blue', 'yellow', 'red'],
};

/**
 * 三色督办: issues a 督办单 for every problem whose colour has stepped up since the last one, and
 * tells the unit (and, for red, the office). Idempotent: a step is issued once, whichever server
 * runs the job, because the update only succeeds from the level it read, and only while the
 * problem is still dispatched.
 */
export async function issueEscalations(
  database: Database,
  now = new Date(),
  batch = 500,
): Promise<number> {
  const calendar = await loadCalendar(database.db);
  const bounds = escalationBounds(now, calendar);
  let issued = 0;
  for (const level of LADDER) {
    const due = await database.db
      .select({
        id: problems.id,
        code: problems.code,
        title: problems.title,
        unitId: problems.unitId,
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
      .limit(batch);
    for (const p of due) {
      const done = await withTx(database, async (tx) => {
        const moved = await tx
          .update(problems)
          .set({ escalationIssued: level })
          .where(
            and(
              eq(problems.id, p.id),
              eq(problems.escalationIssued, p.issued),
              // still running: submitted, deferred or merged since it was read means no order
              eq(problems.state, 'dispatched'),
            ),
          )
          .returning({ id: problems.id });
        if (!moved.length) return false;
        await tx.insert(escalationOrders).values({
          problemId: p.id,
          level,
          unitId: p.unitId,
          deadline: p.deadline,
          issuedAt: now,
        });
        const label = ESCALATION_LABELS[level].zh;
        const notice = {
          kind: `escalation_${level}`,
          title: `【${label}】${p.title}`,
          body: `问题 ${p.code} ${p.deadline ? `整改期限 ${formatShanghai(p.deadline)}` : ''}，请抓紧办理。`,
          problemId: p.id,
        };
        await notify(tx, await usersWithRole(tx, 'unit', p.unitId), notice);
        if (level === 'red') await notify(tx, await usersWithRole(tx, 'office'), notice);
        return true;
      });
      if (done) issued++;
    }
  }
  return issued;
}
