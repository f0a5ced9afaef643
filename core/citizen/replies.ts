/**
 * Replies to reporters (随手拍): the text messages a citizen who opted in gets when their problem
 * moves, the rating they give once it is closed, and the one reopening they may ask for. Pure: the
 * citizen module writes what these decide.
 */

/** The steps a reporter hears about, each once (the outbox's key is the report and the step's event). */
export const REPLY_ACTIONS = ['register', 'dispatch', 'submit', 'approve', 'reject'] as const;
export type TReplyAction = (typeof REPLY_ACTIONS)[number];

export function isReplyAction(action: string): action is TReplyAction {
  return (REPLY_ACTIONS as readonly string[]).includes(action);
}

/** The longest reason a rejection message quotes (an SMS is short; the page has the rest). */
const REASON_CHARS = 60;

/** The text of the message for a step: short, Chinese, with the tracking page's link. */
export function replyText(
  action: TReplyAction,
  ctx: { trackUrl: string; unitName?: string | null; reason?: string | null },
): string {
  const url = ctx.trackUrl;
  switch (action) {
    case 'register':
      return `您反映的问题已受理立案，我们将尽快派单处理。进度：${url}`;
    case 'dispatch':
      return `您反映的问题已交${ctx.unitName ?? '责任单位'}办理。进度：${url}`;
    case 'submit':
      return `责任单位已整改您反映的问题，正在核查。进度：${url}`;
    case 'approve':
      return `您反映的问题已办结。请评价办理结果：${url}`;
    case 'reject': {
      const reason = (ctx.reason ?? '').trim().replace(/\s+/g, ' ');
      const short = reason.length > REASON_CHARS ? `${reason.slice(0, REASON_CHARS)}…` : reason;
      return `您反映的问题未予立案${short ? `，原因：${short}` : ''}。详情：${url}`;
    }
  }
}

/** The tracking page's address as a message links it: `<public URL>/track/<code>`. */
export function trackUrl(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/track/${code}`;
}

/** 13812345678 → 138****5678; anything shorter than 8 characters → ****. */
export function maskPhone(phone: string): string {
  return phone.length > 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

const TRACKING_CODE = /\bSJ[2-9A-HJ-NP-Z]{6}([2-9A-HJ-NP-Z]{4})\b/g;
const URL = /https?:\/\/[^\s，。；]+/g;

/** Outside links: a run of four or more letters and digits with a digit in it (a code, a number). */
const CODE_LIKE = /[A-Za-z0-9]{4,}/g;
const starCodes = (s: string) =>
  s.replace(CODE_LIKE, (w) => (/\d/.test(w) ? '*'.repeat(w.length) : w));

/**
 * A message's text as the SMS log shows it: tracking codes (the reporter's credential) in links
 * keep only their last four characters, and outside links every run of four or more letters and
 * digits with a digit in it (a one-time code, a phone number) is starred.
 */
export function maskSmsText(text: string): string {
  const parts: string[] = [];
  let last = 0;
  for (const m of text.matchAll(URL)) {
    parts.push(starCodes(text.slice(last, m.index)));
    parts.push(m[0].replace(TRACKING_CODE, 'SJ******$1'));
    last = m.index + m[0].length;
  }
  parts.push(starCodes(text.slice(last)));
  return parts.join('');
}

/** 满意 / 基本满意 / 不满意. */
export const RATINGS = ['satisfied', 'basic', 'unsatisfied'] as const;
export type TRating = (typeof RATINGS)[number];

export const RATING_LABELS: Record<TRating, { zh: string; en: string }> = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  basic: { zh: '基本满意', en: 'Fairly satisfied' },
  unsatisfied: { zh: '不满意', en: 'Not satisfied' },
};

/** What the reporter's own part looks like to the rules: the handling problem and the report. */
export interface ReporterView {
  /** State of the problem handling the report (the one it was merged into, if it was). */
  state: string;
  closedAt: Date | null;
  ratedAt: Date | null;
  reopenedAt: Date | null;
}

export type TRateRefusal = 'not_closed' | 'already_rated';

/** Why the reporter cannot rate now (null: they can): only a closed problem, only once. */
export function rateRefusal(v: ReporterView): TRateRefusal | null {
  if (v.ratedAt) return 'already_rated';
  if (v.state !== 'closed') return 'not_closed';
  return null;
}

export type TReopenRefusal = 'already_reopened' | 'not_closed' | 'window_passed';

/** The last moment a closed problem may be reopened by its reporter. */
export function reopenUntil(closedAt: Date, windowDays: number): Date {
  return new Date(closedAt.getTime() + windowDays * 86_400_000);
}

/**
 * Why the reporter cannot reopen now (null: they can): once per report, a closed problem only, and
 * within `windowDays` of its closing.
 */
export function reopenRefusal(
  v: ReporterView,
  now: Date,
  windowDays: number,
): TReopenRefusal | null {
  if (v.reopenedAt) return 'already_reopened';
  if (v.state !== 'closed' || !v.closedAt) return 'not_closed';
  if (now > reopenUntil(v.closedAt, windowDays)) return 'window_passed';
  return null;
}
