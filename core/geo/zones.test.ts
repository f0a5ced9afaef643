import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceToLineM, formatZoneText, inZone, parseZoneText, zoneBox } from './zones.js';

describe('duty zones', () => {
  // A 100 m frontage running east along latitude 30.27.
  const line = {
    type: 'LineString' as const,
    coordinates: [
      [120.15, 30.27],
      [120.151036, 30.27],
    ] as [number, number][],
  };

  it('measures metres to a frontage', () => {
    expect(distanceToLineM(30.27, 120.1505, line.coordinates)).toBeLessThan(0.5);
    // 10 m north of the middle
    expect(distanceToLineM(30.27 + 10 / 111_320, 120.1505, line.coordinates)).toBeCloseTo(10, 0);
    // 20 m west of the start: the end point is the nearest
    const west = 120.15 - 20 / (111_320 * Math.cos((30.27 * Math.PI) / 180));
    expect(distanceToLineM(30.27, west, line.coordinates)).toBeCloseTo(20, 0);
  });

  it('puts a point in the zone within the buffer, and in an area', () => {
    expect(inZone(30.27 + 8 / 111_320, 120.1505, line, 10)).toBe(true);
    expect(inZone(30.27 + 12 / 111_320, 120.1505, line, 10)).toBe(false);
    const area = parseZoneText(
      '120.15,30.27;120.151,30.27;120.151,30.271;120.15,30.271;120.15,30.27',
    );
    expect(typeof area).toBe('object');
    if (typeof area === 'object') {
      expect(area.type).toBe('Polygon');
      expect(inZone(30.2705, 120.1505, area, 0)).toBe(true);
      expect(inZone(30.2715, 120.1505, area, 0)).toBe(false);
      expect(inZone(30.27104, 120.1505, area, 10)).toBe(true);
    }
  });

  it('reads spreadsheet coordinates, full-width punctuation included, and says what is wrong', () => {
    expect(parseZoneText('120.15，30.27；120.151, 30.27')).toEqual({
      type: 'LineString',
      coordinates: [
        [120.15, 30.27],
        [120.151, 30.27],
      ],
    });
    expect(parseZoneText('30.27,120.15;30.28,120.16')).toMatch(/经度/);
    expect(parseZoneText('120.15,30.27')).toMatch(/两个点/);
    expect(parseZoneText('abc')).toMatch(/无法识别/);
    expect(parseZoneText('')).toMatch(/为空/);
  });

  it('round-trips the text form and boxes every point of the zone', () => {
    const pos = fc.tuple(
      fc.double({ min: 120, max: 121, noNaN: true }),
      fc.double({ min: 30, max: 31, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(pos, { minLength: 2, maxLength: 6 }),
        fc.integer({ min: 0, max: 50 }),
        (pts, buffer) => {
          const text = pts.map(([a, b]) => `${a},${b}`).join(';');
          const zone = parseZoneText(text);
          expect(typeof zone).toBe('object');
          if (typeof zone !== 'object') return;
          expect(parseZoneText(formatZoneText(zone))).toEqual(zone);
          const box = zoneBox(zone, buffer);
          for (const [lng, lat] of pts) {
            expect(lat).toBeGreaterThanOrEqual(box.minLat);
            expect(lng).toBeLessThanOrEqual(box.maxLng);
          }
        },
      ),
    );
  });
});
