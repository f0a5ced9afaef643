import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { owningGrid } from '../../../core/grids/grid-index.js';
import { bboxOf, type TAreaGeometry, type TRing } from '../../../core/geo/polygon.js';
import { GridRoutingIndex } from './grid-routing.js';

// The intake's in-memory grid index must route every point exactly as `gridAt` does (the grids
// whose stored box holds the point, then `owningGrid`), and name those grids in id order — the
// token the intake statement recomputes from the table.

type G = ConstructorParameters<typeof GridRoutingIndex>[0][number];

function grid(id: number, geometry: TAreaGeometry, xmin = 100 + id): G {
  const b = bboxOf(geometry);
  return {
    id,
    regionId: 1000 + id,
    geometry,
    minLat: b.minLat,
    maxLat: b.maxLat,
    minLng: b.minLng,
    maxLng: b.maxLng,
    stamp: `${id}:${xmin}`,
  };
}

/** What gridAt's SQL and core decide, over every grid. */
function brute(grids: readonly G[], lat: number, lng: number) {
  const holding = grids
    .filter((g) => g.minLat <= lat && g.maxLat >= lat && g.minLng <= lng && g.maxLng >= lng)
    .sort((a, b) => a.id - b.id);
  const id = owningGrid(lng, lat, holding);
  return {
    grid: id === null ? null : { id, regionId: 1000 + id },
    token: holding.map((g) => g.stamp).join(','),
  };
}

const ring = (x0: number, y0: number, x1: number, y1: number): TRing => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const rect = (x0: number, y0: number, x1: number, y1: number): TAreaGeometry => ({
  type: 'Polygon',
  coordinates: [ring(x0, y0, x1, y1)],
});

describe('GridRoutingIndex', () => {
  it('routes a lattice with shared edges, a hole and overlaps as gridAt does, on edges too', () => {
    const grids: G[] = [];
    let id = 7;
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 5; c++)
        grids.push(grid(id++, rect(c * 0.01, r * 0.01, c * 0.01 + 0.01, r * 0.01 + 0.01)));
    }
    grids.push(
      grid(3, {
        type: 'Polygon',
        coordinates: [ring(0.012, 0.012, 0.03, 0.03), ring(0.015, 0.015, 0.02, 0.02)],
      }),
    );
    const index = new GridRoutingIndex(grids);
    const steps = [
      -0.005, 0, 0.0025, 0.005, 0.01, 0.012, 0.015, 0.0175, 0.02, 0.03, 0.04, 0.05, 0.055,
    ];
    for (const lat of steps) {
      for (const lng of steps) expect(index.route(lat, lng)).toEqual(brute(grids, lat, lng));
    }
  });

  it('agrees with the brute force for random grids and points (property)', () => {
    const box = fc
      .tuple(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.001, max: 0.4, noNaN: true }),
        fc.double({ min: 0.001, max: 0.4, noNaN: true }),
      )
      .map(([x, y, w, h]) => rect(x, y, x + w, y + h));
    fc.assert(
      fc.property(
        fc.array(box, { minLength: 0, maxLength: 30 }),
        fc.array(
          fc.tuple(
            fc.double({ min: -0.2, max: 1.6, noNaN: true }),
            fc.double({ min: -0.2, max: 1.6, noNaN: true }),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        (shapes, points) => {
          const grids = shapes.map((s, k) => grid(k + 1, s));
          const index = new GridRoutingIndex(grids);
          // Random points, and every corner of every grid (exactly on the box).
          const corners = grids.flatMap((g) => [
            [g.minLng, g.minLat],
            [g.maxLng, g.maxLat],
            [g.minLng, g.maxLat],
          ]);
          for (const [lng, lat] of [...points, ...corners] as [number, number][]) {
            expect(index.route(lat, lng)).toEqual(brute(grids, lat, lng));
          }
        },
      ),
      { seed: 16, numRuns: 200 },
    );
  });

  it('has an empty token and no grid where no box holds the point, and with no grids', () => {
    expect(new GridRoutingIndex([]).route(30, 120)).toEqual({ grid: null, token: '' });
    const index = new GridRoutingIndex([grid(1, rect(120, 30, 120.01, 30.01), 555)]);
    expect(index.route(30.005, 120.005)).toEqual({
      grid: { id: 1, regionId: 1001 },
      token: '1:555',
    });
    expect(index.route(30.02, 120.005)).toEqual({ grid: null, token: '' });
  });
});
