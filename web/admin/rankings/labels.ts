import { shanghaiDate } from '../../../core/calendar/working-days.js';
import { L } from '../../shared/i18n.js';

export const FLAG_LABELS: Record<'red' | 'black', L> = {
  red: L.results.redFlag,
  black: L.results.blackFlag,
};
export const EXCLUDED_LABELS: Record<'small_sample' | 'no_figures', L> = {
  small_sample: { zh: '样本不足，不参与排名', en: 'Too few cases; not ranked' },
  no_figures: { zh: '无数据', en: 'No figures' },
};
export const STATE_LABELS: Record<'draft' | 'published' | 'superseded', L> = {
  draft: L.common.draft,
  published: L.common.published,
  superseded: { zh: '已被取代', en: 'Superseded' },
};
export const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
export const localDate = (iso: string | null) => (iso ? shanghaiDate(new Date(iso)) : '—');

/** Whose ranking or bulletin: the level's name (a district or street), or 全市 for the city. */
export const levelLabel = (ownerName: string | null): L =>
  ownerName === null ? L.org.city : { zh: ownerName, en: ownerName };

/**
 * A class's tab: the class of the districts' governments (区人民政府, its unit types nothing else)
 * is the city's 区县排名 — the districts ranked against each other — and reads so; the others
 * read as the rules name them.
 */
export function classTabLabel(
  rules: { classes: { key: string; unitTypes: readonly string[] }[] },
  c: { key: string; label: L },
): L {
  const types = rules.classes.find((x) => x.key === c.key)?.unitTypes ?? [];
  return types.length > 0 && types.every((x) => x === 'district_government')
    ? { zh: '区县排名', en: 'District ranking' }
    : c.label;
}
