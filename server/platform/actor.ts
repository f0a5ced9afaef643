import {
  PLACED_ROLES,
  permissionsOfHolder,
  scopeOf,
  type Permission,
  type RegionLevel,
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
  /**
   * The level of `regionId`: an office or leader held at a district or street covers that subtree
   * only (undefined with a region counts as below the city).
   */
  regionLevel?: RegionLevel | null;
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
  if (!actorPermissions(actor).has(permission)) throw errors.forbidden();
  return actorScope(actor);
}

/** The permissions the actor holds, with its office and leader roles at the place they are held. */
export function actorPermissions(actor: Actor): ReadonlySet<Permission> {
  return permissionsOfHolder(actor);
}

/** True when the actor holds the permission (at the place its roles are held). */
export function actorHas(actor: Actor, permission: Permission): boolean {
  return actorPermissions(actor).has(permission);
}

/** The scope of the actor's records (see core/permissions.ts). */
export function actorScope(actor: Actor): TScope {
  if (actor.id === null) return { kind: 'all' };
  return scopeOf({
    id: actor.id,
    roles: actor.roles,
    unitId: actor.unitId,
    regionId: actor.regionId,
    regionLevel: actor.regionLevel ?? null,
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

/**
 * The region an office or leader role is held at when that is below the city (区/街道创建办):
 * its subtree bounds what the holder may create and whom it may dispatch to. Null at the city.
 */
export function officeRegionOf(actor: Actor): number | null {
  if (actor.regionId === null || actor.regionLevel === 'city') return null;
  if (actor.roles.includes('admin')) return null;
  return actor.roles.some((r) => PLACED_ROLES.includes(r)) ? actor.regionId : null;
}
