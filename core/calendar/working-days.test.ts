import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CN_CALENDAR_SEED } from './cn-holidays.data.js';
import {
  addDays,
  addWorkingDays,
  endOfShanghaiDay,
  isWorkingDay,
  shanghaiDate,
  shanghaiDateTime,
  startOfShanghaiDay,
  workingDaysBetween,
  workingHoursBetween,
  type CalendarTable,
} from './working-days.js';

const CN: CalendarTable = new Map(CN_CALENDAR_SEED.map((d) => [d.date, d.kind]));
const EMPTY: CalendarTable = new Map();
const at = (iso: string) => new Date(iso);
const instant = fc.date({
  min: new Date('2025-01-01T00:00:00Z'),
  max: new Date('2026-12-01T00:00:00Z'),
  noInvalidDate: true,
});

describe('working days', () => {
  it('reads days in Shanghai time', () => {
    expect(shanghaiDate(at('2026-11-23T15:59:59Z'))).toBe('2026-11-23');
    expect(shanghaiDate(at('2026-11-23T16:00:00Z'))).toBe('2026-11-24');
    expect(startOfShanghaiDay('2026-11-24').toISOString()).toBe('2026-11-23T16:00:00.000Z');
    expect(endOfShanghaiDay('2026-11-24').toISOString()).toBe('2026-11-24T15:59:59.999Z');
    expect(shanghaiDateTime(at('2026-11-23T16:04:05.678Z'))).toBe('2026-11-24 00:04:05');
  });

  it('skips weekends: 1 working day from a Friday is the end of Monday', () => {
    const friday = at('2026-11-20T06:00:00Z');
    expect(shanghaiDate(addWorkingDays(friday, 1, EMPTY))).toBe('2026-11-23');
    expect(addWorkingDays(friday, 1, EMPTY).toISOString()).toBe('2026-11-23T15:59:59.999Z');
  });

  it('skips the National Day holiday and counts its adjusted Saturday', () => {
    // 2026-09-30 (Wed): next working day is 10-08 (10-01…07 off).
    expect(shanghaiDate(addWorkingDays(at('2026-09-30T02:00:00Z'), 1, CN))).toBe('2026-10-08');
    // 2026-09-18 (Fri): next is Sunday 09-20, an adjusted workday (调休上班).
    expect(isWorkingDay('2026-09-20', CN)).toBe(true);
    expect(shanghaiDate(addWorkingDays(at('2026-09-18T02:00:00Z'), 1, CN))).toBe('2026-09-20');
    expect(isWorkingDay('2026-02-17', CN)).toBe(false);
  });

  it('always lands on a working day, n working days later', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 30 }), (from, n) => {
        const due = addWorkingDays(from, n, CN);
        const day = shanghaiDate(due);
        expect(isWorkingDay(day, CN)).toBe(true);
        expect(due.getTime()).toBe(endOfShanghaiDay(day).getTime());
        expect(workingDaysBetween(from, due, CN)).toBe(n);
      }),
    );
  });

  it('is monotonic in n', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 20 }), (from, n) => {
        expect(addWorkingDays(from, n + 1, CN).getTime()).toBeGreaterThan(
          addWorkingDays(from, n, CN).getTime(),
        );
      }),
    );
  });

  it('counts no working days backwards, and addDays inverts itself', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -400, max: 400 }), (from, n) => {
        const day = shanghaiDate(from);
        expect(addDays(addDays(day, n), -n)).toBe(day);
        if (n <= 0)
          expect(workingDaysBetween(from, startOfShanghaiDay(addDays(day, n)), CN)).toBe(0);
      }),
    );
  });

  it('counts only hours on working days', () => {
    // Friday 10:00 → Monday 10:00 Shanghai: 14 h of Friday + 10 h of Monday.
    expect(workingHoursBetween(at('2026-11-20T02:00:00Z'), at('2026-11-23T02:00:00Z'), EMPTY)).toBe(
      24,
    );
    expect(workingHoursBetween(at('2026-11-23T02:00:00Z'), at('2026-11-20T02:00:00Z'), EMPTY)).toBe(
      0,
    );
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 2_000_000_000 }), (from, ms) => {
        const h = workingHoursBetween(from, new Date(from.getTime() + ms), CN);
        expect(h).toBeGreaterThanOrEqual(0);
        expect(h).toBeLessThanOrEqual(ms / 3600_000 + 1e-9);
      }),
    );
  });

  it('counts working days between two instants like a day-by-day walk', () => {
    // The oracle: the plain walk the arithmetic version replaced.
    const walk = (from: Date, to: Date, table: CalendarTable) => {
      const end = shanghaiDate(to);
      let day = shanghaiDate(from);
      let count = 0;
      while (day < end) {
        day = addDays(day, 1);
        if (isWorkingDay(day, table)) count++;
      }
      return count;
    };
    const wide = fc.date({
      min: new Date('2024-06-01T00:00:00Z'),
      max: new Date('2027-06-01T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(wide, wide, fc.boolean(), (a, b, cn) => {
        const table = cn ? CN : EMPTY;
        expect(workingDaysBetween(a, b, table)).toBe(walk(a, b, table));
      }),
      { numRuns: 500 },
    );
    // Across National Day 2026 and its adjusted workdays.
    expect(workingDaysBetween(at('2026-09-30T04:00:00Z'), at('2026-10-09T04:00:00Z'), CN)).toBe(
      walk(at('2026-09-30T04:00:00Z'), at('2026-10-09T04:00:00Z'), CN),
    );
  });

  it('refuses a non-positive count', () => {
    expect(() => addWorkingDays(new Date(), 0, CN)).toThrow(RangeError);
  });
});
