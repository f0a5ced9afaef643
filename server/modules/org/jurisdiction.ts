import { REGION_BOUND_ROLES } from '../../../core/org/grants.js';
import { ROLE_LABELS, type TRole } from '../../../core/permissions.js';
import type { DbOrTx } from '../../db/client.js';
import { officeRegionOf, type Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { regionWithin, unitWithin, usersOutside } from './regions.repo.js';

/**
 * 辖区: what a district or street office (an office or leader role held below the city) may
 * create records in and dispatch to — its own region's subtree. Offices at the city, and every
 * other role, pass unchecked (their limits are their scope and permissions).
 */
const outside = (what: { zh: string; en: string }) =>
  new AppError('outside_jurisdiction', 403, {
    zh: `${what.zh}不在本级创建办的辖区内，请交上级创建办处理`,
    en: `${what.en} is outside this office's jurisdiction: leave it to the office above`,
  });

/** Refuses a record placed outside the actor's jurisdiction, or with no place at all. */
export async function requireRegionWithin(
  db: DbOrTx,
  actor: Actor,
  regionId: number | null,
): Promise<void> {
  const own = officeRegionOf(actor);
  if (own === null) return;
  if (regionId === null || !(await regionWithin(db, regionId, own))) {
    throw outside({ zh: '该区域', en: 'the region' });
  }
}

/** Refuses a unit outside the actor's jurisdiction (城市级单位 are the city's to dispatch to). */
export async function requireUnitWithin(db: DbOrTx, actor: Actor, unitId: number): Promise<void> {
  const own = officeRegionOf(actor);
  if (own === null) return;
  if (!(await unitWithin(db, unitId, own))) throw outside({ zh: '该责任单位', en: 'the unit' });
}

/**
 * Refuses people from outside the actor's jurisdiction (a district office names its own
 * inspectors: users whose region, or whose unit's region, lies in its subtree).
 */
export async function requireUsersWithin(
  db: DbOrTx,
  actor: Actor,
  userIds: readonly number[],
): Promise<void> {
  const own = officeRegionOf(actor);
  if (own === null || userIds.length === 0) return;
  if ((await usersOutside(db, userIds, own)).length) {
    throw outside({ zh: '所选人员', en: 'a person chosen' });
  }
}

/** A role the actor may not hand out (admin, volunteer below the city …), named in the message. */
export function roleNotGrantable(role: TRole): AppError {
  const label = ROLE_LABELS[role];
  return new AppError('role_not_grantable', 403, {
    zh: `无权授予或变更角色“${label.zh}”`,
    en: `you may not grant or change the role "${label.en}"`,
  });
}

/**
 * 分级管理: a user a district or street office creates, edits or imports must be one of its own
 * people — placed (region, unit) within its subtree, with at least a region or a unit, and with
 * every office, leader and field role held at a region of that subtree (a user with the office
 * role and no region is a city-level office: above the granter). Offices at the city pass.
 */
export async function requireUserWithin(
  db: DbOrTx,
  actor: Actor,
  v: { roles: readonly TRole[]; unitId: number | null; regionId: number | null },
): Promise<void> {
  const own = officeRegionOf(actor);
  if (own === null) return;
  const problem = userPlaceProblem(v, {
    region: v.regionId !== null && (await regionWithin(db, v.regionId, own)),
    unit: v.unitId !== null && (await unitWithin(db, v.unitId, own)),
  });
  if (problem) throw outside(problem);
}

/**
 * Why a user's place is not the granter's to give (null when it is): `within` says whether the
 * user's region and unit lie in the granter's subtree. The message goes before "不在……辖区内".
 */
export function userPlaceProblem(
  v: { roles: readonly TRole[]; unitId: number | null; regionId: number | null },
  within: { region: boolean; unit: boolean },
): { zh: string; en: string; field: 'region' | 'unit' } | null {
  const bound = v.roles.find((r) => REGION_BOUND_ROLES.includes(r));
  if (v.regionId === null && bound) {
    return {
      zh: `未指定所属区划的“${ROLE_LABELS[bound].zh}”是市级账号，`,
      en: `A "${ROLE_LABELS[bound].en}" with no region is a city-level account and`,
      field: 'region',
    };
  }
  if (v.regionId === null && v.unitId === null) {
    return {
      zh: '未指定所属区划和单位的用户',
      en: 'A user with neither region nor unit',
      field: 'region',
    };
  }
  if (v.regionId !== null && !within.region) {
    return { zh: '该用户的所属区划', en: "The user's region", field: 'region' };
  }
  if (v.unitId !== null && !within.unit) {
    return { zh: '该用户的所属单位', en: "The user's unit", field: 'unit' };
  }
  return null;
}

/** The sentence a refusal of `problem` reads as (for import row errors). */
export function outsideMessage(problem: { zh: string; en: string }): string {
  const m = outside(problem).msg;
  return `${m.zh} / ${m.en}`;
}

/**
 * City-level settings and records (the point-type catalogue, the 点位申报 declaration, 集体责任方,
 * a city-level unit's 包联): an office held at a district or street is refused (403) rather than
 * given the city's, whatever permission it holds for its own records of the kind. `what` names
 * the kind in the message.
 */
export function requireCityLevel(actor: Actor, what?: { zh: string; en: string }): void {
  if (officeRegionOf(actor) === null) return;
  throw new AppError('city_level', 403, {
    zh: what ? `${what.zh}由市级创建办管理` : '这是市级设置，由市创建办维护',
    en: what
      ? `${what.en} is managed by the city office`
      : 'this is a city-level setting, kept by the city office',
  });
}

/** The refusal of a record outside the actor's jurisdiction, for checks a module makes itself. */
export function outsideJurisdiction(what: { zh: string; en: string }): AppError {
  return outside(what);
}
