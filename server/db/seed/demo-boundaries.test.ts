import { describe, expect, it } from 'vitest';
import { pointInArea, type TAreaGeometry } from '../../../core/geo/polygon.js';
import { deepestRegion } from '../../../core/org/region-boundaries.js';
import { readBoundaryFeatures } from '../../../core/org/region-boundaries.js';
import {
  DEMO_COMMUNITY_AREAS,
  DEMO_DISTRICT_AREAS,
  DEMO_STREET_AREAS,
  demoBoundaryCollection,
  demoPositionIn,
} from './demo-boundaries.js';
import { DEMO_DISTRICTS } from './demo-city.data.js';
import { DEMO_GRID_CELLS, demoGridShape } from './demo-grids.js';

// The demo layout without a database: streets inside their districts, communities tiling their
// streets, grids inside their communities, demo positions inside their communities (the seeded
// check is in demo-history.int.test.ts).

const rectShape = ([w, s, e, n]: readonly number[]): TAreaGeometry => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [w!, s!],
      [e!, s!],
      [e!, n!],
      [w!, n!],
      [w!, s!],
    ],
  ],
});

const corners = (g: TAreaGeometry) => (g.type === 'Polygon' ? g.coordinates[0]! : []);
const area = ([w, s, e, n]: readonly number[]) => (e! - w!) * (n! - s!);

/** Every demo region with a boundary as the resolver sees it (depth: district 1 … community 3). */
const shapes = [
  ...Object.entries(DEMO_DISTRICT_AREAS).map(([code, r]) => ({
    code,
    depth: 1,
    geometry: rectShape(r),
  })),
  ...Object.entries(DEMO_STREET_AREAS).map(([code, geometry]) => ({ code, depth: 2, geometry })),
  ...Object.entries(DEMO_COMMUNITY_AREAS).map(([code, r]) => ({
    code,
    depth: 3,
    geometry: rectShape(r),
  })),
].map((s, id) => ({ ...s, id }));
const resolve = (lng: number, lat: number) => {
  const id = deepestRegion(lng, lat, shapes);
  return id === null ? null : shapes[id]!.code;
};

describe('demo boundaries', () => {
  it('has one outline per demo district, street and community, each readable by the import', () => {
    const streets = DEMO_DISTRICTS.flatMap((d) =>
      d.streets.map((_, i) => `${d.code}${String(i + 1).padStart(3, '0')}`),
    );
    const communities = DEMO_DISTRICTS.flatMap((d) =>
      d.streets.flatMap((s, i) =>
        s.communities.map(
          (_, j) => `${d.code}${String(i + 1).padStart(3, '0')}${String(j + 1).padStart(3, '0')}`,
        ),
      ),
    );
    expect(Object.keys(DEMO_STREET_AREAS).sort()).toEqual(streets.sort());
    expect(Object.keys(DEMO_COMMUNITY_AREAS).sort()).toEqual(communities.sort());
    expect(Object.keys(DEMO_DISTRICT_AREAS).sort()).toEqual(
      DEMO_DISTRICTS.map((d) => d.code).sort(),
    );
    const read = readBoundaryFeatures(demoBoundaryCollection());
    expect(read.errors).toEqual([]);
    expect(read.features).toHaveLength(3 + 13 + 43);
  });

  it("every street's outline lies in its district", () => {
    for (const [code, outline] of Object.entries(DEMO_STREET_AREAS)) {
      const district = rectShape(DEMO_DISTRICT_AREAS[code.slice(0, 6)]!);
      for (const [lng, lat] of corners(outline)) {
        expect(pointInArea(lng, lat, district), code).toBe(true);
      }
    }
  });

  it('the communities of a street tile it: inside it, not overlapping, its whole area', () => {
    for (const [street, outline] of Object.entries(DEMO_STREET_AREAS)) {
      const own = Object.entries(DEMO_COMMUNITY_AREAS).filter(([c]) => c.startsWith(street));
      for (const [code, r] of own) {
        for (const [lng, lat] of corners(rectShape(r))) {
          expect(pointInArea(lng, lat, outline), code).toBe(true);
        }
        for (const [other, o] of own) {
          if (other === code) continue;
          const overlap =
            Math.min(r[2], o[2]) - Math.max(r[0], o[0]) > 1e-9 &&
            Math.min(r[3], o[3]) - Math.max(r[1], o[1]) > 1e-9;
          expect(overlap, `${code} ~ ${other}`).toBe(false);
        }
      }
      // The L-shaped street's area by its two rectangles; the others are rectangles.
      const streetArea =
        street === '990102001'
          ? area([120.14, 30.24, 120.18, 30.277]) + area([120.14, 30.277, 120.155, 30.3])
          : area(corners(outline)[0]!.concat(corners(outline)[2]!));
      const sum = own.reduce((n, [, r]) => n + area(r), 0);
      expect(sum, street).toBeCloseTo(streetArea, 9);
    }
  });

  it('every demo grid lies in its own community', () => {
    for (const cell of DEMO_GRID_CELLS) {
      const g = demoGridShape(cell);
      const b = corners(g);
      const centre: [number, number] = [(b[0]![0] + b[2]![0]) / 2, (b[0]![1] + b[2]![1]) / 2];
      expect(resolve(...centre), cell.name).toBe(cell.community);
      for (const [lng, lat] of b) {
        expect(
          pointInArea(lng, lat, rectShape(DEMO_COMMUNITY_AREAS[cell.community]!)),
          cell.name,
        ).toBe(true);
      }
    }
  });

  it('demo positions resolve to their own community, and none of one community lie 20 m apart', () => {
    let closest = Infinity;
    for (const code of Object.keys(DEMO_COMMUNITY_AREAS)) {
      const seen: { lat: number; lng: number }[] = [];
      for (const k of Array.from({ length: 120 }, (_, i) => (i < 60 ? i : 440 + i))) {
        const p = demoPositionIn(code, k)!;
        expect(resolve(p.lng, p.lat), `${code} #${k}`).toBe(code);
        for (const q of seen) {
          closest = Math.min(
            closest,
            Math.hypot((p.lng - q.lng) * 96_000, (p.lat - q.lat) * 111_000),
          );
        }
        seen.push(p);
      }
    }
    expect(closest).toBeGreaterThan(20);
    expect(demoPositionIn('990199001001', 0)).toBeNull();
  });
});
