import type { Dayjs } from 'dayjs';
import type { TScheduleDay } from '../../../core/contracts/inspections.js';
import type { DrawRule } from '../../../core/draw/draw.js';
import { scheduleProblems } from '../../../core/draw/strata.js';
import type { L } from '../../shared/i18n.js';

/*
 * The schedule (测评日程) of a round drawn by district and day, as the round editor holds it: one
 * row per day with a date and the districts tested that day.
 */

/** A row of the schedule table as the form holds it (a blank row is still being filled in). */
export interface ScheduleRow {
  date?: Dayjs | null;
  regionIds?: number[];
}

/** A district (区县) the schedule may name. */
export interface District {
  id: number;
  name: string;
}

/**
 * The schedule a new round starts with: "原则上每个城区安排一天" — one row per district, the dates
 * left for the office to choose (blank dates are errors, never guessed).
 */
export function defaultScheduleRows(districts: readonly District[]): ScheduleRow[] {
  return districts.map((d) => ({ date: null, regionIds: [d.id] }));
}

/** The schedule as posted: each row's date as YYYY-MM-DD and its districts, in the table's order. */
export function toSchedule(rows: readonly ScheduleRow[]): TScheduleDay[] {
  return rows.map((r) => ({
    date: r.date!.format('YYYY-MM-DD'),
    regionIds: r.regionIds ?? [],
    overrides: [],
  }));
}

/**
 * What is wrong across the rows (a date twice, a district on two days), from the same check the
 * server makes (core/draw/strata.ts). A row still missing its date or districts is left to that
 * row's own required-field message, so it is not reported twice.
 */
export function scheduleRowProblems(
  rows: readonly ScheduleRow[],
  plan: readonly DrawRule[],
  districts: readonly District[],
): L[] {
  if (rows.length === 0) {
    return [{ zh: '请至少安排一天', en: 'Add at least one day' }];
  }
  const complete = rows.filter((r) => r.date && r.regionIds?.length);
  if (complete.length < rows.length) return [];
  return scheduleProblems(
    toSchedule(complete),
    plan,
    new Map(districts.map((d) => [d.id, d.name])),
  );
}
