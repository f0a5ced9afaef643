import { describe, expect, it } from 'vitest';
import { hitEffect, withinMonthsBefore, yearNegatives, type TNegativeRule } from './negatives.js';

// BRIEF §1.5 (syrybj.com, 2015 负面清单): G15 有全国影响的重大安全事故 — title suspended 1 year;
// within 12 months before an annual test: −3 that year; within 12 months before applying: barred.
const G15: TNegativeRule = {
  code: 'G15',
  text: '发生有全国影响的重大安全事故',
  effect: 'deduct',
  points: 3,
  windowMonths: 12,
  suspendMonths: 12,
  barsApplication: true,
};

describe('negative-list effects by when the event happened (BRIEF §1.5, G15)', () => {
  it('within 12 months before the test: −3 that year, the title suspended a year', () => {
    const e = hitEffect(G15, '2026-05-03', {
      year: 2026,
      testDate: '2026-08-01',
      applicationDate: null,
    });
    expect(e.consequences).toEqual([
      { kind: 'deduct', points: 3 },
      { kind: 'suspend_title', until: '2027-05-03' },
    ]);
    expect(e.zh).toBe(
      '2026-05-03 发生（2026 年测评日 2026-08-01）：扣 3 分；称号暂停至 2027-05-03',
    );
    expect(yearNegatives([e])).toEqual([
      { code: 'G15', effect: 'deduct', points: 3 },
      { code: 'G15', effect: 'suspend_title', points: 0 },
    ]);
  });

  it('after the test it counts against the next year’s test, not this one', () => {
    const e = hitEffect(G15, '2026-09-10', {
      year: 2026,
      testDate: '2026-08-01',
      applicationDate: null,
    });
    expect(e.consequences).toEqual([{ kind: 'outside_window' }]);
    expect(e.zh).toContain('本年度不计');
    const next = hitEffect(G15, '2026-09-10', {
      year: 2027,
      testDate: '2027-08-01',
      applicationDate: null,
    });
    expect(next.consequences.map((c) => c.kind)).toEqual(['deduct', 'suspend_title']);
    expect(yearNegatives([e])).toEqual([]);
  });

  it('more than 12 months before the test: no points, and the suspension is over', () => {
    const e = hitEffect(G15, '2025-06-01', {
      year: 2026,
      testDate: '2026-08-01',
      applicationDate: null,
    });
    expect(e.consequences).toEqual([{ kind: 'outside_window' }]);
  });

  it('within 12 months before the application: the city may not apply', () => {
    const e = hitEffect(G15, '2028-01-15', {
      year: 2028,
      testDate: '2028-08-01',
      applicationDate: '2028-03-31',
    });
    expect(e.consequences.map((c) => c.kind)).toEqual([
      'deduct',
      'suspend_title',
      'bar_application',
    ]);
    expect(e.zh).toContain('不得申报');
  });

  it('a suspension or a disqualification is the item’s main effect within its window', () => {
    const n3: TNegativeRule = {
      ...G15,
      code: 'N3',
      effect: 'suspend_title',
      points: 0,
      suspendMonths: null,
      barsApplication: false,
    };
    const n4: TNegativeRule = { ...n3, code: 'N4', effect: 'disqualify' };
    const y = { year: 2026, testDate: '2026-12-01', applicationDate: null };
    expect(hitEffect(n3, '2026-03-01', y).consequences).toEqual([
      { kind: 'suspend_title', until: null },
    ]);
    expect(hitEffect(n4, '2026-03-01', y).consequences).toEqual([{ kind: 'disqualify' }]);
  });

  it('the window: after the anchor minus N months, up to and including the anchor', () => {
    expect(withinMonthsBefore('2026-08-01', '2026-08-01', 12)).toBe(true);
    expect(withinMonthsBefore('2025-08-01', '2026-08-01', 12)).toBe(false);
    expect(withinMonthsBefore('2025-08-02', '2026-08-01', 12)).toBe(true);
    expect(withinMonthsBefore('2026-08-02', '2026-08-01', 12)).toBe(false);
  });
});
