import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoxBuckets } from '../geo/box-buckets.js';
import { bboxOf, type TAreaGeometry } from '../geo/polygon.js';
import { deepestRegion, readBoundaryFeatures, type TRegionShape } from './region-boundaries.js';

const sq = (x0: number, y0: number, x1: number, y1: number): TAreaGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
});
const feature = (properties: Record<string, unknown>, geometry: unknown) => ({
  type: 'Feature',
  properties,
  geometry,
});

describe('deepestRegion', () => {
  const city: TRegionShape = { id: 1, depth: 0, geometry: sq(120, 30, 121, 31) };
  const district: TRegionShape = { id: 2, depth: 1, geometry: sq(120.2, 30.2, 120.8, 30.8) };
  const streetA: TRegionShape = { id: 4, depth: 2, geometry: sq(120.2, 30.2, 120.5, 30.5) };
  const streetB: TRegionShape = { id: 3, depth: 2, geometry: sq(120.5, 30.2, 120.8, 30.5) };
  const all = [city, streetA, district, streetB];

  it('takes the most specific region holding the point, whatever the order', () => {
    expect(deepestRegion(120.3, 30.3, all)).toBe(4);
    expect(deepestRegion(120.3, 30.7, all)).toBe(2);
    expect(deepestRegion(120.1, 30.1, all)).toBe(1);
    expect(deepestRegion(121.5, 30.1, all)).toBeNull();
    expect(deepestRegion(120.3, 30.3, [...all].reverse())).toBe(4);
  });

  it('a point on the edge two streets share goes to the smaller id', () => {
    expect(deepestRegion(120.5, 30.3, all)).toBe(3);
  });

  it('never answers a region that does not hold the point, nor a shallower one than holds it', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 119.9, max: 121.1, noNaN: true }),
        fc.double({ min: 29.9, max: 31.1, noNaN: true }),
        (lng, lat) => {
          const got = deepestRegion(lng, lat, all);
          const holding = all.filter(
            (r) =>
              lng >= bboxOf(r.geometry).minLng &&
              lng <= bboxOf(r.geometry).maxLng &&
              lat >= bboxOf(r.geometry).minLat &&
              lat <= bboxOf(r.geometry).maxLat,
          );
          if (!holding.length) return got === null;
          const depth = Math.max(...holding.map((r) => r.depth));
          return all.find((r) => r.id === got)?.depth === depth;
        },
      ),
    );
  });

  it('the box lattice finds the same candidates as a scan of every box', () => {
    const shapes = all.map((r) => ({ ...r, ...bboxOf(r.geometry) }));
    const buckets = new BoxBuckets(shapes);
    fc.assert(
      fc.property(
        fc.double({ min: 119.9, max: 121.1, noNaN: true }),
        fc.double({ min: 29.9, max: 31.1, noNaN: true }),
        (lng, lat) => {
          const scan = shapes
            .filter((s) => s.minLat <= lat && s.maxLat >= lat && s.minLng <= lng && s.maxLng >= lng)
            .map((s) => s.id)
            .sort((a, b) => a - b);
          return (
            JSON.stringify(buckets.holding(lat, lng).map((s) => s.id)) === JSON.stringify(scan)
          );
        },
      ),
    );
  });
});

describe('readBoundaryFeatures', () => {
  it('names regions by code (Chinese keys too) or, without one, by name', () => {
    const r = readBoundaryFeatures({
      type: 'FeatureCollection',
      features: [
        feature({ code: 330102, name: '上城区' }, sq(120, 30, 121, 31)),
        feature({ 区划代码: '330102001000' }, sq(120, 30, 121, 31)),
        feature({ 名称: '湖滨街道' }, sq(120, 30, 121, 31)),
      ],
    });
    expect(r.errors).toEqual([]);
    expect(r.features.map((f) => [f.row, f.code, f.name])).toEqual([
      [1, '330102', null],
      [2, '330102001000', null],
      [3, null, '湖滨街道'],
    ]);
  });

  it('refuses open rings (grids accept them), positions outside China, features naming nothing', () => {
    const open = {
      type: 'Polygon',
      coordinates: [sq(120, 30, 121, 31).coordinates[0]!.slice(0, 4)],
    };
    const r = readBoundaryFeatures({
      type: 'FeatureCollection',
      features: [
        feature({ code: '1' }, open),
        feature({ code: '2' }, sq(20, 30, 121, 31)),
        feature({}, sq(120, 30, 121, 31)),
        { type: 'Nope', properties: { code: '4' }, geometry: sq(120, 30, 121, 31) },
        feature({ code: '5' }, { type: 'Point', coordinates: [120, 30] }),
      ],
    });
    expect(r.features).toEqual([]);
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [1, 'geometry'],
      [2, 'geometry'],
      [3, 'code'],
      [4, 'type'],
      [5, 'geometry'],
    ]);
    expect(r.errors[0]!.reason).toBe(
      '边界图形无效 / invalid boundary: a ring is not closed (its last position must repeat the first)',
    );
    expect(readBoundaryFeatures([]).errors).toEqual([
      { row: 0, column: 'type', reason: 'not a GeoJSON FeatureCollection' },
    ]);
  });
});
