import { eq, sql } from 'drizzle-orm';
import type {
  TLedger,
  TMonthlyRecord,
  TVolunteerSettings,
  TVolunteerStats,
} from '../../../core/contracts/volunteers.js';
import { Permission } from '../../../core/permissions.js';
import { creditAttendances } from '../../../core/volunteers/hours.js';
import { execRows, type Database, type DbOrTx, type Tx } from '../../db/client.js';
import {
  activityAttendance,
  hourAdjustments,
  regionPopulations,
  regions,
  users,
  volunteerActivities,
  volunteers,
} from '../../db/schema/index.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { findActivity } from './activities.service.js';
import {
  currentMonth,
  getPlace,
  getVolunteer,
  loadSettings,
  monthStart,
  myVolunteer,
  nextMonth,
  saveSettings,
} from './volunteers.service.js';

/**
 * Re-credits all of one volunteer's attendances under core/volunteers/hours.ts and stores the
 * result on the rows (inside the caller's transaction), so totals and statistics are plain sums.
 */
export async function recomputeHours(
  tx: DbOrTx,
  volunteerId: number,
  s: TVolunteerSettings,
): Promise<void> {
  const rows = await tx
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
    .innerJoin(volunteerActivities, eq(volunteerActivities.id, activityAttendance.activityId))
    .where(eq(activityAttendance.volunteerId, volunteerId));
  const credits = creditAttendances(
    rows.map((r) => ({
      id: r.id,
      checkInAt: r.checkInAt.getTime(),
      checkOutAt: r.checkOutAt?.getTime() ?? null,
      windowStart: r.startsAt.getTime(),
      windowEnd: r.endsAt.getTime(),
    })),
    s,
  );
  for (const r of rows) {
    const c = credits.get(r.id)!;
    if (c.minutes !== r.credited || c.estimated !== r.estimated) {
      await tx
        .update(activityAttendance)
        .set({ creditedMinutes: c.minutes, estimated: c.estimated })
        .where(eq(activityAttendance.id, r.id));
    }
  }
}

/** Re-credits everyone (after the office changes the hour rules). */
export async function recomputeAll(database: Database, s: TVolunteerSettings): Promise<void> {
  const ids = await database.db
    .selectDistinct({ id: activityAttendance.volunteerId })
    .from(activityAttendance);
  for (const { id } of ids) {
    await withTx(database, (tx) => recomputeHours(tx, id, s));
  }
}

/**
 * The office records an attendance from the paper roster (补录), with the times it names; the
 * client id makes a repeated submission the same record.
 */
export async function recordAttendance(
  database: Database,
  actor: Actor,
  activityId: number,
  input: {
    clientId: string;
    volunteerId: number;
    checkInAt: string;
    checkOutAt?: string | null | undefined;
    reason: string;
  },
) {
  requirePermission(actor, Permission.VolunteerWrite);
  const s = await loadSettings(database.db);
  await withTx(database, async (tx) => {
    const a = await findActivity(tx, activityId);
    const [v] = await tx.select().from(volunteers).where(eq(volunteers.id, input.volunteerId));
    if (!v) throw errors.notFound('volunteer', input.volunteerId);
    const checkInAt = new Date(input.checkInAt);
    const checkOutAt = input.checkOutAt ? new Date(input.checkOutAt) : null;
    if (checkOutAt && checkOutAt < checkInAt) {
      throw errors.invalid({
        zh: '签退时间应晚于签到时间',
        en: 'the check-out must be after the check-in',
      });
    }
    const [prior] = await tx
      .select()
      .from(activityAttendance)
      .where(eq(activityAttendance.clientId, input.clientId));
    if (prior) {
      if (prior.activityId !== a.id || prior.volunteerId !== v.id) {
        throw new AppError('client_id_taken', 409, {
          zh: '该提交编号已被其他签到使用',
          en: 'this client id belongs to another check-in',
        });
      }
      return;
    }
    const inserted = await tx
      .insert(activityAttendance)
      .values({
        activityId: a.id,
        volunteerId: v.id,
        clientId: input.clientId,
        checkInAt,
        checkInMethod: 'office',
        checkOutAt,
        checkOutMethod: checkOutAt ? 'office' : null,
      })
      .onConflictDoNothing()
      .returning({ id: activityAttendance.id });
    if (!inserted.length) {
      throw new AppError('already_attended', 409, {
        zh: '该志愿者已有本活动的签到记录',
        en: 'this volunteer already has an attendance for the activity',
      });
    }
    await recomputeHours(tx, v.id, s);
    await writeAudit(tx, actor, {
      action: 'volunteer.attendance_record',
      entityType: 'volunteer',
      entityId: v.id,
      after: { activityId: a.id, ...input },
    });
  });
  return ledgerOf(database.db, await getVolunteer(database, actor, input.volunteerId));
}

async function ledgerOf(db: DbOrTx, volunteer: TLedger['volunteer']): Promise<TLedger> {
  const att = await db
    .select({
      activityId: activityAttendance.activityId,
      title: volunteerActivities.title,
      checkInAt: activityAttendance.checkInAt,
      checkOutAt: activityAttendance.checkOutAt,
      minutes: activityAttendance.creditedMinutes,
      estimated: activityAttendance.estimated,
    })
    .from(activityAttendance)
    .innerJoin(volunteerActivities, eq(volunteerActivities.id, activityAttendance.activityId))
    .where(eq(activityAttendance.volunteerId, volunteer.id));
  const adj = await db
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
    .where(eq(hourAdjustments.volunteerId, volunteer.id));
  const entries: TLedger['entries'] = [
    ...att.map((a) => ({
      kind: 'attendance' as const,
      at: a.checkInAt.toISOString(),
      activityId: a.activityId,
      activityTitle: a.title,
      checkInAt: a.checkInAt.toISOString(),
      checkOutAt: a.checkOutAt?.toISOString() ?? null,
      minutes: a.minutes,
      estimated: a.estimated,
      reason: null,
      by: null,
    })),
    ...adj.map((a) => ({
      kind: 'adjustment' as const,
      at: a.at.toISOString(),
      activityId: a.activityId,
      activityTitle: a.title,
      checkInAt: null,
      checkOutAt: null,
      minutes: a.minutes,
      estimated: false,
      reason: a.reason,
      by: a.by,
    })),
  ].sort((x, y) => y.at.localeCompare(x.at));
  return {
    volunteer,
    entries,
    totalMinutes: entries.reduce((n, e) => n + e.minutes, 0),
  };
}

export async function ledger(database: Database, actor: Actor, volunteerId: number) {
  return ledgerOf(database.db, await getVolunteer(database, actor, volunteerId));
}

export async function myLedger(database: Database, actor: Actor) {
  return ledgerOf(database.db, await myVolunteer(database, actor));
}

/** The office corrects hours with a reason; the total may not go below zero. */
export async function adjustHours(
  database: Database,
  actor: Actor,
  volunteerId: number,
  input: { minutes: number; reason: string; activityId?: number | null | undefined },
) {
  requirePermission(actor, Permission.VolunteerWrite);
  await withTx(database, async (tx: Tx) => {
    const [v] = await tx
      .select({ id: volunteers.id })
      .from(volunteers)
      .where(eq(volunteers.id, volunteerId))
      .for('update');
    if (!v) throw errors.notFound('volunteer', volunteerId);
    if (input.activityId) await findActivity(tx, input.activityId);
    const [sum] = await execRows<{ total: number }>(
      tx,
      sql`select (coalesce((select sum(credited_minutes) from activity_attendance where volunteer_id = ${volunteerId}), 0)
          + coalesce((select sum(minutes) from hour_adjustments where volunteer_id = ${volunteerId}), 0))::int as total`,
    );
    if (Number(sum!.total) + input.minutes < 0) {
      throw errors.invalid({
        zh: `调整后服务时长将为负数（当前 ${sum!.total} 分钟）`,
        en: `the correction would make the hours negative (now ${sum!.total} min)`,
      });
    }
    const [row] = await tx
      .insert(hourAdjustments)
      .values({
        volunteerId,
        activityId: input.activityId ?? null,
        minutes: input.minutes,
        reason: input.reason,
        createdBy: actor.id,
      })
      .returning();
    await writeAudit(tx, actor, {
      action: 'volunteer.hours_adjust',
      entityType: 'volunteer',
      entityId: volunteerId,
      before: { totalMinutes: Number(sum!.total) },
      after: row,
    });
  });
  return ledger(database, actor, volunteerId);
}

/** A station's month: its activities with attendance and hours (evidence for the standards). */
export async function monthlyRecord(
  database: Database,
  actor: Actor,
  placeId: number,
  month: string,
): Promise<TMonthlyRecord> {
  const place = await getPlace(database, actor, placeId);
  const rows = await execRows<{
    id: number;
    title: string;
    starts_at: Date | string;
    ends_at: Date | string;
    signed_up: number;
    attended: number;
    minutes: number;
  }>(
    database.db,
    sql`select a.id, a.title, a.starts_at, a.ends_at, a.signed_up,
          count(t.id)::int as attended, coalesce(sum(t.credited_minutes), 0)::int as minutes
        from volunteer_activities a
        left join activity_attendance t on t.activity_id = a.id
        where a.place_id = ${placeId} and a.status = 'published'
          and a.starts_at >= ${monthStart(month)} and a.starts_at < ${monthStart(nextMonth(month))}
        group by a.id
        order by a.starts_at, a.id`,
  );
  const activities = rows.map((r) => ({
    id: r.id,
    title: r.title,
    startsAt: new Date(r.starts_at).toISOString(),
    endsAt: new Date(r.ends_at).toISOString(),
    signedUp: r.signed_up,
    attended: Number(r.attended),
    minutes: Number(r.minutes),
  }));
  return {
    place,
    month,
    activities,
    totals: {
      activities: activities.length,
      attended: activities.reduce((n, a) => n + a.attended, 0),
      minutes: activities.reduce((n, a) => n + a.minutes, 0),
    },
  };
}

/** Sets a region's resident population (the denominator of the registration rate). */
export async function setPopulation(
  database: Database,
  actor: Actor,
  input: { regionId: number; population: number },
) {
  requirePermission(actor, Permission.VolunteerWrite);
  await withTx(database, async (tx) => {
    const [r] = await tx
      .select({ id: regions.id })
      .from(regions)
      .where(eq(regions.id, input.regionId));
    if (!r) throw errors.notFound('region', input.regionId);
    await tx
      .insert(regionPopulations)
      .values(input)
      .onConflictDoUpdate({
        target: regionPopulations.regionId,
        set: { population: input.population, updatedAt: new Date() },
      });
    await writeAudit(tx, actor, {
      action: 'volunteer.population',
      entityType: 'region',
      entityId: input.regionId,
      after: input,
    });
  });
  return stats(database, actor);
}

/**
 * The figures the standards ask for. Aggregates over the whole registry, so the office and
 * leaders only (scope `all`); a unit sees its volunteers in the registry instead.
 */
export async function stats(database: Database, actor: Actor): Promise<TVolunteerStats> {
  const scope = requirePermission(actor, Permission.VolunteerRead);
  if (scope.kind !== 'all') throw errors.forbidden();
  const db = database.db;
  const s = await loadSettings(db);
  // Each table is read once: active volunteers per region, minutes per (team, region); the
  // roll-ups (a region's subtree, a district) happen here over the small grouped results.
  const regionRows = await execRows<{ id: number; name: string; path: string }>(
    db,
    sql`select id, name, path from regions`,
  );
  const pathOf = new Map(regionRows.map((r) => [Number(r.id), r.path]));
  const nameOf = new Map(regionRows.map((r) => [Number(r.id), r.name]));
  const perRegion = await execRows<{ region_id: number | null; n: number }>(
    db,
    sql`select region_id, count(*)::int as n from volunteers where status = 'active' group by region_id`,
  );
  const pops = await execRows<{ region_id: number; population: number }>(
    db,
    sql`select region_id, population from region_populations`,
  );
  const registration = pops
    .map((p) => {
      const prefix = pathOf.get(Number(p.region_id)) ?? '\u0000';
      const registered = perRegion
        .filter(
          (r) => r.region_id !== null && (pathOf.get(Number(r.region_id)) ?? '').startsWith(prefix),
        )
        .reduce((n, r) => n + Number(r.n), 0);
      return { regionId: Number(p.region_id), path: prefix, population: p.population, registered };
    })
    .sort((x, y) => x.path.localeCompare(y.path));
  const totalRegistered = perRegion.reduce((n, r) => n + Number(r.n), 0);
  const since = new Date(Date.now() - s.activeDays * 86_400_000);
  const [active] = await execRows<{ n: number }>(
    db,
    sql`select count(distinct volunteer_id)::int as n from activity_attendance
        where check_in_at >= ${since} and credited_minutes > 0`,
  );
  const groups = await execRows<{
    team_id: number | null;
    region_id: number | null;
    minutes: number;
  }>(
    db,
    sql`select v.team_id, v.region_id, sum(m.minutes)::bigint as minutes
        from (select volunteer_id, sum(credited_minutes) as minutes from activity_attendance group by volunteer_id
              union all
              select volunteer_id, sum(minutes) from hour_adjustments group by volunteer_id) m
        join volunteers v on v.id = m.volunteer_id
        group by v.team_id, v.region_id`,
  );
  const teamNames = new Map(
    (
      await execRows<{ id: number; name: string }>(db, sql`select id, name from volunteer_teams`)
    ).map((t) => [Number(t.id), t.name]),
  );
  const byTeamMap = new Map<number | null, number>();
  const byDistrictMap = new Map<number | null, number>();
  for (const g of groups) {
    const m = Number(g.minutes);
    const team = g.team_id === null ? null : Number(g.team_id);
    byTeamMap.set(team, (byTeamMap.get(team) ?? 0) + m);
    // The district: the second level of the region path (/city/district/…), else the top.
    const parts = (g.region_id === null ? '' : (pathOf.get(Number(g.region_id)) ?? ''))
      .split('/')
      .filter(Boolean)
      .map(Number);
    const district = parts[1] ?? parts[0] ?? null;
    byDistrictMap.set(district, (byDistrictMap.get(district) ?? 0) + m);
  }
  const ranked = (m: Map<number | null, number>, names: Map<number, string>, none: string) =>
    [...m.entries()]
      .filter(([, minutes]) => minutes > 0)
      .map(([id, minutes]) => ({
        id,
        name: id === null ? none : (names.get(id) ?? String(id)),
        minutes,
      }))
      .sort((x, y) => y.minutes - x.minutes);
  const month = currentMonth();
  const idle = await execRows<{
    id: number;
    name: string;
    kind: TVolunteerStats['idlePlaces'][number]['kind'];
  }>(
    db,
    sql`select p.id, p.name, p.kind from practice_places p
        where not exists (select 1 from volunteer_activities a where a.place_id = p.id
          and a.status = 'published' and a.starts_at >= ${monthStart(month)}
          and a.starts_at < ${monthStart(nextMonth(month))})
        order by p.kind, p.name`,
  );
  return {
    settings: s,
    registration: registration.map((r) => {
      const ratePct = Math.round((r.registered / r.population) * 10_000) / 100;
      return {
        regionId: r.regionId,
        regionName: nameOf.get(r.regionId) ?? '',
        population: r.population,
        registered: r.registered,
        ratePct,
        meetsTarget: ratePct >= s.targetRatePct,
      };
    }),
    totalRegistered,
    activeVolunteers: Number(active!.n),
    hoursByTeam: ranked(byTeamMap, teamNames, '未分队 / no team').map((r) => ({
      teamId: r.id,
      name: r.name,
      minutes: r.minutes,
    })),
    hoursByRegion: ranked(byDistrictMap, nameOf, '未填区划 / no region').map((r) => ({
      regionId: r.id,
      name: r.name,
      minutes: r.minutes,
    })),
    idlePlaces: idle,
  };
}

/** Saves the settings and, when the hour rules changed, re-credits everyone under the new ones. */
export async function updateSettings(database: Database, actor: Actor, input: TVolunteerSettings) {
  const before = await loadSettings(database.db);
  const after = await saveSettings(database, actor, input);
  const rulesChanged =
    before.maxMinutesPerActivity !== after.maxMinutesPerActivity ||
    before.maxMinutesPerDay !== after.maxMinutesPerDay ||
    before.missingCheckout !== after.missingCheckout;
  if (rulesChanged) await recomputeAll(database, after);
  return after;
}
