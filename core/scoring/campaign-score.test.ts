import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METHODS } from '../frameworks/methods.js';
import {
  combineFrameworks,
  cycleScore,
  yearScore,
  type TScoringRules,
  type TScoringStandard,
} from './campaign-score.js';

const RULES: TScoringRules = {
  methodWeights: { material: 40, field: 40, survey: 20 },
  surveyFloor: { enabled: true, minRate: 80, effect: 'flag', points: 0 },
};

const std = (
  key: string,
  method: TScoringStandard['method'],
  maxScore: number,
  share: number | null,
  itemKey = 'I1',
): TScoringStandard => ({
  key,
  code: key,
  itemKey,
  contentKey: `${itemKey}.1`,
  method,
  maxScore,
  share,
});

describe('yearScore', () => {
  it('a known case by hand: 40 × 3/4 + 40 × 1/2 + 20 × 0.9 = 68', () => {
    const s = yearScore(RULES, [
      std('m1', 'material', 3, 1),
      std('m2', 'report', 1, 0),
      std('f1', 'field', 2, 0.5),
      std('f2', 'simulation', 2, 0.5),
      std('s1', 'survey', 5, 0.9, 'I2'),
    ]);
    expect(s.base).toBe(68);
    expect(s.score).toBe(68);
    expect(s.parts.map((p) => [p.bucket, p.points])).toEqual([
      ['material', 30],
      ['field', 20],
      ['survey', 18],
    ]);
    expect(s.items).toEqual([
      expect.objectContaining({ key: 'I1', weightedMax: 80, weightedEarned: 50 }),
      expect.objectContaining({ key: 'I2', weightedMax: 20, weightedEarned: 18 }),
    ]);
    // The biggest losses first: m2 carries 10 points (40 × 1/4) and earned none; f1 and f2 carry
    // 20 each (40 × 2/4) and lost half. Ties in code order.
    expect(s.atRisk.map((r) => [r.key, r.lost])).toEqual([
      ['f1', 10],
      ['f2', 10],
      ['m2', 10],
      ['s1', 2],
    ]);
  });

  it('deductions, suspension, disqualification', () => {
    const all = [std('m', 'material', 1, 1), std('f', 'field', 1, 1), std('s', 'survey', 1, 1)];
    expect(yearScore(RULES, all, [{ code: 'G15', effect: 'deduct', points: 3 }]).score).toBe(97);
    const sus = yearScore(RULES, all, [{ code: 'G1', effect: 'suspend_title', points: 0 }]);
    expect([sus.status, sus.score]).toEqual(['suspended', 100]);
    // A verdict never rewrites the number: the office sees both (BRIEF §1.5 sanctions are verdicts).
    const dq = yearScore(RULES, all, [{ code: 'G2', effect: 'disqualify', points: 0 }]);
    expect([dq.status, dq.score]).toEqual(['disqualified', 100]);
    const both = yearScore(RULES, all, [
      { code: 'G15', effect: 'deduct', points: 3 },
      { code: 'G15', effect: 'suspend_title', points: 0 },
      { code: 'G15', effect: 'bar_application', points: 0 },
    ]);
    expect([both.score, both.status, both.verdicts]).toEqual([
      97,
      'barred',
      ['barred', 'suspended'],
    ]);
    expect(yearScore(RULES, all, [{ code: 'X', effect: 'deduct', points: 500 }]).score).toBe(0);
  });

  it('the survey floor vetoes (the seeds: 不达标直接否决), deducts or flags — never caps', () => {
    const all = [std('m', 'material', 1, 1), std('f', 'field', 1, 1), std('s', 'survey', 1, 0.95)];
    const rates = [
      { dimension: 'awareness', rate: 0.92 },
      { dimension: 'satisfaction', rate: 0.78 },
      { dimension: 'support', rate: 0.7 },
    ];
    const flag = yearScore(RULES, all, [], rates);
    expect(flag.floor).toEqual({
      below: ['satisfaction', 'support'],
      effect: 'flag',
      vetoed: false,
      deducted: 0,
    });
    expect([flag.score, flag.status]).toEqual([99, 'ok']);
    // Veto: the year is marked 否决 whatever its total; the total stays what it is.
    const veto = yearScore(
      { ...RULES, surveyFloor: { ...RULES.surveyFloor, effect: 'veto' } },
      all,
      [],
      rates,
    );
    expect([veto.score, veto.floor.vetoed, veto.status]).toEqual([99, true, 'vetoed']);
    // Deduct: points per rate under the floor, off the year's 100.
    const deduct = yearScore(
      { ...RULES, surveyFloor: { ...RULES.surveyFloor, effect: 'deduct', points: 2 } },
      all,
      [],
      rates,
    );
    expect([deduct.score, deduct.floor.deducted, deduct.deducted, deduct.status]).toEqual([
      95,
      4,
      4,
      'ok',
    ]);
    // Exactly on the floor is not under it.
    const onTheLine = yearScore(RULES, all, [], [{ dimension: 'support', rate: 0.8 }]);
    expect(onTheLine.floor.below).toEqual([]);
    const off = yearScore(
      { ...RULES, surveyFloor: { ...RULES.surveyFloor, enabled: false, effect: 'veto' } },
      all,
      [],
      rates,
    );
    expect([off.score, off.status]).toEqual([99, 'ok']);
  });

  it('a part with no standards is reported and its weight spread over the others', () => {
    const s = yearScore(RULES, [std('m', 'material', 1, 1), std('f', 'field', 1, 0)]);
    expect(s.emptyParts).toEqual(['survey']);
    expect(s.score).toBe(50);
  });

  it('unknown shares count as zero and are reported', () => {
    const s = yearScore(RULES, [
      std('m', 'material', 1, null),
      std('f', 'field', 1, 1),
      std('s', 'survey', 1, 1),
    ]);
    expect(s.unknown).toBe(1);
    expect(s.score).toBe(60);
    expect(s.atRisk[0]).toEqual(expect.objectContaining({ key: 'm', unknown: true }));
  });

  const arbStandards = fc.array(
    fc.record({
      key: fc.uuid(),
      code: fc.string({ maxLength: 4 }),
      itemKey: fc.constantFrom('I1', 'I2', 'I3'),
      contentKey: fc.constantFrom('C1', 'C2'),
      method: fc.constantFrom(...METHODS),
      maxScore: fc.integer({ min: 0, max: 1000 }).map((n) => n / 100),
      share: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
    }),
    { maxLength: 30 },
  );
  const arbWeights = fc
    .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }))
    .filter(([a, b]) => a + b <= 100)
    .map(([a, b]) => ({ material: a, field: b, survey: 100 - a - b }));

  it('property: weights sum — everything achieved scores 100 (when every weighted part has standards)', () => {
    fc.assert(
      fc.property(arbStandards, arbWeights, (list, methodWeights) => {
        const full = list.map((s) => ({ ...s, maxScore: s.maxScore || 1, share: 1 }));
        const r = yearScore({ ...RULES, methodWeights }, full);
        const live = (['material', 'field', 'survey'] as const).filter(
          (b) => !r.emptyParts.includes(b),
        );
        const liveWeight = live.reduce((a, b) => a + methodWeights[b], 0);
        if (full.length === 0 || liveWeight === 0) expect(r.score).toBe(0);
        else expect(r.score).toBeCloseTo(100, 1);
        expect(r.score).toBeLessThanOrEqual(100.01);
      }),
    );
  });

  it('property: monotone — fixing a failed standard never lowers the score', () => {
    fc.assert(
      fc.property(arbStandards, arbWeights, fc.nat(), (list, methodWeights, pick) => {
        fc.pre(list.length > 0);
        const rules = { ...RULES, methodWeights };
        const before = yearScore(rules, list);
        const i = pick % list.length;
        const after = yearScore(
          rules,
          list.map((s, j) => (j === i ? { ...s, share: 1 } : s)),
        );
        expect(after.score).toBeGreaterThanOrEqual(before.score - 0.011);
        const itemsSum = after.items.reduce((a, n) => a + n.weightedEarned, 0);
        expect(itemsSum).toBeCloseTo(after.base, 0);
      }),
    );
  });

  it('property: the floor never raises a score; a veto keeps the total and marks the year', () => {
    fc.assert(
      fc.property(
        arbStandards,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
        fc.constantFrom('flag', 'deduct', 'veto' as const),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (list, rates, effect, points) => {
          const rules = { ...RULES, surveyFloor: { enabled: true, minRate: 80, effect, points } };
          const dims = rates.map((rate, i) => ({ dimension: `d${i}`, rate }));
          const none = yearScore(rules, list);
          const withRates = yearScore(rules, list, [], dims);
          expect(withRates.score).toBeLessThanOrEqual(none.score);
          const below = withRates.floor.below.length > 0;
          expect(withRates.status === 'vetoed').toBe(below && effect === 'veto');
          if (effect !== 'deduct') expect(withRates.score).toBe(none.score);
          else
            expect(withRates.score).toBeCloseTo(
              Math.max(0, none.score - dims.filter((d) => d.rate < 0.8).length * points),
              1,
            );
        },
      ),
    );
  });
});

describe('cycleScore', () => {
  it('weighs the years; unknown years are projected at the latest', () => {
    expect(cycleScore([15, 25, 60], [80, 90, 70])).toEqual(
      expect.objectContaining({ total: 76.5, projected: false }),
    );
    expect(cycleScore([15, 25, 60], [80, null, null])).toEqual(
      expect.objectContaining({ total: 80, projected: true }),
    );
    expect(cycleScore([15, 25, 60], [80, 90, null]).total).toBe(88.5);
  });
});

describe('combineFrameworks', () => {
  // BRIEF §1.1 (enteach.net): the 未成年人思想道德建设测评 is scored on 100 separately; below 85
  // a city cannot apply; the score counts 20 % of the total.
  it('city 80 % + minors 20 %, the minors gate at 85', () => {
    const city = {
      id: 1,
      name: '文明城市',
      share: 80,
      gate: null,
      score: 90,
      status: 'ok' as const,
    };
    const minors = {
      id: 2,
      name: '未成年人',
      share: 20,
      gate: 85,
      score: 88,
      status: 'ok' as const,
    };
    const ok = combineFrameworks([city, minors]);
    expect([ok.total, ok.status, ok.gatesFailed]).toEqual([89.6, 'ok', []]);
    expect(ok.parts.map((p) => [p.points, p.gatePassed])).toEqual([
      [72, null],
      [17.6, true],
    ]);
    const low = combineFrameworks([city, { ...minors, score: 84.9 }]);
    expect([low.total, low.status, low.gatesFailed]).toEqual([88.98, 'barred', ['未成年人']]);
    // A framework's own verdict carries to the whole; one scored on its own does not.
    const vetoed = combineFrameworks([{ ...city, status: 'vetoed' }, minors]);
    expect(vetoed.status).toBe('vetoed');
    const sanitary = {
      id: 3,
      name: '卫生城市',
      share: null,
      gate: null,
      score: 50,
      status: 'disqualified' as const,
    };
    expect(combineFrameworks([city, minors, sanitary]).status).toBe('ok');
    expect(combineFrameworks([sanitary]).total).toBeNull();
  });
});
