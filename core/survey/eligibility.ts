/**
 * 调查对象条件: whether a respondent counts for a respondent group, by the group's own rule (age
 * range, and months of local residence where the group has that requirement). Pure.
 */
import { ELIGIBILITY_PRESETS, type EligibilityPreset } from './respondent-groups.data.js';

/** A respondent group's rule; `minResidentMonths` null = residence does not apply (not asked). */
export interface EligibilityRule {
  minAge: number;
  maxAge: number;
  minResidentMonths: number | null;
}

/** What is asked of a respondent; residence may be missing where the group does not ask it. */
export interface Respondent {
  age: number;
  residentMonths?: number | null | undefined;
}

type Message = { zh: string; en: string };

/** The preset of a kind (resident, student). */
export function preset(key: EligibilityPreset['key']): EligibilityRule {
  const p = ELIGIBILITY_PRESETS.find((x) => x.key === key)!;
  return { minAge: p.minAge, maxAge: p.maxAge, minResidentMonths: p.minResidentMonths };
}

/** The rule a questionnaire gets when none is given: the residents' (BRIEF §3). */
export const DEFAULT_ELIGIBILITY: EligibilityRule = preset('resident');

/** Why a respondent does not count for the rule (empty: they count). */
export function ineligibleReasons(rule: EligibilityRule, r: Respondent): Message[] {
  const out: Message[] = [];
  if (r.age < rule.minAge || r.age > rule.maxAge) {
    out.push({
      zh: `年龄不在${rule.minAge}—${rule.maxAge}周岁`,
      en: `age outside ${rule.minAge}–${rule.maxAge}`,
    });
  }
  if (rule.minResidentMonths !== null) {
    const m = r.residentMonths;
    if (m === null || m === undefined || m < rule.minResidentMonths) {
      out.push({
        zh: `本地居住不满${rule.minResidentMonths}个月`,
        en: `resident less than ${rule.minResidentMonths} months`,
      });
    }
  }
  return out;
}

/** Whether the respondent counts for the group's rule. */
export function isEligible(rule: EligibilityRule, r: Respondent): boolean {
  return ineligibleReasons(rule, r).length === 0;
}

/** The rule in words, e.g. "18—65周岁，本地居住满6个月" / "6—18周岁，不限居住时间". */
export function describeRule(rule: EligibilityRule): Message {
  return rule.minResidentMonths === null
    ? {
        zh: `${rule.minAge}—${rule.maxAge}周岁，不限居住时间`,
        en: `aged ${rule.minAge}–${rule.maxAge}, any residence`,
      }
    : {
        zh: `${rule.minAge}—${rule.maxAge}周岁，本地居住满${rule.minResidentMonths}个月`,
        en: `aged ${rule.minAge}–${rule.maxAge}, resident ≥ ${rule.minResidentMonths} months`,
      };
}

/** What is wrong with a rule the office wrote (empty: it is usable). */
export function ruleProblems(rule: EligibilityRule): { path: string; message: Message }[] {
  return rule.minAge > rule.maxAge
    ? [
        {
          path: 'eligibility.maxAge',
          message: { zh: '最高年龄不能低于最低年龄', en: 'the maximum age is below the minimum' },
        },
      ]
    : [];
}
