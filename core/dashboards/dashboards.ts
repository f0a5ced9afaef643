import { addDays, shanghaiDate, startOfShanghaiDay } from '../calendar/working-days.js';

/**
 * Pure helpers of the dashboards: trend buckets in Shanghai time and the on-time standing of
 * units. The counts come from SQL; this decides the calendar and the order.
 */

export type TTrendInterval = 'week' | 'month';

/** The Shanghai dates that start the last `count` buckets up to and including `now`'s, oldest first. */
export function bucketStarts(now: Date, interval: TTrendInterval, count: number): string[] {
  const today = shanghaiDate(now);
  let first: string;
  if (interval === 'week') {
    // Monday of this week (ISO weeks, as PostgreSQL's date_trunc('week')).
    const dow = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
    first = addDays(addDays(today, -dow), -7 * (count - 1));
    return Array.from({ length: count }, (_, i) => addDays(first, 7 * i));
  }
  const [y, m] = today.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const k = y * 12 + (m - 1) - (count - 1) + i;
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-01`;
  });
}

/** The instant the Shanghai calendar month of `now` began. */
export function monthStart(now: Date): Date {
  return startOfShanghaiDay(`${shanghaiDate(now).slice(0, 7)}-01`);
}

export interface StandingInput {
  unitId: number;
  type: string;
  name: string;
  /** 应结案 − 缓办: the denominator of the rates. */
  base: number;
  onTimeCloseRate: number | null;
  closeRate: number | null;
}

export interface Standing {
  unitId: number;
  rank: number | null;
  rankInType: number | null;
}

const cmp = (a: StandingInput, b: StandingInput) =>
  (b.onTimeCloseRate ?? -1) - (a.onTimeCloseRate ?? -1) ||
  (b.closeRate ?? -1) - (a.closeRate ?? -1) ||
  b.base - a.base;

/**
 * Ranks units by 按期结案率 (then 结案率, then the larger sample) with competition ranking
 * (1, 2, 2, 4), overall and within each unit class. Units below `minSample` get no rank, so a unit
 * with one problem closed on time does not top the list. Returned in rank order, unranked last.
 */
export function rankByOnTime(rows: readonly StandingInput[], minSample: number): Standing[] {
  const eligible = rows.filter((r) => r.base >= minSample).sort(cmp);
  const rest = rows
    .filter((r) => r.base < minSample)
    .sort((a, b) => b.base - a.base || a.name.localeCompare(b.name, 'zh'));
  const out: Standing[] = [];
  const inType = new Map<string, StandingInput[]>();
  eligible.forEach((r, i) => {
    const prev = eligible[i - 1];
    const rank = prev && cmp(prev, r) === 0 ? out[i - 1]!.rank! : i + 1;
    const peers = inType.get(r.type) ?? [];
    const last = peers[peers.length - 1];
    const lastStanding = last ? out.find((s) => s.unitId === last.unitId) : undefined;
    const rankInType = last && cmp(last, r) === 0 ? lastStanding!.rankInType! : peers.length + 1;
    peers.push(r);
    inType.set(r.type, peers);
    out.push({ unitId: r.unitId, rank, rankInType });
  });
  for (const r of rest) out.push({ unitId: r.unitId, rank: null, rankInType: null });
  return out;
}
