import type { BBox } from './polygon.js';

/** Something with a stored bounding box. */
export interface TBoxed {
  id: number;
  minLat: number;
  maxLat: number;
  minLng: number;
  maxLng: number;
}

/**
 * A uniform lattice over stored boxes, each bucket listing (in id order) the items whose box
 * touches it: `holding` answers the items whose box holds a point — the same comparison as the
 * SQL box prefilter — from one bucket. The exact point-in-polygon is the caller's.
 */
export class BoxBuckets<T extends TBoxed> {
  private readonly buckets = new Map<number, T[]>();
  private readonly box: BBox;
  private readonly step: number;
  private readonly cols: number;

  constructor(items: readonly T[]) {
    this.box = items.length
      ? {
          minLng: Math.min(...items.map((g) => g.minLng)),
          minLat: Math.min(...items.map((g) => g.minLat)),
          maxLng: Math.max(...items.map((g) => g.maxLng)),
          maxLat: Math.max(...items.map((g) => g.maxLat)),
        }
      : { minLng: 1, minLat: 1, maxLng: -1, maxLat: -1 };
    const side = Math.max(1, Math.ceil(Math.sqrt(items.length)) * 2);
    const span = Math.max(this.box.maxLng - this.box.minLng, this.box.maxLat - this.box.minLat);
    this.step = span > 0 ? span / side : 1;
    this.cols = side + 1;
    // In id order, so each bucket's list (and so every token made from it) is in id order.
    for (const g of [...items].sort((a, b) => a.id - b.id)) {
      const [c0, r0] = this.cell(g.minLng, g.minLat);
      const [c1, r1] = this.cell(g.maxLng, g.maxLat);
      for (let r = r0; r <= r1; r++) {
        for (let c = c0; c <= c1; c++) {
          const k = r * this.cols + c;
          const list = this.buckets.get(k);
          if (list) list.push(g);
          else this.buckets.set(k, [g]);
        }
      }
    }
  }

  /** Monotonic in each coordinate, so a point inside a box falls in one of the box's buckets. */
  private cell(lng: number, lat: number): [number, number] {
    const c = Math.floor((lng - this.box.minLng) / this.step);
    const r = Math.floor((lat - this.box.minLat) / this.step);
    return [Math.min(Math.max(c, 0), this.cols - 1), Math.min(Math.max(r, 0), this.cols - 1)];
  }

  /** The items whose stored box holds the point, in id order. */
  holding(lat: number, lng: number): T[] {
    if (
      lng < this.box.minLng ||
      lng > this.box.maxLng ||
      lat < this.box.minLat ||
      lat > this.box.maxLat
    ) {
      return [];
    }
    const [c, r] = this.cell(lng, lat);
    return (this.buckets.get(r * this.cols + c) ?? []).filter(
      (g) => g.minLat <= lat && g.maxLat >= lat && g.minLng <= lng && g.maxLng >= lng,
    );
  }
}
