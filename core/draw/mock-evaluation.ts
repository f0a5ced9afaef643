/**
 * Monte-Carlo mock evaluation (模拟测评) of the official draw: from each point's current state,
 * simulate the draw many times with the plan's per-type counts and report the distribution of the
 * field score, the probability of reaching a target, and the points whose repair raises the
 * expected score most ("where to act first"). The expectation and each point's gain are exact;
 * the simulation gives the rest of the distribution. Pure; a fast seeded generator (not the
 * cryptographic one of the official draw: this is a forecast, not a draw anyone must verify).
 */
import type { DrawRule } from './draw.js';

export interface TMockPoint {
  id: number;
  type: string;
  /** Expected share of the checklist a visit would pass now, 0..1 (see `pointState`). */
  score: number;
  unitId?: number | null;
}

/** mulberry32: a small, fast, well-distributed 32-bit generator. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Stratum {
  scores: Float64Array;
  /** How many are drawn each time (all of them for a mandatory type). */
  take: number;
  mandatory: boolean;
  ids: number[];
}

function strata(points: readonly TMockPoint[], rules: readonly DrawRule[]): Stratum[] {
  const byType = new Map<string, TMockPoint[]>();
  for (const p of points) {
    const list = byType.get(p.type) ?? [];
    list.push(p);
    byType.set(p.type, list);
  }
  return rules.map((r) => {
    const list = byType.get(r.type) ?? [];
    const take = r.mode === 'all' ? list.length : Math.min(r.count, list.length);
    return {
      scores: Float64Array.from(list.map((p) => Math.min(1, Math.max(0, p.score)))),
      take,
      mandatory: r.mode === 'all',
      ids: list.map((p) => p.id),
    };
  });
}

/** The chance a point is drawn under the plan (1 for a mandatory type, k/n for a random one). */
function inclusion(s: Stratum): number {
  return s.scores.length === 0 ? 0 : s.take / s.scores.length;
}

/** The exact expected field score: the mean of the drawn points' scores, averaged over draws. */
export function expectedFieldScore(
  points: readonly TMockPoint[],
  rules: readonly DrawRule[],
): number {
  const st = strata(points, rules);
  const n = st.reduce((a, s) => a + s.take, 0);
  if (n === 0) return 0;
  let sum = 0;
  for (const s of st) {
    const pi = inclusion(s);
    for (const v of s.scores) sum += v * pi;
  }
  return sum / n;
}

export interface TMockResult {
  runs: number;
  drawnPerRun: number;
  mean: number;
  /** The exact expectation, for comparison with the simulated mean. */
  expected: number;
  sd: number;
  p5: number;
  p50: number;
  p95: number;
  /** Share of runs whose field score reached the target (null without a target). */
  pTarget: number | null;
  /** 20 bins over [0, 1]: the share of runs in each. */
  histogram: number[];
}

/** Simulates the draw `runs` times (seeded: the same inputs give the same answer). */
export function simulateDraws(
  points: readonly TMockPoint[],
  rules: readonly DrawRule[],
  opts: { runs: number; seed?: number; target?: number | null },
): TMockResult {
  const st = strata(points, rules);
  const n = st.reduce((a, s) => a + s.take, 0);
  const rand = mulberry32(opts.seed ?? 20261203);
  const results = new Float64Array(opts.runs);
  // Fixed part: mandatory types are drawn every time.
  let fixed = 0;
  for (const s of st) if (s.mandatory) for (const v of s.scores) fixed += v;
  const random = st.filter((s) => !s.mandatory && s.take > 0);
  for (let r = 0; r < opts.runs; r++) {
    let sum = fixed;
    for (const s of random) {
      // Partial Fisher–Yates in place: from any arrangement it draws a uniform k-subset.
      const a = s.scores;
      const len = a.length;
      for (let i = 0; i < s.take; i++) {
        const j = i + Math.floor(rand() * (len - i));
        const chosen = a[j]!;
        a[j] = a[i]!;
        a[i] = chosen;
        sum += chosen;
      }
    }
    results[r] = n === 0 ? 0 : sum / n;
  }
  const sorted = Float64Array.from(results).sort();
  const q = (p: number) =>
    opts.runs === 0 ? 0 : sorted[Math.min(opts.runs - 1, Math.floor(p * opts.runs))]!;
  let mean = 0;
  for (const v of results) mean += v;
  mean = opts.runs ? mean / opts.runs : 0;
  let varSum = 0;
  for (const v of results) varSum += (v - mean) ** 2;
  const histogram = new Array<number>(20).fill(0);
  let hits = 0;
  const target = opts.target ?? null;
  for (const v of results) {
    // A mean of equal shares (0.8 × 6 / 6) can land a hair under its bin edge: nudge before flooring.
    histogram[Math.min(19, Math.floor(v * 20 + 1e-9))]! += 1 / (opts.runs || 1);
    if (target !== null && v >= target - 1e-12) hits++;
  }
  return {
    runs: opts.runs,
    drawnPerRun: n,
    mean,
    expected: expectedFieldScore(points, rules),
    sd: opts.runs > 1 ? Math.sqrt(varSum / (opts.runs - 1)) : 0,
    p5: q(0.05),
    p50: q(0.5),
    p95: q(0.95),
    pTarget: target === null ? null : hits / (opts.runs || 1),
    histogram,
  };
}

/**
 * Where to act first: each point's exact gain in the expected field score if it were repaired to
 * a full pass, (1 − score) × P(drawn) / points drawn; the largest first.
 */
export function whereToAct(
  points: readonly TMockPoint[],
  rules: readonly DrawRule[],
  top = 20,
): { id: number; type: string; unitId: number | null; score: number; gain: number }[] {
  const st = strata(points, rules);
  const n = st.reduce((a, s) => a + s.take, 0);
  if (n === 0) return [];
  const pi = new Map<string, number>();
  rules.forEach((r, i) => pi.set(r.type, inclusion(st[i]!)));
  return points
    .map((p) => ({
      id: p.id,
      type: p.type,
      unitId: p.unitId ?? null,
      score: p.score,
      gain: ((1 - Math.min(1, Math.max(0, p.score))) * (pi.get(p.type) ?? 0)) / n,
    }))
    .filter((p) => p.gain > 0)
    .sort((a, b) => b.gain - a.gain || a.id - b.id)
    .slice(0, top);
}

/**
 * A point's current state from its history: the visits' pass shares weighted by age (half-life,
 * default 90 days), less a penalty per open problem at the point; with no visit, a prior.
 */
export function pointState(
  visits: readonly { at: number; share: number }[],
  openProblems: number,
  now: number,
  opts: { halfLifeDays?: number; prior?: number; problemPenalty?: number } = {},
): number {
  const halfLife = (opts.halfLifeDays ?? 90) * 86_400_000;
  let w = 0;
  let sum = 0;
  for (const v of visits) {
    const weight = 0.5 ** (Math.max(0, now - v.at) / halfLife);
    w += weight;
    sum += weight * Math.min(1, Math.max(0, v.share));
  }
  const base = w > 0 ? sum / w : (opts.prior ?? 0.8);
  return Math.max(0, base - (opts.problemPenalty ?? 0.05) * Math.max(0, openProblems));
}
