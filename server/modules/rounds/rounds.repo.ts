import { and, asc, desc, eq, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { DrawPoint, DrawRule } from '../../../core/draw/draw.js';
import { execRows, type DbOrTx, type Tx } from '../../db/client.js';
import { points, pointTypes, regions, rounds } from '../../db/schema/index.js';
import { regionSubtree } from '../org/regions.repo.js';

export type RoundRow = typeof rounds.$inferSelect;
export type RoundInsert = typeof rounds.$inferInsert;

export async function findRound(
  db: DbOrTx,
  id: number,
  lock = false,
): Promise<RoundRow | undefined> {
  const q = db.select().from(rounds).where(eq(rounds.id, id));
  const [r] = lock ? await q.for('update') : await q;
  return r;
}

/** The newest 200 rounds (of a subtree's levels; of one level with `owner`). */
/** The latest rounds; `within`: only those run by that region's level or a level under it. */
export async function listRounds(
  db: DbOrTx,
  within: number | null = null,
  owner?: 'city' | number,
): Promise<RoundRow[]> {
  return db
    .select()
    .from(rounds)
    .where(
      and(
        within !== null ? sql`${rounds.ownerRegionId} in ${regionSubtree(within)}` : undefined,
        owner === undefined
          ? undefined
          : owner === 'city'
            ? isNull(rounds.ownerRegionId)
            : eq(rounds.ownerRegionId, owner),
      ),
    )
    .orderBy(desc(rounds.id))
    .limit(200);
}

/** The names of the levels (districts, streets) that run these rounds. */
export async function ownerNames(db: DbOrTx, ids: readonly number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: regions.id, name: regions.name })
    .from(regions)
    .where(inArray(regions.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The codes of every point type (a plan may name only these). */
export async function pointTypeCodes(db: DbOrTx): Promise<Set<string>> {
  return new Set((await pointTypeNames(db)).keys());
}

/** Every point type's name by code. */
export async function pointTypeNames(db: DbOrTx): Promise<Map<string, string>> {
  const rows = await db.select({ code: pointTypes.code, name: pointTypes.name }).from(pointTypes);
  return new Map(rows.map((t) => [t.code, t.name]));
}

export async function insertRound(tx: Tx, values: RoundInsert): Promise<RoundRow> {
  const [row] = await tx.insert(rounds).values(values).returning();
  return row!;
}

export async function updateRound(
  tx: Tx,
  id: number,
  values: Partial<RoundInsert>,
): Promise<RoundRow> {
  const [row] = await tx.update(rounds).set(values).where(eq(rounds.id, id)).returning();
  return row!;
}

/**
 * The eligible points, frozen in id order: active declared points of the plan's types in the
 * scope. A place added during an earlier round (随机查看) is drawn only once the office adopts it.
 */
export async function eligiblePoints(db: DbOrTx, r: RoundRow): Promise<DrawPoint[]> {
  const codes = (r.plan as DrawRule[]).map((p) => p.type);
  const inScope = r.regionIds.length
    ? or(...r.regionIds.map((id) => sql`${points.regionId} in ${regionSubtree(id)}`))
    : undefined;
  const rows = await db
    .select({ id: points.id, type: pointTypes.code })
    .from(points)
    .innerJoin(pointTypes, eq(pointTypes.id, points.typeId))
    .where(
      and(
        eq(points.active, true),
        inArray(pointTypes.code, codes),
        or(isNull(points.addedInRoundId), isNotNull(points.adoptedAt)),
        inScope,
      ),
    )
    .orderBy(asc(points.id));
  return rows;
}

/**
 * Name, type and district (区县: the region's ancestor of that level, or itself) of points by id,
 * for showing drawn points by name. One statement for any number of rounds.
 */
export async function pointLabels(db: DbOrTx, ids: number[]): Promise<Map<number, PointLabel>> {
  if (!ids.length) return new Map();
  const rows = await execRows<{
    id: number;
    name: string;
    type_code: string;
    type_name: string;
    district_name: string | null;
  }>(
    db,
    sql`select p.id, p.name, t.code as type_code, t.name as type_name,
          (select d.name from regions d
            where d.level = 'district' and r.path like d.path || '%'
            order by length(d.path) desc limit 1) as district_name
        from points p
        join point_types t on t.id = p.type_id
        left join regions r on r.id = p.region_id
        where p.id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})`,
  );
  return new Map(
    rows.map((r) => [
      Number(r.id),
      {
        name: r.name,
        typeCode: r.type_code,
        typeName: r.type_name,
        districtName: r.district_name,
      },
    ]),
  );
}

export interface PointLabel {
  name: string;
  typeCode: string;
  typeName: string;
  districtName: string | null;
}
