import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, capCount, dropOverCap, yearScore } from './dynamic.js';

describe('文明细胞 dynamic management rules', () => {
  it('adds calendar months, clamping to the month’s end', () => {
    expect(addMonths('2026-03-15', 12)).toBe('2027-03-15');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2026-02-10', -24)).toBe('2024-02-10');
    expect(addMonths('2026-12-07', -25)).toBe('2024-11-07');
  });

  it('scores a year as the average check score (none: 0) minus deductions', () => {
    expect(yearScore(75, 2)).toBe(73);
    expect(yearScore(null, 5)).toBe(-5);
  });

  it('keeps at most the cap (rounded down)', () => {
    expect(capCount(10, 90)).toBe(9);
    expect(capCount(4, 25)).toBe(1);
    expect(capCount(7, 90)).toBe(6);
    expect(capCount(3, null)).toBeNull();
  });

  it('drops exactly the excess, never one scoring above one that stays; ties by deductions, then id', () => {
    expect(
      dropOverCap(
        [
          { honourId: 1, score: 60, deductions: 0 },
          { honourId: 2, score: 60, deductions: 3 },
          { honourId: 3, score: 60, deductions: 3 },
          { honourId: 4, score: 90, deductions: 0 },
        ],
        2,
      ),
    ).toEqual([3, 2]);
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            honourId: fc.integer({ min: 1, max: 10_000 }),
            score: fc.integer({ min: -20, max: 100 }),
            deductions: fc.integer({ min: 0, max: 30 }),
          }),
          { selector: (c) => c.honourId, maxLength: 40 },
        ),
        fc.integer({ min: 0, max: 40 }),
        (kept, limit) => {
          const dropped = new Set(dropOverCap(kept, limit));
          expect(dropped.size).toBe(Math.max(0, kept.length - limit));
          const stay = kept.filter((c) => !dropped.has(c.honourId));
          for (const d of kept.filter((c) => dropped.has(c.honourId)))
            for (const s of stay) expect(d.score).toBeLessThanOrEqual(s.score);
          // Deterministic: the order given does not matter.
          expect(new Set(dropOverCap([...kept].reverse(), limit))).toEqual(dropped);
        },
      ),
    );
  });
});
