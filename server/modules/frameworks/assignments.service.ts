import type { TAssignment, TMyTask } from '../../../core/contracts/frameworks.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { fwErrors } from './frameworks.errors.js';
import { presentAssignment } from './frameworks.present.js';
import * as repo from './frameworks.repo.js';
import * as arepo from './assignments.repo.js';

/**
 * The 任务分解 of a version as the actor may see it: the office and leaders all of it, a unit the
 * standards it leads or shares. A version has at most a few thousand rows, so the list is whole
 * (the matrix view needs all of it); filters narrow it by item or unit.
 */
export async function listAssignments(
  database: Database,
  actor: Actor,
  versionId: number,
  q: { itemId?: number | undefined; unitId?: number | undefined },
): Promise<TAssignment[]> {
  const scope = requirePermission(actor, Permission.AssignmentRead);
  if (!(await repo.findVersion(database.db, versionId))) {
    throw fwErrors.notFound('version', versionId);
  }
  const rows = await arepo.listAssignments(database.db, versionId, scope, q);
  return rows.map(presentAssignment);
}

/**
 * 我的任务: the actor's unit's assignments on every framework version in force (published), lead or
 * shared. Users without a unit have none.
 */
export async function listMyTasks(database: Database, actor: Actor): Promise<TMyTask[]> {
  requirePermission(actor, Permission.AssignmentRead);
  const unitId = actor.unitId;
  if (unitId === null) return [];
  const db = database.db;
  const out: TMyTask[] = [];
  for (const c of await repo.listCampaigns(db)) {
    for (const f of await repo.listFrameworks(db, [c.id])) {
      const v = await repo.findVersionByStatus(db, f.id, 'published');
      if (!v) continue;
      const rows = await arepo.listAssignments(db, v.id, { kind: 'unit', unitId });
      for (const r of rows) {
        out.push({
          ...presentAssignment(r),
          frameworkId: f.id,
          frameworkName: f.name,
          campaignName: c.name,
          role: r.leadUnitId === unitId ? 'lead' : 'responsible',
        });
      }
    }
  }
  return out;
}
