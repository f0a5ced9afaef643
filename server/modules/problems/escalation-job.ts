import {
  ESCALATION_LABELS,
  escalationBounds,
  type TEscalationLevel,
} from '../../../core/problems/escalation.js';
import { formatShanghai } from '../../../core/calendar/working-days.js';
import type { Database } from '../../db/client.js';
import { withTx } from '../../platform/tx.js';
import { notify, officesCovering, usersWithRole } from '../notifications/notifications.service.js';
import { claimEscalation, dueForEscalation, insertEscalationOrder } from './escalation.repo.js';
import { loadCalendar } from './problems.repo.js';

const LADDER: Exclude<TEscalationLevel, 'none'>[] = ['red', 'yellow', 'blue'];

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
    const due = await dueForEscalation(database.db, level, bounds, batch);
    for (const p of due) {
      const done = await withTx(database, async (tx) => {
        if (!(await claimEscalation(tx, p.id, p.issued, level))) return false;
        await insertEscalationOrder(tx, {
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
        if (level === 'red') await notify(tx, await officesCovering(tx, p.regionId), notice);
        return true;
      });
      if (done) issued++;
    }
  }
  return issued;
}
