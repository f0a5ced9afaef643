import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DrawRule } from './draw.js';
import { betaCdf } from './beta.js';
import {
  assumedShare,
  expectedFieldScore,
  expectedScore,
  mockPointsFrom,
  pointState,
  relianceVerdict,
  simulateDraws,
  typeRates,
  whereToAct,
  type TMockPoint,
} from './mock-evaluation.js';

/** Every k-subset of a list. */
function subsets<T>(list: T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (list.length < k) return [];
  const [head, ...rest] = list as [T, ...T[]];
  return [...subsets(rest, k - 1).map((s) => [head, ...s]), ...subsets(rest, k)];
}

const POINTS: TMockPoint[] = [
  { id: 1, type: 'A', score: 0.9 },
  { id: 2, type: 'A', score: 0.6 },
  { id: 3, type: 'A', score: 0.75 },
  { id: 4, type: 'A', score: 1 },
  { id: 5, type: 'A', score: 0.3 },
  { id: 6, type: 'B', score: 0.8 },
  { id: 7, type: 'B', score: 0.5 },
  { id: 8, type: 'B', score: 0.95 },
  { id: 9, type: 'B', score: 0.7 },
  { id: 10, type: 'C', score: 0.85 },
  { id: 11, type: 'C', score: 0.65 },
  { id: 12, type: 'D', score: 0 },
];
const PLAN: DrawRule[] = [
  { type: 'A', mode: 'random', count: 2 },
  { type: 'B', mode: 'random', count: 1 },
  { type: 'C', mode: 'all' },
];

/** The exact distribution by enumerating every possible draw (small cases only). */
function enumerate(points: TMockPoint[], plan: DrawRule[]): number[] {
  let draws: TMockPoint[][] = [[]];
  for (const r of plan) {
    const ofType = points.filter((p) => p.type === r.type);
    const choices = r.mode === 'all' ? [ofType] : subsets(ofType, Math.min(r.count, ofType.length));
    draws = draws.flatMap((d) => choices.map((c) => [...d, ...c]));
  }
  return draws.map((d) => d.reduce((a, p) => a + expectedScore(p), 0) / d.length);
}

describe('mock evaluation', () => {
  it('converges to the exact distribution of an enumerable case', () => {
    const exact = enumerate(POINTS, PLAN);
    expect(exact).toHaveLength(10 * 4);
    const exactMean = exact.reduce((a, v) => a + v, 0) / exact.length;
    const target = 0.75;
    const exactP = exact.filter((v) => v >= target - 1e-12).length / exact.length;
    expect(expectedFieldScore(POINTS, PLAN)).toBeCloseTo(exactMean, 12);
    const sim = simulateDraws(POINTS, PLAN, { runs: 200_000, seed: 7, target });
    expect(sim.drawnPerRun).toBe(5);
    expect(sim.mean).toBeCloseTo(exactMean, 2);
    expect(Math.abs(sim.pTarget! - exactP)).toBeLessThan(0.01);
    expect(sim.histogram.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 9);
    // Type D is not in the plan: never drawn, no gain from repairing it.
    expect(whereToAct(POINTS, PLAN).some((p) => p.id === 12)).toBe(false);
  });

  it('is reproducible for a seed', () => {
    const a = simulateDraws(POINTS, PLAN, { runs: 1000, seed: 42, target: 0.7 });
    const b = simulateDraws(POINTS, PLAN, { runs: 1000, seed: 42, target: 0.7 });
    expect(a).toEqual(b);
  });

  it('where to act: the exact expected gain, largest first, matching a recomputation', () => {
    const top = whereToAct(POINTS, PLAN, 3);
    // Point 11 (C, mandatory, 0.65): (1 − 0.65) × 1 / 5 = 0.07; point 5 (A, 0.3): (1 − 0.3) × 2/5 / 5
    // = 0.056 — a sure visit outweighs a likely one.
    expect(top.map((p) => p.id)).toEqual([11, 5, 2]);
    expect(top[0]!.gain).toBeCloseTo(0.07, 12);
    expect(top[1]!.gain).toBeCloseTo(0.056, 12);
    for (const t of top) {
      const repaired = POINTS.map((p) =>
        p.id === t.id ? { id: p.id, type: p.type, score: 1 } : p,
      );
      expect(expectedFieldScore(repaired, PLAN) - expectedFieldScore(POINTS, PLAN)).toBeCloseTo(
        t.gain,
        12,
      );
    }
  });

  it('property: the simulated mean is near the exact expectation and within [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            type: fc.constantFrom('A', 'B', 'C'),
            score: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.integer({ min: 1, max: 6 }),
        (raw, k) => {
          const points = raw.map((p, i) => ({ id: i + 1, ...p }));
          const plan: DrawRule[] = [
            { type: 'A', mode: 'random', count: k },
            { type: 'B', mode: 'all' },
            { type: 'C', mode: 'random', count: 1 },
          ];
          const sim = simulateDraws(points, plan, { runs: 4000, seed: 1, target: 0.5 });
          const exact = expectedFieldScore(points, plan);
          expect(exact).toBeGreaterThanOrEqual(0);
          expect(exact).toBeLessThanOrEqual(1);
          if (sim.drawnPerRun > 0)
            expect(Math.abs(sim.mean - exact)).toBeLessThan((4 * sim.sd) / Math.sqrt(4000) + 1e-9);
          expect(sim.p5).toBeLessThanOrEqual(sim.p50);
          expect(sim.p50).toBeLessThanOrEqual(sim.p95);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('point state: recent visits weigh more, open problems count against, none without visits', () => {
    const now = Date.UTC(2026, 11, 3);
    const day = 86_400_000;
    // No fixed prior any more (issue #19): an unvisited point is assumed from its type.
    expect(pointState([], 0, now)).toBeNull();
    expect(pointState([], 2, now)).toBeNull();
    // A 90-day-old 0.5 and a fresh 1.0: weights 0.5 and 1 → (0.25 + 1) / 1.5.
    expect(
      pointState(
        [
          { at: now - 90 * day, share: 0.5 },
          { at: now, share: 1 },
        ],
        0,
        now,
      ),
    ).toBeCloseTo(1.25 / 1.5, 12);
    expect(pointState([{ at: now, share: 0.9 }], 2, now)).toBeCloseTo(0.8, 12);
    expect(pointState([{ at: now, share: 0.1 }], 5, now)).toBe(0);
  });
});

/** Points for `mockPointsFrom`: `shares[i]` null for a point never visited. */
function city(types: [type: string, shares: (number | null)[]][], open: number[] = []) {
  let id = 0;
  return types.flatMap(([type, shares]) =>
    shares.map((share) => ({ id: ++id, type, share, openProblems: open[id - 1] ?? 0 })),
  );
}

const width = (r: { p5: number; p95: number }) => r.p95 - r.p5;

describe('mock evaluation: unvisited points follow their type (issue #19)', () => {
  // The issue's case: 27 points, 25 never inspected, the two inspected ones near 29 %. The old
  // answer was P(≥ 85 %) = 0 and a 90 % range of 79.9–80.1 % — the 80 % default, not a finding.
  const unseen = (n: number) => new Array<number | null>(n).fill(null);
  const ISSUE = city([
    ['P01', [0.3, ...unseen(11)]],
    ['P02', unseen(10)],
    ['P03', [0.28, ...unseen(4)]],
  ]);
  const ISSUE_PLAN: DrawRule[] = [
    { type: 'P01', mode: 'random', count: 4 },
    { type: 'P02', mode: 'random', count: 3 },
    { type: 'P03', mode: 'all' },
  ];
  const codes = ISSUE_PLAN.map((r) => r.type);

  it('2 of 27 visited: the expectation follows what was seen, the range is wide, the verdict says so', () => {
    const { points, rates } = mockPointsFrom(ISSUE, codes);
    // City rate Beta(1 + 0.58, 1 + 1.42): mean c = 1.58 / 4 = 0.395. Types start from Beta(2c, 2(1 − c)):
    //   P01 Beta(0.79 + 0.3, 1.21 + 0.7) → 1.09 / 3; P03 Beta(0.79 + 0.28, 1.21 + 0.72) → 1.07 / 3;
    //   P02 (never inspected) the prior alone, Beta(0.79, 1.21) → 0.395.
    const c = 1.58 / 4;
    expect(rates.city.mean).toBeCloseTo(c, 12);
    expect(rates.types.map((t) => [t.type, t.basis, t.visited, t.points])).toEqual([
      ['P01', 'type', 1, 12],
      ['P02', 'city', 0, 10],
      ['P03', 'type', 1, 5],
    ]);
    const [m1, m2, m3] = [1.09 / 3, c, 1.07 / 3];
    expect(rates.types.map((t) => t.mean)).toEqual([
      expect.closeTo(m1, 12),
      expect.closeTo(m2, 12),
      expect.closeTo(m3, 12),
    ]);
    // A type nobody inspected: 90 % interval of Beta(0.79, 1.21) — most of the range.
    expect(rates.types[1]!.high - rates.types[1]!.low).toBeGreaterThan(0.8);
    // Exact expectation: 12 drawn (4 + 3 + 5); P01 each point 4/12, P02 3/10, P03 all.
    const exact = ((4 / 12) * (0.3 + 11 * m1) + (3 / 10) * (10 * m2) + (0.28 + 4 * m3)) / 12;
    expect(expectedFieldScore(points, ISSUE_PLAN)).toBeCloseTo(exact, 12);
    const sim = simulateDraws(points, ISSUE_PLAN, { runs: 20_000, seed: 3, target: 0.85 });
    expect(sim.expected).toBeCloseTo(exact, 12);
    expect(Math.abs(sim.mean - exact)).toBeLessThan((4 * sim.sd) / Math.sqrt(20_000));
    // Not 79.9–80.1 %: the range spans what the assumptions allow, and the centre is near 36 %.
    expect(sim.expected).toBeLessThan(0.4);
    expect(width(sim)).toBeGreaterThan(0.3);
    expect(sim.p5).toBeLessThan(0.25);
    expect(sim.p95).toBeGreaterThan(0.5);
    // Reaching 85 % needs every guessed type to be far better than what was seen: rare, not "0.0 %"
    // by construction and not likely either.
    expect(sim.pTarget!).toBeLessThan(0.05);
    // Unvisited points in a draw: P01 11 × 4/12, P02 3, P03 4 — of 12.
    expect(sim.assumedShare).toBeCloseTo((11 / 3 + 3 + 4) / 12, 12);
    expect(assumedShare(points, ISSUE_PLAN)).toBe(sim.assumedShare);
    const verdict = relianceVerdict({ points: 27, visited: 2, assumedShare: sim.assumedShare });
    expect(verdict.level).toBe('assumed');
    expect(verdict.text.zh).toContain('结果主要依据推定：27 个点位中 25 个从未检查');
    expect(verdict.text.zh).toContain('每次抽取的点位预计 89% 是未检查点位');
    expect(verdict.text.zh).toContain('按同类点位的检查结果推算');
    expect(verdict.text.en).toContain('25 of the 27 points have never been inspected');
  });

  it('the range narrows as points are inspected: 2, 14, then all 27 visited', () => {
    // Shares 0.2–0.5 spread over the points; visiting more of them reveals them.
    const share = (i: number) => 0.2 + (0.3 * ((i * 7) % 27)) / 26;
    const order = Array.from({ length: 27 }, (_, i) => (i * 10) % 27); // spread across the types
    const withVisited = (k: number) => {
      const seen = new Set(order.slice(0, k));
      return ISSUE.map((p, i) => ({ ...p, share: seen.has(i) ? share(i) : null }));
    };
    const run = (k: number) => {
      const { points } = mockPointsFrom(withVisited(k), codes);
      return simulateDraws(points, ISSUE_PLAN, { runs: 10_000, seed: 5, target: 0.85 });
    };
    const [w2, w14, w27] = [run(2), run(14), run(27)];
    expect(width(w2)).toBeGreaterThan(width(w14));
    expect(width(w14)).toBeGreaterThan(width(w27));
    // All visited: only the draw varies (shares within 0.2–0.5, 12 of 27 drawn).
    expect(width(w27)).toBeLessThan(0.1);
    expect(width(w2)).toBeGreaterThan(3 * width(w27));
    expect(w27.assumedShare).toBe(0);
    expect(relianceVerdict({ points: 27, visited: 27, assumedShare: 0 }).level).toBe('observed');
    expect(w14.assumedShare).toBeGreaterThan(0);
    expect(w14.assumedShare).toBeLessThan(w2.assumedShare);
  });

  it('a type whose inspections mostly fail pulls its unvisited points down', () => {
    const six = (v: number) => new Array<number | null>(6).fill(v);
    const pts = city([
      ['A', [...six(0.2), null, null, null, null]],
      ['B', [...six(0.95), null, null, null, null]],
    ]);
    const plan: DrawRule[] = [
      { type: 'A', mode: 'random', count: 3 },
      { type: 'B', mode: 'random', count: 3 },
    ];
    const { points, rates } = mockPointsFrom(pts, ['A', 'B']);
    // c = (1 + 1.2 + 5.7) / 14; A: (2c + 1.2) / 8, B: (2c + 5.7) / 8.
    const c = 7.9 / 14;
    const [a, b] = rates.types;
    expect(a!.mean).toBeCloseTo((2 * c + 1.2) / 8, 12);
    expect(b!.mean).toBeCloseTo((2 * c + 5.7) / 8, 12);
    const unvisitedA = points.find((p) => p.type === 'A' && p.assumed)!;
    const unvisitedB = points.find((p) => p.type === 'B' && p.assumed)!;
    expect(expectedScore(unvisitedA)).toBeLessThan(0.3);
    expect(expectedScore(unvisitedB)).toBeGreaterThan(0.85);
    // Where to act: the unvisited A points (assumed ~29 %) before the unvisited B ones (~85 %),
    // marked as assumed.
    const top = whereToAct(points, plan, 20);
    const firstUnvisitedB = top.findIndex((t) => t.type === 'B' && t.assumed);
    const lastUnvisitedA = top.map((t) => t.type === 'A' && t.assumed).lastIndexOf(true);
    expect(lastUnvisitedA).toBeGreaterThanOrEqual(0);
    expect(lastUnvisitedA).toBeLessThan(firstUnvisitedB);
    // Had A's inspections passed, its unvisited points would be assumed high instead.
    const passing = mockPointsFrom(
      pts.map((p) => (p.type === 'A' && p.share !== null ? { ...p, share: 0.95 } : p)),
      ['A', 'B'],
    );
    expect(expectedScore(passing.points.find((p) => p.type === 'A' && p.assumed)!)).toBeGreaterThan(
      0.85,
    );
  });

  it("a type's unvisited points share one draw of its rate per run: a guess does not average away", () => {
    // Nothing inspected: the rate is Beta(1, 1). Both points drawn every run with the same rate,
    // so the field score is uniform (sd √(1/12) ≈ 0.289), not an average of two (sd 0.204).
    const { points, rates } = mockPointsFrom(city([['X', [null, null]]]), ['X']);
    expect(rates.city).toMatchObject({ alpha: 1, beta: 1, visited: 0 });
    expect(rates.types[0]).toMatchObject({ basis: 'city', low: expect.closeTo(0.05, 9) });
    expect(rates.types[0]!.high).toBeCloseTo(0.95, 9);
    const sim = simulateDraws(points, [{ type: 'X', mode: 'all' }], { runs: 20_000, seed: 9 });
    expect(sim.sd).toBeGreaterThan(0.28);
    expect(sim.sd).toBeLessThan(0.3);
    expect(sim.p5).toBeCloseTo(0.05, 1);
    expect(sim.p95).toBeCloseTo(0.95, 1);
    expect(relianceVerdict({ points: 2, visited: 0, assumedShare: 1 }).text.zh).toContain(
      '结果完全依据推定：2 个点位都从未检查',
    );
    // Types nobody inspected share the city draw too: D and E move together.
    const mixed = mockPointsFrom(
      city([
        ['C', [0.5, 0.5]],
        ['D', [null]],
        ['E', [null]],
      ]),
      ['C', 'D', 'E'],
    );
    const de = mixed.points.filter((p) => p.type !== 'C');
    expect(new Set(de.map((p) => p.assumed?.key))).toEqual(new Set(['city']));
    const r = mixed.rates.types[1]!.rate; // Beta(2c, 2(1 − c)), c = 2 / 4
    expect(r).toEqual({ alpha: 1, beta: 1 });
    const two = simulateDraws(
      de,
      [
        { type: 'D', mode: 'all' },
        { type: 'E', mode: 'all' },
      ],
      { runs: 20_000, seed: 9 },
    );
    expect(two.sd).toBeGreaterThan(0.28);
  });

  it('open problems at an unvisited point come off its drawn rate, floored at 0; the expectation stays exact', () => {
    // 4 open problems → 0.2 off a rate around 0.3: often floored, so the mean is above 0.3 − 0.2.
    const pts = city([['T', [0.3, 0.25, null, null]]], [0, 0, 4, 0]);
    const { points } = mockPointsFrom(pts, ['T']);
    const p3 = points[2]!;
    expect(p3.assumed).toMatchObject({ penalty: 0.2 });
    const r = p3.assumed!.rate;
    const mu = r.alpha / (r.alpha + r.beta);
    expect(expectedScore(p3)).toBeGreaterThan(mu - 0.2);
    expect(expectedScore(p3)).toBeCloseTo(
      mu * (1 - betaCdf(0.2, r.alpha + 1, r.beta)) - 0.2 * (1 - betaCdf(0.2, r.alpha, r.beta)),
      12,
    );
    const plan: DrawRule[] = [{ type: 'T', mode: 'random', count: 2 }];
    const sim = simulateDraws(points, plan, { runs: 40_000, seed: 4 });
    expect(Math.abs(sim.mean - expectedFieldScore(points, plan))).toBeLessThan(
      (4 * sim.sd) / Math.sqrt(40_000),
    );
  });

  it('property: with unvisited points and penalties the simulated mean is near the exact one', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            type: fc.constantFrom('A', 'B', 'C'),
            share: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
            openProblems: fc.integer({ min: 0, max: 6 }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        fc.integer({ min: 1, max: 5 }),
        (raw, k) => {
          const { points } = mockPointsFrom(
            raw.map((p, i) => ({ id: i + 1, ...p })),
            ['A', 'B', 'C'],
          );
          const plan: DrawRule[] = [
            { type: 'A', mode: 'random', count: k },
            { type: 'B', mode: 'all' },
            { type: 'C', mode: 'random', count: 1 },
          ];
          const sim = simulateDraws(points, plan, { runs: 4000, seed: 2, target: 0.5 });
          const exact = expectedFieldScore(points, plan);
          expect(exact).toBeGreaterThanOrEqual(0);
          expect(exact).toBeLessThanOrEqual(1);
          // Empirical Bernstein (Maurer & Pontil 2009, results in [0, 1], δ = 1e-6): a penalty
          // floored at 0 makes rare events (few runs draw a rate above the penalty) that a
          // normal bound on the sample sd would misjudge.
          const L = Math.log(2 / 1e-6);
          const n = 4000;
          if (sim.drawnPerRun > 0)
            expect(Math.abs(sim.mean - exact)).toBeLessThan(
              Math.sqrt((2 * sim.sd ** 2 * L) / n) + (7 * L) / (3 * (n - 1)),
            );
          expect(sim.assumedShare).toBeGreaterThanOrEqual(0);
          expect(sim.assumedShare).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is reproducible for a seed with assumed points; another seed gives another sample', () => {
    const { points } = mockPointsFrom(ISSUE, codes);
    const a = simulateDraws(points, ISSUE_PLAN, { runs: 2000, seed: 42, target: 0.5 });
    const b = simulateDraws(points, ISSUE_PLAN, { runs: 2000, seed: 42, target: 0.5 });
    expect(a).toEqual(b);
    const c = simulateDraws(points, ISSUE_PLAN, { runs: 2000, seed: 43, target: 0.5 });
    expect(c.histogram).not.toEqual(a.histogram);
    expect(c.expected).toBe(a.expected);
  });

  it('type rates by hand: one observation per visited point, the city level worth w points', () => {
    // A: shares 1, 0, 0.5 (three visited points), one unvisited; B: none visited.
    const r = typeRates(
      [
        { type: 'A', share: 1 },
        { type: 'A', share: 0 },
        { type: 'A', share: 0.5 },
        { type: 'A', share: null },
        { type: 'B', share: null },
      ],
      ['A', 'B'],
    );
    // City Beta(1 + 1.5, 1 + 1.5): mean ½. A: Beta(2·½ + 1.5, 2·½ + 1.5) = Beta(2.5, 2.5).
    expect(r.city).toEqual({ alpha: 2.5, beta: 2.5, mean: 0.5, visited: 3 });
    expect(r.types[0]).toMatchObject({
      type: 'A',
      points: 4,
      visited: 3,
      basis: 'type',
      rate: { alpha: 2.5, beta: 2.5 },
      mean: 0.5,
      key: 'type:A',
    });
    expect(r.types[1]).toMatchObject({
      type: 'B',
      points: 1,
      visited: 0,
      basis: 'city',
      rate: { alpha: 1, beta: 1 },
      key: 'city',
    });
    // A heavier prior weight holds A nearer the city level.
    const heavy = typeRates([{ type: 'A', share: 1 }], ['A'], 8);
    // City Beta(2, 1): c = 2/3; A: Beta(8·2/3 + 1, 8·1/3) → mean (16/3 + 1) / 9.
    expect(heavy.types[0]!.mean).toBeCloseTo((16 / 3 + 1) / 9, 12);
    expect(heavy.types[0]!.low).toBeLessThan(heavy.types[0]!.mean);
    expect(heavy.types[0]!.high).toBeGreaterThan(heavy.types[0]!.mean);
  });

  it('nearly the same input, nearly the same answer: a nudged rate does not reshuffle the runs', () => {
    // The server computes states at the time of the request: run again a minute later, every
    // share has moved a hair. The rejection-sampled Beta draws take their own generator each, so
    // a rejection that now goes the other way does not redeal every later run.
    const { points } = mockPointsFrom(ISSUE, codes);
    const nudged = mockPointsFrom(
      ISSUE.map((p) => (p.share === null ? p : { ...p, share: p.share + 1e-5 })),
      codes,
    ).points;
    const opts = { runs: 5000, seed: 8, target: 0.4 };
    const a = simulateDraws(points, ISSUE_PLAN, opts);
    const b = simulateDraws(nudged, ISSUE_PLAN, opts);
    expect(b.mean).not.toBe(a.mean);
    for (const k of ['mean', 'p5', 'p50', 'p95'] as const)
      expect(Math.abs(b[k] - a[k])).toBeLessThan(1e-4);
    expect(b.pTarget).toBe(a.pTarget);
    // (Drawn from the main stream, 2 of the 5,000 runs changed bins here.)
    expect(b.histogram).toEqual(a.histogram);
  });

  it('the verdict by the share of a draw expected to be unvisited', () => {
    expect(relianceVerdict({ points: 10, visited: 10, assumedShare: 0 })).toMatchObject({
      level: 'observed',
    });
    const partly = relianceVerdict({ points: 10, visited: 8, assumedShare: 0.2 });
    expect(partly.level).toBe('partly');
    expect(partly.text.zh).toBe(
      '部分依据推定：10 个点位中 2 个从未检查（约占每次抽取的 20%），按同类点位的检查结果推算。',
    );
    expect(relianceVerdict({ points: 10, visited: 5, assumedShare: 0.5 }).level).toBe('partly');
    expect(relianceVerdict({ points: 10, visited: 4, assumedShare: 0.51 }).level).toBe('assumed');
    expect(relianceVerdict({ points: 500, visited: 499, assumedShare: 0.001 }).text.zh).toContain(
      '不到 1%',
    );
  });
});
