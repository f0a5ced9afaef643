import { describe, expect, it } from 'vitest';
import { checklistEditProblem, linkedStandardCodes } from './checklist-edit.js';

const items = (...texts: string[]) => texts.map((text) => ({ text }));

describe('checklistEditProblem', () => {
  it('allows any edit of a type nobody has visited', () => {
    expect(
      checklistEditProblem(items('a', 'b', 'c'), items('x'), { visited: false, inField: true }),
    ).toBeNull();
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
        [{ text: 'a2', standards: ['I4.1.2'], serious: true }, { text: 'b' }],
        { visited: true, inField: true },
      ),
    ).toBeNull();
  });

  it('allows appending to a visited type only when no drawn point awaits its visit', () => {
    expect(
      checklistEditProblem(items('a'), items('a', 'b'), { visited: true, inField: false }),
    ).toBeNull();
    const r = checklistEditProblem(items('a'), items('a', 'b'), { visited: true, inField: true });
    expect(r?.code).toBe('checklist_in_use');
    expect(r?.message.en).toContain('appended');
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
