import {
  addDays,
  addWorkingDays,
  isWorkingDay,
  shanghaiDate,
  startOfShanghaiDay,
  workingDaysBetween,
  type CalendarTable,
} from '../calendar/working-days.js';
import type { TProblemState } from './lifecycle.js';

/**
 * 三色督办: the escalation level of a problem is derived from its deadline, the time and its rework
 * count — never stored, so it is always current. The ladder is configuration; cities use different
 * colours and triggers.
 */
export type TEscalationLevel = 'none' | 'blue' | 'yellow' | 'red';

export interface EscalationStep {
  level: Exclude<TEscalationLevel, 'none'>;
  /** Not yet overdue and due within this many working days (0 = due today). */
  dueWithinWorkingDays?: number;
  /** Overdue by more than this many working days (0 = overdue at all). */
  overdueByMoreThanWorkingDays?: number;
  /** Sent back for rework at least this many times. */
  reworkAtLeast?: number;
}

/** Default: 蓝 due within 1 working day, 黄 overdue, 红 overdue > 3 working days or a second rework. */
export const DEFAULT_LADDER: readonly EscalationStep[] = [
  { level: 'blue', dueWithinWorkingDays: 1 },
  { level: 'yellow', overdueByMoreThanWorkingDays: 0 },
  { level: 'red', overdueByMoreThanWorkingDays: 3, reworkAtLeast: 2 },
];

export const ESCALATION_LABELS: Record<
  TEscalationLevel,
  { zh: string; en: string; color: string }
> = {
  none: { zh: '正常', en: 'On track', color: 'default' },
  blue: { zh: '蓝色提醒', en: 'Blue: due soon', color: 'blue' },
  yellow: { zh: '黄色预警', en: 'Yellow: overdue', color: 'gold' },
  red: { zh: '红色督办', en: 'Red: seriously overdue', color: 'red' },
};

const RANK: Record<TEscalationLevel, number> = { none: 0, blue: 1, yellow: 2, red: 3 };

/** States in which the unit's deadline runs. */
export const DEADLINE_STATES: readonly TProblemState[] = ['dispatched'];

/** The highest level of the ladder whose condition holds now. */
export function escalationLevel(
  p: { state: TProblemState; deadline: Date | null; reworkCount: number },
  now: Date,
  table: CalendarTable,
  ladder: readonly EscalationStep[] = DEFAULT_LADDER,
): TEscalationLevel {
  if (!DEADLINE_STATES.includes(p.state) || !p.deadline) return 'none';
  const overdue = now.getTime() > p.deadline.getTime();
  const overdueDays = overdue ? workingDaysBetween(p.deadline, now, table) : -1;
  const remaining = overdue ? -1 : workingDaysBetween(now, p.deadline, table);
  let best: TEscalationLevel = 'none';
  for (const step of ladder) {
    const overdueBy = step.overdueByMoreThanWorkingDays;
    const hit =
      (step.dueWithinWorkingDays !== undefined &&
        !overdue &&
        remaining <= step.dueWithinWorkingDays) ||
      (overdueBy !== undefined && overdue && (overdueBy === 0 || overdueDays > overdueBy)) ||
      (step.reworkAtLeast !== undefined && p.reworkCount >= step.reworkAtLeast);
    if (hit && RANK[step.level] > RANK[best]) best = step.level;
  }
  return best;
}

/** Compares levels: positive when `a` is more urgent than `b`. */
export function compareEscalation(a: TEscalationLevel, b: TEscalationLevel): number {
  return RANK[a] - RANK[b];
}

/**
 * The same ladder as instant bounds on the deadline, so a database can filter by colour:
 * a step holds when `dueFrom <= deadline <= dueTo`, or `deadline < overdueBefore`, or
 * `reworkCount >= reworkAtLeast` (for problems in a deadline state).
 */
export interface EscalationBound {
  level: Exclude<TEscalationLevel, 'none'>;
  due?: { from: Date; to: Date };
  overdueBefore?: Date;
  reworkAtLeast?: number;
}

export function escalationBounds(
  now: Date,
  table: CalendarTable,
  ladder: readonly EscalationStep[] = DEFAULT_LADDER,
): EscalationBound[] {
  return ladder.map((step) => {
    const b: EscalationBound = { level: step.level };
    if (step.dueWithinWorkingDays !== undefined) {
      // "Due within n working days" ⟺ at most n working days lie after today up to the deadline's
      // day ⟺ the deadline comes before the (n+1)-th working day after today begins (holidays in
      // between count for nothing, whichever side of them the deadline falls).
      const next = shanghaiDate(addWorkingDays(now, step.dueWithinWorkingDays + 1, table));
      b.due = { from: now, to: new Date(startOfShanghaiDay(next).getTime() - 1) };
    }
    if (step.overdueByMoreThanWorkingDays !== undefined) {
      const n = step.overdueByMoreThanWorkingDays;
      if (n === 0) b.overdueBefore = now;
      else {
        // More than n working days overdue ⟺ the deadline's day is before the (n+1)-th working
        // day counted back from today (today included when it is a working day).
        let day = shanghaiDate(now);
        let seen = 0;
        for (let guard = 0; guard < 3660; guard++) {
          if (isWorkingDay(day, table) && ++seen === n + 1) break;
          day = addDays(day, -1);
        }
        b.overdueBefore = startOfShanghaiDay(day);
      }
    }
    if (step.reworkAtLeast !== undefined) b.reworkAtLeast = step.reworkAtLeast;
    return b;
  });
}

/** The level given by precomputed bounds; equal to `escalationLevel` for the same instant. */
export function levelFromBounds(
  bounds: readonly EscalationBound[],
  p: { state: TProblemState; deadline: Date | null; reworkCount: number },
): TEscalationLevel {
  if (!DEADLINE_STATES.includes(p.state) || !p.deadline) return 'none';
  const t = p.deadline.getTime();
  let best: TEscalationLevel = 'none';
  for (const b of bounds) {
    const hit =
      (b.due !== undefined && t >= b.due.from.getTime() && t <= b.due.to.getTime()) ||
      (b.overdueBefore !== undefined && t < b.overdueBefore.getTime()) ||
      (b.reworkAtLeast !== undefined && p.reworkCount >= b.reworkAtLeast);
    if (hit && RANK[b.level] > RANK[best]) best = b.level;
  }
  return best;
}
