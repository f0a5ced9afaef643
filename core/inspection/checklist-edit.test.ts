import { describe, expect, it } from 'vitest';
import { checklistEditProblem, linkedStandardCodes } from './checklist-edit.js';

const items = (...texts: string[]) => texts.map((text) => ({ text }));

describe('checklistEditProblem', () => {
  it('allows any edit of a type nobody has visited and no phone holds', () => {
    expect(
      checklistEditProblem(items('a', 'b', 'c'), items('x'), { visited: false, inField: false }),
    ).toBeNull();
  });

  it('keeps the length of a list phones hold offline, visited or not', () => {
    const r = checklistEditProblem(items('a', 'b', 'c'), items('x'), {
      visited: false,
      inField: true,
    });
    expect(r?.code).toBe('checklist_in_use');
  });

  it('refuses removing items once visits exist', () => {
    const r = checklistEditProblem(items('a', 'b'), items('a'), { visited: true, inField: false });
    expect(r?.status).toBe(409);
    expect(r?.message.en).toContain('cannot be removed');
    expect(r?.message.zh).toContain('不能删除');
  });

  it('allows rewording and re-linking items of a visited type', () => {
    expect(
      checklistEditProblem(
        items('a', 'b'),
        [{ text: 'a2', standards: ['I4.1.2'], severeCapable: true }, { text: 'b' }],
        { visited: true, inField: true },
      ),
    ).toBeNull();
    expect(
      checklistEditProblem(items('a', 'b'), [{ text: 'a', serious: true }, { text: 'b' }], {
        visited: true,
        inField: false,
      }),
    ).toBeNull();
  });

  it('makes no item stricter while phones hold the list: a new count rule, serious', () => {
    const ads = { text: '公益广告不少于5处' };
    const rule = { kind: 'count' as const, min: 5, unit: '处' };
    const inField = { visited: true, inField: true };
    expect(checklistEditProblem([ads], [{ ...ads, quantity: rule }], inField)?.status).toBe(409);
    expect(checklistEditProblem([ads], [{ ...ads, serious: true }], inField)?.status).toBe(409);
    // a changed minimum still asks the same number
    expect(
      checklistEditProblem(
        [{ ...ads, quantity: rule }],
        [{ ...ads, quantity: { ...rule, min: 6 } }],
        inField,
      ),
    ).toBeNull();
    const ratio = { kind: 'ratio' as const, minPercent: 95, counted: '亮灯', of: '路灯' };
    expect(
      checklistEditProblem([{ ...ads, quantity: rule }], [{ ...ads, quantity: ratio }], inField)
        ?.status,
    ).toBe(409);
  });

  it('a 随机查看 type is held by phones while any round is under way (seed 001)', () => {
    const r = checklistEditProblem(items('a'), items('a', 'b'), {
      visited: false,
      inField: false,
      randomInField: true,
    });
    expect(r?.message.zh).toContain('随机查看');
    expect(
      checklistEditProblem(items('a'), items('a2'), {
        visited: true,
        inField: false,
        randomInField: true,
      }),
    ).toBeNull();
  });

  it('allows appending to a visited type only when no drawn point awaits its visit', () => {
    expect(
      checklistEditProblem(items('a'), items('a', 'b'), { visited: true, inField: false }),
    ).toBeNull();
    const r = checklistEditProblem(items('a'), items('a', 'b'), { visited: true, inField: true });
    expect(r?.code).toBe('checklist_in_use');
    expect(r?.message.en).toContain('awaiting');
  });
});

describe('linkedStandardCodes', () => {
  it('lists each linked code once in first-use order', () => {
    expect(
      linkedStandardCodes([
        { text: 'a', standards: ['I6.1.1', 'I4.1.2'] },
        { text: 'b' },
        { text: 'c', standards: ['I4.1.2', 'I1.2.1'] },
      ]),
    ).toEqual(['I6.1.1', 'I4.1.2', 'I1.2.1']);
  });
});
