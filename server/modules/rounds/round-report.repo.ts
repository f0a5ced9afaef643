import { sql } from 'drizzle-orm';
import type { ChecklistItem, ItemAnswer } from '../../../core/inspection/score.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { countedVisits, VISIT_COUNTS } from './visit-counts.repo.js';

/** One aggregated group of a round's latest visits. */
export interface Agg {
  key: string;
  label: string;
  visits: number;
  passed: number;
  failed: number;
  score_sum: number | null;
  scored: number;
  /** Visits with at least one applicable item, and of those the 合格 ones (visit-counts.repo.ts). */
  assessed: number;
  qualified: number;
  serious: number;
}

export type Dim = 'type' | 'district' | 'region' | 'unit' | 'point';

/** The latest version of each visit of a round (the one that counts). */
const latestOf = (roundId: number) => countedVisits(sql`v.round_id = ${roundId}`);

const AGG = sql`${VISIT_COUNTS}, coalesce(sum(lv.passed), 0)::int as passed,
  coalesce(sum(lv.failed), 0)::int as failed,
  sum(lv.score) as score_sum, count(lv.score)::int as scored,
  count(*) filter (where lv.serious_failed > 0)::int as serious`;

/**
 * Every roll-up in one statement: the round's latest visits with their dimensions, read once
 * (materialized), aggregated by GROUPING SETS — total, type, district (区县 of the point's
 * region), region, unit and point.
 */
export async function rollupRows(
  db: DbOrTx,
  roundId: number,
): Promise<(Agg & { dim: Dim | 'total' })[]> {
  return execRows<Agg & { dim: Dim | 'total' }>(
    db,
    sql`with lv as materialized (
          select v.passed, v.failed, v.score, v.serious_failed,
            t.code as type_key, t.name as type_label,
            coalesce(dist.id::text, '-') as district_key,
            coalesce(dist.name, '（未划区县）') as district_label,
            coalesce(p.region_id::text, '-') as region_key,
            coalesce(rg.name, '（未划区域）') as region_label,
            coalesce(p.unit_id::text, '-') as unit_key,
            coalesce(u.name, '（无包保单位）') as unit_label,
            p.id::text as point_key, p.name as point_label
          from ${latestOf(roundId)} v
          join points p on p.id = v.point_id
          join point_types t on t.id = p.type_id
          left join regions rg on rg.id = p.region_id
          left join lateral (
            select d.id, d.name from regions d
            where d.level = 'district' and rg.path like d.path || '%'
            order by length(d.path) desc limit 1) dist on true
          left join units u on u.id = p.unit_id)
        select
          case when grouping(type_key) = 0 then 'type'
               when grouping(district_key) = 0 then 'district'
               when grouping(region_key) = 0 then 'region'
               when grouping(unit_key) = 0 then 'unit'
               when grouping(point_key) = 0 then 'point'
               else 'total' end as dim,
          coalesce(type_key, district_key, region_key, unit_key, point_key, 'total') as key,
          coalesce(type_label, district_label, region_label, unit_label, point_label, '合计')
            as label,
          ${AGG}
        from lv
        group by grouping sets ((type_key, type_label), (district_key, district_label),
          (region_key, region_label), (unit_key, unit_label), (point_key, point_label), ())`,
  );
}

/** Per checklist item (of each point type) of a round's latest visits, most failed first. */
export async function itemRows(db: DbOrTx, roundId: number): Promise<Agg[]> {
  return execRows<Agg>(
    db,
    sql`select t.code || '-' || x.idx as key,
          t.name || '：' || coalesce(t.checklist->x.idx->>'text', '') as label,
          x.visits, x.passed, x.failed, null as score_sum, 0 as scored,
          x.passed + x.failed as assessed, x.passed as qualified,
          case when (t.checklist->x.idx->>'serious')::boolean then x.failed
            when (t.checklist->x.idx->>'severeCapable')::boolean then x.marked
            else 0 end as serious
        from (
          select p.type_id, (a.value->>'index')::int as idx, count(*)::int as visits,
            count(*) filter (where a.value->>'result' = 'pass')::int as passed,
            count(*) filter (where a.value->>'result' = 'fail')::int as failed,
            count(*) filter (where a.value->>'result' = 'fail'
              and (a.value->>'severe')::boolean)::int as marked
          from ${latestOf(roundId)} lv
          join points p on p.id = lv.point_id
          cross join lateral jsonb_array_elements(lv.items) a
          group by 1, 2) x
        join point_types t on t.id = x.type_id
        order by x.failed desc, 1
        limit 500`,
  );
}

/** The points added during a round (随机查看), as the roll-up's point keys. */
export async function addedPointKeys(db: DbOrTx, roundId: number): Promise<Set<string>> {
  const rows = await execRows<{ key: string }>(
    db,
    sql`select id::text as key from points where added_in_round_id = ${roundId}`,
  );
  return new Set(rows.map((r) => r.key));
}

/** The previous round of the same kind that has visits. */
export async function previousRound(
  db: DbOrTx,
  kind: string,
  roundId: number,
): Promise<{ id: number; name: string } | undefined> {
  const [prev] = await execRows<{ id: number; name: string }>(
    db,
    sql`select id, name from rounds where kind = ${kind} and id < ${roundId}
          and exists (select 1 from inspection_visits v where v.round_id = rounds.id)
        order by id desc limit 1`,
  );
  return prev;
}

/** The total of a round's latest visits. */
export async function totalRow(db: DbOrTx, roundId: number): Promise<Agg> {
  const [pt] = await execRows<Agg>(
    db,
    sql`select 'total' as key, '合计' as label, ${AGG} from ${latestOf(roundId)} lv`,
  );
  return pt!;
}

/** The latest version of each visit chain of a round, with its point type's checklist. */
export async function latestVisits(db: DbOrTx, roundId: number) {
  return execRows<{ items: ItemAnswer[]; checklist: ChecklistItem[] }>(
    db,
    sql`select v.items, t.checklist
        from ${latestOf(roundId)} v
        join points p on p.id = v.point_id
        join point_types t on t.id = p.type_id`,
  );
}

/**
 * Text and max score of framework standards by code, from the version in force: a published
 * version first, else the newest holding the code.
 */
export async function standardsMeta(
  db: DbOrTx,
  codes: string[],
): Promise<{ code: string; text: string; max_score: string | number | null }[]> {
  return execRows<{ code: string; text: string; max_score: string | number | null }>(
    db,
    sql`select distinct on (n.code) n.code, n.text, n.max_score
        from framework_nodes n
        join framework_versions fv on fv.id = n.version_id
        where n.kind = 'standard' and n.code in (${sql.join(
          codes.map((c) => sql`${c}`),
          sql`, `,
        )})
        order by n.code, (fv.status = 'published') desc, fv.id desc`,
  );
}
