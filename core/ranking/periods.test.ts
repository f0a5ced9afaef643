import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isoWeeksInYear,
  parseRankingPeriod,
  periodsEndingWith,
  previousRankingPeriod,
  rankingPeriodOf,
} from './periods.js';

describe('ranking periods', () => {
  it('bounds months and ISO weeks in Shanghai time', () => {
    const m = parseRankingPeriod('2026-11')!;
    expect(m.from.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(m.to.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    const w = parseRankingPeriod('2026-W01')!;
    // 2026-01-01 is a Thursday: week 1 starts on Monday 2025-12-29.
    expect(w.from.toISOString()).toBe('2025-12-28T16:00:00.000Z');
    expect(w.to.toISOString()).toBe('2026-01-04T16:00:00.000Z');
    expect(isoWeeksInYear(2026)).toBe(53);
    expect(isoWeeksInYear(2025)).toBe(52);
    expect(parseRankingPeriod('2025-W53')).toBeNull();
    expect(parseRankingPeriod('2026-13')).toBeNull();
    expect(parseRankingPeriod('2026-11-01')).toBeNull();
  });

  it('finds the period of an instant, previous periods and trends', () => {
    expect(rankingPeriodOf(new Date('2026-11-30T16:30:00Z'), 'month')).toBe('2026-12');
    expect(rankingPeriodOf(new Date('2025-12-29T00:00:00Z'), 'week')).toBe('2026-W01');
    expect(previousRankingPeriod(parseRankingPeriod('2026-01')!).period).toBe('2025-12');
    expect(previousRankingPeriod(parseRankingPeriod('2026-W01')!).period).toBe('2025-W52');
    expect(periodsEndingWith(parseRankingPeriod('2026-02')!, 3).map((p) => p.period)).toEqual([
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
  });

  it('every instant lies in the period it is said to be in, and periods tile time', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.constantFrom('month' as const, 'week' as const),
        (at, kind) => {
          const p = parseRankingPeriod(rankingPeriodOf(at, kind))!;
          expect(p.from.getTime()).toBeLessThanOrEqual(at.getTime());
          expect(p.to.getTime()).toBeGreaterThan(at.getTime());
          expect(previousRankingPeriod(p).to.getTime()).toBe(p.from.getTime());
        },
      ),
    );
  });
});
