// 结果回传: the names of targets, states and 12345 result types, without zod (the web pages import
// them; the contracts in core/contracts/pushback.ts use them too).

import { PROBLEM_ACTION_LABELS, PROBLEM_ACTIONS } from '../problems/lifecycle.js';

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

const isOneOf = <T extends string>(list: readonly T[], v: string): v is T =>
  (list as readonly string[]).includes(v);

/**
 * What a delivery told: a 12345 result type, or the step that changed an Open311 request's status
 * (the log page and its XLSX export).
 */
export function pushbackKindLabel(
  target: TPushbackTarget,
  kind: string,
): { zh: string; en: string } {
  if (target === 'hotline') {
    if (isOneOf(HOTLINE_RESULT_TYPES, kind)) return HOTLINE_RESULT_LABELS[kind];
  } else if (isOneOf(PROBLEM_ACTIONS, kind)) return PROBLEM_ACTION_LABELS[kind];
  return { zh: kind, en: kind };
}

/** A delivery's state from its stamps: acknowledged, given up, or still to be (re)tried. */
export function pushbackState(d: { ackedAt: unknown; failedAt: unknown }): TPushbackState {
  return d.ackedAt ? 'delivered' : d.failedAt ? 'failed' : 'pending';
}
