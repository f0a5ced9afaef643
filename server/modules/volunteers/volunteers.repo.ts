import {
  and,
  asc,
  eq,
  getTableColumns,
  gt,
  ilike,
  inArray,
  isNotNull,
  isNull,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type {
  TListVolunteersQuery,
  TPlaceInput,
  TVolunteerInput,
} from '../../../core/contracts/volunteers.js';
import type { TScope } from '../../../core/permissions.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import {
  practicePlaces,
  regions,
  settings,
  users,
  volunteers,
  volunteerTeams,
} from '../../db/schema/index.js';
import { likePattern } from '../../platform/pagination.js';
import { regionSubtree } from '../org/regions.repo.js';

// Tables of the registry: settings, volunteers, teams and practice places (志愿服务).

// ---------------------------------------------------------------- settings

/** The stored value of a setting, or undefined when there is none. */
export async function settingValue(db: DbOrTx, key: string): Promise<unknown> {
  const [row] = await db.select().from(settings).where(eq(settings.key, key));
  return row?.value;
}

export async function upsertSetting(
  db: DbOrTx,
  key: string,
  value: unknown,
  userId: number | null,
): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value, updatedBy: userId })
    .onConflictDoUpdate({
      target: settings.key,
      set: { value, updatedBy: userId, updatedAt: new Date() },
    });
}

/** Stores the value unless the key already has one (two servers racing: the first wins). */
export async function insertSettingIfAbsent(db: DbOrTx, key: string, value: string): Promise<void> {
  await db.insert(settings).values({ key, value }).onConflictDoNothing();
}

// ---------------------------------------------------------------- registry

/**
 * The part of the registry a scope sees: all of it, a unit its own teams' volunteers, a region
 * its subtree, a person only their own record.
 */
export function registryCondition(scope: TScope): SQL | undefined {
  switch (scope.kind) {
    case 'all':
      return undefined;
    case 'unit':
      return sql`${volunteers.teamId} in (select t.id from volunteer_teams t where t.unit_id = ${scope.unitId})`;
    case 'region':
      return sql`${volunteers.regionId} in ${regionSubtree(scope.regionId)}`;
    case 'self':
      return eq(volunteers.userId, scope.userId);
  }
}

const volunteerColumns = {
  ...getTableColumns(volunteers),
  teamName: volunteerTeams.name,
  regionName: regions.name,
  totalMinutes: sql<number>`(
    coalesce((select sum(a.credited_minutes) from activity_attendance a where a.volunteer_id = ${volunteers.id}), 0)
    + coalesce((select sum(h.minutes) from hour_adjustments h where h.volunteer_id = ${volunteers.id}), 0)
    + coalesce((select sum(n.minutes) from volunteer_national_hours n where n.volunteer_id = ${volunteers.id}), 0))::int`,
};
export type VolunteerRow = typeof volunteers.$inferSelect & {
  teamName: string | null;
  regionName: string | null;
  totalMinutes: number;
};

function selectVolunteers(db: DbOrTx) {
  return db
    .select(volunteerColumns)
    .from(volunteers)
    .leftJoin(volunteerTeams, eq(volunteerTeams.id, volunteers.teamId))
    .leftJoin(regions, eq(regions.id, volunteers.regionId));
}

/**
 * The list's filters. `idHash`: the search text is an ID number, found by its keyed hash (the
 * service computes it; ID numbers are never searched as text).
 */
export function volunteerFilter(
  q: Omit<TListVolunteersQuery, 'limit' | 'cursor'> & { idHash?: string | undefined },
): SQL[] {
  const conds: SQL[] = [];
  if (q.idHash) conds.push(eq(volunteers.idNumberHash, q.idHash));
  else if (q.q) {
    const like = likePattern(q.q);
    conds.push(
      or(
        ilike(volunteers.name, like),
        ilike(volunteers.phone, like),
        ilike(volunteers.organisation, like),
      )!,
    );
  }
  if (q.realName === 'yes') conds.push(isNotNull(volunteers.idNumberHash));
  if (q.realName === 'no') conds.push(isNull(volunteers.idNumberHash));
  if (q.teamId) conds.push(eq(volunteers.teamId, q.teamId));
  if (q.regionId) conds.push(sql`${volunteers.regionId} in ${regionSubtree(q.regionId)}`);
  if (q.status) conds.push(eq(volunteers.status, q.status));
  return conds;
}

/** One page of the filtered registry within the scope (one row more than asked: "is there a next?"). */
export async function listVolunteers(
  db: DbOrTx,
  scope: TScope,
  q: TListVolunteersQuery & { idHash?: string | undefined },
): Promise<{ rows: VolunteerRow[]; total: number }> {
  const scopeCond = registryCondition(scope);
  const filter = [...volunteerFilter(q), ...(scopeCond ? [scopeCond] : [])];
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(volunteers)
    .where(filter.length ? and(...filter) : undefined);
  const conds = [...filter];
  if (q.cursor) conds.push(gt(volunteers.id, Number(q.cursor)));
  const rows = await selectVolunteers(db)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(volunteers.id))
    .limit(q.limit + 1);
  return { rows, total: count!.n };
}

/** One volunteer with team, region and hours; within the scope when one is given. */
export async function volunteerView(
  db: DbOrTx,
  id: number,
  scope?: TScope,
): Promise<VolunteerRow | undefined> {
  const scopeCond = scope && registryCondition(scope);
  const [v] = await selectVolunteers(db).where(
    and(eq(volunteers.id, id), ...(scopeCond ? [scopeCond] : [])),
  );
  return v;
}

export async function volunteerById(db: DbOrTx, id: number) {
  const [v] = await db.select().from(volunteers).where(eq(volunteers.id, id));
  return v;
}

/** The volunteer record linked to an account. */
export async function volunteerByUser(db: DbOrTx, userId: number) {
  const [v] = await db.select().from(volunteers).where(eq(volunteers.userId, userId));
  return v ?? null;
}

export async function volunteerIdByPhone(db: DbOrTx, phone: string): Promise<number | undefined> {
  const [dup] = await db
    .select({ id: volunteers.id })
    .from(volunteers)
    .where(eq(volunteers.phone, phone));
  return dup?.id;
}

/** The volunteer holding an ID number (by its keyed hash). */
export async function volunteerIdByIdHash(db: DbOrTx, hash: string): Promise<number | undefined> {
  const [dup] = await db
    .select({ id: volunteers.id })
    .from(volunteers)
    .where(eq(volunteers.idNumberHash, hash));
  return dup?.id;
}

/** The phones of the volunteers holding these ID numbers (by hash): an import's known IDs. */
export async function phonesByIdHash(db: DbOrTx, hashes: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < hashes.length; i += 5000) {
    const found = await db
      .select({ hash: volunteers.idNumberHash, phone: volunteers.phone })
      .from(volunteers)
      .where(inArray(volunteers.idNumberHash, hashes.slice(i, i + 5000)));
    for (const f of found) out.set(f.hash!, f.phone);
  }
  return out;
}

/** The sealed ID number of a volunteer (null: 未实名). */
export async function sealedIdNumber(db: DbOrTx, id: number): Promise<string | null | undefined> {
  const [v] = await db
    .select({ enc: volunteers.idNumberEnc })
    .from(volunteers)
    .where(eq(volunteers.id, id));
  return v?.enc;
}

/** The columns of an ID number: sealed, hashed and masked (all null: removed). */
export interface IdNumberColumns {
  idNumberEnc: string | null;
  idNumberHash: string | null;
  idNumberMasked: string | null;
}

export async function volunteerIdByUser(db: DbOrTx, userId: number): Promise<number | undefined> {
  const [linked] = await db
    .select({ id: volunteers.id })
    .from(volunteers)
    .where(eq(volunteers.userId, userId));
  return linked?.id;
}

export async function userExists(db: DbOrTx, userId: number): Promise<boolean> {
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  return !!u;
}

/** The columns an input sets (only the fields it names). */
export function volunteerValues(input: Partial<TVolunteerInput>) {
  const v: Partial<typeof volunteers.$inferInsert> = {};
  if (input.name !== undefined) v.name = input.name;
  if (input.phone !== undefined) v.phone = input.phone;
  if (input.organisation !== undefined) v.organisation = input.organisation || null;
  if (input.teamId !== undefined) v.teamId = input.teamId;
  if (input.skills !== undefined) v.skills = input.skills;
  if (input.regionId !== undefined) v.regionId = input.regionId;
  if (input.status !== undefined) v.status = input.status;
  if (input.userId !== undefined) v.userId = input.userId;
  return v;
}

export async function insertVolunteer(
  db: DbOrTx,
  input: TVolunteerInput,
  idColumns: Partial<IdNumberColumns> = {},
): Promise<number> {
  const [row] = await db
    .insert(volunteers)
    .values({ ...volunteerValues(input), ...idColumns, name: input.name, phone: input.phone })
    .returning({ id: volunteers.id });
  return row!.id;
}

/** Updates at the expected version; false when the row has moved on (or is gone). */
export async function updateVolunteer(
  db: DbOrTx,
  id: number,
  version: number,
  input: Partial<TVolunteerInput>,
  idColumns: Partial<IdNumberColumns> = {},
): Promise<boolean> {
  const rows = await db
    .update(volunteers)
    .set({
      ...volunteerValues(input),
      ...idColumns,
      version: sql`${volunteers.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(volunteers.id, id), eq(volunteers.version, version)))
    .returning({ id: volunteers.id });
  return rows.length > 0;
}

// ---------------------------------------------------------------- teams

export interface TeamRow {
  id: number;
  name: string;
  unit_id: number | null;
  unit_name: string | null;
  region_id: number | null;
  region_name: string | null;
  members: number;
  version: number;
}

/**
 * A team's place is its region, else its unit's region (a team with neither is city-wide): the
 * teams of a subtree are those placed in it.
 */
const teamInSubtree = (regionId: number) =>
  sql`coalesce(t.region_id, (select tu.region_id from units tu where tu.id = t.unit_id)) in ${regionSubtree(regionId)}`;

/** The teams (those placed in the subtree of `within` when given). */
export async function listTeams(db: DbOrTx, within: number | null = null): Promise<TeamRow[]> {
  return execRows<TeamRow>(
    db,
    sql`select t.id, t.name, t.unit_id, u.name as unit_name, t.region_id, r.name as region_name,
          t.version, (select count(*)::int from volunteers v where v.team_id = t.id) as members
        from volunteer_teams t
        left join units u on u.id = t.unit_id
        left join regions r on r.id = t.region_id
        ${within === null ? sql`` : sql`where ${teamInSubtree(within)}`}
        order by t.name`,
  );
}

/** True when the team is placed in the subtree of `regionId`. */
export async function teamWithin(db: DbOrTx, teamId: number, regionId: number): Promise<boolean> {
  const [row] = await execRows<{ ok: boolean }>(
    db,
    sql`select exists (select 1 from volunteer_teams t where t.id = ${teamId}
          and ${teamInSubtree(regionId)}) as ok`,
  );
  return row?.ok === true;
}

export async function teamIdByName(db: DbOrTx, name: string): Promise<number | undefined> {
  const [dup] = await db
    .select({ id: volunteerTeams.id })
    .from(volunteerTeams)
    .where(eq(volunteerTeams.name, name));
  return dup?.id;
}

export async function insertTeam(
  db: DbOrTx,
  values: { name: string; unitId: number | null; regionId: number | null },
) {
  const [r] = await db.insert(volunteerTeams).values(values).returning();
  return r!;
}

// ---------------------------------------------------------------- places

export type PlaceRow = typeof practicePlaces.$inferSelect & {
  regionName: string | null;
  activitiesThisMonth: number;
};

/** Places in the subtree of `regionId`. */
export const placeInSubtree = (regionId: number) =>
  sql`${practicePlaces.regionId} in ${regionSubtree(regionId)}`;

/**
 * Places (all, or the one with `id`; only those in the subtree of `within` when given), with the
 * published activities starting in [from, to).
 */
export async function listPlaces(
  db: DbOrTx,
  f: { id?: number; within?: number | null },
  from: Date,
  to: Date,
): Promise<PlaceRow[]> {
  return db
    .select({
      ...getTableColumns(practicePlaces),
      regionName: regions.name,
      activitiesThisMonth: sql<number>`(select count(*)::int from volunteer_activities a
        where a.place_id = ${practicePlaces.id} and a.status = 'published'
          and a.starts_at >= ${from} and a.starts_at < ${to})`,
    })
    .from(practicePlaces)
    .leftJoin(regions, eq(regions.id, practicePlaces.regionId))
    .where(
      and(
        f.id === undefined ? undefined : eq(practicePlaces.id, f.id),
        f.within == null ? undefined : placeInSubtree(f.within),
      ),
    )
    .orderBy(asc(practicePlaces.kind), asc(practicePlaces.name));
}

export async function placeById(db: DbOrTx, id: number) {
  const [p] = await db.select().from(practicePlaces).where(eq(practicePlaces.id, id));
  return p;
}

export async function placeIdByName(db: DbOrTx, name: string): Promise<number | undefined> {
  const [dup] = await db
    .select({ id: practicePlaces.id })
    .from(practicePlaces)
    .where(eq(practicePlaces.name, name));
  return dup?.id;
}

function placeValues(input: Partial<TPlaceInput>) {
  const v: Partial<typeof practicePlaces.$inferInsert> = {};
  if (input.kind !== undefined) v.kind = input.kind;
  if (input.name !== undefined) v.name = input.name;
  if (input.regionId !== undefined) v.regionId = input.regionId;
  if (input.unitId !== undefined) v.unitId = input.unitId;
  if (input.address !== undefined) v.address = input.address;
  if (input.lat !== undefined) v.lat = input.lat;
  if (input.lng !== undefined) v.lng = input.lng;
  if (input.openingHours !== undefined) v.openingHours = input.openingHours;
  if (input.staff !== undefined) v.staff = input.staff;
  return v;
}

export async function insertPlace(db: DbOrTx, input: TPlaceInput): Promise<number> {
  const [row] = await db
    .insert(practicePlaces)
    .values({ ...placeValues(input), kind: input.kind, name: input.name })
    .returning({ id: practicePlaces.id });
  return row!.id;
}

/** Updates at the expected version; false when the row has moved on (or is gone). */
export async function updatePlace(
  db: DbOrTx,
  id: number,
  version: number,
  input: Partial<TPlaceInput>,
): Promise<boolean> {
  const rows = await db
    .update(practicePlaces)
    .set({ ...placeValues(input), version: sql`${practicePlaces.version} + 1` })
    .where(and(eq(practicePlaces.id, id), eq(practicePlaces.version, version)))
    .returning({ id: practicePlaces.id });
  return rows.length > 0;
}

/** Team ids by name, and names by id (imports and exports name teams). */
export async function teamNames(db: DbOrTx): Promise<{ id: number; name: string }[]> {
  return db.select({ id: volunteerTeams.id, name: volunteerTeams.name }).from(volunteerTeams);
}

/** Volunteers' ids by their phones (an import's known phones), 5,000 phones a query. */
export async function volunteerIdsByPhone(
  db: DbOrTx,
  phones: string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < phones.length; i += 5000) {
    const found = await db
      .select({ id: volunteers.id, phone: volunteers.phone })
      .from(volunteers)
      .where(inArray(volunteers.phone, phones.slice(i, i + 5000)));
    for (const f of found) out.set(f.phone, f.id);
  }
  return out;
}

/** The regions of the volunteers known by these phones (an import's rows that would update them). */
export async function volunteerRegionsByPhone(
  db: DbOrTx,
  phones: string[],
): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>();
  for (let i = 0; i < phones.length; i += 5000) {
    const found = await db
      .select({ phone: volunteers.phone, regionId: volunteers.regionId })
      .from(volunteers)
      .where(inArray(volunteers.phone, phones.slice(i, i + 5000)));
    for (const f of found) out.set(f.phone, f.regionId);
  }
  return out;
}

export type VolunteerInsert = typeof volunteers.$inferInsert;

/** An import's overwrite of a known volunteer (imports replace, they do not check versions). */
export async function overwriteVolunteer(
  db: DbOrTx,
  id: number,
  set: Partial<VolunteerInsert>,
): Promise<void> {
  await db
    .update(volunteers)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(volunteers.id, id));
}

/** New volunteers, 1,000 rows a statement. */
export async function insertVolunteers(db: DbOrTx, rows: VolunteerInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insert(volunteers).values(rows.slice(i, i + 1000));
  }
}

/** Registered volunteers without an ID number (未实名), of a level's subtree when `within`. */
export async function notRealNameCount(db: DbOrTx, within: number | null): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(volunteers)
    .where(
      and(
        isNull(volunteers.idNumberHash),
        eq(volunteers.status, 'active'),
        within === null ? undefined : sql`${volunteers.regionId} in ${regionSubtree(within)}`,
      ),
    );
  return Number(row!.n);
}

/** The next page of the filtered registry within the scope after id `after` (streamed export). */
export function volunteersAfter(
  db: DbOrTx,
  scope: TScope,
  q: Omit<TListVolunteersQuery, 'limit' | 'cursor'> & { idHash?: string | undefined },
  after: number,
  limit: number,
) {
  const inScope = registryCondition(scope);
  return db
    .select()
    .from(volunteers)
    .where(and(gt(volunteers.id, after), ...volunteerFilter(q), ...(inScope ? [inScope] : [])))
    .orderBy(asc(volunteers.id))
    .limit(limit);
}
