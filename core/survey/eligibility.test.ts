import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ELIGIBILITY,
  describeRule,
  ineligibleReasons,
  isEligible,
  preset,
  ruleProblems,
} from './eligibility.js';
import { ELIGIBILITY_PRESETS } from './respondent-groups.data.js';

const residents = preset('resident');
const pupils = preset('student');

describe('eligibility per respondent group', () => {
  it('residents: 本地居住半年以上、18–65 周岁 (BRIEF §3)', () => {
    expect(residents).toEqual({ minAge: 18, maxAge: 65, minResidentMonths: 6 });
    expect(DEFAULT_ELIGIBILITY).toEqual(residents);
    expect(isEligible(residents, { age: 18, residentMonths: 6 })).toBe(true);
    expect(isEligible(residents, { age: 65, residentMonths: 600 })).toBe(true);
    expect(isEligible(residents, { age: 17, residentMonths: 60 })).toBe(false);
    expect(isEligible(residents, { age: 66, residentMonths: 60 })).toBe(false);
    expect(isEligible(residents, { age: 30, residentMonths: 5 })).toBe(false);
    // The group asks for residence: not saying how long is not counting.
    expect(isEligible(residents, { age: 30 })).toBe(false);
    expect(isEligible(residents, { age: 30, residentMonths: null })).toBe(false);
  });

  it('pupils of the minors’ test (未成年人思想道德建设测评, BRIEF §1.1): a 12-year-old counts, residence is not asked', () => {
    expect(pupils.minResidentMonths).toBeNull();
    expect(isEligible(pupils, { age: 12 })).toBe(true);
    expect(isEligible(pupils, { age: 12, residentMonths: 1 })).toBe(true);
    expect(isEligible(pupils, { age: 19 })).toBe(false);
    expect(isEligible(pupils, { age: 5 })).toBe(false);
    // The same child is not a respondent of the residents' questionnaire.
    expect(isEligible(residents, { age: 12, residentMonths: 144 })).toBe(false);
  });

  it('says why someone does not count, in both languages', () => {
    const why = ineligibleReasons(residents, { age: 70, residentMonths: 2 });
    expect(why.map((m) => m.zh)).toEqual(['年龄不在18—65周岁', '本地居住不满6个月']);
    expect(why.map((m) => m.en)).toEqual(['age outside 18–65', 'resident less than 6 months']);
    expect(ineligibleReasons(pupils, { age: 12 })).toEqual([]);
  });

  it('describes a rule and refuses an upside-down age range', () => {
    expect(describeRule(residents).zh).toBe('18—65周岁，本地居住满6个月');
    expect(describeRule(pupils).zh).toBe('6—18周岁，不限居住时间');
    expect(ruleProblems({ minAge: 20, maxAge: 10, minResidentMonths: null })[0]!.path).toBe(
      'eligibility.maxAge',
    );
    for (const p of ELIGIBILITY_PRESETS) expect(ruleProblems(p)).toEqual([]);
  });

  it('counts exactly the ages in range and the residence at or over the minimum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.option(fc.integer({ min: 0, max: 60 })),
        fc.integer({ min: 0, max: 120 }),
        fc.option(fc.integer({ min: 0, max: 1200 })),
        (a, b, months, age, resident) => {
          const rule = {
            minAge: Math.min(a, b),
            maxAge: Math.max(a, b),
            minResidentMonths: months,
          };
          const inAge = age >= rule.minAge && age <= rule.maxAge;
          const inResidence = months === null || (resident !== null && resident >= months);
          expect(isEligible(rule, { age, residentMonths: resident })).toBe(inAge && inResidence);
        },
      ),
    );
  });
});
