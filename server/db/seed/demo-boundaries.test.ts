import { describe, expect, it } from 'vitest';
import { pointInArea } from '../../../core/geo/polygon.js';
import { readBoundaryFeatures } from '../../../core/org/region-boundaries.js';
import {
  DEMO_DISTRICT_AREAS,
  DEMO_STREET_AREAS,
  demoBoundaryCollection,
  demoPositionIn,
} from './demo-boundaries.js';
import { DEMO_DISTRICTS } from './demo-city.data.js';
import { DEMO_GRID_CELLS, demoGridShape } from './demo-grids.js';

// The demo layout without a database: streets inside their districts, grids inside their
// streets, demo positions inside their streets (the seeded check is in demo-history.int.test.ts).

const rectShape = ([w, s, e, n]: readonly number[]) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [w!, s!],
      [e!, s!],
      [e!, n!],
      [w!, n!],
      [w!, s!],
    ] as [number, number][],
  ],
});

describe('demo boundaries', () => {
  it('has one outline per demo district and street, each readable by the import', () => {
    const streets = DEMO_DISTRICTS.flatMap((d) =>
      d.streets.map((_, i) => `${d.code}${String(i + 1).padStart(3, '0')}`),
    );
    expect(Object.keys(DEMO_STREET_AREAS).sort()).toEqual(streets.sort());
    expect(Object.keys(DEMO_DISTRICT_AREAS).sort()).toEqual(
      DEMO_DISTRICTS.map((d) => d.code).sort(),
    );
    const read = readBoundaryFeatures(demoBoundaryCollection());
    expect(read.errors).toEqual([]);
    expect(read.features).toHaveLength(3 + 13);
  });

  it("every street's outline lies in its district, and its inner rectangle in the street", () => {
    for (const [code, a] of Object.entries(DEMO_STREET_AREAS)) {
      const district = rectShape(DEMO_DISTRICT_AREAS[code.slice(0, 6)]!);
      const ring = a.outline.type === 'Polygon' ? a.outline.coordinates[0]! : [];
      for (const [lng, lat] of ring) expect(pointInArea(lng, lat, district), code).toBe(true);
      const [w, s, e, n] = a.inner;
      for (const [lng, lat] of [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
      ] as const) {
        expect(pointInArea(lng, lat, a.outline), code).toBe(true);
      }
    }
  });

  it("every demo grid lies in its community's street, and demo positions in theirs", () => {
    for (const cell of DEMO_GRID_CELLS) {
      const street = DEMO_STREET_AREAS[cell.community.slice(0, 9)]!.outline;
      const g = demoGridShape(cell);
      for (const [lng, lat] of g.coordinates[0]!) {
        expect(pointInArea(lng, lat, street), cell.name).toBe(true);
      }
    }
    for (const code of Object.keys(DEMO_STREET_AREAS)) {
      for (let k = 0; k < 30; k++) {
        const p = demoPositionIn(`${code}001`, k)!;
        expect(pointInArea(p.lng, p.lat, DEMO_STREET_AREAS[code]!.outline)).toBe(true);
      }
    }
  });
});
