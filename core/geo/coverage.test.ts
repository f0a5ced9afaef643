import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TAreaGeometry } from './polygon.js';
import { cellGrid, coverageShare, trackLengthM, visitedCells } from './coverage.js';

// 1 km × 1 km at 32°N: 0.010585° of longitude, 0.008983° of latitude.
const W = 118.78;
const S = 32.04;
const DX = 1000 / (111_320 * Math.cos((32.0045 * Math.PI) / 180));
const DY = 1000 / 111_320;
const square: TAreaGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [W, S],
      [W + DX, S],
      [W + DX, S + DY],
      [W, S + DY],
    ],
  ],
};

describe('patrol coverage', () => {
  it('cuts a 1 km square into 20 × 20 cells of 50 m', () => {
    const g = cellGrid(square);
    expect(g.cols).toBe(20);
    expect(g.rows).toBe(20);
    expect(g.inside).toHaveLength(400);
  });

  it('a straight walk through the middle covers a band about 100 m wide', () => {
    const g = cellGrid(square);
    const track = [0, 1].map((f) => ({ lat: S + DY / 2, lng: W + DX * f }));
    const share = coverageShare(g, visitedCells(g, track));
    // 50 m either side of the line: two rows of cell centres (at ±25 m), and no more.
    expect(share).toBeCloseTo(0.1, 2);
    expect(trackLengthM(track)).toBeGreaterThan(990);
    expect(trackLengthM(track)).toBeLessThan(1010);
  });

  it('a lawnmower walk every 100 m covers everything', () => {
    const g = cellGrid(square);
    const track = [];
    for (let i = 0; i <= 10; i++) {
      const lat = S + (DY * i) / 10;
      track.push({ lat, lng: i % 2 ? W + DX : W }, { lat, lng: i % 2 ? W : W + DX });
    }
    expect(coverageShare(g, visitedCells(g, track))).toBe(1);
  });

  it('a track outside the grid covers nothing; a glitch jump paints no line', () => {
    const g = cellGrid(square);
    expect(visitedCells(g, [{ lat: S - 0.01, lng: W - 0.01 }])).toEqual([]);
    const jump = [
      { lat: S + DY / 2, lng: W - 0.05 },
      { lat: S + DY / 2, lng: W + DX + 0.05 },
    ];
    expect(visitedCells(g, jump)).toEqual([]);
  });

  // 200 property runs: a few hundred ms alone, but give a loaded CI machine room
  it(
    'coverage lies in [0, 1], grows with more track and the union is at least each part',
    {
      timeout: 30_000,
    },
    () => {
      const g = cellGrid(square);
      const pt = fc.record({
        lat: fc.double({ min: S - 0.002, max: S + DY + 0.002, noNaN: true }),
        lng: fc.double({ min: W - 0.002, max: W + DX + 0.002, noNaN: true }),
      });
      fc.assert(
        fc.property(fc.array(pt, { maxLength: 30 }), fc.array(pt, { maxLength: 30 }), (a, b) => {
          const va = visitedCells(g, a);
          const vb = visitedCells(g, b);
          const both = coverageShare(g, va, vb);
          expect(both).toBeGreaterThanOrEqual(coverageShare(g, va));
          expect(both).toBeGreaterThanOrEqual(coverageShare(g, vb));
          expect(both).toBeLessThanOrEqual(1);
          // Every visited cell is a cell of the grid.
          const inside = new Set(g.inside);
          for (const k of va) expect(inside.has(k)).toBe(true);
          // Walking a track further never loses cells.
          const longer = visitedCells(g, [...a, ...b]);
          for (const k of va) expect(longer).toContain(k);
        }),
        { numRuns: 200 },
      );
    },
  );
});
