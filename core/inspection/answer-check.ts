/**
 * What a visit's answers must satisfy beyond covering the checklist (score.ts answersProblem):
 * the numbers of count rules (quantity.ts, BRIEF §2.2) and the evidence of severe failures —
 * 严重不合格 is only recorded with a photo of it (BRIEF §2.3; the surveyors' apps take photo
 * evidence per item, BRIEF §5).
 */
import { quantityAnswerProblem, quantityResult } from './quantity.js';
import { answersProblem, isSevereFailure, type ChecklistItem, type ItemAnswer } from './score.js';

type Msg = { zh: string; en: string };

/** An answer as a visit stores it. */
export interface FieldAnswer extends ItemAnswer {
  count?: number | null;
  total?: number | null;
  photoIds?: readonly string[];
}

/**
 * The answers as a visit stores them: count rules applied (a shortfall becomes 不符合,
 * quantity.ts quantityResult) and a severe mark kept only where it counts — on a failure of an
 * item that allows it. A mark elsewhere is dropped, not refused: a phone may have answered offline
 * on a checklist the office has since changed. Everything else, the numbers included, is kept.
 */
export function scoredAnswers<T extends FieldAnswer>(
  checklist: readonly ChecklistItem[],
  answers: readonly T[],
): T[] {
  return answers.map((a) => {
    const item = checklist[a.index];
    const rule = item?.quantity;
    const result = rule ? quantityResult(rule, a) : a.result;
    const severe = result === 'fail' && Boolean(a.severe) && Boolean(item?.severeCapable);
    if (result === a.result && Boolean(a.severe) === severe) return a;
    const { severe: _dropped, ...rest } = a;
    return { ...rest, result, ...(severe ? { severe: true } : {}) } as T;
  });
}

/** The first severe failure among (scored) answers that has no photo of it, as a message. */
export function severeProblem(
  checklist: readonly ChecklistItem[],
  answers: readonly FieldAnswer[],
): Msg | null {
  const bare = [...answers]
    .sort((x, y) => x.index - y.index)
    .find((a) => isSevereFailure(checklist[a.index], a) && (a.photoIds ?? []).length === 0);
  if (!bare) return null;
  return {
    zh: `第 ${bare.index + 1} 项“${checklist[bare.index]!.text}”为严重不合格，须附现场照片`,
    en: `item ${bare.index + 1} is a severe failure (严重不合格): attach a photo of it`,
  };
}

/**
 * Why a visit's answers cannot be stored, or null: one answer per item, the numbers of every
 * count rule, and a photo for every severe failure (judged after count rules are applied, so a
 * shortfall on a serious item needs its photo too).
 */
export function visitAnswersProblem(
  checklist: readonly ChecklistItem[],
  answers: readonly FieldAnswer[],
): Msg | null {
  const shape = answersProblem(checklist, answers);
  if (shape) return shape;
  for (const a of answers) {
    const item = checklist[a.index]!;
    const wrong = item.quantity ? quantityAnswerProblem(item.quantity, a, item.text) : null;
    if (wrong) return wrong;
  }
  return severeProblem(checklist, scoredAnswers(checklist, answers));
}
