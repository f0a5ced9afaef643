import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bboxOf, pointInArea, ringProblem, type TAreaGeometry, type TRing } from './polygon.js';

const square = (x0: number, y0: number, size: number): TRing => [
  [x0, y0],
  [x0 + size, y0],
  [x0 + size, y0 + size],
  [x0, y0 + size],
  [x0, y0],
];

const withHole: TAreaGeometry = {
  type: 'Polygon',
  coordinates: [square(120, 30, 1), square(120.25, 30.25, 0.5)],
};

describe('point in area', () => {
  it('finds points inside, outside, in a hole and on the edges', () => {
    expect(pointInArea(120.1, 30.1, withHole)).toBe(true);
    expect(pointInArea(119.9, 30.1, withHole)).toBe(false);
    expect(pointInArea(120.5, 30.5, withHole)).toBe(false); // in the hole
    expect(pointInArea(120, 30.5, withHole)).toBe(true); // on the outline
    expect(pointInArea(121, 31, withHole)).toBe(true); // a vertex
    expect(pointInArea(120.25, 30.5, withHole)).toBe(true); // on the hole's edge
  });

  it('handles a concave outline and unclosed rings', () => {
    // An L shape, ring not closed.
    const l: TAreaGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [2, 0],
          [2, 1],
          [1, 1],
          [1, 2],
          [0, 2],
        ],
      ],
    };
    expect(pointInArea(0.5, 1.5, l)).toBe(true);
    expect(pointInArea(1.5, 1.5, l)).toBe(false);
    expect(pointInArea(1.5, 0.5, l)).toBe(true);
  });

  it('takes any polygon of a multipolygon', () => {
    const m: TAreaGeometry = {
      type: 'MultiPolygon',
      coordinates: [[square(0, 0, 1)], [square(5, 5, 1)]],
    };
    expect(pointInArea(5.5, 5.5, m)).toBe(true);
    expect(pointInArea(3, 3, m)).toBe(false);
    expect(bboxOf(m)).toEqual({ minLng: 0, minLat: 0, maxLng: 6, maxLat: 6 });
  });

  it('agrees with the rectangle test for random points and rectangles', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -170, max: 170, noNaN: true }),
        fc.double({ min: -80, max: 80, noNaN: true }),
        fc.double({ min: 0.001, max: 5, noNaN: true }),
        fc.double({ min: -1, max: 2, noNaN: true }),
        fc.double({ min: -1, max: 2, noNaN: true }),
        (x0, y0, size, u, v) => {
          const g: TAreaGeometry = { type: 'Polygon', coordinates: [square(x0, y0, size)] };
          const x = x0 + u * size;
          const y = y0 + v * size;
          const inside = u > 0 && u < 1 && v > 0 && v < 1;
          const outside = u < 0 || u > 1 || v < 0 || v > 1;
          if (inside) expect(pointInArea(x, y, g)).toBe(true);
          if (
            outside &&
            Math.min(Math.abs(u), Math.abs(u - 1), Math.abs(v), Math.abs(v - 1)) > 1e-9
          )
            expect(pointInArea(x, y, g)).toBe(false);
        },
      ),
    );
  });

  it('says what is wrong with a ring', () => {
    expect(ringProblem(square(0, 0, 1))).toBeNull();
    expect(
      ringProblem([
        [0, 0],
        [1, 1],
        [0, 0],
      ]),
    ).toMatch(/3 distinct/);
    expect(
      ringProblem([
        [0, 0],
        [200, 1],
        [1, 1],
      ]),
    ).toMatch(/outside/);
  });
});
