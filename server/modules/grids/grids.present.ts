import type { TGrid, TGridStats } from '../../../core/contracts/grids.js';
import type { TAreaGeometry } from '../../../core/geo/polygon.js';
import type { GridRow, StatsRow } from './grids.repo.js';

/** Patrol coverage and patrol counts look back this many days. */
export const COVERAGE_WINDOW_DAYS = 7;

export function presentGrid(g: GridRow): TGrid {
  return {
    id: g.id,
    code: g.code,
    name: g.name,
    regionId: g.regionId,
    regionName: g.regionName,
    geometry: g.geometry as TAreaGeometry,
    population: g.population,
    households: g.households,
    active: g.active,
    leaderName: g.leaderName,
    version: g.version,
  };
}

export function presentStats(r: StatsRow | undefined, gridId: number): TGridStats {
  const last = r?.last_patrol_at ?? null;
  return {
    gridId,
    open: r?.open ?? 0,
    closed: r?.closed ?? 0,
    overdue: r?.overdue ?? 0,
    total: r?.total ?? 0,
    patrols: r?.patrols ?? 0,
    lastPatrolAt: last === null ? null : new Date(last).toISOString(),
    coverage: r && r.cell_count > 0 ? Math.min(1, r.visited / r.cell_count) : 0,
    windowDays: COVERAGE_WINDOW_DAYS,
  };
}

/** The grids as a FeatureCollection the import reads back (`regionCodes` by grid id). */
export function presentGridsGeoJson(items: readonly TGrid[], regionCodes: Map<number, string>) {
  return {
    type: 'FeatureCollection' as const,
    features: items.map((g) => ({
      type: 'Feature' as const,
      properties: {
        code: g.code,
        name: g.name,
        regionCode: regionCodes.get(g.id) ?? null,
        regionName: g.regionName,
        population: g.population,
        households: g.households,
        leader: g.leaderName,
        active: g.active,
      },
      geometry: g.geometry,
    })),
  };
}
