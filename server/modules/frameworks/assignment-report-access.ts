import { Permission } from '../../../core/permissions.js';
import type { DbOrTx } from '../../db/client.js';
import { actorScope, type Actor, actorPermissions } from '../../platform/actor.js';
import { unitInScope } from '../org/unit-scope.repo.js';

/**
 * Whether the actor may read a unit's assignment reports — the rule of `listAssignmentReports`:
 * the office and leaders at the city every unit's, a unit its own, an office or leader below the
 * city its subtree's units'. Used by the file routes for the reports' attachments.
 */
export async function mayReadAssignmentReportsOf(
  db: DbOrTx,
  actor: Actor,
  unitId: number,
): Promise<boolean> {
  if (!actorPermissions(actor).has(Permission.AssignmentRead)) return false;
  const scope = actorScope(actor);
  if (scope.kind === 'all') return true;
  if (scope.kind === 'region') return unitInScope(db, scope, unitId);
  return actor.unitId === unitId;
}
