import {
  permissionsOf,
  scopeOf,
  type Permission,
  type TRole,
  type TScope,
} from '../../core/permissions.js';
import { errors } from './errors.js';

/** Who is acting: the signed-in user, or the system itself (seeding, jobs). */
export interface Actor {
  id: number | null;
  username: string;
  name: string;
  roles: TRole[];
  unitId: number | null;
  regionId: number | null;
  ip: string | null;
}

export const SYSTEM_ACTOR: Actor = {
  id: null,
  username: 'system',
  name: '系统',
  roles: ['admin'],
  unitId: null,
  regionId: null,
  ip: null,
};

/** The first line of every service function: throws 403 unless the actor holds the permission. */
export function requirePermission(actor: Actor, permission: Permission): TScope {
  if (!permissionsOf(actor.roles).has(permission)) throw errors.forbidden();
  return actorScope(actor);
}

/** The scope of the actor's records (see core/permissions.ts). */
export function actorScope(actor: Actor): TScope {
  if (actor.id === null) return { kind: 'all' };
  return scopeOf({
    id: actor.id,
    roles: actor.roles,
    unitId: actor.unitId,
    regionId: actor.regionId,
  });
}

/**
 * Reporting on a unit's own work (progress reports, indicator values) is the unit's part: a unit
 * user holding the permission may go on; anyone else — the office, leaders, admins, field staff —
 * gets 403 before any record is looked up, so the answer does not depend on which records exist.
 * Returns the actor's unit.
 */
export function requireUnitReporter(actor: Actor, permission: Permission): number {
  requirePermission(actor, permission);
  if (!actor.roles.includes('unit') || actor.unitId === null) throw errors.forbidden();
  return actor.unitId;
}
