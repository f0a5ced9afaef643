import { ringProblem, type TAreaGeometry, type TRing } from './polygon.js';

// GeoJSON areas and feature collections as every import reads them (grids, region boundaries).

/** One bad feature of an import file. */
export interface TFeatureError {
  /** The feature's position, counting from 1 (0: the file as a whole). */
  row: number;
  column: string;
  reason: string;
}

const MAX_FEATURES = 5000;
const MAX_VERTICES = 20_000;

export interface TAreaRules {
  /** RFC 7946: a ring's last position repeats its first. Grids accept open rings too. */
  closedRings?: boolean;
  /** Most vertices in one geometry (a district's outline has more than a grid's). */
  maxVertices?: number;
}

function ringsProblem(rings: unknown, rules: TAreaRules): string | null {
  if (!Array.isArray(rings) || rings.length === 0) return 'a polygon needs an outline ring';
  for (const ring of rings) {
    if (!Array.isArray(ring)) return 'a ring is a list of [lng, lat] positions';
    for (const p of ring) {
      if (
        !Array.isArray(p) ||
        p.length < 2 ||
        typeof p[0] !== 'number' ||
        typeof p[1] !== 'number'
      ) {
        return 'a position is [longitude, latitude] in numbers';
      }
    }
    const problem = ringProblem(ring as TRing);
    if (problem) return problem;
    if (rules.closedRings) {
      const first = (ring as TRing)[0]!;
      const last = (ring as TRing)[ring.length - 1]!;
      if (first[0] !== last[0] || first[1] !== last[1]) {
        return 'a ring is not closed (its last position must repeat the first)';
      }
    }
  }
  return null;
}

/** The geometry if it is a usable (Multi)Polygon in WGS-84 within China, else why not. */
export function readAreaGeometry(g: unknown, rules: TAreaRules = {}): TAreaGeometry | string {
  if (!g || typeof g !== 'object') return 'geometry is missing';
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  let polys: unknown[];
  if (type === 'Polygon') polys = [coordinates];
  else if (type === 'MultiPolygon' && Array.isArray(coordinates)) polys = coordinates;
  else return `geometry type ${String(type)} is not Polygon or MultiPolygon`;
  if (polys.length === 0) return 'a MultiPolygon needs at least one polygon';
  const maxVertices = rules.maxVertices ?? MAX_VERTICES;
  let vertices = 0;
  for (const rings of polys) {
    const problem = ringsProblem(rings, rules);
    if (problem) return problem;
    for (const ring of rings as TRing[]) {
      vertices += ring.length;
      for (const [lng, lat] of ring) {
        if (lng < 73 || lng > 136 || lat < 3 || lat > 54) {
          return `position [${lng}, ${lat}] is outside China (WGS-84, longitude first)`;
        }
      }
    }
  }
  if (vertices > maxVertices) return `more than ${maxVertices} vertices`;
  // Keep only the two coordinates (an elevation is dropped).
  const clean = (rings: TRing[]): TRing[] => rings.map((r) => r.map(([x, y]) => [x, y]));
  return type === 'Polygon'
    ? { type: 'Polygon', coordinates: clean(coordinates as TRing[]) }
    : { type: 'MultiPolygon', coordinates: (polys as TRing[][]).map(clean) };
}

/** One feature of a collection: its position, properties and raw geometry. */
export interface TRawFeature {
  row: number;
  props: Record<string, unknown>;
  geometry: unknown;
  isFeature: boolean;
}

/**
 * The features of a GeoJSON FeatureCollection, or the one error that makes the file unreadable
 * (not a collection, no features, too many).
 */
export function readFeatureList(doc: unknown): TRawFeature[] | TFeatureError {
  if (!doc || typeof doc !== 'object' || (doc as { type?: unknown }).type !== 'FeatureCollection') {
    return { row: 0, column: 'type', reason: 'not a GeoJSON FeatureCollection' };
  }
  const list = (doc as { features?: unknown }).features;
  if (!Array.isArray(list) || list.length === 0) {
    return { row: 0, column: 'features', reason: 'no features' };
  }
  if (list.length > MAX_FEATURES) {
    return { row: 0, column: 'features', reason: `more than ${MAX_FEATURES} features` };
  }
  return list.map((f: unknown, i) => ({
    row: i + 1,
    props: ((f as { properties?: unknown })?.properties ?? {}) as Record<string, unknown>,
    geometry: (f as { geometry?: unknown })?.geometry,
    isFeature: (f as { type?: unknown })?.type === 'Feature',
  }));
}

/** A property as text: trimmed strings and numbers; blank is null. */
export const propText = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null;
