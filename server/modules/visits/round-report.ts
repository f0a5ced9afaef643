import { eq, sql, type SQL } from 'drizzle-orm';
import type { TRollupRow, TRoundReport } from '../../../core/contracts/inspections.js';
import { Permission } from '../../../core/permissions.js';
import { execRows, type Database, type DbOrTx } from '../../db/client.js';
import { rounds } from '../../db/schema/index.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { errors } from '../../platform/errors.js';

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

async function grouped(db: DbOrTx, roundId: number, key: SQL, label: SQL, joins: SQL) {
  const rows = await execRows<Agg>(
    db,
    sql`select ${key} as key, ${label} as label, ${AGG}
        from ${latestOf(roundId)} lv
        join points p on p.id = lv.point_id
        join point_types t on t.id = p.type_id
        ${joins}
        group by 1, 2
        order by (sum(lv.passed)::float / nullif(sum(lv.passed + lv.failed), 0)) asc nulls last, 2`,
  );
  return rows.map(row);
}

/**
 * A round's report: 得分率 (item pass rate), mean point score, 合格率 and serious visits, in total
 * and by point type, region, responsible unit, point and checklist item — one SQL aggregate each,
 * over the latest version of every visit — and the total of the previous round of the same kind.
 */
export async function roundReport(
  database: Database,
  actor: Actor,
  roundId: number,
): Promise<TRoundReport> {
  requirePermission(actor, Permission.ProblemManage);
  const db = database.db;
  const [round] = await db.select().from(rounds).where(eq(rounds.id, roundId));
  if (!round) throw errors.notFound('round', roundId);
  const none = sql``;
  const [total] = await execRows<Agg>(
    db,
    sql`select 'total' as key, '合计' as label, ${AGG} from ${latestOf(roundId)} lv`,
  );
  const byType = await grouped(db, roundId, sql`t.code`, sql`t.name`, none);
  const byRegion = await grouped(
    db,
    roundId,
    sql`coalesce(p.region_id::text, '-')`,
    sql`coalesce(rg.name, '（未划区域）')`,
    sql`left join regions rg on rg.id = p.region_id`,
  );
  const byUnit = await grouped(
    db,
    roundId,
    sql`coalesce(p.unit_id::text, '-')`,
    sql`coalesce(u.name, '（无包保单位）')`,
    sql`left join units u on u.id = p.unit_id`,
  );
  const byPoint = await grouped(db, roundId, sql`p.id::text`, sql`p.name`, none);
  const byItem = (
    await execRows<Agg>(
      db,
      sql`select t.code || '-' || (a.value->>'index') as key,
            t.name || '：' || coalesce(t.checklist->((a.value->>'index')::int)->>'text', '') as label,
            count(*)::int as visits,
            count(*) filter (where a.value->>'result' = 'pass')::int as passed,
            count(*) filter (where a.value->>'result' = 'fail')::int as failed,
            null as score_sum, 0 as scored,
            count(*) filter (where a.value->>'result' <> 'fail')::int as qualified,
            count(*) filter (where a.value->>'result' = 'fail'
              and (t.checklist->((a.value->>'index')::int)->>'serious')::boolean)::int as serious
          from ${latestOf(roundId)} lv
          join points p on p.id = lv.point_id
          join point_types t on t.id = p.type_id
          cross join lateral jsonb_array_elements(lv.items) a
          group by 1, 2
          order by count(*) filter (where a.value->>'result' = 'fail') desc, 1
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
  return {
    roundId,
    roundName: round.name,
    drawn: round.drawnIds?.length ?? 0,
    visited: total!.visits,
    total: row(total!),
    byType,
    byRegion,
    byUnit,
    byPoint,
    byItem,
    previous,
  };
}
