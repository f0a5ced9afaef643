import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeCounted,
  describeQuantity,
  proposedResult,
  quantityAnswerProblem,
  quantityMet,
  quantityResult,
  type QuantityRule,
} from './quantity.js';

// BRIEF §2.2 "measurable route and quantity rules": 主干道 walk 300 m and see 5 ads; 商业大街 /
// 次干道 100 m → 5; schools ≥ 5 ads; 背街小巷 装灯率 100 %, 亮灯率 95 %.
const fiveAds: QuantityRule = { kind: 'count', min: 5, unit: '处' };
const lit: QuantityRule = { kind: 'ratio', minPercent: 95, counted: '亮灯', of: '路灯' };
const installed: QuantityRule = { kind: 'ratio', minPercent: 100, counted: '已装灯', of: '应装灯' };

describe('count rules (BRIEF §2.2)', () => {
  it('主干道: 5 公益广告 along 300 m pass, 4 fail', () => {
    expect(quantityMet(fiveAds, 5)).toBe(true);
    expect(quantityMet(fiveAds, 12)).toBe(true);
    expect(quantityMet(fiveAds, 4)).toBe(false);
    expect(quantityMet(fiveAds, 0)).toBe(false);
    expect(quantityMet(fiveAds, null)).toBeNull();
  });

  it('背街小巷 亮灯率 ≥ 95 %: 19 of 20 lit is exactly enough, 18 of 20 is not', () => {
    expect(quantityMet(lit, 19, 20)).toBe(true);
    expect(quantityMet(lit, 18, 20)).toBe(false);
    expect(quantityMet(lit, 95, 100)).toBe(true);
    expect(quantityMet(lit, 94, 100)).toBe(false);
    // 装灯率 100 %: one lamp missing fails
    expect(quantityMet(installed, 40, 40)).toBe(true);
    expect(quantityMet(installed, 39, 40)).toBe(false);
  });

  it('a ratio needs a total above 0 and a count within it', () => {
    expect(quantityMet(lit, 3, null)).toBeNull();
    expect(quantityMet(lit, 0, 0)).toBeNull();
    expect(quantityMet(lit, 21, 20)).toBeNull();
  });

  it('a ratio is met exactly when count / total ≥ minPercent / 100 (no rounding slips)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.nat(),
        (minPercent, total, k) => {
          const count = k % (total + 1);
          const rule: QuantityRule = { kind: 'ratio', minPercent, counted: 'a', of: 'b' };
          expect(quantityMet(rule, count, total)).toBe(count * 100 >= minPercent * total);
        },
      ),
    );
  });

  it('a shortfall fails the item whatever was ticked; a met count keeps the judgement', () => {
    expect(quantityResult(fiveAds, { index: 0, result: 'pass', count: 3 })).toBe('fail');
    expect(quantityResult(fiveAds, { index: 0, result: 'pass', count: 5 })).toBe('pass');
    // "不少于5处且无破损": five ads, one broken, is a failure the count cannot overrule
    expect(quantityResult(fiveAds, { index: 0, result: 'fail', count: 6 })).toBe('fail');
    expect(quantityResult(fiveAds, { index: 0, result: 'na', count: null })).toBe('na');
    expect(quantityResult(lit, { index: 0, result: 'pass', count: 18, total: 20 })).toBe('fail');
  });

  it('the phone proposes the result from the numbers as they are entered', () => {
    expect(proposedResult(fiveAds, 6)).toBe('pass');
    expect(proposedResult(fiveAds, 2)).toBe('fail');
    expect(proposedResult(lit, 19, null)).toBeNull();
    expect(proposedResult(lit, 19, 20)).toBe('pass');
  });

  it('asks for the numbers unless the item does not apply', () => {
    expect(quantityAnswerProblem(fiveAds, { index: 0, result: 'pass' }, '公益广告')?.zh).toContain(
      '请填写实际计数',
    );
    expect(quantityAnswerProblem(fiveAds, { index: 0, result: 'na' }, '公益广告')).toBeNull();
    expect(quantityAnswerProblem(fiveAds, { index: 2, result: 'fail', count: 1 }, 'x')).toBeNull();
    expect(
      quantityAnswerProblem(lit, { index: 1, result: 'pass', count: 5 }, '路灯完好')?.en,
    ).toContain('number of 路灯');
    expect(
      quantityAnswerProblem(lit, { index: 1, result: 'pass', count: 5, total: 4 }, '路灯完好')?.zh,
    ).toContain('不能多于');
  });

  it('says the rule and the numbers in words', () => {
    expect(describeQuantity(fiveAds).zh).toBe('不少于5处');
    expect(describeQuantity(lit).zh).toBe('亮灯/路灯不低于95%');
    expect(describeCounted(fiveAds, 3)).toBe('3处');
    expect(describeCounted(lit, 19, 20)).toBe('19/20（95%）');
    expect(describeCounted(lit, 2, 3)).toBe('2/3（66.6%）');
    expect(describeCounted(fiveAds, null)).toBeNull();
  });
});
