// 点单派单's words, without zod: the citizen pages (a small bundle of their own) import them.

/** What a practice station's service menu offers, by kind. */
export const SERVICE_CATEGORIES = [
  'elderly',
  'disabled',
  'environment',
  'culture',
  'legal',
  'medical',
  'other',
] as const;
export type TServiceCategory = (typeof SERVICE_CATEGORIES)[number];
export const SERVICE_CATEGORY_LABELS: Record<TServiceCategory, { zh: string; en: string }> = {
  elderly: { zh: '助老', en: 'Elderly care' },
  disabled: { zh: '助残', en: 'Disability help' },
  environment: { zh: '环境', en: 'Environment' },
  culture: { zh: '文化', en: 'Culture' },
  legal: { zh: '法律', en: 'Legal' },
  medical: { zh: '医疗', en: 'Health' },
  other: { zh: '其他', en: 'Other' },
};

/**
 * An order's course (群众点单 → 站点派单 → 志愿者接单 → 到场 → 完成 → 评价): `declined` ends it when
 * the station cannot serve it, `cancelled` when the requester withdraws it before anyone is there.
 */
export const SERVICE_ORDER_STATES = [
  'ordered',
  'dispatched',
  'taken',
  'on_site',
  'done',
  'confirmed',
  'declined',
  'cancelled',
] as const;
export type TServiceOrderState = (typeof SERVICE_ORDER_STATES)[number];
export const SERVICE_ORDER_STATE_LABELS: Record<TServiceOrderState, { zh: string; en: string }> = {
  ordered: { zh: '待派单', en: 'Ordered' },
  dispatched: { zh: '待接单', en: 'Dispatched' },
  taken: { zh: '已接单', en: 'Taken' },
  on_site: { zh: '服务中', en: 'On site' },
  done: { zh: '待评价', en: 'Done' },
  confirmed: { zh: '已办结', en: 'Confirmed' },
  declined: { zh: '不予受理', en: 'Declined' },
  cancelled: { zh: '已撤销', en: 'Cancelled' },
};

/** How an order came in: a resident's public form, or a grid worker (or office) on their behalf. */
export const SERVICE_ORDER_CHANNELS = ['public', 'staff'] as const;
export type TServiceOrderChannel = (typeof SERVICE_ORDER_CHANNELS)[number];
export const SERVICE_ORDER_CHANNEL_LABELS: Record<
  TServiceOrderChannel,
  { zh: string; en: string }
> = {
  public: { zh: '群众点单', en: 'Resident' },
  staff: { zh: '代为点单', en: 'On behalf' },
};

/** 13812345678 → 138****5678; a landline keeps its area code and last four. */
export function maskPhone(phone: string): string {
  return phone.length > 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** 张三丰 → 张**: the tracking page and lists show a requester by surname only. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}
