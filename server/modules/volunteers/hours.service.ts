import type {
  TAttendanceRecordInput,
  TLedger,
  TMonthlyRecord,
  TVolunteerSettings,
  TVolunteerStats,
} from '../../../core/contracts/volunteers.js';
import { Permission } from '../../../core/permissions.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import { creditAttendances, minutesToHours } from '../../../core/volunteers/hours.js';
import type { Database, DbOrTx, Tx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { findActivity } from './activities.service.js';
import { grantFor } from '../credits/grant-credits.js';
import * as repo from './hours.repo.js';
import { requireCityLevel } from '../org/jurisdiction.js';
import { ledgerNational } from './national.repo.js';
import { notRealNameCount, volunteerView } from './volunteers.repo.js';
import { presentLedger, presentMonthlyRecord } from './volunteers.present.js';
import {
  currentMonth,
  getPlace,
  getVolunteer,
  levelOf,
  loadSettings,
  monthBounds,
  myVolunteer,
  saveSettings,
  VOLUNTEER_SETTINGS_WHAT,
} from './volunteers.service.js';

/** A client id already used for another volunteer's or activity's attendance. */
export const clientIdTaken = () =>
  new AppError('client_id_taken', 409, {
    zh: '该提交编号已被其他签到使用',
    en: 'this client id belongs to another check-in',
  });

/**
 * Re-credits all of one volunteer's attendances under core/volunteers/hours.ts and stores the
 * result on the rows (inside the caller's transaction), so totals and statistics are plain sums.
 */
export async function recomputeHours(
  tx: DbOrTx,
  volunteerId: number,
  s: TVolunteerSettings,
): Promise<void> {
  const rows = await repo.creditInputs(tx, volunteerId);
  const credits = creditAttendances(
    rows.map((r) => {
      const checkInAt = r.checkInAt.getTime();
      const checkOutAt = r.checkOutAt?.getTime() ?? null;
      // A service order (点单派单) has no scheduled window: its time runs from the volunteer's
      // check-in at the address to the order's completion, and counts nothing until then.
      if (!r.startsAt || !r.endsAt) {
        const end = checkOutAt ?? checkInAt;
        return { id: r.id, checkInAt, checkOutAt: end, windowStart: checkInAt, windowEnd: end };
      }
      return {
        id: r.id,
        checkInAt,
        checkOutAt,
        windowStart: r.startsAt.getTime(),
        windowEnd: r.endsAt.getTime(),
      };
    }),
    s,
  );
  for (const r of rows) {
    const c = credits.get(r.id)!;
    if (c.minutes !== r.credited || c.estimated !== r.estimated) {
      await repo.setCredit(tx, r.id, c);
    }
  }
}

/**
 * 文明积分 for an attendance whose hours are recorded — at the check-out, or when the office
 * records it with one (补录) — on the hours credited then, in the caller's transaction. Once per
 * attendance: hours re-credited later (a settings change) do not move the points.
 */
export async function grantHours(tx: Tx, actor: Actor, attendanceId: number): Promise<void> {
  const att = await repo.attendanceById(tx, attendanceId);
  if (!att?.checkOutAt || att.creditedMinutes <= 0) return;
  // An activity's attendance, or the time served on a service order (点单派单): the same hours.
  const title =
    att.activityId !== null
      ? (await findActivity(tx, att.activityId)).title
      : `点单服务：${(await repo.serviceNameOf(tx, att.serviceOrderId!)) ?? ''}`;
  await grantFor(tx, {
    kind: 'volunteer_hours',
    sourceId: att.id,
    volunteerId: att.volunteerId,
    quantity: att.creditedMinutes,
    note: `志愿服务：${title}（${minutesToHours(att.creditedMinutes)} 小时）`,
    actor,
  });
}

/** Re-credits everyone (after the office changes the hour rules). */
export async function recomputeAll(database: Database, s: TVolunteerSettings): Promise<void> {
  for (const id of await repo.attendingVolunteerIds(database.db)) {
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
  input: TAttendanceRecordInput,
) {
  const scope = requirePermission(actor, Permission.VolunteerWrite);
  const s = await loadSettings(database.db);
  await withTx(database, async (tx) => {
    // A district office records attendances of its own activities, for its own volunteers.
    const a = await findActivity(tx, activityId, levelOf(actor));
    const v = await volunteerView(tx, input.volunteerId, scope);
    if (!v) throw errors.notFound('volunteer', input.volunteerId);
    const checkInAt = new Date(input.checkInAt);
    const checkOutAt = input.checkOutAt ? new Date(input.checkOutAt) : null;
    if (checkOutAt && checkOutAt < checkInAt) {
      throw errors.invalid({
        zh: '签退时间应晚于签到时间',
        en: 'the check-out must be after the check-in',
      });
    }
    const prior = await repo.attendanceByClientId(tx, input.clientId);
    if (prior) {
      if (prior.activityId !== a.id || prior.volunteerId !== v.id) throw clientIdTaken();
      return;
    }
    const inserted = await repo.insertAttendance(tx, {
      activityId: a.id,
      volunteerId: v.id,
      clientId: input.clientId,
      checkInAt,
      checkInMethod: 'office',
      checkOutAt,
      checkOutMethod: checkOutAt ? 'office' : null,
    });
    if (!inserted) {
      throw new AppError('already_attended', 409, {
        zh: '该志愿者已有本活动的签到记录',
        en: 'this volunteer already has an attendance for the activity',
      });
    }
    await recomputeHours(tx, v.id, s);
    const recorded = await repo.attendanceByClientId(tx, input.clientId);
    if (recorded) await grantHours(tx, actor, recorded.id);
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
  const att = await repo.ledgerAttendances(db, volunteer.id);
  const adj = await repo.ledgerAdjustments(db, volunteer.id);
  const national = await ledgerNational(db, volunteer.id);
  return presentLedger(volunteer, att, adj, national);
}

/** A volunteer's hours, entry by entry (the volunteer within the reader's scope, else 404). */
export async function ledger(database: Database, actor: Actor, volunteerId: number) {
  requirePermission(actor, Permission.VolunteerRead);
  return ledgerOf(database.db, await getVolunteer(database, actor, volunteerId));
}

export async function myLedger(database: Database, actor: Actor) {
  requirePermission(actor, Permission.VolunteerServe);
  return ledgerOf(database.db, await myVolunteer(database, actor));
}

/**
 * The office corrects hours with a reason; the total may not go below zero. An office below the
 * city corrects its own volunteers' hours of its own activities: a correction naming no activity
 * (or the city's) is the city's.
 */
export async function adjustHours(
  database: Database,
  actor: Actor,
  volunteerId: number,
  input: { minutes: number; reason: string; activityId?: number | null | undefined },
) {
  const scope = requirePermission(actor, Permission.VolunteerWrite);
  const own = levelOf(actor);
  await withTx(database, async (tx) => {
    if (
      !(await repo.lockVolunteer(tx, volunteerId)) ||
      !(await volunteerView(tx, volunteerId, scope))
    ) {
      throw errors.notFound('volunteer', volunteerId);
    }
    if (own !== null && !input.activityId) requireCityLevel(actor, UNTIED_CORRECTION);
    if (input.activityId) await findActivity(tx, input.activityId, own);
    const total = await repo.totalMinutes(tx, volunteerId);
    if (Number(total) + input.minutes < 0) {
      throw errors.invalid({
        zh: `调整后服务时长将为负数（当前 ${total} 分钟）`,
        en: `the correction would make the hours negative (now ${total} min)`,
      });
    }
    const row = await repo.insertAdjustment(tx, {
      volunteerId,
      activityId: input.activityId ?? null,
      minutes: input.minutes,
      reason: input.reason,
      createdBy: actor.id,
    });
    await writeAudit(tx, actor, {
      action: 'volunteer.hours_adjust',
      entityType: 'volunteer',
      entityId: volunteerId,
      before: { totalMinutes: Number(total) },
      after: row,
    });
  });
  return ledger(database, actor, volunteerId);
}

const UNTIED_CORRECTION = {
  zh: '不针对本级活动的服务时长更正',
  en: "A correction of hours that names none of this level's activities",
};

/** A station's month: its activities with attendance and hours (evidence for the standards). */
export async function monthlyRecord(
  database: Database,
  actor: Actor,
  placeId: number,
  month: string,
): Promise<TMonthlyRecord> {
  requirePermission(actor, Permission.VolunteerRead);
  const place = await getPlace(database, actor, placeId);
  const [from, to] = monthBounds(month);
  const rows = await repo.monthlyActivities(database.db, placeId, from, to);
  return presentMonthlyRecord(place, month, rows);
}

/** Sets a region's resident population (the denominator of the registration rate). */
export async function setPopulation(
  database: Database,
  actor: Actor,
  input: { regionId: number; population: number },
) {
  requirePermission(actor, Permission.VolunteerWrite);
  // The denominator of a level's registration rate is not the level's to set.
  requireCityLevel(actor, VOLUNTEER_SETTINGS_WHAT);
  await withTx(database, async (tx) => {
    if (!(await repo.regionExists(tx, input.regionId))) {
      throw errors.notFound('region', input.regionId);
    }
    await repo.upsertPopulation(tx, input);
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
 * leaders only (scope `all`) — or over a level's subtree for an office or leader held at a
 * district or street, its hours broken down by the level below it; a unit sees its volunteers in
 * the registry instead.
 */
export async function stats(database: Database, actor: Actor): Promise<TVolunteerStats> {
  const scope = requirePermission(actor, Permission.VolunteerRead);
  const own = levelOf(actor);
  if (scope.kind !== 'all' && own === null) throw errors.forbidden();
  const db = database.db;
  const s = await loadSettings(db);
  // Each table is read once: active volunteers per region, minutes per (team, region); the
  // roll-ups (a region's subtree, a district) happen here over the small grouped results.
  const regionRows = await repo.regionPaths(db);
  const pathOf = new Map(regionRows.map((r) => [Number(r.id), r.path]));
  const nameOf = new Map(regionRows.map((r) => [Number(r.id), r.name]));
  const perRegion = await repo.activePerRegion(db, own);
  const pops = await repo.populations(db, own);
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
  const activeVolunteers = await repo.servedSince(db, since, own, shanghaiDate(since));
  const notRealName = await notRealNameCount(db, own);
  const groups = await repo.minutesByTeamAndRegion(db, own);
  const teamNames = new Map((await repo.teamNames(db)).map((t) => [Number(t.id), t.name]));
  const byTeamMap = new Map<number | null, number>();
  const byDistrictMap = new Map<number | null, number>();
  const partsOf = (path: string | undefined) => (path ?? '').split('/').filter(Boolean).map(Number);
  const depth = own === null ? 1 : Math.max(1, partsOf(pathOf.get(own)).length);
  for (const g of groups) {
    const m = Number(g.minutes);
    const team = g.team_id === null ? null : Number(g.team_id);
    byTeamMap.set(team, (byTeamMap.get(team) ?? 0) + m);
    // The level below the reader's: the district (the second level of the region path
    // /city/district/…) for the city, the street for a district…; else the reader's own.
    const parts = partsOf(g.region_id === null ? undefined : pathOf.get(Number(g.region_id)));
    const district = parts[depth] ?? parts[depth - 1] ?? null;
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
  const [from, to] = monthBounds(currentMonth());
  const idle = await repo.idlePlaces(db, from, to, own);
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
    notRealName,
    activeVolunteers,
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
  requirePermission(actor, Permission.VolunteerWrite);
  requireCityLevel(actor, VOLUNTEER_SETTINGS_WHAT);
  const before = await loadSettings(database.db);
  const after = await saveSettings(database, actor, input);
  const rulesChanged =
    before.maxMinutesPerActivity !== after.maxMinutesPerActivity ||
    before.maxMinutesPerDay !== after.maxMinutesPerDay ||
    before.missingCheckout !== after.missingCheckout;
  if (rulesChanged) await recomputeAll(database, after);
  return after;
}
