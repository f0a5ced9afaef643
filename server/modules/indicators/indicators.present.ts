import type { TIndicator, TIndicatorValue } from '../../../core/contracts/indicators.js';
import { indicatorStatus, meetsTarget, periodOf } from '../../../core/frameworks/indicators.js';
import type { IndicatorRow, ValueRow } from './indicators.repo.js';

export function presentValue(
  { v, by }: ValueRow,
  def: { target: number; direction: 'gte' | 'lte' },
): TIndicatorValue {
  return {
    id: v.id,
    indicatorId: v.indicatorId,
    period: v.period,
    value: v.value,
    met: meetsTarget(v.value, def.target, def.direction),
    note: v.note,
    fileIds: v.fileIds,
    reportedBy: by,
    reportedAt: v.reportedAt.toISOString(),
    version: v.version,
  };
}

/** An indicator with its compliance, trend and missing periods at `now`. */
export function presentIndicator(row: IndicatorRow, values: ValueRow[], now: Date): TIndicator {
  const s = indicatorStatus(
    row,
    values.map(({ v }) => ({ period: v.period, value: v.value })),
    now,
  );
  const { createdAt: _c, updatedAt: _u, ...rest } = row;
  return { ...rest, ...s, currentPeriod: periodOf(now, row.period) };
}
