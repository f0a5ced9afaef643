import type { TRollupRow } from '../../../core/contracts/inspections.js';
import type { Agg, Dim } from './round-report.repo.js';
import { qualifiedRate } from './visit-counts.repo.js';

/** An aggregated group as a roll-up row: 得分率, mean score and 合格率. */
export function rollupRow(a: Agg): TRollupRow {
  const n = a.passed + a.failed;
  return {
    key: a.key,
    label: a.label,
    visits: a.visits,
    passed: a.passed,
    failed: a.failed,
    passRate: n === 0 ? null : a.passed / n,
    meanScore: a.scored === 0 ? null : Number(a.score_sum) / a.scored,
    qualifiedRate: qualifiedRate(a),
    seriousVisits: a.serious,
  };
}

const EMPTY_TOTAL: Agg = {
  key: 'total',
  label: '合计',
  visits: 0,
  passed: 0,
  failed: 0,
  score_sum: null,
  scored: 0,
  assessed: 0,
  qualified: 0,
  serious: 0,
};

/** The GROUPING SETS rows split by dimension, worst first (groups with nothing applicable last). */
export function presentRollups(rows: (Agg & { dim: Dim | 'total' })[]) {
  const by = (dim: Dim | 'total') =>
    rows
      .filter((r) => r.dim === dim)
      .map(rollupRow)
      .sort(
        (a, b) =>
          (a.passRate ?? Infinity) - (b.passRate ?? Infinity) || a.label.localeCompare(b.label),
      );
  return {
    total: by('total')[0] ?? rollupRow(EMPTY_TOTAL),
    byType: by('type'),
    byDistrict: by('district'),
    byRegion: by('region'),
    byUnit: by('unit'),
    byPoint: by('point'),
  };
}

/** The sum of groups (every figure of an Agg adds up). */
function sumAggs(key: string, label: string, rows: Agg[]): Agg {
  const add = (f: (a: Agg) => number) => rows.reduce((n, a) => n + f(a), 0);
  return {
    key,
    label,
    visits: add((a) => a.visits),
    passed: add((a) => a.passed),
    failed: add((a) => a.failed),
    score_sum: rows.some((a) => a.score_sum !== null) ? add((a) => Number(a.score_sum ?? 0)) : null,
    scored: add((a) => a.scored),
    assessed: add((a) => a.assessed),
    qualified: add((a) => a.qualified),
    serious: add((a) => a.serious),
  };
}

/**
 * By day of a round drawn by day, in date order: each day sums the districts it covers (a
 * district lies on one day), every day listed even before its visits; visits of places in no
 * scheduled district (an added place across the boundary) come last as 未分日.
 */
export function dayRollups(
  districtRows: Agg[],
  days: { id: number; date: string; regionIds: number[]; label: string }[],
): TRollupRow[] {
  const dayOf = new Map(days.flatMap((d) => d.regionIds.map((id) => [String(id), d.id] as const)));
  const out = days.map((d) =>
    rollupRow(
      sumAggs(
        String(d.id),
        d.label,
        districtRows.filter((r) => dayOf.get(r.key) === d.id),
      ),
    ),
  );
  const loose = districtRows.filter((r) => !dayOf.has(r.key));
  if (loose.length) out.push(rollupRow(sumAggs('-', '（未分日）', loose)));
  return out;
}
