import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EVIDENCE_RULES,
  DOSSIER_STATES,
  EVIDENCE_GRADES,
  addMonths,
  earnedScore,
  evidenceWindow,
  inWindow,
  tallyEvidence,
  type TStandardEvidence,
} from './evidence.js';

describe('evidence window', () => {
  it('defaults to the 12 months ending one month before the test date', () => {
    const rules = { ...DEFAULT_EVIDENCE_RULES, testDates: { '2026': '2026-11-15' } };
    expect(evidenceWindow(rules, 2026)).toEqual({
      testDate: '2026-11-15',
      from: '2025-10-15',
      to: '2026-10-14',
      assumed: false,
    });
    expect(evidenceWindow(DEFAULT_EVIDENCE_RULES, 2027)).toEqual({
      testDate: '2027-12-01',
      from: '2026-11-01',
      to: '2027-10-31',
      assumed: true,
    });
  });

  it('addMonths clamps to the month’s last day and crosses years', () => {
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2026-01-15', -13)).toBe('2024-12-15');
    expect(addMonths('2026-12-01', 1)).toBe('2027-01-01');
  });

  it('property: the window holds windowMonths months and ends before the test date', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 0, max: 6 }),
        (d, windowMonths, gapMonths) => {
          const testDate = d.toISOString().slice(0, 10);
          const year = Number(testDate.slice(0, 4));
          const w = evidenceWindow(
            { ...DEFAULT_EVIDENCE_RULES, windowMonths, gapMonths, testDates: { [year]: testDate } },
            year,
          );
          expect(w.from < w.to).toBe(true);
          expect(w.to < testDate).toBe(true);
          expect(inWindow(w, w.from) && inWindow(w, w.to)).toBe(true);
          expect(inWindow(w, testDate)).toBe(false);
          const days = (Date.parse(w.to) - Date.parse(w.from)) / 86_400_000 + 1;
          expect(days).toBeGreaterThanOrEqual(windowMonths * 28 - 3);
          expect(days).toBeLessThanOrEqual(windowMonths * 31 + 1);
        },
      ),
    );
  });
});

describe('scores and tallies', () => {
  it('only an approved, graded dossier earns its grade’s share', () => {
    const r = DEFAULT_EVIDENCE_RULES;
    expect(earnedScore(r, 2, 'approved', 'A')).toBe(2);
    expect(earnedScore(r, 2, 'approved', 'B')).toBe(1.6);
    expect(earnedScore(r, 2, 'submitted', 'A')).toBe(0);
    expect(earnedScore(r, 2, 'approved', null)).toBe(0);
  });

  it('tallies by item and by lead unit with known answers', () => {
    const s: TStandardEvidence[] = [
      { key: 's1', itemKey: 'i1', maxScore: 2, state: 'approved', grade: 'A', unitIds: [10] },
      { key: 's2', itemKey: 'i1', maxScore: 1, state: 'approved', grade: 'C', unitIds: [10, 11] },
      { key: 's3', itemKey: 'i2', maxScore: 3, state: 'submitted', grade: null, unitIds: [11] },
      { key: 's4', itemKey: 'i2', maxScore: 1, state: 'none', grade: null, unitIds: [] },
      { key: 's5', itemKey: 'i2', maxScore: 1, state: 'returned', grade: null, unitIds: [11] },
    ];
    const { total, byItem, byUnit } = tallyEvidence(DEFAULT_EVIDENCE_RULES, s);
    expect(total).toEqual({
      standards: 5,
      submitted: 3,
      approved: 2,
      returned: 1,
      missing: 1,
      maxScore: 8,
      projectedScore: 2.6,
    });
    expect(byItem.get('i1')!.projectedScore).toBe(2.6);
    expect(byItem.get('i2')!.projectedScore).toBe(0);
    expect(byUnit.get(10)!.projectedScore).toBe(2.6);
    expect(byUnit.get(11)).toEqual(expect.objectContaining({ standards: 3, projectedScore: 0.6 }));
    expect(byUnit.get(null)!.missing).toBe(1);
  });

  it('property: the projected score never exceeds the max, and approving raises it', () => {
    const standard = fc.record({
      key: fc.string(),
      itemKey: fc.constantFrom('i1', 'i2', 'i3'),
      maxScore: fc.integer({ min: 0, max: 500 }).map((n) => n / 100),
      state: fc.constantFrom(...DOSSIER_STATES),
      grade: fc.option(fc.constantFrom(...EVIDENCE_GRADES), { nil: null }),
      unitIds: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 2 }),
    });
    fc.assert(
      fc.property(fc.array(standard, { maxLength: 40 }), fc.nat(), (list, pick) => {
        const { total, byItem } = tallyEvidence(DEFAULT_EVIDENCE_RULES, list);
        expect(total.projectedScore).toBeLessThanOrEqual(total.maxScore + 1e-9);
        const itemSum = [...byItem.values()].reduce((a, t) => a + t.projectedScore, 0);
        expect(itemSum).toBeCloseTo(total.projectedScore, 6);
        if (!list.length) return;
        const i = pick % list.length;
        const better = list.map((s, j) =>
          j === i ? { ...s, state: 'approved' as const, grade: 'A' as const } : s,
        );
        expect(
          tallyEvidence(DEFAULT_EVIDENCE_RULES, better).total.projectedScore,
        ).toBeGreaterThanOrEqual(total.projectedScore - 1e-9);
      }),
    );
  });
});
