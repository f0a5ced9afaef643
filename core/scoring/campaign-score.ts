/**
 * The projected campaign score (测评得分预估). Each year is scored out of 100 as the method weights
 * (e.g. material 40 / field 40 / survey 20) times the share each part achieved; negative-list items
 * deduct points or suspend/disqualify; the survey floor may flag, cap or veto; the cycle total
 * weighs the years (e.g. 15/25/60). Pure: the caller gathers each standard's achieved share.
 */
import {
  METHOD_BUCKET,
  METHOD_BUCKETS,
  type TMethod,
  type TMethodBucket,
  type TNegativeEffect,
  type TSurveyFloorEffect,
} from '../frameworks/methods.js';

export interface TScoringStandard {
  key: string;
  code: string;
  itemKey: string;
  contentKey: string;
  method: TMethod;
  maxScore: number;
  /**
   * The share of the max score achieved, 0..1 (an approved dossier's grade share, a point pass
   * rate, a survey rate against its target); null when nothing is known yet — counted as 0 and
   * reported as unknown, so the projection is never optimistic.
   */
  share: number | null;
}

export interface TNegativeHit {
  code: string;
  effect: TNegativeEffect;
  /** Points deducted from the year's score (effect `deduct`). */
  points: number;
}

export interface TScoringRules {
  /** Percent per part, adding up to 100. */
  methodWeights: Record<TMethodBucket, number>;
  surveyFloor: { enabled: boolean; minRate: number; effect: TSurveyFloorEffect };
}

export interface TPartScore {
  bucket: TMethodBucket;
  weight: number;
  maxScore: number;
  earned: number;
  /** earned / maxScore (0 when the part has no standards). */
  share: number;
  /** The part's points in the year's 100. */
  points: number;
}

export interface TNodeScore {
  key: string;
  maxScore: number;
  earned: number;
  /** Points of the year's 100 this node carries and those it achieved. */
  weightedMax: number;
  weightedEarned: number;
}

export interface TYearScore {
  /** 0..100 after deductions, floor effects and disqualification. */
  score: number;
  /** Before the negative list and the survey floor. */
  base: number;
  deducted: number;
  parts: TPartScore[];
  items: TNodeScore[];
  contents: TNodeScore[];
  /** Per standard: its share of the year's 100 and what is lost ("points at risk"), worst first. */
  atRisk: { key: string; code: string; lost: number; weightedMax: number; unknown: boolean }[];
  unknown: number;
  floor: { below: string[]; effect: TSurveyFloorEffect | null; capped: boolean; vetoed: boolean };
  status: 'ok' | 'suspended' | 'disqualified';
  /** Parts with no standards: their weight is spread over the others (reported, not hidden). */
  emptyParts: TMethodBucket[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const clamp01 = (n: number) => Math.min(1, Math.max(0, n));

/** One year's score from its standards, the negative list and the survey rates. */
export function yearScore(
  rules: TScoringRules,
  standards: readonly TScoringStandard[],
  negatives: readonly TNegativeHit[] = [],
  surveyRates: readonly { dimension: string; rate: number }[] = [],
): TYearScore {
  const max: Record<TMethodBucket, number> = { material: 0, field: 0, survey: 0 };
  const earned: Record<TMethodBucket, number> = { material: 0, field: 0, survey: 0 };
  for (const s of standards) {
    const b = METHOD_BUCKET[s.method];
    max[b] += s.maxScore;
    earned[b] += s.maxScore * clamp01(s.share ?? 0);
  }
  const emptyParts = METHOD_BUCKETS.filter((b) => max[b] === 0);
  const liveWeight = METHOD_BUCKETS.filter((b) => max[b] > 0).reduce(
    (a, b) => a + rules.methodWeights[b],
    0,
  );
  // Points of the year's 100 per unit of max score in each part.
  const scale = (b: TMethodBucket) =>
    max[b] === 0 || liveWeight === 0 ? 0 : (rules.methodWeights[b] * (100 / liveWeight)) / max[b];
  const parts = METHOD_BUCKETS.map((b) => ({
    bucket: b,
    weight: rules.methodWeights[b],
    maxScore: round2(max[b]),
    earned: round2(earned[b]),
    share: max[b] === 0 ? 0 : earned[b] / max[b],
    points: earned[b] * scale(b),
  }));
  const base = parts.reduce((a, p) => a + p.points, 0);

  const nodes = (keyOf: (s: TScoringStandard) => string) => {
    const m = new Map<string, TNodeScore>();
    for (const s of standards) {
      const k = keyOf(s);
      const n = m.get(k) ?? { key: k, maxScore: 0, earned: 0, weightedMax: 0, weightedEarned: 0 };
      const sc = scale(METHOD_BUCKET[s.method]);
      const e = s.maxScore * clamp01(s.share ?? 0);
      n.maxScore += s.maxScore;
      n.earned += e;
      n.weightedMax += s.maxScore * sc;
      n.weightedEarned += e * sc;
      m.set(k, n);
    }
    return [...m.values()].map((n) => ({
      key: n.key,
      maxScore: round2(n.maxScore),
      earned: round2(n.earned),
      weightedMax: round2(n.weightedMax),
      weightedEarned: round2(n.weightedEarned),
    }));
  };
  const atRisk = standards
    .map((s) => {
      const sc = scale(METHOD_BUCKET[s.method]);
      return {
        key: s.key,
        code: s.code,
        lost: round2(s.maxScore * (1 - clamp01(s.share ?? 0)) * sc),
        weightedMax: round2(s.maxScore * sc),
        unknown: s.share === null,
      };
    })
    .filter((r) => r.lost > 0)
    .sort((a, b) => b.lost - a.lost || a.code.localeCompare(b.code));

  const deducted = negatives
    .filter((n) => n.effect === 'deduct')
    .reduce((a, n) => a + Math.max(0, n.points), 0);
  let score = Math.max(0, base - deducted);
  const status: TYearScore['status'] = negatives.some((n) => n.effect === 'disqualify')
    ? 'disqualified'
    : negatives.some((n) => n.effect === 'suspend_title')
      ? 'suspended'
      : 'ok';
  if (status === 'disqualified') score = 0;

  const floor = rules.surveyFloor;
  const below = floor.enabled
    ? surveyRates.filter((r) => r.rate * 100 < floor.minRate).map((r) => r.dimension)
    : [];
  let capped = false;
  let vetoed = false;
  if (below.length) {
    if ((floor.effect === 'cap' || floor.effect === 'flag_and_cap') && score > floor.minRate) {
      // Below the survey floor the year cannot score above the floor line (e.g. 80 of 100).
      score = floor.minRate;
      capped = true;
    }
    if (floor.effect === 'veto') {
      score = 0;
      vetoed = true;
    }
  }
  return {
    score: round2(score),
    base: round2(base),
    deducted: round2(deducted),
    parts: parts.map((p) => ({ ...p, points: round2(p.points) })),
    items: nodes((s) => s.itemKey),
    contents: nodes((s) => s.contentKey),
    atRisk,
    unknown: standards.filter((s) => s.share === null).length,
    floor: { below, effect: below.length ? floor.effect : null, capped, vetoed },
    status,
    emptyParts,
  };
}

/**
 * The cycle total: each year's score times its weight (percent). Years without a score yet are
 * projected at the latest known year's score (the office's "if we keep this level").
 */
export function cycleScore(
  cycleWeights: readonly number[],
  years: readonly (number | null)[],
): {
  total: number;
  projected: boolean;
  perYear: { weight: number; score: number; known: boolean }[];
} {
  const known = years.filter((y): y is number => y !== null);
  const latest = known.length ? known[known.length - 1]! : 0;
  const perYear = cycleWeights.map((w, i) => {
    const y = years[i] ?? null;
    return { weight: w, score: y ?? latest, known: y !== null };
  });
  const total = perYear.reduce((a, y) => a + (y.weight / 100) * y.score, 0);
  return { total: round2(total), projected: perYear.some((y) => !y.known), perYear };
}
