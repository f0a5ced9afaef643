import { sql, type SQL } from 'drizzle-orm';
import type { BBox, TAreaGeometry } from '../../../core/geo/polygon.js';
import { positionInBoxes, storedBoxMeetsAny } from '../../db/box-sql.js';
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
  return execRows<BoundaryRow>(
    db,
    sql`select id, ${DEPTH} as depth, geometry, min_lat, max_lat, min_lng, max_lng,
          xmin::text as xmin
        from regions where geometry is not null and (${storedBoxMeetsAny(boxes)})`,
  );
}

export interface PlaceableRow {
  id: number;
  lat: number;
  lng: number;
  region_id: number | null;
}

/** The tables whose located rows the boundaries place: problems (outside grids) and points. */
export type PlaceableTable = 'problems' | 'points';

/**
 * The next keyset batch (by id) of the located rows whose region the boundaries decide — those
 * placed by a boundary, and those with no region — in any of the boxes. Problems inside a grid
 * (`grid_id`) are the grid's and left out.
 */
export async function placeableRows(
  tx: DbOrTx,
  table: PlaceableTable,
  boxes: readonly BBox[],
  after: number,
  limit: number,
): Promise<PlaceableRow[]> {
  if (!boxes.length) return [];
  const inBox = sql.join(positionInBoxes('t', boxes), sql` or `);
  const outsideGrids = table === 'problems' ? sql`and t.grid_id is null` : sql``;
  return execRows<PlaceableRow>(
    tx,
    sql`select t.id, t.lat, t.lng, t.region_id from ${sql.identifier(table)} t
        where t.id > ${after} and t.lat is not null and t.lng is not null ${outsideGrids}
          and (t.region_source = 'boundary' or t.region_id is null) and (${inBox})
        order by t.id limit ${limit}`,
  );
}

/**
 * Sets the region of the rows `ids[i]` to `to[i]` with its source `src[i]` ('grid', 'boundary',
 * null for none), in one statement through `unnest`.
 */
export async function setPlacedRegions(
  tx: DbOrTx,
  table: PlaceableTable,
  ids: readonly number[],
  to: readonly (number | null)[],
  src: readonly ('grid' | 'boundary' | null)[],
) {
  const arr = (xs: readonly (number | string | null)[]) =>
    `{${xs.map((x) => (x === null ? 'NULL' : String(x))).join(',')}}`;
  await tx.execute(
    sql`update ${sql.identifier(table)} t set region_id = u.r, region_source = u.s
        from unnest(${arr(ids)}::bigint[], ${arr(to)}::int[], ${arr(src)}::text[]) as u(id, r, s)
        where t.id = u.id`,
  );
}

/** The active grids whose box meets any of the boxes, with their region. */
export async function gridsWithRegionTouching(db: DbOrTx, boxes: readonly BBox[]) {
  if (!boxes.length) return [];
  return execRows<{ id: number; region_id: number; geometry: TAreaGeometry }>(
    db,
    sql`select id, region_id, geometry from grids where active and (${storedBoxMeetsAny(boxes)})`,
  );
}
