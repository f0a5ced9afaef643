import type {
  TListVolunteersQuery,
  TPlace,
  TPlaceInput,
  TTeam,
  TVolunteerInput,
  TVolunteerSettings,
} from '../../../core/contracts/volunteers.js';
import { Permission } from '../../../core/permissions.js';
import { DEFAULT_HOUR_RULES } from '../../../core/volunteers/hours.js';
import type { Database, DbOrTx } from '../../db/client.js';
import {
  officeRegionOf,
  requirePermission,
  type Actor,
  actorPermissions,
} from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors, isUniqueViolation } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import {
  phoneFor,
  presentPlace,
  presentTeam,
  presentVolunteer,
  presentVolunteerPage,
} from './volunteers.present.js';
import * as repo from './volunteers.repo.js';
import { auditable, duplicateIdNumber, idNumberColumns, idNumberHash } from './realname.js';
import { checkIdNumber, maskIdNumber } from '../../../core/volunteers/id-number.js';
import {
  outsideJurisdiction,
  requireCityLevel,
  requireRegionWithin,
  requireUnitWithin,
  requireUsersWithin,
} from '../org/jurisdiction.js';
import { resolvePlace } from '../org/region-routing.js';
import { shanghaiDate, startOfShanghaiDay } from '../../../core/calendar/working-days.js';

// ---------------------------------------------------------------- settings

export const DEFAULT_VOLUNTEER_SETTINGS: TVolunteerSettings = {
  targetRatePct: 13,
  activeDays: 90,
  checkinRadiusM: 200,
  qrTtlSeconds: 120,
  checkinGraceMinutes: 60,
  maxMinutesPerActivity: DEFAULT_HOUR_RULES.maxMinutesPerActivity,
  maxMinutesPerDay: DEFAULT_HOUR_RULES.maxMinutesPerDay,
  missingCheckout: DEFAULT_HOUR_RULES.missingCheckout,
};
const SETTINGS_KEY = 'volunteers';
/** The settings (target rate, check-in rules, hour rules) and populations: one set, the city's. */
export const VOLUNTEER_SETTINGS_WHAT = {
  zh: '志愿服务设置（注册率目标、签到与时长规则、常住人口）',
  en: 'The volunteer settings (target rate, check-in and hour rules, populations)',
};

/** The stored settings over the defaults. */
export async function loadSettings(db: DbOrTx): Promise<TVolunteerSettings> {
  const value = (await repo.settingValue(db, SETTINGS_KEY)) as
    | Partial<TVolunteerSettings>
    | undefined;
  return { ...DEFAULT_VOLUNTEER_SETTINGS, ...(value ?? {}) };
}

export async function getSettings(database: Database, actor: Actor) {
  requirePermission(actor, Permission.VolunteerRead);
  return loadSettings(database.db);
}

export async function saveSettings(database: Database, actor: Actor, input: TVolunteerSettings) {
  requirePermission(actor, Permission.VolunteerWrite);
  requireCityLevel(actor, VOLUNTEER_SETTINGS_WHAT);
  await withTx(database, async (tx) => {
    const before = await loadSettings(tx);
    await repo.upsertSetting(tx, SETTINGS_KEY, input, actor.id);
    await writeAudit(tx, actor, {
      action: 'volunteer.settings',
      entityType: 'settings',
      entityId: SETTINGS_KEY,
      before,
      after: input,
    });
  });
  return loadSettings(database.db);
}

// ---------------------------------------------------------------- levels

/**
 * 分级管理: the subtree an office or leader held at a district or street sees and keeps its
 * volunteer records in (the registry by the volunteers' region, places by theirs, teams by their
 * region or unit's, activities by theirs or their place's); null at the city and for every other
 * role, whose reach is their scope.
 */
export const levelOf = officeRegionOf;

/**
 * The region a record made by the actor is placed in: the one given, else — for an office below
 * the city — its own (as a problem registered with no place is), and refuses one outside the
 * actor's subtree (403 outside_jurisdiction).
 */
export async function placeWithinLevel(
  db: DbOrTx,
  actor: Actor,
  regionId: number | null | undefined,
): Promise<number | null> {
  const own = levelOf(actor);
  const placed = regionId ?? own;
  await requireRegionWithin(db, actor, placed);
  return placed;
}

/** Refuses a team outside the actor's subtree (a district office's volunteers join its teams). */
export async function requireTeamWithin(
  db: DbOrTx,
  actor: Actor,
  teamId: number | null | undefined,
): Promise<void> {
  const own = levelOf(actor);
  if (own === null || teamId == null) return;
  if (!(await repo.teamWithin(db, teamId, own))) {
    throw outsideJurisdiction({ zh: '该志愿服务队', en: 'the volunteer team' });
  }
}

// ---------------------------------------------------------------- registry

/** Phones in full for the office only (those who manage the registry), masked for all others. */
export function seesFullPhones(actor: Actor): boolean {
  return actorPermissions(actor).has(Permission.VolunteerWrite);
}

export function volunteerPhone(actor: Actor, phone: string): string {
  return phoneFor(phone, seesFullPhones(actor));
}

/**
 * The list's filters, with a search for an ID number turned into its keyed hash: ID numbers are
 * found by equality, never by text (they are stored sealed).
 */
export function withIdSearch<Q extends { q?: string | undefined }>(
  q: Q,
): Q & { idHash?: string | undefined } {
  const id = q.q ? checkIdNumber(q.q) : null;
  return id?.ok ? { ...q, idHash: idNumberHash(id.value) } : q;
}

export async function listVolunteers(database: Database, actor: Actor, q: TListVolunteersQuery) {
  const scope = requirePermission(actor, Permission.VolunteerRead);
  const { rows, total } = await repo.listVolunteers(database.db, scope, withIdSearch(q));
  return presentVolunteerPage(rows, q.limit, total, seesFullPhones(actor));
}

/** One volunteer within the actor's scope (404 outside it, so ids do not leak). */
export async function getVolunteer(database: Database, actor: Actor, id: number) {
  const scope = requirePermission(actor, Permission.VolunteerRead);
  const v = await repo.volunteerView(database.db, id, scope);
  if (!v) throw errors.notFound('volunteer', id);
  return presentVolunteer(v, seesFullPhones(actor));
}

/** The volunteer record linked to the signed-in account, or null. */
export async function findOwnVolunteer(db: DbOrTx, actor: Actor) {
  if (actor.id === null) return null;
  return repo.volunteerByUser(db, actor.id);
}

export async function myVolunteer(database: Database, actor: Actor) {
  requirePermission(actor, Permission.VolunteerServe);
  const own = await findOwnVolunteer(database.db, actor);
  if (!own) throw notAVolunteer();
  const v = await repo.volunteerView(database.db, own.id);
  // Volunteers see their own phone in full.
  return presentVolunteer(v!, true);
}

export const notAVolunteer = () =>
  new AppError('not_a_volunteer', 403, {
    zh: '您的账号未关联志愿者登记信息，请联系创建办',
    en: 'your account is not linked to a volunteer record; ask the campaign office',
  });

async function checkPhoneFree(db: DbOrTx, phone: string, exceptId?: number) {
  const dup = await repo.volunteerIdByPhone(db, phone);
  if (dup !== undefined && dup !== exceptId) {
    throw errors.duplicate('volunteer', '手机号 / phone', phone);
  }
}

/** Refuses an ID number on another volunteer's record (409 duplicate_id_number). */
async function checkIdNumberFree(db: DbOrTx, value: string, exceptId?: number) {
  const holder = await repo.volunteerIdByIdHash(db, idNumberHash(value));
  if (holder !== undefined && holder !== exceptId) throw duplicateIdNumber(maskIdNumber(value));
}

/**
 * Runs a registry write, turning a lost race for the same ID number (the unique index, when two
 * registrations pass the check at once) into the same 409 as the check.
 */
async function idNumberRace<T>(value: string | null | undefined, write: () => Promise<T>) {
  try {
    return await write();
  } catch (err) {
    if (value && isUniqueViolation(err, 'volunteers_id_number_uq')) {
      throw duplicateIdNumber(maskIdNumber(value));
    }
    throw err;
  }
}

async function checkUserLink(db: DbOrTx, userId: number | null | undefined, exceptId?: number) {
  if (userId === undefined || userId === null) return;
  if (!(await repo.userExists(db, userId))) throw errors.notFound('user', userId);
  const linked = await repo.volunteerIdByUser(db, userId);
  if (linked !== undefined && linked !== exceptId) {
    throw errors.duplicate('volunteer', '关联账号 / account', String(userId));
  }
}

export async function createVolunteer(database: Database, actor: Actor, given: TVolunteerInput) {
  requirePermission(actor, Permission.VolunteerWrite);
  const id = await idNumberRace(given.idNumber, () =>
    withTx(database, async (tx) => {
      const input = { ...given, regionId: await placeWithinLevel(tx, actor, given.regionId) };
      await requireTeamWithin(tx, actor, input.teamId);
      if (input.userId) await requireUsersWithin(tx, actor, [input.userId]);
      await checkPhoneFree(tx, input.phone);
      if (input.idNumber) await checkIdNumberFree(tx, input.idNumber);
      await checkUserLink(tx, input.userId);
      const id = await repo.insertVolunteer(
        tx,
        input,
        input.idNumber ? idNumberColumns(input.idNumber) : {},
      );
      await writeAudit(tx, actor, {
        action: 'volunteer.create',
        entityType: 'volunteer',
        entityId: id,
        // The ID number masked: the audit log is read by more people than the registry's office.
        after: auditable(input),
      });
      return id;
    }),
  );
  return getVolunteer(database, actor, id);
}

export async function updateVolunteer(
  database: Database,
  actor: Actor,
  id: number,
  input: Partial<TVolunteerInput> & { version: number },
) {
  const scope = requirePermission(actor, Permission.VolunteerWrite);
  await idNumberRace(input.idNumber, () =>
    withTx(database, async (tx) => {
      // Another level's volunteer does not exist for a district office (404, as when reading).
      const before = await repo.volunteerById(tx, id);
      if (!before || !(await repo.volunteerView(tx, id, scope))) {
        throw errors.notFound('volunteer', id);
      }
      if (input.regionId !== undefined) await requireRegionWithin(tx, actor, input.regionId);
      await requireTeamWithin(tx, actor, input.teamId);
      if (input.userId) await requireUsersWithin(tx, actor, [input.userId]);
      if (input.phone !== undefined) await checkPhoneFree(tx, input.phone, id);
      if (input.idNumber) await checkIdNumberFree(tx, input.idNumber, id);
      await checkUserLink(tx, input.userId, id);
      // An edit that names the ID number sets it (null removes it); one that does not leaves it.
      const idColumns = input.idNumber === undefined ? {} : idNumberColumns(input.idNumber);
      if (!(await repo.updateVolunteer(tx, id, input.version, input, idColumns))) {
        throw errors.staleVersion('volunteer');
      }
      await writeAudit(tx, actor, {
        action: 'volunteer.update',
        entityType: 'volunteer',
        entityId: id,
        before: auditable(before),
        after: auditable(input),
      });
    }),
  );
  return getVolunteer(database, actor, id);
}

// ---------------------------------------------------------------- teams

export async function listTeams(database: Database, actor: Actor): Promise<TTeam[]> {
  requirePermission(actor, Permission.VolunteerRead);
  return (await repo.listTeams(database.db, levelOf(actor))).map(presentTeam);
}

export async function createTeam(
  database: Database,
  actor: Actor,
  input: { name: string; unitId?: number | null | undefined; regionId?: number | null | undefined },
) {
  requirePermission(actor, Permission.VolunteerWrite);
  const row = await withTx(database, async (tx) => {
    // A district office's teams are placed in its subtree: by the region given, else by their
    // unit (its own), else in its own region — a team with no place is city-wide, the city's.
    const byUnit = input.regionId == null && input.unitId != null && levelOf(actor) !== null;
    const regionId = byUnit ? null : await placeWithinLevel(tx, actor, input.regionId);
    if (input.unitId != null) await requireUnitWithin(tx, actor, input.unitId);
    if ((await repo.teamIdByName(tx, input.name)) !== undefined) {
      throw errors.duplicate('volunteerTeam', '名称 / name', input.name);
    }
    const r = await repo.insertTeam(tx, {
      name: input.name,
      unitId: input.unitId ?? null,
      regionId,
    });
    await writeAudit(tx, actor, {
      action: 'volunteer.team_create',
      entityType: 'volunteer_team',
      entityId: r.id,
      after: r,
    });
    return r;
  });
  return (await listTeams(database, actor)).find((t) => t.id === row.id)!;
}

// ---------------------------------------------------------------- places

/** The first instant of a month in Asia/Shanghai, e.g. "2026-12" → 2026-11-30T16:00Z. */
export function monthStart(month: string): Date {
  return startOfShanghaiDay(`${month}-01`);
}
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
export function currentMonth(now = new Date()): string {
  return shanghaiDate(now).slice(0, 7);
}
/** [first instant, first instant of the next month) of a month in Asia/Shanghai. */
export function monthBounds(month: string): [Date, Date] {
  return [monthStart(month), monthStart(nextMonth(month))];
}

/** Places (all, or the one with `id`; a level's own), with this month's published activities counted. */
async function placesWhere(
  db: DbOrTx,
  f: { id?: number; within: number | null },
): Promise<TPlace[]> {
  const [from, to] = monthBounds(currentMonth());
  return (await repo.listPlaces(db, f, from, to)).map(presentPlace);
}

export async function listPlaces(database: Database, actor: Actor): Promise<TPlace[]> {
  requirePermission(actor, Permission.VolunteerRead);
  return placesWhere(database.db, { within: levelOf(actor) });
}

export async function getPlace(database: Database, actor: Actor, id: number): Promise<TPlace> {
  requirePermission(actor, Permission.VolunteerRead);
  const [p] = await placesWhere(database.db, { id, within: levelOf(actor) });
  if (!p) throw errors.notFound('practicePlace', id);
  return p;
}

/**
 * A place given a position but no region gets the region of its position (its grid's, else the
 * deepest boundary's — org/region-routing, as problems and points do), so that it is counted
 * where it is (实践站 by street, activities inheriting it). A region given wins.
 */
async function withRegion<T extends Partial<TPlaceInput>>(db: DbOrTx, input: T): Promise<T> {
  if (input.regionId != null || input.lat == null || input.lng == null) return input;
  const place = await resolvePlace(db, { lat: input.lat, lng: input.lng }, false);
  return place.regionId === null ? input : { ...input, regionId: place.regionId };
}

export async function createPlace(database: Database, actor: Actor, given: TPlaceInput) {
  requirePermission(actor, Permission.VolunteerWrite);
  const id = await withTx(database, async (tx) => {
    const located = await withRegion(tx, given);
    const input = { ...located, regionId: await placeWithinLevel(tx, actor, located.regionId) };
    if (input.unitId != null) await requireUnitWithin(tx, actor, input.unitId);
    if ((await repo.placeIdByName(tx, input.name)) !== undefined) {
      throw errors.duplicate('practicePlace', '名称 / name', input.name);
    }
    const id = await repo.insertPlace(tx, input);
    await writeAudit(tx, actor, {
      action: 'volunteer.place_create',
      entityType: 'practice_place',
      entityId: id,
      after: input,
    });
    return id;
  });
  return getPlace(database, actor, id);
}

export async function updatePlace(
  database: Database,
  actor: Actor,
  id: number,
  given: Partial<TPlaceInput> & { version: number },
) {
  requirePermission(actor, Permission.VolunteerWrite);
  await withTx(database, async (tx) => {
    // Moved without a region named: the region of the new position.
    const input = await withRegion(tx, given);
    const before = await repo.placeById(tx, id);
    const own = levelOf(actor);
    if (!before || (own !== null && !(await placesWhere(tx, { id, within: own })).length)) {
      throw errors.notFound('practicePlace', id);
    }
    if (input.regionId !== undefined) await requireRegionWithin(tx, actor, input.regionId);
    if (input.unitId != null) await requireUnitWithin(tx, actor, input.unitId);
    if (!(await repo.updatePlace(tx, id, input.version, input))) {
      throw errors.staleVersion('practicePlace');
    }
    await writeAudit(tx, actor, {
      action: 'volunteer.place_update',
      entityType: 'practice_place',
      entityId: id,
      before,
      after: input,
    });
  });
  return getPlace(database, actor, id);
}
