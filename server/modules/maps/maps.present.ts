import {
  BASE_LEVELS,
  type TBaseArea,
  type TBaseLevel,
  type TMapBase,
} from '../../../core/contracts/maps.js';
import { bboxOf, type TAreaGeometry } from '../../../core/geo/polygon.js';
import { labelPoint, simplifyArea, vertexCount } from '../../../core/geo/simplify.js';

/**
 * How far (metres) an outline may move when thinned, by level: a city is seen whole, a grid
 * close up. Doubled while the whole base is over the vertex budget.
 */
const TOLERANCE_M: Record<TBaseLevel | 'jurisdiction', number> = {
  jurisdiction: 25,
  city: 25,
  district: 15,
  street: 8,
  community: 4,
  grid: 2,
};

/** Vertices the base may carry (about 8 bytes each once gzipped; ~ 240 KB of JSON). */
export const BASE_VERTEX_BUDGET = 30_000;

/** Where a name goes, to about a metre. */
function labelOf(g: TAreaGeometry): [number, number] {
  const [lng, lat] = labelPoint(g);
  return [Math.round(lng * 1e5) / 1e5, Math.round(lat * 1e5) / 1e5];
}

interface Named {
  name: string;
  level: TBaseLevel | 'jurisdiction';
  geometry: TAreaGeometry;
}

/**
 * The public base: names and thinned outlines, outer levels first (the maps draw in this order).
 * Nothing else leaves the server: no ids, codes, people or counts.
 */
export function presentBase(
  jurisdiction: { name: string; geometry: TAreaGeometry } | null,
  areas: { name: string; level: TBaseLevel; geometry: TAreaGeometry }[],
): TMapBase {
  const all: Named[] = [
    ...(jurisdiction ? [{ ...jurisdiction, level: 'jurisdiction' as const }] : []),
    ...[...areas].sort((a, b) => BASE_LEVELS.indexOf(a.level) - BASE_LEVELS.indexOf(b.level)),
  ];
  let thinned: { a: Named; g: TAreaGeometry }[] = [];
  for (let factor = 1; factor <= 64; factor *= 2) {
    thinned = all
      .map((a) => ({ a, g: simplifyArea(a.geometry, TOLERANCE_M[a.level] * factor) }))
      .filter((x): x is { a: Named; g: TAreaGeometry } => x.g !== null);
    if (thinned.reduce((n, x) => n + vertexCount(x.g), 0) <= BASE_VERTEX_BUDGET) break;
  }
  const boxes = all.map((a) => bboxOf(a.geometry));
  const box: TMapBase['box'] = boxes.length
    ? [
        Math.min(...boxes.map((b) => b.minLng)),
        Math.min(...boxes.map((b) => b.minLat)),
        Math.max(...boxes.map((b) => b.maxLng)),
        Math.max(...boxes.map((b) => b.maxLat)),
      ]
    : null;
  const j = thinned.find((x) => x.a.level === 'jurisdiction');
  return {
    jurisdiction: j ? { name: j.a.name, label: labelOf(j.g), geometry: j.g } : null,
    areas: thinned
      .filter((x) => x.a.level !== 'jurisdiction')
      .map((x): TBaseArea => ({
        level: x.a.level as TBaseLevel,
        name: x.a.name,
        label: labelOf(x.g),
        geometry: x.g,
      })),
    box,
  };
}

/** Grids for a view: thinned (2 m) and named, nothing else. */
export function presentGrids(rows: { name: string; geometry: TAreaGeometry }[]): TBaseArea[] {
  return rows.flatMap((r) => {
    const g = simplifyArea(r.geometry, TOLERANCE_M.grid);
    return g ? [{ level: 'grid' as const, name: r.name, label: labelOf(g), geometry: g }] : [];
  });
}
