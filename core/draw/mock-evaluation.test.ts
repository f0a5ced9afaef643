import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DrawRule } from './draw.js';
import {
  expectedFieldScore,
  pointState,
  simulateDraws,
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
  return draws.map((d) => d.reduce((a, p) => a + p.score, 0) / d.length);
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
      const repaired = POINTS.map((p) => (p.id === t.id ? { ...p, score: 1 } : p));
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

  it('point state: recent visits weigh more, open problems count against, a prior without visits', () => {
    const now = Date.UTC(2026, 11, 3);
    const day = 86_400_000;
    expect(pointState([], 0, now)).toBe(0.8);
    expect(pointState([], 2, now)).toBeCloseTo(0.7, 12);
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
    expect(pointState([{ at: now, share: 0.1 }], 5, now)).toBe(0);
  });
});
