import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RANKING_RULES as RULES,
  flagStreaks,
  rankUnits,
  unitScore,
  type TUnitFigures,
} from './unit-ranking.js';

const u = (
  unitId: number,
  unitClass: string,
  sample: number,
  v: Partial<Record<string, number | null>>,
): TUnitFigures => ({
  unitId,
  unitClass,
  sample,
  values: {
    onTimeCloseRate: null,
    reworkRate: null,
    evidenceCompleteness: null,
    pointPassRate: null,
    ...v,
  },
});

describe('unit ranking', () => {
  it('scores by hand: 40 × 0.9 + 20 × (1 − 0.1) + 20 × 0.5 + 20 × 1 = 84', () => {
    expect(
      unitScore(RULES.metrics, {
        onTimeCloseRate: 0.9,
        reworkRate: 0.1,
        evidenceCompleteness: 0.5,
        pointPassRate: 1,
      }),
    ).toEqual({ score: 84, missing: [] });
    // A missing figure: its weight is spread over the others (and reported).
    expect(
      unitScore(RULES.metrics, {
        onTimeCloseRate: 1,
        reworkRate: 0,
        evidenceCompleteness: null,
        pointPassRate: 0,
      }),
    ).toEqual({
      score: 75,
      missing: ['evidenceCompleteness'],
    });
  });

  it('ranks within classes, keeps small samples out, flags best and worst, ties share', () => {
    const ranked = rankUnits(RULES, [
      u(1, '区县', 20, { onTimeCloseRate: 0.95, reworkRate: 0 }),
      u(2, '区县', 30, { onTimeCloseRate: 0.6, reworkRate: 0.3 }),
      u(3, '区县', 1, { onTimeCloseRate: 1, reworkRate: 0 }),
      u(4, '区县', 12, { onTimeCloseRate: 0.8, reworkRate: 0.1 }),
      u(5, '部门', 9, { onTimeCloseRate: 0.7, reworkRate: 0.1 }),
      u(6, '部门', 9, { onTimeCloseRate: 0.7, reworkRate: 0.1 }),
      u(7, '部门', 9, { onTimeCloseRate: 0.5, reworkRate: 0.5 }),
      u(8, '街道', 9, { onTimeCloseRate: 0.5 }),
    ]);
    const of = (id: number) => ranked.find((r) => r.unitId === id)!;
    expect([of(1).rank, of(1).flag]).toEqual([1, 'red']);
    expect([of(4).rank, of(4).flag]).toEqual([2, null]);
    expect([of(2).rank, of(2).flag]).toEqual([3, 'black']);
    // One case, perfect figures: listed, not ranked, not flagged.
    expect(of(3)).toEqual(
      expect.objectContaining({ rank: null, flag: null, excluded: 'small_sample' }),
    );
    // A tie at the top shares the rank and the red flag.
    expect([of(5).rank, of(6).rank, of(7).rank]).toEqual([1, 1, 3]);
    expect([of(5).flag, of(6).flag, of(7).flag]).toEqual(['red', 'red', 'black']);
    // Alone in its class: nobody to compare with, no flag.
    expect(of(8)).toEqual(expect.objectContaining({ rank: 1, flag: null }));
  });

  it('property: never red and black at once; flags go to the ends; small samples never flagged', () => {
    const arb = fc.array(
      fc.record({
        unitId: fc.integer({ min: 1, max: 1000 }),
        unitClass: fc.constantFrom('A', 'B'),
        sample: fc.integer({ min: 0, max: 20 }),
        values: fc.record({
          onTimeCloseRate: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
          reworkRate: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
        }),
      }),
      { maxLength: 25 },
    );
    fc.assert(
      fc.property(arb, (raw) => {
        const units = raw.filter((x, i) => raw.findIndex((y) => y.unitId === x.unitId) === i);
        const ranked = rankUnits(RULES, units);
        expect(ranked).toHaveLength(units.length);
        for (const r of ranked) {
          if (r.excluded) expect(r.flag).toBeNull();
          for (const o of ranked) {
            if (o.unitClass !== r.unitClass || r.score === null || o.score === null) continue;
            if (r.flag === 'red') expect(r.score).toBeGreaterThanOrEqual(o.score);
            if (r.flag === 'black') expect(r.score).toBeLessThanOrEqual(o.score);
            if (r.score > o.score) expect(r.rank!).toBeLessThan(o.rank!);
          }
        }
      }),
    );
  });

  it('property: a better figure never lowers a unit’s score', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (close, rework, bump) => {
          const a = unitScore(RULES.metrics, { onTimeCloseRate: close, reworkRate: rework }).score!;
          const b = unitScore(RULES.metrics, {
            onTimeCloseRate: Math.min(1, close + bump),
            reworkRate: rework,
          }).score!;
          const c = unitScore(RULES.metrics, {
            onTimeCloseRate: close,
            reworkRate: Math.max(0, rework - bump),
          }).score!;
          expect(b).toBeGreaterThanOrEqual(a);
          expect(c).toBeGreaterThanOrEqual(a);
        },
      ),
    );
  });

  it('streaks: the third black flag in a row → 约谈; a clean month breaks the streak', () => {
    const p = (flag: 'red' | 'black' | null) => new Map([[7, flag]]);
    const h = [
      { period: '2026-07', flags: p('black') },
      { period: '2026-08', flags: p(null) },
      { period: '2026-09', flags: p('black') },
      { period: '2026-10', flags: p('black') },
    ];
    expect(flagStreaks(RULES, h, 7)).toEqual({
      flag: 'black',
      streak: 2,
      actions: [{ zh: '书面督办', en: 'Written notice' }],
    });
    const h2 = [...h, { period: '2026-11', flags: p('black') }];
    expect(flagStreaks(RULES, h2, 7).actions).toEqual([
      { zh: '约谈主要负责人', en: 'Interview with the head' },
    ]);
    expect(flagStreaks(RULES, [...h2, { period: '2026-12', flags: p(null) }], 7)).toEqual({
      flag: null,
      streak: 0,
      actions: [],
    });
  });
});
