import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pointInArea, type TAreaGeometry } from '../geo/polygon.js';
import { GridIndex, owningGrid, type TGridShape } from './grid-index.js';
import { gridCodeProblem, nextGridCode } from './grid-code.js';
import { readGridFeatures } from './grid-geojson.js';

const rect = (id: number, x0: number, y0: number, x1: number, y1: number): TGridShape => ({
  id,
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
      ],
    ],
  },
});

/** A jittered quadrilateral per cell of an n×n lattice: neighbours overlap or leave gaps. */
function quads(n: number, seed: number): TGridShape[] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.2;
  const out: TGridShape[] = [];
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const g: TAreaGeometry = {
        type: 'Polygon',
        coordinates: [
          [
            [118 + c + rnd(), 32 + r + rnd()],
            [119 + c + rnd(), 32 + r + rnd()],
            [119 + c + rnd(), 33 + r + rnd()],
            [118 + c + rnd(), 33 + r + rnd()],
          ],
        ],
      };
      out.push({ id: r * n + c + 1, geometry: g });
    }
  }
  return out;
}

describe('grid ownership', () => {
  it('gives a point on a shared edge to the smaller id', () => {
    const grids = [rect(7, 0, 0, 1, 1), rect(3, 1, 0, 2, 1)];
    expect(owningGrid(1, 0.5, grids)).toBe(3);
    expect(owningGrid(0.5, 0.5, grids)).toBe(7);
    expect(owningGrid(3, 0.5, grids)).toBeNull();
    expect(new GridIndex(grids).lookup(1, 0.5)).toBe(3);
  });

  it('the index agrees with testing every grid, for any point', () => {
    const grids = quads(6, 42);
    const index = new GridIndex(grids);
    fc.assert(
      fc.property(
        fc.double({ min: 117.5, max: 124.5, noNaN: true }),
        fc.double({ min: 31.5, max: 38.5, noNaN: true }),
        (lng, lat) => {
          const brute = grids
            .filter((g) => pointInArea(lng, lat, g.geometry))
            .map((g) => g.id)
            .sort((a, b) => a - b)[0];
          expect(index.lookup(lng, lat)).toBe(brute ?? null);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('an empty index finds nothing', () => {
    expect(new GridIndex([]).lookup(118, 32)).toBeNull();
  });
});

describe('grid codes', () => {
  it('accepts the community code plus a sequence and nothing else', () => {
    expect(gridCodeProblem('320102001001001', '320102001001')).toBeNull();
    // Under a street (code ending 000) any community of it will do.
    expect(gridCodeProblem('320102001007001', '320102001000')).toBeNull();
    expect(gridCodeProblem('320102001002001', '320102001001')).not.toBeNull();
    expect(gridCodeProblem('32010200100100', '320102001001')).not.toBeNull();
    expect(gridCodeProblem('320102001001000', '320102001001')).not.toBeNull();
    expect(gridCodeProblem('3201020010010a1', null)).not.toBeNull();
    expect(gridCodeProblem('WG-12', null, 'free')).toBeNull();
    expect(gridCodeProblem('网格1', null, 'free')).not.toBeNull();
  });

  it('the next code is the lowest free sequence and always valid', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { maxLength: 50 }), (used) => {
        const codes = used.map((n) => `320102001001${String(n).padStart(3, '0')}`);
        const next = nextGridCode('320102001001', codes)!;
        expect(gridCodeProblem(next, '320102001001')).toBeNull();
        expect(codes).not.toContain(next);
        const seq = Number(next.slice(12));
        for (let k = 1; k < seq; k++) expect(used).toContain(k);
      }),
    );
  });
});

describe('GeoJSON features', () => {
  it('reads Chinese property names and drops elevations', () => {
    const { features, errors } = readGridFeatures({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { 网格编码: '320102001001001', 网格名称: '一网格', 人口: '120' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [118.78, 32.04, 10],
                [118.79, 32.04, 10],
                [118.79, 32.05, 10],
              ],
            ],
          },
        },
      ],
    });
    expect(errors).toEqual([]);
    expect(features[0]).toMatchObject({ row: 1, name: '一网格', population: 120 });
    expect(features[0]!.geometry.coordinates[0]![0]).toEqual([118.78, 32.04]);
  });
});
