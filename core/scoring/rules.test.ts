import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCombinedShares,
  checkFrameworkRules,
  checkSurveyCurve,
  curveShare,
  DEFAULT_SURVEY_CURVE,
  effectiveRules,
  presetWeights,
  readSurveyFloor,
  type TCampaignRules,
} from './rules.js';

const CAMPAIGN: TCampaignRules = {
  cycleYears: 3,
  cycleWeights: [15, 25, 60],
  methodWeights: { material: 40, field: 40, survey: 20 },
  surveyFloor: { enabled: true, minRate: 80, effect: 'veto', points: 0 },
  surveyCurve: DEFAULT_SURVEY_CURVE,
  cyclePreset: 'prefecture',
  applicationDate: null,
};

describe('survey curves', () => {
  it('grades A > 75 %, B > 70 %, C ≤ 70 %, C# ≤ 50 % (BRIEF §1.1, 公众对城市环保满意率)', () => {
    const g = (rate: number) => curveShare(DEFAULT_SURVEY_CURVE, rate);
    expect(g(0.9)).toEqual({ share: 1, grade: 'A' });
    expect(g(0.751)).toEqual({ share: 1, grade: 'A' });
    // "A > 75 %": exactly 75 % is not A.
    expect(g(0.75)).toEqual({ share: 0.75, grade: 'B' });
    expect(g(3 / 4)).toEqual({ share: 0.75, grade: 'B' });
    expect(g(0.71)).toEqual({ share: 0.75, grade: 'B' });
    expect(g(0.7)).toEqual({ share: 0.5, grade: 'C' });
    expect(g(0.51)).toEqual({ share: 0.5, grade: 'C' });
    expect(g(0.5)).toEqual({ share: 0, grade: 'C#' });
    expect(g(0)).toEqual({ share: 0, grade: 'C#' });
  });

  it('linear: nothing at or under the floor, all at or over the target, straight between', () => {
    const c = { kind: 'linear' as const, floor: 60, target: 90 };
    expect(curveShare(c, 0.6).share).toBe(0);
    expect(curveShare(c, 0.75).share).toBeCloseTo(0.5, 10);
    expect(curveShare(c, 0.95).share).toBe(1);
    expect(curveShare({ kind: 'rate' }, 0.83).share).toBe(0.83);
  });

  it('property: every curve is monotone in the rate and stays in [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(
          DEFAULT_SURVEY_CURVE,
          { kind: 'linear' as const, floor: 50, target: 85 },
          { kind: 'rate' as const },
        ),
        (a, b, curve) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const sLo = curveShare(curve, lo).share;
          const sHi = curveShare(curve, hi).share;
          expect(sLo).toBeLessThanOrEqual(sHi);
          expect(sLo).toBeGreaterThanOrEqual(0);
          expect(sHi).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('rejects a curve an office could not mean', () => {
    expect(checkSurveyCurve(DEFAULT_SURVEY_CURVE)).toEqual([]);
    expect(checkSurveyCurve({ kind: 'linear', floor: 80, target: 80 })[0]?.en).toContain('above');
    expect(
      checkSurveyCurve({ kind: 'bands', bands: [{ grade: 'A', above: 75, share: 100 }] })[0]?.en,
    ).toContain('catch-all');
    expect(
      checkSurveyCurve({
        kind: 'bands',
        bands: [
          { grade: 'A', above: 75, share: 80 },
          { grade: 'B', above: 70, share: 90 },
          { grade: 'C', above: null, share: 0 },
        ],
      })[0]?.zh,
    ).toContain('不应高于');
  });
});

describe('the survey floor as stored', () => {
  it("reads the earlier 'cap' and 'flag_and_cap' as a veto (seeds: 不达标直接否决)", () => {
    expect(readSurveyFloor({ enabled: true, minRate: 80, effect: 'flag_and_cap' })).toEqual({
      enabled: true,
      minRate: 80,
      effect: 'veto',
      points: 0,
    });
    expect(
      readSurveyFloor({ enabled: true, minRate: 85, effect: 'deduct', points: 2 }).points,
    ).toBe(2);
  });
});

describe('cycle presets by city class', () => {
  it('地级以上 15/25/60 (BRIEF §1.3); 县级 only the final year counts (seed 001)', () => {
    expect(presetWeights('prefecture', 3)).toEqual([15, 25, 60]);
    expect(presetWeights('municipal_district', 3)).toEqual([15, 25, 60]);
    expect(presetWeights('county', 3)).toEqual([0, 0, 100]);
    expect(presetWeights('county', 1)).toEqual([100]);
    expect(presetWeights('prefecture', 2)).toBeNull();
    expect(presetWeights('custom', 3)).toBeNull();
  });
});

describe('framework rules over the campaign defaults', () => {
  it('a framework keeps what it sets and takes the rest from its campaign', () => {
    const sanitary = effectiveRules(CAMPAIGN, {
      methodWeights: { material: 30, field: 60, survey: 10 },
      surveyFloor: { enabled: false, minRate: 0, effect: 'flag', points: 0 },
    });
    expect(sanitary.methodWeights).toEqual({ material: 30, field: 60, survey: 10 });
    expect(sanitary.cycleWeights).toEqual([15, 25, 60]);
    expect(sanitary.sources).toEqual({
      methodWeights: 'framework',
      cycleWeights: 'campaign',
      surveyFloor: 'framework',
      surveyCurve: 'campaign',
    });
    expect([sanitary.share, sanitary.gate]).toEqual([null, null]);
    const minors = effectiveRules(CAMPAIGN, { share: 20, gate: 85 });
    expect([minors.share, minors.gate, minors.methodWeights.material]).toEqual([20, 85, 40]);
  });

  it('cycle weights that do not fit the cycle are not taken (and are an error on save)', () => {
    const r = effectiveRules(CAMPAIGN, { cycleWeights: [100] });
    expect([r.cycleWeights, r.sources.cycleWeights]).toEqual([[15, 25, 60], 'campaign']);
    const county = effectiveRules(CAMPAIGN, { cyclePreset: 'county', cycleWeights: [0, 0, 100] });
    expect([county.cycleWeights, county.cyclePreset]).toEqual([[0, 0, 100], 'county']);
    expect(checkFrameworkRules({ cycleWeights: [100] }, 3).map((i) => i.path[0])).toEqual([
      'cycleWeights',
    ]);
    expect(
      checkFrameworkRules({ methodWeights: { material: 40, field: 40, survey: 10 } }, 3)[0]?.zh,
    ).toContain('90%');
    expect(checkFrameworkRules({ share: 20, gate: 85 }, 3)).toEqual([]);
  });

  it('the shares of combined frameworks add up to 100 % (city 80 + minors 20, BRIEF §1.1)', () => {
    expect(
      checkCombinedShares([
        { name: '文明城市', share: 80 },
        { name: '未成年人', share: 20 },
        { name: '卫生城市', share: null },
      ]),
    ).toEqual([]);
    const [issue] = checkCombinedShares([
      { name: '文明城市', share: 80 },
      { name: '未成年人', share: 10 },
    ]);
    expect(issue?.zh).toContain('文明城市 80% + 未成年人 10% = 90%');
  });
});
