import {
  propText,
  readAreaGeometry,
  readFeatureList,
  type TFeatureError,
} from '../geo/area-geojson.js';
import { pointInArea, type TAreaGeometry } from '../geo/polygon.js';

// Region boundaries (区划边界): reading a file of them, and which region a position is in.

/** The geometry rules of a boundary: closed rings (RFC 7946), room for a district's outline. */
export const BOUNDARY_RULES = { closedRings: true, maxVertices: 200_000 } as const;

/** One boundary read from a GeoJSON feature: the region it names and its area. */
export interface TBoundaryFeature {
  row: number;
  /** The region's code (区划代码) when the feature has one, else null. */
  code: string | null;
  /** The region's name, when the feature has no code. */
  name: string | null;
  geometry: TAreaGeometry;
}

/** Why a boundary's geometry is refused, in Chinese and English. */
export function boundaryGeometryReason(problem: string): string {
  return `边界图形无效 / invalid boundary: ${problem}`;
}

/**
 * Reads a FeatureCollection of region boundaries: each feature names its region by `code`
 * (区划代码/编码) or, without one, by `name` (名称); the geometry is a (Multi)Polygon with closed
 * rings. Every bad feature is listed; matching the names to regions is the caller's.
 */
export function readBoundaryFeatures(doc: unknown): {
  features: TBoundaryFeature[];
  errors: TFeatureError[];
} {
  const list = readFeatureList(doc);
  if (!Array.isArray(list)) return { features: [], errors: [list] };
  const features: TBoundaryFeature[] = [];
  const errors: TFeatureError[] = [];
  for (const { row, props, geometry: raw, isFeature } of list) {
    const before = errors.length;
    const code = propText(props.code ?? props.regionCode ?? props['区划代码'] ?? props['编码']);
    const name = propText(props.name ?? props['名称'] ?? props['区划名称']);
    if (!isFeature) errors.push({ row, column: 'type', reason: '不是 Feature / not a Feature' });
    if (!code && !name) {
      errors.push({
        row,
        column: 'code',
        reason: '缺少区划代码或名称 / the feature names no region (code or name)',
      });
    }
    const geometry = readAreaGeometry(raw, BOUNDARY_RULES);
    if (typeof geometry === 'string') {
      errors.push({ row, column: 'geometry', reason: boundaryGeometryReason(geometry) });
    }
    if (errors.length === before) {
      features.push({ row, code, name: code ? null : name, geometry: geometry as TAreaGeometry });
    }
  }
  return { features, errors };
}

/** A region with a boundary, as the resolver weighs it. */
export interface TRegionShape {
  id: number;
  /** 0 city, 1 district, 2 street, 3 community: the deeper, the more specific. */
  depth: number;
  geometry: TAreaGeometry;
}

/**
 * The most specific region whose boundary holds the point (edges included): the deepest level
 * wins; between regions of one level whose outlines overlap, the smaller id.
 */
export function deepestRegion(
  lng: number,
  lat: number,
  candidates: readonly TRegionShape[],
): number | null {
  // Deepest first, then by id: the first that holds the point wins, so a district's long outline
  // is only walked when no community or street holds the point (bench/regions.bench.ts).
  const order = [...candidates].sort((a, b) => b.depth - a.depth || a.id - b.id);
  for (const r of order) if (pointInArea(lng, lat, r.geometry)) return r.id;
  return null;
}
