import { describe, expect, it } from 'vitest';
import { scoredAnswers, severeProblem, visitAnswersProblem } from './answer-check.js';
import { tallyVisit, visitResult, type ChecklistItem } from './score.js';

// A 主次干道 checklist as the demo has it: the ad count rule of BRIEF §2.2 (walk 300 m, ≥ 5),
// a serious item, a severe-capable one (合格 / 不合格 / 严重不合格, BRIEF §2.3) and a plain one.
const street: ChecklistItem[] = [
  {
    text: '沿途可见固定式公益广告不少于5处且无破损',
    countRule: '步行300米',
    quantity: { kind: 'count', min: 5, unit: '处' },
  },
  { text: '无活禽违规宰杀', serious: true },
  { text: '无露天垃圾堆放', severeCapable: true },
  { text: '无乱张贴' },
];
const photo = ['7f1c0b1e-0000-4000-8000-000000000001'];

describe('visit answers: count rules and severe failures', () => {
  it('scores a count rule from the count entered (BRIEF §2.2)', () => {
    const answers = scoredAnswers(street, [
      { index: 0, result: 'pass' as const, count: 3 },
      { index: 1, result: 'pass' as const },
      { index: 2, result: 'pass' as const },
      { index: 3, result: 'pass' as const },
    ]);
    expect(answers[0]).toEqual({ index: 0, result: 'fail', count: 3 });
    expect(tallyVisit(street, answers)).toMatchObject({ passed: 3, failed: 1, score: 0.75 });
    const enough = scoredAnswers(street, [{ index: 0, result: 'pass' as const, count: 5 }]);
    expect(enough[0]!.result).toBe('pass');
  });

  it('refuses an answer without the count the rule needs', () => {
    const p = visitAnswersProblem(street, [
      { index: 0, result: 'pass' },
      { index: 1, result: 'pass' },
      { index: 2, result: 'pass' },
      { index: 3, result: 'pass' },
    ]);
    expect(p?.zh).toContain('第 1 项');
    expect(p?.zh).toContain('不少于5处');
  });

  it('a severe failure needs a photo of it: a serious item, or a severe mark', () => {
    const base = [
      { index: 0, result: 'pass' as const, count: 6 },
      { index: 1, result: 'pass' as const },
      { index: 2, result: 'pass' as const },
      { index: 3, result: 'fail' as const },
    ];
    // a plain failure needs no photo
    expect(visitAnswersProblem(street, base)).toBeNull();
    const serious = base.map((a) => (a.index === 1 ? { ...a, result: 'fail' as const } : a));
    expect(visitAnswersProblem(street, serious)?.en).toBe(
      'item 2 is a severe failure (严重不合格): attach a photo of it',
    );
    expect(
      visitAnswersProblem(
        street,
        serious.map((a) => (a.index === 1 ? { ...a, photoIds: photo } : a)),
      ),
    ).toBeNull();
    const marked = base.map((a) =>
      a.index === 2 ? { ...a, result: 'fail' as const, severe: true } : a,
    );
    expect(visitAnswersProblem(street, marked)?.zh).toBe(
      '第 3 项“无露天垃圾堆放”为严重不合格，须附现场照片',
    );
    const withPhoto = marked.map((a) => (a.index === 2 ? { ...a, photoIds: photo } : a));
    expect(visitAnswersProblem(street, withPhoto)).toBeNull();
    const t = tallyVisit(street, scoredAnswers(street, withPhoto));
    expect(t.seriousFailed).toBe(1);
    expect(visitResult(t)).toBe('serious');
  });

  it('a severe mark counts only on a failure of an item that allows it; elsewhere it is dropped', () => {
    const answers = scoredAnswers(street, [
      { index: 0, result: 'pass' as const, count: 5 },
      { index: 1, result: 'pass' as const },
      { index: 2, result: 'pass' as const, severe: true },
      { index: 3, result: 'fail' as const, severe: true },
    ]);
    expect(answers[2]).toEqual({ index: 2, result: 'pass' });
    expect(answers[3]).toEqual({ index: 3, result: 'fail' });
    expect(tallyVisit(street, answers).seriousFailed).toBe(0);
    expect(severeProblem(street, answers)).toBeNull();
  });

  it('a count shortfall on a serious item is a severe failure and needs its photo', () => {
    const strict: ChecklistItem[] = [{ ...street[0]!, serious: true }];
    expect(visitAnswersProblem(strict, [{ index: 0, result: 'pass', count: 2 }])?.zh).toContain(
      '须附现场照片',
    );
  });
});
