import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answersProblem, categoryCodeFor, tallyVisit, visitResult } from './score.js';

const checklist = [
  { text: '地面无垃圾', serious: true },
  { text: '公益广告不少于5处' },
  { text: '无占道经营' },
];

describe('inspection scoring', () => {
  it('scores passed / (passed + failed) and ignores not-applicable items', () => {
    const t = tallyVisit(checklist, [
      { index: 0, result: 'fail' },
      { index: 1, result: 'pass' },
      { index: 2, result: 'na' },
    ]);
    expect(t).toEqual({ passed: 1, failed: 1, notApplicable: 1, seriousFailed: 1, score: 0.5 });
    expect(visitResult(t)).toBe('serious');
    expect(tallyVisit(checklist, [{ index: 2, result: 'na' }]).score).toBeNull();
  });

  it('a score is always within [0, 1] and counts add up', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('pass', 'fail', 'na' as const), { maxLength: 50 }),
        (rs) => {
          const t = tallyVisit(
            [],
            rs.map((result, index) => ({ index, result })),
          );
          expect(t.passed + t.failed + t.notApplicable).toBe(rs.length);
          if (t.score !== null) expect(t.score).toBeGreaterThanOrEqual(0);
          if (t.score !== null) expect(t.score).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('requires exactly one answer per checklist item', () => {
    expect(
      answersProblem(checklist, [
        { index: 0, result: 'pass' },
        { index: 1, result: 'pass' },
      ])?.en,
    ).toBe('item 3 has no answer');
    expect(
      answersProblem(checklist, [
        { index: 0, result: 'pass' },
        { index: 0, result: 'fail' },
        { index: 2, result: 'pass' },
      ])?.en,
    ).toBe('item 1 is answered twice');
    expect(answersProblem(checklist, [{ index: 5, result: 'pass' }])?.en).toContain('not on');
  });

  it('maps an item to a problem category, else 待分类', () => {
    expect(categoryCodeFor('无占道经营和乱堆乱放')).toBe('ZX01');
    expect(categoryCodeFor('果皮箱完好、不满溢')).toBe('HJ04');
    expect(categoryCodeFor('前台实名登记上网')).toBe('QT01');
  });
});
