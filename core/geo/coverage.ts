import { bboxOf, pointInArea, type TAreaGeometry } from './polygon.js';

/**
 * Patrol coverage (巡查覆盖率). The grid is cut into square cells of `cellM` metres (a local flat
 * projection at the grid's centre — exact enough over the kilometre or two a grid spans); the cells
 * whose centre lies in the grid are what must be walked. A cell counts as visited when its centre is
 * within `reachM` of the track, the track densified every few metres so a straight walk between
 * two GPS samples visits the cells it passes. Coverage is visited cells ÷ cells in the grid.
 */
export interface TCellGrid {
  originLng: number;
  originLat: number;
  cellM: number;
  cols: number;
  rows: number;
  /** Metres per degree of longitude at the grid's centre. */
  mPerLng: number;
  /** Indices (row × cols + col) of the cells whose centre is in the grid, ascending. */
  inside: number[];
}

export interface TTrackPoint {
  lat: number;
  lng: number;
}

const M_PER_LAT = 111_320;
/** Grids larger than this many cells use bigger cells, so one grid never costs more than this. */
const MAX_CELLS = 250_000;

/** The cells of a grid's area. */
export function cellGrid(geometry: TAreaGeometry, cellM = 50): TCellGrid {
  const box = bboxOf(geometry);
  const midLat = (box.minLat + box.maxLat) / 2;
  const mPerLng = M_PER_LAT * Math.cos((midLat * Math.PI) / 180);
  const w = (box.maxLng - box.minLng) * mPerLng;
  const h = (box.maxLat - box.minLat) * M_PER_LAT;
  // A side of exactly k cells must not become k + 1 by rounding.
  const count = (len: number, size: number) => Math.max(1, Math.ceil(len / size - 1e-9));
  let size = cellM;
  while (count(w, size) * count(h, size) > MAX_CELLS) size *= 2;
  const cols = count(w, size);
  const rows = count(h, size);
  const inside: number[] = [];
  for (let r = 0; r < rows; r++) {
    const lat = box.minLat + ((r + 0.5) * size) / M_PER_LAT;
    for (let c = 0; c < cols; c++) {
      const lng = box.minLng + ((c + 0.5) * size) / mPerLng;
      if (pointInArea(lng, lat, geometry)) inside.push(r * cols + c);
    }
  }
  return {
    originLng: box.minLng,
    originLat: box.minLat,
    cellM: size,
    cols,
    rows,
    mPerLng,
    inside,
  };
}

/** The grid's cells visited by a track (ascending indices; only cells inside the grid). */
export function visitedCells(
  grid: TCellGrid,
  track: readonly TTrackPoint[],
  reachM = 50,
): number[] {
  const inside = new Set(grid.inside);
  const seen = new Set<number>();
  const toXY = (p: TTrackPoint): [number, number] => [
    (p.lng - grid.originLng) * grid.mPerLng,
    (p.lat - grid.originLat) * M_PER_LAT,
  ];
  const mark = (x: number, y: number) => {
    const span = Math.ceil(reachM / grid.cellM);
    const c0 = Math.floor(x / grid.cellM);
    const r0 = Math.floor(y / grid.cellM);
    for (let r = r0 - span; r <= r0 + span; r++) {
      if (r < 0 || r >= grid.rows) continue;
      for (let c = c0 - span; c <= c0 + span; c++) {
        if (c < 0 || c >= grid.cols) continue;
        const cx = (c + 0.5) * grid.cellM;
        const cy = (r + 0.5) * grid.cellM;
        if (Math.hypot(cx - x, cy - y) > reachM) continue;
        const k = r * grid.cols + c;
        if (inside.has(k)) seen.add(k);
      }
    }
  };
  const step = Math.max(1, Math.min(reachM, grid.cellM) / 2);
  let prev: [number, number] | null = null;
  for (const p of track) {
    const cur = toXY(p);
    if (prev) {
      const d = Math.hypot(cur[0] - prev[0], cur[1] - prev[1]);
      // A jump longer than 2 km is a GPS glitch or a ride, not a walk: do not paint the line.
      if (d <= 2000) {
        const n = Math.ceil(d / step);
        for (let i = 1; i < n; i++) {
          mark(prev[0] + ((cur[0] - prev[0]) * i) / n, prev[1] + ((cur[1] - prev[1]) * i) / n);
        }
      }
    }
    mark(cur[0], cur[1]);
    prev = cur;
  }
  return [...seen].sort((a, b) => a - b);
}

/** Share of the grid's cells in the union of the visited sets (0 for a grid without cells). */
export function coverageShare(grid: TCellGrid, ...visited: readonly (readonly number[])[]): number {
  if (!grid.inside.length) return 0;
  const union = new Set<number>();
  for (const v of visited) for (const k of v) union.add(k);
  return union.size / grid.inside.length;
}

/** Length of a track in metres (great-circle per leg). */
export function trackLengthM(track: readonly TTrackPoint[]): number {
  let total = 0;
  for (let i = 1; i < track.length; i++) {
    const a = track[i - 1]!;
    const b = track[i]!;
    const dLat = ((b.lat - a.lat) * Math.PI) / 180;
    const dLng = ((b.lng - a.lng) * Math.PI) / 180;
    const h =
      Math.sin(dLat / 2) ** 2 +
      Math.cos((a.lat * Math.PI) / 180) *
        Math.cos((b.lat * Math.PI) / 180) *
        Math.sin(dLng / 2) ** 2;
    total += 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
  }
  return total;
}
