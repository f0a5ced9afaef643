import { eq, inArray, sql } from 'drizzle-orm';
import type { TPolygonGeometry } from '../../../core/geo/polygon.js';
import { createGrid, setMembers } from '../../modules/grids/grids.service.js';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import type { Database } from '../client.js';
import { grids, regions, users } from '../schema/index.js';

/**
 * Six demo grids (invented) over the demo problems around the city centre: a 3 × 2 lattice of
 * about 1 km × 1.7 km blocks, one per community of 湖滨街道 and 解放路街道. The demo grid worker
 * 孙网格 leads the first; its problems are routed on creation.
 */
export const DEMO_GRID_CELLS = [
  { community: '990102001001', c: 1, r: 0, name: '湖滨一网格' },
  { community: '990102001002', c: 0, r: 0, name: '柳岸一网格' },
  { community: '990102001003', c: 2, r: 0, name: '望湖一网格' },
  { community: '990102001004', c: 0, r: 1, name: '渔港一网格' },
  { community: '990102002001', c: 1, r: 1, name: '解放一网格' },
  { community: '990102002002', c: 2, r: 1, name: '红旗一网格' },
];

/** A demo grid's square: column `c`, row `r` of the lattice (about 1 km × 1.7 km each). */
export function demoGridShape(cell: { c: number; r: number }): TPolygonGeometry {
  const w = 120.145 + cell.c * 0.01;
  const s = 30.262 + cell.r * 0.015;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [w, s],
        [w + 0.01, s],
        [w + 0.01, s + 0.015],
        [w, s + 0.015],
        [w, s],
      ],
    ],
  };
}

export async function seedDemoGrids(database: Database): Promise<number> {
  const [{ n }] = (await database.db.select({ n: sql<number>`count(*)::int` }).from(grids)) as [
    { n: number },
  ];
  if (Number(n) > 0) return 0;
  const rows = await database.db
    .select({ id: regions.id, code: regions.code })
    .from(regions)
    .where(
      inArray(
        regions.code,
        DEMO_GRID_CELLS.map((c) => c.community),
      ),
    );
  const byCode = new Map(rows.map((r) => [r.code, r.id]));
  const [worker] = await database.db.select().from(users).where(eq(users.username, 'grid'));
  let made = 0;
  for (const cell of DEMO_GRID_CELLS) {
    const regionId = byCode.get(cell.community);
    if (!regionId) continue;
    const detail = await createGrid(
      database,
      SYSTEM_ACTOR,
      {
        code: `${cell.community}001`,
        name: cell.name,
        regionId,
        population: 2400 + made * 310,
        households: 900 + made * 120,
        geometry: demoGridShape(cell),
      },
      '15-digit',
    );
    if (made === 0 && worker) {
      await setMembers(database, SYSTEM_ACTOR, detail.grid.id, {
        version: detail.grid.version,
        members: [{ userId: worker.id, role: 'leader' }],
      });
    }
    made++;
  }
  return made;
}
