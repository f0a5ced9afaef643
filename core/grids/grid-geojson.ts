import { ringProblem, type TAreaGeometry, type TRing } from '../geo/polygon.js';

/** One grid read from a GeoJSON feature's properties and geometry. */
export interface TGridFeature {
  /** The feature's position in the file, counting from 1. */
  row: number;
  code: string;
  name: string;
  regionCode: string | null;
  population: number | null;
  households: number | null;
  geometry: TAreaGeometry;
}

export interface TFeatureError {
  /** The feature's position, counting from 1. */
  row: number;
  column: string;
  reason: string;
}

const MAX_FEATURES = 5000;
const MAX_VERTICES = 20_000;

function ringsProblem(rings: unknown): string | null {
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
  }
  return null;
}

/** The geometry if it is a usable (Multi)Polygon in WGS-84 within China, else why not. */
export function readAreaGeometry(g: unknown): TAreaGeometry | string {
  if (!g || typeof g !== 'object') return 'geometry is missing';
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  let polys: unknown[];
  if (type === 'Polygon') polys = [coordinates];
  else if (type === 'MultiPolygon' && Array.isArray(coordinates)) polys = coordinates;
  else return `geometry type ${String(type)} is not Polygon or MultiPolygon`;
  if (polys.length === 0) return 'a MultiPolygon needs at least one polygon';
  let vertices = 0;
  for (const rings of polys) {
    const problem = ringsProblem(rings);
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
  if (vertices > MAX_VERTICES) return `more than ${MAX_VERTICES} vertices`;
  // Keep only the two coordinates (an elevation is dropped).
  const clean = (rings: TRing[]): TRing[] => rings.map((r) => r.map(([x, y]) => [x, y]));
  return type === 'Polygon'
    ? { type: 'Polygon', coordinates: clean(coordinates as TRing[]) }
    : { type: 'MultiPolygon', coordinates: (polys as TRing[][]).map(clean) };
}

const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null;

function count(v: unknown): number | null | string {
  if (v === undefined || v === null || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isInteger(n) && n >= 0 ? n : 'must be a whole number ≥ 0';
}

/**
 * Reads a FeatureCollection of grids. Properties: `code` (网格编码), `name`, optional `regionCode`,
 * `population`, `households` (Chinese keys 编码/名称/区划代码/人口/户数 are accepted too). Returns every
 * bad feature with its reason; the caller imports nothing when there is one.
 */
export function readGridFeatures(doc: unknown): {
  features: TGridFeature[];
  errors: TFeatureError[];
} {
  const errors: TFeatureError[] = [];
  const features: TGridFeature[] = [];
  if (!doc || typeof doc !== 'object' || (doc as { type?: unknown }).type !== 'FeatureCollection') {
    return {
      features,
      errors: [{ row: 0, column: 'type', reason: 'not a GeoJSON FeatureCollection' }],
    };
  }
  const list = (doc as { features?: unknown }).features;
  if (!Array.isArray(list) || list.length === 0) {
    return { features, errors: [{ row: 0, column: 'features', reason: 'no features' }] };
  }
  if (list.length > MAX_FEATURES) {
    return {
      features,
      errors: [{ row: 0, column: 'features', reason: `more than ${MAX_FEATURES} features` }],
    };
  }
  const seen = new Map<string, number>();
  list.forEach((f: unknown, i) => {
    const row = i + 1;
    const props = ((f as { properties?: unknown })?.properties ?? {}) as Record<string, unknown>;
    const code = str(props.code ?? props['编码'] ?? props['网格编码']);
    const name = str(props.name ?? props['名称'] ?? props['网格名称']);
    const regionCode = str(props.regionCode ?? props['区划代码']);
    const population = count(props.population ?? props['人口']);
    const households = count(props.households ?? props['户数']);
    const geometry = readAreaGeometry((f as { geometry?: unknown })?.geometry);
    const before = errors.length;
    if ((f as { type?: unknown })?.type !== 'Feature') {
      errors.push({ row, column: 'type', reason: 'not a Feature' });
    }
    if (!code) errors.push({ row, column: 'code', reason: 'code is missing' });
    else if (seen.has(code)) {
      errors.push({
        row,
        column: 'code',
        reason: `code ${code} repeats feature ${seen.get(code)}`,
      });
    } else seen.set(code, row);
    if (!name) errors.push({ row, column: 'name', reason: 'name is missing' });
    if (typeof population === 'string')
      errors.push({ row, column: 'population', reason: population });
    if (typeof households === 'string')
      errors.push({ row, column: 'households', reason: households });
    if (typeof geometry === 'string') errors.push({ row, column: 'geometry', reason: geometry });
    if (errors.length === before) {
      features.push({
        row,
        code: code!,
        name: name!,
        regionCode,
        population: population as number | null,
        households: households as number | null,
        geometry: geometry as TAreaGeometry,
      });
    }
  });
  return { features, errors };
}
