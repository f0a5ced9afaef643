import type { TRegionBoundaryInput } from '../../../core/contracts/org.js';
import type { TFeatureError } from '../../../core/geo/area-geojson.js';
import { bboxOf, type BBox, type TAreaGeometry } from '../../../core/geo/polygon.js';
import { readBoundaryFeatures } from '../../../core/org/region-boundaries.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, Tx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { presentBoundariesGeoJson, presentRegion } from './org.present.js';
import { replaceWithin } from './region-routing.js';
import * as repo from './regions.repo.js';

// 区划边界: one region's boundary set or removed, a GeoJSON file of them imported (all or
// nothing, or a dry run) and exported. Every change re-derives, in its transaction, the region of
// the located problems the boundaries place (see region-routing.ts).

function shapeOf(geometry: TAreaGeometry) {
  return { geometry, ...bboxOf(geometry) };
}

/** The stored box of a region with a boundary, else none. */
function storedBox(r: repo.RegionRow): BBox[] {
  return r.minLat === null || r.minLng === null || r.maxLat === null || r.maxLng === null
    ? []
    : [{ minLat: r.minLat, minLng: r.minLng, maxLat: r.maxLat, maxLng: r.maxLng }];
}

const vertices = (g: TAreaGeometry) =>
  (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flat().reduce((n, r) => n + r.length, 0);

/** Sets one region's boundary (PUT), re-deriving the problems it and its old extent hold. */
export async function putBoundary(
  database: Database,
  actor: Actor,
  id: number,
  input: TRegionBoundaryInput,
) {
  requirePermission(actor, Permission.RegionWrite);
  return changeBoundary(database, actor, id, input.version, input.geometry);
}

/** Removes one region's boundary; its problems fall to the next boundary out, or to none. */
export async function deleteBoundary(
  database: Database,
  actor: Actor,
  id: number,
  version: number,
) {
  requirePermission(actor, Permission.RegionWrite);
  return changeBoundary(database, actor, id, version, null);
}

async function changeBoundary(
  database: Database,
  actor: Actor,
  id: number,
  version: number,
  geometry: TAreaGeometry | null,
) {
  return withTx(database, async (tx) => {
    const before = await repo.findRegion(tx, id);
    if (!before) throw errors.notFound('region', id);
    if (before.version !== version) throw errors.staleVersion('region');
    const shape = geometry ? shapeOf(geometry) : null;
    const row = await repo.setRegionBoundary(tx, id, version, shape);
    if (!row) throw errors.staleVersion('region');
    const counts = await replaceWithin(tx, [...storedBox(before), ...(shape ? [shape] : [])]);
    await writeAudit(tx, actor, {
      action: geometry ? 'region.boundary_set' : 'region.boundary_delete',
      entityType: 'region',
      entityId: id,
      before: { boundaryRev: before.boundaryRev, box: storedBox(before)[0] ?? null },
      after: {
        boundaryRev: row.boundaryRev,
        box: shape ? bboxOf(shape.geometry) : null,
        vertices: geometry ? vertices(geometry) : 0,
        ...counts,
      },
    });
    return {
      region: presentRegion(row),
      boundaryRev: row.boundaryRev,
      ...replacedView(counts),
    };
  });
}

/** The counts a change answers: problems', and points' under `points`. */
function replacedView(c: Awaited<ReturnType<typeof replaceWithin>>) {
  const { placed, moved, unplaced } = c;
  const p = c.points;
  return {
    placed,
    moved,
    unplaced,
    points: { placed: p.placed, moved: p.moved, unplaced: p.unplaced },
  };
}

class DryRunRollback extends Error {
  constructor(public readonly result: ReturnType<typeof replacedView>) {
    super('dry run');
  }
}

/**
 * Imports a FeatureCollection of boundaries, all or nothing: each feature names its region by code
 * (or name); every bad feature — unreadable geometry, open ring, unknown or repeated region — is
 * listed (422) and nothing is written. A dry run does the same work in a rolled-back transaction
 * and answers the counts.
 */
export async function importBoundaries(
  database: Database,
  actor: Actor,
  doc: unknown,
  opts: { filename: string; dryRun: boolean },
) {
  requirePermission(actor, Permission.RegionWrite);
  const { features, errors: bad } = readBoundaryFeatures(doc);
  const byKey = await repo.regionIdsByCodeOrName(database.db);
  const seen = new Map<number, number>();
  const items: { regionId: number; geometry: TAreaGeometry }[] = [];
  for (const f of features) {
    const key = (f.code ?? f.name)!;
    const regionId = byKey.get(key);
    if (regionId === undefined) {
      bad.push({
        row: f.row,
        column: f.code ? 'code' : 'name',
        reason: `没有区划“${key}” / no region ${f.code ? 'has code' : 'is named'} "${key}"`,
      });
    } else if (seen.has(regionId)) {
      bad.push({
        row: f.row,
        column: f.code ? 'code' : 'name',
        reason: `区划“${key}”与第 ${seen.get(regionId)} 个要素重复 / region "${key}" repeats feature ${seen.get(regionId)}`,
      });
    } else {
      seen.set(regionId, f.row);
      items.push({ regionId, geometry: f.geometry });
    }
  }
  if (bad.length) throw errors.badImport(sortErrors(bad));
  const run = async (tx: Tx) => {
    const current = new Map(
      (
        await repo.regionsByIds(
          tx,
          items.map((i) => i.regionId),
        )
      ).map((r) => [r.id, r]),
    );
    const boxes: BBox[] = [];
    for (const i of items) {
      const was = current.get(i.regionId)!;
      const shape = shapeOf(i.geometry);
      if (!(await repo.setRegionBoundary(tx, was.id, was.version, shape))) {
        throw errors.staleVersion('region');
      }
      boxes.push(...storedBox(was), shape);
    }
    const counts = await replaceWithin(tx, boxes);
    await writeAudit(tx, actor, {
      action: 'region.boundary_import',
      entityType: 'region',
      entityId: null,
      after: {
        file: opts.filename,
        imported: items.length,
        regionIds: items.map((i) => i.regionId),
        ...counts,
      },
    });
    return { imported: items.length, ...replacedView(counts) };
  };
  if (!opts.dryRun) return withTx(database, run);
  try {
    await database.db.transaction(async (tx) => {
      const { imported: _i, ...counts } = await run(tx);
      throw new DryRunRollback(counts);
    });
  } catch (err) {
    if (!(err instanceof DryRunRollback)) throw err;
    return { imported: items.length, ...err.result, dryRun: true };
  }
  throw new Error('unreachable: a dry run always rolls back');
}

function sortErrors(rows: TFeatureError[]): TFeatureError[] {
  return rows.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
}

/** The boundaries of a region's subtree (the whole city without one), as the import reads them. */
export async function exportBoundaries(
  database: Database,
  actor: Actor,
  q: { regionId?: number | undefined },
) {
  requirePermission(actor, Permission.RegionRead);
  if (q.regionId !== undefined && !(await repo.findRegion(database.db, q.regionId))) {
    throw errors.notFound('region', q.regionId);
  }
  return presentBoundariesGeoJson(await repo.boundariesOf(database.db, q.regionId ?? null));
}
