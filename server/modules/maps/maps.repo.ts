import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { TAreaGeometry } from '../../../core/geo/polygon.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { grids, regions, settings } from '../../db/schema/index.js';

// 地图: the office's base-map provider (one settings row) and the geometry of the base the maps
// draw without tiles (region boundaries, active grids, the jurisdiction).

const PROVIDER_KEY = 'map_provider';

/** The stored provider (unchecked JSON) and its version; null when none was ever saved. */
export async function findProviderSetting(
  db: DbOrTx,
): Promise<{ provider: unknown; version: number; updatedAt: Date } | null> {
  const [row] = await db.select().from(settings).where(eq(settings.key, PROVIDER_KEY));
  if (!row) return null;
  const v = row.value as { provider: unknown; version: number };
  return { provider: v.provider, version: v.version, updatedAt: row.updatedAt };
}

/** Writes the provider if the stored version is still `expected` (0: none stored); false if not. */
export async function saveProviderSetting(
  db: DbOrTx,
  provider: unknown,
  expected: number,
  userId: number | null,
): Promise<Date | null> {
  const value = { provider, version: expected + 1 };
  if (expected === 0) {
    const rows = await db
      .insert(settings)
      .values({ key: PROVIDER_KEY, value, updatedBy: userId })
      .onConflictDoNothing()
      .returning({ updatedAt: settings.updatedAt });
    return rows[0]?.updatedAt ?? null;
  }
  const rows = await db
    .update(settings)
    .set({ value, updatedBy: userId, updatedAt: new Date() })
    .where(
      and(
        eq(settings.key, PROVIDER_KEY),
        sql`(${settings.value} ->> 'version')::int = ${expected}`,
      ),
    )
    .returning({ updatedAt: settings.updatedAt });
  return rows[0]?.updatedAt ?? null;
}

/**
 * A fingerprint of everything the base holds: counts, id and version sums of the regions with a
 * boundary and the active grids, and the jurisdiction's last change. Any edit, addition or removal
 * changes it; it costs two index-free aggregates over small tables.
 */
export async function baseFingerprint(db: DbOrTx): Promise<string> {
  const [row] = await execRows<{ r: string; g: string; j: string | null }>(
    db,
    sql`select
      (select count(*) || ':' || coalesce(sum(id), 0) || ':' || coalesce(sum(version), 0)
         from regions where geometry is not null) as r,
      (select count(*) || ':' || coalesce(sum(id), 0) || ':' || coalesce(sum(version), 0)
         from grids where active) as g,
      (select (extract(epoch from updated_at) * 1000)::bigint::text
         from settings where key = 'jurisdiction') as j`,
  );
  return `${row!.r}|${row!.g}|${row!.j ?? '-'}`;
}

/** Every region with a boundary, outer levels first (name, level and outline only). */
export async function regionAreas(db: DbOrTx) {
  return db
    .select({
      name: regions.name,
      level: regions.level,
      geometry: sql<TAreaGeometry>`${regions.geometry}`,
    })
    .from(regions)
    .where(isNotNull(regions.geometry))
    .orderBy(asc(regions.path), asc(regions.code));
}

/** Every active grid's name and outline. */
export async function gridAreas(db: DbOrTx) {
  return db
    .select({ name: grids.name, geometry: sql<TAreaGeometry>`${grids.geometry}` })
    .from(grids)
    .where(eq(grids.active, true))
    .orderBy(asc(grids.code));
}

/** The jurisdiction (受理范围) as stored, unchecked. */
export async function jurisdictionValue(db: DbOrTx): Promise<unknown> {
  const [row] = await db.select().from(settings).where(eq(settings.key, 'jurisdiction'));
  return row?.value ?? null;
}
