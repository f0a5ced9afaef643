import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  indicatorStatus,
  meetsTarget,
  periodFromOrdinal,
  periodOf,
  periodOrdinal,
  periodProblem,
  standardComplianceShares,
  type TIndicatorPeriod,
} from './indicators.js';

const kind = fc.constantFrom<TIndicatorPeriod>('month', 'quarter');

describe('indicator periods', () => {
  it('reads months and quarters and refuses anything else', () => {
    expect(periodOrdinal('2026-03', 'month')).toBe(2026 * 12 + 2);
    expect(periodOrdinal('2026-Q4', 'quarter')).toBe(2026 * 4 + 3);
    expect(periodOrdinal('2026-13', 'month')).toBeNull();
    expect(periodOrdinal('2026-Q1', 'month')).toBeNull();
    expect(periodOrdinal('2026-03', 'quarter')).toBeNull();
    expect(periodOrdinal('2026-Q5', 'quarter')).toBeNull();
  });

  it('places an instant in its Shanghai period (UTC 16:00 on the last day is the next day)', () => {
    expect(periodOf(new Date('2026-03-31T15:59:59Z'), 'month')).toBe('2026-03');
    expect(periodOf(new Date('2026-03-31T16:00:00Z'), 'month')).toBe('2026-04');
    expect(periodOf(new Date('2026-03-31T16:00:00Z'), 'quarter')).toBe('2026-Q2');
    expect(periodOf(new Date('2026-12-31T16:00:00Z'), 'quarter')).toBe('2027-Q1');
  });

  it('round-trips every ordinal through its text', () => {
    fc.assert(
      fc.property(kind, fc.integer({ min: 1000 * 12, max: 9999 * 4 }), (k, o) => {
        expect(periodOrdinal(periodFromOrdinal(o, k), k)).toBe(o);
      }),
    );
  });

  it('refuses future periods and periods before the start, accepts the current one', () => {
    const now = new Date('2026-05-10T00:00:00Z');
    expect(periodProblem('2026-05', 'month', '2026-01', now)).toBeNull();
    expect(periodProblem('2026-06', 'month', '2026-01', now)).toBe('future');
    expect(periodProblem('2025-12', 'month', '2026-01', now)).toBe('before_start');
    expect(periodProblem('2026-Q2', 'quarter', '2026-Q1', now)).toBeNull();
    expect(periodProblem('2026-Q3', 'quarter', '2026-Q1', now)).toBe('future');
    expect(periodProblem('May', 'month', '2026-01', now)).toBe('malformed');
  });
});

describe('indicator status', () => {
  const def = {
    target: 95,
    direction: 'gte' as const,
    period: 'month' as const,
    startPeriod: '2026-01',
  };
  const now = new Date('2026-05-10T00:00:00Z');

  it('gives known answers: latest vs target, trend in order, missing closed periods', () => {
    const s = indicatorStatus(
      def,
      [
        { period: '2026-03', value: 96.5 },
        { period: '2026-01', value: 93 },
      ],
      now,
    );
    expect(s.latest).toEqual({ period: '2026-03', value: 96.5, met: true });
    expect(s.compliant).toBe(true);
    expect(s.trend.map((t) => [t.period, t.met])).toEqual([
      ['2026-01', false],
      ['2026-03', true],
    ]);
    expect(s.missing).toEqual(['2026-02', '2026-04']);
    expect(indicatorStatus(def, [], now)).toMatchObject({ compliant: null, latest: null });
    expect(
      indicatorStatus(
        { ...def, direction: 'lte', target: 5 },
        [{ period: '2026-05', value: 6 }],
        now,
      ).compliant,
    ).toBe(false);
  });

  it('never counts the current or a reported period as missing; missing + reported cover the past', () => {
    fc.assert(
      fc.property(
        kind,
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 20 }),
        (k, back, offsets) => {
          const cur = periodOrdinal(periodOf(now, k), k)!;
          const start = cur - back;
          const values = offsets
            .map((o) => start + o)
            .filter((o) => o <= cur)
            .map((o) => ({ period: periodFromOrdinal(o, k), value: o % 100 }));
          const s = indicatorStatus(
            { ...def, period: k, startPeriod: periodFromOrdinal(start, k) },
            values,
            now,
          );
          const reported = new Set(values.map((v) => v.period));
          expect(s.missing.every((p) => !reported.has(p))).toBe(true);
          expect(s.missing).not.toContain(periodFromOrdinal(cur, k));
          const pastReported = [...reported].filter((p) => periodOrdinal(p, k)! < cur).length;
          expect(s.missing.length + pastReported).toBe(back);
          expect(s.trend.length).toBe(reported.size);
        },
      ),
    );
  });

  it('meets the target exactly at the target in both directions', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), (t) => {
        expect(meetsTarget(t, t, 'gte')).toBe(true);
        expect(meetsTarget(t, t, 'lte')).toBe(true);
      }),
    );
  });
});

describe('standard compliance shares', () => {
  it('is the share of compliant indicators per standard; no value counts as not met', () => {
    const m = standardComplianceShares([
      { standardKey: 'a', compliant: true },
      { standardKey: 'a', compliant: false },
      { standardKey: 'a', compliant: null },
      { standardKey: 'a', compliant: true },
      { standardKey: 'b', compliant: true },
    ]);
    expect(m.get('a')).toBe(0.5);
    expect(m.get('b')).toBe(1);
    expect(m.has('c')).toBe(false);
  });

  it('always lies in 0..1', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            standardKey: fc.constantFrom('a', 'b', 'c'),
            compliant: fc.constantFrom(true, false, null),
          }),
        ),
        (xs) => {
          for (const v of standardComplianceShares(xs).values()) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });
});
