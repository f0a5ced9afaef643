import { eq, sql } from 'drizzle-orm';
import type { TRollupRow, TRoundReport } from '../../../core/contracts/inspections.js';
import { Permission } from '../../../core/permissions.js';
import { execRows, type Database, type DbOrTx } from '../../db/client.js';
import { rounds } from '../../db/schema/index.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { errors } from '../../platform/errors.js';
import { standardRollup } from './standard-rollup.js';

interface Agg {
  key: string;
  label: string;
  visits: number;
  passed: number;
  failed: number;
  score_sum: number | null;
  scored: number;
  qualified: number;
  serious: number;
}

/** The latest version of each visit of a round (the one that counts). */
const latestOf = (roundId: number) => sql`(select v.* from inspection_visits v
  where v.round_id = ${roundId}
    and not exists (select 1 from inspection_visits c where c.previous_id = v.id))`;

const AGG = sql`count(*)::int as visits, coalesce(sum(lv.passed), 0)::int as passed,
  coalesce(sum(lv.failed), 0)::int as failed,
  sum(lv.score) as score_sum, count(lv.score)::int as scored,
  count(*) filter (where lv.failed = 0)::int as qualified,
  count(*) filter (where lv.serious_failed > 0)::int as serious`;

function row(a: Agg): TRollupRow {
  const n = a.passed + a.failed;
  return {
    key: a.key,
    label: a.label,
    visits: a.visits,
    passed: a.passed,
    failed: a.failed,
    passRate: n === 0 ? null : a.passed / n,
    meanScore: a.scored === 0 ? null : Number(a.score_sum) / a.scored,
    qualifiedRate: a.visits === 0 ? null : a.qualified / a.visits,
    seriousVisits: a.serious,
  };
}

type Dim = 'type' | 'region' | 'unit' | 'point';

/**
 * Every roll-up in one statement: the round's latest visits with their dimensions, read once
 * (materialized), aggregated by GROUPING SETS — total, type, region, unit and point.
 */
async function rollups(db: DbOrTx, roundId: number) {
  const rows = await execRows<Agg & { dim: Dim | 'total' }>(
    db,
    sql`with lv as materialized (
          select v.passed, v.failed, v.score, v.serious_failed,
            t.code as type_key, t.name as type_label,
            coalesce(p.region_id::text, '-') as region_key,
            coalesce(rg.name, '（未划区域）') as region_label,
            coalesce(p.unit_id::text, '-') as unit_key,
            coalesce(u.name, '（无包保单位）') as unit_label,
            p.id::text as point_key, p.name as point_label
          from ${latestOf(roundId)} v
          join points p on p.id = v.point_id
          join point_types t on t.id = p.type_id
          left join regions rg on rg.id = p.region_id
          left join units u on u.id = p.unit_id)
        select
          case when grouping(type_key) = 0 then 'type'
               when grouping(region_key) = 0 then 'region'
               when grouping(unit_key) = 0 then 'unit'
               when grouping(point_key) = 0 then 'point'
               else 'total' end as dim,
          coalesce(type_key, region_key, unit_key, point_key, 'total') as key,
          coalesce(type_label, region_label, unit_label, point_label, '合计') as label,
          ${AGG}
        from lv
        group by grouping sets ((type_key, type_label), (region_key, region_label),
          (unit_key, unit_label), (point_key, point_label), ())`,
  );
  const by = (dim: Dim | 'total') =>
    rows
      .filter((r) => r.dim === dim)
      .map(row)
      // Worst first; groups with nothing applicable last.
      .sort(
        (a, b) =>
          (a.passRate ?? Infinity) - (b.passRate ?? Infinity) || a.label.localeCompare(b.label),
      );
  return {
    total:
      by('total')[0] ??
      row({
        key: 'total',
        label: '合计',
        visits: 0,
        passed: 0,
        failed: 0,
        score_sum: null,
        scored: 0,
        qualified: 0,
        serious: 0,
      }),
    byType: by('type'),
    byRegion: by('region'),
    byUnit: by('unit'),
    byPoint: by('point'),
  };
}

/**
 * A round's report: 得分率 (item pass rate), mean point score, 合格率 and serious visits, in total
 * and by point type, region, responsible unit, point (one GROUPING SETS statement) and checklist
 * item, and by linked framework standard (standard-rollup.ts), over the latest version of every
 * visit, and the total (and per-standard shares) of the previous round of the same kind.
 * A whole-campaign result: read by those who read the campaign's scores (the office, leaders).
 */
export async function roundReport(
  database: Database,
  actor: Actor,
  roundId: number,
): Promise<TRoundReport> {
  requirePermission(actor, Permission.ScoreRead);
  const db = database.db;
  const [round] = await db.select().from(rounds).where(eq(rounds.id, roundId));
  if (!round) throw errors.notFound('round', roundId);
  const { total, byType, byRegion, byUnit, byPoint } = await rollups(db, roundId);
  const byItem = (
    await execRows<Agg>(
      db,
      sql`select t.code || '-' || x.idx as key,
            t.name || '：' || coalesce(t.checklist->x.idx->>'text', '') as label,
            x.visits, x.passed, x.failed, null as score_sum, 0 as scored,
            x.visits - x.failed as qualified,
            case when (t.checklist->x.idx->>'serious')::boolean then x.failed else 0 end as serious
          from (
            select p.type_id, (a.value->>'index')::int as idx, count(*)::int as visits,
              count(*) filter (where a.value->>'result' = 'pass')::int as passed,
              count(*) filter (where a.value->>'result' = 'fail')::int as failed
            from ${latestOf(roundId)} lv
            join points p on p.id = lv.point_id
            cross join lateral jsonb_array_elements(lv.items) a
            group by 1, 2) x
          join point_types t on t.id = x.type_id
          order by x.failed desc, 1
          limit 500`,
    )
  ).map(row);
  const [prev] = await execRows<{ id: number; name: string }>(
    db,
    sql`select id, name from rounds where kind = ${round.kind} and id < ${roundId}
          and exists (select 1 from inspection_visits v where v.round_id = rounds.id)
        order by id desc limit 1`,
  );
  let previous: TRoundReport['previous'] = null;
  if (prev) {
    const [pt] = await execRows<Agg>(
      db,
      sql`select 'total' as key, '合计' as label, ${AGG} from ${latestOf(prev.id)} lv`,
    );
    previous = { roundId: prev.id, roundName: prev.name, total: row(pt!) };
  }
  const byStandard = await standardRollup(db, roundId, prev?.id ?? null);
  return {
    roundId,
    roundName: round.name,
    drawn: round.drawnIds?.length ?? 0,
    visited: total.visits,
    total,
    byType,
    byRegion,
    byUnit,
    byPoint,
    byItem,
    byStandard,
    previous,
  };
}
