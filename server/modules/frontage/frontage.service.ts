import {
  and,
  asc,
  eq,
  getTableColumns,
  gt,
  ilike,
  isNotNull,
  isNull,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type {
  TFrontageDuty,
  TFrontageDutyInput,
  TListFrontageQuery,
} from '../../../core/contracts/frontage.js';
import { distanceToLineM, inZone, zoneBox, type TZoneGeometry } from '../../../core/geo/zones.js';
import { Permission } from '../../../core/permissions.js';
import { execRows, type Database, type DbOrTx } from '../../db/client.js';
import { frontageDuties, problems, regions } from '../../db/schema/index.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { errors } from '../../platform/errors.js';
import { likePattern } from '../../platform/pagination.js';
import { withTx } from '../../platform/tx.js';
import { problemScope } from '../problems/problems.repo.js';
import { getProblem, phoneFor } from '../problems/problems.service.js';

export type DutyRow = typeof frontageDuties.$inferSelect & { regionName: string | null };
const RECENT_DAYS = 90;
const withRegion = { ...getTableColumns(frontageDuties), regionName: regions.name };

/** Metres from a point to a zone's line or outline (0 inside an area). */
function zoneDistance(lat: number, lng: number, zone: TZoneGeometry): number {
  if (zone.type === 'LineString') return distanceToLineM(lat, lng, zone.coordinates);
  if (inZone(lat, lng, zone, 0)) return 0;
  return distanceToLineM(lat, lng, zone.coordinates[0]!);
}

/** The columns a zone decides: the zone itself and its index box. */
export function zoneColumns(zone: TZoneGeometry, bufferM: number) {
  return { zone, bufferM, ...zoneBox(zone, bufferM) };
}

/** How many problems lie in each holder's zone (last 90 days): index box in SQL, exact test here. */
async function recentCounts(
  db: DbOrTx,
  duties: (typeof frontageDuties.$inferSelect)[],
): Promise<Map<number, number>> {
  const counts = new Map(duties.map((d) => [d.id, 0]));
  if (!duties.length) return counts;
  const since = new Date(Date.now() - RECENT_DAYS * 86_400_000);
  const rows = await execRows<{ duty_id: number; lat: number; lng: number }>(
    db,
    sql`select d.id as duty_id, p.lat, p.lng
        from frontage_duties d
        join problems p on p.lat between d.min_lat and d.max_lat
          and p.lng between d.min_lng and d.max_lng
        where d.id in ${duties.map((d) => d.id)} and p.created_at >= ${since}`,
  );
  const byId = new Map(duties.map((d) => [d.id, d]));
  for (const r of rows) {
    const d = byId.get(Number(r.duty_id))!;
    if (inZone(r.lat, r.lng, d.zone as TZoneGeometry, d.bufferM)) {
      counts.set(d.id, (counts.get(d.id) ?? 0) + 1);
    }
  }
  return counts;
}

function present(actor: Actor, d: DutyRow, recent: number): TFrontageDuty {
  return {
    id: d.id,
    code: d.code,
    holderName: d.holderName,
    holderType: d.holderType,
    unitId: d.unitId,
    regionId: d.regionId,
    regionName: d.regionName,
    address: d.address,
    contactName: d.contactName,
    contactPhone: phoneFor(actor, d.contactPhone),
    duties: d.duties,
    zone: d.zone as TZoneGeometry,
    bufferM: d.bufferM,
    agreementFileId: d.agreementFileId,
    agreementSignedOn: d.agreementSignedOn,
    plaqueStatus: d.plaqueStatus,
    active: d.active,
    version: d.version,
    recentProblems: recent,
  };
}

async function findDuty(db: DbOrTx, id: number): Promise<DutyRow | undefined> {
  const [d] = await db
    .select(withRegion)
    .from(frontageDuties)
    .leftJoin(regions, eq(regions.id, frontageDuties.regionId))
    .where(eq(frontageDuties.id, id));
  return d;
}

export function listConditions(q: Omit<TListFrontageQuery, 'limit' | 'cursor'>): SQL[] {
  const conds: SQL[] = [];
  if (q.q) {
    const like = likePattern(q.q);
    conds.push(
      or(
        ilike(frontageDuties.holderName, like),
        ilike(frontageDuties.code, like),
        ilike(frontageDuties.address, like),
      )!,
    );
  }
  if (q.regionId) conds.push(eq(frontageDuties.regionId, q.regionId));
  if (q.plaqueStatus) conds.push(eq(frontageDuties.plaqueStatus, q.plaqueStatus));
  if (q.signed === 'yes') conds.push(isNotNull(frontageDuties.agreementSignedOn));
  if (q.signed === 'no') conds.push(isNull(frontageDuties.agreementSignedOn));
  return conds;
}

export async function listDuties(database: Database, actor: Actor, q: TListFrontageQuery) {
  requirePermission(actor, Permission.UnitRead);
  const filter = listConditions(q);
  const [count] = await database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(frontageDuties)
    .where(filter.length ? and(...filter) : undefined);
  const conds = [...filter];
  if (q.cursor) conds.push(gt(frontageDuties.id, Number(q.cursor)));
  const rows = await database.db
    .select(withRegion)
    .from(frontageDuties)
    .leftJoin(regions, eq(regions.id, frontageDuties.regionId))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(frontageDuties.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const counts = await recentCounts(database.db, page);
  return {
    items: page.map((d) => present(actor, d, counts.get(d.id) ?? 0)),
    nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null,
    total: count!.n,
  };
}

export async function getDuty(database: Database, actor: Actor, id: number) {
  requirePermission(actor, Permission.UnitRead);
  const d = await findDuty(database.db, id);
  if (!d) throw errors.notFound('frontageDuty', id);
  const counts = await recentCounts(database.db, [d]);
  return present(actor, d, counts.get(d.id) ?? 0);
}

/** The stored columns of an input (fields left out stay as they are on update). */
export function dutyValues(input: Partial<TFrontageDutyInput>) {
  const v: Partial<typeof frontageDuties.$inferInsert> = {};
  if (input.code !== undefined) v.code = input.code;
  if (input.holderName !== undefined) v.holderName = input.holderName;
  if (input.holderType !== undefined) v.holderType = input.holderType;
  if (input.unitId !== undefined) v.unitId = input.unitId;
  if (input.regionId !== undefined) v.regionId = input.regionId;
  if (input.address !== undefined) v.address = input.address;
  if (input.contactName !== undefined) v.contactName = input.contactName;
  if (input.contactPhone !== undefined) v.contactPhone = input.contactPhone || null;
  if (input.duties !== undefined) v.duties = input.duties;
  if (input.agreementFileId !== undefined) v.agreementFileId = input.agreementFileId;
  if (input.agreementSignedOn !== undefined) v.agreementSignedOn = input.agreementSignedOn;
  if (input.plaqueStatus !== undefined) v.plaqueStatus = input.plaqueStatus;
  if (input.active !== undefined) v.active = input.active;
  return v;
}

export async function createDuty(database: Database, actor: Actor, input: TFrontageDutyInput) {
  requirePermission(actor, Permission.UnitWrite);
  const id = await withTx(database, async (tx) => {
    const [row] = await tx
      .insert(frontageDuties)
      .values({
        ...dutyValues(input),
        code: input.code,
        holderName: input.holderName,
        holderType: input.holderType,
        ...zoneColumns(input.zone, input.bufferM),
      })
      .returning({ id: frontageDuties.id });
    await writeAudit(tx, actor, {
      action: 'frontage.create',
      entityType: 'frontage_duty',
      entityId: row!.id,
      after: input,
    });
    return row!.id;
  });
  return getDuty(database, actor, id);
}

export async function updateDuty(
  database: Database,
  actor: Actor,
  id: number,
  input: Partial<TFrontageDutyInput> & { version: number },
) {
  requirePermission(actor, Permission.UnitWrite);
  await withTx(database, async (tx) => {
    const before = await findDuty(tx, id);
    if (!before) throw errors.notFound('frontageDuty', id);
    const zone = input.zone ?? (before.zone as TZoneGeometry);
    const bufferM = input.bufferM ?? before.bufferM;
    const rows = await tx
      .update(frontageDuties)
      .set({
        ...dutyValues(input),
        ...zoneColumns(zone, bufferM),
        version: sql`${frontageDuties.version} + 1`,
        updatedAt: new Date(),
      })
      .where(and(eq(frontageDuties.id, id), eq(frontageDuties.version, input.version)))
      .returning({ id: frontageDuties.id });
    if (!rows.length) throw errors.staleVersion('frontageDuty');
    await writeAudit(tx, actor, {
      action: 'frontage.update',
      entityType: 'frontage_duty',
      entityId: id,
      before,
      after: input,
    });
  });
  return getDuty(database, actor, id);
}

/** The holders whose zone contains a point, nearest first (the problem page names them). */
export async function holdersAt(database: Database, actor: Actor, lat: number, lng: number) {
  const rows = await database.db
    .select(withRegion)
    .from(frontageDuties)
    .leftJoin(regions, eq(regions.id, frontageDuties.regionId))
    .where(
      and(
        eq(frontageDuties.active, true),
        sql`${lat} between ${frontageDuties.minLat} and ${frontageDuties.maxLat}`,
        sql`${lng} between ${frontageDuties.minLng} and ${frontageDuties.maxLng}`,
      ),
    );
  const hits = rows
    .filter((d) => inZone(lat, lng, d.zone as TZoneGeometry, d.bufferM))
    .map((d) => ({ d, distanceM: zoneDistance(lat, lng, d.zone as TZoneGeometry) }))
    .sort((a, b) => a.distanceM - b.distanceM);
  const counts = await recentCounts(
    database.db,
    hits.map((h) => h.d),
  );
  return hits.map((h) => ({
    id: h.d.id,
    code: h.d.code,
    holderName: h.d.holderName,
    contactPhone: phoneFor(actor, h.d.contactPhone),
    distanceM: Math.round(h.distanceM * 10) / 10,
    recentProblems: counts.get(h.d.id) ?? 0,
  }));
}

/** The duty holders named for a problem by where it is; 404 outside the actor's problem scope. */
export async function holdersForProblem(database: Database, actor: Actor, problemId: number) {
  const d = await getProblem(database, actor, problemId);
  const { lat, lng } = d.problem;
  if (lat === null || lng === null) return [];
  return holdersAt(database, actor, lat, lng);
}

/**
 * The holder's record: problems in its zone in the last 90 days, newest first — those the reader
 * may see (ProblemRead and its scope: leaders and the office all, a unit its own, field staff
 * their region's).
 */
export async function zoneProblems(database: Database, actor: Actor, id: number) {
  const scope = requirePermission(actor, Permission.ProblemRead);
  const d = await findDuty(database.db, id);
  if (!d) throw errors.notFound('frontageDuty', id);
  const since = new Date(Date.now() - RECENT_DAYS * 86_400_000);
  const rows = await database.db
    .select({
      id: problems.id,
      code: problems.code,
      title: problems.title,
      state: problems.state,
      createdAt: problems.createdAt,
      lat: problems.lat,
      lng: problems.lng,
    })
    .from(problems)
    .where(
      and(
        sql`${problems.lat} between ${d.minLat} and ${d.maxLat}`,
        sql`${problems.lng} between ${d.minLng} and ${d.maxLng}`,
        sql`${problems.createdAt} >= ${since}`,
        problemScope(scope),
      ),
    )
    .orderBy(sql`${problems.createdAt} desc`)
    .limit(500);
  const zone = d.zone as TZoneGeometry;
  return rows
    .filter((p) => inZone(p.lat!, p.lng!, zone, d.bufferM))
    .map((p) => ({
      id: p.id,
      code: p.code,
      title: p.title,
      state: p.state,
      createdAt: p.createdAt.toISOString(),
      distanceM: Math.round(zoneDistance(p.lat!, p.lng!, zone) * 10) / 10,
    }));
}
