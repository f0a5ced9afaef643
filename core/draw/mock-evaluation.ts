/**
 * Monte-Carlo mock evaluation (模拟测评) of the official draw: from each point's current state,
 * simulate the draw many times with the plan's per-type counts and report the distribution of the
 * field score, the probability of reaching a target, and the points whose repair raises the
 * expected score most ("where to act first"). The expectation and each point's gain are exact;
 * the simulation gives the rest of the distribution. Pure; a fast seeded generator (not the
 * cryptographic one of the official draw: this is a forecast, not a draw anyone must verify).
 *
 * A point nobody has inspected has no state to simulate from. Its score is *assumed*: the pass rate
 * of points of its type, which is itself uncertain — a Beta posterior over what the type's visited
 * points showed (`typeRates`). Each run draws that rate once per type and gives it to all the
 * type's unvisited points, so a guess about a type widens the distribution instead of averaging
 * away over the points that share it. The result says how much of it rests on such assumptions
 * (`assumedShare`, `relianceVerdict`).
 */
import { betaMean, betaQuantile, betaShiftedMean, sampleBeta, type TBeta } from './beta.js';
import type { DrawRule } from './draw.js';

export type { TBeta } from './beta.js';

/** How an unvisited point's score is assumed. */
export interface TAssumedScore {
  /** Points with the same key share one draw of the rate per run (they must share the rate). */
  key: string;
  /** The pass rate of points like this one (a Beta over 0..1). */
  rate: TBeta;
  /** Subtracted from the drawn rate, floored at 0 (open problems at the point). */
  penalty: number;
}

interface TMockPointBase {
  id: number;
  type: string;
  unitId?: number | null;
}

export type TMockPoint = TMockPointBase &
  (
    | {
        /** Expected share of the checklist a visit would pass now, 0..1 (see `pointState`). */
        score: number;
        assumed?: undefined;
      }
    | { score?: undefined; assumed: TAssumedScore }
  );

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** A point's expected score: its state, or for an unvisited point the mean of its assumed score. */
export function expectedScore(p: TMockPoint): number {
  return p.assumed ? betaShiftedMean(p.assumed.rate, p.assumed.penalty) : clamp01(p.score);
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
  /** Per point: its observed score, or minus its penalty when `slot` names an assumed rate. */
  base: Float64Array;
  /** Per point: −1 for an observed score, else the index of the shared rate drawn each run. */
  slot: Int32Array;
  /** Per point: its exact expected score. */
  expected: Float64Array;
  /** How many are drawn each time (all of them for a mandatory type). */
  take: number;
  mandatory: boolean;
  /** Whether any of its points is unvisited (scored by assumption). */
  assumed: boolean;
  ids: number[];
}

interface Strata {
  strata: Stratum[];
  /** The shared rates, in order of first use. */
  rates: TBeta[];
}

function strata(points: readonly TMockPoint[], rules: readonly DrawRule[]): Strata {
  const byType = new Map<string, TMockPoint[]>();
  for (const p of points) {
    const list = byType.get(p.type) ?? [];
    list.push(p);
    byType.set(p.type, list);
  }
  const slots = new Map<string, number>();
  const rates: TBeta[] = [];
  const slotOf = (a: TAssumedScore) => {
    let i = slots.get(a.key);
    if (i === undefined) {
      i = rates.length;
      slots.set(a.key, i);
      rates.push(a.rate);
    } else if (rates[i]!.alpha !== a.rate.alpha || rates[i]!.beta !== a.rate.beta) {
      throw new Error(`assumed rate ${a.key} given two different distributions`);
    }
    return i;
  };
  const out = rules.map((r) => {
    const list = byType.get(r.type) ?? [];
    const take = r.mode === 'all' ? list.length : Math.min(r.count, list.length);
    return {
      base: Float64Array.from(
        list.map((p) => (p.assumed ? -Math.max(0, p.assumed.penalty) : clamp01(p.score))),
      ),
      slot: Int32Array.from(list.map((p) => (p.assumed ? slotOf(p.assumed) : -1))),
      expected: Float64Array.from(list.map(expectedScore)),
      take,
      mandatory: r.mode === 'all',
      assumed: list.some((p) => p.assumed !== undefined),
      ids: list.map((p) => p.id),
    };
  });
  return { strata: out, rates };
}

/** The chance a point is drawn under the plan (1 for a mandatory type, k/n for a random one). */
function inclusion(s: Stratum): number {
  return s.base.length === 0 ? 0 : s.take / s.base.length;
}

const drawnPerRun = (st: readonly Stratum[]) => st.reduce((a, s) => a + s.take, 0);

/** The exact expected field score: the mean of the drawn points' expected scores over draws. */
export function expectedFieldScore(
  points: readonly TMockPoint[],
  rules: readonly DrawRule[],
): number {
  const st = strata(points, rules).strata;
  const n = drawnPerRun(st);
  if (n === 0) return 0;
  let sum = 0;
  for (const s of st) {
    const pi = inclusion(s);
    for (const v of s.expected) sum += v * pi;
  }
  return sum / n;
}

/**
 * The share of a draw's points expected to be ones never visited (scored by assumption): the
 * inclusion probabilities of the assumed points over the points drawn.
 */
export function assumedShare(points: readonly TMockPoint[], rules: readonly DrawRule[]): number {
  const st = strata(points, rules).strata;
  const n = drawnPerRun(st);
  if (n === 0) return 0;
  let sum = 0;
  for (const s of st) {
    const pi = inclusion(s);
    for (const k of s.slot) if (k >= 0) sum += pi;
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
  /** The share of a draw's points expected to be unvisited ones (see `assumedShare`). */
  assumedShare: number;
}

/**
 * Simulates the draw `runs` times (seeded: the same inputs give the same answer, and nearly the same
 * inputs nearly the same answer). Each run first draws every shared assumed rate (none without
 * unvisited points, so a fully visited city sees the same random stream as before assumptions
 * existed), then the points.
 */
export function simulateDraws(
  points: readonly TMockPoint[],
  rules: readonly DrawRule[],
  opts: { runs: number; seed?: number; target?: number | null },
): TMockResult {
  const { strata: st, rates } = strata(points, rules);
  const n = drawnPerRun(st);
  const rand = mulberry32(opts.seed ?? 20261203);
  const results = new Float64Array(opts.runs);
  const theta = new Float64Array(rates.length);
  // Mandatory types are drawn every time: their observed part is fixed, their assumed part is not.
  let fixed = 0;
  const fixedSlots: number[] = [];
  const fixedBase: number[] = [];
  for (const s of st) {
    if (!s.mandatory) continue;
    s.base.forEach((v, i) => {
      if (s.slot[i]! < 0) fixed += v;
      else {
        fixedSlots.push(s.slot[i]!);
        fixedBase.push(v);
      }
    });
  }
  const random = st.filter((s) => !s.mandatory && s.take > 0);
  for (let r = 0; r < opts.runs; r++) {
    // One number from the main stream per rate: its own generator for the (rejection-sampled)
    // Beta draw. The points drawn never depend on the rates, and a rate nudged — the evaluation
    // run again a minute later, its visits a minute older — nudges its draws instead of
    // reshuffling every run after it.
    for (let k = 0; k < rates.length; k++)
      theta[k] = sampleBeta(rates[k]!, mulberry32(Math.floor(rand() * 4294967296)));
    let sum = fixed;
    for (let i = 0; i < fixedSlots.length; i++)
      sum += Math.max(0, theta[fixedSlots[i]!]! + fixedBase[i]!);
    for (const s of random) {
      // Partial Fisher–Yates in place: from any arrangement it draws a uniform k-subset.
      const a = s.base;
      const len = a.length;
      if (!s.assumed) {
        // Every point observed: the plain loop (the common case, and the hot one).
        for (let i = 0; i < s.take; i++) {
          const j = i + Math.floor(rand() * (len - i));
          const chosen = a[j]!;
          a[j] = a[i]!;
          a[i] = chosen;
          sum += chosen;
        }
        continue;
      }
      const slot = s.slot;
      for (let i = 0; i < s.take; i++) {
        const j = i + Math.floor(rand() * (len - i));
        const chosen = a[j]!;
        const k = slot[j]!;
        a[j] = a[i]!;
        slot[j] = slot[i]!;
        a[i] = chosen;
        slot[i] = k;
        sum += k < 0 ? chosen : Math.max(0, theta[k]! + chosen);
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
    assumedShare: assumedShare(points, rules),
  };
}

/**
 * Where to act first: each point's exact gain in the expected field score if it were repaired to
 * a full pass, (1 − expected score) × P(drawn) / points drawn; the largest first. An unvisited
 * point's expected score is its assumed one (`assumed: true`): for it, inspecting comes first.
 */
export function whereToAct(
  points: readonly TMockPoint[],
  rules: readonly DrawRule[],
  top = 20,
): {
  id: number;
  type: string;
  unitId: number | null;
  score: number;
  assumed: boolean;
  gain: number;
}[] {
  const st = strata(points, rules).strata;
  const n = drawnPerRun(st);
  if (n === 0) return [];
  const pi = new Map<string, number>();
  rules.forEach((r, i) => pi.set(r.type, inclusion(st[i]!)));
  return points
    .map((p) => {
      const score = expectedScore(p);
      return {
        id: p.id,
        type: p.type,
        unitId: p.unitId ?? null,
        score,
        assumed: p.assumed !== undefined,
        gain: ((1 - score) * (pi.get(p.type) ?? 0)) / n,
      };
    })
    .filter((p) => p.gain > 0)
    .sort((a, b) => b.gain - a.gain || a.id - b.id)
    .slice(0, top);
}

/**
 * A point's current state from its history: the visits' pass shares weighted by age (half-life,
 * default 90 days), less a penalty per open problem at the point. Without a visit there is no
 * state: null (the caller assumes one from the point's type, `typeRates`).
 */
export function pointState(
  visits: readonly { at: number; share: number }[],
  openProblems: number,
  now: number,
  opts: { halfLifeDays?: number; problemPenalty?: number } = {},
): number | null {
  const halfLife = (opts.halfLifeDays ?? 90) * 86_400_000;
  let w = 0;
  let sum = 0;
  for (const v of visits) {
    const weight = 0.5 ** (Math.max(0, now - v.at) / halfLife);
    w += weight;
    sum += weight * clamp01(v.share);
  }
  if (w === 0) return null;
  return Math.max(0, sum / w - problemPenalty(openProblems, opts));
}

/** What open problems at a point take off its state (0.05 each by default). */
export function problemPenalty(openProblems: number, opts: { problemPenalty?: number } = {}) {
  return (opts.problemPenalty ?? 0.05) * Math.max(0, openProblems);
}

/** The weight, in visited points, of the city-wide rate a type's own posterior starts from. */
export const TYPE_PRIOR_WEIGHT = 2;

export interface TTypeRate {
  type: string;
  /** Eligible points of the type, and how many of them have a visit. */
  points: number;
  visited: number;
  /** 'type': from the type's own visited points; 'city': none, the city-wide rate stands in. */
  basis: 'type' | 'city';
  /** The pass rate assumed for the type's unvisited points. */
  rate: TBeta;
  mean: number;
  /** Its 90 % interval (5th and 95th percentiles). */
  low: number;
  high: number;
  /** The shared-draw key its unvisited points carry. */
  key: string;
}

/**
 * The pass rate to assume for unvisited points, per type, from the visited ones. Each visited point
 * counts as one observation worth its current share (state without the problem penalty) — not
 * its checklist items one by one: items at one point pass and fail together, and it is the spread
 * between points that an unvisited point is uncertain about. Counted this way the spread is, if
 * anything, overstated (a share varies less than a pass/fail).
 *
 * - City rate: Beta(1 + Σ shares, 1 + Σ (1 − shares)) over every visited point given — with nothing
 *   visited, Beta(1, 1): any rate from 0 to 100 % alike.
 * - A type with visited points: Beta(w·c + Σ s, w·(1 − c) + Σ (1 − s)) over its own points, c the
 *   city rate's mean and w = TYPE_PRIOR_WEIGHT (2): the city's level, worth two points, gives way
 *   as the type's own observations come in.
 * - A type without: the prior alone, Beta(w·c, w·(1 − c)) — the city's level with the weight of
 *   two points, because how well we know the city's average says nothing of how far a type nobody
 *   inspected may be from it. All such types share one draw per run (key 'city'): unknown types
 *   are assumed alike, which widens the result rather than letting their guesses average out.
 */
export function typeRates(
  points: readonly { type: string; share: number | null }[],
  types: readonly string[],
  weight = TYPE_PRIOR_WEIGHT,
): { city: TBeta & { mean: number; visited: number }; types: TTypeRate[] } {
  let s = 0;
  let f = 0;
  let visited = 0;
  const by = new Map<string, { points: number; visited: number; s: number; f: number }>();
  for (const t of types) by.set(t, { points: 0, visited: 0, s: 0, f: 0 });
  for (const p of points) {
    const t = by.get(p.type);
    if (t) t.points++;
    if (p.share === null) continue;
    const v = clamp01(p.share);
    s += v;
    f += 1 - v;
    visited++;
    if (t) {
      t.visited++;
      t.s += v;
      t.f += 1 - v;
    }
  }
  const city = { alpha: 1 + s, beta: 1 + f };
  const c = betaMean(city);
  return {
    city: { ...city, mean: c, visited },
    types: types.map((type) => {
      const t = by.get(type)!;
      const rate = { alpha: weight * c + t.s, beta: weight * (1 - c) + t.f };
      return {
        type,
        points: t.points,
        visited: t.visited,
        basis: t.visited > 0 ? ('type' as const) : ('city' as const),
        rate,
        mean: betaMean(rate),
        low: betaQuantile(0.05, rate.alpha, rate.beta),
        high: betaQuantile(0.95, rate.alpha, rate.beta),
        key: t.visited > 0 ? `type:${type}` : 'city',
      };
    }),
  };
}

/**
 * The points to simulate: a visited point keeps its state (its share less its problem penalty,
 * floored at 0, as `pointState`); an unvisited one is assumed at its type's rate (`typeRates`) less
 * its own problem penalty. `share` is the point's state before the penalty, null without a visit.
 */
export function mockPointsFrom(
  points: readonly {
    id: number;
    type: string;
    unitId?: number | null;
    share: number | null;
    openProblems: number;
  }[],
  types: readonly string[],
  opts: { problemPenalty?: number; priorWeight?: number } = {},
): { points: TMockPoint[]; rates: ReturnType<typeof typeRates> } {
  const rates = typeRates(points, types, opts.priorWeight);
  const rateOf = new Map(rates.types.map((r) => [r.type, r]));
  return {
    rates,
    points: points.map((p): TMockPoint => {
      const penalty = problemPenalty(p.openProblems, opts);
      const base = { id: p.id, type: p.type, unitId: p.unitId ?? null };
      if (p.share !== null) return { ...base, score: Math.max(0, clamp01(p.share) - penalty) };
      const r = rateOf.get(p.type);
      // A type not listed (never drawn by the plan) is assumed as a type nobody inspected.
      const w = opts.priorWeight ?? TYPE_PRIOR_WEIGHT;
      const c = rates.city.mean;
      const rate = r ?? { rate: { alpha: w * c, beta: w * (1 - c) }, key: 'city' };
      return { ...base, assumed: { key: rate.key, rate: rate.rate, penalty } };
    }),
  };
}

/** Above this share of a draw's points being unvisited, the result rests mostly on assumptions. */
export const MOSTLY_ASSUMED = 0.5;

export interface TRelianceVerdict {
  /** 'observed': every point that can be drawn was inspected; 'partly'; 'assumed': mostly or all. */
  level: 'observed' | 'partly' | 'assumed';
  text: { zh: string; en: string };
}

/**
 * In words, how much the result rests on assumptions: by the share of a draw's points expected to
 * be unvisited (over MOSTLY_ASSUMED: mostly; none visited at all: entirely).
 */
export function relianceVerdict(c: {
  points: number;
  visited: number;
  assumedShare: number;
}): TRelianceVerdict {
  const unvisited = c.points - c.visited;
  const have = unvisited === 1 ? 'has' : 'have';
  const share = c.assumedShare < 0.005 ? '不到 1%' : `${Math.round(c.assumedShare * 100)}%`;
  const shareEn = c.assumedShare < 0.005 ? 'under 1 %' : `${Math.round(c.assumedShare * 100)} %`;
  if (unvisited <= 0 || c.assumedShare <= 0) {
    return {
      level: 'observed',
      text: {
        zh: '可能抽到的点位都有检查记录，结果依据检查发现。',
        en: 'Every point that can be drawn has been inspected: the result rests on findings.',
      },
    };
  }
  if (c.visited === 0) {
    return {
      level: 'assumed',
      text: {
        zh: `结果完全依据推定：${c.points} 个点位都从未检查，得分按 0–100% 之间任一水平同等可能推定。达标概率和区间不是检查发现，请先组织检查。`,
        en: `The result rests entirely on assumptions: none of the ${c.points} points has been inspected, so their scores are taken as anywhere from 0 to 100 % alike. The probability and the range are not findings — inspect first.`,
      },
    };
  }
  if (c.assumedShare > MOSTLY_ASSUMED) {
    return {
      level: 'assumed',
      text: {
        zh: `结果主要依据推定：${c.points} 个点位中 ${unvisited} 个从未检查（每次抽取的点位预计 ${share} 是未检查点位），按同类点位的检查结果推算，区间已按推算的不确定性放宽。达标概率和区间主要反映推定，不是检查发现。`,
        en: `The result rests mostly on assumptions: ${unvisited} of the ${c.points} points ${have} never been inspected (about ${shareEn} of each draw), and their scores are inferred from inspected points of the same type, with the range widened for that uncertainty. The probability and the range mostly reflect assumptions, not findings.`,
      },
    };
  }
  return {
    level: 'partly',
    text: {
      zh: `部分依据推定：${c.points} 个点位中 ${unvisited} 个从未检查（约占每次抽取的 ${share}），按同类点位的检查结果推算。`,
      en: `Partly assumed: ${unvisited} of the ${c.points} points ${have} never been inspected (about ${shareEn} of each draw); their scores are inferred from inspected points of the same type.`,
    },
  };
}
