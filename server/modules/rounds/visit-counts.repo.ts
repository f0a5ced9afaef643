import { sql, type SQL } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../../db/client.js';

/*
 * The one definition of what a field-inspection visit counts for, shared by the round report
 * (round-report.repo.ts) and the rankings and bulletins (rankings.repo.ts), so that "实地检查点位
 * N 个次" in a bulletin and the visits of the round report are the same figure:
 * - a visit counts once, in its latest version (the row no correction replaces);
 * - every such visit is one 个次, whatever its point (with or without a 包保单位) and its answers;
 * - it is 合格 when at least one checklist item applied and none failed; a visit where every item
 *   was 不适用 is neither 合格 nor 不合格, so 合格率 = 合格 / visits with an applicable item.
 */

/** The latest version of each visit chain among the visits matching `where` (alias `v`). */
export const countedVisits = (where: SQL) => sql`(select v.* from inspection_visits v
  where ${where}
    and not exists (select 1 from inspection_visits c where c.previous_id = v.id))`;

/** visits (个次), assessed (an item applied) and qualified (合格) over counted visits `lv`. */
export const VISIT_COUNTS = sql`count(*)::int as visits,
  count(*) filter (where lv.passed + lv.failed > 0)::int as assessed,
  count(*) filter (where lv.passed + lv.failed > 0 and lv.failed = 0)::int as qualified`;

export interface VisitCounts {
  visits: number;
  assessed: number;
  qualified: number;
}

/** 合格率 of counted visits: qualified / assessed, null when no visit had an applicable item. */
export const qualifiedRate = (c: { assessed: number; qualified: number }): number | null =>
  c.assessed === 0 ? null : c.qualified / c.assessed;

/**
 * The counted visits made in [from, to) (by the time of the visit), in total and per responsible
 * unit of the point (points without one count in the total only). One statement.
 */
export async function periodVisitCounts(
  db: DbOrTx,
  from: Date,
  to: Date,
): Promise<{ total: VisitCounts; byUnit: Map<number, VisitCounts> }> {
  const rows = await execRows<VisitCounts & { unit_id: number | string | null; total: boolean }>(
    db,
    sql`select p.unit_id, grouping(p.unit_id) = 1 as total, ${VISIT_COUNTS}
          from ${countedVisits(sql`v.visited_at >= ${from} and v.visited_at < ${to}`)} lv
          join points p on p.id = lv.point_id
         group by grouping sets ((p.unit_id), ())`,
  );
  const empty: VisitCounts = { visits: 0, assessed: 0, qualified: 0 };
  const pick = (r: VisitCounts): VisitCounts => ({
    visits: r.visits,
    assessed: r.assessed,
    qualified: r.qualified,
  });
  const total = rows.find((r) => r.total);
  return {
    total: total ? pick(total) : empty,
    byUnit: new Map(
      rows.filter((r) => !r.total && r.unit_id !== null).map((r) => [Number(r.unit_id), pick(r)]),
    ),
  };
}
