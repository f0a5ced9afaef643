import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { TCheckinInput, TVolunteerStats } from '../../../core/contracts/volunteers.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import {
  activityAttendance,
  hourAdjustments,
  nationalHours,
  regionPopulations,
  regions,
  serviceItems,
  serviceOrders,
  users,
  volunteerActivities,
  volunteers,
} from '../../db/schema/index.js';
import { regionSubtree } from '../org/regions.repo.js';

// Tables of service hours: attendances (check-in/out, credited minutes), corrections, the
// resident populations, and the aggregates the statistics read.

// ---------------------------------------------------------------- attendance

export type AttendanceRow = typeof activityAttendance.$inferSelect;

export async function attendanceByClientId(
  db: DbOrTx,
  clientId: string,
): Promise<AttendanceRow | undefined> {
  const [row] = await db
    .select()
    .from(activityAttendance)
    .where(eq(activityAttendance.clientId, clientId));
  return row;
}

/** A volunteer's attendance of an activity (there is at most one). */
export async function attendanceOf(
  db: DbOrTx,
  activityId: number,
  volunteerId: number,
): Promise<AttendanceRow | undefined> {
  const [row] = await db
    .select()
    .from(activityAttendance)
    .where(
      and(
        eq(activityAttendance.activityId, activityId),
        eq(activityAttendance.volunteerId, volunteerId),
      ),
    );
  return row;
}

export async function attendanceById(db: DbOrTx, id: number): Promise<AttendanceRow | undefined> {
  const [row] = await db.select().from(activityAttendance).where(eq(activityAttendance.id, id));
  return row;
}

/** Inserts an attendance; false when one already exists (same client id, or same person and activity). */
export async function insertAttendance(
  db: DbOrTx,
  values: typeof activityAttendance.$inferInsert,
): Promise<boolean> {
  const inserted = await db
    .insert(activityAttendance)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: activityAttendance.id });
  return inserted.length > 0;
}

/** Records the check-out unless there is one already; false when there was. */
export async function checkOut(
  db: DbOrTx,
  id: number,
  values: { clientId: string; method: TCheckinInput['method']; at: Date },
): Promise<boolean> {
  const done = await db
    .update(activityAttendance)
    .set({
      checkOutAt: values.at,
      checkOutClientId: values.clientId,
      checkOutMethod: values.method,
    })
    .where(and(eq(activityAttendance.id, id), sql`${activityAttendance.checkOutAt} is null`))
    .returning({ id: activityAttendance.id });
  return done.length > 0;
}

/**
 * A volunteer's attendances with their activity's window, for crediting (a service order's has
 * no activity: its window is its own check-in to the order's completion, `startsAt` null).
 */
export async function creditInputs(db: DbOrTx, volunteerId: number) {
  return db
    .select({
      id: activityAttendance.id,
      checkInAt: activityAttendance.checkInAt,
      checkOutAt: activityAttendance.checkOutAt,
      credited: activityAttendance.creditedMinutes,
      estimated: activityAttendance.estimated,
      startsAt: volunteerActivities.startsAt,
      endsAt: volunteerActivities.endsAt,
    })
    .from(activityAttendance)
    .leftJoin(volunteerActivities, eq(volunteerActivities.id, activityAttendance.activityId))
    .where(eq(activityAttendance.volunteerId, volunteerId));
}

/** The name of the service a service order is for (a service attendance's title). */
export async function serviceNameOf(db: DbOrTx, orderId: number): Promise<string | null> {
  const [row] = await db
    .select({ name: serviceItems.name })
    .from(serviceOrders)
    .innerJoin(serviceItems, eq(serviceItems.id, serviceOrders.itemId))
    .where(eq(serviceOrders.id, orderId));
  return row?.name ?? null;
}

export async function setCredit(
  db: DbOrTx,
  attendanceId: number,
  credit: { minutes: number; estimated: boolean },
): Promise<void> {
  await db
    .update(activityAttendance)
    .set({ creditedMinutes: credit.minutes, estimated: credit.estimated })
    .where(eq(activityAttendance.id, attendanceId));
}

/** Everyone with at least one attendance. */
export async function attendingVolunteerIds(db: DbOrTx): Promise<number[]> {
  const ids = await db
    .selectDistinct({ id: activityAttendance.volunteerId })
    .from(activityAttendance);
  return ids.map((r) => r.id);
}

// ---------------------------------------------------------------- ledger and corrections

export type LedgerAttendanceRow = Awaited<ReturnType<typeof ledgerAttendances>>[number];
export type LedgerAdjustmentRow = Awaited<ReturnType<typeof ledgerAdjustments>>[number];

/** A volunteer's attendances: at activities (their title) and at service orders (the service's name). */
export async function ledgerAttendances(db: DbOrTx, volunteerId: number) {
  return db
    .select({
      activityId: activityAttendance.activityId,
      serviceOrderId: activityAttendance.serviceOrderId,
      title: volunteerActivities.title,
      serviceName: serviceItems.name,
      checkInAt: activityAttendance.checkInAt,
      checkOutAt: activityAttendance.checkOutAt,
      minutes: activityAttendance.creditedMinutes,
      estimated: activityAttendance.estimated,
    })
    .from(activityAttendance)
    .leftJoin(volunteerActivities, eq(volunteerActivities.id, activityAttendance.activityId))
    .leftJoin(serviceOrders, eq(serviceOrders.id, activityAttendance.serviceOrderId))
    .leftJoin(serviceItems, eq(serviceItems.id, serviceOrders.itemId))
    .where(eq(activityAttendance.volunteerId, volunteerId));
}

export async function ledgerAdjustments(db: DbOrTx, volunteerId: number) {
  return db
    .select({
      activityId: hourAdjustments.activityId,
      title: volunteerActivities.title,
      minutes: hourAdjustments.minutes,
      reason: hourAdjustments.reason,
      by: users.name,
      at: hourAdjustments.createdAt,
    })
    .from(hourAdjustments)
    .leftJoin(volunteerActivities, eq(volunteerActivities.id, hourAdjustments.activityId))
    .leftJoin(users, eq(users.id, hourAdjustments.createdBy))
    .where(eq(hourAdjustments.volunteerId, volunteerId));
}

/** Locks the volunteer's row for the rest of the transaction; false when there is none. */
export async function lockVolunteer(db: DbOrTx, volunteerId: number): Promise<boolean> {
  const [v] = await db
    .select({ id: volunteers.id })
    .from(volunteers)
    .where(eq(volunteers.id, volunteerId))
    .for('update');
  return !!v;
}

/** Credited minutes plus corrections. */
export async function totalMinutes(db: DbOrTx, volunteerId: number): Promise<number> {
  const [sum] = await execRows<{ total: number }>(
    db,
    sql`select (coalesce((select sum(credited_minutes) from activity_attendance where volunteer_id = ${volunteerId}), 0)
        + coalesce((select sum(minutes) from hour_adjustments where volunteer_id = ${volunteerId}), 0)
        + coalesce((select sum(minutes) from volunteer_national_hours where volunteer_id = ${volunteerId}), 0))::int as total`,
  );
  return sum!.total;
}

export async function insertAdjustment(db: DbOrTx, values: typeof hourAdjustments.$inferInsert) {
  const [row] = await db.insert(hourAdjustments).values(values).returning();
  return row!;
}

// ---------------------------------------------------------------- a station's month

export interface MonthlyActivityRow {
  id: number;
  title: string;
  starts_at: Date | string;
  ends_at: Date | string;
  signed_up: number;
  attended: number;
  minutes: number;
}

/** A place's published activities starting in [from, to), with attendance and credited minutes. */
export async function monthlyActivities(
  db: DbOrTx,
  placeId: number,
  from: Date,
  to: Date,
): Promise<MonthlyActivityRow[]> {
  return execRows<MonthlyActivityRow>(
    db,
    sql`select a.id, a.title, a.starts_at, a.ends_at, a.signed_up,
          count(t.id)::int as attended, coalesce(sum(t.credited_minutes), 0)::int as minutes
        from volunteer_activities a
        left join activity_attendance t on t.activity_id = a.id
        where a.place_id = ${placeId} and a.status = 'published'
          and a.starts_at >= ${from} and a.starts_at < ${to}
        group by a.id
        order by a.starts_at, a.id`,
  );
}

// ---------------------------------------------------------------- populations and statistics

export async function regionExists(db: DbOrTx, regionId: number): Promise<boolean> {
  const [r] = await db.select({ id: regions.id }).from(regions).where(eq(regions.id, regionId));
  return !!r;
}

export async function upsertPopulation(
  db: DbOrTx,
  input: { regionId: number; population: number },
): Promise<void> {
  await db
    .insert(regionPopulations)
    .values(input)
    .onConflictDoUpdate({
      target: regionPopulations.regionId,
      set: { population: input.population, updatedAt: new Date() },
    });
}

export async function regionPaths(db: DbOrTx) {
  return execRows<{ id: number; name: string; path: string }>(
    db,
    sql`select id, name, path from regions`,
  );
}

// The statistics read the whole campaign, or with `within` a level's subtree: its volunteers
// (by their region), its populations and its places.
const andIn = (column: SQL, within: number | null) =>
  within === null ? sql`` : sql`and ${column} in ${regionSubtree(within)}`;

/** Active volunteers per region. */
export async function activePerRegion(db: DbOrTx, within: number | null = null) {
  return execRows<{ region_id: number | null; n: number }>(
    db,
    sql`select region_id, count(*)::int as n from volunteers
        where status = 'active' ${andIn(sql`region_id`, within)} group by region_id`,
  );
}

export async function populations(db: DbOrTx, within: number | null = null) {
  return execRows<{ region_id: number; population: number }>(
    db,
    sql`select region_id, population from region_populations
        where true ${andIn(sql`region_id`, within)}`,
  );
}

/**
 * Volunteers credited for an attendance since the instant, or with hours recorded in the national
 * system on a day since then (`sinceDay`, Asia/Shanghai).
 */
export async function servedSince(
  db: DbOrTx,
  since: Date,
  within: number | null = null,
  sinceDay: string = since.toISOString().slice(0, 10),
): Promise<number> {
  const mine =
    within === null
      ? sql``
      : sql`and volunteer_id in (select v.id from volunteers v where v.region_id in ${regionSubtree(within)})`;
  const [active] = await execRows<{ n: number }>(
    db,
    sql`select count(distinct volunteer_id)::int as n from (
          select volunteer_id from activity_attendance
            where check_in_at >= ${since} and credited_minutes > 0 ${mine}
          union all
          select volunteer_id from volunteer_national_hours
            where service_date >= ${sinceDay}::date ${mine}) s`,
  );
  return Number(active!.n);
}

/** Minutes (credited and corrections) per (team, region) of the volunteers. */
export async function minutesByTeamAndRegion(db: DbOrTx, within: number | null = null) {
  return execRows<{ team_id: number | null; region_id: number | null; minutes: number }>(
    db,
    sql`select v.team_id, v.region_id, sum(m.minutes)::bigint as minutes
        from (select volunteer_id, sum(credited_minutes) as minutes from activity_attendance group by volunteer_id
              union all
              select volunteer_id, sum(minutes) from hour_adjustments group by volunteer_id
              union all
              select volunteer_id, sum(minutes) from volunteer_national_hours group by volunteer_id) m
        join volunteers v on v.id = m.volunteer_id
        where true ${andIn(sql`v.region_id`, within)}
        group by v.team_id, v.region_id`,
  );
}

export async function teamNames(db: DbOrTx) {
  return execRows<{ id: number; name: string }>(db, sql`select id, name from volunteer_teams`);
}

/** Places (of the subtree of `within`) without a published activity starting in [from, to). */
export async function idlePlaces(
  db: DbOrTx,
  from: Date,
  to: Date,
  within: number | null = null,
): Promise<TVolunteerStats['idlePlaces']> {
  return execRows<TVolunteerStats['idlePlaces'][number]>(
    db,
    sql`select p.id, p.name, p.kind from practice_places p
        where not exists (select 1 from volunteer_activities a where a.place_id = p.id
          and a.status = 'published' and a.starts_at >= ${from}
          and a.starts_at < ${to})
          ${andIn(sql`p.region_id`, within)}
        order by p.kind, p.name`,
  );
}

/** Each volunteer's credited minutes: attendance, the office's corrections and national hours. */
export async function minutesOfVolunteers(db: DbOrTx, ids: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!ids.length) return out;
  for (const r of await db
    .select({
      id: activityAttendance.volunteerId,
      m: sql<number>`sum(${activityAttendance.creditedMinutes})::int`,
    })
    .from(activityAttendance)
    .where(inArray(activityAttendance.volunteerId, ids))
    .groupBy(activityAttendance.volunteerId)) {
    out.set(r.id, Number(r.m));
  }
  for (const r of await db
    .select({
      id: hourAdjustments.volunteerId,
      m: sql<number>`sum(${hourAdjustments.minutes})::int`,
    })
    .from(hourAdjustments)
    .where(inArray(hourAdjustments.volunteerId, ids))
    .groupBy(hourAdjustments.volunteerId)) {
    out.set(r.id, (out.get(r.id) ?? 0) + Number(r.m));
  }
  for (const r of await db
    .select({
      id: nationalHours.volunteerId,
      m: sql<number>`sum(${nationalHours.minutes})::int`,
    })
    .from(nationalHours)
    .where(inArray(nationalHours.volunteerId, ids))
    .groupBy(nationalHours.volunteerId)) {
    out.set(r.id, (out.get(r.id) ?? 0) + Number(r.m));
  }
  return out;
}
