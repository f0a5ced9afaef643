import { and, asc, eq, gte, isNotNull, lte, sql } from 'drizzle-orm';
import type { BBox, TAreaGeometry } from '../../../core/geo/polygon.js';
import type { TScope } from '../../../core/permissions.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { grids, regions, settings } from '../../db/schema/index.js';
import { gridScope } from '../grids/grids.repo.js';

// 地图: the office's base-map provider (one settings row) and the geometry of the base the maps
// draw without tiles (the jurisdiction and region boundaries; the grids a user may see, by view).

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
 * A fingerprint of everything the public base holds: the count, id and version sums of the regions
 * with a boundary, and the jurisdiction's last change. Any edit, addition or removal changes it;
 * it costs one aggregate over a small table.
 */
export async function baseFingerprint(db: DbOrTx): Promise<string> {
  const [row] = await execRows<{ r: string; j: string | null }>(
    db,
    sql`select
      (select count(*) || ':' || coalesce(sum(id), 0) || ':' || coalesce(sum(version), 0)
         from regions where geometry is not null) as r,
      (select (extract(epoch from updated_at) * 1000)::bigint::text
         from settings where key = 'jurisdiction') as j`,
  );
  return `${row!.r}|${row!.j ?? '-'}`;
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

/**
 * The active grids the scope may see whose box meets `box` (the grids' box index), at most
 * `limit` (one more tells the caller there were more).
 */
export async function gridAreasIn(db: DbOrTx, scope: TScope, box: BBox, limit: number) {
  return db
    .select({ name: grids.name, geometry: sql<TAreaGeometry>`${grids.geometry}` })
    .from(grids)
    .where(
      and(
        eq(grids.active, true),
        lte(grids.minLat, box.maxLat),
        gte(grids.maxLat, box.minLat),
        lte(grids.minLng, box.maxLng),
        gte(grids.maxLng, box.minLng),
        gridScope(scope),
      ),
    )
    .orderBy(asc(grids.code))
    .limit(limit + 1);
}

/** The jurisdiction (受理范围) as stored, unchecked. */
export async function jurisdictionValue(db: DbOrTx): Promise<unknown> {
  const [row] = await db.select().from(settings).where(eq(settings.key, 'jurisdiction'));
  return row?.value ?? null;
}
