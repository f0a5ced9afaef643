import { METHOD_BUCKETS, type TMethodBucket } from './methods.js';

/** A problem with a campaign's weights, in both languages, at a field path. */
export interface WeightIssue {
  path: (string | number)[];
  zh: string;
  en: string;
}

const EPS = 1e-6;
const fmt = (n: number) => String(Math.round(n * 100) / 100);

/**
 * Checks a campaign's weights: one cycle-year weight per year of the cycle adding up to 100 %, the
 * method weights adding up to 100 %, and a survey floor between 0 and 100 %.
 */
export function checkCampaignWeights(c: {
  cycleYears: number;
  cycleWeights: number[];
  methodWeights: Record<TMethodBucket, number>;
  surveyFloor?: { enabled: boolean; minRate: number } | undefined;
}): WeightIssue[] {
  const out: WeightIssue[] = [];
  if (c.cycleWeights.length !== c.cycleYears) {
    out.push({
      path: ['cycleWeights'],
      zh: `周期为 ${c.cycleYears} 年，应填写 ${c.cycleYears} 个年度权重（当前 ${c.cycleWeights.length} 个）`,
      en: `a ${c.cycleYears}-year cycle needs ${c.cycleYears} year weights (got ${c.cycleWeights.length})`,
    });
  }
  const cycleSum = c.cycleWeights.reduce((a, b) => a + b, 0);
  if (c.cycleWeights.length && Math.abs(cycleSum - 100) > EPS) {
    out.push({
      path: ['cycleWeights'],
      zh: `年度权重之和应为 100%（当前 ${fmt(cycleSum)}%）`,
      en: `the year weights must add up to 100% (they add up to ${fmt(cycleSum)}%)`,
    });
  }
  const methodSum = METHOD_BUCKETS.reduce((a, k) => a + c.methodWeights[k], 0);
  if (Math.abs(methodSum - 100) > EPS) {
    out.push({
      path: ['methodWeights'],
      zh: `材料、实地、问卷三部分权重之和应为 100%（当前 ${fmt(methodSum)}%）`,
      en: `the material, field and survey weights must add up to 100% (they add up to ${fmt(methodSum)}%)`,
    });
  }
  return out;
}

/** Percent (40) ↔ fraction (0.4) without floating-point dust (0.15 × 100 = 15.000000000000002). */
export function toPercent(fraction: number): number {
  return Math.round(fraction * 1_000_000) / 10_000;
}
export function toFraction(percent: number): number {
  return Math.round(percent * 10_000) / 1_000_000;
}
