import { sql } from 'drizzle-orm';
import { GridIndex, owningGrid, type TGridShape } from '../../../core/grids/grid-index.js';
import type { BBox, TAreaGeometry } from '../../../core/geo/polygon.js';
import { execRows, type DbOrTx } from '../../db/client.js';

// Which grid a point is in: the bounding-box prefilter runs in SQL on the grids' box index, the
// exact point-in-polygon (holes, edges) in core. Ties on a shared edge go to the smaller grid id.

/** The active grid containing the point, or null (with its region, for an intake without one). */
export async function gridAt(
  db: DbOrTx,
  lat: number,
  lng: number,
): Promise<{ id: number; regionId: number } | null> {
  const rows = await execRows<{ id: number; region_id: number; geometry: TAreaGeometry }>(
    db,
    sql`select id, region_id, geometry from grids
        where active and min_lat <= ${lat} and max_lat >= ${lat}
          and min_lng <= ${lng} and max_lng >= ${lng}`,
  );
  const id = owningGrid(
    lng,
    lat,
    rows.map((r) => ({ id: Number(r.id), geometry: r.geometry })),
  );
  if (id === null) return null;
  return { id, regionId: Number(rows.find((r) => Number(r.id) === id)!.region_id) };
}

/** The active grids whose box meets any of the boxes. */
export async function gridsTouching(db: DbOrTx, boxes: readonly BBox[]): Promise<TGridShape[]> {
  if (!boxes.length) return [];
  const any = sql.join(
    boxes.map(
      (b) =>
        sql`(min_lat <= ${b.maxLat} and max_lat >= ${b.minLat} and min_lng <= ${b.maxLng} and max_lng >= ${b.minLng})`,
    ),
    sql` or `,
  );
  const rows = await execRows<{ id: number; geometry: TAreaGeometry }>(
    db,
    sql`select id, geometry from grids where active and (${any})`,
  );
  return rows.map((r) => ({ id: Number(r.id), geometry: r.geometry }));
}

const BATCH = 20_000;

/**
 * Recomputes the grid of every located problem in the given boxes (the old and new extents of the
 * grids that changed) and of every problem now assigned to `gridIds`; writes only the changes, in
 * batches through `unnest`. Runs inside the caller's transaction. Returns the number changed.
 */
export async function reassignWithin(
  tx: DbOrTx,
  boxes: readonly BBox[],
  gridIds: readonly number[],
): Promise<{ scanned: number; changed: number }> {
  const index = new GridIndex(await gridsTouching(tx, boxes));
  const inBox = boxes.map(
    (b) =>
      sql`(p.lat between ${b.minLat} and ${b.maxLat} and p.lng between ${b.minLng} and ${b.maxLng})`,
  );
  const owned = gridIds.length
    ? [
        sql`p.grid_id in (${sql.join(
          gridIds.map((id) => sql`${id}`),
          sql`, `,
        )})`,
      ]
    : [];
  const where = sql.join([...inBox, ...owned], sql` or `);
  let scanned = 0;
  let changed = 0;
  let after = 0;
  for (;;) {
    const rows = await execRows<{
      id: number;
      lat: number | null;
      lng: number | null;
      grid_id: number | null;
    }>(
      tx,
      sql`select p.id, p.lat, p.lng, p.grid_id from problems p
          where p.id > ${after} and (${where}) order by p.id limit ${BATCH}`,
    );
    if (!rows.length) break;
    after = Number(rows[rows.length - 1]!.id);
    scanned += rows.length;
    changed += await writeChanges(tx, rows, index);
    if (rows.length < BATCH) break;
  }
  return { scanned, changed };
}

async function writeChanges(
  tx: DbOrTx,
  rows: { id: number; lat: number | null; lng: number | null; grid_id: number | null }[],
  index: GridIndex,
): Promise<number> {
  const ids: number[] = [];
  const to: (number | null)[] = [];
  for (const r of rows) {
    const g = r.lat === null || r.lng === null ? null : index.lookup(r.lng, r.lat);
    const had = r.grid_id === null ? null : Number(r.grid_id);
    if (g !== had) {
      ids.push(Number(r.id));
      to.push(g);
    }
  }
  if (ids.length) {
    await tx.execute(
      sql`update problems p set grid_id = u.g
          from unnest(${`{${ids.join(',')}}`}::bigint[], ${`{${to.map((g) => g ?? 'NULL').join(',')}}`}::int[]) as u(id, g)
          where p.id = u.id`,
    );
  }
  return ids.length;
}

/**
 * Every located problem of the city against every active grid (after an import, or on demand):
 * keyset batches, an in-memory index of the grids, changed rows written back per batch.
 */
export async function reassignAll(
  tx: DbOrTx,
  onBatch?: (scanned: number) => void,
): Promise<{ scanned: number; changed: number }> {
  const grids = await execRows<{ id: number; geometry: TAreaGeometry }>(
    tx,
    sql`select id, geometry from grids where active`,
  );
  const index = new GridIndex(grids.map((r) => ({ id: Number(r.id), geometry: r.geometry })));
  let scanned = 0;
  let changed = 0;
  let after = 0;
  for (;;) {
    const rows = await execRows<{
      id: number;
      lat: number | null;
      lng: number | null;
      grid_id: number | null;
    }>(
      tx,
      sql`select p.id, p.lat, p.lng, p.grid_id from problems p
          where p.id > ${after} and (p.lat is not null or p.grid_id is not null)
          order by p.id limit ${BATCH}`,
    );
    if (!rows.length) break;
    after = Number(rows[rows.length - 1]!.id);
    scanned += rows.length;
    changed += await writeChanges(tx, rows, index);
    onBatch?.(scanned);
    if (rows.length < BATCH) break;
  }
  return { scanned, changed };
}
