import { GridIndex, owningGrid } from '../../../core/grids/grid-index.js';
import { BoxBuckets } from '../../../core/geo/box-buckets.js';
import type { BBox, TAreaGeometry } from '../../../core/geo/polygon.js';
import { IndexCache } from '../../platform/index-cache.js';
import type { DbOrTx } from '../../db/client.js';
import {
  activeGridShapes,
  activeGridsForRouting,
  activeGridsHolding,
  gridsTouching,
  problemBatch,
  setProblemGrids,
  type LocatedProblemRow,
} from './grid-routing.repo.js';

// The token's SQL and the box query live in the repository; exported here, where intake finds them.
export { gridTokenSql, gridsTouching } from './grid-routing.repo.js';

// Which grid a point is in: the bounding-box prefilter runs in SQL on the grids' box index, the
// exact point-in-polygon (holes, edges) in core. Ties on a shared edge go to the smaller grid id.

/** The active grid containing the point, or null (with its region, for an intake without one). */
export async function gridAt(
  db: DbOrTx,
  lat: number,
  lng: number,
): Promise<{ id: number; regionId: number } | null> {
  const rows = await activeGridsHolding(db, lat, lng);
  const id = owningGrid(
    lng,
    lat,
    rows.map((r) => ({ id: Number(r.id), geometry: r.geometry })),
  );
  if (id === null) return null;
  return { id, regionId: Number(rows.find((r) => Number(r.id) === id)!.region_id) };
}

/** One active grid as the intake's in-memory index holds it: the stored box, the row's version. */
interface CachedGrid {
  id: number;
  regionId: number;
  geometry: TAreaGeometry;
  minLat: number;
  maxLat: number;
  minLng: number;
  maxLng: number;
  /** `id:xmin` — xmin changes with every update of the row, whoever makes it. */
  stamp: string;
}

/** Where a point is routed from the in-memory index, and the token the intake statement checks. */
export interface GridRoute {
  grid: { id: number; regionId: number } | null;
  /**
   * The active grids whose stored box holds the point, as `id:xmin` in id order — what the
   * intake statement recomputes from the table in its own snapshot. Equal tokens mean the grids
   * that decide this point are exactly the ones the index used; otherwise the intake is stale.
   */
  token: string;
}

/**
 * The active grids in memory, for routing intakes without a query (issue #16). Buckets of a
 * uniform lattice over the stored boxes list the grids whose box touches them; a lookup takes the
 * point's bucket, keeps the grids whose stored box holds the point (the same comparison as
 * `gridAt`'s SQL) and decides with `owningGrid`, as `gridAt` does. Never trusted blindly: every
 * intake statement checks the token against the table (see `GridRoute`), so an edit by any app
 * server — or by hand in SQL — is seen by the next intake it concerns.
 */
export class GridRoutingIndex {
  private readonly buckets: BoxBuckets<CachedGrid>;

  constructor(grids: readonly CachedGrid[]) {
    this.buckets = new BoxBuckets(grids);
  }

  route(lat: number, lng: number): GridRoute {
    const holding = this.buckets.holding(lat, lng);
    const id = owningGrid(lng, lat, holding);
    const owner = id === null ? null : holding.find((g) => g.id === id)!;
    return {
      grid: owner ? { id: owner.id, regionId: owner.regionId } : null,
      token: holding.map((g) => g.stamp).join(','),
    };
  }
}

async function loadGrids(db: DbOrTx): Promise<GridRoutingIndex> {
  const rows = await activeGridsForRouting(db);
  return new GridRoutingIndex(
    rows.map((r) => ({
      id: Number(r.id),
      regionId: Number(r.region_id),
      geometry: r.geometry,
      minLat: Number(r.min_lat),
      maxLat: Number(r.max_lat),
      minLng: Number(r.min_lng),
      maxLng: Number(r.max_lng),
      stamp: `${Number(r.id)}:${r.xmin}`,
    })),
  );
}

const cache = new IndexCache(loadGrids);

/**
 * The in-memory grid index of this database, loaded on first use (one load at a time) and again
 * after `invalidateGridRouting`. Loading on a transaction reads through it; an index loaded from
 * uncommitted rows only costs retries, because every intake checks its token against the table.
 */
export async function gridRoutingIndex(db: DbOrTx): Promise<GridRoutingIndex> {
  return cache.get(db);
}

/** How often this database's index was loaded (tests, metrics). */
export function gridRoutingLoads(db: DbOrTx): number {
  return cache.loads(db);
}

/** Drops the index an intake found stale: the next intake reloads it (see `IndexCache`). */
export function invalidateGridRouting(db: DbOrTx, stale: GridRoutingIndex): void {
  cache.invalidate(db, stale);
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
  return reassignBatches(tx, { boxes, gridIds }, index);
}

/** Keyset batches of the problems `problemBatch` selects, each one's changes written back. */
async function reassignBatches(
  tx: DbOrTx,
  within: { boxes: readonly BBox[]; gridIds: readonly number[] } | null,
  index: GridIndex,
  onBatch?: (scanned: number) => void,
): Promise<{ scanned: number; changed: number }> {
  let scanned = 0;
  let changed = 0;
  let after = 0;
  for (;;) {
    const rows = await problemBatch(tx, within, after, BATCH);
    if (!rows.length) break;
    after = Number(rows[rows.length - 1]!.id);
    scanned += rows.length;
    changed += await writeChanges(tx, rows, index);
    onBatch?.(scanned);
    if (rows.length < BATCH) break;
  }
  return { scanned, changed };
}

async function writeChanges(
  tx: DbOrTx,
  rows: readonly LocatedProblemRow[],
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
  if (ids.length) await setProblemGrids(tx, ids, to);
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
  const grids = await activeGridShapes(tx);
  const index = new GridIndex(grids.map((r) => ({ id: Number(r.id), geometry: r.geometry })));
  return reassignBatches(tx, null, index, onBatch);
}
