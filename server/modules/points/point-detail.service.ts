import type { TPointDetail } from '../../../core/contracts/inspections.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor, officeRegionOf } from '../../platform/actor.js';
import { errors } from '../../platform/errors.js';
import { gridAt } from '../grids/grid-routing.js';
import { presentPointDetail } from './points.present.js';
import * as repo from './points.repo.js';
import { regionWithin } from '../org/regions.repo.js';

/**
 * A point with its grid (from the grid polygons, like problems) and its change history: the audit
 * log's point.create / point.update records with the fields they changed, and the 申报表 imports
 * that touched it (an import records the ids it changed, not per-field values).
 *
 * Everyone who reads problems reads points (the list is theirs too); the history names the office
 * staff who edited the point, so only whole-campaign readers (office, leaders, admins) get it.
 */
export async function pointDetail(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TPointDetail> {
  const scope = requirePermission(actor, Permission.ProblemRead);
  const db = database.db;
  const p = await repo.findPointDetail(db, id);
  const own = officeRegionOf(actor);
  if (
    !p ||
    (own !== null && (p.region_id === null || !(await regionWithin(db, p.region_id, own))))
  ) {
    throw errors.notFound('point', id);
  }
  let grid: TPointDetail['grid'] = null;
  if (p.lat !== null && p.lng !== null) {
    const g = await gridAt(db, p.lat, p.lng);
    if (g) grid = { id: g.id, ...(await repo.gridCodeName(db, g.id)) };
  }
  const history = scope.kind !== 'all' ? [] : await repo.pointHistory(db, id);
  return presentPointDetail(p, grid, history);
}
