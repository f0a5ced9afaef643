import { gridCodeProblem, type TGridCodeScheme } from '../../../core/grids/grid-code.js';
import { readGridFeatures } from '../../../core/grids/grid-geojson.js';
import type { BBox } from '../../../core/geo/polygon.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { outsideMessage } from '../org/jurisdiction.js';
import { regionIdsWithin } from '../org/regions.repo.js';
import { reassignAll, reassignWithin } from './grid-routing.js';
import { presentGridsGeoJson } from './grids.present.js';
import {
  gridRegionCodes,
  gridsByCodes,
  insertGridId,
  regionsByCodes,
  updateGridById,
} from './grids.repo.js';
import {
  boxOf,
  listGrids,
  officeBoundary,
  regionFor,
  shapeColumns,
  shapeOutside,
} from './grids.service.js';

// Grids in and out as GeoJSON: the import (all or nothing, problems reassigned) and the export.

/** Above this many changed grids an import recomputes the whole city instead of their boxes. */
const WHOLE_CITY_AFTER = 50;

/**
 * Imports a GeoJSON FeatureCollection of grids, all or nothing: every bad feature is reported
 * (422 with rows) and nothing is written. A known code updates that grid. Problems are reassigned
 * in the same transaction. A district or street office imports only grids of its subtree, drawn
 * inside its boundary: a feature placed (or a known code held) elsewhere fails the file.
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
  const regionRows = regionCodes.length ? await regionsByCodes(database.db, regionCodes) : [];
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
  const items = resolved.filter((r) => r !== null);
  return withTx(database, async (tx) => {
    const existing = await gridsByCodes(
      tx,
      items.map((i) => i.code),
    );
    const known = new Map(existing.map((g) => [g.code, g]));
    const own = officeRegionOf(actor);
    if (own !== null) {
      const mine = await regionIdsWithin(tx, own);
      const boundary = await officeBoundary(tx, actor);
      for (const f of items) {
        const was = known.get(f.code);
        const outside = !mine.has(f.regionId)
          ? {
              column: 'regionCode',
              what: { zh: `网格 ${f.code} 的所属区划`, en: `The region of grid ${f.code}` },
            }
          : was && !mine.has(was.regionId)
            ? {
                column: 'code',
                what: { zh: `已有网格 ${f.code}`, en: `The existing grid ${f.code}` },
              }
            : null;
        if (outside)
          bad.push({ row: f.row, column: outside.column, reason: outsideMessage(outside.what) });
        const shape = shapeOutside(f.geometry, boundary);
        if (shape)
          bad.push({ row: f.row, column: 'geometry', reason: `${shape.zh} / ${shape.en}` });
      }
    }
    if (bad.length)
      throw errors.badImport(bad.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column)));
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
        await updateGridById(tx, was.id, {
          ...values,
          geometryRev: changed ? was.geometryRev + 1 : was.geometryRev,
          version: was.version + 1,
          updatedAt: new Date(),
        });
        boxes.push(boxOf(was), boxOf(shape));
        touched.push(was.id);
        updated++;
      } else {
        const newId = await insertGridId(tx, { code: f.code, ...values });
        boxes.push(boxOf(shape));
        touched.push(newId);
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
  const codes = new Map((await gridRegionCodes(database.db)).map((r) => [Number(r.id), r.code]));
  return presentGridsGeoJson(items, codes);
}
