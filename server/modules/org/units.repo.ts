import {
  aliasedTable,
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  ilike,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { TListUnitsQuery } from '../../../core/contracts/org.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { regions, units, users } from '../../db/schema/index.js';
import { afterCursor, likePattern } from '../../platform/pagination.js';
import { regionSubtree } from './regions.repo.js';

const parent = aliasedTable(units, 'parent_unit');
const selection = {
  ...getTableColumns(units),
  regionName: regions.name,
  parentName: parent.name,
};
export type UnitRow = typeof units.$inferSelect & {
  regionName: string | null;
  parentName: string | null;
};
export type UnitValues = Omit<
  typeof units.$inferInsert,
  'id' | 'version' | 'createdAt' | 'updatedAt'
>;

function base(db: DbOrTx) {
  return db
    .select(selection)
    .from(units)
    .leftJoin(regions, eq(regions.id, units.regionId))
    .leftJoin(parent, eq(parent.id, units.parentId));
}

/** `within`: a district or street office reads the units of its subtree only. */
type UnitFilters = Omit<TListUnitsQuery, 'limit' | 'order' | 'sort'> & { within?: number | null };

function filters(q: UnitFilters): SQL[] {
  const conds: SQL[] = [];
  if (q.within) conds.push(sql`${units.regionId} in ${regionSubtree(q.within)}`);
  if (q.q) {
    const p = likePattern(q.q);
    conds.push(
      or(
        ilike(units.name, p),
        ilike(units.code, p),
        ilike(units.shortName, p),
        sql`exists (select 1 from unnest(${units.aliases}) as a(alias) where a.alias ilike ${p})`,
      )!,
    );
  }
  if (q.type) conds.push(eq(units.type, q.type));
  if (q.regionId) conds.push(sql`${units.regionId} in ${regionSubtree(q.regionId)}`);
  if (q.active) conds.push(eq(units.active, q.active === 'true'));
  return conds;
}

const SORT_COLUMNS = {
  id: units.id,
  name: units.name,
  code: units.code,
  updatedAt: units.updatedAt,
};

/**
 * The unit directory. Every signed-in role at the city may read it (dispatching, pickers and
 * reports name units); what a unit may *do* is scoped in the modules that act. An office or leader
 * held at a district or street reads its subtree's units (`within`).
 */
export async function listUnits(
  db: DbOrTx,
  q: TListUnitsQuery & { within?: number | null },
): Promise<{ rows: UnitRow[]; total: number }> {
  const conds = filters(q);
  const sortCol = SORT_COLUMNS[q.sort];
  const after = afterCursor(sortCol, units.id, q.order, q.cursor);
  const dir = q.order === 'asc' ? asc : desc;
  const rows = await base(db)
    .where(and(...conds, ...(after ? [after] : [])))
    .orderBy(dir(sortCol), dir(units.id))
    .limit(q.limit + 1);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(units)
    .where(conds.length ? and(...conds) : undefined);
  return { rows, total: count!.n };
}

/** Streams every unit matching the filters in batches (for export). */
export async function* iterateUnits(
  db: DbOrTx,
  q: Omit<UnitFilters, 'cursor'>,
): AsyncGenerator<UnitRow[]> {
  let lastId = 0;
  for (;;) {
    const rows: UnitRow[] = await base(db)
      .where(and(...filters(q), sql`${units.id} > ${lastId}`))
      .orderBy(asc(units.id))
      .limit(1000);
    if (rows.length === 0) return;
    yield rows;
    lastId = rows[rows.length - 1]!.id;
  }
}

export async function findUnit(db: DbOrTx, id: number): Promise<UnitRow | undefined> {
  const rows = await base(db).where(eq(units.id, id)).limit(1);
  return rows[0];
}

export async function findUnitsByCodeOrName(
  db: DbOrTx,
  codes: string[],
  names: string[],
): Promise<UnitRow[]> {
  if (codes.length === 0 && names.length === 0) return [];
  const conds: SQL[] = [];
  if (codes.length) conds.push(sql`${units.code} in ${codes}`);
  if (names.length) conds.push(sql`${units.name} in ${names}`);
  return base(db).where(or(...conds));
}

/** Every unit's names (full, short, aliases), to keep an alias from naming two units. */
export async function unitNames(
  db: DbOrTx,
): Promise<
  { id: number; code: string; name: string; shortName: string | null; aliases: string[] }[]
> {
  return db
    .select({
      id: units.id,
      code: units.code,
      name: units.name,
      shortName: units.shortName,
      aliases: units.aliases,
    })
    .from(units);
}

export async function insertUnit(db: DbOrTx, v: UnitValues): Promise<number> {
  const [row] = await db.insert(units).values(v).returning({ id: units.id });
  return row!.id;
}

export async function updateUnit(
  db: DbOrTx,
  id: number,
  version: number,
  v: Partial<UnitValues>,
): Promise<boolean> {
  const rows = await db
    .update(units)
    .set({ ...v, version: sql`${units.version} + 1`, updatedAt: new Date() })
    .where(and(eq(units.id, id), eq(units.version, version)))
    .returning({ id: units.id });
  return rows.length === 1;
}

export async function unitUsage(
  db: DbOrTx,
  id: number,
): Promise<{ children: number; users: number }> {
  const [c] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(units)
    .where(eq(units.parentId, id));
  const [u] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(eq(users.unitId, id));
  return { children: c!.n, users: u!.n };
}

export async function deleteUnit(db: DbOrTx, id: number, version: number): Promise<boolean> {
  const rows = await db
    .delete(units)
    .where(and(eq(units.id, id), eq(units.version, version)))
    .returning({ id: units.id });
  return rows.length === 1;
}

/** Walks up from `parentId`; true when `unitId` is met (the move would make a cycle). */
export async function isAncestorOrSelf(
  db: DbOrTx,
  unitId: number,
  parentId: number,
): Promise<boolean> {
  const rows = await execRows<{ id: number }>(
    db,
    sql`
    with recursive up(id, parent_id) as (
      select id, parent_id from units where id = ${parentId}
      union all
      select u.id, u.parent_id from units u join up on u.id = up.parent_id
    )
    select id from up where id = ${unitId} limit 1`,
  );
  return rows.length > 0;
}
