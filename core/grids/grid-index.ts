import { bboxOf, pointInArea, type BBox, type TAreaGeometry } from '../geo/polygon.js';

export interface TGridShape {
  id: number;
  geometry: TAreaGeometry;
}

/**
 * The grid that owns a point among candidates (already narrowed by bounding box): the containing
 * grid with the smallest id, so a point on an edge two grids share has one owner.
 */
export function owningGrid(
  lng: number,
  lat: number,
  candidates: readonly TGridShape[],
): number | null {
  let best: number | null = null;
  for (const g of candidates) {
    if ((best === null || g.id < best) && pointInArea(lng, lat, g.geometry)) best = g.id;
  }
  return best;
}

/**
 * An in-memory spatial index of grids for bulk assignment: a uniform bucket grid over the grids'
 * bounding boxes, each bucket listing the grids whose box touches it. A lookup tests only the
 * grids of one bucket, then the exact point-in-polygon.
 */
export class GridIndex {
  private readonly buckets = new Map<number, { g: TGridShape; box: BBox }[]>();
  private readonly box: BBox;
  private readonly step: number;
  private readonly cols: number;

  constructor(grids: readonly TGridShape[], bucketsPerSide?: number) {
    const boxes = grids.map((g) => ({ g, box: bboxOf(g.geometry) }));
    this.box = boxes.length
      ? {
          minLng: Math.min(...boxes.map((b) => b.box.minLng)),
          minLat: Math.min(...boxes.map((b) => b.box.minLat)),
          maxLng: Math.max(...boxes.map((b) => b.box.maxLng)),
          maxLat: Math.max(...boxes.map((b) => b.box.maxLat)),
        }
      : { minLng: 1, minLat: 1, maxLng: -1, maxLat: -1 };
    // About one grid per bucket side-by-side: √n buckets per side keeps buckets short.
    const side = bucketsPerSide ?? Math.max(1, Math.ceil(Math.sqrt(grids.length)) * 2);
    const span = Math.max(this.box.maxLng - this.box.minLng, this.box.maxLat - this.box.minLat);
    this.step = span > 0 ? span / side : 1;
    this.cols = side + 1;
    for (const b of boxes) {
      const [c0, r0] = this.cell(b.box.minLng, b.box.minLat);
      const [c1, r1] = this.cell(b.box.maxLng, b.box.maxLat);
      for (let r = r0; r <= r1; r++) {
        for (let c = c0; c <= c1; c++) {
          const k = r * this.cols + c;
          const list = this.buckets.get(k);
          if (list) list.push(b);
          else this.buckets.set(k, [b]);
        }
      }
    }
  }

  private cell(lng: number, lat: number): [number, number] {
    const c = Math.floor((lng - this.box.minLng) / this.step);
    const r = Math.floor((lat - this.box.minLat) / this.step);
    return [Math.min(Math.max(c, 0), this.cols - 1), Math.min(Math.max(r, 0), this.cols - 1)];
  }

  /** The owning grid of a point (smallest id among the containing grids), or null. */
  lookup(lng: number, lat: number): number | null {
    if (
      lng < this.box.minLng ||
      lng > this.box.maxLng ||
      lat < this.box.minLat ||
      lat > this.box.maxLat
    ) {
      return null;
    }
    const [c, r] = this.cell(lng, lat);
    const list = this.buckets.get(r * this.cols + c);
    if (!list) return null;
    let best: number | null = null;
    for (const { g, box } of list) {
      if (best !== null && g.id > best) continue;
      if (lng < box.minLng || lng > box.maxLng || lat < box.minLat || lat > box.maxLat) continue;
      if (pointInArea(lng, lat, g.geometry)) best = g.id;
    }
    return best;
  }
}
