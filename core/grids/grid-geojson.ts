import {
  propText as str,
  readAreaGeometry,
  readFeatureList,
  type TFeatureError,
} from '../geo/area-geojson.js';
import type { TAreaGeometry } from '../geo/polygon.js';

export { readAreaGeometry, type TFeatureError } from '../geo/area-geojson.js';

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
  const list = readFeatureList(doc);
  if (!Array.isArray(list)) return { features, errors: [list] };
  const seen = new Map<string, number>();
  list.forEach(({ row, props, geometry: raw, isFeature }) => {
    const code = str(props.code ?? props['编码'] ?? props['网格编码']);
    const name = str(props.name ?? props['名称'] ?? props['网格名称']);
    const regionCode = str(props.regionCode ?? props['区划代码']);
    const population = count(props.population ?? props['人口']);
    const households = count(props.households ?? props['户数']);
    const geometry = readAreaGeometry(raw);
    const before = errors.length;
    if (!isFeature) {
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
