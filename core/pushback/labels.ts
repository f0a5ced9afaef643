// 结果回传: the names of targets, states and 12345 result types, without zod (the web pages import
// them; the contracts in core/contracts/pushback.ts use them too).

export const PUSHBACK_TARGETS = ['hotline', 'open311'] as const;
export type TPushbackTarget = (typeof PUSHBACK_TARGETS)[number];

export const PUSHBACK_TARGET_LABELS: Record<TPushbackTarget, { zh: string; en: string }> = {
  hotline: { zh: '12345 热线', en: '12345 hotline' },
  open311: { zh: 'Open311 客户端', en: 'Open311 client' },
};

/** pending: waiting for its (next) attempt; delivered: acknowledged; failed: given up. */
export const PUSHBACK_STATES = ['pending', 'delivered', 'failed'] as const;
export type TPushbackState = (typeof PUSHBACK_STATES)[number];

export const PUSHBACK_STATE_LABELS: Record<
  TPushbackState,
  { zh: string; en: string; color: string }
> = {
  pending: { zh: '待发送', en: 'Pending', color: 'blue' },
  delivered: { zh: '已确认', en: 'Acknowledged', color: 'green' },
  failed: { zh: '发送失败', en: 'Failed', color: 'red' },
};

/** What a 12345 order is told: its result. */
export const HOTLINE_RESULT_TYPES = ['closed', 'rejected', 'deferred', 'extended'] as const;
export type THotlineResultType = (typeof HOTLINE_RESULT_TYPES)[number];

export const HOTLINE_RESULT_LABELS: Record<THotlineResultType, { zh: string; en: string }> = {
  closed: { zh: '办结', en: 'Closed' },
  rejected: { zh: '不予受理（退回）', en: 'Rejected (returned)' },
  deferred: { zh: '缓办', en: 'Deferred' },
  extended: { zh: '延期', en: 'Deadline extended' },
};
