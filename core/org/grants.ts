import { grantableRoles, PLACED_ROLES, type Holder, type TRole } from '../permissions.js';

/**
 * 分级管理: the roles an office held at a district or street (区/街道创建办) may grant — the people
 * of its own subtree: offices and leaders at a region in it, field staff tied to one of its
 * regions, unit users of its units. Never `admin`, and never `volunteer` (the volunteer registry
 * is the city office's).
 */
export const REGIONAL_GRANTABLE_ROLES: readonly TRole[] = [
  'office',
  'leader',
  'unit',
  'inspector',
  'grid_worker',
  'surveyor',
];

/** Roles that must be held at a region (the place decides what the holder sees). */
export const REGION_BOUND_ROLES: readonly TRole[] = [
  'office',
  'leader',
  'inspector',
  'grid_worker',
  'surveyor',
];

/** True when the granter administers a district or street only (an office held below the city). */
export function administersBelowCity(
  granter: Pick<Holder, 'roles' | 'regionId' | 'regionLevel'>,
): boolean {
  if (granter.roles.includes('admin')) return false;
  if (!granter.roles.some((r) => PLACED_ROLES.includes(r))) return false;
  return granter.regionId !== null && granter.regionLevel !== 'city';
}

/** The roles a granter may hand out at the place it holds its own (see REGIONAL_GRANTABLE_ROLES). */
export function grantableRolesOf(
  granter: Pick<Holder, 'roles' | 'regionId' | 'regionLevel'>,
): TRole[] {
  const roles = grantableRoles(granter.roles);
  if (!administersBelowCity(granter)) return roles;
  return roles.filter((r) => REGIONAL_GRANTABLE_ROLES.includes(r));
}

/** The region whose subtree the granter administers (null: the whole campaign). */
export function administeredRegionOf(
  granter: Pick<Holder, 'roles' | 'regionId' | 'regionLevel'>,
): number | null {
  return administersBelowCity(granter) ? granter.regionId : null;
}
