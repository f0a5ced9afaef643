import { SHANGHAI_OFFSET_MS } from '../calendar/working-days.js';

// 硬性指标 (quantitative indicators): periods, compliance, trend and missing reports, all pure.
// Periods are calendar months ("2026-03") or quarters ("2026-Q1") in Asia/Shanghai time (UTC+8,
// no daylight saving), because that is the calendar the offices report by.

export const INDICATOR_PERIODS = ['month', 'quarter'] as const;
export type TIndicatorPeriod = (typeof INDICATOR_PERIODS)[number];
export const INDICATOR_DIRECTIONS = ['gte', 'lte'] as const;
export type TIndicatorDirection = (typeof INDICATOR_DIRECTIONS)[number];

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER_RE = /^(\d{4})-Q([1-4])$/;

/** A period as an ordinal (months or quarters since year 0), or null when the text is not one of `kind`. */
export function periodOrdinal(period: string, kind: TIndicatorPeriod): number | null {
  if (kind === 'month') {
    const m = MONTH_RE.exec(period);
    return m ? Number(m[1]) * 12 + Number(m[2]) - 1 : null;
  }
  const q = QUARTER_RE.exec(period);
  return q ? Number(q[1]) * 4 + Number(q[2]) - 1 : null;
}

/** The period text of an ordinal. */
export function periodFromOrdinal(ordinal: number, kind: TIndicatorPeriod): string {
  if (kind === 'month') {
    const y = Math.floor(ordinal / 12);
    return `${String(y).padStart(4, '0')}-${String((ordinal % 12) + 1).padStart(2, '0')}`;
  }
  return `${String(Math.floor(ordinal / 4)).padStart(4, '0')}-Q${(ordinal % 4) + 1}`;
}

/** The period (in Shanghai time) that contains an instant. */
export function periodOf(at: Date, kind: TIndicatorPeriod): string {
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  return periodFromOrdinal(kind === 'month' ? y * 12 + m : y * 4 + Math.floor(m / 3), kind);
}

/** Why a reported period is not acceptable, or null when it is (not future, not before the start). */
export function periodProblem(
  period: string,
  kind: TIndicatorPeriod,
  startPeriod: string,
  now: Date,
): 'malformed' | 'future' | 'before_start' | null {
  const p = periodOrdinal(period, kind);
  if (p === null) return 'malformed';
  if (p > periodOrdinal(periodOf(now, kind), kind)!) return 'future';
  const s = periodOrdinal(startPeriod, kind);
  if (s !== null && p < s) return 'before_start';
  return null;
}

/** Whether a value meets its target in the indicator's direction (≥ or ≤). */
export function meetsTarget(
  value: number,
  target: number,
  direction: TIndicatorDirection,
): boolean {
  return direction === 'gte' ? value >= target : value <= target;
}

export interface IndicatorDef {
  target: number;
  direction: TIndicatorDirection;
  period: TIndicatorPeriod;
  /** The first period a value is owed for. */
  startPeriod: string;
}

export interface IndicatorValue {
  period: string;
  value: number;
}

export interface IndicatorStatus {
  /** The value of the latest reported period, or null when none was reported. */
  latest: (IndicatorValue & { met: boolean }) | null;
  /** Compliance: the latest value meets the target; null when nothing was reported yet. */
  compliant: boolean | null;
  /** Every reported period in order, with whether it met the target. */
  trend: (IndicatorValue & { met: boolean })[];
  /** Closed periods (from the start up to the one before now) with no value. */
  missing: string[];
}

/** Compliance (latest value vs target), trend and missing closed periods of one indicator. */
export function indicatorStatus(
  def: IndicatorDef,
  values: readonly IndicatorValue[],
  now: Date,
): IndicatorStatus {
  const byOrdinal = new Map<number, IndicatorValue>();
  for (const v of values) {
    const o = periodOrdinal(v.period, def.period);
    if (o !== null) byOrdinal.set(o, v);
  }
  const trend = [...byOrdinal.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, v]) => ({
      period: v.period,
      value: v.value,
      met: meetsTarget(v.value, def.target, def.direction),
    }));
  const latest = trend.at(-1) ?? null;
  const current = periodOrdinal(periodOf(now, def.period), def.period)!;
  const start = periodOrdinal(def.startPeriod, def.period) ?? current;
  const missing: string[] = [];
  for (let o = start; o < current; o++) {
    if (!byOrdinal.has(o)) missing.push(periodFromOrdinal(o, def.period));
  }
  return { latest, compliant: latest ? latest.met : null, trend, missing };
}

/**
 * Each standard's indicator compliance share (0..1): of the indicators a standard carries, the
 * fraction whose latest value meets its target; an indicator with no value yet counts as not met.
 * Standards with no indicators are absent. The scoring issue multiplies a standard's material score
 * by this share (see docs/decisions.md, "硬性指标").
 */
export function standardComplianceShares(
  indicators: readonly { standardKey: string; compliant: boolean | null }[],
): Map<string, number> {
  const tally = new Map<string, { met: number; n: number }>();
  for (const i of indicators) {
    const t = tally.get(i.standardKey) ?? { met: 0, n: 0 };
    t.n++;
    if (i.compliant === true) t.met++;
    tally.set(i.standardKey, t);
  }
  return new Map([...tally].map(([k, t]) => [k, t.met / t.n]));
}
