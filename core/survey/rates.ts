/**
 * Survey rates (知晓率, 支持率, 参与率, 满意度): favourable / valid answers, weighted by the quota
 * design, with Wilson 95% intervals on the effective sample size. Pure.
 *
 * Weighting: every stratum (a quota: one community × one respondent group) carries a design weight
 * per answer, w_h = N_h / n_h (households it stands for / responses it got). The weighted rate is
 * Σ w_h f_h / Σ w_h v_h. The interval uses Kish's effective size n_eff = (Σ w_h v_h)² / Σ w_h² v_h,
 * which equals the raw count when the weights are equal. Strata with no valid answers drop out.
 *
 * Collection modes (入户 households, 街访 street interviews) are strata of their own: a street quota
 * never pools with the household quota of the same community. Each mode carries its share of the
 * plan (its quotas' targets), and within a mode the populations weigh (see `modeDesignWeights`).
 */
import {
  classifyAnswer,
  DIMENSIONS,
  type QuestionDef,
  type TAnswerValue,
  type TDimension,
} from './questions.js';

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/** Wilson score interval of a proportion p observed on n (n may be an effective, fractional size). */
export function wilson(p: number, n: number, z = Z95): { lo: number; hi: number } {
  if (!(n > 0)) return { lo: 0, hi: 1 };
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Rounding can push an end past p at p = 0 or 1: keep lo ≤ p ≤ hi within [0, 1].
  return {
    lo: Math.max(0, Math.min(p, centre - half)),
    hi: Math.min(1, Math.max(p, centre + half)),
  };
}

/** Counts of one stratum for one rate, with the stratum's design weight per answer. */
export interface StratumCount {
  stratum: string;
  weight: number;
  favourable: number;
  valid: number;
}

export interface RateEstimate {
  /** null when there is no valid answer. */
  rate: number | null;
  lo: number | null;
  hi: number | null;
  /** Raw counts, unweighted. */
  favourable: number;
  valid: number;
  /** Kish effective sample size (= valid when unweighted). */
  nEff: number;
}

/** The weighted rate of favourable among valid answers over strata, with its Wilson interval. */
export function estimateRate(strata: readonly StratumCount[]): RateEstimate {
  let wv = 0;
  let wf = 0;
  let w2v = 0;
  let favourable = 0;
  let valid = 0;
  for (const s of strata) {
    if (s.valid <= 0) continue;
    favourable += s.favourable;
    valid += s.valid;
    if (!(s.weight > 0)) continue;
    wv += s.weight * s.valid;
    wf += s.weight * s.favourable;
    w2v += s.weight * s.weight * s.valid;
  }
  if (wv <= 0) return { rate: null, lo: null, hi: null, favourable, valid, nEff: 0 };
  const rate = Math.min(1, Math.max(0, wf / wv));
  const nEff = (wv * wv) / w2v;
  const { lo, hi } = wilson(rate, nEff);
  return { rate, lo, hi, favourable, valid, nEff };
}

/**
 * Design weights per stratum, w_h = N_h / n_h. Without a population for every stratum that got
 * answers, the design cannot be weighted: every weight is 1 (and `weighted` is false).
 */
export function designWeights(
  strata: readonly { stratum: string; population: number | null; responses: number }[],
): { weights: Map<string, number>; weighted: boolean } {
  const used = strata.filter((s) => s.responses > 0);
  const weighted = used.length > 0 && used.every((s) => s.population !== null && s.population > 0);
  const weights = new Map<string, number>();
  for (const s of strata) {
    weights.set(s.stratum, weighted && s.responses > 0 ? s.population! / s.responses : 1);
  }
  return { weights, weighted };
}

/** One stratum (quota) of a design with collection modes, as `modeDesignWeights` reads it. */
export interface DesignStratum {
  stratum: string;
  /** The collection mode (household, street …): its strata share the mode's part of the plan. */
  mode: string;
  /** Responses planned (the quota's target). */
  target: number;
  /** What the stratum stands for (households; people for a street quota); null = unknown. */
  population: number | null;
  /** Eligible responses it got. */
  responses: number;
}

/**
 * Design weights over collection modes. Each mode that got answers weighs its share of the plan,
 * S_m = Σ targets of its quotas / Σ targets of the modes that got answers (80 street interviews +
 * 220 households weigh 80 : 220 however many were achieved). Within a mode a stratum weighs
 * S_m · (N_h / Σ N) / n_h per answer when every stratum of the mode that got answers has a
 * population, else S_m / n_m (every answer of the mode alike); all times the answers in total, so
 * weights stay near 1 (only their ratios matter). With one mode this is `designWeights` itself
 * (N_h / n_h, or 1 each), so a survey without street interviews computes exactly as before.
 * `weighted` says whether anything but equal weights applies (populations, or more than one mode).
 */
export function modeDesignWeights(strata: readonly DesignStratum[]): {
  weights: Map<string, number>;
  weighted: boolean;
} {
  const used = strata.filter((s) => s.responses > 0);
  const modes = [...new Set(used.map((s) => s.mode))];
  if (modes.length <= 1) return designWeights(strata);
  const planned = (m: string) =>
    strata.filter((s) => s.mode === m).reduce((n, s) => n + Math.max(0, s.target), 0);
  const answered = (m: string) =>
    used.filter((s) => s.mode === m).reduce((n, s) => n + s.responses, 0);
  const totalPlan = modes.reduce((n, m) => n + planned(m), 0);
  const totalAnswered = modes.reduce((n, m) => n + answered(m), 0);
  const weights = new Map<string, number>(strata.map((s) => [s.stratum, 1]));
  for (const m of modes) {
    // A plan without targets (never from the API: a target is ≥ 1) falls back to what was achieved.
    const share = totalPlan > 0 ? planned(m) / totalPlan : answered(m) / totalAnswered;
    const inMode = used.filter((s) => s.mode === m);
    const known = inMode.every((s) => s.population !== null && s.population > 0);
    const people = inMode.reduce((n, s) => n + (s.population ?? 0), 0);
    for (const s of inMode) {
      const w = known ? (share * (s.population! / people)) / s.responses : share / answered(m);
      weights.set(s.stratum, w * totalAnswered);
    }
  }
  return { weights, weighted: true };
}

/** How many times one answer was given to one question in one stratum (what SQL returns). */
export interface AnswerTally {
  stratum: string;
  questionKey: string;
  answer: TAnswerValue;
  count: number;
}

export interface ResultOptions {
  /** Whether 说不清-type answers are valid (they count in the denominator, as not favourable). */
  dontKnowValid: boolean;
  /** The floor, 0–1 (default 0.8). */
  floor: number;
  /** Design weight per stratum; a stratum not named weighs 1. */
  weights?: ReadonlyMap<string, number>;
}

export interface QuestionResult extends RateEstimate {
  questionKey: string;
  dimension: TDimension | null;
  unfavourable: number;
  dontKnow: number;
}

export interface DimensionResult extends RateEstimate {
  dimension: TDimension;
  questions: number;
  /** The rate is under the floor. */
  belowFloor: boolean;
  /** The rate meets the floor but its interval reaches below it. */
  atRisk: boolean;
}

export interface SurveyResults {
  questions: QuestionResult[];
  dimensions: DimensionResult[];
}

interface Acc {
  fav: Map<string, number>;
  valid: Map<string, number>;
  unfav: number;
  dk: number;
}

function toStrata(acc: Acc, weights: ReadonlyMap<string, number> | undefined): StratumCount[] {
  return [...acc.valid.entries()].map(([stratum, valid]) => ({
    stratum,
    weight: weights?.get(stratum) ?? 1,
    favourable: acc.fav.get(stratum) ?? 0,
    valid,
  }));
}

/**
 * Rates per question and per dimension from answer tallies. A dimension pools the answers of its
 * questions (favourable answers / valid answers), weighted the same way.
 */
export function computeResults(
  questions: ReadonlyMap<string, QuestionDef>,
  tallies: readonly AnswerTally[],
  opts: ResultOptions,
): SurveyResults {
  const perQ = new Map<string, Acc>();
  const perD = new Map<TDimension, Acc>();
  const fresh = (): Acc => ({ fav: new Map(), valid: new Map(), unfav: 0, dk: 0 });
  for (const key of questions.keys()) perQ.set(key, fresh());
  for (const t of tallies) {
    const q = questions.get(t.questionKey);
    if (!q || q.dimension === null || t.count <= 0) continue;
    const cls = classifyAnswer(q, t.answer);
    if (cls === 'missing') continue;
    const accs = [perQ.get(t.questionKey)!];
    let d = perD.get(q.dimension);
    if (!d) perD.set(q.dimension, (d = fresh()));
    accs.push(d);
    for (const a of accs) {
      if (cls === 'dontKnow') a.dk += t.count;
      if (cls === 'unfavourable') a.unfav += t.count;
      if (cls === 'dontKnow' && !opts.dontKnowValid) continue;
      a.valid.set(t.stratum, (a.valid.get(t.stratum) ?? 0) + t.count);
      if (cls === 'favourable') a.fav.set(t.stratum, (a.fav.get(t.stratum) ?? 0) + t.count);
    }
  }
  const out: SurveyResults = { questions: [], dimensions: [] };
  for (const [key, q] of questions) {
    if (q.dimension === null) continue;
    const acc = perQ.get(key)!;
    out.questions.push({
      questionKey: key,
      dimension: q.dimension,
      ...estimateRate(toStrata(acc, opts.weights)),
      unfavourable: acc.unfav,
      dontKnow: acc.dk,
    });
  }
  for (const dim of DIMENSIONS) {
    const acc = perD.get(dim);
    const nq = [...questions.values()].filter((q) => q.dimension === dim).length;
    if (!acc && nq === 0) continue;
    const est = estimateRate(acc ? toStrata(acc, opts.weights) : []);
    out.dimensions.push({
      dimension: dim,
      questions: nq,
      ...est,
      belowFloor: est.rate !== null && est.rate < opts.floor,
      atRisk: est.rate !== null && est.rate >= opts.floor && (est.lo ?? 0) < opts.floor,
    });
  }
  return out;
}
