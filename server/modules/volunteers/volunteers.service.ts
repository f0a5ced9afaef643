import { and, asc, eq, getTableColumns, gt, ilike, or, sql, type SQL } from 'drizzle-orm';
import type {
  TListVolunteersQuery,
  TPlace,
  TPlaceInput,
  TTeam,
  TVolunteer,
  TVolunteerInput,
  TVolunteerSettings,
} from '../../../core/contracts/volunteers.js';
import { Permission, permissionsOf } from '../../../core/permissions.js';
import { DEFAULT_HOUR_RULES } from '../../../core/volunteers/hours.js';
import { execRows, type Database, type DbOrTx } from '../../db/client.js';
import {
  practicePlaces,
  regions,
  settings,
  units,
  users,
  volunteers,
  volunteerTeams,
} from '../../db/schema/index.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { likePattern } from '../../platform/pagination.js';
import { withTx } from '../../platform/tx.js';
import { regionSubtree } from '../org/regions.repo.js';

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

export async function loadSettings(db: DbOrTx): Promise<TVolunteerSettings> {
  const [row] = await db.select().from(settings).where(eq(settings.key, SETTINGS_KEY));
  return { ...DEFAULT_VOLUNTEER_SETTINGS, ...((row?.value as Partial<TVolunteerSettings>) ?? {}) };
}

export async function getSettings(database: Database, actor: Actor) {
  requirePermission(actor, Permission.VolunteerRead);
  return loadSettings(database.db);
}

export async function saveSettings(database: Database, actor: Actor, input: TVolunteerSettings) {
  requirePermission(actor, Permission.VolunteerWrite);
  await withTx(database, async (tx) => {
    const before = await loadSettings(tx);
    await tx
      .insert(settings)
      .values({ key: SETTINGS_KEY, value: input, updatedBy: actor.id })
      .onConflictDoUpdate({
        target: settings.key,
        set: { value: input, updatedBy: actor.id, updatedAt: new Date() },
      });
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

// ---------------------------------------------------------------- registry

/** Phones in full for the office only (those who manage the registry), masked for all others. */
export function volunteerPhone(actor: Actor, phone: string): string {
  if (permissionsOf(actor.roles).has(Permission.VolunteerWrite)) return phone;
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/**
 * The part of the registry an actor sees: the office and leaders all of it, a unit its own teams'
 * volunteers, field staff their region's subtree, anyone else only their own record.
 */
export function registryScope(actor: Actor): SQL | undefined {
  const scope = requirePermission(actor, Permission.VolunteerRead);
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
    + coalesce((select sum(h.minutes) from hour_adjustments h where h.volunteer_id = ${volunteers.id}), 0))::int`,
};
type VolunteerRow = typeof volunteers.$inferSelect & {
  teamName: string | null;
  regionName: string | null;
  totalMinutes: number;
};

function presentVolunteer(actor: Actor, v: VolunteerRow): TVolunteer {
  return {
    id: v.id,
    name: v.name,
    phone: volunteerPhone(actor, v.phone),
    organisation: v.organisation,
    teamId: v.teamId,
    teamName: v.teamName,
    skills: v.skills,
    regionId: v.regionId,
    regionName: v.regionName,
    status: v.status,
    userId: v.userId,
    version: v.version,
    totalMinutes: Number(v.totalMinutes),
  };
}

function selectVolunteers(db: DbOrTx) {
  return db
    .select(volunteerColumns)
    .from(volunteers)
    .leftJoin(volunteerTeams, eq(volunteerTeams.id, volunteers.teamId))
    .leftJoin(regions, eq(regions.id, volunteers.regionId));
}

export function volunteerFilter(q: Omit<TListVolunteersQuery, 'limit' | 'cursor'>): SQL[] {
  const conds: SQL[] = [];
  if (q.q) {
    const like = likePattern(q.q);
    conds.push(
      or(
        ilike(volunteers.name, like),
        ilike(volunteers.phone, like),
        ilike(volunteers.organisation, like),
      )!,
    );
  }
  if (q.teamId) conds.push(eq(volunteers.teamId, q.teamId));
  if (q.regionId) conds.push(sql`${volunteers.regionId} in ${regionSubtree(q.regionId)}`);
  if (q.status) conds.push(eq(volunteers.status, q.status));
  return conds;
}

export async function listVolunteers(database: Database, actor: Actor, q: TListVolunteersQuery) {
  const scope = registryScope(actor);
  const filter = [...volunteerFilter(q), ...(scope ? [scope] : [])];
  const [count] = await database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(volunteers)
    .where(filter.length ? and(...filter) : undefined);
  const conds = [...filter];
  if (q.cursor) conds.push(gt(volunteers.id, Number(q.cursor)));
  const rows = await selectVolunteers(database.db)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(volunteers.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((v) => presentVolunteer(actor, v)),
    nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null,
    total: count!.n,
  };
}

/** One volunteer within the actor's scope (404 outside it, so ids do not leak). */
export async function getVolunteer(database: Database, actor: Actor, id: number) {
  const scope = registryScope(actor);
  const [v] = await selectVolunteers(database.db).where(
    and(eq(volunteers.id, id), ...(scope ? [scope] : [])),
  );
  if (!v) throw errors.notFound('volunteer', id);
  return presentVolunteer(actor, v);
}

/** The volunteer record linked to the signed-in account, or null. */
export async function findOwnVolunteer(db: DbOrTx, actor: Actor) {
  if (actor.id === null) return null;
  const [v] = await db.select().from(volunteers).where(eq(volunteers.userId, actor.id));
  return v ?? null;
}

export async function myVolunteer(database: Database, actor: Actor) {
  requirePermission(actor, Permission.VolunteerServe);
  const own = await findOwnVolunteer(database.db, actor);
  if (!own) throw notAVolunteer();
  const [v] = await selectVolunteers(database.db).where(eq(volunteers.id, own.id));
  // Volunteers see their own phone in full.
  return { ...presentVolunteer(actor, v!), phone: v!.phone };
}

export const notAVolunteer = () =>
  new AppError('not_a_volunteer', 403, {
    zh: '您的账号未关联志愿者登记信息，请联系创建办',
    en: 'your account is not linked to a volunteer record; ask the campaign office',
  });

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

async function checkPhoneFree(db: DbOrTx, phone: string, exceptId?: number) {
  const [dup] = await db
    .select({ id: volunteers.id })
    .from(volunteers)
    .where(eq(volunteers.phone, phone));
  if (dup && dup.id !== exceptId) throw errors.duplicate('volunteer', '手机号 / phone', phone);
}

async function checkUserLink(db: DbOrTx, userId: number | null | undefined, exceptId?: number) {
  if (userId === undefined || userId === null) return;
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!u) throw errors.notFound('user', userId);
  const [linked] = await db
    .select({ id: volunteers.id })
    .from(volunteers)
    .where(eq(volunteers.userId, userId));
  if (linked && linked.id !== exceptId) {
    throw errors.duplicate('volunteer', '关联账号 / account', String(userId));
  }
}

export async function createVolunteer(database: Database, actor: Actor, input: TVolunteerInput) {
  requirePermission(actor, Permission.VolunteerWrite);
  const id = await withTx(database, async (tx) => {
    await checkPhoneFree(tx, input.phone);
    await checkUserLink(tx, input.userId);
    const [row] = await tx
      .insert(volunteers)
      .values({ ...volunteerValues(input), name: input.name, phone: input.phone })
      .returning({ id: volunteers.id });
    await writeAudit(tx, actor, {
      action: 'volunteer.create',
      entityType: 'volunteer',
      entityId: row!.id,
      after: input,
    });
    return row!.id;
  });
  return getVolunteer(database, actor, id);
}

export async function updateVolunteer(
  database: Database,
  actor: Actor,
  id: number,
  input: Partial<TVolunteerInput> & { version: number },
) {
  requirePermission(actor, Permission.VolunteerWrite);
  await withTx(database, async (tx) => {
    const [before] = await tx.select().from(volunteers).where(eq(volunteers.id, id));
    if (!before) throw errors.notFound('volunteer', id);
    if (input.phone !== undefined) await checkPhoneFree(tx, input.phone, id);
    await checkUserLink(tx, input.userId, id);
    const rows = await tx
      .update(volunteers)
      .set({
        ...volunteerValues(input),
        version: sql`${volunteers.version} + 1`,
        updatedAt: new Date(),
      })
      .where(and(eq(volunteers.id, id), eq(volunteers.version, input.version)))
      .returning({ id: volunteers.id });
    if (!rows.length) throw errors.staleVersion('volunteer');
    await writeAudit(tx, actor, {
      action: 'volunteer.update',
      entityType: 'volunteer',
      entityId: id,
      before,
      after: input,
    });
  });
  return getVolunteer(database, actor, id);
}

// ---------------------------------------------------------------- teams

export async function listTeams(database: Database, actor: Actor): Promise<TTeam[]> {
  requirePermission(actor, Permission.VolunteerRead);
  const rows = await execRows<{
    id: number;
    name: string;
    unit_id: number | null;
    unit_name: string | null;
    region_id: number | null;
    region_name: string | null;
    members: number;
    version: number;
  }>(
    database.db,
    sql`select t.id, t.name, t.unit_id, u.name as unit_name, t.region_id, r.name as region_name,
          t.version, (select count(*)::int from volunteers v where v.team_id = t.id) as members
        from volunteer_teams t
        left join units u on u.id = t.unit_id
        left join regions r on r.id = t.region_id
        order by t.name`,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    regionId: r.region_id,
    regionName: r.region_name,
    members: Number(r.members),
    version: r.version,
  }));
}

export async function createTeam(
  database: Database,
  actor: Actor,
  input: { name: string; unitId?: number | null | undefined; regionId?: number | null | undefined },
) {
  requirePermission(actor, Permission.VolunteerWrite);
  const row = await withTx(database, async (tx) => {
    const [dup] = await tx
      .select({ id: volunteerTeams.id })
      .from(volunteerTeams)
      .where(eq(volunteerTeams.name, input.name));
    if (dup) throw errors.duplicate('volunteerTeam', '名称 / name', input.name);
    const [r] = await tx
      .insert(volunteerTeams)
      .values({ name: input.name, unitId: input.unitId ?? null, regionId: input.regionId ?? null })
      .returning();
    await writeAudit(tx, actor, {
      action: 'volunteer.team_create',
      entityType: 'volunteer_team',
      entityId: r!.id,
      after: r,
    });
    return r!;
  });
  return (await listTeams(database, actor)).find((t) => t.id === row.id)!;
}

// ---------------------------------------------------------------- places

/** The first instant of a month in Asia/Shanghai, e.g. "2026-12" → 2026-11-30T16:00Z. */
export function monthStart(month: string): Date {
  return new Date(`${month}-01T00:00:00+08:00`);
}
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
export function currentMonth(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
}

const placeColumns = {
  ...getTableColumns(practicePlaces),
  regionName: regions.name,
};

export async function listPlaces(database: Database, actor: Actor): Promise<TPlace[]> {
  requirePermission(actor, Permission.VolunteerRead);
  return placesWhere(database.db, undefined);
}

async function placesWhere(db: DbOrTx, where: SQL | undefined): Promise<TPlace[]> {
  const month = currentMonth();
  const from = monthStart(month);
  const to = monthStart(nextMonth(month));
  const rows = await db
    .select({
      ...placeColumns,
      activitiesThisMonth: sql<number>`(select count(*)::int from volunteer_activities a
        where a.place_id = ${practicePlaces.id} and a.status = 'published'
          and a.starts_at >= ${from} and a.starts_at < ${to})`,
    })
    .from(practicePlaces)
    .leftJoin(regions, eq(regions.id, practicePlaces.regionId))
    .where(where)
    .orderBy(asc(practicePlaces.kind), asc(practicePlaces.name));
  return rows.map((p) => ({
    id: p.id,
    kind: p.kind,
    name: p.name,
    regionId: p.regionId,
    regionName: p.regionName,
    unitId: p.unitId,
    address: p.address,
    lat: p.lat,
    lng: p.lng,
    openingHours: p.openingHours,
    staff: p.staff,
    version: p.version,
    activitiesThisMonth: Number(p.activitiesThisMonth),
  }));
}

export async function getPlace(database: Database, actor: Actor, id: number): Promise<TPlace> {
  requirePermission(actor, Permission.VolunteerRead);
  const [p] = await placesWhere(database.db, eq(practicePlaces.id, id));
  if (!p) throw errors.notFound('practicePlace', id);
  return p;
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

export async function createPlace(database: Database, actor: Actor, input: TPlaceInput) {
  requirePermission(actor, Permission.VolunteerWrite);
  const id = await withTx(database, async (tx) => {
    const [dup] = await tx
      .select({ id: practicePlaces.id })
      .from(practicePlaces)
      .where(eq(practicePlaces.name, input.name));
    if (dup) throw errors.duplicate('practicePlace', '名称 / name', input.name);
    const [row] = await tx
      .insert(practicePlaces)
      .values({ ...placeValues(input), kind: input.kind, name: input.name })
      .returning({ id: practicePlaces.id });
    await writeAudit(tx, actor, {
      action: 'volunteer.place_create',
      entityType: 'practice_place',
      entityId: row!.id,
      after: input,
    });
    return row!.id;
  });
  return getPlace(database, actor, id);
}

export async function updatePlace(
  database: Database,
  actor: Actor,
  id: number,
  input: Partial<TPlaceInput> & { version: number },
) {
  requirePermission(actor, Permission.VolunteerWrite);
  await withTx(database, async (tx) => {
    const [before] = await tx.select().from(practicePlaces).where(eq(practicePlaces.id, id));
    if (!before) throw errors.notFound('practicePlace', id);
    const rows = await tx
      .update(practicePlaces)
      .set({ ...placeValues(input), version: sql`${practicePlaces.version} + 1` })
      .where(and(eq(practicePlaces.id, id), eq(practicePlaces.version, input.version)))
      .returning({ id: practicePlaces.id });
    if (!rows.length) throw errors.staleVersion('practicePlace');
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

/** Unit names by id, for the organiser column. */
export async function unitName(db: DbOrTx, id: number | null): Promise<string | null> {
  if (id === null) return null;
  const [u] = await db.select({ name: units.name }).from(units).where(eq(units.id, id));
  return u?.name ?? null;
}
