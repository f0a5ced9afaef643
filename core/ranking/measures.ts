import type { TRankingMeasure, TRankingRulesConfig } from '../contracts/rankings.js';
import { RANKING_MEASURE_INFO } from '../contracts/rankings.js';
import { computeKpis, type KpiCounts } from '../problems/kpis.js';
import type { TRankingRules, TUnitFigures } from './unit-ranking.js';

/** A unit's raw counts for a period, as the database gives them. */
export interface TUnitCounts {
  problems?: KpiCounts;
  evidence?: { standards: number; submitted: number; due: number; onTime: number };
  visits?: { visits: number; passed: number };
}

const ratio = (n: number, d: number): number | null =>
  d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null;

/**
 * The measures (rates 0..1, null when there is nothing to measure) and the sample of one unit:
 * the sample is the problems due in the period (less deferred ones) plus its points' visits.
 */
export function unitMeasures(c: TUnitCounts): {
  values: Record<TRankingMeasure, number | null>;
  sample: number;
} {
  const k = c.problems ? computeKpis(c.problems) : null;
  return {
    values: {
      onTimeCloseRate: k?.onTimeCloseRate ?? null,
      closeRate: k?.closeRate ?? null,
      reworkRate: k?.reworkRate ?? null,
      evidenceCompleteness: c.evidence ? ratio(c.evidence.submitted, c.evidence.standards) : null,
      evidenceTimeliness: c.evidence ? ratio(c.evidence.onTime, c.evidence.due) : null,
      pointPassRate: c.visits ? ratio(c.visits.passed, c.visits.visits) : null,
    },
    sample: (c.problems ? c.problems.due - c.problems.deferred : 0) + (c.visits?.visits ?? 0),
  };
}

/** The office's configuration as the pure ranking rules (labels and directions filled in). */
export function toRankingRules(cfg: TRankingRulesConfig): TRankingRules {
  return {
    metrics: cfg.metrics.map((m) => ({
      key: m.key,
      weight: m.weight,
      label: RANKING_MEASURE_INFO[m.key].label,
      direction: RANKING_MEASURE_INFO[m.key].direction,
    })),
    minSample: cfg.minSample,
    redPerClass: cfg.redPerClass,
    blackPerClass: cfg.blackPerClass,
    consequences: cfg.consequences,
  };
}

/** The class of a unit type under the rules, or null when the type is not ranked. */
export function classOfType(cfg: TRankingRulesConfig, type: string): string | null {
  return cfg.classes.find((c) => (c.unitTypes as readonly string[]).includes(type))?.key ?? null;
}

/** The figures `rankUnits` takes, for every unit whose type falls in a class. */
export function unitFigures(
  cfg: TRankingRulesConfig,
  units: readonly { id: number; type: string }[],
  counts: (unitId: number) => TUnitCounts,
): TUnitFigures[] {
  const out: TUnitFigures[] = [];
  for (const u of units) {
    const cls = classOfType(cfg, u.type);
    if (cls === null) continue;
    const { values, sample } = unitMeasures(counts(u.id));
    const used: Record<string, number | null> = {};
    for (const m of cfg.metrics) used[m.key] = values[m.key];
    out.push({ unitId: u.id, unitClass: cls, sample, values: used });
  }
  return out;
}
