import {
  and,
  asc,
  eq,
  getTableColumns,
  ilike,
  inArray,
  isNotNull,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { TAreaGeometry } from '../../../core/geo/polygon.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { regions, units, users } from '../../db/schema/index.js';
import { likePattern } from '../../platform/pagination.js';

/** A region without its boundary's geometry (which may run to megabytes): what lists read. */
export type RegionRow = Omit<typeof regions.$inferSelect, 'geometry'>;
const { geometry: _geometry, ...regionColumns } = getTableColumns(regions);

export async function listRegions(
  db: DbOrTx,
  f: { parentId?: number | undefined; level?: string | undefined; q?: string | undefined },
): Promise<RegionRow[]> {
  const conds: SQL[] = [];
  if (f.parentId !== undefined) conds.push(eq(regions.parentId, f.parentId));
  if (f.level) conds.push(sql`${regions.level} = ${f.level}`);
  if (f.q) {
    const p = likePattern(f.q);
    conds.push(or(ilike(regions.name, p), ilike(regions.code, p))!);
  }
  return db
    .select(regionColumns)
    .from(regions)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(regions.path), asc(regions.code));
}

export async function findRegion(db: DbOrTx, id: number): Promise<RegionRow | undefined> {
  const rows = await db.select(regionColumns).from(regions).where(eq(regions.id, id)).limit(1);
  return rows[0];
}

export async function findRegionByCode(db: DbOrTx, code: string): Promise<RegionRow | undefined> {
  const rows = await db.select(regionColumns).from(regions).where(eq(regions.code, code)).limit(1);
  return rows[0];
}

export async function insertRegion(
  db: DbOrTx,
  v: { code: string; name: string; level: RegionRow['level']; parentId: number | null },
  parentPath: string,
): Promise<RegionRow> {
  const [row] = await db
    .insert(regions)
    .values({ ...v, path: '' })
    .returning({ id: regions.id });
  const [withPath] = await db
    .update(regions)
    .set({ path: `${parentPath || '/'}${row!.id}/` })
    .where(eq(regions.id, row!.id))
    .returning(regionColumns);
  return withPath!;
}

/** Updates a region when its version matches; moves its subtree's paths when it changes parent. */
export async function updateRegion(
  db: DbOrTx,
  id: number,
  version: number,
  v: Partial<Pick<RegionRow, 'code' | 'name' | 'level' | 'parentId'>>,
  newPath: string | null,
  oldPath: string,
): Promise<RegionRow | undefined> {
  const [row] = await db
    .update(regions)
    .set({
      ...v,
      ...(newPath ? { path: newPath } : {}),
      version: sql`${regions.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(regions.id, id), eq(regions.version, version)))
    .returning(regionColumns);
  if (row && newPath && newPath !== oldPath) {
    await db.execute(sql`
      update regions set path = ${newPath} || substr(path, ${oldPath.length + 1})
      where path like ${oldPath + '%'} and id <> ${id}`);
  }
  return row;
}

export async function regionUsage(
  db: DbOrTx,
  id: number,
): Promise<{ children: number; units: number; users: number }> {
  const [c] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(regions)
    .where(eq(regions.parentId, id));
  const [u] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(units)
    .where(eq(units.regionId, id));
  const [s] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(eq(users.regionId, id));
  return { children: c!.n, units: u!.n, users: s!.n };
}

export async function deleteRegion(db: DbOrTx, id: number, version: number): Promise<number> {
  const rows = await db
    .delete(regions)
    .where(and(eq(regions.id, id), eq(regions.version, version)))
    .returning({ id: regions.id });
  return rows.length;
}

/** True when `regionId` is `ancestorId` or lies under it. */
export async function regionWithin(
  db: DbOrTx,
  regionId: number,
  ancestorId: number,
): Promise<boolean> {
  const [row] = await execRows<{ ok: boolean }>(
    db,
    sql`select ${regionId}::int in ${regionSubtree(ancestorId)} as ok`,
  );
  return row?.ok === true;
}

/** True when the unit's region is `ancestorId` or lies under it (a unit without a region: no). */
export async function unitWithin(db: DbOrTx, unitId: number, ancestorId: number): Promise<boolean> {
  const [row] = await execRows<{ ok: boolean }>(
    db,
    sql`select exists (select 1 from units u where u.id = ${unitId}
          and u.region_id in ${regionSubtree(ancestorId)}) as ok`,
  );
  return row?.ok === true;
}

/** Of these users, those whose region — or, without one, their unit's — is not under `ancestorId`. */
export async function usersOutside(
  db: DbOrTx,
  userIds: readonly number[],
  ancestorId: number,
): Promise<number[]> {
  const rows = await execRows<{ id: number }>(
    db,
    sql`select u.id from users u left join units un on un.id = u.unit_id
         where u.id = any(${sql.raw(`'{${userIds.map(Number).join(',')}}'`)}::int[])
           and coalesce(u.region_id, un.region_id) in ${regionSubtree(ancestorId)}`,
  );
  const inside = new Set(rows.map((r) => r.id));
  return userIds.filter((id) => !inside.has(id));
}

/** Ids of a region and everything under it. */
export function regionSubtree(regionId: number): SQL {
  return sql`(select r2.id from regions r2 where r2.path like (select r1.path from regions r1 where r1.id = ${regionId}) || '%')`;
}

/** Every region's code by id (exports write regions as codes, so a file imports back unchanged). */
export async function regionCodesById(db: DbOrTx): Promise<Map<number, string>> {
  const rows = await db.select({ id: regions.id, code: regions.code }).from(regions);
  return new Map(rows.map((r) => [r.id, r.code]));
}

/**
 * Region ids by code and by name, as import files name regions: a code wins over a name, and a
 * repeated name means the first region in tree order.
 */
export async function regionIdsByCodeOrName(db: DbOrTx): Promise<Map<string, number>> {
  const rows = await db
    .select({ id: regions.id, code: regions.code, name: regions.name })
    .from(regions)
    .orderBy(asc(regions.path), asc(regions.code));
  const byKey = new Map<string, number>();
  for (const r of rows) byKey.set(r.code, r.id);
  for (const r of rows) if (!byKey.has(r.name)) byKey.set(r.name, r.id);
  return byKey;
}

/** Ids of a region and everything under it, as a set (imports check many rows against one office). */
export async function regionIdsWithin(db: DbOrTx, ancestorId: number): Promise<Set<number>> {
  const rows = await execRows<{ id: number }>(
    db,
    sql`select r2.id from regions r2 where r2.id in ${regionSubtree(ancestorId)}`,
  );
  return new Set(rows.map((r) => Number(r.id)));
}

/** A region's stored boundary box, when it has one. */
export type BoundaryBox = { minLat: number; minLng: number; maxLat: number; maxLng: number };

/**
 * Sets (or, with null, removes) a region's boundary when its version matches: the box with it,
 * `boundary_rev` and `version` one up. Returns the region, or undefined on a stale version.
 */
export async function setRegionBoundary(
  db: DbOrTx,
  id: number,
  version: number,
  shape: ({ geometry: TAreaGeometry } & BoundaryBox) | null,
): Promise<RegionRow | undefined> {
  const [row] = await db
    .update(regions)
    .set({
      geometry: shape?.geometry ?? null,
      minLat: shape?.minLat ?? null,
      minLng: shape?.minLng ?? null,
      maxLat: shape?.maxLat ?? null,
      maxLng: shape?.maxLng ?? null,
      boundaryRev: sql`${regions.boundaryRev} + 1`,
      version: sql`${regions.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(regions.id, id), eq(regions.version, version)))
    .returning(regionColumns);
  return row;
}

/** The regions with these ids (no geometry), in id order. */
export async function regionsByIds(db: DbOrTx, ids: readonly number[]): Promise<RegionRow[]> {
  if (!ids.length) return [];
  return db
    .select(regionColumns)
    .from(regions)
    .where(inArray(regions.id, [...ids]))
    .orderBy(asc(regions.id));
}

/** The boundaries of a region's subtree (every region's without a root), in tree order. */
export async function boundariesOf(db: DbOrTx, rootId: number | null) {
  const parent = sql`(select p.code from regions p where p.id = ${regions.parentId})`;
  return db
    .select({
      id: regions.id,
      code: regions.code,
      name: regions.name,
      level: regions.level,
      parentCode: sql<string | null>`${parent}`,
      boundaryRev: regions.boundaryRev,
      geometry: sql<TAreaGeometry>`${regions.geometry}`,
    })
    .from(regions)
    .where(
      and(
        isNotNull(regions.geometry),
        rootId === null ? undefined : sql`${regions.id} in ${regionSubtree(rootId)}`,
      ),
    )
    .orderBy(asc(regions.path), asc(regions.code));
}
