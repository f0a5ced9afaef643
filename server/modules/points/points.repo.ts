import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { TPointsOverviewQuery } from '../../../core/contracts/points.js';
import { execRows, type DbOrTx, type Tx } from '../../db/client.js';
import { points, pointTypes, units } from '../../db/schema/index.js';
import { regionSubtree } from '../org/regions.repo.js';

export type PointRow = typeof points.$inferSelect;
export type PointInsert = typeof points.$inferInsert;

/** Points with their type's code and name, optionally of one type, by id. */
export async function listPoints(
  db: DbOrTx,
  typeCode: string | undefined,
  within: number | null = null,
): Promise<(PointRow & { type: string; typeName: string })[]> {
  const rows = await db
    .select({ p: points, type: pointTypes.code, typeName: pointTypes.name })
    .from(points)
    .innerJoin(pointTypes, eq(pointTypes.id, points.typeId))
    .where(
      and(
        typeCode ? eq(pointTypes.code, typeCode) : undefined,
        within !== null ? sql`${points.regionId} in ${regionSubtree(within)}` : undefined,
      ),
    )
    .orderBy(asc(points.id));
  return rows.map((r) => ({ ...r.p, type: r.type, typeName: r.typeName }));
}

export async function findPoint(db: DbOrTx, id: number): Promise<PointRow | undefined> {
  const [row] = await db.select().from(points).where(eq(points.id, id));
  return row;
}

export async function insertPoint(tx: Tx, values: PointInsert): Promise<PointRow> {
  const [row] = await tx.insert(points).values(values).returning();
  return row!;
}

/** Takes an added place into the declared points at the version read; undefined when stale. */
export async function adoptPointAtVersion(
  tx: Tx,
  id: number,
  version: number,
): Promise<PointRow | undefined> {
  const [row] = await tx
    .update(points)
    .set({ adoptedAt: sql`now()`, version: sql`${points.version} + 1` })
    .where(and(eq(points.id, id), eq(points.version, version)))
    .returning();
  return row;
}

/** Writes the edit at the version read and counts the version up; undefined when stale. */
export async function updatePointAtVersion(
  tx: Tx,
  id: number,
  version: number,
  values: Partial<PointInsert>,
): Promise<PointRow | undefined> {
  const [row] = await tx
    .update(points)
    .set({ ...values, version: sql`${points.version} + 1` })
    .where(and(eq(points.id, id), eq(points.version, version)))
    .returning();
  return row;
}

/** A point with its type's, region's and unit's names. */
export interface PointDetailRow {
  id: number;
  name: string;
  type: string;
  type_name: string;
  region_id: number | null;
  region_name: string | null;
  unit_name: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  leader: string | null;
  contact: string | null;
  active: boolean;
  version: number;
}

export async function findPointDetail(db: DbOrTx, id: number): Promise<PointDetailRow | undefined> {
  const [p] = await execRows<PointDetailRow>(
    db,
    sql`select p.id, p.name, t.code as type, t.name as type_name, p.region_id, r.name as region_name,
          u.name as unit_name, p.address, p.lat, p.lng, p.leader, p.contact, p.active, p.version
        from points p join point_types t on t.id = p.type_id
        left join regions r on r.id = p.region_id left join units u on u.id = p.unit_id
        where p.id = ${id}`,
  );
  return p;
}

export async function gridCodeName(
  db: DbOrTx,
  id: number,
): Promise<{ code: string; name: string }> {
  const [row] = await execRows<{ code: string; name: string }>(
    db,
    sql`select code, name from grids where id = ${id}`,
  );
  return row!;
}

export interface PointHistoryRow {
  at: Date | string;
  actor_name: string | null;
  action: string;
  before: unknown;
  after: unknown;
}

/** The audit log's records of a point: its creation and edits, and the imports that touched it. */
export async function pointHistory(db: DbOrTx, id: number): Promise<PointHistoryRow[]> {
  return execRows<PointHistoryRow>(
    db,
    sql`select at, actor_name, action, before, after from audit_log
        where entity_type = 'point'
          and (entity_id = ${String(id)}
            or (action = 'point.import' and after->'pointIds' @> ${JSON.stringify([id])}::jsonb))
        order by at, id limit 500`,
  );
}

/** A point with its latest inspection result (points overview and 申报表). */
export interface OverviewRow extends PointDetailRow {
  /** Added during a round (随机查看) and not adopted. */
  added: boolean;
  added_in_round_name: string | null;
  region_id: number | null;
  unit_id: number | null;
  visit_id: number | null;
  visited_at: Date | string | null;
  round_name: string | null;
  score: number | null;
  failed: number | null;
  serious_failed: number | null;
}

function overviewWhere(q: TPointsOverviewQuery): SQL {
  const c: SQL[] = [sql`true`];
  if (q.type) c.push(sql`t.code = ${q.type}`);
  if (q.regionId) c.push(sql`p.region_id in ${regionSubtree(q.regionId)}`);
  if (q.active) c.push(sql`p.active = ${q.active === 'true'}`);
  if (q.origin === 'declared')
    c.push(sql`(p.added_in_round_id is null or p.adopted_at is not null)`);
  else if (q.origin === 'added')
    c.push(sql`p.added_in_round_id is not null and p.adopted_at is null`);
  if (q.result === 'none') c.push(sql`lv.id is null`);
  else if (q.result === 'pass') c.push(sql`lv.failed = 0`);
  else if (q.result === 'fail') c.push(sql`lv.failed > 0 and lv.serious_failed = 0`);
  else if (q.result === 'serious') c.push(sql`lv.serious_failed > 0`);
  return sql.join(c, sql` and `);
}

/**
 * Points with their latest inspection result (the latest version of the most recent visit in any
 * round), by type code and id.
 */
export async function overviewRows(db: DbOrTx, q: TPointsOverviewQuery): Promise<OverviewRow[]> {
  return execRows<OverviewRow>(
    db,
    sql`select p.id, p.name, t.code as type, t.name as type_name, p.region_id,
          rg.name as region_name, p.unit_id, u.name as unit_name, p.address, p.lat, p.lng,
          p.leader, p.contact, p.active, p.version, lv.id as visit_id, lv.visited_at,
          lv.round_name, lv.score, lv.failed, lv.serious_failed,
          (p.added_in_round_id is not null and p.adopted_at is null) as added,
          ar.name as added_in_round_name
        from points p
        join point_types t on t.id = p.type_id
        left join rounds ar on ar.id = p.added_in_round_id
        left join regions rg on rg.id = p.region_id
        left join units u on u.id = p.unit_id
        left join lateral (
          select v.id, v.visited_at, r.name as round_name, v.score, v.failed, v.serious_failed
          from inspection_visits v join rounds r on r.id = v.round_id
          where v.point_id = p.id
            and not exists (select 1 from inspection_visits c where c.previous_id = v.id)
          order by v.visited_at desc, v.id desc limit 1) lv on true
        where ${overviewWhere(q)}
        order by t.code, p.id
        limit 20000`,
  );
}

/** Every unit (the 申报表 import reads units by name or short name). */
export async function allUnits(db: DbOrTx) {
  return db.select().from(units);
}

/** The point with this name and type (how a 申报表 row is matched), if any. */
export async function pointIdByNameType(
  tx: Tx,
  name: string,
  typeId: number,
): Promise<number | undefined> {
  const [hit] = await tx
    .select({ id: points.id })
    .from(points)
    .where(and(eq(points.name, name), eq(points.typeId, typeId)))
    // A declared point first, then the earliest place of that name added during a round.
    .orderBy(
      sql`${points.addedInRoundId} is not null and ${points.adoptedAt} is null`,
      asc(points.id),
    )
    .limit(1);
  return hit?.id;
}

/**
 * Writes an imported row over a point and counts its version up; a place added during a round is
 * adopted (it is now declared).
 */
export async function overwritePoint(
  tx: Tx,
  id: number,
  values: Partial<PointInsert>,
): Promise<void> {
  await tx
    .update(points)
    .set({
      ...values,
      adoptedAt: sql`case when ${points.addedInRoundId} is not null
        then coalesce(${points.adoptedAt}, now()) end`,
      version: sql`${points.version} + 1`,
    })
    .where(eq(points.id, id));
}

export async function insertPointId(tx: Tx, values: PointInsert): Promise<number> {
  const [row] = await tx.insert(points).values(values).returning({ id: points.id });
  return row!.id;
}
