import type { TItemResult } from './score.js';

export interface AnswerLike {
  index: number;
  result: TItemResult;
  note?: string | null;
  count?: number | null;
}

export interface AnswerChange {
  index: number;
  /** null: the item had no answer in the earlier version (appended to the checklist later). */
  from: TItemResult | null;
  to: TItemResult;
  noteChanged: boolean;
  countChanged: boolean;
}

/** What a correction changed, item by item (answers compared by item index), in item order. */
export function answerChanges(
  before: readonly AnswerLike[],
  after: readonly AnswerLike[],
): AnswerChange[] {
  const old = new Map(before.map((a) => [a.index, a]));
  return [...after]
    .sort((a, b) => a.index - b.index)
    .flatMap((a) => {
      const b = old.get(a.index);
      const change = {
        index: a.index,
        from: b?.result ?? null,
        to: a.result,
        noteChanged: (b?.note ?? null) !== (a.note ?? null),
        countChanged: (b?.count ?? null) !== (a.count ?? null),
      };
      return change.from !== change.to || change.noteChanged || change.countChanged ? [change] : [];
    });
}
