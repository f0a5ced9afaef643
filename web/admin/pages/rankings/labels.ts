import { shanghaiDate } from '../../../../core/calendar/working-days.js';
import type { L } from '../../../shared/i18n.js';

export const FLAG_LABELS: Record<'red' | 'black', L> = {
  red: { zh: '流动红旗', en: 'Red flag' },
  black: { zh: '黑牌', en: 'Black card' },
};
export const EXCLUDED_LABELS: Record<'small_sample' | 'no_figures', L> = {
  small_sample: { zh: '样本不足，不参与排名', en: 'Too few cases; not ranked' },
  no_figures: { zh: '无数据', en: 'No figures' },
};
export const STATE_LABELS: Record<'draft' | 'published' | 'superseded', L> = {
  draft: { zh: '草稿', en: 'Draft' },
  published: { zh: '已发布', en: 'Published' },
  superseded: { zh: '已被取代', en: 'Superseded' },
};
export const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
export const localDate = (iso: string | null) => (iso ? shanghaiDate(new Date(iso)) : '—');
