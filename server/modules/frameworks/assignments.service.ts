import type { TAssignment } from '../../../core/contracts/frameworks.js';
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
