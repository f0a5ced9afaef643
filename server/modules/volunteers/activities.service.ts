import type { TActivity, TActivityInput, TAttendee } from '../../../core/contracts/volunteers.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import {
  actorScope,
  requirePermission,
  type Actor,
  actorPermissions,
} from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import * as repo from './activities.repo.js';
import { attendanceOf } from './hours.repo.js';
import { requireRegionWithin, requireUnitWithin } from '../org/jurisdiction.js';
import { placeById } from './volunteers.repo.js';
import { presentActivities, presentAttendee } from './volunteers.present.js';
import {
  findOwnVolunteer,
  levelOf,
  notAVolunteer,
  placeWithinLevel,
  requireTeamWithin,
  seesFullPhones,
} from './volunteers.service.js';

/**
 * Activities are recruitment notices: whoever may read the registry or serve may see them — an
 * office or leader below the city its own level's only (the subtree it returns), unless it also
 * serves as a volunteer, who may join any.
 */
function requireActivityRead(actor: Actor): number | null {
  const perms = actorPermissions(actor);
  if (perms.has(Permission.VolunteerServe)) return null;
  if (!perms.has(Permission.VolunteerRead)) throw errors.forbidden();
  return levelOf(actor);
}

/** The rows as the actor sees them: with their own sign-up and attendance, photos when asked. */
async function withReaderState(
  db: DbOrTx,
  actor: Actor,
  rows: repo.ActivityRow[],
  withPhotos: boolean,
): Promise<TActivity[]> {
  const own = await findOwnVolunteer(db, actor);
  const ids = rows.map((r) => r.id);
  let mine: Parameters<typeof presentActivities>[1] = null;
  if (own) {
    mine = { signups: [], attendances: [] };
    if (ids.length) {
      mine.signups = await repo.signupsOf(db, own.id, ids);
      mine.attendances = await repo.attendancesOf(db, own.id, ids);
    }
  }
  const photos = withPhotos && ids.length ? await repo.photosOf(db, ids) : [];
  return presentActivities(rows, mine, photos);
}

export async function listActivities(
  database: Database,
  actor: Actor,
  q: {
    from?: string | undefined;
    to?: string | undefined;
    placeId?: number | undefined;
    limit: number;
  },
) {
  const within = requireActivityRead(actor);
  const rows = await repo.listActivities(database.db, q, q.limit, within);
  return withReaderState(database.db, actor, rows, false);
}

/** The activity (404 when there is none, or it is not the level's of `within`). */
export async function findActivity(db: DbOrTx, id: number, within: number | null = null) {
  const a = await repo.activityById(db, id, within);
  if (!a) throw errors.notFound('activity', id);
  return a;
}

export async function getActivity(database: Database, actor: Actor, id: number) {
  const within = requireActivityRead(actor);
  const row = await repo.activityView(database.db, id, within);
  if (!row) throw errors.notFound('activity', id);
  return (await withReaderState(database.db, actor, [row], true))[0]!;
}

export async function createActivity(database: Database, actor: Actor, input: TActivityInput) {
  requirePermission(actor, Permission.VolunteerWrite);
  const id = await withTx(database, async (tx) => {
    const place = input.placeId ? await placeById(tx, input.placeId) : undefined;
    if (input.placeId && !place) throw errors.notFound('practicePlace', input.placeId);
    // A district office holds its activities at its own places, in its own subtree, organised
    // by its own units and teams.
    if (place) await requireRegionWithin(tx, actor, place.regionId);
    const regionId = await placeWithinLevel(tx, actor, input.regionId ?? place?.regionId);
    const organiserUnitId = input.organiserUnitId ?? place?.unitId ?? null;
    if (organiserUnitId !== null) await requireUnitWithin(tx, actor, organiserUnitId);
    await requireTeamWithin(tx, actor, input.organiserTeamId);
    // The place supplies where the activity is unless the activity names its own spot.
    const id = await repo.insertActivity(tx, {
      title: input.title,
      description: input.description ?? null,
      startsAt: new Date(input.startsAt),
      endsAt: new Date(input.endsAt),
      placeId: input.placeId ?? null,
      address: input.address ?? place?.address ?? null,
      lat: input.lat ?? place?.lat ?? null,
      lng: input.lng ?? place?.lng ?? null,
      regionId,
      capacity: input.capacity,
      organiserUnitId,
      organiserTeamId: input.organiserTeamId ?? null,
      createdBy: actor.id,
    });
    await writeAudit(tx, actor, {
      action: 'volunteer.activity_create',
      entityType: 'volunteer_activity',
      entityId: id,
      after: input,
    });
    return id;
  });
  return getActivity(database, actor, id);
}

export async function cancelActivity(
  database: Database,
  actor: Actor,
  id: number,
  version: number,
) {
  requirePermission(actor, Permission.VolunteerWrite);
  await withTx(database, async (tx) => {
    await findActivity(tx, id, levelOf(actor));
    if (!(await repo.cancelActivity(tx, id, version))) throw errors.staleVersion('activity');
    await writeAudit(tx, actor, {
      action: 'volunteer.activity_cancel',
      entityType: 'volunteer_activity',
      entityId: id,
    });
  });
  return getActivity(database, actor, id);
}

const activityFull = () =>
  new AppError('activity_full', 409, {
    zh: '活动名额已满',
    en: 'this activity is full',
  });

/**
 * Signs the volunteer up. The seat is taken by a conditional increment of `signed_up` (a row
 * lock), so two people racing for the last seat cannot both get it; signing up twice is one sign-up.
 */
export async function signUp(database: Database, actor: Actor, activityId: number) {
  requirePermission(actor, Permission.VolunteerServe);
  await withTx(database, async (tx) => {
    const own = await findOwnVolunteer(tx, actor);
    if (!own || own.status !== 'active') throw notAVolunteer();
    const a = await findActivity(tx, activityId);
    if (a.status !== 'published' || a.endsAt <= new Date()) {
      throw new AppError('activity_closed', 409, {
        zh: '活动已取消或已结束，不能报名',
        en: 'the activity is cancelled or over; sign-up is closed',
      });
    }
    // Claim the (activity, volunteer) row first: a repeat finds it already signed and stops here.
    if (!(await repo.claimSignup(tx, activityId, own.id))) return;
    if (!(await repo.takeSeat(tx, activityId))) throw activityFull();
    await writeAudit(tx, actor, {
      action: 'volunteer.sign_up',
      entityType: 'volunteer_activity',
      entityId: activityId,
      after: { volunteerId: own.id },
    });
  });
  return getActivity(database, actor, activityId);
}

export async function cancelSignUp(database: Database, actor: Actor, activityId: number) {
  requirePermission(actor, Permission.VolunteerServe);
  await withTx(database, async (tx) => {
    const own = await findOwnVolunteer(tx, actor);
    if (!own) throw notAVolunteer();
    await findActivity(tx, activityId);
    if (await attendanceOf(tx, activityId, own.id)) {
      throw new AppError('already_checked_in', 409, {
        zh: '已签到，不能取消报名',
        en: 'you have checked in; the sign-up can no longer be cancelled',
      });
    }
    if (!(await repo.cancelSignup(tx, activityId, own.id))) return;
    await repo.releaseSeat(tx, activityId);
    await writeAudit(tx, actor, {
      action: 'volunteer.cancel_sign_up',
      entityType: 'volunteer_activity',
      entityId: activityId,
      after: { volunteerId: own.id },
    });
  });
  return getActivity(database, actor, activityId);
}

/**
 * Who signed up and who came. The office and the organising unit see everyone; other readers — a
 * district office too, of its own activities — see only the volunteers in their part of the
 * registry. Phones masked except for the office.
 */
export async function attendees(
  database: Database,
  actor: Actor,
  activityId: number,
): Promise<TAttendee[]> {
  const scope = requirePermission(actor, Permission.VolunteerRead);
  const a = await findActivity(database.db, activityId, levelOf(actor));
  const organiser =
    actorScope(actor).kind === 'all' ||
    (actor.unitId !== null && a.organiserUnitId === actor.unitId);
  const rows = await repo.attendeeRows(database.db, a.id, organiser ? null : scope);
  const fullPhones = seesFullPhones(actor);
  return rows.map((r) => presentAttendee(r, fullPhones));
}

/** Photos taken at the activity, added after it began (files uploaded through /api/files). */
export async function addPhotos(
  database: Database,
  actor: Actor,
  activityId: number,
  fileIds: string[],
) {
  requirePermission(actor, Permission.VolunteerWrite);
  await withTx(database, async (tx) => {
    const a = await findActivity(tx, activityId, levelOf(actor));
    if (a.startsAt > new Date()) {
      throw errors.invalid({
        zh: '活动开始后才能上传活动照片',
        en: 'photos can be added once the activity has begun',
      });
    }
    const found = await repo.fileUploaders(tx, fileIds);
    for (const id of fileIds) {
      const f = found.find((x) => x.id === id);
      if (!f || f.uploadedBy !== actor.id) throw errors.notFound('file', id);
    }
    await repo.insertPhotos(tx, activityId, fileIds);
    await writeAudit(tx, actor, {
      action: 'volunteer.activity_photos',
      entityType: 'volunteer_activity',
      entityId: activityId,
      after: { fileIds },
    });
  });
  return getActivity(database, actor, activityId);
}
