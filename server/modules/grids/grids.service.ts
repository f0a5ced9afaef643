import type {
  TGrid,
  TGridDetail,
  TGridInput,
  TGridMembersInput,
  TGridPatch,
  TGridStats,
} from '../../../core/contracts/grids.js';
import { cellGrid } from '../../../core/geo/coverage.js';
import { bboxOf, pointInArea, type BBox, type TAreaGeometry } from '../../../core/geo/polygon.js';
import { gridCodeProblem, type TGridCodeScheme } from '../../../core/grids/grid-code.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { requireCityLevel, requireRegionWithin, requireUsersWithin } from '../org/jurisdiction.js';
import { regionWithin } from '../org/regions.repo.js';
import { gridsTouching, reassignAll, reassignWithin } from './grid-routing.js';
import { GridIndex } from '../../../core/grids/grid-index.js';
import {
  activePointsInBox,
  gridIdByCode,
  gridProblemRows,
  insertGrid,
  listGridRows,
  lockGrid,
  membersOf,
  regionById,
  replaceMembers,
  statsOf,
  updateGridAtVersion,
  updateGridById,
  usersByIds,
  visibleGridRow,
  type GridRow,
  type GridTableRow,
} from './grids.repo.js';
import { COVERAGE_WINDOW_DAYS, presentGrid, presentStats } from './grids.present.js';

export { COVERAGE_WINDOW_DAYS } from './grids.present.js';

/** Columns the polygon decides: the index box and the number of coverage cells. */
export function shapeColumns(geometry: TAreaGeometry) {
  const box = bboxOf(geometry);
  return {
    geometry,
    minLat: box.minLat,
    minLng: box.minLng,
    maxLat: box.maxLat,
    maxLng: box.maxLng,
    cellCount: cellGrid(geometry).inside.length,
  };
}

export const boxOf = (g: {
  minLat: number;
  minLng: number;
  maxLat: number;
  maxLng: number;
}): BBox => ({
  minLat: g.minLat,
  minLng: g.minLng,
  maxLat: g.maxLat,
  maxLng: g.maxLng,
});

export async function regionFor(db: DbOrTx, regionId: number) {
  const region = await regionById(db, regionId);
  if (!region) throw errors.notFound('region', regionId);
  return region;
}

function checkCode(code: string, regionCode: string, scheme: TGridCodeScheme) {
  const problem = gridCodeProblem(code, regionCode, scheme);
  if (problem)
    throw errors.invalid(problem, [{ path: 'code', message: `${problem.zh} / ${problem.en}` }]);
}

/**
 * The grid a write names, locked: for a district or street office only a grid of its subtree —
 * another level's grid is "not found", as its reads hide it.
 */
async function writableGrid(tx: DbOrTx, actor: Actor, id: number): Promise<GridTableRow> {
  const grid = await lockGrid(tx, id);
  const own = officeRegionOf(actor);
  if (!grid || (own !== null && !(await regionWithin(tx, grid.regionId, own)))) {
    throw errors.notFound('grid', id);
  }
  return grid;
}

/**
 * Why a polygon may not be drawn by this office (null when it may): a district or street office
 * draws inside its own region's boundary (when one is drawn), so its grids never route another
 * district's reports to it or to its grid workers. Every vertex is tested (edges count inside).
 */
export function shapeOutside(
  geometry: TAreaGeometry,
  boundary: TAreaGeometry | null,
): { zh: string; en: string } | null {
  if (!boundary) return null;
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const inside = polys.every((rings) =>
    (rings[0] ?? []).every(([lng, lat]) => pointInArea(lng, lat, boundary)),
  );
  return inside
    ? null
    : {
        zh: '网格范围超出本级创建办辖区的边界，请交上级创建办处理',
        en: "the grid's polygon reaches outside this office's jurisdiction: leave it to the office above",
      };
}

/** The boundary a district or street office draws within (null at the city or when none). */
export async function officeBoundary(db: DbOrTx, actor: Actor): Promise<TAreaGeometry | null> {
  const own = officeRegionOf(actor);
  if (own === null) return null;
  const region = await regionById(db, own);
  return (region?.geometry as TAreaGeometry | null | undefined) ?? null;
}

async function requireShapeWithin(db: DbOrTx, actor: Actor, geometry: TAreaGeometry) {
  const problem = shapeOutside(geometry, await officeBoundary(db, actor));
  if (problem) throw new AppError('outside_jurisdiction', 403, problem);
}

async function codeTaken(db: DbOrTx, code: string, exceptId: number | null) {
  const id = await gridIdByCode(db, code);
  if (id !== undefined && id !== exceptId) throw errors.duplicate('grid', '编码 code', code);
}

export async function listGrids(
  database: Database,
  actor: Actor,
  q: { regionId?: number | undefined; q?: string | undefined },
): Promise<{ items: TGrid[] }> {
  const scope = requirePermission(actor, Permission.GridRead);
  const rows = await listGridRows(database.db, scope, q);
  return { items: rows.map(presentGrid) };
}

async function visibleGrid(db: DbOrTx, actor: Actor, id: number): Promise<GridRow> {
  const scope = requirePermission(actor, Permission.GridRead);
  const row = await visibleGridRow(db, scope, id);
  if (!row) throw errors.notFound('grid', id);
  return row;
}

export async function gridStats(
  db: DbOrTx,
  gridIds: readonly number[] | null,
  now = new Date(),
): Promise<TGridStats[]> {
  const since = new Date(now.getTime() - COVERAGE_WINDOW_DAYS * 86_400_000);
  const rows = await statsOf(db, gridIds, since, now);
  return rows.map((r) => presentStats(r, Number(r.grid_id)));
}

export async function listGridStats(database: Database, actor: Actor) {
  const { items } = await listGrids(database, actor, {});
  return {
    items: await gridStats(
      database.db,
      items.map((g) => g.id),
    ),
  };
}

export async function getGrid(database: Database, actor: Actor, id: number): Promise<TGridDetail> {
  const row = await visibleGrid(database.db, actor, id);
  const [stats] = await gridStats(database.db, [id]);
  return {
    grid: presentGrid(row),
    members: (await membersOf(database.db, id)).map((m) => ({ ...m, role: m.role })),
    stats: stats ?? presentStats(undefined, id),
  };
}

export async function createGrid(
  database: Database,
  actor: Actor,
  input: TGridInput,
  scheme: TGridCodeScheme,
): Promise<TGridDetail> {
  requirePermission(actor, Permission.GridWrite);
  const id = await withTx(database, async (tx) => {
    await requireRegionWithin(tx, actor, input.regionId);
    await requireShapeWithin(tx, actor, input.geometry);
    const region = await regionFor(tx, input.regionId);
    checkCode(input.code, region.code, scheme);
    await codeTaken(tx, input.code, null);
    const row = await insertGrid(tx, {
      code: input.code,
      name: input.name,
      regionId: input.regionId,
      population: input.population ?? null,
      households: input.households ?? null,
      ...shapeColumns(input.geometry),
    });
    const moved = await reassignWithin(tx, [boxOf(row)], [row.id]);
    await writeAudit(tx, actor, {
      action: 'grid.create',
      entityType: 'grid',
      entityId: row.id,
      after: { ...row, reassigned: moved.changed },
    });
    return row.id;
  });
  return getGrid(database, actor, id);
}

export async function updateGrid(
  database: Database,
  actor: Actor,
  id: number,
  patch: TGridPatch,
  scheme: TGridCodeScheme,
): Promise<TGridDetail & { reassigned: number }> {
  requirePermission(actor, Permission.GridWrite);
  const reassigned = await withTx(database, async (tx) => {
    const before = await writableGrid(tx, actor, id);
    if (before.version !== patch.version) throw errors.staleVersion('grid');
    const regionId = patch.regionId ?? before.regionId;
    if (patch.regionId !== undefined) await requireRegionWithin(tx, actor, patch.regionId);
    if (patch.geometry !== undefined) await requireShapeWithin(tx, actor, patch.geometry);
    const code = patch.code ?? before.code;
    if (patch.code !== undefined || patch.regionId !== undefined) {
      const region = await regionFor(tx, regionId);
      checkCode(code, region.code, scheme);
      await codeTaken(tx, code, id);
    }
    const shapeChanged =
      patch.geometry !== undefined &&
      JSON.stringify(patch.geometry) !== JSON.stringify(before.geometry);
    const activeChanged = patch.active !== undefined && patch.active !== before.active;
    const after = await updateGridAtVersion(tx, id, patch.version, {
      code,
      name: patch.name ?? before.name,
      regionId,
      population: patch.population !== undefined ? patch.population : before.population,
      households: patch.households !== undefined ? patch.households : before.households,
      active: patch.active ?? before.active,
      ...(shapeChanged ? shapeColumns(patch.geometry!) : {}),
      geometryRev: shapeChanged ? before.geometryRev + 1 : before.geometryRev,
      version: before.version + 1,
      updatedAt: new Date(),
    });
    // The problems in the old and the new extent, and those the grid held, find their grid again.
    const moved =
      shapeChanged || activeChanged
        ? await reassignWithin(tx, [boxOf(before), boxOf(after!)], [id])
        : { scanned: 0, changed: 0 };
    await writeAudit(tx, actor, {
      action: 'grid.update',
      entityType: 'grid',
      entityId: id,
      before,
      after: { ...after, reassigned: moved.changed },
    });
    return moved.changed;
  });
  return { ...(await getGrid(database, actor, id)), reassigned };
}

/** Names the grid's people: one 网格长 at most; leaders and workers hold the grid_worker role. */
export async function setMembers(
  database: Database,
  actor: Actor,
  id: number,
  input: TGridMembersInput,
): Promise<TGridDetail> {
  requirePermission(actor, Permission.GridWrite);
  await withTx(database, async (tx) => {
    const grid = await writableGrid(tx, actor, id);
    if (grid.version !== input.version) throw errors.staleVersion('grid');
    if (input.members.filter((m) => m.role === 'leader').length > 1) {
      throw errors.invalid({ zh: '一个网格只能有一名网格长', en: 'a grid has one grid leader' });
    }
    const ids = [...new Set(input.members.map((m) => m.userId))];
    if (ids.length !== input.members.length) {
      throw errors.invalid({ zh: '同一人不能重复列出', en: 'a person is listed twice' });
    }
    // A district or street office names its own people only (region or unit in its subtree).
    await requireUsersWithin(tx, actor, ids);
    const found = ids.length ? await usersByIds(tx, ids) : [];
    for (const m of input.members) {
      const u = found.find((f) => f.id === m.userId);
      if (!u || !u.active) throw errors.notFound('user', m.userId);
      if (m.role !== 'building_lead' && !u.roles.includes('grid_worker')) {
        throw errors.invalid({
          zh: `用户 ${m.userId} 不是网格员，不能担任网格长或网格员`,
          en: `user ${m.userId} is not a grid worker`,
        });
      }
    }
    const before = await membersOf(tx, id);
    await replaceMembers(
      tx,
      id,
      input.members.map((m) => ({ userId: m.userId, role: m.role, note: m.note ?? null })),
    );
    await updateGridById(tx, id, { version: grid.version + 1, updatedAt: new Date() });
    await writeAudit(tx, actor, {
      action: 'grid.members',
      entityType: 'grid',
      entityId: id,
      before,
      after: input.members,
    });
  });
  return getGrid(database, actor, id);
}

/** The grid's located problems for its map (open ones unless `all`), within the actor's scope. */
export async function gridProblems(
  database: Database,
  actor: Actor,
  id: number,
  q: { all: 'true' | 'false'; limit: number },
) {
  await visibleGrid(database.db, actor, id);
  const scope = requirePermission(actor, Permission.ProblemRead);
  const rows = await gridProblemRows(database.db, scope, id, q);
  return { items: rows.map((r) => ({ ...r, lat: r.lat!, lng: r.lng! })) };
}

/**
 * The active points (点位) in a grid, decided like problems: the box in SQL, the owner (smallest id
 * among the containing grids) in core. Computed when asked, so it follows every grid change.
 */
export async function gridPoints(database: Database, actor: Actor, id: number) {
  const grid = await visibleGrid(database.db, actor, id);
  requirePermission(actor, Permission.ProblemRead);
  const box = boxOf(grid);
  const rows = await activePointsInBox(database.db, box);
  const index = new GridIndex(await gridsTouching(database.db, [box]));
  return {
    items: rows
      .filter((p) => index.lookup(p.lng, p.lat) === id)
      .map((p) => ({ ...p, id: Number(p.id) })),
  };
}

/**
 * Recomputes the grid of every located problem in the city (office; audited). The city's: it
 * writes every district's problems (a district office's edits reassign their own extents).
 */
export async function reassignCity(database: Database, actor: Actor) {
  requirePermission(actor, Permission.GridWrite);
  requireCityLevel(actor, { zh: '全市问题的网格重算', en: "Recomputing the whole city's grids" });
  return withTx(database, async (tx) => {
    const out = await reassignAll(tx);
    await writeAudit(tx, actor, {
      action: 'grid.reassign',
      entityType: 'grid',
      entityId: null,
      after: out,
    });
    return out;
  });
}

export function gridError(): AppError {
  return new AppError('no_grid', 400, {
    zh: '无法确定巡查的网格，请选择网格',
    en: 'cannot tell which grid to patrol; choose one',
  });
}
