import { sql, type SQL } from 'drizzle-orm';
import type { BBox, TAreaGeometry } from '../../../core/geo/polygon.js';
import { execRows, type DbOrTx } from '../../db/client.js';

// The queries of region resolution by boundary; region-routing.ts keeps the index logic.

/** Depth of a level: the deeper, the more specific (the resolver prefers the deepest). */
const DEPTH = sql.raw(
  `(case level when 'city' then 0 when 'district' then 1 when 'street' then 2 else 3 end)`,
);

export interface BoundaryRow {
  id: number;
  depth: number;
  geometry: TAreaGeometry;
  min_lat: number;
  max_lat: number;
  min_lng: number;
  max_lng: number;
  xmin: string;
}

/** Every region with a boundary, with its box and row version (`xmin`), for the routing index. */
export async function boundariesForRouting(db: DbOrTx) {
  return execRows<BoundaryRow>(
    db,
    sql`select id, ${DEPTH} as depth, geometry, min_lat, max_lat, min_lng, max_lng,
          xmin::text as xmin
        from regions where geometry is not null`,
  );
}

/** The regions with a boundary whose box holds the point. */
export async function boundariesHolding(db: DbOrTx, lat: number, lng: number) {
  return execRows<{ id: number; depth: number; geometry: TAreaGeometry }>(
    db,
    sql`select id, ${DEPTH} as depth, geometry from regions
        where geometry is not null and min_lat <= ${lat} and max_lat >= ${lat}
          and min_lng <= ${lng} and max_lng >= ${lng}`,
  );
}

/** The SQL of a point's boundary token in the statement's snapshot (see `RegionRoute.token`). */
export function boundaryTokenSql(lat: SQL, lng: SQL): SQL {
  return sql`coalesce((select string_agg(r.id::text || ':' || r.xmin::text, ',' order by r.id)
    from regions r where r.geometry is not null and r.min_lat <= ${lat} and r.max_lat >= ${lat}
      and r.min_lng <= ${lng} and r.max_lng >= ${lng}), '')`;
}

/** The regions with a boundary whose box meets any of the boxes. */
export async function boundariesTouching(db: DbOrTx, boxes: readonly BBox[]) {
  if (!boxes.length) return [];
  const any = sql.join(
    boxes.map(
      (b) =>
        sql`(min_lat <= ${b.maxLat} and max_lat >= ${b.minLat} and min_lng <= ${b.maxLng} and max_lng >= ${b.minLng})`,
    ),
    sql` or `,
  );
  return execRows<BoundaryRow>(
    db,
    sql`select id, ${DEPTH} as depth, geometry, min_lat, max_lat, min_lng, max_lng,
          xmin::text as xmin
        from regions where geometry is not null and (${any})`,
  );
}

export interface PlaceableRow {
  id: number;
  lat: number;
  lng: number;
  region_id: number | null;
}

/**
 * The next keyset batch (by id) of the located problems whose region the boundaries decide —
 * those placed by a boundary, and those with no region — outside every grid, in any of the boxes.
 */
export async function placeableProblems(
  tx: DbOrTx,
  boxes: readonly BBox[],
  after: number,
  limit: number,
): Promise<PlaceableRow[]> {
  if (!boxes.length) return [];
  const inBox = sql.join(
    boxes.map(
      (b) =>
        sql`(p.lat between ${b.minLat} and ${b.maxLat} and p.lng between ${b.minLng} and ${b.maxLng})`,
    ),
    sql` or `,
  );
  return execRows<PlaceableRow>(
    tx,
    sql`select p.id, p.lat, p.lng, p.region_id from problems p
        where p.id > ${after} and p.lat is not null and p.lng is not null and p.grid_id is null
          and (p.region_source = 'boundary' or p.region_id is null) and (${inBox})
        order by p.id limit ${limit}`,
  );
}

/**
 * Sets the region of the problems `ids[i]` to `to[i]` (placed by boundary; null: none), in one
 * statement through `unnest`.
 */
export async function setProblemRegions(
  tx: DbOrTx,
  ids: readonly number[],
  to: readonly (number | null)[],
) {
  await tx.execute(
    sql`update problems p set region_id = u.r,
          region_source = case when u.r is null then null else 'boundary' end
        from unnest(${`{${ids.join(',')}}`}::bigint[], ${`{${to.map((g) => g ?? 'NULL').join(',')}}`}::int[]) as u(id, r)
        where p.id = u.id`,
  );
}
