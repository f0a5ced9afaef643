/**
 * Draws by district and day (按城区分日抽签). The test is scheduled by district — "原则上每个城区安排
 * 一天", the draw "在实地考察开始前1小时进行" (seed 001) — so a round may carry a schedule of days,
 * each covering one or more districts (区县), and each day is committed, drawn and revealed on its
 * own with draw.ts, unchanged: a day's points are keyed by their stratum `district/type` (e.g.
 * `12/P02`), and the round's plan is expanded into one rule per district and type. The stratum is
 * part of each fingerprint line (`12/P02:345`), so a point moved to another district after the
 * commitment shows as a changed list, and `verifyDraw` re-runs a day like any other draw.
 */
import type { DrawPoint, DrawResult, DrawRule } from './draw.js';
import { drawPoints, plannedCounts } from './draw.js';

/** A point as a stratified draw sees it: its type code and the district (region id) it lies in. */
export interface StratumPoint {
  id: number;
  type: string;
  district: number;
}

/** A district's own count for a random type of the plan, instead of the plan's. */
export interface CountOverride {
  regionId: number;
  type: string;
  count: number;
}

/** One day of a round's schedule (测评日程): its date and the districts tested that day. */
export interface ScheduleDay {
  date: string;
  regionIds: readonly number[];
  overrides?: readonly CountOverride[];
}

/** A bilingual problem with a schedule or a day's plan. */
export interface ScheduleProblem {
  zh: string;
  en: string;
}

const SEP = '/';

/** The stratum key a day's draw files a point and a rule under: `district/type`. */
export function stratumKey(district: number, type: string): string {
  return `${district}${SEP}${type}`;
}

/** The district and type of a stratum key (null for a key that is not one). */
export function parseStratum(key: string): { district: number; type: string } | null {
  const at = key.indexOf(SEP);
  if (at < 1) return null;
  const district = Number(key.slice(0, at));
  if (!Number.isInteger(district) || district <= 0) return null;
  return { district, type: key.slice(at + 1) };
}

/** A day's points as draw.ts takes them: each point's type is its stratum key, order kept. */
export function stratify(points: readonly StratumPoint[]): DrawPoint[] {
  return points.map((p) => ({ id: p.id, type: stratumKey(p.district, p.type) }));
}

/**
 * A day's plan: every rule of the round's plan for each of the day's districts (districts in the
 * day's order, then the plan's order), keyed by stratum. `all` takes every point of the district;
 * a random rule draws its count in each district, or the district's override of it.
 */
export function expandPlan(
  plan: readonly DrawRule[],
  districts: readonly number[],
  overrides: readonly CountOverride[] = [],
): DrawRule[] {
  return districts.flatMap((d) =>
    plan.map((rule): DrawRule => {
      const type = stratumKey(d, rule.type);
      if (rule.mode === 'all') return { type, mode: 'all' };
      const own = overrides.find((o) => o.regionId === d && o.type === rule.type);
      return { type, mode: 'random', count: own ? own.count : rule.count };
    }),
  );
}

/** A stratum whose random rule asks for more points than its district has. */
export interface Shortfall {
  district: number;
  type: string;
  asked: number;
  eligible: number;
}

/** The strata of a day's plan that its points cannot satisfy (empty: the day can be drawn). */
export function shortfalls(points: readonly StratumPoint[], dayPlan: readonly DrawRule[]) {
  return plannedCounts(stratify(points), dayPlan).flatMap((c): Shortfall[] => {
    const s = parseStratum(c.type);
    return s && c.mode === 'random' && c.count > c.eligible
      ? [{ ...s, asked: c.count, eligible: c.eligible }]
      : [];
  });
}

/** The day's districts with no eligible point of any type of the plan: nothing to inspect there. */
export function emptyDistricts(
  points: readonly StratumPoint[],
  districts: readonly number[],
): number[] {
  const held = new Set(points.map((p) => p.district));
  return districts.filter((d) => !held.has(d));
}

/** Draws one day: its points by stratum, by the plan expanded over its districts. */
export async function drawDay(
  seed: string,
  points: readonly StratumPoint[],
  plan: readonly DrawRule[],
  day: Pick<ScheduleDay, 'regionIds' | 'overrides'>,
): Promise<DrawResult> {
  return drawPoints(seed, stratify(points), expandPlan(plan, day.regionIds, day.overrides));
}

/**
 * What is wrong with a schedule, as messages naming dates, districts and types: no day, a day
 * without a district, a date twice, a district on two days or not a district at all, an override
 * of a district not scheduled that day or of a type the plan does not draw at random.
 * `districtNames` names every region that is a district (区县); `otherNames` may name the rest.
 */
export function scheduleProblems(
  days: readonly ScheduleDay[],
  plan: readonly DrawRule[],
  districtNames: ReadonlyMap<number, string>,
  otherNames: ReadonlyMap<number, string> = new Map(),
): ScheduleProblem[] {
  const out: ScheduleProblem[] = [];
  if (days.length === 0) {
    out.push({ zh: '测评日程至少需要一天', en: 'the schedule needs at least one day' });
  }
  const name = (id: number) => districtNames.get(id) ?? otherNames.get(id) ?? `#${id}`;
  const dates = new Set<string>();
  const dayOf = new Map<number, string>();
  const random = new Map(
    plan.flatMap((r) => (r.mode === 'random' ? [[r.type, r.count] as const] : [])),
  );
  for (const day of days) {
    if (dates.has(day.date)) {
      out.push({ zh: `日期 ${day.date} 重复`, en: `the date ${day.date} appears twice` });
    }
    dates.add(day.date);
    if (day.regionIds.length === 0) {
      out.push({
        zh: `${day.date} 未安排城区`,
        en: `no district is scheduled on ${day.date}`,
      });
    }
    for (const id of day.regionIds) {
      if (!districtNames.has(id)) {
        out.push({
          zh: `${day.date} 安排的区域 ${name(id)} 不是城区（区县）`,
          en: `the region ${name(id)} scheduled on ${day.date} is not a district`,
        });
        continue;
      }
      const other = dayOf.get(id);
      if (other !== undefined) {
        out.push({
          zh: `${name(id)} 同时安排在 ${other} 和 ${day.date}，每个城区只能安排一天`,
          en: `${name(id)} is scheduled on both ${other} and ${day.date}; a district has one day`,
        });
      }
      dayOf.set(id, day.date);
    }
    const seen = new Set<string>();
    for (const o of day.overrides ?? []) {
      const key = stratumKey(o.regionId, o.type);
      if (!day.regionIds.includes(o.regionId)) {
        out.push({
          zh: `${day.date} 的数量调整针对 ${name(o.regionId)}，但该城区不在当天日程中`,
          en: `an override on ${day.date} names ${name(o.regionId)}, which is not scheduled that day`,
        });
      } else if (!random.has(o.type)) {
        out.push({
          zh: `${name(o.regionId)} 的数量调整针对 ${o.type}，但方案未随机抽取该类型`,
          en: `the override for ${name(o.regionId)} names ${o.type}, which the plan does not draw at random`,
        });
      } else if (seen.has(key)) {
        out.push({
          zh: `${name(o.regionId)} 的 ${o.type} 数量调整重复`,
          en: `${name(o.regionId)} has two overrides for ${o.type}`,
        });
      }
      seen.add(key);
    }
  }
  return out;
}

type State = 'planned' | 'committed' | 'drawn' | 'revealed';

/**
 * A round drawn by day, summed up from its days: planned while every day is; revealed once every
 * day is; drawn (under way: phones get the drawn days' points) once any day is drawn; else
 * committed.
 */
export function roundStateOfDays(states: readonly State[]): State {
  if (states.length === 0 || states.every((s) => s === 'planned')) return 'planned';
  if (states.every((s) => s === 'revealed')) return 'revealed';
  if (states.some((s) => s === 'drawn' || s === 'revealed')) return 'drawn';
  return 'committed';
}

/**
 * A stratified round's plan as city-wide counts per type: each random rule's count summed over
 * the districts of all its days (with their overrides); `all` stays `all`. What the mock
 * evaluation simulates for such a round — the same number of points per type, drawn from the
 * whole list (the per-district balance is not simulated).
 */
export function cityWidePlan(
  plan: readonly DrawRule[],
  days: readonly { regionIds: readonly number[]; overrides?: readonly CountOverride[] }[],
): DrawRule[] {
  return plan.map((rule): DrawRule => {
    if (rule.mode === 'all') return rule;
    let count = 0;
    for (const d of days) {
      for (const r of d.regionIds) {
        const own = d.overrides?.find((o) => o.regionId === r && o.type === rule.type);
        count += own ? own.count : rule.count;
      }
    }
    return { type: rule.type, mode: 'random', count };
  });
}
