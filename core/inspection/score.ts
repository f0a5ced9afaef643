/**
 * Scoring a field inspection (BRIEF §2.3): every checklist item is pass / fail / not applicable;
 * a point's score is passed / (passed + failed); a severe failure makes the point 严重不合格 —
 * any failure of a serious item, or a failure the inspector marks severe on an item that allows
 * it (the local apps' 合格 / 不合格 / 严重不合格, BRIEF §2.3).
 */
import type { QuantityRule } from './quantity.js';

export const ITEM_RESULTS = ['pass', 'fail', 'na'] as const;
export type TItemResult = (typeof ITEM_RESULTS)[number];

export interface ChecklistItem {
  text: string;
  /** Every failure of the item is severe (严重不合格). */
  serious?: boolean;
  /** The inspector may mark a failure of the item severe (严重不合格) or not. */
  severeCapable?: boolean;
  guidance?: string | null;
  /** How to count, the route or distance, e.g. "步行300米" (text shown to the inspector). */
  countRule?: string | null;
  /** The count the item is judged by (quantity.ts), e.g. ≥ 5 处; the inspector enters it. */
  quantity?: QuantityRule | null;
  /**
   * Codes of the framework standards this item evidences (e.g. `I4.1.2`). Codes, not node ids:
   * a standard keeps its code across framework versions, so links survive a new edition.
   */
  standards?: readonly string[];
}

export interface ItemAnswer {
  index: number;
  result: TItemResult;
  /** A failure marked 严重不合格 (items that are severe-capable). */
  severe?: boolean | null;
}

/** A failure that makes the point 严重不合格: a serious item, or one marked severe where allowed. */
export function isSevereFailure(item: ChecklistItem | undefined, answer: ItemAnswer): boolean {
  if (answer.result !== 'fail' || !item) return false;
  return Boolean(item.serious) || (Boolean(answer.severe) && Boolean(item.severeCapable));
}

export interface VisitTally {
  passed: number;
  failed: number;
  notApplicable: number;
  seriousFailed: number;
  /** passed / (passed + failed); null when nothing was applicable. */
  score: number | null;
}

/** Counts the answers of a visit against its checklist (answers must cover every item once). */
export function tallyVisit(
  checklist: readonly ChecklistItem[],
  answers: readonly ItemAnswer[],
): VisitTally {
  const t = { passed: 0, failed: 0, notApplicable: 0, seriousFailed: 0 };
  for (const a of answers) {
    if (a.result === 'pass') t.passed++;
    else if (a.result === 'na') t.notApplicable++;
    else {
      t.failed++;
      if (isSevereFailure(checklist[a.index], a)) t.seriousFailed++;
    }
  }
  const n = t.passed + t.failed;
  return { ...t, score: n === 0 ? null : t.passed / n };
}

/** Why a set of answers does not fit the checklist, or null when it does. */
export function answersProblem(
  checklist: readonly ChecklistItem[],
  answers: readonly ItemAnswer[],
): { zh: string; en: string } | null {
  const seen = new Set<number>();
  for (const a of answers) {
    if (a.index < 0 || a.index >= checklist.length) {
      return {
        zh: `检查项 ${a.index + 1} 不在清单中`,
        en: `item ${a.index + 1} is not on the checklist`,
      };
    }
    if (seen.has(a.index)) {
      return {
        zh: `检查项 ${a.index + 1} 填写了两次`,
        en: `item ${a.index + 1} is answered twice`,
      };
    }
    seen.add(a.index);
  }
  if (seen.size !== checklist.length) {
    const missing = checklist.findIndex((_, i) => !seen.has(i));
    return {
      zh: `检查项 ${missing + 1} 尚未填写`,
      en: `item ${missing + 1} has no answer`,
    };
  }
  return null;
}

export const VISIT_RESULTS = ['pass', 'fail', 'serious'] as const;
export type TVisitResult = (typeof VISIT_RESULTS)[number];

/** 合格 / 不合格 / 严重不合格 of one visit. */
export function visitResult(t: Pick<VisitTally, 'failed' | 'seriousFailed'>): TVisitResult {
  if (t.seriousFailed > 0) return 'serious';
  return t.failed > 0 ? 'fail' : 'pass';
}

/** A GPS fix further than this from the point is flagged (a street point spans ~300 m). */
export const FAR_FROM_POINT_M = 500;

/** Problem category code for a failed checklist item, by what the item is about (else 待分类). */
export function categoryCodeFor(itemText: string): string {
  const rules: [RegExp, string][] = [
    [/公益广告|宣传|核心价值观/, 'XC01'],
    [/规范|公示|亮证|明码/, 'XC04'],
    [/占道|店外/, 'ZX01'],
    [/停放|停车|非机动车/, 'ZX04'],
    [/堆放|乱堆/, 'ZX06'],
    [/乱张贴|涂写|小广告/, 'HJ05'],
    [/厕/, 'HJ06'],
    [/满溢|果皮箱|垃圾桶/, 'HJ04'],
    [/垃圾|烟头|痰|卫生|保洁|干净|整洁/, 'HJ01'],
    [/盲道/, 'SS06'],
    [/井盖/, 'SS01'],
    [/路灯|亮灯/, 'SS03'],
    [/设施|破损|损坏/, 'SS07'],
    [/红灯|护栏|斑马线|礼让/, 'WM01'],
    [/吸烟/, 'WM04'],
    [/绿化|绿地/, 'YL01'],
  ];
  return rules.find(([re]) => re.test(itemText))?.[1] ?? 'QT01';
}

export interface StandardPassRate {
  code: string;
  /** Visits that observed at least one applicable item linked to the standard. */
  visits: number;
  passed: number;
  failed: number;
  /**
   * Mean over those visits of the visit's pass rate on the standard's items (the demo framework's
   * rule: standard score = max score × mean pass rate across sampled points); null when no visit
   * observed it.
   */
  share: number | null;
}

/**
 * Rolls visits up onto the framework standards their checklist items evidence. Each visit
 * counts once per standard (its pass rate on that standard's items), so a type with many
 * linked items does not outweigh a type with one.
 */
export function standardPassRates(
  visits: readonly { checklist: readonly ChecklistItem[]; answers: readonly ItemAnswer[] }[],
): StandardPassRate[] {
  const acc = new Map<string, { visits: number; passed: number; failed: number; sum: number }>();
  for (const v of visits) {
    const per = new Map<string, { p: number; f: number }>();
    for (const a of v.answers) {
      if (a.result === 'na') continue;
      for (const code of v.checklist[a.index]?.standards ?? []) {
        const t = per.get(code) ?? { p: 0, f: 0 };
        if (a.result === 'pass') t.p++;
        else t.f++;
        per.set(code, t);
      }
    }
    for (const [code, t] of per) {
      const r = acc.get(code) ?? { visits: 0, passed: 0, failed: 0, sum: 0 };
      r.visits++;
      r.passed += t.p;
      r.failed += t.f;
      r.sum += t.p / (t.p + t.f);
      acc.set(code, r);
    }
  }
  return [...acc.entries()]
    .map(([code, r]) => ({
      code,
      visits: r.visits,
      passed: r.passed,
      failed: r.failed,
      share: r.visits ? r.sum / r.visits : null,
    }))
    .sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true }));
}
