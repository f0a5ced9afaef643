import { and, asc, eq, getTableColumns, gte, inArray, lt, sql } from 'drizzle-orm';
import type { TScope } from '../../../core/permissions.js';
import type { DbOrTx } from '../../db/client.js';
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
import { regionSubtree } from '../org/regions.repo.js';
import { registryCondition } from './volunteers.repo.js';

// Tables of activities: the notices, sign-ups (seats) and photos.

export type ActivityRow = typeof volunteerActivities.$inferSelect & {
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

/**
 * A level's activities: held in its subtree (the activity's region) or at one of its places.
 * An activity's region is its place's unless it names its own, so the two agree but for the
 * activities the city places at one district's station on another's behalf.
 */
export const activityInSubtree = (regionId: number) =>
  sql`(${volunteerActivities.regionId} in ${regionSubtree(regionId)}
    or ${volunteerActivities.placeId} in (select p.id from practice_places p
      where p.region_id in ${regionSubtree(regionId)}))`;

/** Activities overlapping [from, to) (either end open), by start; a level's own when `within`. */
export async function listActivities(
  db: DbOrTx,
  q: { from?: string | undefined; to?: string | undefined; placeId?: number | undefined },
  limit: number,
  within: number | null = null,
): Promise<ActivityRow[]> {
  const conds = [];
  if (within !== null) conds.push(activityInSubtree(within));
  if (q.from) conds.push(gte(volunteerActivities.endsAt, new Date(q.from)));
  if (q.to) conds.push(lt(volunteerActivities.startsAt, new Date(q.to)));
  if (q.placeId) conds.push(eq(volunteerActivities.placeId, q.placeId));
  return selectActivities(db)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(volunteerActivities.startsAt), asc(volunteerActivities.id))
    .limit(limit);
}

/** One activity with place, organiser and check-in count (a level's own when `within`). */
export async function activityView(
  db: DbOrTx,
  id: number,
  within: number | null = null,
): Promise<ActivityRow | undefined> {
  const rows = await selectActivities(db).where(
    and(eq(volunteerActivities.id, id), within === null ? undefined : activityInSubtree(within)),
  );
  return rows[0];
}

/** The activity (a level's own when `within`). */
export async function activityById(db: DbOrTx, id: number, within: number | null = null) {
  const [a] = await db
    .select()
    .from(volunteerActivities)
    .where(
      and(eq(volunteerActivities.id, id), within === null ? undefined : activityInSubtree(within)),
    );
  return a;
}

/** One volunteer's sign-ups among the activities. */
export async function signupsOf(db: DbOrTx, volunteerId: number, activityIds: number[]) {
  return db
    .select()
    .from(activitySignups)
    .where(
      and(
        eq(activitySignups.volunteerId, volunteerId),
        inArray(activitySignups.activityId, activityIds),
      ),
    );
}

/** One volunteer's attendances among the activities. */
export async function attendancesOf(db: DbOrTx, volunteerId: number, activityIds: number[]) {
  return db
    .select({
      activityId: sql<number>`${activityAttendance.activityId}`,
      checkInAt: activityAttendance.checkInAt,
      checkOutAt: activityAttendance.checkOutAt,
    })
    .from(activityAttendance)
    .where(
      and(
        eq(activityAttendance.volunteerId, volunteerId),
        inArray(activityAttendance.activityId, activityIds),
      ),
    );
}

/** Photos of the activities, oldest first. */
export async function photosOf(db: DbOrTx, activityIds: number[]) {
  return db
    .select()
    .from(activityPhotos)
    .where(inArray(activityPhotos.activityId, activityIds))
    .orderBy(asc(activityPhotos.createdAt));
}

export async function insertActivity(
  db: DbOrTx,
  values: typeof volunteerActivities.$inferInsert,
): Promise<number> {
  const [row] = await db
    .insert(volunteerActivities)
    .values(values)
    .returning({ id: volunteerActivities.id });
  return row!.id;
}

/** Cancels at the expected version; false when the row has moved on (or is gone). */
export async function cancelActivity(db: DbOrTx, id: number, version: number): Promise<boolean> {
  const rows = await db
    .update(volunteerActivities)
    .set({ status: 'cancelled', version: sql`${volunteerActivities.version} + 1` })
    .where(and(eq(volunteerActivities.id, id), eq(volunteerActivities.version, version)))
    .returning({ id: volunteerActivities.id });
  return rows.length > 0;
}

/**
 * Claims the (activity, volunteer) sign-up row: new, or a cancelled one signed again. False when
 * it is already signed (a repeat).
 */
export async function claimSignup(
  db: DbOrTx,
  activityId: number,
  volunteerId: number,
): Promise<boolean> {
  const claimed = await db
    .insert(activitySignups)
    .values({ activityId, volunteerId })
    .onConflictDoUpdate({
      target: [activitySignups.activityId, activitySignups.volunteerId],
      set: { status: 'signed', createdAt: new Date() },
      setWhere: sql`${activitySignups.status} = 'cancelled'`,
    })
    .returning({ activityId: activitySignups.activityId });
  return claimed.length > 0;
}

/** Takes a seat by a conditional increment (a row lock); false when the activity is full. */
export async function takeSeat(db: DbOrTx, activityId: number): Promise<boolean> {
  const seat = await db
    .update(volunteerActivities)
    .set({ signedUp: sql`${volunteerActivities.signedUp} + 1` })
    .where(
      and(
        eq(volunteerActivities.id, activityId),
        sql`${volunteerActivities.signedUp} < ${volunteerActivities.capacity}`,
      ),
    )
    .returning({ id: volunteerActivities.id });
  return seat.length > 0;
}

/** Cancels a signed sign-up; false when there was none. */
export async function cancelSignup(
  db: DbOrTx,
  activityId: number,
  volunteerId: number,
): Promise<boolean> {
  const rows = await db
    .update(activitySignups)
    .set({ status: 'cancelled' })
    .where(
      and(
        eq(activitySignups.activityId, activityId),
        eq(activitySignups.volunteerId, volunteerId),
        eq(activitySignups.status, 'signed'),
      ),
    )
    .returning({ id: activitySignups.activityId });
  return rows.length > 0;
}

export async function releaseSeat(db: DbOrTx, activityId: number): Promise<void> {
  await db
    .update(volunteerActivities)
    .set({ signedUp: sql`${volunteerActivities.signedUp} - 1` })
    .where(eq(volunteerActivities.id, activityId));
}

/** Whether the volunteer holds a signed (not cancelled) sign-up for the activity. */
export async function isSignedUp(
  db: DbOrTx,
  activityId: number,
  volunteerId: number,
): Promise<boolean> {
  const [signed] = await db
    .select()
    .from(activitySignups)
    .where(
      and(
        eq(activitySignups.activityId, activityId),
        eq(activitySignups.volunteerId, volunteerId),
        eq(activitySignups.status, 'signed'),
      ),
    );
  return !!signed;
}

export type AttendeeRow = Awaited<ReturnType<typeof attendeeRows>>[number];

/**
 * Who signed up or came, by name; limited to the registry scope when one is given (`null`: everyone).
 */
export async function attendeeRows(db: DbOrTx, activityId: number, scope: TScope | null) {
  const scopeCond = scope ? registryCondition(scope) : undefined;
  return db
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
      and(
        eq(activitySignups.volunteerId, volunteers.id),
        eq(activitySignups.activityId, activityId),
      ),
    )
    .leftJoin(
      activityAttendance,
      and(
        eq(activityAttendance.volunteerId, volunteers.id),
        eq(activityAttendance.activityId, activityId),
      ),
    )
    .where(
      and(
        sql`(${activitySignups.status} = 'signed' or ${activityAttendance.id} is not null)`,
        ...(scopeCond ? [scopeCond] : []),
      ),
    )
    .orderBy(asc(volunteers.name));
}

/** Who uploaded each of the files (absent ids are missing from the answer). */
export async function fileUploaders(db: DbOrTx, fileIds: string[]) {
  return db
    .select({ id: files.id, uploadedBy: files.uploadedBy })
    .from(files)
    .where(inArray(files.id, fileIds));
}

export async function insertPhotos(
  db: DbOrTx,
  activityId: number,
  fileIds: string[],
): Promise<void> {
  await db
    .insert(activityPhotos)
    .values(fileIds.map((fileId) => ({ activityId, fileId })))
    .onConflictDoNothing();
}
