/**
 * Working days on a holiday table. Dates are Asia/Shanghai calendar days written `YYYY-MM-DD`;
 * instants are JS Dates (UTC). China has no daylight saving time, so Shanghai is always UTC+8.
 */

export type DayKind = 'holiday' | 'workday';

/** Overrides of the normal week: a holiday on a weekday, or a working Saturday/Sunday (调休). */
export type CalendarTable = ReadonlyMap<string, DayKind>;

const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** The Shanghai calendar day of an instant. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
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

/**
 * Whole working days from the day after `from` up to and including the day of `to` (0 when `to`
 * is on or before `from`'s day). Used for "overdue by more than N working days".
 */
export function workingDaysBetween(from: Date, to: Date, table: CalendarTable): number {
  const end = shanghaiDate(to);
  let day = shanghaiDate(from);
  let count = 0;
  // Bounded: a problem's deadline is at most a few years from now.
  for (let guard = 0; day < end && guard < 3660; guard++) {
    day = addDays(day, 1);
    if (isWorkingDay(day, table)) count++;
  }
  return count;
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
