import type { ChecklistItem } from './score.js';

/** How a point type is in use when its checklist is edited. */
export interface ChecklistUse {
  /** Some visit (any version) answered this checklist: its answers point at item positions. */
  visited: boolean;
  /** Some drawn point of this type still awaits its visit: a phone may hold the checklist offline. */
  inField: boolean;
  /**
   * The type allows 随机查看 and a round is under way: every inspector's phone holds its checklist
   * offline, to add a place with it.
   */
  randomInField?: boolean;
}

export interface ChecklistEditRefusal {
  status: 409;
  code: 'checklist_in_use';
  message: { zh: string; en: string };
}

/**
 * An edit that would make a phone's offline answers to this item unacceptable: a count rule put
 * on an item that had none (or of another kind: a ratio needs a total), or the item made serious
 * (a severe failure needs a photo).
 */
function stricterItem(before: ChecklistItem, after: ChecklistItem): boolean {
  const q0 = before.quantity ?? null;
  const q1 = after.quantity ?? null;
  if (q1 && (!q0 || q0.kind !== q1.kind)) return true;
  return !before.serious && Boolean(after.serious);
}

/**
 * Why a checklist edit would corrupt stored visits or refuse visits queued on phones, or null
 * when it is safe. Visits store answers by item position, so once a type has visits its items can
 * be reworded, re-linked or re-flagged but never removed (or moved). While phones may hold the
 * checklist offline — a drawn point of the type is unvisited, or the type may be added (随机查看)
 * in a round under way — the list neither grows nor shrinks and no item gets stricter, because a
 * queued visit answered on the list as it was would otherwise be refused.
 */
export function checklistEditProblem(
  before: readonly ChecklistItem[],
  after: readonly ChecklistItem[],
  use: ChecklistUse,
): ChecklistEditRefusal | null {
  const refuse = (zh: string, en: string): ChecklistEditRefusal => ({
    status: 409,
    code: 'checklist_in_use',
    message: { zh, en },
  });
  if (use.visited && after.length < before.length) {
    return refuse(
      `该类型已有检查记录，不能删除检查项（原有 ${before.length} 项，提交了 ${after.length} 项）；可修改文字或在末尾追加`,
      `this type has visits: items cannot be removed (it has ${before.length}, got ${after.length}); reword them or append new ones`,
    );
  }
  const changed =
    after.length !== before.length ||
    before.some((b, i) => after[i] !== undefined && stricterItem(b, after[i]));
  if (!changed) return null;
  if (use.inField) {
    return refuse(
      '该类型有已抽中但尚未检查的点位，测评员手机上可能保存着当前清单，暂不能增删检查项或新设计数规则、严重项',
      'drawn points of this type are still awaiting visits (phones may hold the current checklist offline): items cannot be added or removed, nor given a new count rule or made serious, now',
    );
  }
  if (use.randomInField) {
    return refuse(
      '该类型允许随机查看，且有进行中的测评轮次，测评员手机上保存着当前清单，暂不能增删检查项或新设计数规则、严重项，待轮次结束后再改',
      'this type allows added places (随机查看) and a round is under way, so phones hold the current checklist offline: items cannot be added or removed, nor given a new count rule or made serious, now',
    );
  }
  return null;
}

/** Standard codes linked from a checklist, each once, in first-use order. */
export function linkedStandardCodes(checklist: readonly ChecklistItem[]): string[] {
  return [...new Set(checklist.flatMap((i) => i.standards ?? []))];
}
