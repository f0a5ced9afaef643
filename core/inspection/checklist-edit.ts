import type { ChecklistItem } from './score.js';

/** How a point type is in use when its checklist is edited. */
export interface ChecklistUse {
  /** Some visit (any version) answered this checklist: its answers point at item positions. */
  visited: boolean;
  /** Some drawn point of this type still awaits its visit: a phone may hold the checklist offline. */
  inField: boolean;
}

export interface ChecklistEditRefusal {
  status: 409;
  code: 'checklist_in_use';
  message: { zh: string; en: string };
}

/**
 * Why a checklist edit would corrupt stored visits, or null when it is safe. Visits store answers
 * by item position, so once a type has visits its items can be reworded, re-linked or re-flagged
 * but never removed (or moved); new items may be appended, except while a drawn point of the
 * type is unvisited, because a phone may submit against the shorter list it keeps offline.
 */
export function checklistEditProblem(
  before: readonly ChecklistItem[],
  after: readonly ChecklistItem[],
  use: ChecklistUse,
): ChecklistEditRefusal | null {
  if (!use.visited) return null;
  if (after.length < before.length) {
    return {
      status: 409,
      code: 'checklist_in_use',
      message: {
        zh: `该类型已有检查记录，不能删除检查项（原有 ${before.length} 项，提交了 ${after.length} 项）；可修改文字或在末尾追加`,
        en: `this type has visits: items cannot be removed (it has ${before.length}, got ${after.length}); reword them or append new ones`,
      },
    };
  }
  if (after.length > before.length && use.inField) {
    return {
      status: 409,
      code: 'checklist_in_use',
      message: {
        zh: '该类型有已抽中但尚未检查的点位，测评员手机上可能保存着当前清单，暂不能追加检查项',
        en: 'drawn points of this type are still awaiting visits (phones may hold the current checklist offline): items cannot be appended now',
      },
    };
  }
  return null;
}

/** Standard codes linked from a checklist, each once, in first-use order. */
export function linkedStandardCodes(checklist: readonly ChecklistItem[]): string[] {
  return [...new Set(checklist.flatMap((i) => i.standards ?? []))];
}
