import { and, asc, eq, gt, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { TListVolunteersQuery } from '../../../core/contracts/volunteers.js';
import type { TScope } from '../../../core/permissions.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import {
  activityAttendance,
  nationalHours,
  regions,
  serviceItems,
  serviceOrders,
  users,
  volunteerActivities,
  volunteers,
  volunteerTeams,
} from '../../db/schema/index.js';
import { regionSubtree } from '../org/regions.repo.js';
import { activityInSubtree } from './activities.repo.js';
import { registryCondition, volunteerFilter } from './volunteers.repo.js';

// Tables of the national record (全国志愿服务信息系统): the rows of the national export, and the
// hours imported from there (volunteer_national_hours).

// ---------------------------------------------------------------- the export

type Filters = Omit<TListVolunteersQuery, 'limit' | 'cursor' | 'realName'>;

/** 实名 volunteers of the filtered registry within the scope (the export's volunteers sheet). */
function nationalVolunteerConds(scope: TScope, q: Filters): SQL[] {
  const inScope = registryCondition(scope);
  return [isNotNull(volunteers.idNumberEnc), ...volunteerFilter(q), ...(inScope ? [inScope] : [])];
}

export async function countNationalVolunteers(
  db: DbOrTx,
  scope: TScope,
  q: Filters,
): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(volunteers)
    .where(and(...nationalVolunteerConds(scope, q)));
  return Number(row!.n);
}

export type NationalVolunteerRow = Awaited<ReturnType<typeof nationalVolunteersAfter>>[number];

/** The next page of those volunteers after id `after`, with team and region. */
export function nationalVolunteersAfter(
  db: DbOrTx,
  scope: TScope,
  q: Filters,
  after: number,
  limit: number,
) {
  return db
    .select({
      id: volunteers.id,
      name: volunteers.name,
      phone: volunteers.phone,
      organisation: volunteers.organisation,
      skills: volunteers.skills,
      idNumberEnc: volunteers.idNumberEnc,
      createdAt: volunteers.createdAt,
      teamName: volunteerTeams.name,
      regionName: regions.name,
      regionCode: regions.code,
    })
    .from(volunteers)
    .leftJoin(volunteerTeams, eq(volunteerTeams.id, volunteers.teamId))
    .leftJoin(regions, eq(regions.id, volunteers.regionId))
    .where(and(gt(volunteers.id, after), ...nationalVolunteerConds(scope, q)))
    .orderBy(asc(volunteers.id))
    .limit(limit);
}

/** Published activities starting in [from, to) (either end open; a level's own when `within`). */
function activityConds(from: Date | null, to: Date | null, within: number | null): SQL[] {
  const conds: SQL[] = [sql`a.status = 'published'`];
  if (from) conds.push(sql`a.starts_at >= ${from}`);
  if (to) conds.push(sql`a.starts_at < ${to}`);
  if (within !== null)
    conds.push(
      sql`a.id in (select ${volunteerActivities.id} from ${volunteerActivities} where ${activityInSubtree(within)})`,
    );
  return conds;
}

export interface NationalActivityRow {
  id: number;
  title: string;
  description: string | null;
  starts_at: Date | string;
  ends_at: Date | string;
  place: string | null;
  region_name: string | null;
  region_code: string | null;
  organiser: string | null;
  team: string | null;
  capacity: number;
  attended: number;
  minutes: number;
}

export async function countNationalActivities(
  db: DbOrTx,
  from: Date | null,
  to: Date | null,
  within: number | null,
): Promise<number> {
  const [row] = await execRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from volunteer_activities a
        where ${sql.join(activityConds(from, to, within), sql` and `)}`,
  );
  return Number(row!.n);
}

/** The next page of those activities after id `after`, with place, organiser and totals. */
export function nationalActivitiesAfter(
  db: DbOrTx,
  from: Date | null,
  to: Date | null,
  within: number | null,
  after: number,
  limit: number,
): Promise<NationalActivityRow[]> {
  return execRows<NationalActivityRow>(
    db,
    sql`select a.id, a.title, a.description, a.starts_at, a.ends_at,
          coalesce(p.name, a.address) as place, r.name as region_name, r.code as region_code,
          coalesce(u.name, t.name) as organiser, t.name as team, a.capacity,
          (select count(*)::int from activity_attendance x where x.activity_id = a.id) as attended,
          (coalesce((select sum(x.credited_minutes) from activity_attendance x where x.activity_id = a.id), 0)
           + coalesce((select sum(h.minutes) from hour_adjustments h where h.activity_id = a.id), 0))::int
            as minutes
        from volunteer_activities a
        left join practice_places p on p.id = a.place_id
        left join regions r on r.id = coalesce(a.region_id, p.region_id)
        left join units u on u.id = a.organiser_unit_id
        left join volunteer_teams t on t.id = a.organiser_team_id
        where a.id > ${after} and ${sql.join(activityConds(from, to, within), sql` and `)}
        order by a.id
        limit ${limit}`,
  );
}

export interface NationalServiceItemRow {
  id: number;
  name: string;
  description: string | null;
  starts_at: Date | string;
  ends_at: Date | string | null;
  place: string;
  region_name: string | null;
  region_code: string | null;
  team: string | null;
  capacity: number;
  attended: number;
  minutes: number;
}

/**
 * Attendances at 点单派单 orders checked in within [from, to), at stations of the level (`within`):
 * the menu item is the project they count under in the national record.
 */
function servedConds(from: Date | null, to: Date | null, within: number | null): SQL {
  const conds: SQL[] = [sql`t.service_order_id is not null`];
  if (from) conds.push(sql`t.check_in_at >= ${from}`);
  if (to) conds.push(sql`t.check_in_at < ${to}`);
  if (within !== null) conds.push(sql`p.region_id in ${regionSubtree(within)}`);
  return sql.join(conds, sql` and `);
}

const servedFrom = sql`from activity_attendance t
  join service_orders o on o.id = t.service_order_id
  join service_items si on si.id = o.item_id
  join practice_places p on p.id = si.place_id`;

export async function countNationalServiceItems(
  db: DbOrTx,
  from: Date | null,
  to: Date | null,
  within: number | null,
): Promise<number> {
  const [row] = await execRows<{ n: number }>(
    db,
    sql`select count(distinct si.id)::int as n ${servedFrom}
        where ${servedConds(from, to, within)}`,
  );
  return Number(row!.n);
}

/**
 * The next page of menu items after id `after` whose orders were served in the range, each as a
 * project: the station as place and organiser (never a resident's address), the teams that served,
 * the seats the orders asked for, the attendances and their credited minutes.
 */
export function nationalServiceItemsAfter(
  db: DbOrTx,
  from: Date | null,
  to: Date | null,
  within: number | null,
  after: number,
  limit: number,
): Promise<NationalServiceItemRow[]> {
  return execRows<NationalServiceItemRow>(
    db,
    sql`with served as (
          select si.id as item_id, o.id as order_id, o.volunteers_needed, o.team_id,
            t.check_in_at, coalesce(t.check_out_at, o.done_at) as ended_at, t.credited_minutes
          ${servedFrom}
          where si.id > ${after} and ${servedConds(from, to, within)}
        )
        select si.id, si.name, si.description,
          min(s.check_in_at) as starts_at, max(s.ended_at) as ends_at,
          p.name as place, r.name as region_name, r.code as region_code,
          (select string_agg(distinct tm.name, '、') from volunteer_teams tm
            where tm.id in (select s2.team_id from served s2 where s2.item_id = si.id)) as team,
          (select coalesce(sum(x.volunteers_needed), 0) from
            (select distinct s3.order_id, s3.volunteers_needed from served s3
              where s3.item_id = si.id) x)::int as capacity,
          count(*)::int as attended,
          coalesce(sum(s.credited_minutes), 0)::int as minutes
        from served s
        join service_items si on si.id = s.item_id
        join practice_places p on p.id = si.place_id
        left join regions r on r.id = p.region_id
        group by si.id, si.name, si.description, p.name, r.name, r.code
        order by si.id
        limit ${limit}`,
  );
}

export interface NationalHoursRow {
  id: number;
  volunteer_id: number;
  name: string;
  phone: string;
  id_number_enc: string;
  /** The activity's id, or null for an order's attendance (then `item_id`). */
  activity_id: number | null;
  /** The activity's title, or the order's menu item's name. */
  title: string;
  item_id: number | null;
  check_in_at: Date | string;
  check_out_at: Date | string | null;
  /** The activity's scheduled end, or when the order was marked done. */
  ends_at: Date | string | null;
  minutes: number;
}

/**
 * Attendances of 实名 volunteers (in the scope) at activities starting in [from, to) or at
 * 点单派单 orders checked in then, with the minutes credited plus the office's corrections tied to
 * that activity; rows of no minutes left out. Hours imported from the national system are not
 * among them: they came from there.
 */
function hoursConds(scope: TScope, from: Date | null, to: Date | null): SQL {
  const inScope = registryCondition(scope);
  const conds: SQL[] = [sql`v.id_number_enc is not null`];
  const day = sql`coalesce(a.starts_at, t.check_in_at)`;
  if (from) conds.push(sql`${day} >= ${from}`);
  if (to) conds.push(sql`${day} < ${to}`);
  if (inScope)
    conds.push(sql`v.id in (select ${volunteers.id} from ${volunteers} where ${inScope})`);
  return sql.join(conds, sql` and `);
}

const hoursFrom = sql`from activity_attendance t
  join volunteers v on v.id = t.volunteer_id
  left join volunteer_activities a on a.id = t.activity_id
  left join service_orders o on o.id = t.service_order_id
  left join service_items si on si.id = o.item_id
  left join (select volunteer_id, activity_id, sum(minutes)::int as m from hour_adjustments
             where activity_id is not null group by volunteer_id, activity_id) adj
    on adj.volunteer_id = t.volunteer_id and adj.activity_id = t.activity_id`;
const hoursMinutes = sql`(t.credited_minutes + coalesce(adj.m, 0))`;

export async function countNationalHours(
  db: DbOrTx,
  scope: TScope,
  from: Date | null,
  to: Date | null,
): Promise<number> {
  const [row] = await execRows<{ n: number }>(
    db,
    sql`select count(*)::int as n ${hoursFrom}
        where ${hoursMinutes} > 0 and ${hoursConds(scope, from, to)}`,
  );
  return Number(row!.n);
}

export function nationalHoursAfter(
  db: DbOrTx,
  scope: TScope,
  from: Date | null,
  to: Date | null,
  after: number,
  limit: number,
): Promise<NationalHoursRow[]> {
  return execRows<NationalHoursRow>(
    db,
    sql`select t.id::int as id, v.id as volunteer_id, v.name, v.phone, v.id_number_enc,
          a.id as activity_id, coalesce(a.title, si.name) as title, si.id as item_id,
          t.check_in_at, t.check_out_at, coalesce(a.ends_at, o.done_at) as ends_at,
          ${hoursMinutes}::int as minutes
        ${hoursFrom}
        where t.id > ${after} and ${hoursMinutes} > 0 and ${hoursConds(scope, from, to)}
        order by t.id
        limit ${limit}`,
  );
}

// ---------------------------------------------------------------- matching an import's rows

export interface MatchRow {
  id: number;
  name: string;
  phone: string;
  idNumberHash: string | null;
}

const matchColumns = {
  id: volunteers.id,
  name: volunteers.name,
  phone: volunteers.phone,
  idNumberHash: volunteers.idNumberHash,
};

/** The volunteers (within the scope) whose `key` is one of `values`, by that value, 5,000 a query. */
async function volunteersByKey(
  db: DbOrTx,
  scope: TScope,
  key: 'idNumberHash' | 'phone',
  values: string[],
): Promise<Map<string, MatchRow>> {
  const out = new Map<string, MatchRow>();
  const inScope = registryCondition(scope);
  for (let i = 0; i < values.length; i += 5000) {
    for (const r of await db
      .select(matchColumns)
      .from(volunteers)
      .where(
        and(inArray(volunteers[key], values.slice(i, i + 5000)), ...(inScope ? [inScope] : [])),
      )) {
      out.set(r[key]!, r);
    }
  }
  return out;
}

/** The volunteers (within the scope) of these ID-number hashes. */
export const volunteersByIdHash = (db: DbOrTx, scope: TScope, hashes: string[]) =>
  volunteersByKey(db, scope, 'idNumberHash', hashes);

/** The volunteers (within the scope) of these phones. */
export const volunteersByPhone = (db: DbOrTx, scope: TScope, phones: string[]) =>
  volunteersByKey(db, scope, 'phone', phones);

/** Which of these record keys are stored already. */
export async function knownRecordKeys(db: DbOrTx, keys: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < keys.length; i += 5000) {
    for (const r of await db
      .select({ k: nationalHours.recordKey })
      .from(nationalHours)
      .where(inArray(nationalHours.recordKey, keys.slice(i, i + 5000)))) {
      out.add(r.k);
    }
  }
  return out;
}

/**
 * The attendances of these volunteers: the activity's title (or the order's menu item's name, with
 * `item` set) and check-in — our own hours, to recognise when they come back.
 */
export async function attendancesOf(db: DbOrTx, volunteerIds: number[]) {
  const out: { volunteerId: number; title: string; item: boolean; checkInAt: Date }[] = [];
  for (let i = 0; i < volunteerIds.length; i += 5000) {
    out.push(
      ...(await db
        .select({
          volunteerId: activityAttendance.volunteerId,
          title: sql<string>`coalesce(${volunteerActivities.title}, ${serviceItems.name})`,
          item: sql<boolean>`${activityAttendance.serviceOrderId} is not null`,
          checkInAt: activityAttendance.checkInAt,
        })
        .from(activityAttendance)
        .leftJoin(volunteerActivities, eq(volunteerActivities.id, activityAttendance.activityId))
        .leftJoin(serviceOrders, eq(serviceOrders.id, activityAttendance.serviceOrderId))
        .leftJoin(serviceItems, eq(serviceItems.id, serviceOrders.itemId))
        .where(inArray(activityAttendance.volunteerId, volunteerIds.slice(i, i + 5000)))),
    );
  }
  return out;
}

export type NationalHoursInsert = typeof nationalHours.$inferInsert;

/** Stores imported records; a key stored already (a concurrent import) adds nothing. */
export async function insertNationalHours(
  db: DbOrTx,
  rows: NationalHoursInsert[],
): Promise<{ inserted: number; minutes: number }> {
  let inserted = 0;
  let minutes = 0;
  for (let i = 0; i < rows.length; i += 1000) {
    const done = await db
      .insert(nationalHours)
      .values(rows.slice(i, i + 1000))
      .onConflictDoNothing({ target: nationalHours.recordKey })
      .returning({ minutes: nationalHours.minutes });
    inserted += done.length;
    minutes += done.reduce((n, r) => n + r.minutes, 0);
  }
  return { inserted, minutes };
}

export type LedgerNationalRow = Awaited<ReturnType<typeof ledgerNational>>[number];

/** A volunteer's imported national hours, for the ledger. */
export async function ledgerNational(db: DbOrTx, volunteerId: number) {
  return db
    .select({
      title: nationalHours.activityTitle,
      date: nationalHours.serviceDate,
      minutes: nationalHours.minutes,
      recordId: nationalHours.nationalRecordId,
      by: users.name,
    })
    .from(nationalHours)
    .leftJoin(users, eq(users.id, nationalHours.importedBy))
    .where(eq(nationalHours.volunteerId, volunteerId));
}
