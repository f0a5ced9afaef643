import { sql, type SQL } from 'drizzle-orm';
import type { TScope } from '../../../core/permissions.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { regionSubtree } from '../org/regions.repo.js';

/** A visit row with the names a presenter needs. */
export interface VisitRow {
  id: number;
  client_id: string;
  root_id: number;
  previous_id: number | null;
  version: number;
  latest: boolean;
  reason: string | null;
  round_id: number;
  round_name: string;
  point_id: number;
  point_name: string;
  point_type: string;
  point_type_name: string;
  checklist: { text: string; serious?: boolean; guidance?: string | null }[];
  unit_id: number | null;
  unit_name: string | null;
  inspector_id: number;
  inspector_name: string;
  items: unknown;
  ratings: unknown;
  note: string | null;
  lat: number | null;
  lng: number | null;
  accuracy_m: number | null;
  distance_m: number | null;
  visited_at: Date | string;
  created_at: Date | string;
  passed: number;
  failed: number;
  not_applicable: number;
  serious_failed: number;
  score: number | null;
  problem_id: number | null;
  problem_code: string | null;
}

/**
 * Which visits an actor may see: the office and leaders all; an inspector the rounds they are
 * assigned to; a unit the visits at its own points; field staff the points of their region. Visits
 * of a secret round stay with its inspectors and the office until its seed is revealed.
 */
export function visitScopeSql(scope: TScope, actorId: number | null): SQL {
  if (scope.kind === 'all') return sql`true`;
  const mine = actorId === null ? sql`false` : sql`${actorId} = any(r.inspector_ids)`;
  const open = sql`(r.kind <> 'secret' or r.state = 'revealed')`;
  switch (scope.kind) {
    case 'unit':
      return sql`(${mine} or (p.unit_id = ${scope.unitId} and ${open}))`;
    case 'region':
      return sql`(${mine} or (p.region_id in ${regionSubtree(scope.regionId)} and ${open}))`;
    case 'self':
      return mine;
  }
}

const SELECT = sql`select v.id, v.client_id, coalesce(v.root_id, v.id)::int as root_id,
    v.previous_id, v.version,
    not exists (select 1 from inspection_visits c where c.previous_id = v.id) as latest,
    v.reason, v.round_id, r.name as round_name, v.point_id, p.name as point_name,
    t.code as point_type, t.name as point_type_name, t.checklist,
    p.unit_id, u.name as unit_name, v.inspector_id, us.name as inspector_name,
    v.items, v.ratings, v.note, v.lat, v.lng, v.accuracy_m, v.distance_m, v.visited_at,
    v.created_at, v.passed, v.failed, v.not_applicable, v.serious_failed, v.score,
    v.problem_id, pr.code as problem_code
  from inspection_visits v
  join rounds r on r.id = v.round_id
  join points p on p.id = v.point_id
  join point_types t on t.id = p.type_id
  join users us on us.id = v.inspector_id
  left join units u on u.id = p.unit_id
  left join problems pr on pr.id = v.problem_id`;

export async function findVisit(
  db: DbOrTx,
  where: SQL,
  scope: SQL = sql`true`,
): Promise<VisitRow | undefined> {
  const rows = await execRows<VisitRow>(db, sql`${SELECT} where ${where} and ${scope} limit 1`);
  return rows[0];
}

export async function listVisits(
  db: DbOrTx,
  filter: { roundId?: number | undefined; pointId?: number | undefined; history: boolean },
  scope: SQL,
): Promise<VisitRow[]> {
  const conds: SQL[] = [scope];
  if (filter.roundId) conds.push(sql`v.round_id = ${filter.roundId}`);
  if (filter.pointId) conds.push(sql`v.point_id = ${filter.pointId}`);
  if (!filter.history) {
    conds.push(sql`not exists (select 1 from inspection_visits c where c.previous_id = v.id)`);
  }
  return execRows<VisitRow>(
    db,
    sql`${SELECT} where ${sql.join(conds, sql` and `)}
        order by coalesce(v.root_id, v.id) desc, v.version desc limit 2000`,
  );
}

/** Every version of one visit chain, oldest first. */
export async function chainOf(db: DbOrTx, rootId: number): Promise<VisitRow[]> {
  return execRows<VisitRow>(
    db,
    sql`${SELECT} where coalesce(v.root_id, v.id) = ${rootId} order by v.version`,
  );
}
