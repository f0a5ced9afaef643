import { and, eq, inArray, sql } from 'drizzle-orm';
import type {
  TGrid,
  TGridDetail,
  TGridInput,
  TGridMembersInput,
  TGridPatch,
  TGridStats,
} from '../../../core/contracts/grids.js';
import { cellGrid } from '../../../core/geo/coverage.js';
import { bboxOf, type BBox, type TAreaGeometry } from '../../../core/geo/polygon.js';
import { gridCodeProblem, type TGridCodeScheme } from '../../../core/grids/grid-code.js';
import { readGridFeatures } from '../../../core/grids/grid-geojson.js';
import { Permission } from '../../../core/permissions.js';
import { execRows, type Database, type DbOrTx } from '../../db/client.js';
import {
  gridMembers,
  grids,
  patrolProblems,
  problems,
  regions,
  users,
} from '../../db/schema/index.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { problemScope } from '../problems/problems.repo.js';
import { gridsTouching, reassignAll, reassignWithin } from './grid-routing.js';
import { GridIndex } from '../../../core/grids/grid-index.js';
import {
  gridScope,
  membersOf,
  selectGrids,
  statsOf,
  type GridRow,
  type StatsRow,
} from './grids.repo.js';

/** Patrol coverage and patrol counts look back this many days. */
export const COVERAGE_WINDOW_DAYS = 7;
/** Above this many changed grids an import recomputes the whole city instead of their boxes. */
const WHOLE_CITY_AFTER = 50;

function present(g: GridRow): TGrid {
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

function presentStats(r: StatsRow | undefined, gridId: number): TGridStats {
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

/** Columns the polygon decides: the index box and the number of coverage cells. */
function shapeColumns(geometry: TAreaGeometry) {
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

const boxOf = (g: { minLat: number; minLng: number; maxLat: number; maxLng: number }): BBox => ({
  minLat: g.minLat,
  minLng: g.minLng,
  maxLat: g.maxLat,
  maxLng: g.maxLng,
});

async function regionFor(db: DbOrTx, regionId: number) {
  const [region] = await db.select().from(regions).where(eq(regions.id, regionId));
  if (!region) throw errors.notFound('region', regionId);
  return region;
}

function checkCode(code: string, regionCode: string, scheme: TGridCodeScheme) {
  const problem = gridCodeProblem(code, regionCode, scheme);
  if (problem)
    throw errors.invalid(problem, [{ path: 'code', message: `${problem.zh} / ${problem.en}` }]);
}

async function codeTaken(db: DbOrTx, code: string, exceptId: number | null) {
  const [row] = await db.select({ id: grids.id }).from(grids).where(eq(grids.code, code));
  if (row && row.id !== exceptId) throw errors.duplicate('grid', '编码 code', code);
}

export async function listGrids(
  database: Database,
  actor: Actor,
  q: { regionId?: number | undefined; q?: string | undefined },
): Promise<{ items: TGrid[] }> {
  const scope = requirePermission(actor, Permission.GridRead);
  const conds = [gridScope(scope)];
  if (q.regionId) {
    conds.push(sql`${grids.regionId} in (select r2.id from regions r2 where r2.path like
      (select r1.path from regions r1 where r1.id = ${q.regionId}) || '%')`);
  }
  if (q.q) conds.push(sql`(${grids.name} ilike ${`%${q.q}%`} or ${grids.code} like ${`${q.q}%`})`);
  const filtered = conds.filter((c) => c !== undefined);
  const rows = await selectGrids(database.db, filtered.length ? and(...filtered) : undefined);
  return { items: rows.map(present) };
}

async function visibleGrid(db: DbOrTx, actor: Actor, id: number): Promise<GridRow> {
  const scope = requirePermission(actor, Permission.GridRead);
  const s = gridScope(scope);
  const [row] = await selectGrids(db, s ? and(eq(grids.id, id), s) : eq(grids.id, id));
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
    grid: present(row),
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
    const region = await regionFor(tx, input.regionId);
    checkCode(input.code, region.code, scheme);
    await codeTaken(tx, input.code, null);
    const [row] = await tx
      .insert(grids)
      .values({
        code: input.code,
        name: input.name,
        regionId: input.regionId,
        population: input.population ?? null,
        households: input.households ?? null,
        ...shapeColumns(input.geometry),
      })
      .returning();
    const moved = await reassignWithin(tx, [boxOf(row!)], [row!.id]);
    await writeAudit(tx, actor, {
      action: 'grid.create',
      entityType: 'grid',
      entityId: row!.id,
      after: { ...row, reassigned: moved.changed },
    });
    return row!.id;
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
    const [before] = await tx.select().from(grids).where(eq(grids.id, id)).for('update');
    if (!before) throw errors.notFound('grid', id);
    if (before.version !== patch.version) throw errors.staleVersion('grid');
    const regionId = patch.regionId ?? before.regionId;
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
    const [after] = await tx
      .update(grids)
      .set({
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
      })
      .where(and(eq(grids.id, id), eq(grids.version, patch.version)))
      .returning();
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
    const [grid] = await tx.select().from(grids).where(eq(grids.id, id)).for('update');
    if (!grid) throw errors.notFound('grid', id);
    if (grid.version !== input.version) throw errors.staleVersion('grid');
    if (input.members.filter((m) => m.role === 'leader').length > 1) {
      throw errors.invalid({ zh: '一个网格只能有一名网格长', en: 'a grid has one grid leader' });
    }
    const ids = [...new Set(input.members.map((m) => m.userId))];
    if (ids.length !== input.members.length) {
      throw errors.invalid({ zh: '同一人不能重复列出', en: 'a person is listed twice' });
    }
    const found = ids.length
      ? await tx
          .select({ id: users.id, roles: users.roles, active: users.active })
          .from(users)
          .where(inArray(users.id, ids))
      : [];
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
    await tx.delete(gridMembers).where(eq(gridMembers.gridId, id));
    if (input.members.length) {
      await tx.insert(gridMembers).values(
        input.members.map((m) => ({
          gridId: id,
          userId: m.userId,
          role: m.role,
          note: m.note ?? null,
        })),
      );
    }
    await tx
      .update(grids)
      .set({ version: grid.version + 1, updatedAt: new Date() })
      .where(eq(grids.id, id));
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
  const s = problemScope(scope);
  const conds = [eq(problems.gridId, id), sql`${problems.lat} is not null`];
  if (s) conds.push(s);
  if (q.all === 'false') {
    conds.push(sql`${problems.state} not in ('closed', 'rejected', 'merged')`);
  }
  const rows = await database.db
    .select({
      id: problems.id,
      code: problems.code,
      title: problems.title,
      state: problems.state,
      channel: problems.channel,
      lat: problems.lat,
      lng: problems.lng,
      patrolId: patrolProblems.patrolId,
    })
    .from(problems)
    .leftJoin(patrolProblems, eq(patrolProblems.problemId, problems.id))
    .where(and(...conds))
    .orderBy(sql`${problems.id} desc`)
    .limit(q.limit);
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
  const rows = await execRows<{
    id: number;
    name: string;
    address: string | null;
    lat: number;
    lng: number;
  }>(
    database.db,
    sql`select id, name, address, lat, lng from points
        where active and lat between ${box.minLat} and ${box.maxLat}
          and lng between ${box.minLng} and ${box.maxLng}
        order by id`,
  );
  const index = new GridIndex(await gridsTouching(database.db, [box]));
  return {
    items: rows
      .filter((p) => index.lookup(p.lng, p.lat) === id)
      .map((p) => ({ ...p, id: Number(p.id) })),
  };
}

/**
 * Imports a GeoJSON FeatureCollection of grids, all or nothing: every bad feature is reported
 * (422 with rows) and nothing is written. A known code updates that grid. Problems are reassigned
 * in the same transaction.
 */
export async function importGrids(
  database: Database,
  actor: Actor,
  doc: unknown,
  scheme: TGridCodeScheme,
  defaultRegionId: number | undefined,
) {
  requirePermission(actor, Permission.GridWrite);
  const { features, errors: bad } = readGridFeatures(doc);
  const regionCodes = [...new Set(features.map((f) => f.regionCode).filter((c) => c !== null))];
  const regionRows = regionCodes.length
    ? await database.db.select().from(regions).where(inArray(regions.code, regionCodes))
    : [];
  const defaultRegion = defaultRegionId ? await regionFor(database.db, defaultRegionId) : null;
  const byCode = new Map(regionRows.map((r) => [r.code, r]));
  const resolved = features.map((f) => {
    const row = f.row;
    const region = f.regionCode ? byCode.get(f.regionCode) : defaultRegion;
    if (!region) {
      bad.push({
        row,
        column: 'regionCode',
        reason: f.regionCode
          ? `region code ${f.regionCode} is not a known region`
          : 'regionCode is missing (or choose a region for the whole file)',
      });
      return null;
    }
    const problem = gridCodeProblem(f.code, region.code, scheme);
    if (problem) bad.push({ row, column: 'code', reason: `${problem.zh} / ${problem.en}` });
    return { ...f, regionId: region.id };
  });
  if (bad.length)
    throw errors.badImport(bad.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column)));
  const items = resolved.filter((r) => r !== null);
  return withTx(database, async (tx) => {
    const existing = await tx
      .select()
      .from(grids)
      .where(
        inArray(
          grids.code,
          items.map((i) => i.code),
        ),
      );
    const known = new Map(existing.map((g) => [g.code, g]));
    const boxes: BBox[] = [];
    const touched: number[] = [];
    let created = 0;
    let updated = 0;
    for (const f of items) {
      const shape = shapeColumns(f.geometry);
      const was = known.get(f.code);
      const values = {
        name: f.name,
        regionId: f.regionId,
        population: f.population,
        households: f.households,
        ...shape,
      };
      if (was) {
        const changed = JSON.stringify(was.geometry) !== JSON.stringify(f.geometry);
        await tx
          .update(grids)
          .set({
            ...values,
            geometryRev: changed ? was.geometryRev + 1 : was.geometryRev,
            version: was.version + 1,
            updatedAt: new Date(),
          })
          .where(eq(grids.id, was.id));
        boxes.push(boxOf(was), boxOf(shape));
        touched.push(was.id);
        updated++;
      } else {
        const [row] = await tx
          .insert(grids)
          .values({ code: f.code, ...values })
          .returning({ id: grids.id });
        boxes.push(boxOf(shape));
        touched.push(row!.id);
        created++;
      }
    }
    const moved =
      touched.length > WHOLE_CITY_AFTER
        ? await reassignAll(tx)
        : await reassignWithin(tx, boxes, touched);
    await writeAudit(tx, actor, {
      action: 'grid.import',
      entityType: 'grid',
      entityId: null,
      after: { created, updated, codes: items.map((i) => i.code), reassigned: moved.changed },
    });
    return { imported: items.length, created, updated, reassigned: moved.changed };
  });
}

/** The visible grids as a FeatureCollection the import reads back. */
export async function exportGrids(
  database: Database,
  actor: Actor,
  q: { regionId?: number | undefined },
) {
  const { items } = await listGrids(database, actor, q);
  const codes = new Map(
    (
      await execRows<{ id: number; code: string }>(
        database.db,
        sql`select g.id, r.code from grids g join regions r on r.id = g.region_id`,
      )
    ).map((r) => [Number(r.id), r.code]),
  );
  return {
    type: 'FeatureCollection' as const,
    features: items.map((g) => ({
      type: 'Feature' as const,
      properties: {
        code: g.code,
        name: g.name,
        regionCode: codes.get(g.id) ?? null,
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

/** Recomputes the grid of every located problem in the city (office; audited). */
export async function reassignCity(database: Database, actor: Actor) {
  requirePermission(actor, Permission.GridWrite);
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
