// 文明细胞 dynamic management (issue #22, item 3): the pure rules — dates, the severe negative-list
// rule in words, the holder's year score and the renewal cap (末位淘汰).

/** The day `months` calendar months after `day` (YYYY-MM-DD), clamped to the month's last day. */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${year}-${pad(month)}-${pad(Math.min(d, last))}`;
}

/** A holder's standing in a year: the average check score (none: 0) minus the year's deductions. */
export function yearScore(average: number | null, deductions: number): number {
  return Math.round(((average ?? 0) - deductions) * 10) / 10;
}

/** The severe rule of a negative list, in words. */
export function severeRuleText(r: {
  severeAction: 'rectify' | 'disqualify';
  severeWindowMonths: number;
  severeThreshold: number;
  rectifyMonths: number;
}): { zh: string; en: string } {
  const times = r.severeThreshold === 1 ? '' : `累计 ${r.severeThreshold} 次`;
  const timesEn = r.severeThreshold === 1 ? 'a severe item' : `${r.severeThreshold} severe items`;
  return r.severeAction === 'rectify'
    ? {
        zh: `${r.severeWindowMonths} 个月内触及严重情形${times}：称号转为整改 ${r.rectifyMonths} 个月`,
        en: `${timesEn} within ${r.severeWindowMonths} months: the title goes to rectification for ${r.rectifyMonths} months`,
      }
    : {
        zh: `${r.severeWindowMonths} 个月内触及严重情形${times}：取消资格（撤销称号）`,
        en: `${timesEn} within ${r.severeWindowMonths} months: disqualified (the title is revoked)`,
      };
}

export interface CapCandidate {
  honourId: number;
  score: number;
  deductions: number;
}

/** How many of `underReview` holders a cap of `pct` % keeps (rounded down; null: no cap). */
export function capCount(underReview: number, pct: number | null): number | null {
  return pct === null ? null : Math.floor((underReview * pct) / 100 + 1e-9);
}

/**
 * 末位淘汰: of the holders the office would keep, those beyond `limit` fall out — lowest year
 * score first; on a tie the one with more deductions, then the later-registered title (higher
 * id). Returns the ids that fall out.
 */
export function dropOverCap(kept: readonly CapCandidate[], limit: number | null): number[] {
  if (limit === null || kept.length <= limit) return [];
  const order = [...kept].sort(
    (a, b) => a.score - b.score || b.deductions - a.deductions || b.honourId - a.honourId,
  );
  return order.slice(0, kept.length - limit).map((c) => c.honourId);
}

/** The cap rule in words, for the 通报. */
export const CAP_RULE = {
  zh: '保留数超过上限（复审对象数 × 保留比例，向下取整）时，按年度得分（当年检查平均分，未检查计 0，减去当年负面清单扣分）由低到高淘汰；得分相同者扣分多者先出，再相同者登记在后者先出。',
  en: 'When more are kept than the cap allows (holders under review × cap %, rounded down), the lowest year scores (the year’s average check score, 0 if unchecked, minus the year’s negative-list deductions) fall out first; on a tie the one with more deductions, then the later-registered title.',
};
