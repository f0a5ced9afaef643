import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeKpis, satisfactionRate, sumCounts, type KpiCounts } from './kpis.js';

const counts = fc
  .record({
    due: fc.nat(1000),
    deferredShare: fc.double({ min: 0, max: 1, noNaN: true }),
    closedShare: fc.double({ min: 0, max: 1, noNaN: true }),
    onTimeShare: fc.double({ min: 0, max: 1, noNaN: true }),
    reworkShare: fc.double({ min: 0, max: 1, noNaN: true }),
    hours: fc.double({ min: 0, max: 500, noNaN: true }),
  })
  .map((r): KpiCounts => {
    const deferred = Math.floor(r.due * r.deferredShare);
    const closed = Math.floor((r.due - deferred) * r.closedShare);
    const closedOnTime = Math.floor(closed * r.onTimeShare);
    return {
      due: r.due,
      deferred,
      closed,
      closedOnTime,
      reworked: Math.floor((r.due - deferred) * r.reworkShare),
      extended: Math.floor((r.due - deferred) * r.reworkShare * 0.5),
      handlingHoursSum: closed * r.hours,
    };
  });

describe('problem KPIs', () => {
  it('uses the 数字城管 formulas', () => {
    const k = computeKpis({
      due: 12,
      deferred: 2,
      closed: 8,
      closedOnTime: 6,
      reworked: 1,
      extended: 2,
      handlingHoursSum: 40,
    });
    expect(k.closeRate).toBe(0.8);
    expect(k.onTimeCloseRate).toBe(0.6);
    expect(k.reworkRate).toBe(0.1);
    expect(k.extensionRate).toBe(0.2);
    expect(k.avgHandlingHours).toBe(5);
  });

  it('gives null, not NaN or Infinity, when nothing is due', () => {
    const k = computeKpis({
      due: 3,
      deferred: 3,
      closed: 0,
      closedOnTime: 0,
      reworked: 0,
      extended: 0,
      handlingHoursSum: 0,
    });
    expect(k.closeRate).toBeNull();
    expect(k.avgHandlingHours).toBeNull();
  });

  it('keeps rates between 0 and 1 and on-time below closed', () => {
    fc.assert(
      fc.property(counts, (c) => {
        const k = computeKpis(c);
        for (const r of [k.closeRate, k.onTimeCloseRate, k.reworkRate, k.extensionRate]) {
          if (r !== null) {
            expect(r).toBeGreaterThanOrEqual(0);
            expect(r).toBeLessThanOrEqual(1);
          }
        }
        if (k.closeRate !== null) expect(k.onTimeCloseRate!).toBeLessThanOrEqual(k.closeRate);
      }),
    );
  });

  it('sums groups into the total', () => {
    fc.assert(
      fc.property(fc.array(counts, { maxLength: 8 }), (rows) => {
        const total = sumCounts(rows);
        expect(total.due).toBe(rows.reduce((a, r) => a + r.due, 0));
        expect(total.closed).toBe(rows.reduce((a, r) => a + r.closed, 0));
      }),
    );
  });
});

describe('满意率', () => {
  it('counts 满意 and 基本满意 over the ratings given; none given is no rate', () => {
    expect(satisfactionRate({ rated: 3, satisfied: 1, basic: 1 })).toBe(0.6667);
    expect(satisfactionRate({ rated: 0, satisfied: 0, basic: 0 })).toBeNull();
  });
});
