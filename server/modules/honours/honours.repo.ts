import {
  aliasedTable,
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  gt,
  ilike,
  isNotNull,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { THonoursFilters } from '../../../core/contracts/honours.js';
import type { DbOrTx } from '../../db/client.js';
import { honours, regions, units } from '../../db/schema/index.js';
import { afterCursor, likePattern } from '../../platform/pagination.js';
import { regionSubtree } from '../org/regions.repo.js';

export type HonourTableRow = typeof honours.$inferSelect;
export type HonourInsert = typeof honours.$inferInsert;
export type HonourRow = HonourTableRow & {
  unitName: string | null;
  regionName: string | null;
  officeRegionName: string | null;
};

const officeRegions = aliasedTable(regions, 'office_regions');
const withNames = {
  ...getTableColumns(honours),
  unitName: units.name,
  regionName: regions.name,
  officeRegionName: officeRegions.name,
};

function named(db: DbOrTx) {
  return db
    .select(withNames)
    .from(honours)
    .leftJoin(units, eq(units.id, honours.unitId))
    .leftJoin(regions, eq(regions.id, honours.regionId))
    .leftJoin(officeRegions, eq(officeRegions.id, honours.officeRegionId));
}

export async function findHonour(db: DbOrTx, id: number): Promise<HonourRow | undefined> {
  const [h] = await named(db).where(eq(honours.id, id));
  return h;
}

/** The list's filters; `within`: a district or street office reads its subtree's holders only. */
export type HonourFilters = THonoursFilters & { within?: number | null };

export function listConditions(q: HonourFilters): SQL[] {
  const conds: SQL[] = [];
  if (q.within) conds.push(sql`${honours.regionId} in ${regionSubtree(q.within)}`);
  if (q.regionId) conds.push(sql`${honours.regionId} in ${regionSubtree(q.regionId)}`);
  if (q.cellType) conds.push(eq(honours.cellType, q.cellType));
  if (q.level) conds.push(eq(honours.level, q.level));
  if (q.status) conds.push(eq(honours.status, q.status));
  if (q.year) conds.push(eq(honours.yearConferred, q.year));
  if (q.q) {
    const like = likePattern(q.q);
    conds.push(
      or(
        ilike(honours.holderName, like),
        ilike(honours.title, like),
        ilike(honours.remarks, like),
      )!,
    );
  }
  return conds;
}

/** One page, newest year first (limit + 1 rows: the extra one says "more"), and the total. */
export async function honourPage(
  db: DbOrTx,
  q: HonourFilters & { limit: number; cursor?: string | undefined },
): Promise<{ total: number; rows: HonourRow[] }> {
  const filter = listConditions(q);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(honours)
    .where(filter.length ? and(...filter) : undefined);
  const after = afterCursor(honours.yearConferred, honours.id, 'desc', q.cursor);
  const conds = after ? [...filter, after] : filter;
  const rows = await named(db)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(honours.yearConferred), desc(honours.id))
    .limit(q.limit + 1);
  return { total: count!.n, rows };
}

export async function insertHonour(db: DbOrTx, values: HonourInsert): Promise<number> {
  const [row] = await db.insert(honours).values(values).returning({ id: honours.id });
  return row!.id;
}

/** Updates a holder at `version` (to version + 1); false when the version is stale or it is gone. */
export async function updateHonourRow(
  db: DbOrTx,
  id: number,
  version: number,
  set: Partial<HonourInsert>,
): Promise<boolean> {
  const rows = await db
    .update(honours)
    .set({ ...set, version: sql`${honours.version} + 1`, updatedAt: new Date() })
    .where(and(eq(honours.id, id), eq(honours.version, version)))
    .returning({ id: honours.id });
  return rows.length > 0;
}

/** The natural key of a title: type, holder, title and year. */
export const honourKey = (h: {
  cellType: string;
  holderName: string;
  title: string;
  yearConferred: number;
}) => JSON.stringify([h.cellType, h.holderName, h.title, h.yearConferred]);

/** A stored title as an import sees it: where it is and who manages it. */
export type StoredTitle = {
  id: number;
  regionId: number | null;
  officeRegionId: number | null;
  status: HonourTableRow['status'];
};

/** The stored titles of the holders named in an import (id and region, by natural key). */
export async function honoursByHolder(
  db: DbOrTx,
  names: string[],
): Promise<Map<string, StoredTitle>> {
  const out = new Map<string, StoredTitle>();
  const unique = [...new Set(names)];
  for (let i = 0; i < unique.length; i += 5000) {
    const found = await db
      .select({
        id: honours.id,
        regionId: honours.regionId,
        officeRegionId: honours.officeRegionId,
        status: honours.status,
        cellType: honours.cellType,
        holderName: honours.holderName,
        title: honours.title,
        yearConferred: honours.yearConferred,
      })
      .from(honours)
      .where(sql`${honours.holderName} in ${unique.slice(i, i + 5000)}`);
    for (const f of found) {
      const { id, regionId, officeRegionId, status } = f;
      out.set(honourKey(f), { id, regionId, officeRegionId, status });
    }
  }
  return out;
}

/** An import's overwrite of a known title (imports replace, they do not check versions). */
export async function overwriteHonour(
  db: DbOrTx,
  id: number,
  set: Partial<HonourInsert>,
): Promise<void> {
  await db
    .update(honours)
    .set({ ...set, version: sql`${honours.version} + 1`, updatedAt: new Date() })
    .where(eq(honours.id, id));
}

/** New titles, 1,000 rows a statement. */
export async function insertHonours(db: DbOrTx, rows: HonourInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insert(honours).values(rows.slice(i, i + 1000));
  }
}

/** The next batch of the filtered holders after id `after`, by id (for the streamed export). */
export function honoursAfter(db: DbOrTx, q: HonourFilters, after: number, limit: number) {
  return named(db)
    .where(and(gt(honours.id, after), ...listConditions(q)))
    .orderBy(asc(honours.id))
    .limit(limit);
}

/** The region of each of these units (a unit without one: null). */
export async function unitRegions(
  db: DbOrTx,
  unitIds: number[],
): Promise<Map<number, number | null>> {
  if (!unitIds.length) return new Map();
  const rows = await db
    .select({ id: units.id, regionId: units.regionId })
    .from(units)
    .where(sql`${units.id} in ${[...new Set(unitIds)]}`);
  return new Map(rows.map((r) => [r.id, r.regionId]));
}

/** The filters of the map layer and the dashboard; `within`: an office's subtree. */
type PlaceFilters = Pick<HonourFilters, 'cellType' | 'status' | 'regionId' | 'within'>;

/** The holders with a position (id order), at most `limit` + 1 (the extra one says "more"). */
export function honourMarkers(db: DbOrTx, q: PlaceFilters, limit: number) {
  return db
    .select({
      id: honours.id,
      holderName: honours.holderName,
      title: honours.title,
      cellType: honours.cellType,
      level: honours.level,
      status: honours.status,
      lat: honours.lat,
      lng: honours.lng,
    })
    .from(honours)
    .where(and(isNotNull(honours.lat), isNotNull(honours.lng), ...listConditions(q)))
    .orderBy(asc(honours.id))
    .limit(limit + 1);
}

const HELD = sql`${honours.status} in ('listed', 'rectifying', 'suspended')`;
const termEnds = sql<number>`(${honours.yearConferred} + ${honours.termYears} - 1)`;

/** Titles held (在册, 整改, 暂停) by type and level. */
export function heldCounts(db: DbOrTx, q: PlaceFilters) {
  return db
    .select({
      cellType: honours.cellType,
      level: honours.level,
      n: sql<number>`count(*)::int`,
    })
    .from(honours)
    .where(and(HELD, ...listConditions(q)))
    .groupBy(honours.cellType, honours.level);
}

/** Held titles by the last year of their term, for the years `from`..`to`. */
export function termEndCounts(db: DbOrTx, q: PlaceFilters, from: number, to: number) {
  return db
    .select({ year: sql<number>`${termEnds}::int`, n: sql<number>`count(*)::int` })
    .from(honours)
    .where(and(HELD, sql`${termEnds} between ${from} and ${to}`, ...listConditions(q)))
    .groupBy(termEnds);
}

/** Titles by status (for those at risk). */
export function statusCounts(db: DbOrTx, q: PlaceFilters) {
  return db
    .select({ status: honours.status, n: sql<number>`count(*)::int` })
    .from(honours)
    .where(and(...listConditions(q)))
    .groupBy(honours.status);
}

/** The first `limit` held titles whose term ends in `from`..`to`, the earliest first. */
export function reviewsDueRows(
  db: DbOrTx,
  q: PlaceFilters,
  from: number,
  to: number,
  limit: number,
) {
  return named(db)
    .where(and(HELD, sql`${termEnds} between ${from} and ${to}`, ...listConditions(q)))
    .orderBy(termEnds, asc(honours.holderName), asc(honours.id))
    .limit(limit);
}

/** The first `limit` titles in these statuses, the latest changed first. */
export function statusRows(db: DbOrTx, q: PlaceFilters, statuses: string[], limit: number) {
  return named(db)
    .where(and(sql`${honours.status} in ${statuses}`, ...listConditions(q)))
    .orderBy(desc(honours.updatedAt), desc(honours.id))
    .limit(limit);
}
