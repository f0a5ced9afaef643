import type { TProblemState } from './lifecycle.js';

/**
 * Problem KPIs with the 数字城管 formulas. The counts come from the database, grouped by unit,
 * region or category; this turns them into rates. A cohort is the problems dispatched in a period;
 * a problem is *due* (应结案) once it is closed or its deadline has passed.
 */

/**
 * States outside every cohort: a merged duplicate is neither due nor closed — its work is counted
 * once, on the problem it was merged into.
 */
export const KPI_EXCLUDED_STATES: readonly TProblemState[] = ['merged'];

export interface KpiCounts {
  /** 应结案数: dispatched in the period and closed or past the deadline. */
  due: number;
  /** Of those, deferred (缓办) now — taken out of the denominator. */
  deferred: number;
  /** 结案数 */
  closed: number;
  /** 按期结案数: closed no later than the deadline. */
  closedOnTime: number;
  /** Problems sent back for rework at least once. */
  reworked: number;
  /** Problems whose deadline was extended at least once. */
  extended: number;
  /** Sum of handling hours (working days only) over the closed problems. */
  handlingHoursSum: number;
}

export interface Kpis extends KpiCounts {
  /** 结案率 = closed / (due − deferred) */
  closeRate: number | null;
  /** 按期结案率 = closed on time / (due − deferred) */
  onTimeCloseRate: number | null;
  /** 返工率 = reworked / (due − deferred) */
  reworkRate: number | null;
  /** 延期率 = extended / (due − deferred) */
  extensionRate: number | null;
  /** Average handling time of closed problems, in hours on working days. */
  avgHandlingHours: number | null;
}

const rate = (n: number, d: number): number | null =>
  d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null;

/** The rates of one group; null where the denominator is zero. */
export function computeKpis(c: KpiCounts): Kpis {
  const base = c.due - c.deferred;
  return {
    ...c,
    closeRate: rate(c.closed, base),
    onTimeCloseRate: rate(c.closedOnTime, base),
    reworkRate: rate(c.reworked, base),
    extensionRate: rate(c.extended, base),
    avgHandlingHours: c.closed > 0 ? Math.round((c.handlingHoursSum / c.closed) * 10) / 10 : null,
  };
}

/** Adds up group counts (for the total row). */
export function sumCounts(rows: readonly KpiCounts[]): KpiCounts {
  const out: KpiCounts = {
    due: 0,
    deferred: 0,
    closed: 0,
    closedOnTime: 0,
    reworked: 0,
    extended: 0,
    handlingHoursSum: 0,
  };
  for (const r of rows) {
    out.due += r.due;
    out.deferred += r.deferred;
    out.closed += r.closed;
    out.closedOnTime += r.closedOnTime;
    out.reworked += r.reworked;
    out.extended += r.extended;
    out.handlingHoursSum += r.handlingHoursSum;
  }
  return out;
}

/**
 * What the reporters said of a group's problems (随手拍 ratings, core/citizen/replies.ts): each
 * rating once, counted for the problem it rated.
 */
export interface SatisfactionCounts {
  /** Ratings given: the n of the 满意率. */
  rated: number;
  /** 满意 */
  satisfied: number;
  /** 基本满意 */
  basic: number;
}

/**
 * 满意率 = (满意 + 基本满意) ÷ ratings given. Only rated problems count — a problem nobody rated
 * is neither satisfied nor not — so it is null with no rating, and is shown with its n.
 */
export function satisfactionRate(c: SatisfactionCounts): number | null {
  return rate(c.satisfied + c.basic, c.rated);
}
