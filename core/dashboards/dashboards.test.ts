import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketStarts, monthStart, rankByOnTime, type StandingInput } from './dashboards.js';

describe('bucketStarts', () => {
  it('counts weeks from the Shanghai Monday', () => {
    // 2026-12-06 20:00 UTC is Monday 2026-12-07 04:00 in Shanghai.
    const now = new Date('2026-12-06T20:00:00Z');
    expect(bucketStarts(now, 'week', 3)).toEqual(['2026-11-23', '2026-11-30', '2026-12-07']);
    // Sunday 2026-12-06 in Shanghai belongs to the week of 2026-11-30.
    expect(bucketStarts(new Date('2026-12-06T10:00:00Z'), 'week', 1)).toEqual(['2026-11-30']);
  });
  it('counts months across a year boundary', () => {
    const now = new Date('2026-01-31T17:00:00Z'); // 2026-02-01 01:00 Shanghai
    expect(bucketStarts(now, 'month', 4)).toEqual([
      '2025-11-01',
      '2025-12-01',
      '2026-01-01',
      '2026-02-01',
    ]);
  });
  it('the month starts at Shanghai midnight', () => {
    expect(monthStart(new Date('2026-12-03T09:00:00Z')).toISOString()).toBe(
      '2026-11-30T16:00:00.000Z',
    );
  });
});

describe('rankByOnTime', () => {
  const u = (
    unitId: number,
    type: string,
    base: number,
    onTime: number | null,
    close: number | null = onTime,
  ): StandingInput => ({
    unitId,
    type,
    name: `u${unitId}`,
    base,
    onTimeCloseRate: onTime,
    closeRate: close,
  });

  it('ranks by on-time rate, ties share a rank, small samples are unranked', () => {
    const out = rankByOnTime(
      [
        u(1, 'street', 10, 0.8),
        u(2, 'dept', 10, 0.9),
        u(3, 'street', 10, 0.8),
        u(4, 'dept', 2, 1),
        u(5, 'dept', 20, 0.5),
      ],
      5,
    );
    expect(out).toEqual([
      { unitId: 2, rank: 1, rankInType: 1 },
      { unitId: 1, rank: 2, rankInType: 1 },
      { unitId: 3, rank: 2, rankInType: 1 },
      { unitId: 5, rank: 4, rankInType: 2 },
      { unitId: 4, rank: null, rankInType: null },
    ]);
  });

  it('a better on-time rate never ranks lower (property)', () => {
    const row = fc.record({
      type: fc.constantFrom('a', 'b'),
      base: fc.integer({ min: 0, max: 30 }),
      onTime: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const input = rows.map((r, i) => u(i + 1, r.type, r.base, r.onTime));
        const out = rankByOnTime(input, 5);
        const byId = new Map(out.map((s) => [s.unitId, s]));
        expect(out).toHaveLength(input.length);
        for (const a of input)
          for (const b of input) {
            const ra = byId.get(a.unitId)!.rank;
            const rb = byId.get(b.unitId)!.rank;
            if (ra === null || rb === null) continue;
            if ((a.onTimeCloseRate ?? -1) > (b.onTimeCloseRate ?? -1)) expect(ra).toBeLessThan(rb);
          }
      }),
    );
  });
});
