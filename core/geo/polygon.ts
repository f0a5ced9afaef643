/**
 * Polygons in GeoJSON order ([lng, lat], WGS-84): the jurisdiction, grids and duty zones. A ring is
 * closed or not (both accepted); the first ring of a polygon is its outline, the others are holes.
 */

export type TPosition = [number, number];
export type TRing = TPosition[];
export interface TPolygonGeometry {
  type: 'Polygon';
  coordinates: TRing[];
}
export interface TMultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: TRing[][];
}
export type TAreaGeometry = TPolygonGeometry | TMultiPolygonGeometry;

export interface BBox {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

/**
 * Even–odd test of one ring. A point exactly on an edge or vertex counts as inside, so two grids
 * sharing an edge both claim points on it; callers that need one owner break the tie (e.g. by id).
 */
export function inRing(lng: number, lat: number, ring: TRing): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (onSegment(lng, lat, xi, yi, xj, yj)) return true;
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function onSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number) {
  const cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
  const scale = Math.max(Math.abs(bx - ax), Math.abs(by - ay), 1e-12);
  if (Math.abs(cross) > 1e-12 * scale) return false;
  return (
    px >= Math.min(ax, bx) - 1e-12 &&
    px <= Math.max(ax, bx) + 1e-12 &&
    py >= Math.min(ay, by) - 1e-12 &&
    py <= Math.max(ay, by) + 1e-12
  );
}

function inPolygonRings(lng: number, lat: number, rings: TRing[]): boolean {
  const [outline, ...holes] = rings;
  if (!outline || !inRing(lng, lat, outline)) return false;
  // A point on a hole's edge is on the area's boundary: inside, like the outline's edge.
  return !holes.some((h) => inRing(lng, lat, h) && !onRingEdge(lng, lat, h));
}

function onRingEdge(lng: number, lat: number, ring: TRing): boolean {
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    if (onSegment(lng, lat, ring[i]![0], ring[i]![1], ring[j]![0], ring[j]![1])) return true;
  }
  return false;
}

/** True when the point lies in the area (boundary included, holes excluded). */
export function pointInArea(lng: number, lat: number, g: TAreaGeometry): boolean {
  if (g.type === 'Polygon') return inPolygonRings(lng, lat, g.coordinates);
  return g.coordinates.some((rings) => inPolygonRings(lng, lat, rings));
}

export function bboxOf(g: TAreaGeometry): BBox {
  const box = { minLng: Infinity, minLat: Infinity, maxLng: -Infinity, maxLat: -Infinity };
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const rings of polys) {
    for (const [lng, lat] of rings[0] ?? []) {
      box.minLng = Math.min(box.minLng, lng);
      box.minLat = Math.min(box.minLat, lat);
      box.maxLng = Math.max(box.maxLng, lng);
      box.maxLat = Math.max(box.maxLat, lat);
    }
  }
  return box;
}

/** Problems with a ring, in words, or null: at least 3 distinct positions, numbers in range. */
export function ringProblem(ring: TRing): string | null {
  const distinct = new Set(ring.map(([x, y]) => `${x},${y}`));
  if (distinct.size < 3) return 'a ring needs at least 3 distinct positions';
  for (const [lng, lat] of ring) {
    if (!(lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90)) {
      return `position [${lng}, ${lat}] is outside longitude −180…180 / latitude −90…90`;
    }
  }
  return null;
}
