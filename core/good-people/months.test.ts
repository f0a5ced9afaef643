import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthOf, previousMonth } from './months.js';

describe('身边好人 months', () => {
  it('counts a month in Beijing time', () => {
    // 2026-11-30 16:30 UTC is 2026-12-01 00:30 in Beijing.
    expect(monthOf(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12');
    expect(monthOf(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11');
  });

  it('steps back one month, across a year', () => {
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(previousMonth('2026-10')).toBe('2026-09');
    fc.assert(
      fc.property(fc.integer({ min: 2001, max: 2099 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        const month = `${y}-${String(m).padStart(2, '0')}`;
        const before = previousMonth(month);
        // The first day of `month`, one day back, is in the month before.
        const day = new Date(`${month}-01T12:00:00Z`).getTime() - 86_400_000;
        expect(before).toBe(new Date(day).toISOString().slice(0, 7));
      }),
    );
  });
});
