import { SHANGHAI_OFFSET_MS } from '../calendar/working-days.js';

/**
 * Service hours (服务时长) from check-in and check-out — pure, so the server, the ledger and the
 * tests all count the same way. The rules (recorded in docs/decisions.md):
 *
 * 1. Only time inside the activity's scheduled window counts: arriving early or lingering adds
 *    nothing. An activity that really ran over is corrected by the office, with a reason.
 * 2. A missing check-out follows `missingCheckout`: `scheduled_end` credits until the window's end
 *    and marks the hours `estimated` (the office sees the flag and can correct); `none` credits 0.
 * 3. One person's time is counted once: where two of their activities overlap, the overlapped time
 *    goes to the attendance that began first (ties: the smaller id) and the other gets the rest.
 * 4. Caps: at most `maxMinutesPerActivity` per attendance, then at most `maxMinutesPerDay` per
 *    Asia/Shanghai calendar day, applied in time order.
 * 5. Minutes are whole minutes, rounded down per attendance.
 */

export type TMissingCheckoutRule = 'scheduled_end' | 'none';

export interface THourRules {
  maxMinutesPerActivity: number;
  maxMinutesPerDay: number;
  missingCheckout: TMissingCheckoutRule;
}

export const DEFAULT_HOUR_RULES: THourRules = {
  maxMinutesPerActivity: 8 * 60,
  maxMinutesPerDay: 12 * 60,
  missingCheckout: 'scheduled_end',
};

/** One person's attendance at one activity. Times are epoch milliseconds. */
export interface TAttendanceSpan {
  id: number;
  checkInAt: number;
  checkOutAt: number | null;
  windowStart: number;
  windowEnd: number;
}

export interface TCredit {
  minutes: number;
  /** Counted by the missing-check-out rule rather than a real check-out. */
  estimated: boolean;
  /** Minutes of this attendance already counted for an earlier overlapping one. */
  overlapMinutes: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const SHANGHAI_OFFSET = SHANGHAI_OFFSET_MS;

/** The Asia/Shanghai day number an instant falls on (China has no daylight saving). */
export function shanghaiDayOf(t: number): number {
  return Math.floor((t + SHANGHAI_OFFSET) / DAY);
}

/** The interval an attendance could count, before overlaps and the day cap: rules 1, 2 and the activity cap. */
export function countableInterval(
  a: TAttendanceSpan,
  rules: THourRules,
): { start: number; end: number; estimated: boolean } {
  const start = Math.max(a.checkInAt, a.windowStart);
  let end: number;
  let estimated = false;
  if (a.checkOutAt !== null) end = Math.min(a.checkOutAt, a.windowEnd);
  else if (rules.missingCheckout === 'scheduled_end') {
    end = a.windowEnd;
    estimated = true;
  } else end = start;
  end = Math.min(Math.max(end, start), start + rules.maxMinutesPerActivity * MINUTE);
  return { start, end, estimated };
}

/** Credits each of one person's attendances with minutes under the rules above; returns them by id. */
export function creditAttendances(
  spans: readonly TAttendanceSpan[],
  rules: THourRules = DEFAULT_HOUR_RULES,
): Map<number, TCredit> {
  const items = spans
    .map((a) => ({ id: a.id, ...countableInterval(a, rules) }))
    .sort((x, y) => x.start - y.start || x.id - y.id);
  const out = new Map<number, TCredit>();
  const usedPerDay = new Map<number, number>();
  let coveredUntil = -Infinity;
  for (const it of items) {
    const from = Math.max(it.start, coveredUntil);
    const overlap = Math.max(0, Math.min(it.end, coveredUntil) - it.start);
    coveredUntil = Math.max(coveredUntil, it.end);
    let credited = 0;
    // Split at Shanghai midnights so each day's cap sees only its own time.
    for (let s = from; s < it.end;) {
      const day = shanghaiDayOf(s);
      const dayEnd = (day + 1) * DAY - SHANGHAI_OFFSET;
      const e = Math.min(it.end, dayEnd);
      const used = usedPerDay.get(day) ?? 0;
      const take = Math.max(0, Math.min(e - s, rules.maxMinutesPerDay * MINUTE - used));
      usedPerDay.set(day, used + take);
      credited += take;
      s = e;
    }
    const prior = out.get(it.id);
    out.set(it.id, {
      minutes: (prior?.minutes ?? 0) + Math.floor(credited / MINUTE),
      estimated: it.estimated,
      overlapMinutes: Math.floor(overlap / MINUTE),
    });
  }
  return out;
}

/** The sum of credited minutes. */
export function totalMinutes(credits: Map<number, TCredit>): number {
  let n = 0;
  for (const c of credits.values()) n += c.minutes;
  return n;
}

/** Minutes as hours with one decimal (what ledgers and certificates show). */
export function minutesToHours(minutes: number): number {
  return Math.round((minutes / 60) * 10) / 10;
}
