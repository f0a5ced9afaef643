import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceM, gcj02ToWgs84, outOfChina, wgs84ToGcj02 } from './coords.js';

const china = fc.record({
  lat: fc.double({ min: 18, max: 53, noNaN: true }),
  lng: fc.double({ min: 74, max: 134, noNaN: true }),
});

describe('WGS-84 / GCJ-02', () => {
  it('shifts a point in China by a few hundred metres', () => {
    // Tiananmen: the known offset is about 0.0014° lat / 0.0062° lng
    const [lat, lng] = wgs84ToGcj02(39.90864, 116.39745);
    expect(lat - 39.90864).toBeCloseTo(0.0014, 3);
    expect(lng - 116.39745).toBeCloseTo(0.0062, 3);
  });

  it('leaves points outside China alone', () => {
    expect(outOfChina(51.5, -0.12)).toBe(true);
    expect(wgs84ToGcj02(51.5, -0.12)).toEqual([51.5, -0.12]);
  });

  it('inverts to within a metre, and the offset stays under a kilometre', () => {
    fc.assert(
      fc.property(china, ({ lat, lng }) => {
        const [gLat, gLng] = wgs84ToGcj02(lat, lng);
        expect(distanceM(lat, lng, gLat, gLng)).toBeLessThan(1000);
        const [bLat, bLng] = gcj02ToWgs84(gLat, gLng);
        expect(distanceM(lat, lng, bLat, bLng)).toBeLessThan(1);
      }),
    );
  });

  it('shifts a tap on a GCJ-02 map back to WGS-84 to well under a centimetre', () => {
    // Where a 高德 map shows these places, and where they are (the published offset, inverted).
    for (const [lat, lng] of [
      [39.90864, 116.39745], // Beijing
      [30.2745, 120.1562], // the demo city's centre
      [22.5431, 114.0579], // Shenzhen
      [43.8171, 125.3235], // Changchun
      [29.6521, 91.1721], // Lhasa
    ] as const) {
      const [gLat, gLng] = wgs84ToGcj02(lat, lng);
      const [bLat, bLng] = gcj02ToWgs84(gLat, gLng);
      expect(distanceM(lat, lng, bLat, bLng)).toBeLessThan(0.01);
    }
    fc.assert(
      fc.property(china, ({ lat, lng }) => {
        const [gLat, gLng] = wgs84ToGcj02(lat, lng);
        const [bLat, bLng] = gcj02ToWgs84(gLat, gLng);
        expect(distanceM(lat, lng, bLat, bLng)).toBeLessThan(0.01);
      }),
      { numRuns: 2000 },
    );
  });
});
