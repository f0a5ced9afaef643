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
import type { TListFrontageQuery } from '../../../core/contracts/frontage.js';
import type { TScope } from '../../../core/permissions.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { frontageDuties, problems, regions } from '../../db/schema/index.js';
import { likePattern } from '../../platform/pagination.js';
import { problemScope } from '../problems/problems.repo.js';
import { regionSubtree } from '../org/regions.repo.js';

export type DutyTableRow = typeof frontageDuties.$inferSelect;
export type DutyInsert = typeof frontageDuties.$inferInsert;
export type DutyRow = DutyTableRow & { regionName: string | null };
export type ZoneProblemRow = Awaited<ReturnType<typeof problemsInBox>>[number];

const withRegion = { ...getTableColumns(frontageDuties), regionName: regions.name };

export async function findDuty(db: DbOrTx, id: number): Promise<DutyRow | undefined> {
  const [d] = await db
    .select(withRegion)
    .from(frontageDuties)
    .leftJoin(regions, eq(regions.id, frontageDuties.regionId))
    .where(eq(frontageDuties.id, id));
  return d;
}

/**
 * The list filters (search, community, plaque, signed) as conditions; the export uses them too.
 * `within`: a district or street office reads the holders of its subtree only.
 */
export type FrontageFilters = Omit<TListFrontageQuery, 'limit' | 'cursor'> & {
  within?: number | null;
};
export function listConditions(q: FrontageFilters): SQL[] {
  const conds: SQL[] = [];
  if (q.within) conds.push(sql`${frontageDuties.regionId} in ${regionSubtree(q.within)}`);
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

/** One page of the filtered holders in id order (limit + 1 rows: the extra one says "more"). */
export async function dutyPage(
  db: DbOrTx,
  q: TListFrontageQuery & { within?: number | null },
): Promise<{ total: number; rows: DutyRow[] }> {
  const filter = listConditions(q);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(frontageDuties)
    .where(filter.length ? and(...filter) : undefined);
  const conds = [...filter];
  if (q.cursor) conds.push(gt(frontageDuties.id, Number(q.cursor)));
  const rows = await db
    .select(withRegion)
    .from(frontageDuties)
    .leftJoin(regions, eq(regions.id, frontageDuties.regionId))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(frontageDuties.id))
    .limit(q.limit + 1);
  return { total: count!.n, rows };
}

/** Problems since `since` inside each holder's index box (the exact zone test is the caller's). */
export async function problemsInDutyBoxes(
  db: DbOrTx,
  dutyIds: number[],
  since: Date,
): Promise<{ duty_id: number; lat: number; lng: number }[]> {
  return execRows<{ duty_id: number; lat: number; lng: number }>(
    db,
    sql`select d.id as duty_id, p.lat, p.lng
        from frontage_duties d
        join problems p on p.lat between d.min_lat and d.max_lat
          and p.lng between d.min_lng and d.max_lng
        where d.id in ${dutyIds} and p.created_at >= ${since}`,
  );
}

/** Active holders whose index box contains the point (the exact zone test is the caller's). */
export async function activeDutiesAt(db: DbOrTx, lat: number, lng: number): Promise<DutyRow[]> {
  return db
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
}

/** The newest 500 problems since `since` in a holder's index box that the scope may see. */
export async function problemsInBox(
  db: DbOrTx,
  box: { minLat: number; maxLat: number; minLng: number; maxLng: number },
  since: Date,
  scope: TScope,
) {
  return db
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
        sql`${problems.lat} between ${box.minLat} and ${box.maxLat}`,
        sql`${problems.lng} between ${box.minLng} and ${box.maxLng}`,
        sql`${problems.createdAt} >= ${since}`,
        problemScope(scope),
      ),
    )
    .orderBy(sql`${problems.createdAt} desc`)
    .limit(500);
}

export async function insertDuty(db: DbOrTx, values: DutyInsert): Promise<number> {
  const [row] = await db.insert(frontageDuties).values(values).returning({ id: frontageDuties.id });
  return row!.id;
}

/** Updates a holder at `version` (to version + 1); false when the version is stale or it is gone. */
export async function updateDutyRow(
  db: DbOrTx,
  id: number,
  version: number,
  set: Partial<DutyInsert>,
): Promise<boolean> {
  const rows = await db
    .update(frontageDuties)
    .set({ ...set, version: sql`${frontageDuties.version} + 1`, updatedAt: new Date() })
    .where(and(eq(frontageDuties.id, id), eq(frontageDuties.version, version)))
    .returning({ id: frontageDuties.id });
  return rows.length > 0;
}

/** Duty holders' ids by their codes (an import's known codes), 5,000 codes a query. */
export async function dutyIdsByCode(db: DbOrTx, codes: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < codes.length; i += 5000) {
    const found = await db
      .select({ id: frontageDuties.id, code: frontageDuties.code })
      .from(frontageDuties)
      .where(inArray(frontageDuties.code, codes.slice(i, i + 5000)));
    for (const f of found) out.set(f.code, f.id);
  }
  return out;
}

/** The region of each stored holder with one of these codes (an import checks whose they are). */
export async function dutyRegionsByCode(
  db: DbOrTx,
  codes: string[],
): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>();
  for (let i = 0; i < codes.length; i += 5000) {
    const found = await db
      .select({ code: frontageDuties.code, regionId: frontageDuties.regionId })
      .from(frontageDuties)
      .where(inArray(frontageDuties.code, codes.slice(i, i + 5000)));
    for (const f of found) out.set(f.code, f.regionId);
  }
  return out;
}

/** An import's overwrite of a known holder (imports replace, they do not check versions). */
export async function overwriteDuty(
  db: DbOrTx,
  id: number,
  set: Partial<DutyInsert>,
): Promise<void> {
  await db
    .update(frontageDuties)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(frontageDuties.id, id));
}

/** New holders, 1,000 rows a statement. */
export async function insertDuties(db: DbOrTx, rows: DutyInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insert(frontageDuties).values(rows.slice(i, i + 1000));
  }
}

/** The next page of the filtered holders after id `after`, by id (for the streamed export). */
export function dutiesAfter(db: DbOrTx, q: FrontageFilters, after: number, limit: number) {
  return db
    .select()
    .from(frontageDuties)
    .where(and(gt(frontageDuties.id, after), ...listConditions(q)))
    .orderBy(asc(frontageDuties.id))
    .limit(limit);
}
