import { sql } from 'drizzle-orm';
import type { TPointDetail } from '../../../core/contracts/inspections.js';
import { fieldChanges } from '../../../core/audit/field-changes.js';
import { Permission } from '../../../core/permissions.js';
import { execRows, type Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { errors } from '../../platform/errors.js';
import { gridAt } from '../grids/grid-routing.js';

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
  const [p] = await execRows<{
    id: number;
    name: string;
    type: string;
    type_name: string;
    region_name: string | null;
    unit_name: string | null;
    address: string | null;
    lat: number | null;
    lng: number | null;
    leader: string | null;
    contact: string | null;
    active: boolean;
    version: number;
  }>(
    db,
    sql`select p.id, p.name, t.code as type, t.name as type_name, r.name as region_name,
          u.name as unit_name, p.address, p.lat, p.lng, p.leader, p.contact, p.active, p.version
        from points p join point_types t on t.id = p.type_id
        left join regions r on r.id = p.region_id left join units u on u.id = p.unit_id
        where p.id = ${id}`,
  );
  if (!p) throw errors.notFound('point', id);
  let grid: TPointDetail['grid'] = null;
  if (p.lat !== null && p.lng !== null) {
    const g = await gridAt(db, p.lat, p.lng);
    if (g) {
      const [row] = await execRows<{ code: string; name: string }>(
        db,
        sql`select code, name from grids where id = ${g.id}`,
      );
      grid = { id: g.id, code: row!.code, name: row!.name };
    }
  }
  const rows =
    scope.kind !== 'all'
      ? []
      : await execRows<{
          at: Date | string;
          actor_name: string | null;
          action: string;
          before: unknown;
          after: unknown;
        }>(
          db,
          sql`select at, actor_name, action, before, after from audit_log
        where entity_type = 'point'
          and (entity_id = ${String(id)}
            or (action = 'point.import' and after->'pointIds' @> ${JSON.stringify([id])}::jsonb))
        order by at, id limit 500`,
        );
  return {
    point: {
      ...p,
      id: Number(p.id),
      typeName: p.type_name,
      regionName: p.region_name,
      unitName: p.unit_name,
    },
    grid,
    history: rows.map((r) => ({
      at: new Date(r.at).toISOString(),
      actorName: r.actor_name,
      action: r.action,
      changes: r.action === 'point.import' ? [] : fieldChanges(r.before, r.after, IGNORED),
    })),
  };
}

const IGNORED = ['version', 'createdAt', 'id'];
