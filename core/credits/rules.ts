/**
 * 文明积分 (issue #24, item 5): the office's rules and how one grant is worked out under them —
 * pure, so the caps and the rounding are tested without a database. A grant is computed once, at
 * the source event, under the rule version in force then; later rule changes never touch it.
 */

/** Where points come from: an accepted 随手拍, volunteer hours, an approved household rating. */
export const CREDIT_SOURCES = ['report', 'volunteer_hours', 'star_rating'] as const;
export type TCreditSource = (typeof CREDIT_SOURCES)[number];

export const CREDIT_SOURCE_LABELS: Record<TCreditSource, { zh: string; en: string }> = {
  report: { zh: '随手拍立案', en: 'Accepted report' },
  volunteer_hours: { zh: '志愿服务时长', en: 'Volunteer hours' },
  star_rating: { zh: '星级文明户评定', en: 'Household star rating' },
};

/** What each rule's `points` is counted per. */
export const CREDIT_UNIT_LABELS: Record<TCreditSource, { zh: string; en: string }> = {
  report: { zh: '每件', en: 'per report' },
  volunteer_hours: { zh: '每小时', en: 'per hour' },
  star_rating: { zh: '每颗星', en: 'per star' },
};

/** One source's rule: on or off, points per unit, caps per Beijing day and month (null: none). */
export interface TCreditRule {
  enabled: boolean;
  points: number;
  dayCap: number | null;
  monthCap: number | null;
}

export type TCreditRules = Record<TCreditSource, TCreditRule>;

/** The rules before the office sets any (version 0): modest points, daily and monthly caps. */
export const DEFAULT_CREDIT_RULES: TCreditRules = {
  report: { enabled: true, points: 5, dayCap: 15, monthCap: 100 },
  volunteer_hours: { enabled: true, points: 10, dayCap: 80, monthCap: 600 },
  star_rating: { enabled: true, points: 10, dayCap: null, monthCap: null },
};

/** Ledger entry kinds: points in, a grant taken back, points spent at a shop. */
export const CREDIT_ENTRIES = ['grant', 'reversal', 'spend'] as const;
export type TCreditEntry = (typeof CREDIT_ENTRIES)[number];

/** Why a ledger row has the points it has: what a resident or the office reads beside it. */
export const CREDIT_REASONS = [
  'granted',
  'capped_day',
  'capped_month',
  'reversed_merged',
  'redeemed',
] as const;
export type TCreditReason = (typeof CREDIT_REASONS)[number];

export const CREDIT_REASON_LABELS: Record<TCreditReason, { zh: string; en: string }> = {
  granted: { zh: '按规则发放', en: 'Granted by the rules' },
  capped_day: { zh: '已达每日上限', en: 'Daily cap reached' },
  capped_month: { zh: '已达每月上限', en: 'Monthly cap reached' },
  reversed_merged: { zh: '重复上报已合并，积分收回', en: 'Duplicate report merged: taken back' },
  redeemed: { zh: '兑换', en: 'Redeemed' },
};

/** Where points are spent: a community's 爱心超市, or a partner shop (商户). */
export const CREDIT_SHOP_KINDS = ['supermarket', 'partner'] as const;
export const CREDIT_SHOP_KIND_LABELS: Record<
  (typeof CREDIT_SHOP_KINDS)[number],
  { zh: string; en: string }
> = {
  supermarket: { zh: '爱心超市', en: 'Love supermarket' },
  partner: { zh: '合作商户', en: 'Partner shop' },
};

/** A redemption code's state: waiting to be used, used, or expired unused. */
export const CREDIT_REDEMPTION_STATUSES = ['pending', 'used', 'expired'] as const;
export const CREDIT_REDEMPTION_STATUS_LABELS: Record<
  (typeof CREDIT_REDEMPTION_STATUSES)[number],
  { zh: string; en: string }
> = {
  pending: { zh: '待核销', en: 'Waiting' },
  used: { zh: '已兑换', en: 'Redeemed' },
  expired: { zh: '已过期', en: 'Expired' },
};

/** The month's two boards: residents (reports, ratings) and volunteers (hours). */
export const CREDIT_BOARDS = ['resident', 'volunteer'] as const;
export const CREDIT_BOARD_LABELS: Record<
  (typeof CREDIT_BOARDS)[number],
  { zh: string; en: string }
> = {
  resident: { zh: '居民榜', en: 'Residents' },
  volunteer: { zh: '志愿者榜', en: 'Volunteers' },
};

/** The points a rule gives for a quantity before any cap (hours in minutes, stars, reports). */
export function basePoints(source: TCreditSource, rule: TCreditRule, quantity: number): number {
  if (!rule.enabled || quantity <= 0) return 0;
  // Hours: points per full hour's worth of minutes, rounded down (50 minutes at 10/h = 8).
  if (source === 'volunteer_hours') return Math.floor((rule.points * quantity) / 60);
  return Math.floor(rule.points * quantity);
}

export interface TGrantOutcome {
  /** What the ledger row adds (0 when a cap is reached). */
  points: number;
  /** What the rule gave before the caps. */
  asked: number;
  reason: Extract<TCreditReason, 'granted' | 'capped_day' | 'capped_month'>;
}

/**
 * One grant under a rule: the rule's points, cut to what is left of the account's cap for the
 * source today and this month (`earned`: that source's grants so far in the Beijing day / month).
 * A grant cut short (partly or to 0) says which cap did it.
 */
export function evaluateGrant(
  source: TCreditSource,
  rule: TCreditRule,
  quantity: number,
  earned: { day: number; month: number },
): TGrantOutcome {
  const asked = basePoints(source, rule, quantity);
  const dayLeft = rule.dayCap === null ? Infinity : Math.max(0, rule.dayCap - earned.day);
  const monthLeft = rule.monthCap === null ? Infinity : Math.max(0, rule.monthCap - earned.month);
  const points = Math.min(asked, dayLeft, monthLeft);
  if (points >= asked) return { points: asked, asked, reason: 'granted' };
  return { points, asked, reason: dayLeft <= monthLeft ? 'capped_day' : 'capped_month' };
}

/** 13812345678 → 138****5678. */
export function maskMobile(phone: string): string {
  return phone.length > 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** A mobile number as accounts key it: digits only (spaces and dashes dropped), or null. */
export function normaliseMobile(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const s = raw.replace(/[\s-]/g, '');
  return /^1\d{10}$/.test(s) ? s : null;
}

/** A name on the public ranking: in full for those who opted in, else the surname and **. */
export function publicName(name: string | null, optedIn: boolean): string | null {
  const n = name?.trim() ?? '';
  if (!n) return null;
  if (optedIn) return n;
  return `${[...n][0]}**`;
}

/** Standard competition ranks (1, 2, 2, 4) of points sorted highest first. */
export function competitionRanks(points: readonly number[]): number[] {
  const out: number[] = [];
  points.forEach((p, i) => out.push(i > 0 && points[i - 1] === p ? out[i - 1]! : i + 1));
  return out;
}
