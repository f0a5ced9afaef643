import { BoxBuckets } from '../../../core/geo/box-buckets.js';
import { GridIndex } from '../../../core/grids/grid-index.js';
import type { BBox } from '../../../core/geo/polygon.js';
import { deepestRegion, type TRegionShape } from '../../../core/org/region-boundaries.js';
import type { DbOrTx } from '../../db/client.js';
import { IndexCache } from '../../platform/index-cache.js';
import {
  gridAt,
  gridRoutingIndex,
  invalidateGridRouting,
  type GridRoutingIndex,
} from '../grids/grid-routing.js';
import {
  boundariesForRouting,
  boundariesHolding,
  boundariesTouching,
  gridsWithRegionTouching,
  placeableRows,
  setPlacedRegions,
  type BoundaryRow,
  type PlaceableTable,
} from './region-routing.repo.js';

export { boundaryTokenSql } from './region-routing.repo.js';

// Which region a position is in, by the regions' boundaries (区划边界), and the one resolver every
// intake uses: a region the report names wins, then the grid at the place (its region), then the
// deepest region whose boundary holds the place. The box prefilter runs on the stored boxes (SQL or
// the in-memory lattice), the exact test in core (`deepestRegion`).

interface CachedBoundary extends TRegionShape {
  minLat: number;
  maxLat: number;
  minLng: number;
  maxLng: number;
  /** `id:xmin` — xmin changes with every update of the row, whoever makes it. */
  stamp: string;
}

/** Where the boundaries put a point, and the token the intake statement checks (as grids'). */
export interface RegionRoute {
  regionId: number | null;
  /** The regions with a boundary whose stored box holds the point, as `id:xmin` in id order. */
  token: string;
}

/** The regions with a boundary in memory, checked by every intake statement (as grids). */
export class RegionRoutingIndex {
  private readonly buckets: BoxBuckets<CachedBoundary>;

  constructor(regions: readonly CachedBoundary[]) {
    this.buckets = new BoxBuckets(regions);
  }

  route(lat: number, lng: number): RegionRoute {
    const holding = this.buckets.holding(lat, lng);
    return {
      regionId: deepestRegion(lng, lat, holding),
      token: holding.map((r) => r.stamp).join(','),
    };
  }
}

function cached(r: BoundaryRow): CachedBoundary {
  return {
    id: Number(r.id),
    depth: Number(r.depth),
    geometry: r.geometry,
    minLat: Number(r.min_lat),
    maxLat: Number(r.max_lat),
    minLng: Number(r.min_lng),
    maxLng: Number(r.max_lng),
    stamp: `${Number(r.id)}:${r.xmin}`,
  };
}

const cache = new IndexCache(
  async (db: DbOrTx) => new RegionRoutingIndex((await boundariesForRouting(db)).map(cached)),
);

/** The deepest region whose boundary holds the point, read from the table. */
export async function regionAt(db: DbOrTx, lat: number, lng: number): Promise<number | null> {
  const rows = await boundariesHolding(db, lat, lng);
  return deepestRegion(
    lng,
    lat,
    rows.map((r) => ({ id: Number(r.id), depth: Number(r.depth), geometry: r.geometry })),
  );
}

export type TRegionSource = 'given' | 'grid' | 'boundary';

/** Where an intake goes: its grid, its region and where the region came from. */
export interface Place {
  gridId: number | null;
  regionId: number | null;
  regionSource: TRegionSource | null;
  /** The grid token the statement checks; null: unchecked (read from the table). */
  gridToken: string | null;
  /** The boundary token the statement checks; null: unchecked, or the region is not by boundary. */
  boundaryToken: string | null;
  /** Drops the in-memory indexes this place was routed with (the statement found them stale). */
  stale: () => void;
}

/**
 * The one resolver of every intake: a named region wins ('given'); else the grid at the place
 * gives its region ('grid'); else the deepest region whose boundary holds the place
 * ('boundary'); else none. With `cached`, from the in-memory indexes, whose tokens the write
 * statement must check; without, from the tables (tokens null).
 */
export async function resolvePlace(
  db: DbOrTx,
  at: { regionId?: number | null | undefined; lat?: number | null; lng?: number | null },
  cachedIndexes = true,
): Promise<Place> {
  const given = at.regionId ?? null;
  const place: Place = {
    gridId: null,
    regionId: given,
    regionSource: given === null ? null : 'given',
    gridToken: null,
    boundaryToken: null,
    stale: () => {},
  };
  if (at.lat == null || at.lng == null) return place;
  const { lat, lng } = at;
  let gridIndex: GridRoutingIndex | null = null;
  let regionIndex: RegionRoutingIndex | null = null;
  place.stale = () => {
    if (gridIndex) invalidateGridRouting(db, gridIndex);
    if (regionIndex) cache.invalidate(db, regionIndex);
  };
  let grid: { id: number; regionId: number } | null;
  if (cachedIndexes) {
    gridIndex = await gridRoutingIndex(db);
    const route = gridIndex.route(lat, lng);
    grid = route.grid;
    place.gridToken = route.token;
  } else {
    grid = await gridAt(db, lat, lng);
  }
  place.gridId = grid?.id ?? null;
  if (given !== null) return place;
  if (grid) return { ...place, regionId: grid.regionId, regionSource: 'grid' };
  let regionId: number | null;
  if (cachedIndexes) {
    regionIndex = await cache.get(db);
    const route = regionIndex.route(lat, lng);
    regionId = route.regionId;
    place.boundaryToken = route.token;
  } else {
    regionId = await regionAt(db, lat, lng);
  }
  return { ...place, regionId, regionSource: regionId === null ? null : 'boundary' };
}

const BATCH = 20_000;

/** What a boundary change did to the rows it re-derived. */
export interface Replaced {
  scanned: number;
  placed: number;
  moved: number;
  unplaced: number;
}

/**
 * Re-derives the region of the located problems and points the boundaries decide (placed by a
 * boundary, or with none; problems outside every grid) within the given boxes — the old and new
 * extents of the changed boundaries. Keyset batches, in-memory lattices of the boundaries (and, for
 * points, the grids) touching the boxes, only the changed rows written back through one `unnest`
 * update per batch. Runs inside the caller's transaction, after the boundaries were written.
 * Answers the problems' counts, and the points' under `points`.
 */
export async function replaceWithin(
  tx: DbOrTx,
  boxes: readonly BBox[],
): Promise<Replaced & { points: Replaced }> {
  const none = { scanned: 0, placed: 0, moved: 0, unplaced: 0 };
  if (!boxes.length) return { ...none, points: none };
  const index = new RegionRoutingIndex((await boundariesTouching(tx, boxes)).map(cached));
  const gridRows = await gridsWithRegionTouching(tx, boxes);
  const grids = new GridIndex(gridRows.map((g) => ({ id: Number(g.id), geometry: g.geometry })));
  const gridRegion = new Map(gridRows.map((g) => [Number(g.id), Number(g.region_id)]));
  const problems = await replaceRows(tx, 'problems', boxes, (lat, lng) => ({
    regionId: index.route(lat, lng).regionId,
    source: 'boundary',
  }));
  // A point has no stored grid: a grid at its place wins, as at its creation.
  const points = await replaceRows(tx, 'points', boxes, (lat, lng) => {
    const grid = grids.lookup(lng, lat);
    return grid !== null
      ? { regionId: gridRegion.get(grid)!, source: 'grid' }
      : { regionId: index.route(lat, lng).regionId, source: 'boundary' };
  });
  return { ...problems, points };
}

async function replaceRows(
  tx: DbOrTx,
  table: PlaceableTable,
  boxes: readonly BBox[],
  placeOf: (lat: number, lng: number) => { regionId: number | null; source: 'grid' | 'boundary' },
): Promise<Replaced> {
  const out: Replaced = { scanned: 0, placed: 0, moved: 0, unplaced: 0 };
  let after = 0;
  for (;;) {
    const rows = await placeableRows(tx, table, boxes, after, BATCH);
    if (!rows.length) break;
    after = Number(rows[rows.length - 1]!.id);
    out.scanned += rows.length;
    const ids: number[] = [];
    const to: (number | null)[] = [];
    const src: ('grid' | 'boundary' | null)[] = [];
    for (const r of rows) {
      const now = placeOf(Number(r.lat), Number(r.lng));
      const had = r.region_id === null ? null : Number(r.region_id);
      if (now.regionId === had) continue;
      ids.push(Number(r.id));
      to.push(now.regionId);
      src.push(now.regionId === null ? null : now.source);
      if (had === null) out.placed++;
      else if (now.regionId === null) out.unplaced++;
      else out.moved++;
    }
    if (ids.length) await setPlacedRegions(tx, table, ids, to, src);
    if (rows.length < BATCH) break;
  }
  return out;
}
