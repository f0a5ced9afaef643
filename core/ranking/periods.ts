/**
 * Ranking periods: calendar months ("2026-11") and ISO weeks ("2026-W47") in Asia/Shanghai time
 * (UTC+8, no daylight saving), the calendar the office ranks by. Pure.
 */

import { SHANGHAI_OFFSET_MS } from '../calendar/working-days.js';

export type TRankingPeriodKind = 'month' | 'week';

export interface TRankingPeriod {
  period: string;
  kind: TRankingPeriodKind;
  /** Start (inclusive) and end (exclusive) as UTC instants. */
  from: Date;
  to: Date;
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const WEEK_RE = /^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$/;
const OFFSET_MS = SHANGHAI_OFFSET_MS;
const DAY_MS = 86_400_000;

/** Midnight in Shanghai of a calendar day, as a UTC instant. */
const shanghaiMidnight = (y: number, m0: number, d: number) =>
  new Date(Date.UTC(y, m0, d) - OFFSET_MS);

/** Monday (UTC date) of ISO week 1 of a year. */
function isoWeekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const dow = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - dow * DAY_MS;
}

/** Number of ISO weeks in a year (52 or 53). */
export function isoWeeksInYear(year: number): number {
  return Math.round((isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / (7 * DAY_MS));
}

/** Parses a period text; null when it is neither a month nor an existing ISO week. */
export function parseRankingPeriod(text: string): TRankingPeriod | null {
  const m = MONTH_RE.exec(text);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]) - 1;
    return {
      period: text,
      kind: 'month',
      from: shanghaiMidnight(y, mo, 1),
      to: shanghaiMidnight(y, mo + 1, 1),
    };
  }
  const w = WEEK_RE.exec(text);
  if (w) {
    const y = Number(w[1]);
    const n = Number(w[2]);
    if (n > isoWeeksInYear(y)) return null;
    const monday = isoWeekOneMonday(y) + (n - 1) * 7 * DAY_MS;
    return {
      period: text,
      kind: 'week',
      from: new Date(monday - OFFSET_MS),
      to: new Date(monday + 7 * DAY_MS - OFFSET_MS),
    };
  }
  return null;
}

/** The period of a kind (in Shanghai time) that contains an instant. */
export function rankingPeriodOf(at: Date, kind: TRankingPeriodKind): string {
  const local = new Date(at.getTime() + OFFSET_MS);
  const y = local.getUTCFullYear();
  if (kind === 'month') return `${y}-${String(local.getUTCMonth() + 1).padStart(2, '0')}`;
  const day = Date.UTC(y, local.getUTCMonth(), local.getUTCDate());
  // The ISO year is the year of the week's Thursday.
  const thursday = day + (3 - ((new Date(day).getUTCDay() + 6) % 7)) * DAY_MS;
  const isoYear = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - isoWeekOneMonday(isoYear)) / (7 * DAY_MS)) + 1;
  return `${isoYear}-W${String(week).padStart(2, '0')}`;
}

/** The period just before (same kind). */
export function previousRankingPeriod(p: TRankingPeriod): TRankingPeriod {
  return parseRankingPeriod(rankingPeriodOf(new Date(p.from.getTime() - 1), p.kind))!;
}

/** The `n` periods ending with `p` (oldest first), for trends. */
export function periodsEndingWith(p: TRankingPeriod, n: number): TRankingPeriod[] {
  const out = [p];
  while (out.length < n) out.unshift(previousRankingPeriod(out[0]!));
  return out;
}
