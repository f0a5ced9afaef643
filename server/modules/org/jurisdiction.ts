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

/**
 * City-level settings (the point-type catalogue, the 点位申报 declaration…) are the city office's:
 * an office held at a district or street is refused, whatever permission it holds for its own
 * records of the kind.
 */
export function requireCityLevel(actor: Actor): void {
  if (officeRegionOf(actor) !== null) {
    throw new AppError('city_level', 403, {
      zh: '这是市级设置，由市创建办维护',
      en: 'this is a city-level setting, kept by the city office',
    });
  }
}
