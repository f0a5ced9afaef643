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
    byRegion: by('region'),
    byUnit: by('unit'),
    byPoint: by('point'),
  };
}
