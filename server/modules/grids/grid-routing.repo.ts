import { sql, type SQL } from 'drizzle-orm';
import type { BBox, TAreaGeometry } from '../../../core/geo/polygon.js';
import { positionInBoxes, storedBoxMeetsAny } from '../../db/box-sql.js';
import { execRows, type DbOrTx } from '../../db/client.js';

// The queries of grid routing and reassignment; grid-routing.ts keeps the index logic.

/** The active grids whose stored box holds the point. */
export async function activeGridsHolding(db: DbOrTx, lat: number, lng: number) {
  return execRows<{ id: number; region_id: number; geometry: TAreaGeometry }>(
    db,
    sql`select id, region_id, geometry from grids
        where active and min_lat <= ${lat} and max_lat >= ${lat}
          and min_lng <= ${lng} and max_lng >= ${lng}`,
  );
}

/** Every active grid with its box and row version (`xmin`), for the in-memory routing index. */
export async function activeGridsForRouting(db: DbOrTx) {
  return execRows<{
    id: number;
    region_id: number;
    geometry: TAreaGeometry;
    min_lat: number;
    max_lat: number;
    min_lng: number;
    max_lng: number;
    xmin: string;
  }>(
    db,
    sql`select id, region_id, geometry, min_lat, max_lat, min_lng, max_lng, xmin::text as xmin
        from grids where active`,
  );
}

/** The SQL of a point's token in the statement's snapshot (see `GridRoute.token`). */
export function gridTokenSql(lat: SQL, lng: SQL): SQL {
  return sql`coalesce((select string_agg(g.id::text || ':' || g.xmin::text, ',' order by g.id)
    from grids g where g.active and g.min_lat <= ${lat} and g.max_lat >= ${lat}
      and g.min_lng <= ${lng} and g.max_lng >= ${lng}), '')`;
}

/** The active grids whose box meets any of the boxes. */
export async function gridsTouching(
  db: DbOrTx,
  boxes: readonly BBox[],
): Promise<{ id: number; geometry: TAreaGeometry }[]> {
  if (!boxes.length) return [];
  const rows = await execRows<{ id: number; geometry: TAreaGeometry }>(
    db,
    sql`select id, geometry from grids where active and (${storedBoxMeetsAny(boxes)})`,
  );
  return rows.map((r) => ({ id: Number(r.id), geometry: r.geometry }));
}

/** Every active grid's polygon. */
export async function activeGridShapes(db: DbOrTx) {
  return execRows<{ id: number; geometry: TAreaGeometry }>(
    db,
    sql`select id, geometry from grids where active`,
  );
}

export interface LocatedProblemRow {
  id: number;
  lat: number | null;
  lng: number | null;
  grid_id: number | null;
}

/**
 * The next keyset batch of problems after `after` (by id): those in any of the boxes or held by
 * `gridIds`, or — with `boxes` null — every located or gridded problem.
 */
export async function problemBatch(
  tx: DbOrTx,
  within: { boxes: readonly BBox[]; gridIds: readonly number[] } | null,
  after: number,
  limit: number,
): Promise<LocatedProblemRow[]> {
  if (within === null) {
    return execRows<LocatedProblemRow>(
      tx,
      sql`select p.id, p.lat, p.lng, p.grid_id from problems p
          where p.id > ${after} and (p.lat is not null or p.grid_id is not null)
          order by p.id limit ${limit}`,
    );
  }
  const inBox = positionInBoxes('p', within.boxes);
  const owned = within.gridIds.length
    ? [
        sql`p.grid_id in (${sql.join(
          within.gridIds.map((id) => sql`${id}`),
          sql`, `,
        )})`,
      ]
    : [];
  const where = sql.join([...inBox, ...owned], sql` or `);
  return execRows<LocatedProblemRow>(
    tx,
    sql`select p.id, p.lat, p.lng, p.grid_id from problems p
        where p.id > ${after} and (${where}) order by p.id limit ${limit}`,
  );
}

/** Sets `grid_id` of the problems `ids[i]` to `to[i]`, in one statement through `unnest`. */
export async function setProblemGrids(
  tx: DbOrTx,
  ids: readonly number[],
  to: readonly (number | null)[],
) {
  await tx.execute(
    sql`update problems p set grid_id = u.g
        from unnest(${`{${ids.join(',')}}`}::bigint[], ${`{${to.map((g) => g ?? 'NULL').join(',')}}`}::int[]) as u(id, g)
        where p.id = u.id`,
  );
}
