/**
 * The projected campaign score (测评得分预估). Each year is scored out of 100 as the method weights
 * (e.g. material 40 / field 40 / survey 20) times the share each part achieved; negative-list
 * events deduct points, suspend the title, disqualify or bar the application; a survey rate under
 * the floor vetoes the year, deducts points or is flagged; the cycle total weighs the years (e.g.
 * 15/25/60); a campaign may combine frameworks by shares and gates. The score is never altered to
 * express a verdict: a vetoed year keeps its total and says 否决. Pure: the caller gathers each
 * standard's achieved share. docs/scoring.md works every formula through by hand.
 */
import {
  METHOD_BUCKET,
  METHOD_BUCKETS,
  type TMethod,
  type TMethodBucket,
  type TNegativeEffect,
} from '../frameworks/methods.js';
import type { TSurveyFloor, TSurveyFloorEffect } from './rules.js';

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
  effect: TNegativeEffect | 'bar_application';
  /** Points deducted from the year's score (effect `deduct`). */
  points: number;
}

export interface TScoringRules {
  /** Percent per part, adding up to 100. */
  methodWeights: Record<TMethodBucket, number>;
  surveyFloor: TSurveyFloor;
}

/**
 * A year's verdict, worst first: 取消资格 (disqualified), 不得申报 (barred), 暂停资格 (suspended),
 * 问卷否决 (vetoed), else ok.
 */
export const YEAR_STATUSES = ['ok', 'vetoed', 'suspended', 'barred', 'disqualified'] as const;
export type TYearStatus = (typeof YEAR_STATUSES)[number];
export const YEAR_STATUS_LABELS: Record<TYearStatus, { zh: string; en: string }> = {
  ok: { zh: '正常', en: 'OK' },
  vetoed: { zh: '问卷未达底线，一票否决', en: 'Vetoed: a survey rate under the floor' },
  suspended: { zh: '暂停资格', en: 'Suspended' },
  barred: { zh: '不得申报', en: 'May not apply' },
  disqualified: { zh: '取消资格', en: 'Disqualified' },
};

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
  /** 0..100 after the negative list's and the survey floor's deductions; never zeroed by a verdict. */
  score: number;
  /** Before the negative list and the survey floor. */
  base: number;
  /** Points off: negative-list deductions plus the survey floor's (effect deduct). */
  deducted: number;
  parts: TPartScore[];
  items: TNodeScore[];
  contents: TNodeScore[];
  /** Per standard: its share of the year's 100 and what is lost ("points at risk"), worst first. */
  atRisk: { key: string; code: string; lost: number; weightedMax: number; unknown: boolean }[];
  unknown: number;
  floor: {
    below: string[];
    effect: TSurveyFloorEffect | null;
    vetoed: boolean;
    /** Points the floor took off (effect deduct). */
    deducted: number;
  };
  /** The worst verdict; every verdict that applies is in `verdicts`. */
  status: TYearStatus;
  verdicts: TYearStatus[];
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

  const negDeducted = negatives
    .filter((n) => n.effect === 'deduct')
    .reduce((a, n) => a + Math.max(0, n.points), 0);

  const floor = rules.surveyFloor;
  const below = floor.enabled
    ? surveyRates.filter((r) => r.rate * 100 < floor.minRate - 1e-9).map((r) => r.dimension)
    : [];
  const vetoed = below.length > 0 && floor.effect === 'veto';
  const floorDeducted =
    below.length > 0 && floor.effect === 'deduct' ? below.length * Math.max(0, floor.points) : 0;
  const deducted = negDeducted + floorDeducted;
  const score = Math.max(0, base - deducted);
  const verdicts: TYearStatus[] = [];
  if (negatives.some((n) => n.effect === 'disqualify')) verdicts.push('disqualified');
  if (negatives.some((n) => n.effect === 'bar_application')) verdicts.push('barred');
  if (negatives.some((n) => n.effect === 'suspend_title')) verdicts.push('suspended');
  if (vetoed) verdicts.push('vetoed');
  const status = verdicts[0] ?? 'ok';
  return {
    score: round2(score),
    base: round2(base),
    deducted: round2(deducted),
    parts: parts.map((p) => ({ ...p, points: round2(p.points) })),
    items: nodes((s) => s.itemKey),
    contents: nodes((s) => s.contentKey),
    atRisk,
    unknown: standards.filter((s) => s.share === null).length,
    floor: {
      below,
      effect: below.length ? floor.effect : null,
      vetoed,
      deducted: round2(floorDeducted),
    },
    status,
    verdicts,
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

const STATUS_RANK: Record<TYearStatus, number> = {
  ok: 0,
  vetoed: 1,
  suspended: 2,
  barred: 3,
  disqualified: 4,
};
/** The worse of two verdicts. */
export function worstStatus(a: TYearStatus, b: TYearStatus): TYearStatus {
  return STATUS_RANK[b] > STATUS_RANK[a] ? b : a;
}

export interface TCombinedPart {
  id: number;
  name: string;
  /** Percent of the combined score; null: scored on its own (五城联创's sanitary city, say). */
  share: number | null;
  /** The year score the framework must reach to apply; null: no gate. */
  gate: number | null;
  score: number;
  status: TYearStatus;
}

/**
 * A campaign's frameworks combined for one year (BRIEF §1.1: the 未成年人思想道德建设测评 is scored
 * on 100 separately, counts 20 % of the total, and below 85 the city cannot apply). The total is
 * Σ share × score over the frameworks with a share (null when none has one); a framework under its
 * gate bars the application; a framework's own verdict (a veto, say) carries to the whole.
 */
export function combineFrameworks(parts: readonly TCombinedPart[]): {
  total: number | null;
  parts: (TCombinedPart & { points: number | null; gatePassed: boolean | null })[];
  gatesFailed: string[];
  status: TYearStatus;
} {
  const combined = parts.filter((p) => p.share !== null);
  const total = combined.length
    ? round2(combined.reduce((a, p) => a + (p.share! / 100) * p.score, 0))
    : null;
  let status: TYearStatus = 'ok';
  const gatesFailed: string[] = [];
  const out = parts.map((p) => {
    const gatePassed = p.gate === null ? null : p.score >= p.gate - 1e-9;
    if (gatePassed === false) {
      gatesFailed.push(p.name);
      status = worstStatus(status, 'barred');
    }
    if (p.share !== null || p.gate !== null) status = worstStatus(status, p.status);
    return {
      ...p,
      points: p.share === null ? null : round2((p.share / 100) * p.score),
      gatePassed,
    };
  });
  return { total, parts: out, gatesFailed, status };
}
