import { and, asc, eq, getTableColumns, gte, inArray, lt, sql } from 'drizzle-orm';
import type { TActivity, TActivityInput, TAttendee } from '../../../core/contracts/volunteers.js';
import { Permission, permissionsOf } from '../../../core/permissions.js';
import { type Database, type DbOrTx } from '../../db/client.js';
import {
  activityAttendance,
  activityPhotos,
  activitySignups,
  files,
  practicePlaces,
  units,
  volunteerActivities,
  volunteers,
  volunteerTeams,
} from '../../db/schema/index.js';
import { actorScope, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import {
  findOwnVolunteer,
  notAVolunteer,
  registryScope,
  volunteerPhone,
} from './volunteers.service.js';

/** Activities are recruitment notices: whoever may read the registry or serve may see them. */
function requireActivityRead(actor: Actor): void {
  const perms = permissionsOf(actor.roles);
  if (!perms.has(Permission.VolunteerRead) && !perms.has(Permission.VolunteerServe)) {
    throw errors.forbidden();
  }
}

type ActivityRow = typeof volunteerActivities.$inferSelect & {
  placeName: string | null;
  organiserUnitName: string | null;
  organiserTeamName: string | null;
  checkedIn: number;
};

function selectActivities(db: DbOrTx) {
  return db
    .select({
      ...getTableColumns(volunteerActivities),
      placeName: practicePlaces.name,
      organiserUnitName: units.name,
      organiserTeamName: volunteerTeams.name,
      checkedIn: sql<number>`(select count(*)::int from activity_attendance a where a.activity_id = ${volunteerActivities.id})`,
    })
    .from(volunteerActivities)
    .leftJoin(practicePlaces, eq(practicePlaces.id, volunteerActivities.placeId))
    .leftJoin(units, eq(units.id, volunteerActivities.organiserUnitId))
    .leftJoin(volunteerTeams, eq(volunteerTeams.id, volunteerActivities.organiserTeamId));
}

async function presentActivities(
  db: DbOrTx,
  actor: Actor,
  rows: ActivityRow[],
  withPhotos: boolean,
): Promise<TActivity[]> {
  const own = await findOwnVolunteer(db, actor);
  const ids = rows.map((r) => r.id);
  const mine = new Map<number, { signedUp: boolean; inAt: Date | null; outAt: Date | null }>();
  if (own && ids.length) {
    const signups = await db
      .select()
      .from(activitySignups)
      .where(
        and(eq(activitySignups.volunteerId, own.id), inArray(activitySignups.activityId, ids)),
      );
    for (const s of signups) {
      mine.set(s.activityId, { signedUp: s.status === 'signed', inAt: null, outAt: null });
    }
    const att = await db
      .select()
      .from(activityAttendance)
      .where(
        and(
          eq(activityAttendance.volunteerId, own.id),
          inArray(activityAttendance.activityId, ids),
        ),
      );
    for (const a of att) {
      const m = mine.get(a.activityId) ?? { signedUp: false, inAt: null, outAt: null };
      mine.set(a.activityId, { ...m, inAt: a.checkInAt, outAt: a.checkOutAt });
    }
  }
  const photos = new Map<number, string[]>();
  if (withPhotos && ids.length) {
    for (const p of await db
      .select()
      .from(activityPhotos)
      .where(inArray(activityPhotos.activityId, ids))
      .orderBy(asc(activityPhotos.createdAt))) {
      photos.set(p.activityId, [...(photos.get(p.activityId) ?? []), p.fileId]);
    }
  }
  return rows.map((r) => {
    const m = mine.get(r.id);
    return {
      id: r.id,
      title: r.title,
      description: r.description,
      startsAt: r.startsAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
      placeId: r.placeId,
      placeName: r.placeName,
      address: r.address,
      lat: r.lat,
      lng: r.lng,
      regionId: r.regionId,
      capacity: r.capacity,
      signedUp: r.signedUp,
      checkedIn: Number(r.checkedIn),
      organiserUnitId: r.organiserUnitId,
      organiserUnitName: r.organiserUnitName,
      organiserTeamId: r.organiserTeamId,
      organiserTeamName: r.organiserTeamName,
      status: r.status,
      version: r.version,
      mine: own
        ? {
            signedUp: m?.signedUp ?? false,
            checkInAt: m?.inAt?.toISOString() ?? null,
            checkOutAt: m?.outAt?.toISOString() ?? null,
          }
        : null,
      photoIds: photos.get(r.id) ?? [],
    };
  });
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
  requireActivityRead(actor);
  const conds = [];
  if (q.from) conds.push(gte(volunteerActivities.endsAt, new Date(q.from)));
  if (q.to) conds.push(lt(volunteerActivities.startsAt, new Date(q.to)));
  if (q.placeId) conds.push(eq(volunteerActivities.placeId, q.placeId));
  const rows = await selectActivities(database.db)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(volunteerActivities.startsAt), asc(volunteerActivities.id))
    .limit(q.limit);
  return presentActivities(database.db, actor, rows, false);
}

export async function findActivity(db: DbOrTx, id: number) {
  const [a] = await db.select().from(volunteerActivities).where(eq(volunteerActivities.id, id));
  if (!a) throw errors.notFound('activity', id);
  return a;
}

export async function getActivity(database: Database, actor: Actor, id: number) {
  requireActivityRead(actor);
  const rows = await selectActivities(database.db).where(eq(volunteerActivities.id, id));
  if (!rows[0]) throw errors.notFound('activity', id);
  return (await presentActivities(database.db, actor, rows, true))[0]!;
}

export async function createActivity(database: Database, actor: Actor, input: TActivityInput) {
  requirePermission(actor, Permission.VolunteerWrite);
  const id = await withTx(database, async (tx) => {
    let place: typeof practicePlaces.$inferSelect | undefined;
    if (input.placeId) {
      [place] = await tx.select().from(practicePlaces).where(eq(practicePlaces.id, input.placeId));
      if (!place) throw errors.notFound('practicePlace', input.placeId);
    }
    // The place supplies where the activity is unless the activity names its own spot.
    const [row] = await tx
      .insert(volunteerActivities)
      .values({
        title: input.title,
        description: input.description ?? null,
        startsAt: new Date(input.startsAt),
        endsAt: new Date(input.endsAt),
        placeId: input.placeId ?? null,
        address: input.address ?? place?.address ?? null,
        lat: input.lat ?? place?.lat ?? null,
        lng: input.lng ?? place?.lng ?? null,
        regionId: input.regionId ?? place?.regionId ?? null,
        capacity: input.capacity,
        organiserUnitId: input.organiserUnitId ?? place?.unitId ?? null,
        organiserTeamId: input.organiserTeamId ?? null,
        createdBy: actor.id,
      })
      .returning({ id: volunteerActivities.id });
    await writeAudit(tx, actor, {
      action: 'volunteer.activity_create',
      entityType: 'volunteer_activity',
      entityId: row!.id,
      after: input,
    });
    return row!.id;
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
    const rows = await tx
      .update(volunteerActivities)
      .set({ status: 'cancelled', version: sql`${volunteerActivities.version} + 1` })
      .where(and(eq(volunteerActivities.id, id), eq(volunteerActivities.version, version)))
      .returning({ id: volunteerActivities.id });
    if (!rows.length) {
      await findActivity(tx, id);
      throw errors.staleVersion('activity');
    }
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
    const claimed = await tx
      .insert(activitySignups)
      .values({ activityId, volunteerId: own.id })
      .onConflictDoUpdate({
        target: [activitySignups.activityId, activitySignups.volunteerId],
        set: { status: 'signed', createdAt: new Date() },
        setWhere: sql`${activitySignups.status} = 'cancelled'`,
      })
      .returning({ activityId: activitySignups.activityId });
    if (!claimed.length) return;
    const seat = await tx
      .update(volunteerActivities)
      .set({ signedUp: sql`${volunteerActivities.signedUp} + 1` })
      .where(
        and(
          eq(volunteerActivities.id, activityId),
          sql`${volunteerActivities.signedUp} < ${volunteerActivities.capacity}`,
        ),
      )
      .returning({ id: volunteerActivities.id });
    if (!seat.length) throw activityFull();
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
    const [attended] = await tx
      .select({ id: activityAttendance.id })
      .from(activityAttendance)
      .where(
        and(
          eq(activityAttendance.activityId, activityId),
          eq(activityAttendance.volunteerId, own.id),
        ),
      );
    if (attended) {
      throw new AppError('already_checked_in', 409, {
        zh: '已签到，不能取消报名',
        en: 'you have checked in; the sign-up can no longer be cancelled',
      });
    }
    const rows = await tx
      .update(activitySignups)
      .set({ status: 'cancelled' })
      .where(
        and(
          eq(activitySignups.activityId, activityId),
          eq(activitySignups.volunteerId, own.id),
          eq(activitySignups.status, 'signed'),
        ),
      )
      .returning({ id: activitySignups.activityId });
    if (!rows.length) return;
    await tx
      .update(volunteerActivities)
      .set({ signedUp: sql`${volunteerActivities.signedUp} - 1` })
      .where(eq(volunteerActivities.id, activityId));
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
 * Who signed up and who came. The office and the organising unit see everyone; other readers see
 * only the volunteers in their part of the registry. Phones masked except for the office.
 */
export async function attendees(
  database: Database,
  actor: Actor,
  activityId: number,
): Promise<TAttendee[]> {
  const scopeCond = registryScope(actor);
  const a = await findActivity(database.db, activityId);
  const organiser =
    actorScope(actor).kind === 'all' ||
    (actor.unitId !== null && a.organiserUnitId === actor.unitId);
  const rows = await database.db
    .select({
      volunteerId: volunteers.id,
      name: volunteers.name,
      phone: volunteers.phone,
      teamName: volunteerTeams.name,
      signup: activitySignups.status,
      checkInAt: activityAttendance.checkInAt,
      checkOutAt: activityAttendance.checkOutAt,
      method: activityAttendance.checkInMethod,
      creditedMinutes: activityAttendance.creditedMinutes,
      estimated: activityAttendance.estimated,
    })
    .from(volunteers)
    .leftJoin(volunteerTeams, eq(volunteerTeams.id, volunteers.teamId))
    .leftJoin(
      activitySignups,
      and(eq(activitySignups.volunteerId, volunteers.id), eq(activitySignups.activityId, a.id)),
    )
    .leftJoin(
      activityAttendance,
      and(
        eq(activityAttendance.volunteerId, volunteers.id),
        eq(activityAttendance.activityId, a.id),
      ),
    )
    .where(
      and(
        sql`(${activitySignups.status} = 'signed' or ${activityAttendance.id} is not null)`,
        ...(organiser || !scopeCond ? [] : [scopeCond]),
      ),
    )
    .orderBy(asc(volunteers.name));
  return rows.map((r) => ({
    volunteerId: r.volunteerId,
    name: r.name,
    phone: volunteerPhone(actor, r.phone),
    teamName: r.teamName,
    signedUp: r.signup === 'signed',
    checkInAt: r.checkInAt?.toISOString() ?? null,
    checkOutAt: r.checkOutAt?.toISOString() ?? null,
    method: r.method,
    creditedMinutes: r.creditedMinutes ?? 0,
    estimated: r.estimated ?? false,
  }));
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
    const a = await findActivity(tx, activityId);
    if (a.startsAt > new Date()) {
      throw errors.invalid({
        zh: '活动开始后才能上传活动照片',
        en: 'photos can be added once the activity has begun',
      });
    }
    const found = await tx
      .select({ id: files.id, uploadedBy: files.uploadedBy })
      .from(files)
      .where(inArray(files.id, fileIds));
    for (const id of fileIds) {
      const f = found.find((x) => x.id === id);
      if (!f || f.uploadedBy !== actor.id) throw errors.notFound('file', id);
    }
    await tx
      .insert(activityPhotos)
      .values(fileIds.map((fileId) => ({ activityId, fileId })))
      .onConflictDoNothing();
    await writeAudit(tx, actor, {
      action: 'volunteer.activity_photos',
      entityType: 'volunteer_activity',
      entityId: activityId,
      after: { fileIds },
    });
  });
  return getActivity(database, actor, activityId);
}
