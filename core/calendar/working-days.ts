/**
 * Working days on a holiday table. Dates are Asia/Shanghai calendar days written `YYYY-MM-DD`;
 * instants are JS Dates (UTC). China has no daylight saving time, so Shanghai is always UTC+8.
 */

export type DayKind = 'holiday' | 'workday';

/** Overrides of the normal week: a holiday on a weekday, or a working Saturday/Sunday (调休). */
export type CalendarTable = ReadonlyMap<string, DayKind>;

/** Asia/Shanghai's offset from UTC (China has no daylight saving); every Shanghai-day computation uses it. */
export const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const OFFSET_MS = SHANGHAI_OFFSET_MS;
const DAY_MS = 86_400_000;

/** The Shanghai calendar day of an instant. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** An instant as Shanghai wall-clock time to the second, `2026-12-07 15:04:05` (exports). */
export function shanghaiDateTime(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The instant a Shanghai calendar day starts. */
export function startOfShanghaiDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - OFFSET_MS);
}

/** The last millisecond of a Shanghai calendar day. */
export function endOfShanghaiDay(day: string): Date {
  return new Date(startOfShanghaiDay(day).getTime() + DAY_MS - 1);
}

/** The calendar day `n` days after `day` (n may be negative). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** True when people work on that Shanghai day: Monday–Friday unless a holiday, or an adjusted workday. */
export function isWorkingDay(day: string, table: CalendarTable): boolean {
  const override = table.get(day);
  if (override) return override === 'workday';
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/**
 * The deadline `n` working days after an instant: the end of the n-th working day after the day it
 * falls on (so "1 working day" from Friday afternoon is the end of Monday). n ≥ 1.
 */
export function addWorkingDays(from: Date, n: number, table: CalendarTable): Date {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`working days must be a positive integer, got ${n}`);
  let day = shanghaiDate(from);
  let left = n;
  while (left > 0) {
    day = addDays(day, 1);
    if (isWorkingDay(day, table)) left--;
  }
  return endOfShanghaiDay(day);
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` day. */
function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

/** Monday–Friday by day number (1970-01-01 was a Thursday). */
function isWeekdayNumber(n: number): boolean {
  const dow = (((n + 4) % 7) + 7) % 7;
  return dow !== 0 && dow !== 6;
}

/** Weekdays in the day-number range (a, b], a ≤ b, without a loop over every day. */
function weekdaysAfterUpTo(a: number, b: number): number {
  const span = b - a;
  let count = Math.floor(span / 7) * 5;
  for (let d = a + Math.floor(span / 7) * 7 + 1; d <= b; d++) if (isWeekdayNumber(d)) count++;
  return count;
}

/** A table's overrides that change the weekday count (+1 working weekend, −1 weekday holiday). */
interface OverrideIndex {
  days: number[];
  /** prefix[i] = sum of the deltas of days[0..i-1] */
  prefix: number[];
}
const overrideIndexes = new WeakMap<CalendarTable, OverrideIndex>();

function overrideIndex(table: CalendarTable): OverrideIndex {
  let index = overrideIndexes.get(table);
  if (index) return index;
  const deltas: [number, number][] = [];
  for (const [day, kind] of table) {
    const n = dayNumber(day);
    const weekday = isWeekdayNumber(n);
    if (kind === 'holiday' && weekday) deltas.push([n, -1]);
    else if (kind === 'workday' && !weekday) deltas.push([n, 1]);
  }
  deltas.sort((x, y) => x[0] - y[0]);
  const prefix = [0];
  for (const [, delta] of deltas) prefix.push(prefix[prefix.length - 1]! + delta);
  index = { days: deltas.map(([n]) => n), prefix };
  overrideIndexes.set(table, index);
  return index;
}

/** The first position in a sorted array whose value is greater than `n`. */
function upperBound(sorted: number[], n: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whole working days from the day after `from` up to and including the day of `to` (0 when `to`
 * is on or before `from`'s day). Used for "overdue by more than N working days". Arithmetic on day
 * numbers plus a sorted index of the table's overrides: ledger pages call this for every row.
 */
export function workingDaysBetween(from: Date, to: Date, table: CalendarTable): number {
  const a = Math.floor((from.getTime() + OFFSET_MS) / DAY_MS);
  const b = Math.floor((to.getTime() + OFFSET_MS) / DAY_MS);
  if (b <= a) return 0;
  // Bounded like the old day-by-day walk: ten years at most.
  const end = Math.min(b, a + 3660);
  const index = overrideIndex(table);
  const delta =
    index.prefix[upperBound(index.days, end)]! - index.prefix[upperBound(index.days, a)]!;
  return weekdaysAfterUpTo(a, end) + delta;
}

/**
 * Hours between two instants that fall on working days (weekends and holidays do not count).
 * Used for the average handling time KPI.
 */
export function workingHoursBetween(from: Date, to: Date, table: CalendarTable): number {
  if (to <= from) return 0;
  let ms = 0;
  let day = shanghaiDate(from);
  const last = shanghaiDate(to);
  for (let guard = 0; day <= last && guard < 3660; guard++) {
    if (isWorkingDay(day, table)) {
      const start = Math.max(startOfShanghaiDay(day).getTime(), from.getTime());
      const end = Math.min(startOfShanghaiDay(day).getTime() + DAY_MS, to.getTime());
      if (end > start) ms += end - start;
    }
    day = addDays(day, 1);
  }
  return ms / 3600_000;
}

/** 2026-11-23 18:00 in Shanghai time, for messages. */
export function formatShanghai(at: Date): string {
  const local = new Date(at.getTime() + OFFSET_MS).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}
