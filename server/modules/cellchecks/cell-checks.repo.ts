import { and, asc, desc, eq, getTableColumns, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { TScope } from '../../../core/permissions.js';
import type { DbOrTx } from '../../db/client.js';
import {
  cellCheckLists,
  cellChecks,
  cellNegativeHits,
  cellNegativeLists,
  cellReviewHolders,
  cellReviews,
  honours,
  problems,
  regions,
} from '../../db/schema/index.js';
import { problemScope } from '../problems/problems.repo.js';
import { regionSubtree } from '../org/regions.repo.js';

type CellType = (typeof honours.$inferSelect)['cellType'];
export type CheckListRow = typeof cellCheckLists.$inferSelect;
export type NegativeListRow = typeof cellNegativeLists.$inferSelect;
export type CheckRow = typeof cellChecks.$inferSelect & { holderName: string; listName: string };
export type HitRow = typeof cellNegativeHits.$inferSelect & { holderName: string };
export type ReviewTableRow = typeof cellReviews.$inferSelect;
export type ReviewRow = ReviewTableRow & {
  officeRegionName: string | null;
  holderCount: number;
  filedCount: number;
};

// — Lists —

export function checkLists(db: DbOrTx, cellType?: CellType) {
  return db
    .select()
    .from(cellCheckLists)
    .where(cellType ? eq(cellCheckLists.cellType, cellType) : undefined)
    .orderBy(asc(cellCheckLists.cellType), asc(cellCheckLists.id));
}

export async function findCheckList(db: DbOrTx, id: number) {
  const [r] = await db.select().from(cellCheckLists).where(eq(cellCheckLists.id, id));
  return r;
}

export async function insertCheckList(db: DbOrTx, v: typeof cellCheckLists.$inferInsert) {
  const [r] = await db.insert(cellCheckLists).values(v).returning({ id: cellCheckLists.id });
  return r!.id;
}

export async function updateCheckList(
  db: DbOrTx,
  id: number,
  version: number,
  set: Partial<typeof cellCheckLists.$inferInsert>,
) {
  const rows = await db
    .update(cellCheckLists)
    .set({ ...set, version: sql`${cellCheckLists.version} + 1`, updatedAt: new Date() })
    .where(and(eq(cellCheckLists.id, id), eq(cellCheckLists.version, version)))
    .returning({ id: cellCheckLists.id });
  return rows.length > 0;
}

export function negativeLists(db: DbOrTx, cellType?: CellType) {
  return db
    .select()
    .from(cellNegativeLists)
    .where(cellType ? eq(cellNegativeLists.cellType, cellType) : undefined)
    .orderBy(asc(cellNegativeLists.cellType));
}

export async function findNegativeList(db: DbOrTx, id: number) {
  const [r] = await db.select().from(cellNegativeLists).where(eq(cellNegativeLists.id, id));
  return r;
}

export async function negativeListOf(db: DbOrTx, cellType: CellType) {
  const [r] = await db
    .select()
    .from(cellNegativeLists)
    .where(eq(cellNegativeLists.cellType, cellType));
  return r;
}

export async function insertNegativeList(db: DbOrTx, v: typeof cellNegativeLists.$inferInsert) {
  const [r] = await db.insert(cellNegativeLists).values(v).returning({ id: cellNegativeLists.id });
  return r!.id;
}

export async function updateNegativeList(
  db: DbOrTx,
  id: number,
  version: number,
  set: Partial<typeof cellNegativeLists.$inferInsert>,
) {
  const rows = await db
    .update(cellNegativeLists)
    .set({ ...set, version: sql`${cellNegativeLists.version} + 1`, updatedAt: new Date() })
    .where(and(eq(cellNegativeLists.id, id), eq(cellNegativeLists.version, version)))
    .returning({ id: cellNegativeLists.id });
  return rows.length > 0;
}

// — Checks and hits —

const checkColumns = {
  ...getTableColumns(cellChecks),
  holderName: honours.holderName,
  listName: cellCheckLists.name,
};

/** Checks filtered by list, period or holder; `within`: holders placed in that subtree. */
export function checks(
  db: DbOrTx,
  q: { listId?: number; period?: string; honourId?: number; year?: number; within?: number | null },
) {
  const conds: SQL[] = [];
  if (q.listId) conds.push(eq(cellChecks.listId, q.listId));
  if (q.period) conds.push(eq(cellChecks.period, q.period));
  if (q.honourId) conds.push(eq(cellChecks.honourId, q.honourId));
  if (q.year) conds.push(eq(cellChecks.year, q.year));
  if (q.within) conds.push(sql`${honours.regionId} in ${regionSubtree(q.within)}`);
  return db
    .select(checkColumns)
    .from(cellChecks)
    .innerJoin(honours, eq(honours.id, cellChecks.honourId))
    .innerJoin(cellCheckLists, eq(cellCheckLists.id, cellChecks.listId))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(cellChecks.period), asc(honours.holderName), asc(cellChecks.id))
    .limit(500);
}

export async function findCheck(db: DbOrTx, id: number): Promise<CheckRow | undefined> {
  const [r] = await db
    .select(checkColumns)
    .from(cellChecks)
    .innerJoin(honours, eq(honours.id, cellChecks.honourId))
    .innerJoin(cellCheckLists, eq(cellCheckLists.id, cellChecks.listId))
    .where(eq(cellChecks.id, id));
  return r;
}

export async function insertCheck(db: DbOrTx, v: typeof cellChecks.$inferInsert) {
  const [r] = await db.insert(cellChecks).values(v).returning({ id: cellChecks.id });
  return r!.id;
}

const hitColumns = { ...getTableColumns(cellNegativeHits), holderName: honours.holderName };

export function hitsOf(db: DbOrTx, honourId: number): Promise<HitRow[]> {
  return db
    .select(hitColumns)
    .from(cellNegativeHits)
    .innerJoin(honours, eq(honours.id, cellNegativeHits.honourId))
    .where(eq(cellNegativeHits.honourId, honourId))
    .orderBy(desc(cellNegativeHits.hitOn), desc(cellNegativeHits.id));
}

export async function findHit(db: DbOrTx, id: number): Promise<HitRow | undefined> {
  const [r] = await db
    .select(hitColumns)
    .from(cellNegativeHits)
    .innerJoin(honours, eq(honours.id, cellNegativeHits.honourId))
    .where(eq(cellNegativeHits.id, id));
  return r;
}

export async function insertHit(db: DbOrTx, v: typeof cellNegativeHits.$inferInsert) {
  const [r] = await db.insert(cellNegativeHits).values(v).returning({ id: cellNegativeHits.id });
  return r!.id;
}

/** The holder's severe hits on or after `since` (YYYY-MM-DD). */
export async function severeHitsSince(db: DbOrTx, honourId: number, since: string) {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(cellNegativeHits)
    .where(
      and(
        eq(cellNegativeHits.honourId, honourId),
        eq(cellNegativeHits.severe, true),
        sql`${cellNegativeHits.hitOn} >= ${since}`,
      ),
    );
  return r!.n;
}

/** Per holder: the year's average check score (null: none) and the year's deductions. */
export async function yearFigures(
  db: DbOrTx,
  honourIds: number[],
  year: number,
): Promise<Map<number, { average: number | null; deductions: number }>> {
  const out = new Map<number, { average: number | null; deductions: number }>();
  if (!honourIds.length) return out;
  for (const id of honourIds) out.set(id, { average: null, deductions: 0 });
  const avg = await db
    .select({ id: cellChecks.honourId, a: sql<number>`avg(${cellChecks.score})::float8` })
    .from(cellChecks)
    .where(and(inArray(cellChecks.honourId, honourIds), eq(cellChecks.year, year)))
    .groupBy(cellChecks.honourId);
  for (const r of avg) out.get(r.id)!.average = r.a;
  const ded = await db
    .select({
      id: cellNegativeHits.honourId,
      d: sql<number>`sum(${cellNegativeHits.points})::float8`,
    })
    .from(cellNegativeHits)
    .where(
      and(
        inArray(cellNegativeHits.honourId, honourIds),
        sql`extract(year from ${cellNegativeHits.hitOn})::int = ${year}`,
      ),
    )
    .groupBy(cellNegativeHits.honourId);
  for (const r of ded) out.get(r.id)!.deductions = r.d;
  return out;
}

/** The problems turned into hits of this holder: problem id → hit id. */
export async function hitsByProblem(db: DbOrTx, honourId: number): Promise<Map<number, number>> {
  const rows = await db
    .select({ p: cellNegativeHits.problemId, id: cellNegativeHits.id })
    .from(cellNegativeHits)
    .where(
      and(eq(cellNegativeHits.honourId, honourId), sql`${cellNegativeHits.problemId} is not null`),
    );
  return new Map(rows.map((r) => [r.p!, r.id]));
}

/**
 * Problems since `since` dispatched to the unit, or inside the box around the place (the exact
 * distance is the service's), that the scope may see; newest first.
 */
export function problemsAt(
  db: DbOrTx,
  at: {
    unitId: number | null;
    box: { minLat: number; maxLat: number; minLng: number; maxLng: number } | null;
  },
  since: Date,
  scope: TScope,
) {
  const linked: SQL[] = [];
  if (at.unitId) linked.push(eq(problems.unitId, at.unitId));
  if (at.box)
    linked.push(
      sql`(${problems.lat} between ${at.box.minLat} and ${at.box.maxLat} and ${problems.lng} between ${at.box.minLng} and ${at.box.maxLng})`,
    );
  if (!linked.length) return Promise.resolve([]);
  return db
    .select({
      id: problems.id,
      code: problems.code,
      title: problems.title,
      state: problems.state,
      createdAt: problems.createdAt,
      lat: problems.lat,
      lng: problems.lng,
      unitId: problems.unitId,
    })
    .from(problems)
    .where(and(or(...linked), sql`${problems.createdAt} >= ${since}`, problemScope(scope)))
    .orderBy(desc(problems.createdAt), desc(problems.id))
    .limit(200);
}

// — Reviews —

// Correlated subqueries name their tables in full (drizzle leaves columns unqualified).
const officeRegion = sql<
  string | null
>`(select r.name from regions r where r.id = "cell_reviews"."office_region_id")`;
const reviewColumns = {
  ...getTableColumns(cellReviews),
  officeRegionName: officeRegion,
  holderCount: sql<number>`(select count(*)::int from cell_review_holders h where h.review_id = "cell_reviews"."id")`,
  filedCount: sql<number>`(select count(*)::int from cell_review_holders h where h.review_id = "cell_reviews"."id" and h.filed_at is not null)`,
};

export function reviews(
  db: DbOrTx,
  q: { year?: number; cellType?: CellType; within?: number | null },
): Promise<ReviewRow[]> {
  const conds: SQL[] = [];
  if (q.year) conds.push(eq(cellReviews.year, q.year));
  if (q.cellType) conds.push(eq(cellReviews.cellType, q.cellType));
  if (q.within) conds.push(sql`${cellReviews.officeRegionId} in ${regionSubtree(q.within)}`);
  return db
    .select(reviewColumns)
    .from(cellReviews)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(cellReviews.year), desc(cellReviews.id))
    .limit(200);
}

export async function findReview(db: DbOrTx, id: number): Promise<ReviewRow | undefined> {
  const [r] = await db.select(reviewColumns).from(cellReviews).where(eq(cellReviews.id, id));
  return r;
}

/**
 * The holders a new review takes: the type's titles in good standing (在册 or 整改) in their
 * term that year (or whose term ends that year), managed in `within` (null: anywhere), and not
 * yet under another review of that year.
 */
export async function reviewCandidates(
  db: DbOrTx,
  q: { cellType: CellType; year: number; scope: 'current' | 'expiring'; within: number | null },
): Promise<number[]> {
  const termEnd = sql`${honours.yearConferred} + ${honours.termYears} - 1`;
  const rows = await db
    .select({ id: honours.id })
    .from(honours)
    .where(
      and(
        eq(honours.cellType, q.cellType),
        inArray(honours.status, ['listed', 'rectifying']),
        sql`${honours.yearConferred} <= ${q.year}`,
        q.scope === 'expiring' ? sql`${termEnd} = ${q.year}` : sql`${termEnd} >= ${q.year}`,
        q.within === null
          ? undefined
          : sql`${honours.officeRegionId} in ${regionSubtree(q.within)}`,
        sql`not exists (select 1 from cell_review_holders m where m.honour_id = "honours"."id" and m.year = ${q.year})`,
      ),
    )
    .orderBy(asc(honours.id));
  return rows.map((r) => r.id);
}

export async function insertReview(db: DbOrTx, v: typeof cellReviews.$inferInsert) {
  const [r] = await db.insert(cellReviews).values(v).returning({ id: cellReviews.id });
  return r!.id;
}

export async function insertReviewHolders(
  db: DbOrTx,
  reviewId: number,
  year: number,
  honourIds: number[],
) {
  for (let i = 0; i < honourIds.length; i += 1000) {
    await db
      .insert(cellReviewHolders)
      .values(honourIds.slice(i, i + 1000).map((honourId) => ({ reviewId, honourId, year })));
  }
}

export async function updateReviewRow(
  db: DbOrTx,
  id: number,
  version: number,
  set: Partial<typeof cellReviews.$inferInsert>,
) {
  const rows = await db
    .update(cellReviews)
    .set({ ...set, version: sql`${cellReviews.version} + 1`, updatedAt: new Date() })
    .where(and(eq(cellReviews.id, id), eq(cellReviews.version, version)))
    .returning({ id: cellReviews.id });
  return rows.length > 0;
}

/** The holders of a review with their titles, in name order. */
export function reviewHolders(db: DbOrTx, reviewId: number) {
  return db
    .select({
      ...getTableColumns(cellReviewHolders),
      holderName: honours.holderName,
      title: honours.title,
      level: honours.level,
      unitId: honours.unitId,
      status: honours.status,
      honourVersion: honours.version,
      regionName: regions.name,
    })
    .from(cellReviewHolders)
    .innerJoin(honours, eq(honours.id, cellReviewHolders.honourId))
    .leftJoin(regions, eq(regions.id, honours.regionId))
    .where(eq(cellReviewHolders.reviewId, reviewId))
    .orderBy(asc(honours.holderName), asc(honours.id));
}
export type ReviewHolderRow = Awaited<ReturnType<typeof reviewHolders>>[number];

export async function updateReviewHolder(
  db: DbOrTx,
  reviewId: number,
  honourId: number,
  set: Partial<typeof cellReviewHolders.$inferInsert>,
) {
  const rows = await db
    .update(cellReviewHolders)
    .set({ ...set, version: sql`${cellReviewHolders.version} + 1` })
    .where(and(eq(cellReviewHolders.reviewId, reviewId), eq(cellReviewHolders.honourId, honourId)))
    .returning({ id: cellReviewHolders.id });
  return rows.length > 0;
}

/** The reviews a holder was under, newest first. */
export function reviewsOfHolder(db: DbOrTx, honourId: number) {
  return db
    .select({
      reviewId: cellReviews.id,
      name: cellReviews.name,
      year: cellReviews.year,
      reviewStatus: cellReviews.status,
      filedAt: cellReviewHolders.filedAt,
      outcome: cellReviewHolders.outcome,
      finalOutcome: cellReviewHolders.finalOutcome,
    })
    .from(cellReviewHolders)
    .innerJoin(cellReviews, eq(cellReviews.id, cellReviewHolders.reviewId))
    .where(eq(cellReviewHolders.honourId, honourId))
    .orderBy(desc(cellReviews.year), desc(cellReviews.id));
}
