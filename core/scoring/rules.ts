/**
 * The assessment rules a framework is scored by (测评计分规则): method weights, cycle-year weights
 * and their presets by city class, the survey floor and its effect, the curve that turns a survey
 * rate into a standard's share, and how a campaign combines its frameworks (shares and gates).
 * A framework may set any of them; what it leaves unset comes from its campaign. Pure data and
 * functions; docs/scoring.md explains each with a worked example.
 */
import { METHOD_BUCKETS, type TMethodBucket } from '../frameworks/methods.js';

type Msg = { zh: string; en: string };

/**
 * What a survey rate under the floor does (BRIEF §1.3: "make the floor and its effect
 * configurable"; the seeds say "调查结果有最低分值要求、不达标直接否决", so veto is the default).
 * veto: the year is marked 否决 whatever its total; deduct: points off the year; flag: shown only.
 */
export const SURVEY_FLOOR_EFFECTS = ['veto', 'deduct', 'flag'] as const;
export type TSurveyFloorEffect = (typeof SURVEY_FLOOR_EFFECTS)[number];
export const SURVEY_FLOOR_EFFECT_LABELS: Record<TSurveyFloorEffect, Msg> = {
  veto: { zh: '一票否决', en: 'Veto' },
  deduct: { zh: '扣分', en: 'Deduct points' },
  flag: { zh: '仅标注', en: 'Flag only' },
};

export interface TSurveyFloor {
  enabled: boolean;
  /** Percent, e.g. 80: a 知晓率/支持率/参与率/满意度 under it triggers the effect. */
  minRate: number;
  effect: TSurveyFloorEffect;
  /** Points off the year's 100 per rate under the floor (effect `deduct`). */
  points: number;
}

/**
 * Effects written by earlier versions: 'cap' and 'flag_and_cap' capped the year's score at the
 * floor's percentage read as points (mixing units); the seeds mean a veto, so they read as veto.
 */
export function readSurveyFloor(raw: unknown): TSurveyFloor {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const effect = SURVEY_FLOOR_EFFECTS.includes(r.effect as TSurveyFloorEffect)
    ? (r.effect as TSurveyFloorEffect)
    : 'veto';
  return {
    enabled: r.enabled === true,
    minRate: typeof r.minRate === 'number' ? r.minRate : 80,
    effect,
    points: typeof r.points === 'number' && r.points >= 0 ? r.points : 0,
  };
}

/** One grade of a banded curve: a rate strictly above `above` percent earns `share` percent. */
export interface TSurveyBand {
  grade: string;
  /** Strict lower bound in percent; null for the last, catch-all band. */
  above: number | null;
  /** Percent of the standard's max score. */
  share: number;
}

/**
 * How a survey-method standard's rate becomes its share of the max score.
 * bands: graded against thresholds (older editions: A > 75 %, B > 70 %, C ≤ 70 %, C# ≤ 50 %,
 * BRIEF §1.1); linear: 0 at or under `floor`, 100 % at or over `target`, straight between;
 * rate: the share is the rate itself (what earlier versions did).
 */
export type TSurveyCurve =
  | { kind: 'bands'; bands: TSurveyBand[] }
  | { kind: 'linear'; floor: number; target: number }
  | { kind: 'rate' };

export const SURVEY_CURVE_KINDS = ['bands', 'linear', 'rate'] as const;
export const SURVEY_CURVE_LABELS: Record<TSurveyCurve['kind'], Msg> = {
  bands: { zh: '分档（A/B/C/C#）', en: 'Bands (A/B/C/C#)' },
  linear: { zh: '线性（底线至目标）', en: 'Linear (floor to target)' },
  rate: { zh: '按比率直接计分', en: 'Share = rate' },
};

/**
 * The thresholds are the older edition's (BRIEF §1.1, 公众对城市环保满意率: A > 75 %, B > 70 %,
 * C ≤ 70 %, C# ≤ 50 %). What each grade earns is not in the sources: A/B/C/C# earn 100/75/50/0 %,
 * the A/B/C/D = 2/1.5/1/0 steps of graded material items (BRIEF §2.3). Editable per framework.
 */
export const DEFAULT_SURVEY_BANDS: TSurveyBand[] = [
  { grade: 'A', above: 75, share: 100 },
  { grade: 'B', above: 70, share: 75 },
  { grade: 'C', above: 50, share: 50 },
  { grade: 'C#', above: null, share: 0 },
];
export const DEFAULT_SURVEY_CURVE: TSurveyCurve = { kind: 'bands', bands: DEFAULT_SURVEY_BANDS };

/** A standard's share (0..1) from a survey rate (0..1) on a curve, with the grade it reached. */
export function curveShare(
  curve: TSurveyCurve,
  rate: number,
): { share: number; grade: string | null } {
  const pct = rate * 100;
  if (curve.kind === 'rate') return { share: Math.min(1, Math.max(0, rate)), grade: null };
  if (curve.kind === 'linear') {
    if (pct >= curve.target) return { share: 1, grade: null };
    if (pct <= curve.floor) return { share: 0, grade: null };
    return { share: (pct - curve.floor) / (curve.target - curve.floor), grade: null };
  }
  // Bands from the highest threshold down; a rate on a threshold belongs to the band below it.
  const sorted = [...curve.bands].sort((a, b) => (b.above ?? -Infinity) - (a.above ?? -Infinity));
  // 1e-9: a rate of 75.000000001 % from floating arithmetic on 3/4 must not read as "above 75".
  const band = sorted.find((b) => b.above === null || pct > b.above + 1e-9) ?? sorted.at(-1);
  return band ? { share: band.share / 100, grade: band.grade } : { share: 0, grade: null };
}

/** Problems with a curve, in both languages (empty when it is sound). */
export function checkSurveyCurve(curve: TSurveyCurve): Msg[] {
  const out: Msg[] = [];
  if (curve.kind === 'linear' && !(curve.target > curve.floor)) {
    out.push({
      zh: `线性计分的目标值（${curve.target}%）应高于底线（${curve.floor}%）`,
      en: `the linear curve's target (${curve.target}%) must be above its floor (${curve.floor}%)`,
    });
  }
  if (curve.kind === 'bands') {
    const catchAll = curve.bands.filter((b) => b.above === null).length;
    if (curve.bands.length === 0 || catchAll !== 1) {
      out.push({
        zh: '分档计分需要且只需要一个“其余”档（不设下限的最低档）',
        en: 'a banded curve needs exactly one catch-all band (the lowest, without a threshold)',
      });
    }
    const grades = curve.bands.map((b) => b.grade.trim());
    if (new Set(grades).size !== grades.length || grades.some((g) => !g)) {
      out.push({ zh: '各档名称不能为空或重复', en: 'band names must be set and distinct' });
    }
    const sorted = [...curve.bands]
      .filter((b) => b.above !== null)
      .sort((a, b) => b.above! - a.above!);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.share > sorted[i - 1]!.share) {
        out.push({
          zh: `“${sorted[i]!.grade}”档得分不应高于更高一档“${sorted[i - 1]!.grade}”`,
          en: `band "${sorted[i]!.grade}" must not earn more than the higher band "${sorted[i - 1]!.grade}"`,
        });
      }
    }
  }
  return out;
}

/**
 * Cycle-year weights by city class. 地级以上: 15/25/60 (BRIEF §1.3, hengyang.gov.cn; Jinan
 * confirms 15 % and 25 %). 县级: only the final year counts ("前两年…不计入评选成绩", seed 001).
 * 直辖市城区: ranked as their own class (BRIEF §1.3); no distinct weights were found, so the
 * prefecture weights [unverified]. 省级 campaigns set their own (custom).
 */
export const CYCLE_PRESETS = ['prefecture', 'county', 'municipal_district', 'custom'] as const;
export type TCyclePreset = (typeof CYCLE_PRESETS)[number];
export const CYCLE_PRESET_LABELS: Record<TCyclePreset, Msg> = {
  prefecture: { zh: '地级以上城市（15/25/60）', en: 'Prefecture-level city (15/25/60)' },
  county: { zh: '县级市/县城（仅计末年）', en: 'County-level (final year only)' },
  municipal_district: { zh: '直辖市城区（15/25/60）', en: 'Municipal district (15/25/60)' },
  custom: { zh: '自定义（如省级）', en: 'Custom (e.g. provincial)' },
};

/** The preset's weights for a cycle of `years` years; null when the preset has none that long. */
export function presetWeights(preset: TCyclePreset, years: number): number[] | null {
  if (years < 1) return null;
  if (preset === 'county')
    return Array.from({ length: years }, (_, i) => (i === years - 1 ? 100 : 0));
  if (preset === 'prefecture' || preset === 'municipal_district') {
    return years === 3 ? [15, 25, 60] : null;
  }
  return null;
}

/**
 * A framework's own rules; every field it leaves out comes from the campaign. `share` and `gate`
 * are how the campaign combines its frameworks: the 未成年人思想道德建设测评 is scored on 100
 * separately, counts 20 % of the total and must reach 85 to apply (BRIEF §1.1).
 */
export interface TFrameworkRules {
  methodWeights?: Record<TMethodBucket, number>;
  cyclePreset?: TCyclePreset;
  cycleWeights?: number[];
  surveyFloor?: TSurveyFloor;
  surveyCurve?: TSurveyCurve;
  /** Percent of the campaign's combined score; unset: the framework is scored on its own. */
  share?: number;
  /** The year score (of 100) the framework must reach for the city to apply; unset: no gate. */
  gate?: number;
}

/** The campaign's defaults, as stored on the campaign. */
export interface TCampaignRules {
  cycleYears: number;
  cycleWeights: number[];
  methodWeights: Record<TMethodBucket, number>;
  surveyFloor: TSurveyFloor;
  surveyCurve: TSurveyCurve;
  cyclePreset: TCyclePreset;
  /** The date the city files its application for the title (YYYY-MM-DD), when known. */
  applicationDate: string | null;
}

export type TRuleSource = 'framework' | 'campaign';

/** The rules a framework is scored by, and where each came from. */
export interface TEffectiveRules {
  methodWeights: Record<TMethodBucket, number>;
  cyclePreset: TCyclePreset;
  cycleWeights: number[];
  surveyFloor: TSurveyFloor;
  surveyCurve: TSurveyCurve;
  share: number | null;
  gate: number | null;
  sources: Record<'methodWeights' | 'cycleWeights' | 'surveyFloor' | 'surveyCurve', TRuleSource>;
}

export function effectiveRules(
  campaign: TCampaignRules,
  fw: TFrameworkRules | null | undefined,
): TEffectiveRules {
  const f = fw ?? {};
  const src = (own: unknown): TRuleSource => (own === undefined ? 'campaign' : 'framework');
  // A framework's cycle weights only count when they fit the campaign's cycle.
  const ownCycle =
    f.cycleWeights && f.cycleWeights.length === campaign.cycleYears ? f.cycleWeights : undefined;
  return {
    methodWeights: f.methodWeights ?? campaign.methodWeights,
    cyclePreset: ownCycle ? (f.cyclePreset ?? 'custom') : campaign.cyclePreset,
    cycleWeights: ownCycle ?? campaign.cycleWeights,
    surveyFloor: f.surveyFloor ?? campaign.surveyFloor,
    surveyCurve: f.surveyCurve ?? campaign.surveyCurve,
    share: f.share ?? null,
    gate: f.gate ?? null,
    sources: {
      methodWeights: src(f.methodWeights),
      cycleWeights: src(ownCycle),
      surveyFloor: src(f.surveyFloor),
      surveyCurve: src(f.surveyCurve),
    },
  };
}

const EPS = 1e-6;
const fmt = (n: number) => String(Math.round(n * 100) / 100);

/** Problems with a framework's own rules against its campaign's cycle, at field paths. */
export function checkFrameworkRules(
  rules: TFrameworkRules,
  cycleYears: number,
): { path: (string | number)[]; zh: string; en: string }[] {
  const out: { path: (string | number)[]; zh: string; en: string }[] = [];
  if (rules.methodWeights) {
    const sum = METHOD_BUCKETS.reduce((a, k) => a + rules.methodWeights![k], 0);
    if (Math.abs(sum - 100) > EPS) {
      out.push({
        path: ['methodWeights'],
        zh: `材料、实地、问卷三部分权重之和应为 100%（当前 ${fmt(sum)}%）`,
        en: `the material, field and survey weights must add up to 100% (they add up to ${fmt(sum)}%)`,
      });
    }
  }
  if (rules.cycleWeights) {
    if (rules.cycleWeights.length !== cycleYears) {
      out.push({
        path: ['cycleWeights'],
        zh: `周期为 ${cycleYears} 年，应填写 ${cycleYears} 个年度权重（当前 ${rules.cycleWeights.length} 个）`,
        en: `a ${cycleYears}-year cycle needs ${cycleYears} year weights (got ${rules.cycleWeights.length})`,
      });
    }
    const sum = rules.cycleWeights.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 100) > EPS) {
      out.push({
        path: ['cycleWeights'],
        zh: `年度权重之和应为 100%（当前 ${fmt(sum)}%）`,
        en: `the year weights must add up to 100% (they add up to ${fmt(sum)}%)`,
      });
    }
  }
  if (rules.surveyCurve) {
    for (const m of checkSurveyCurve(rules.surveyCurve)) out.push({ path: ['surveyCurve'], ...m });
  }
  return out;
}

/** Problems with the shares of a campaign's combined frameworks (they must add up to 100 %). */
export function checkCombinedShares(
  frameworks: readonly { name: string; share: number | null }[],
): Msg[] {
  const combined = frameworks.filter((f) => f.share !== null);
  if (combined.length === 0) return [];
  const sum = combined.reduce((a, f) => a + f.share!, 0);
  if (Math.abs(sum - 100) <= EPS) return [];
  const list = combined.map((f) => `${f.name} ${fmt(f.share!)}%`);
  return [
    {
      zh: `合并计分的测评体系占比之和应为 100%（当前 ${list.join(' + ')} = ${fmt(sum)}%）`,
      en: `the shares of the combined frameworks must add up to 100% (${list.join(' + ')} = ${fmt(sum)}%)`,
    },
  ];
}
