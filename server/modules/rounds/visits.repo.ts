import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { ChecklistItem } from '../../../core/inspection/score.js';
import type { TScope } from '../../../core/permissions.js';
import { execRows, type DbOrTx, type Tx } from '../../db/client.js';
import { files, inspectionVisits, points, pointTypes, rounds } from '../../db/schema/index.js';
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
  /** The point was added during this visit's round (随机查看). */
  added: boolean;
  checklist: ChecklistItem[];
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
 * assigned to; a unit the visits at its own points; field staff the points of their region; a
 * district or street office (`officeRegion`) also its level's rounds. Visits
 * of a secret round stay with its inspectors and the office until its seed is revealed.
 */
export function visitScopeSql(
  scope: TScope,
  actorId: number | null,
  officeRegion: number | null = null,
): SQL {
  if (scope.kind === 'all') return sql`true`;
  const assigned = actorId === null ? sql`false` : sql`${actorId} = any(r.inspector_ids)`;
  // A district or street office: also every visit of the rounds its level (or one under it) runs.
  const mine =
    officeRegion === null
      ? assigned
      : sql`(${assigned} or r.owner_region_id in ${regionSubtree(officeRegion)})`;
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
    coalesce(p.added_in_round_id = v.round_id, false) as added,
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

/** A point with its type's checklist (what a visit is checked against). */
export async function findPointWithChecklist(db: DbOrTx, pointId: number) {
  const [row] = await db
    .select({ p: points, checklist: pointTypes.checklist })
    .from(points)
    .innerJoin(pointTypes, eq(pointTypes.id, points.typeId))
    .where(eq(points.id, pointId));
  return row && { ...row.p, checklist: row.checklist as ChecklistItem[] };
}

/** Who uploaded each of these files (those that exist). */
export async function fileUploaders(
  db: DbOrTx,
  ids: string[],
): Promise<{ id: string; by: number | null }[]> {
  return db
    .select({ id: files.id, by: files.uploadedBy })
    .from(files)
    .where(inArray(files.id, ids));
}

export type VisitInsert = typeof inspectionVisits.$inferInsert;

export async function insertVisit(tx: Tx, values: VisitInsert): Promise<number> {
  const [row] = await tx
    .insert(inspectionVisits)
    .values(values)
    .returning({ id: inspectionVisits.id });
  return row!.id;
}

export async function setVisitProblem(tx: Tx, visitId: number, problemId: number): Promise<void> {
  await tx.update(inspectionVisits).set({ problemId }).where(eq(inspectionVisits.id, visitId));
}

/** The 20 newest drawn rounds an inspector is assigned to. */
export async function inspectorRounds(db: DbOrTx, inspectorId: number) {
  return db
    .select()
    .from(rounds)
    .where(
      and(
        inArray(rounds.state, ['drawn', 'revealed']),
        sql`${inspectorId} = any(${rounds.inspectorIds})`,
      ),
    )
    .orderBy(sql`${rounds.id} desc`)
    .limit(20);
}

/** A point type that allows 随机查看, with what a visit of a place of it needs. */
export interface AddableTypeRow {
  id: number;
  code: string;
  name: string;
  route: string | null;
  checklist: ChecklistItem[];
  random_check: boolean;
}

/** The point type with this code (whether or not it allows 随机查看). */
export async function findTypeByCode(
  db: DbOrTx,
  code: string,
): Promise<AddableTypeRow | undefined> {
  const [row] = await execRows<AddableTypeRow>(
    db,
    sql`select id, code, name, route, checklist, random_check from point_types
        where code = ${code}`,
  );
  return row;
}

/** The point types that allow 随机查看, by code. */
export async function addableTypes(db: DbOrTx): Promise<AddableTypeRow[]> {
  return execRows<AddableTypeRow>(
    db,
    sql`select id, code, name, route, checklist, random_check from point_types
        where random_check order by code`,
  );
}

export type PointInsert = typeof points.$inferInsert;

/** A place added during a round (随机查看); its name is unique within the round and type. */
export async function insertAddedPoint(tx: Tx, values: PointInsert) {
  const [row] = await tx.insert(points).values(values).returning();
  return row!;
}

/**
 * A drawn point, or a place added during the round, with its checklist and the latest version of
 * its visit in the round, if any.
 */
export interface AssignedPointRow {
  id: number;
  name: string;
  type: string;
  type_name: string;
  route: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  unit_name: string | null;
  added: boolean;
  /** 区县 of the point's region (null: none). */
  district_id: number | null;
  district_name: string | null;
  checklist: ChecklistItem[];
  visit_id: number | null;
  failed: number | null;
  serious_failed: number | null;
  score: number | null;
}

/** The drawn points (ids) of a round and the places added during it. */
export async function assignedPoints(
  db: DbOrTx,
  roundId: number,
  ids: number[],
): Promise<AssignedPointRow[]> {
  const drawn = ids.length
    ? sql`p.id in (${sql.join(
        ids.map((i) => sql`${i}`),
        sql`, `,
      )})`
    : sql`false`;
  return execRows<AssignedPointRow>(
    db,
    sql`select p.id, p.name, t.code as type, t.name as type_name, t.route, p.address, p.lat,
          p.lng, u.name as unit_name, coalesce(p.added_in_round_id = ${roundId}, false) as added,
          dist.id as district_id, dist.name as district_name,
          t.checklist, lv.id as visit_id, lv.failed, lv.serious_failed, lv.score
        from points p
        join point_types t on t.id = p.type_id
        left join units u on u.id = p.unit_id
        left join regions rg on rg.id = p.region_id
        left join lateral (
          select d.id, d.name from regions d
          where d.level = 'district' and rg.path like d.path || '%'
          order by length(d.path) desc limit 1) dist on true
        left join lateral (
          select v.id, v.failed, v.serious_failed, v.score from inspection_visits v
          where v.round_id = ${roundId} and v.point_id = p.id
            and not exists (select 1 from inspection_visits c where c.previous_id = v.id)
          limit 1) lv on true
        where ${drawn} or p.added_in_round_id = ${roundId}
        order by t.code, p.id`,
  );
}

export async function findVisitByClientId(
  db: DbOrTx,
  clientId: string,
): Promise<VisitRow | undefined> {
  return findVisit(db, sql`v.client_id = ${clientId}`);
}

/** One visit by id, within a scope (visitScopeSql) when given. */
export async function findVisitById(
  db: DbOrTx,
  id: number,
  scope?: SQL,
): Promise<VisitRow | undefined> {
  return findVisit(db, sql`v.id = ${id}`, scope);
}
