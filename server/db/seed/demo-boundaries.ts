import { sql } from 'drizzle-orm';
import type { TAreaGeometry, TPosition } from '../../../core/geo/polygon.js';
import { importBoundaries } from '../../modules/org/region-boundaries.service.js';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { execRows, type Database } from '../client.js';

/** West, south, east, north (WGS-84 degrees). */
type Rect = readonly [number, number, number, number];

const ring = (...pts: TPosition[]): TPosition[] => [...pts, pts[0]!];
const rect = ([w, s, e, n]: Rect): TAreaGeometry => ({
  type: 'Polygon',
  coordinates: [ring([w, s], [e, s], [e, n], [w, n])],
});

/**
 * 示范市's districts (invented, around the demo grids and problems): 西城区 west of the centre,
 * 东湖区 from the centre east, 南山区 along the south. Codes are DEMO_DISTRICTS'.
 */
export const DEMO_DISTRICT_AREAS: Record<string, Rect> = {
  '990103': [120.06, 30.24, 120.14, 30.35],
  '990102': [120.14, 30.24, 120.3, 30.35],
  '990104': [120.06, 30.19, 120.3, 30.24],
};

/**
 * Each street's outline and a rectangle well inside it (where its demo points are placed). 湖滨街道
 * is an L around 解放路街道, so that each holds exactly its communities' demo grids (demo-grids.ts:
 * 湖滨's four along 30.262–30.277 and the one north-west of the centre, 解放路's two north-east).
 */
export const DEMO_STREET_AREAS: Record<string, { outline: TAreaGeometry; inner: Rect }> = {
  // 东湖区
  '990102001': {
    outline: {
      type: 'Polygon',
      coordinates: [
        ring(
          [120.14, 30.24],
          [120.18, 30.24],
          [120.18, 30.277],
          [120.155, 30.277],
          [120.155, 30.3],
          [120.14, 30.3],
        ),
      ],
    },
    inner: [120.142, 30.245, 120.178, 30.275],
  },
  '990102002': {
    outline: rect([120.155, 30.277, 120.18, 30.3]),
    inner: [120.157, 30.279, 120.178, 30.298],
  },
  '990102003': {
    outline: rect([120.18, 30.24, 120.24, 30.3]),
    inner: [120.19, 30.25, 120.23, 30.29],
  },
  '990102004': {
    outline: rect([120.24, 30.24, 120.3, 30.3]),
    inner: [120.25, 30.25, 120.29, 30.29],
  },
  '990102005': {
    outline: rect([120.14, 30.3, 120.3, 30.35]),
    inner: [120.16, 30.31, 120.28, 30.34],
  },
  // 西城区
  '990103001': {
    outline: rect([120.06, 30.24, 120.1, 30.295]),
    inner: [120.07, 30.25, 120.09, 30.285],
  },
  '990103002': {
    outline: rect([120.1, 30.24, 120.14, 30.295]),
    inner: [120.11, 30.25, 120.13, 30.285],
  },
  '990103003': {
    outline: rect([120.06, 30.295, 120.1, 30.35]),
    inner: [120.07, 30.305, 120.09, 30.34],
  },
  '990103004': {
    outline: rect([120.1, 30.295, 120.14, 30.35]),
    inner: [120.11, 30.305, 120.13, 30.34],
  },
  // 南山区
  '990104001': {
    outline: rect([120.06, 30.19, 120.12, 30.24]),
    inner: [120.07, 30.2, 120.11, 30.23],
  },
  '990104002': {
    outline: rect([120.12, 30.19, 120.18, 30.24]),
    inner: [120.13, 30.2, 120.17, 30.23],
  },
  '990104003': {
    outline: rect([120.18, 30.19, 120.24, 30.24]),
    inner: [120.19, 30.2, 120.23, 30.23],
  },
  '990104004': {
    outline: rect([120.24, 30.19, 120.3, 30.24]),
    inner: [120.25, 30.2, 120.29, 30.23],
  },
};

/**
 * A position inside a community's street (its code's first 9 digits), spread by `k` over the
 * street's inner rectangle; null for a code the demo has no street area for.
 */
export function demoPositionIn(
  communityCode: string,
  k: number,
): { lat: number; lng: number } | null {
  const area = DEMO_STREET_AREAS[communityCode.slice(0, 9)];
  if (!area) return null;
  const [w, s, e, n] = area.inner;
  // A low-discrepancy spread (golden ratio), rounded to about 10 cm.
  const fx = (k * 0.618034 + 0.31) % 1;
  const fy = (k * 0.381966 + 0.57) % 1;
  const r6 = (v: number) => Math.round(v * 1e6) / 1e6;
  return { lng: r6(w + (e - w) * fx), lat: r6(s + (n - s) * fy) };
}

/** The demo boundaries as the import reads them: districts, then streets, by code. */
export function demoBoundaryCollection() {
  return {
    type: 'FeatureCollection',
    features: [
      ...Object.entries(DEMO_DISTRICT_AREAS).map(([code, r]) => ({
        type: 'Feature',
        properties: { code },
        geometry: rect(r),
      })),
      ...Object.entries(DEMO_STREET_AREAS).map(([code, a]) => ({
        type: 'Feature',
        properties: { code },
        geometry: a.outline,
      })),
    ],
  };
}

/** Draws the demo districts' and streets' boundaries through the import, unless any is drawn. */
export async function seedDemoBoundaries(database: Database): Promise<number> {
  const [have] = await execRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from regions where geometry is not null`,
  );
  if (Number(have!.n) > 0) return 0;
  const res = await importBoundaries(database, SYSTEM_ACTOR, demoBoundaryCollection(), {
    filename: 'demo-boundaries.geojson',
    dryRun: false,
  });
  return res.imported;
}
