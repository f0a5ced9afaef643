import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceM } from './coords.js';
import { pointInArea, type TAreaGeometry, type TRing } from './polygon.js';
import { labelPoint, simplifyArea, simplifyRing, vertexCount } from './simplify.js';

/** A wobbly circle of `n` vertices around (lng, lat), radius in degrees. */
function wobbly(n: number, lng = 120.2, lat = 30.3, r = 0.05): TRing {
  const ring: TRing = [];
  for (let i = 0; i < n; i++) {
    const a = (i / n) * 2 * Math.PI;
    const rr = r * (1 + 0.03 * Math.sin(a * 40) + 0.002 * Math.sin(a * 700));
    ring.push([lng + rr * Math.cos(a), lat + rr * Math.sin(a)]);
  }
  ring.push(ring[0]!);
  return ring;
}

/** Metres from a point to the nearest edge of a ring. */
function toRing(p: [number, number], ring: TRing): number {
  let best = Infinity;
  for (let i = 1; i < ring.length; i++) {
    const [ax, ay] = ring[i - 1]!;
    const [bx, by] = ring[i]!;
    // Sample the edge finely: enough for a bound check at metre scale.
    for (let k = 0; k <= 20; k++) {
      const f = k / 20;
      best = Math.min(best, distanceM(p[1], p[0], ay + (by - ay) * f, ax + (bx - ax) * f));
    }
  }
  return best;
}

describe('simplifying outlines', () => {
  it('thins a long ring a great deal and stays within the tolerance of the original', () => {
    const ring = wobbly(20_000);
    const out = simplifyRing(ring, 10)!;
    expect(out.length).toBeLessThan(2000);
    expect(out.length).toBeGreaterThan(50);
    expect(out[0]).toEqual(out[out.length - 1]);
    // Every original vertex lies near the simplified outline (sampled).
    for (let i = 0; i < ring.length; i += 97) expect(toRing(ring[i]!, out)).toBeLessThan(12);
  });

  it('keeps a rectangle as it is and drops what is smaller than the tolerance', () => {
    const rect: TRing = [
      [120, 30],
      [120.01, 30],
      [120.01, 30.01],
      [120, 30.01],
      [120, 30],
    ];
    expect(simplifyRing(rect, 5)).toEqual(rect);
    expect(simplifyRing(rect, 5000)).toBeNull();
  });

  it('fills holes that vanish, drops islets that vanish, and rounds to 5 decimals', () => {
    const g: TAreaGeometry = {
      type: 'MultiPolygon',
      coordinates: [
        [
          wobbly(500),
          wobbly(50, 120.2, 30.3, 0.00001), // a 1 m hole
        ],
        [wobbly(50, 121, 31, 0.00001)], // a 1 m islet
      ],
    };
    const out = simplifyArea(g, 5)!;
    expect(out.type).toBe('Polygon');
    expect(out.coordinates).toHaveLength(1);
    for (const [lng, lat] of (out as { coordinates: TRing[] }).coordinates[0]!) {
      expect(Math.round(lng * 1e5) / 1e5).toBe(lng);
      expect(Math.round(lat * 1e5) / 1e5).toBe(lat);
    }
    expect(vertexCount(out)).toBeLessThan(vertexCount(g));
  });

  it('always leaves a closed ring of at least a triangle, or nothing', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 0.05, noNaN: true }),
            fc.double({ min: 0, max: 0.05, noNaN: true }),
          ),
          {
            minLength: 3,
            maxLength: 60,
          },
        ),
        fc.double({ min: 0.1, max: 500, noNaN: true }),
        (pts, tol) => {
          const ring: TRing = pts.map(([x, y]) => [120 + x, 30 + y]);
          const out = simplifyRing([...ring, ring[0]!], tol);
          if (out === null) return;
          expect(out.length).toBeGreaterThanOrEqual(4);
          expect(out[0]).toEqual(out[out.length - 1]);
        },
      ),
    );
  });
});

describe('where a name goes', () => {
  it('is the centroid of a convex area', () => {
    const [lng, lat] = labelPoint({
      type: 'Polygon',
      coordinates: [
        [
          [120, 30],
          [120.2, 30],
          [120.2, 30.1],
          [120, 30.1],
          [120, 30],
        ],
      ],
    });
    expect(lng).toBeCloseTo(120.1, 9);
    expect(lat).toBeCloseTo(30.05, 9);
  });

  it('lies inside an L-shaped area whose centroid is outside, and in the largest part', () => {
    // An L whose centroid falls in its notch (a street wrapped around its neighbour).
    const L: TAreaGeometry = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [120, 30],
            [120.1, 30],
            [120.1, 30.01],
            [120.01, 30.01],
            [120.01, 30.1],
            [120, 30.1],
            [120, 30],
          ],
        ],
        [
          [
            [121, 31],
            [121.001, 31],
            [121.001, 31.001],
            [121, 31],
          ],
        ],
      ],
    };
    const [lng, lat] = labelPoint(L);
    expect(lng).toBeLessThan(120.2);
    expect(pointInArea(lng, lat, L)).toBe(true);
  });
});
