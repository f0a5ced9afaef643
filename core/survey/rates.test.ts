import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyAnswer, type QuestionDef } from './questions.js';
import {
  computeResults,
  designWeights,
  estimateRate,
  modeDesignWeights,
  wilson,
  type AnswerTally,
  type StratumCount,
} from './rates.js';

const stratum = fc
  .record({
    stratum: fc.string({ minLength: 1, maxLength: 4 }),
    weight: fc.double({ min: 0.01, max: 1000, noNaN: true }),
    valid: fc.nat(300),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map((r): StratumCount => ({
    stratum: r.stratum,
    weight: r.weight,
    valid: r.valid,
    favourable: Math.floor(r.valid * r.share),
  }));
const strata = fc.array(stratum, { maxLength: 12 });

const close = (a: number | null, b: number | null) => {
  if (a === null || b === null) return expect(a).toBe(b);
  expect(Math.abs(a - b)).toBeLessThan(1e-9);
};

describe('Wilson interval', () => {
  it('matches a textbook value (8 of 10: 0.490–0.943)', () => {
    const { lo, hi } = wilson(0.8, 10);
    expect(lo).toBeCloseTo(0.4902, 3);
    expect(hi).toBeCloseTo(0.9433, 3);
  });

  it('keeps 0 ≤ lo ≤ p ≤ hi ≤ 1 for any p and n', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e7, noNaN: true }),
        (p, n) => {
          const { lo, hi } = wilson(p, n);
          expect(0).toBeLessThanOrEqual(lo);
          expect(lo).toBeLessThanOrEqual(p);
          expect(p).toBeLessThanOrEqual(hi);
          expect(hi).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('narrows as the sample grows', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.integer({ min: 2, max: 1e5 }),
        (p, n) => {
          const a = wilson(p, n);
          const b = wilson(p, n * 4);
          expect(b.hi - b.lo).toBeLessThan(a.hi - a.lo);
        },
      ),
    );
  });
});

describe('weighted rate', () => {
  it('keeps 0 ≤ lo ≤ rate ≤ hi ≤ 1 for any strata', () => {
    fc.assert(
      fc.property(strata, (s) => {
        const e = estimateRate(s);
        if (e.rate === null) {
          expect(s.every((x) => x.valid === 0)).toBe(true);
          return;
        }
        expect(0).toBeLessThanOrEqual(e.lo!);
        expect(e.lo!).toBeLessThanOrEqual(e.rate);
        expect(e.rate).toBeLessThanOrEqual(e.hi!);
        expect(e.hi!).toBeLessThanOrEqual(1);
        expect(e.nEff).toBeLessThanOrEqual(e.valid + 1e-6);
      }),
    );
  });

  it('equal weights give the unweighted rate and n', () => {
    fc.assert(
      fc.property(strata, fc.double({ min: 0.01, max: 100, noNaN: true }), (s, w) => {
        const e = estimateRate(s.map((x) => ({ ...x, weight: w })));
        const valid = s.reduce((n, x) => n + x.valid, 0);
        const fav = s.reduce((n, x) => n + x.favourable, 0);
        close(e.rate, valid ? fav / valid : null);
        if (valid) expect(Math.abs(e.nEff - valid)).toBeLessThan(1e-6 * valid);
      }),
    );
  });

  it('scaling every weight changes nothing', () => {
    fc.assert(
      fc.property(strata, fc.double({ min: 0.001, max: 1000, noNaN: true }), (s, c) => {
        const a = estimateRate(s);
        const b = estimateRate(s.map((x) => ({ ...x, weight: x.weight * c })));
        close(a.rate, b.rate);
        close(a.lo, b.lo);
        close(a.hi, b.hi);
      }),
    );
  });

  it('a stratum with no responses changes nothing, whatever its weight', () => {
    fc.assert(
      fc.property(strata, fc.double({ min: 0, max: 1e6, noNaN: true }), (s, w) => {
        const a = estimateRate(s);
        const b = estimateRate([...s, { stratum: 'empty', weight: w, favourable: 0, valid: 0 }]);
        close(a.rate, b.rate);
        close(a.hi, b.hi);
      }),
    );
  });

  it('lies between the lowest and highest stratum rate', () => {
    fc.assert(
      fc.property(strata, (s) => {
        const e = estimateRate(s);
        const rates = s.filter((x) => x.valid > 0).map((x) => x.favourable / x.valid);
        if (e.rate === null) return;
        expect(e.rate).toBeGreaterThanOrEqual(Math.min(...rates) - 1e-12);
        expect(e.rate).toBeLessThanOrEqual(Math.max(...rates) + 1e-12);
      }),
    );
  });

  it('no strata at all: no rate, no NaN', () => {
    expect(estimateRate([])).toEqual({
      rate: null,
      lo: null,
      hi: null,
      favourable: 0,
      valid: 0,
      nEff: 0,
    });
  });

  it('weights by households a quota stands for', () => {
    // 20 answers each; community A (1000 households) 90%, B (3000 households) 60%.
    const { weights, weighted } = designWeights([
      { stratum: 'A', population: 1000, responses: 20 },
      { stratum: 'B', population: 3000, responses: 20 },
      { stratum: 'C', population: 500, responses: 0 },
    ]);
    expect(weighted).toBe(true);
    const e = estimateRate([
      { stratum: 'A', weight: weights.get('A')!, favourable: 18, valid: 20 },
      { stratum: 'B', weight: weights.get('B')!, favourable: 12, valid: 20 },
    ]);
    expect(e.rate).toBeCloseTo(0.675, 10);
    expect(e.nEff).toBeCloseTo(32, 10);
    // A missing population: the design cannot be weighted.
    expect(
      designWeights([
        { stratum: 'A', population: 1000, responses: 20 },
        { stratum: 'B', population: null, responses: 3 },
      ]).weighted,
    ).toBe(false);
  });
});

describe('collection modes as strata (入户 and 街访, BRIEF §3)', () => {
  const rateOf = (
    weights: ReadonlyMap<string, number>,
    counts: { stratum: string; favourable: number; valid: number }[],
  ) => estimateRate(counts.map((c) => ({ ...c, weight: weights.get(c.stratum)! })));

  it('Jinan 2016 plan, 80 street + 220 households: each mode weighs its share of the plan', () => {
    // 10 communities × 22 households, all done, 90% favourable; street interviews 50% favourable,
    // but only 40 of the 80 done. The street half-sample still stands for 80/300 of the estimate.
    const strata = [
      ...Array.from({ length: 10 }, (_, i) => ({
        stratum: `h${i}`,
        mode: 'household',
        target: 22,
        population: null,
        responses: 22,
      })),
      { stratum: 's', mode: 'street', target: 80, population: null, responses: 40 },
    ];
    const { weights, weighted } = modeDesignWeights(strata);
    expect(weighted).toBe(true);
    const e = rateOf(weights, [
      // 198 of 220 favourable: eight communities 20 of 22, two 19 of 22.
      ...strata
        .slice(0, 10)
        .map((s, i) => ({ stratum: s.stratum, favourable: i < 8 ? 20 : 19, valid: 22 })),
      { stratum: 's', favourable: 20, valid: 40 },
    ]);
    expect(e.rate).toBeCloseTo((220 / 300) * 0.9 + (80 / 300) * 0.5, 10);
    // Pooled without modes it would be (198 + 20) / 260 = 0.838…: the street sample under-counted.
    expect(e.rate).not.toBeCloseTo(218 / 260, 3);
    expect(e.nEff).toBeLessThan(260);
  });

  it('a street quota never pools with the household quota of the same community', () => {
    // Same community: 20 households of 1000 (80%), 20 street interviews (40%), equal plans.
    const { weights } = modeDesignWeights([
      { stratum: 'c1-household', mode: 'household', target: 20, population: 1000, responses: 20 },
      { stratum: 'c1-street', mode: 'street', target: 20, population: null, responses: 20 },
    ]);
    const e = rateOf(weights, [
      { stratum: 'c1-household', favourable: 16, valid: 20 },
      { stratum: 'c1-street', favourable: 8, valid: 20 },
    ]);
    expect(e.rate).toBeCloseTo(0.6, 10);
  });

  it('within a mode, populations weigh as before; a missing one makes the mode equal-weighted', () => {
    const { weights } = modeDesignWeights([
      { stratum: 'A', mode: 'household', target: 20, population: 1000, responses: 20 },
      { stratum: 'B', mode: 'household', target: 20, population: 3000, responses: 20 },
      { stratum: 'S', mode: 'street', target: 40, population: null, responses: 10 },
    ]);
    const e = rateOf(weights, [
      { stratum: 'A', favourable: 18, valid: 20 },
      { stratum: 'B', favourable: 12, valid: 20 },
      { stratum: 'S', favourable: 10, valid: 10 },
    ]);
    // Households (share 1/2): 0.675 as in the single-mode case; street (share 1/2): 100%.
    expect(e.rate).toBeCloseTo(0.5 * 0.675 + 0.5 * 1, 10);
  });

  it('with one mode it is the household-only design, exactly', () => {
    const strata = [
      { stratum: 'A', mode: 'household', target: 20, population: 1000, responses: 20 },
      { stratum: 'B', mode: 'household', target: 20, population: 3000, responses: 7 },
    ];
    expect(modeDesignWeights(strata)).toEqual(designWeights(strata));
    const unknown = strata.map((x) => ({ ...x, population: null }));
    expect(modeDesignWeights(unknown)).toEqual({
      weights: new Map([
        ['A', 1],
        ['B', 1],
      ]),
      weighted: false,
    });
  });

  it('when every mode got exactly its plan and no population is known, the rate is the pooled one', () => {
    const stratumRows = fc.array(
      fc.record({
        street: fc.boolean(),
        responses: fc.integer({ min: 1, max: 40 }),
        share: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      { minLength: 2, maxLength: 10 },
    );
    fc.assert(
      fc.property(stratumRows, (rows) => {
        const named = rows.map((r, i) => ({
          stratum: `q${i}`,
          mode: r.street ? 'street' : 'household',
          target: r.responses,
          population: null,
          responses: r.responses,
          favourable: Math.floor(r.responses * r.share),
        }));
        const { weights } = modeDesignWeights(named);
        const e = rateOf(
          weights,
          named.map((r) => ({ stratum: r.stratum, favourable: r.favourable, valid: r.responses })),
        );
        const fav = named.reduce((n, r) => n + r.favourable, 0);
        const valid = named.reduce((n, r) => n + r.responses, 0);
        close(e.rate, fav / valid);
        expect(Math.abs(e.nEff - valid)).toBeLessThan(1e-6);
      }),
    );
  });
});

const Q7: QuestionDef = {
  id: 'Q7',
  kind: 'single',
  options: ['满意', '基本满意', '不满意', '说不清'],
  dimension: 'satisfaction',
  favourable: ['满意', '基本满意'],
  dontKnow: ['说不清'],
};
const Q5: QuestionDef = {
  id: 'Q5',
  kind: 'multiple',
  options: ['志愿服务', '社区活动', '都没有'],
  dimension: 'participation',
  favourable: ['志愿服务', '社区活动'],
  dontKnow: [],
};
const R1: QuestionDef = {
  id: 'R1',
  kind: 'rating',
  options: [],
  scale: 5,
  dimension: 'satisfaction',
  favourable: ['4', '5'],
  dontKnow: [],
};

describe('answers and results', () => {
  it('classifies answers of each kind', () => {
    expect(classifyAnswer(Q7, '基本满意')).toBe('favourable');
    expect(classifyAnswer(Q7, '说不清')).toBe('dontKnow');
    expect(classifyAnswer(Q7, '不满意')).toBe('unfavourable');
    expect(classifyAnswer(Q7, '很好')).toBe('missing');
    expect(classifyAnswer(Q5, ['都没有', '社区活动'])).toBe('favourable');
    expect(classifyAnswer(Q5, ['都没有'])).toBe('unfavourable');
    expect(classifyAnswer(Q5, [])).toBe('missing');
    expect(classifyAnswer(R1, 4)).toBe('favourable');
    expect(classifyAnswer(R1, 2)).toBe('unfavourable');
    expect(classifyAnswer(R1, 6)).toBe('missing');
  });

  it('说不清 is left out of the denominator unless the round counts it as valid', () => {
    const qs = new Map([['Q7', Q7]]);
    const tallies: AnswerTally[] = [
      { stratum: 's', questionKey: 'Q7', answer: '满意', count: 7 },
      { stratum: 's', questionKey: 'Q7', answer: '不满意', count: 1 },
      { stratum: 's', questionKey: 'Q7', answer: '说不清', count: 2 },
    ];
    const out = computeResults(qs, tallies, { dontKnowValid: false, floor: 0.8 });
    expect(out.questions[0]!.rate).toBeCloseTo(7 / 8, 12);
    expect(out.questions[0]!.dontKnow).toBe(2);
    expect(out.dimensions[0]!.belowFloor).toBe(false);
    expect(out.dimensions[0]!.atRisk).toBe(true);
    const valid = computeResults(qs, tallies, { dontKnowValid: true, floor: 0.8 });
    expect(valid.questions[0]!.rate).toBeCloseTo(0.7, 12);
    expect(valid.dimensions[0]!.belowFloor).toBe(true);
  });

  it('pools a dimension over its questions and weights strata', () => {
    const qs = new Map([
      ['Q7', Q7],
      ['R1', R1],
      ['Q5', Q5],
    ]);
    const tallies: AnswerTally[] = [
      { stratum: 'a', questionKey: 'Q7', answer: '满意', count: 10 },
      { stratum: 'a', questionKey: 'R1', answer: 5, count: 10 },
      { stratum: 'b', questionKey: 'Q7', answer: '不满意', count: 10 },
      { stratum: 'b', questionKey: 'R1', answer: 1, count: 10 },
    ];
    const plain = computeResults(qs, tallies, { dontKnowValid: false, floor: 0.8 });
    const sat = plain.dimensions.find((d) => d.dimension === 'satisfaction')!;
    expect(sat.rate).toBe(0.5);
    expect(sat.valid).toBe(40);
    // participation has a question but no answers: no rate, no flag.
    const part = plain.dimensions.find((d) => d.dimension === 'participation')!;
    expect(part.rate).toBeNull();
    expect(part.belowFloor).toBe(false);
    const w = computeResults(qs, tallies, {
      dontKnowValid: false,
      floor: 0.8,
      weights: new Map([
        ['a', 3],
        ['b', 1],
      ]),
    });
    expect(w.dimensions.find((d) => d.dimension === 'satisfaction')!.rate).toBe(0.75);
  });

  it('empty strata and unknown questions never break the results', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            stratum: fc.constantFrom('a', 'b', 'c'),
            questionKey: fc.constantFrom('Q7', 'R1', 'Q5', 'nope'),
            answer: fc.oneof(
              fc.constantFrom(...Q7.options, '?'),
              fc.integer({ min: 0, max: 6 }),
              fc.subarray(Q5.options),
            ),
            count: fc.integer({ min: 0, max: 50 }),
          }),
        ),
        fc.boolean(),
        (tallies, dk) => {
          const out = computeResults(
            new Map([
              ['Q7', Q7],
              ['R1', R1],
              ['Q5', Q5],
            ]),
            tallies,
            { dontKnowValid: dk, floor: 0.8, weights: new Map([['a', 0]]) },
          );
          for (const r of [...out.questions, ...out.dimensions]) {
            if (r.rate === null) continue;
            expect(Number.isFinite(r.rate)).toBe(true);
            expect(r.lo!).toBeLessThanOrEqual(r.rate);
            expect(r.hi!).toBeGreaterThanOrEqual(r.rate);
          }
        },
      ),
    );
  });
});
