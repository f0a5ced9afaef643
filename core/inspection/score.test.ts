import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  answersProblem,
  categoryCodeFor,
  standardPassRates,
  tallyVisit,
  visitResult,
  type ChecklistItem,
  type TItemResult,
} from './score.js';

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

describe('roll-up onto framework standards', () => {
  const street: ChecklistItem[] = [
    { text: '公益广告', standards: ['I1.2.1'] },
    { text: '无占道经营', standards: ['I4.1.1'] },
    { text: '车辆规范停放', standards: ['I4.1.2'] },
    { text: '无乱张贴', standards: ['I4.1.3', 'I4.1.1'] },
    { text: '无链接的项' },
  ];
  const answers = (...r: TItemResult[]) => r.map((result, index) => ({ index, result }));

  it('averages per-visit pass rates, each visit counted once per standard', () => {
    const rates = standardPassRates([
      // I4.1.1: items 1 and 3 → 1 of 2 pass → 0.5
      { checklist: street, answers: answers('pass', 'pass', 'fail', 'fail', 'fail') },
      // I4.1.1: 2 of 2 pass → 1
      { checklist: street, answers: answers('fail', 'pass', 'na', 'pass', 'pass') },
    ]);
    const by = Object.fromEntries(rates.map((r) => [r.code, r]));
    expect(by['I4.1.1']).toEqual({ code: 'I4.1.1', visits: 2, passed: 3, failed: 1, share: 0.75 });
    expect(by['I1.2.1']!.share).toBe(0.5);
    // not applicable on the second visit: only the first observed it
    expect(by['I4.1.2']).toEqual({ code: 'I4.1.2', visits: 1, passed: 0, failed: 1, share: 0 });
    expect(by['I4.1.3']!.visits).toBe(2);
    expect(rates.map((r) => r.code)).toEqual(['I1.2.1', 'I4.1.1', 'I4.1.2', 'I4.1.3']);
  });

  it('a share stays within 0..1 and turning a fail into a pass never lowers it', () => {
    const item = fc.record({
      text: fc.constant('x'),
      standards: fc.subarray(['A', 'B', 'C'], { minLength: 0 }),
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.tuple(item, fc.constantFrom<TItemResult>('pass', 'fail', 'na')), {
            minLength: 1,
            maxLength: 6,
          }),
          { minLength: 1, maxLength: 5 },
        ),
        fc.nat(),
        (visitsRaw, pick) => {
          const visits = visitsRaw.map((v) => ({
            checklist: v.map(([i]) => i),
            answers: v.map(([, result], index) => ({ index, result })),
          }));
          const before = standardPassRates(visits);
          for (const r of before) expect(r.share! >= 0 && r.share! <= 1).toBe(true);
          const fails = visits.flatMap((v, vi) =>
            v.answers.filter((a) => a.result === 'fail').map((a) => [vi, a.index] as const),
          );
          if (!fails.length) return;
          const [vi, ai] = fails[pick % fails.length]!;
          const fixed = visits.map((v, i) =>
            i !== vi
              ? v
              : {
                  ...v,
                  answers: v.answers.map((a) =>
                    a.index === ai ? { ...a, result: 'pass' as const } : a,
                  ),
                },
          );
          const after = Object.fromEntries(standardPassRates(fixed).map((r) => [r.code, r.share]));
          for (const r of before) expect(after[r.code]!).toBeGreaterThanOrEqual(r.share!);
        },
      ),
    );
  });
});
