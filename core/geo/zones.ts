import { pointInArea, type TPosition } from './polygon.js';

/**
 * Duty zones (门前三包): a frontage is a line along the street (LineString) or an area (Polygon),
 * with a buffer in metres. Distances use a local flat projection around the point — exact enough
 * for the tens of metres a frontage spans.
 */
export type TZoneGeometry =
  | { type: 'LineString'; coordinates: TPosition[] }
  | { type: 'Polygon'; coordinates: TPosition[][] };

const M_PER_DEG_LAT = 111_320;

function toLocal(lat0: number, lng0: number, [lng, lat]: TPosition): [number, number] {
  return [
    (lng - lng0) * M_PER_DEG_LAT * Math.cos((lat0 * Math.PI) / 180),
    (lat - lat0) * M_PER_DEG_LAT,
  ];
}

function segmentDistance(p: [number, number], a: [number, number], b: [number, number]): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const len2 = dx * dx + dy * dy;
  const t =
    len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Metres from a point to a polyline (a single position counts as a point). */
export function distanceToLineM(lat: number, lng: number, line: TPosition[]): number {
  if (line.length === 0) return Infinity;
  const pts = line.map((q) => toLocal(lat, lng, q));
  if (pts.length === 1) return Math.hypot(pts[0]![0], pts[0]![1]);
  let best = Infinity;
  for (let i = 1; i < pts.length; i++)
    best = Math.min(best, segmentDistance([0, 0], pts[i - 1]!, pts[i]!));
  return best;
}

/** True when the point is in the zone: within the buffer of the line, or in/near the area. */
export function inZone(lat: number, lng: number, zone: TZoneGeometry, bufferM: number): boolean {
  if (zone.type === 'LineString') return distanceToLineM(lat, lng, zone.coordinates) <= bufferM;
  if (pointInArea(lng, lat, { type: 'Polygon', coordinates: zone.coordinates })) return true;
  return zone.coordinates.some((ring) => distanceToLineM(lat, lng, ring) <= bufferM);
}

/** The zone's bounding box grown by the buffer, for an index prefilter. */
export function zoneBox(zone: TZoneGeometry, bufferM: number) {
  const all = zone.type === 'LineString' ? zone.coordinates : zone.coordinates.flat();
  const lats = all.map((p) => p[1]);
  const lngs = all.map((p) => p[0]);
  const minLat = Math.min(...lats);
  const maxLat = Math.max(...lats);
  const dLat = bufferM / M_PER_DEG_LAT;
  const dLng = bufferM / (M_PER_DEG_LAT * Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180));
  return {
    minLat: minLat - dLat,
    maxLat: maxLat + dLat,
    minLng: Math.min(...lngs) - dLng,
    maxLng: Math.max(...lngs) + dLng,
  };
}

/**
 * Reads the coordinate text offices put in spreadsheets: "lng,lat;lng,lat;…" (full-width commas and
 * semicolons, spaces and line breaks accepted). A closed ring (first = last, ≥ 4 points) is an area;
 * otherwise a line. Returns a reason when it cannot be read.
 */
export function parseZoneText(text: string): TZoneGeometry | string {
  const norm = text
    .replace(/，/g, ',')
    .replace(/[；\n\r]+/g, ';')
    .replace(/\s+/g, '')
    .replace(/;+$/, '');
  if (!norm) return '责任区坐标为空 / no coordinates';
  const positions: TPosition[] = [];
  for (const pair of norm.split(';')) {
    const [a, b, extra] = pair.split(',');
    const lng = Number(a);
    const lat = Number(b);
    if (
      extra !== undefined ||
      !Number.isFinite(lng) ||
      !Number.isFinite(lat) ||
      a === '' ||
      b === ''
    ) {
      return `无法识别的坐标“${pair}”，应为“经度,纬度” / "${pair}" is not "lng,lat"`;
    }
    if (lng < 73 || lng > 136 || lat < 3 || lat > 54) {
      return `坐标 ${lng},${lat} 不在中国境内（应先写经度） / ${lng},${lat} is outside China (longitude first)`;
    }
    positions.push([lng, lat]);
  }
  if (positions.length < 2) return '至少需要两个点 / at least two points';
  const [first, last] = [positions[0]!, positions[positions.length - 1]!];
  if (positions.length >= 4 && first[0] === last[0] && first[1] === last[1]) {
    return { type: 'Polygon', coordinates: [positions] };
  }
  return { type: 'LineString', coordinates: positions };
}

export function formatZoneText(zone: TZoneGeometry): string {
  const pts = zone.type === 'LineString' ? zone.coordinates : zone.coordinates[0]!;
  return pts.map(([lng, lat]) => `${lng},${lat}`).join(';');
}
