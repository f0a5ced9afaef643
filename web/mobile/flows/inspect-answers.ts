import type { TItemAnswer } from '../../../core/contracts/inspections.js';
import { visitAnswersProblem } from '../../../core/inspection/answer-check.js';
import type { L } from '../../shared/i18n.js';
import type { CachedItem } from './inspect-data.js';
import type { ItemDraft } from './InspectItem.js';

/**
 * The answers a form sends: photos taken now as `"$file:<key>"`, replaced by the uploaded ids when
 * the queue sends the item (web/shared/offline-queue.ts); a correction's kept photos as they are.
 */
export function answersOf(drafts: readonly ItemDraft[]): TItemAnswer[] {
  return drafts.map((d, index) => ({
    index,
    result: d.result ?? 'na',
    note: d.note.trim() || null,
    count: d.count,
    ...(d.total !== null ? { total: d.total } : {}),
    ...(d.severe && d.result === 'fail' ? { severe: true } : {}),
    photoIds: [...d.kept, ...d.photos.map((p) => `$file:${p.key}`)],
  }));
}

/** The photos taken now, for the queue to upload before it sends the answers. */
export function photosOf(drafts: readonly ItemDraft[]) {
  return drafts.flatMap((d) => d.photos.map((p) => ({ key: p.key, blob: p.blob, name: p.name })));
}

/**
 * Why the answers cannot be sent yet, and at which item (0-based; null when no one item): an
 * item with no answer, then the server's own rules (core/inspection/answer-check.ts) — the
 * numbers of a count rule, the photo of a severe failure — in the same words the server uses.
 */
export function draftsProblem(
  checklist: readonly CachedItem[],
  drafts: readonly ItemDraft[],
): { index: number | null; message: L } | null {
  const missing = drafts.findIndex((d) => d.result === null);
  if (missing >= 0) {
    return {
      index: missing,
      message: {
        zh: `第 ${missing + 1} 项尚未填写`,
        en: `Item ${missing + 1} has no answer`,
      },
    };
  }
  const wrong = visitAnswersProblem(checklist, answersOf(drafts));
  if (!wrong) return null;
  const at = /item (\d+)/i.exec(wrong.en);
  return { index: at ? Number(at[1]) - 1 : null, message: wrong };
}
