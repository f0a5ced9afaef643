import { Permission } from '../../../core/permissions.js';
import { actorScope, type Actor, actorPermissions } from '../../platform/actor.js';

/**
 * Whether the actor may read a unit's assignment reports — the rule of `listAssignmentReports`: the office
 * and leaders every unit's, a unit its own. Used by the file routes for the reports' attachments.
 */
export function mayReadAssignmentReportsOf(actor: Actor, unitId: number): boolean {
  if (!actorPermissions(actor).has(Permission.AssignmentRead)) return false;
  return actorScope(actor).kind === 'all' || actor.unitId === unitId;
}
