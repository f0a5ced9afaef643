/**
 * Count rules of checklist items (BRIEF §2.2 "measurable route and quantity rules"): 主干道 walk
 * 300 m and see ≥ 5 公益广告, 商业大街 100 m → 5, schools ≥ 5 ads, 背街小巷 亮灯率 ≥ 95 % …
 * The inspector enters what was counted; the rule, not the inspector, decides a shortfall.
 */
import type { TItemResult } from './score.js';

/** At least `min` things (处, 个, 块…) seen, e.g. ≥ 5 固定式公益广告 along 300 m. */
export interface CountQuantity {
  kind: 'count';
  min: number;
  unit: string;
}

/** counted / total at least `minPercent` %, e.g. 亮灯 / 路灯 ≥ 95 % (亮灯率). */
export interface RatioQuantity {
  kind: 'ratio';
  minPercent: number;
  /** What is counted (the numerator), e.g. 亮灯. */
  counted: string;
  /** What it is counted out of (the denominator), e.g. 路灯. */
  of: string;
}

export type QuantityRule = CountQuantity | RatioQuantity;

/** The numbers an inspector enters for an item with a count rule. */
export interface QuantityAnswer {
  index: number;
  result: TItemResult;
  /** What was counted (the numerator of a ratio rule). */
  count?: number | null;
  /** The denominator of a ratio rule (e.g. lamps installed). */
  total?: number | null;
}

type Msg = { zh: string; en: string };

/** Whether the entered numbers meet the rule; null when they are missing or impossible. */
export function quantityMet(
  rule: QuantityRule,
  count: number | null | undefined,
  total?: number | null,
): boolean | null {
  if (count == null || count < 0) return null;
  if (rule.kind === 'count') return count >= rule.min;
  if (total == null || total <= 0 || count > total) return null;
  // Integer arithmetic: 19 / 20 lamps lit is exactly 95 %, never 94.999…
  return count * 100 >= rule.minPercent * total;
}

/** The rule in words, e.g. 不少于5处 / 亮灯/路灯不低于95%. */
export function describeQuantity(rule: QuantityRule): Msg {
  return rule.kind === 'count'
    ? { zh: `不少于${rule.min}${rule.unit}`, en: `at least ${rule.min} ${rule.unit}` }
    : {
        zh: `${rule.counted}/${rule.of}不低于${rule.minPercent}%`,
        en: `${rule.counted}/${rule.of} at least ${rule.minPercent}%`,
      };
}

/** The entered numbers as shown beside the answer, e.g. 3处 / 19/20（95%）. */
export function describeCounted(
  rule: QuantityRule,
  count: number | null | undefined,
  total?: number | null,
): string | null {
  if (count == null) return null;
  if (rule.kind === 'count') return `${count}${rule.unit}`;
  if (total == null || total <= 0) return `${count}/${total ?? '?'}`;
  return `${count}/${total}（${Math.floor((count * 1000) / total) / 10}%）`;
}

/**
 * Why an answer's numbers do not fit its item's rule, or null. A not-applicable answer needs no
 * numbers; otherwise the count (and for a ratio the total, ≥ 1 and ≥ the count) must be entered.
 */
export function quantityAnswerProblem(
  rule: QuantityRule,
  answer: QuantityAnswer,
  itemText: string,
): Msg | null {
  if (answer.result === 'na') return null;
  const n = answer.index + 1;
  if (answer.count == null) {
    return {
      zh: `第 ${n} 项“${itemText}”按数量判定，请填写实际计数（${describeQuantity(rule).zh}）`,
      en: `item ${n} is judged by a count: enter the number counted (${describeQuantity(rule).en})`,
    };
  }
  if (rule.kind === 'ratio') {
    if (answer.total == null || answer.total <= 0) {
      return {
        zh: `第 ${n} 项请填写${rule.of}总数（大于 0；没有${rule.of}时选“不适用”）`,
        en: `item ${n}: enter the number of ${rule.of} (above 0; choose N/A when there are none)`,
      };
    }
    if (answer.count > answer.total) {
      return {
        zh: `第 ${n} 项${rule.counted}数（${answer.count}）不能多于${rule.of}总数（${answer.total}）`,
        en: `item ${n}: ${rule.counted} (${answer.count}) cannot exceed ${rule.of} (${answer.total})`,
      };
    }
  }
  return null;
}

/**
 * The result a count rule leaves standing: a shortfall is 不符合 whatever was ticked; a met count
 * keeps the inspector's judgement, because an item may ask more than the count
 * ("不少于5处且无破损": five ads, one broken, is still a failure). Not applicable stays.
 */
export function quantityResult(rule: QuantityRule, answer: QuantityAnswer): TItemResult {
  if (answer.result === 'na') return 'na';
  return quantityMet(rule, answer.count, answer.total) === false ? 'fail' : answer.result;
}

/** The result the phone proposes as soon as the numbers are entered (null: not yet decidable). */
export function proposedResult(
  rule: QuantityRule,
  count: number | null | undefined,
  total?: number | null,
): TItemResult | null {
  const met = quantityMet(rule, count, total);
  return met === null ? null : met ? 'pass' : 'fail';
}
