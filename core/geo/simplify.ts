import { bboxOf, pointInArea, type TAreaGeometry, type TPosition, type TRing } from './polygon.js';

/**
 * Boundaries drawn as a map's base (no tiles): thinned to what a screen shows, so a city whose
 * imported boundaries carry tens of thousands of vertices still loads in one small answer.
 */

const M_PER_DEG = 111_320;

/** Positions of a ring or area, for the payload's budget. */
export function vertexCount(g: TAreaGeometry): number {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.reduce((n, p) => n + p.reduce((m, r) => m + r.length, 0), 0);
}

/**
 * Douglas–Peucker on one ring, in local metres (longitude scaled at the ring's latitude); the
 * result is closed and keeps at least a triangle, or is null when the ring is smaller than the
 * tolerance (a hole or islet too small to see).
 */
export function simplifyRing(ring: TRing, toleranceM: number): TRing | null {
  const open = closed(ring) ? ring.slice(0, -1) : ring.slice();
  if (open.length < 3) return null;
  const lat0 = open.reduce((s, p) => s + p[1], 0) / open.length;
  const kx = M_PER_DEG * Math.cos((lat0 * Math.PI) / 180);
  const xy = open.map(([lng, lat]) => [lng * kx, lat * M_PER_DEG] as const);
  // Split at the first position and the one farthest from it: both halves are open paths.
  let far = 0;
  let farD = -1;
  for (let i = 1; i < xy.length; i++) {
    const d = Math.hypot(xy[i]![0] - xy[0]![0], xy[i]![1] - xy[0]![1]);
    if (d > farD) [far, farD] = [i, d];
  }
  if (farD < toleranceM) return null;
  const keep = new Uint8Array(open.length);
  keep[0] = keep[far] = 1;
  const idx = [...xy.keys(), 0];
  dp(xy, idx, 0, far, toleranceM, keep);
  dp(xy, idx, far, idx.length - 1, toleranceM, keep);
  let out = open.filter((_, i) => keep[i]);
  if (out.length < 3) {
    // A sliver: keep the position farthest from the chord too, so the ring stays a triangle.
    out = open.filter((_, i) => keep[i] || i === farthestFromChord(xy, 0, far));
    if (out.length < 3) return null;
  }
  return [...out, out[0]!];
}

function closed(r: TRing): boolean {
  const a = r[0];
  const b = r[r.length - 1];
  return r.length > 1 && a![0] === b![0] && a![1] === b![1];
}

type XY = readonly (readonly [number, number])[];

/** Marks what to keep between idx[from] and idx[to] (iterative: rings may be long). */
function dp(xy: XY, idx: number[], from: number, to: number, tol: number, keep: Uint8Array) {
  const stack: [number, number][] = [[from, to]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    if (b - a < 2) continue;
    const [ax, ay] = xy[idx[a]!]!;
    const [bx, by] = xy[idx[b]!]!;
    let best = -1;
    let bestD = -1;
    for (let i = a + 1; i < b; i++) {
      const d = segmentDistance(xy[idx[i]!]!, ax, ay, bx, by);
      if (d > bestD) [best, bestD] = [i, d];
    }
    if (bestD > tol) {
      keep[idx[best]!] = 1;
      stack.push([a, best], [best, b]);
    }
  }
}

function farthestFromChord(xy: XY, a: number, b: number): number {
  let best = -1;
  let bestD = -1;
  for (let i = 0; i < xy.length; i++) {
    if (i === a || i === b) continue;
    const d = segmentDistance(xy[i]!, xy[a]![0], xy[a]![1], xy[b]![0], xy[b]![1]);
    if (d > bestD) [best, bestD] = [i, d];
  }
  return best;
}

function segmentDistance(
  p: readonly [number, number],
  ax: number,
  ay: number,
  bx: number,
  by: number,
) {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - ax) * dx + (p[1] - ay) * dy) / len2));
  return Math.hypot(p[0] - (ax + t * dx), p[1] - (ay + t * dy));
}

/** Rounds a ring to `decimals` (5 ≈ 1 m) and drops the repeats that leaves. */
function roundRing(ring: TRing, decimals: number): TRing {
  const f = 10 ** decimals;
  const out: TRing = [];
  for (const [lng, lat] of ring) {
    const p: TPosition = [Math.round(lng * f) / f, Math.round(lat * f) / f];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}

/**
 * An area thinned to `toleranceM` and rounded to `decimals`; polygons whose outline vanishes are
 * dropped, and holes that vanish are filled. Null when nothing is left to draw.
 */
export function simplifyArea(
  g: TAreaGeometry,
  toleranceM: number,
  decimals = 5,
): TAreaGeometry | null {
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates)
    .map((rings) => {
      const [outline, ...holes] = rings.map((r) =>
        simplifyRing(roundRing(r, decimals), toleranceM),
      );
      if (!outline) return null;
      return [outline, ...holes.filter((h): h is TRing => h !== null)];
    })
    .filter((p): p is TRing[] => p !== null);
  if (polys.length === 0) return null;
  return polys.length === 1
    ? { type: 'Polygon', coordinates: polys[0]! }
    : { type: 'MultiPolygon', coordinates: polys };
}

/** Twice the signed area of a ring, in square degrees (for comparing sizes only). */
function ringArea(r: TRing): number {
  let s = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    s += (r[j]![0] - r[i]![0]) * (r[j]![1] + r[i]![1]);
  }
  return Math.abs(s);
}

/**
 * Where an area's name goes: inside its largest polygon — the outline's centroid when that lies
 * inside, else the middle of the widest stretch across the polygon on one of a few parallels (an
 * L-shaped street's centroid may fall in its neighbour).
 */
export function labelPoint(g: TAreaGeometry): TPosition {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const largest = polys.reduce((a, b) => (ringArea(b[0]!) > ringArea(a[0]!) ? b : a));
  const poly: TAreaGeometry = { type: 'Polygon', coordinates: largest };
  const c = centroid(largest[0]!);
  if (c && pointInArea(c[0], c[1], poly)) return c;
  const box = bboxOf(poly);
  let best: TPosition = [(box.minLng + box.maxLng) / 2, (box.minLat + box.maxLat) / 2];
  let bestW = -1;
  for (const f of [0.5, 0.35, 0.65, 0.2, 0.8]) {
    const lat = box.minLat + (box.maxLat - box.minLat) * f;
    const xs = crossings(largest, lat).sort((a, b) => a - b);
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const w = xs[i + 1]! - xs[i]!;
      if (w > bestW) [bestW, best] = [w, [(xs[i]! + xs[i + 1]!) / 2, lat]];
    }
  }
  return best;
}

function centroid(r: TRing): TPosition | null {
  // Relative to the first vertex: products of raw longitudes (~120²) lose the digits that matter.
  const [ox, oy] = r[0]!;
  let a = 0;
  let x = 0;
  let y = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const x0 = r[j]![0] - ox;
    const y0 = r[j]![1] - oy;
    const x1 = r[i]![0] - ox;
    const y1 = r[i]![1] - oy;
    const f = x0 * y1 - x1 * y0;
    a += f;
    x += (x0 + x1) * f;
    y += (y0 + y1) * f;
  }
  return a === 0 ? null : [ox + x / (3 * a), oy + y / (3 * a)];
}

/** Longitudes where the rings cross a parallel (even–odd pairs give the inside stretches). */
function crossings(rings: TRing[], lat: number): number[] {
  const xs: number[] = [];
  for (const r of rings) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i]!;
      const [xj, yj] = r[j]!;
      if (yi > lat !== yj > lat) xs.push(xi + ((lat - yi) * (xj - xi)) / (yj - yi));
    }
  }
  return xs;
}
