import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  gt,
  ilike,
  inArray,
  isNotNull,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { TCarriersFilters, TThemeMin } from '../../../core/contracts/ad-carriers.js';
import type { DbOrTx } from '../../db/client.js';
import { execRows } from '../../db/client.js';
import {
  adCampaignItems,
  adCampaigns,
  adCarrierRules,
  adCarriers,
  adPointMeasures,
  files,
  grids,
  points,
  pointTypes,
  problemCategories,
  problems,
  regions,
  units,
  users,
} from '../../db/schema/index.js';
import { afterCursor, likePattern } from '../../platform/pagination.js';
import { regionSubtree } from '../org/regions.repo.js';

export type CarrierTableRow = typeof adCarriers.$inferSelect;
export type CarrierInsert = typeof adCarriers.$inferInsert;
export type CarrierRow = CarrierTableRow & {
  pointName: string | null;
  gridName: string | null;
  regionName: string | null;
  unitName: string | null;
  problemCode: string | null;
  problemState: string | null;
};

function named(db: DbOrTx) {
  return db
    .select({
      ...getTableColumns(adCarriers),
      pointName: points.name,
      gridName: grids.name,
      regionName: regions.name,
      unitName: units.name,
      problemCode: problems.code,
      problemState: problems.state,
    })
    .from(adCarriers)
    .leftJoin(points, eq(points.id, adCarriers.pointId))
    .leftJoin(grids, eq(grids.id, adCarriers.gridId))
    .leftJoin(regions, eq(regions.id, adCarriers.regionId))
    .leftJoin(units, eq(units.id, adCarriers.unitId))
    .leftJoin(problems, eq(problems.id, adCarriers.problemId));
}

export async function findCarrier(db: DbOrTx, id: number): Promise<CarrierRow | undefined> {
  const [c] = await named(db).where(eq(adCarriers.id, id));
  return c;
}

/** Locks a carrier's row for the rest of the transaction (one 转为问题 at a time). */
export async function lockCarrier(db: DbOrTx, id: number): Promise<void> {
  await execRows(db, sql`select id from ad_carriers where id = ${id} for update`);
}

/** The list's filters; `within`: a district or street office reads its subtree's carriers only. */
export type CarrierFilters = Partial<TCarriersFilters> & { within?: number | null };

function conditions(q: CarrierFilters): SQL[] {
  const conds: SQL[] = [];
  if (q.within) conds.push(sql`${adCarriers.regionId} in ${regionSubtree(q.within)}`);
  if (q.regionId) conds.push(sql`${adCarriers.regionId} in ${regionSubtree(q.regionId)}`);
  if (q.kind) conds.push(eq(adCarriers.kind, q.kind));
  if (q.theme) conds.push(eq(adCarriers.theme, q.theme));
  if (q.state) conds.push(eq(adCarriers.state, q.state));
  if (q.pointId) conds.push(eq(adCarriers.pointId, q.pointId));
  if (q.unitId) conds.push(eq(adCarriers.unitId, q.unitId));
  if (q.q) {
    const like = likePattern(q.q);
    conds.push(
      or(
        ilike(adCarriers.code, like),
        ilike(adCarriers.designTitle, like),
        ilike(adCarriers.address, like),
      )!,
    );
  }
  return conds;
}

/** One page, newest first (limit + 1 rows), and the total. */
export async function carrierPage(
  db: DbOrTx,
  q: CarrierFilters & { limit: number; cursor?: string | undefined },
): Promise<{ total: number; rows: CarrierRow[] }> {
  const filter = conditions(q);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(adCarriers)
    .where(and(...filter));
  const after = afterCursor(adCarriers.id, adCarriers.id, 'desc', q.cursor);
  const rows = await named(db)
    .where(and(...filter, ...(after ? [after] : [])))
    .orderBy(desc(adCarriers.id))
    .limit(q.limit + 1);
  return { total: count!.n, rows };
}

/** The next batch after id `after`, by id (the streamed export). */
export function carriersAfter(db: DbOrTx, q: CarrierFilters, after: number, limit: number) {
  return named(db)
    .where(and(gt(adCarriers.id, after), ...conditions(q)))
    .orderBy(asc(adCarriers.id))
    .limit(limit);
}

export async function insertCarrier(db: DbOrTx, values: CarrierInsert): Promise<number> {
  const [row] = await db.insert(adCarriers).values(values).returning({ id: adCarriers.id });
  return row!.id;
}

/** Updates a carrier at `version` (to version + 1); false when stale or gone. */
export async function updateCarrier(
  db: DbOrTx,
  id: number,
  version: number | null,
  set: Partial<CarrierInsert>,
): Promise<boolean> {
  const rows = await db
    .update(adCarriers)
    .set({ ...set, version: sql`${adCarriers.version} + 1`, updatedAt: new Date() })
    .where(
      and(eq(adCarriers.id, id), ...(version === null ? [] : [eq(adCarriers.version, version)])),
    )
    .returning({ id: adCarriers.id });
  return rows.length > 0;
}

/** The carrier registered with this client id (an offline retry), if any. */
export async function carrierIdByClientId(
  db: DbOrTx,
  clientId: string,
): Promise<number | undefined> {
  const [row] = await db
    .select({ id: adCarriers.id })
    .from(adCarriers)
    .where(eq(adCarriers.clientId, clientId));
  return row?.id;
}

/** Gives a new carrier its code (no new version: it is part of the registration). */
export async function setCarrierCode(db: DbOrTx, id: number, code: string): Promise<void> {
  await db.update(adCarriers).set({ code }).where(eq(adCarriers.id, id));
}

/** The stored carriers with these codes (id, region, state), for an import. */
export async function carriersByCode(
  db: DbOrTx,
  codes: string[],
): Promise<Map<string, { id: number; regionId: number | null; state: CarrierTableRow['state'] }>> {
  const unique = [...new Set(codes)];
  const out = new Map<
    string,
    { id: number; regionId: number | null; state: CarrierTableRow['state'] }
  >();
  for (let i = 0; i < unique.length; i += 5000) {
    const rows = await db
      .select({
        id: adCarriers.id,
        code: adCarriers.code,
        regionId: adCarriers.regionId,
        state: adCarriers.state,
      })
      .from(adCarriers)
      .where(inArray(adCarriers.code, unique.slice(i, i + 5000)));
    for (const r of rows) out.set(r.code, { id: r.id, regionId: r.regionId, state: r.state });
  }
  return out;
}

/** The carriers with a position for a map (id order), at most `limit` + 1. */
export function carrierMarkers(db: DbOrTx, q: CarrierFilters, limit: number) {
  return db
    .select({
      id: adCarriers.id,
      code: adCarriers.code,
      kind: adCarriers.kind,
      theme: adCarriers.theme,
      state: adCarriers.state,
      lat: adCarriers.lat,
      lng: adCarriers.lng,
    })
    .from(adCarriers)
    .where(and(...conditions(q)))
    .orderBy(asc(adCarriers.id))
    .limit(limit + 1);
}

/** A point as a carrier sees it: its region and name. */
export async function findPoint(db: DbOrTx, id: number) {
  const [p] = await db
    .select({
      id: points.id,
      name: points.name,
      regionId: points.regionId,
      typeId: points.typeId,
    })
    .from(points)
    .where(eq(points.id, id));
  return p;
}

export async function findUnit(db: DbOrTx, id: number) {
  const [u] = await db
    .select({ id: units.id, name: units.name, active: units.active, regionId: units.regionId })
    .from(units)
    .where(eq(units.id, id));
  return u;
}

/** An uploaded file: who uploaded it and when it was taken (EXIF) or uploaded. */
export async function findFile(db: DbOrTx, id: string) {
  const [f] = await db
    .select({
      id: files.id,
      uploadedBy: files.uploadedBy,
      exifTakenAt: files.exifTakenAt,
      createdAt: files.createdAt,
    })
    .from(files)
    .where(eq(files.id, id));
  return f;
}

// ---- rules and measures ---------------------------------------------------------------------

export type RuleRow = typeof adCarrierRules.$inferSelect & { pointTypeName: string };

export async function listRules(db: DbOrTx): Promise<RuleRow[]> {
  const rows = await db
    .select({ ...getTableColumns(adCarrierRules), pointTypeName: pointTypes.name })
    .from(adCarrierRules)
    .innerJoin(pointTypes, eq(pointTypes.id, adCarrierRules.pointTypeId))
    .orderBy(asc(pointTypes.code));
  return rows;
}

export async function findPointType(db: DbOrTx, id: number) {
  const [t] = await db
    .select({ id: pointTypes.id, name: pointTypes.name })
    .from(pointTypes)
    .where(eq(pointTypes.id, id));
  return t;
}

/** Sets a point type's rule (insert or replace), version one up. */
export async function upsertRule(
  db: DbOrTx,
  v: Omit<typeof adCarrierRules.$inferInsert, 'id' | 'version' | 'updatedAt'>,
): Promise<void> {
  await db
    .insert(adCarrierRules)
    .values(v)
    .onConflictDoUpdate({
      target: adCarrierRules.pointTypeId,
      set: { ...v, version: sql`${adCarrierRules.version} + 1`, updatedAt: new Date() },
    });
}

export async function deleteRule(db: DbOrTx, pointTypeId: number): Promise<number> {
  const rows = await db
    .delete(adCarrierRules)
    .where(eq(adCarrierRules.pointTypeId, pointTypeId))
    .returning({ id: adCarrierRules.id });
  return rows.length;
}

export async function upsertMeasure(
  db: DbOrTx,
  pointId: number,
  v: { lengthM: number | null; hoardingPct: number | null },
): Promise<void> {
  await db
    .insert(adPointMeasures)
    .values({ pointId, ...v })
    .onConflictDoUpdate({
      target: adPointMeasures.pointId,
      set: { ...v, version: sql`${adPointMeasures.version} + 1`, updatedAt: new Date() },
    });
}

/**
 * The points whose type has a rule (in a region's subtree, of a type), with their street (the
 * street the point's region lies in; a point above a street: its own region), rule and measures.
 */
export async function coveragePoints(
  db: DbOrTx,
  q: { within: number | null; regionId?: number | undefined; pointTypeId?: number | undefined },
  limit: number,
) {
  const conds: SQL[] = [sql`true`];
  if (q.within) conds.push(sql`p.region_id in ${regionSubtree(q.within)}`);
  if (q.regionId) conds.push(sql`p.region_id in ${regionSubtree(q.regionId)}`);
  if (q.pointTypeId) conds.push(sql`p.type_id = ${q.pointTypeId}`);
  return execRows<{
    pointId: number;
    pointName: string;
    pointTypeId: number;
    pointTypeName: string;
    regionId: number | null;
    regionName: string | null;
    streetId: number | null;
    streetName: string | null;
    minCount: number | null;
    themeMins: TThemeMin[];
    minWidthCm: number | null;
    minHeightCm: number | null;
    fixedOnly: boolean;
    perLengthCount: number | null;
    perLengthM: number | null;
    minHoardingPct: number | null;
    lengthM: number | null;
    hoardingPct: number | null;
  }>(
    db,
    sql`select p.id as "pointId", p.name as "pointName", t.id as "pointTypeId",
               t.name as "pointTypeName", r.id as "regionId", r.name as "regionName",
               coalesce(st.id, r.id) as "streetId", coalesce(st.name, r.name) as "streetName",
               ru.min_count as "minCount", ru.theme_mins as "themeMins",
               ru.min_width_cm as "minWidthCm", ru.min_height_cm as "minHeightCm",
               ru.fixed_only as "fixedOnly", ru.per_length_count as "perLengthCount",
               ru.per_length_m as "perLengthM", ru.min_hoarding_pct as "minHoardingPct",
               m.length_m as "lengthM", m.hoarding_pct as "hoardingPct"
          from points p
          join point_types t on t.id = p.type_id
          join ad_carrier_rules ru on ru.point_type_id = p.type_id
          left join regions r on r.id = p.region_id
          left join lateral (select s.id, s.name from regions s
                              where s.level = 'street' and r.path like s.path || '%'
                              limit 1) st on true
          left join ad_point_measures m on m.point_id = p.id
         where ${and(...conds)}
         order by coalesce(st.name, r.name), p.name, p.id
         limit ${limit + 1}`,
  );
}

/** The carriers of these points, for the coverage check. */
export async function carriersOfPoints(db: DbOrTx, pointIds: number[]) {
  if (!pointIds.length) return [];
  return db
    .select({
      pointId: adCarriers.pointId,
      widthCm: adCarriers.widthCm,
      heightCm: adCarriers.heightCm,
      state: adCarriers.state,
      fixed: adCarriers.fixed,
      theme: adCarriers.theme,
      cluster: adCarriers.cluster,
    })
    .from(adCarriers)
    .where(and(isNotNull(adCarriers.pointId), inArray(adCarriers.pointId, pointIds)));
}

// ---- campaigns ------------------------------------------------------------------------------

export async function insertCampaign(
  db: DbOrTx,
  v: typeof adCampaigns.$inferInsert,
  carrierIds: number[],
): Promise<number> {
  const [row] = await db.insert(adCampaigns).values(v).returning({ id: adCampaigns.id });
  const id = row!.id;
  for (let i = 0; i < carrierIds.length; i += 1000) {
    await db
      .insert(adCampaignItems)
      .values(carrierIds.slice(i, i + 1000).map((carrierId) => ({ campaignId: id, carrierId })));
  }
  return id;
}

/** The carriers among `ids` that exist and (for a district office) lie in its subtree. */
export async function carrierIdsWithin(
  db: DbOrTx,
  ids: number[],
  within: number | null,
): Promise<number[]> {
  const rows = await db
    .select({ id: adCarriers.id })
    .from(adCarriers)
    .where(
      and(
        inArray(adCarriers.id, ids),
        ...(within ? [sql`${adCarriers.regionId} in ${regionSubtree(within)}`] : []),
      ),
    );
  return rows.map((r) => r.id);
}

const campaignProgress = {
  ...getTableColumns(adCampaigns),
  total: sql<number>`(select count(*)::int from ad_campaign_items i where i.campaign_id = ad_campaigns.id)`,
  done: sql<number>`(select count(*)::int from ad_campaign_items i where i.campaign_id = ad_campaigns.id and i.done_at is not null)`,
};
export type CampaignRow = typeof adCampaigns.$inferSelect & { total: number; done: number };

/** Campaigns with their progress (a district office: those run in its subtree). */
export function listCampaigns(db: DbOrTx, within: number | null): Promise<CampaignRow[]> {
  return db
    .select(campaignProgress)
    .from(adCampaigns)
    .where(within ? sql`${adCampaigns.ownerRegionId} in ${regionSubtree(within)}` : undefined)
    .orderBy(desc(adCampaigns.id));
}

export async function findCampaign(db: DbOrTx, id: number): Promise<CampaignRow | undefined> {
  const [c] = await db.select(campaignProgress).from(adCampaigns).where(eq(adCampaigns.id, id));
  return c;
}

export function campaignItems(db: DbOrTx, campaignId: number) {
  return db
    .select({
      carrierId: adCampaignItems.carrierId,
      code: adCarriers.code,
      kind: adCarriers.kind,
      pointName: points.name,
      unitName: units.name,
      doneAt: adCampaignItems.doneAt,
      doneByName: users.name,
      beforePhotoId: adCampaignItems.beforePhotoId,
      afterPhotoId: adCampaignItems.afterPhotoId,
      note: adCampaignItems.note,
    })
    .from(adCampaignItems)
    .innerJoin(adCarriers, eq(adCarriers.id, adCampaignItems.carrierId))
    .leftJoin(points, eq(points.id, adCarriers.pointId))
    .leftJoin(units, eq(units.id, adCarriers.unitId))
    .leftJoin(users, eq(users.id, adCampaignItems.doneBy))
    .where(eq(adCampaignItems.campaignId, campaignId))
    .orderBy(asc(adCarriers.code));
}

export async function markCampaignItem(
  db: DbOrTx,
  campaignId: number,
  carrierId: number,
  v: {
    doneAt: Date;
    doneBy: number | null;
    beforePhotoId: string;
    afterPhotoId: string;
    note: string | null;
  },
): Promise<boolean> {
  const rows = await db
    .update(adCampaignItems)
    .set(v)
    .where(
      and(eq(adCampaignItems.campaignId, campaignId), eq(adCampaignItems.carrierId, carrierId)),
    )
    .returning({ id: adCampaignItems.id });
  return rows.length > 0;
}

// ---- dashboard ------------------------------------------------------------------------------

/** Carriers by theme and state (a region's subtree). */
export function themeStateCounts(db: DbOrTx, q: CarrierFilters) {
  return db
    .select({
      theme: adCarriers.theme,
      state: adCarriers.state,
      n: sql<number>`count(*)::int`,
    })
    .from(adCarriers)
    .where(and(...conditions(q)))
    .groupBy(adCarriers.theme, adCarriers.state);
}

/** Damaged or missing carriers with no open problem. */
export async function awaitingProblemCount(db: DbOrTx, q: CarrierFilters): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(adCarriers)
    .leftJoin(problems, eq(problems.id, adCarriers.problemId))
    .where(
      and(
        ...conditions(q),
        inArray(adCarriers.state, ['damaged', 'missing']),
        sql`(${problems.id} is null or ${problems.state} in ('closed', 'rejected', 'merged'))`,
      ),
    );
  return row!.n;
}

/** The first of these problem categories that exists (by code, in the order given). */
export async function categoryByCodes(db: DbOrTx, codes: string[]): Promise<number | undefined> {
  const rows = await db
    .select({ id: problemCategories.id, code: problemCategories.code })
    .from(problemCategories)
    .where(inArray(problemCategories.code, codes));
  for (const c of codes) {
    const hit = rows.find((r) => r.code === c);
    if (hit) return hit.id;
  }
  return undefined;
}

/** Point ids by name (a repeated name: the first by id), as import sheets name points. */
export async function pointIdsByName(db: DbOrTx): Promise<Map<string, number>> {
  const rows = await db
    .select({ id: points.id, name: points.name })
    .from(points)
    .orderBy(asc(points.id));
  const out = new Map<string, number>();
  for (const r of rows) if (!out.has(r.name)) out.set(r.name, r.id);
  return out;
}
