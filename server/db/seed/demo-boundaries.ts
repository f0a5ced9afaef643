import { sql } from 'drizzle-orm';
import { bboxOf, type TAreaGeometry, type TPosition } from '../../../core/geo/polygon.js';
import { importBoundaries } from '../../modules/org/region-boundaries.service.js';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { execRows, type Database } from '../client.js';
import { DEMO_DISTRICTS } from './demo-city.data.js';

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
 * Each street's outline. 湖滨街道 is an L around 解放路街道, so that each holds exactly its
 * communities' demo grids (demo-grids.ts: 湖滨's four along 30.262–30.277 and the one north-west of
 * the centre, 解放路's two north-east).
 */
export const DEMO_STREET_AREAS: Record<string, TAreaGeometry> = {
  // 东湖区
  '990102001': {
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
  '990102002': rect([120.155, 30.277, 120.18, 30.3]),
  '990102003': rect([120.18, 30.24, 120.24, 30.3]),
  '990102004': rect([120.24, 30.24, 120.3, 30.3]),
  '990102005': rect([120.14, 30.3, 120.3, 30.35]),
  // 西城区
  '990103001': rect([120.06, 30.24, 120.1, 30.295]),
  '990103002': rect([120.1, 30.24, 120.14, 30.295]),
  '990103003': rect([120.06, 30.295, 120.1, 30.35]),
  '990103004': rect([120.1, 30.295, 120.14, 30.35]),
  // 南山区
  '990104001': rect([120.06, 30.19, 120.12, 30.24]),
  '990104002': rect([120.12, 30.19, 120.18, 30.24]),
  '990104003': rect([120.18, 30.19, 120.24, 30.24]),
  '990104004': rect([120.24, 30.19, 120.3, 30.24]),
};

/**
 * The communities of the two streets the demo grids lie in, drawn around their grids: each grid
 * lies in its own community (its edges on the community's), so the grid and the boundaries agree.
 */
const GRIDDED_COMMUNITIES: Record<string, Rect> = {
  '990102001001': [120.155, 30.24, 120.165, 30.277], // 湖滨社区: 湖滨一网格
  '990102001002': [120.14, 30.24, 120.155, 30.277], // 柳岸社区: 柳岸一网格
  '990102001003': [120.165, 30.24, 120.18, 30.277], // 望湖社区: 望湖一网格
  '990102001004': [120.14, 30.277, 120.155, 30.3], // 渔港社区: 渔港一网格
  '990102002001': [120.155, 30.277, 120.165, 30.292], // 解放社区: 解放一网格
  '990102002002': [120.165, 30.277, 120.18, 30.292], // 红旗社区: 红旗一网格
  '990102002003': [120.155, 30.292, 120.18, 30.3], // 胜利社区
};

/**
 * Every demo community's area: those of 湖滨街道 and 解放路街道 around their grids, the others
 * strips of their (rectangular) street across its longer side, in code order. The strips share
 * their edges exactly, so the communities tile their street.
 */
export const DEMO_COMMUNITY_AREAS: Record<string, Rect> = (() => {
  const out: Record<string, Rect> = {};
  for (const d of DEMO_DISTRICTS) {
    for (const [si, s] of d.streets.entries()) {
      const street = `${d.code}${String(si + 1).padStart(3, '0')}`;
      const box = bboxOf(DEMO_STREET_AREAS[street]!);
      const n = s.communities.length;
      const wide = box.maxLng - box.minLng >= box.maxLat - box.minLat;
      const at = (lo: number, hi: number, i: number) => round6(lo + ((hi - lo) * i) / n);
      for (let i = 0; i < n; i++) {
        const code = `${street}${String(i + 1).padStart(3, '0')}`;
        out[code] =
          GRIDDED_COMMUNITIES[code] ??
          (wide
            ? [
                at(box.minLng, box.maxLng, i),
                box.minLat,
                at(box.minLng, box.maxLng, i + 1),
                box.maxLat,
              ]
            : [
                box.minLng,
                at(box.minLat, box.maxLat, i),
                box.maxLng,
                at(box.minLat, box.maxLat, i + 1),
              ]);
      }
    }
  }
  return out;
})();

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/**
 * A position inside a community's area, spread by `k` over it (8 % in from its edges, so that no
 * position lies on a shared edge); null for a code the demo has no area for. Different `k` give
 * positions spread evenly, tens of metres apart or more.
 */
export function demoPositionIn(
  communityCode: string,
  k: number,
): { lat: number; lng: number } | null {
  const area = DEMO_COMMUNITY_AREAS[communityCode];
  if (!area) return null;
  const [w, s, e, n] = area;
  // The R2 low-discrepancy sequence (the plastic number's powers), rounded to about 10 cm.
  const fx = 0.08 + 0.84 * ((0.5 + k * 0.7548776662466927) % 1);
  const fy = 0.08 + 0.84 * ((0.5 + k * 0.5698402909980532) % 1);
  return { lng: round6(w + (e - w) * fx), lat: round6(s + (n - s) * fy) };
}

/** The demo boundaries as the import reads them: districts, streets, then communities. */
export function demoBoundaryCollection() {
  return {
    type: 'FeatureCollection',
    features: [
      ...Object.entries(DEMO_DISTRICT_AREAS).map(([code, r]) => ({
        type: 'Feature',
        properties: { code },
        geometry: rect(r),
      })),
      ...Object.entries(DEMO_STREET_AREAS).map(([code, geometry]) => ({
        type: 'Feature',
        properties: { code },
        geometry,
      })),
      ...Object.entries(DEMO_COMMUNITY_AREAS).map(([code, r]) => ({
        type: 'Feature',
        properties: { code },
        geometry: rect(r),
      })),
    ],
  };
}

/** Draws the demo districts', streets' and communities' boundaries through the import, unless any is drawn. */
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
