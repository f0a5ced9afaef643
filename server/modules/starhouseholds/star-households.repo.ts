import { aliasedTable, and, asc, eq, getTableColumns, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import {
  gridMembers,
  grids,
  regions,
  starCriteria,
  starHouseholds,
  starRatings,
  users,
} from '../../db/schema/index.js';
import { afterCursor, likePattern } from '../../platform/pagination.js';
import { regionSubtree } from '../org/regions.repo.js';

// 十星级文明户: the only file that touches the star tables.

/**
 * Which households a reader sees: everything (the city), a district's, street's or community's
 * subtree (its office and leaders), or the grids a grid worker is a member of.
 */
export type StarVisibility =
  | { kind: 'all' }
  | { kind: 'region'; regionId: number }
  | { kind: 'grids'; userId: number };

export function householdScope(v: StarVisibility): SQL | undefined {
  switch (v.kind) {
    case 'all':
      return undefined;
    case 'region':
      return sql`${starHouseholds.regionId} in ${regionSubtree(v.regionId)}`;
    case 'grids':
      return sql`${starHouseholds.gridId} in
        (select grid_id from grid_members where user_id = ${v.userId})`;
  }
}

// ---------------------------------------------------------------- criteria

export type CriterionRow = typeof starCriteria.$inferSelect;
export type CriterionInsert = typeof starCriteria.$inferInsert;

export function listCriteria(db: DbOrTx): Promise<CriterionRow[]> {
  return db.select().from(starCriteria).orderBy(asc(starCriteria.sortOrder), asc(starCriteria.id));
}

export async function findCriterion(db: DbOrTx, id: number): Promise<CriterionRow | undefined> {
  const [row] = await db.select().from(starCriteria).where(eq(starCriteria.id, id));
  return row;
}

export async function insertCriterion(db: DbOrTx, values: CriterionInsert): Promise<number> {
  const [row] = await db.insert(starCriteria).values(values).returning({ id: starCriteria.id });
  return row!.id;
}

export async function updateCriterionRow(
  db: DbOrTx,
  id: number,
  version: number,
  set: Partial<CriterionInsert>,
): Promise<boolean> {
  const rows = await db
    .update(starCriteria)
    .set({ ...set, version: sql`${starCriteria.version} + 1` })
    .where(and(eq(starCriteria.id, id), eq(starCriteria.version, version)))
    .returning({ id: starCriteria.id });
  return rows.length > 0;
}

// ---------------------------------------------------------------- households

export type HouseholdTableRow = typeof starHouseholds.$inferSelect;
export type HouseholdInsert = typeof starHouseholds.$inferInsert;
export type RatingTableRow = typeof starRatings.$inferSelect;
export type RatingRow = RatingTableRow & {
  proposedByName: string | null;
  reviewedByName: string | null;
};
export type HouseholdRow = HouseholdTableRow & { gridName: string; regionName: string };

const proposers = aliasedTable(users, 'proposers');
const reviewers = aliasedTable(users, 'reviewers');

const householdColumns = {
  ...getTableColumns(starHouseholds),
  gridName: grids.name,
  regionName: regions.name,
};

function namedHouseholds(db: DbOrTx) {
  return db
    .select(householdColumns)
    .from(starHouseholds)
    .innerJoin(grids, eq(grids.id, starHouseholds.gridId))
    .innerJoin(regions, eq(regions.id, starHouseholds.regionId));
}

export async function findHousehold(
  db: DbOrTx,
  id: number,
  v: StarVisibility,
): Promise<HouseholdRow | undefined> {
  const scope = householdScope(v);
  const [row] = await namedHouseholds(db).where(
    scope ? and(eq(starHouseholds.id, id), scope) : eq(starHouseholds.id, id),
  );
  return row;
}

export type ListFilters = {
  year: number;
  gridId?: number | undefined;
  regionId?: number | undefined;
  status?: 'unrated' | 'proposed' | 'approved' | 'returned' | undefined;
  q?: string | undefined;
};

function listConditions(v: StarVisibility, q: ListFilters): SQL[] {
  const conds: SQL[] = [];
  const scope = householdScope(v);
  if (scope) conds.push(scope);
  if (q.gridId) conds.push(eq(starHouseholds.gridId, q.gridId));
  if (q.regionId) conds.push(sql`${starHouseholds.regionId} in ${regionSubtree(q.regionId)}`);
  if (q.q) {
    const like = likePattern(q.q);
    conds.push(or(ilike(starHouseholds.headName, like), ilike(starHouseholds.address, like))!);
  }
  if (q.status === 'unrated') conds.push(sql`${starRatings.id} is null`);
  else if (q.status) conds.push(eq(starRatings.status, q.status));
  return conds;
}

const ratingJoin = (year: number) =>
  and(eq(starRatings.householdId, starHouseholds.id), eq(starRatings.year, year));

/** One page of households by id, each with its rating of the year (or null), and the total. */
export async function householdPage(
  db: DbOrTx,
  v: StarVisibility,
  q: ListFilters & { limit: number; cursor?: string | undefined },
): Promise<{ total: number; rows: { h: HouseholdRow; r: RatingRow | null }[] }> {
  const filter = listConditions(v, q);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(starHouseholds)
    .leftJoin(starRatings, ratingJoin(q.year))
    .where(filter.length ? and(...filter) : undefined);
  const after = afterCursor(starHouseholds.id, starHouseholds.id, 'asc', q.cursor);
  const conds = after ? [...filter, after] : filter;
  const rows = await db
    .select({
      h: householdColumns,
      r: {
        ...getTableColumns(starRatings),
        proposedByName: proposers.name,
        reviewedByName: reviewers.name,
      },
    })
    .from(starHouseholds)
    .innerJoin(grids, eq(grids.id, starHouseholds.gridId))
    .innerJoin(regions, eq(regions.id, starHouseholds.regionId))
    .leftJoin(starRatings, ratingJoin(q.year))
    .leftJoin(proposers, eq(proposers.id, starRatings.proposedBy))
    .leftJoin(reviewers, eq(reviewers.id, starRatings.reviewedBy))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(starHouseholds.id))
    .limit(q.limit + 1);
  return {
    total: count!.n,
    rows: rows.map((x) => ({ h: x.h, r: x.r.id === null ? null : (x.r as RatingRow) })),
  };
}

export async function insertHousehold(db: DbOrTx, values: HouseholdInsert): Promise<number> {
  const [row] = await db.insert(starHouseholds).values(values).returning({ id: starHouseholds.id });
  return row!.id;
}

export async function updateHouseholdRow(
  db: DbOrTx,
  id: number,
  version: number,
  set: Partial<HouseholdInsert>,
): Promise<boolean> {
  const rows = await db
    .update(starHouseholds)
    .set({ ...set, version: sql`${starHouseholds.version} + 1`, updatedAt: new Date() })
    .where(and(eq(starHouseholds.id, id), eq(starHouseholds.version, version)))
    .returning({ id: starHouseholds.id });
  return rows.length > 0;
}

/** A grid as a household's place: its community and whether it is in use. */
export async function gridPlace(db: DbOrTx, gridId: number) {
  const [row] = await db
    .select({ id: grids.id, regionId: grids.regionId, active: grids.active, name: grids.name })
    .from(grids)
    .where(eq(grids.id, gridId));
  return row;
}

export async function isGridMember(db: DbOrTx, gridId: number, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ g: gridMembers.gridId })
    .from(gridMembers)
    .where(and(eq(gridMembers.gridId, gridId), eq(gridMembers.userId, userId)));
  return row !== undefined;
}

// ---------------------------------------------------------------- ratings

function namedRatings(db: DbOrTx) {
  return db
    .select({
      ...getTableColumns(starRatings),
      proposedByName: proposers.name,
      reviewedByName: reviewers.name,
    })
    .from(starRatings)
    .leftJoin(proposers, eq(proposers.id, starRatings.proposedBy))
    .leftJoin(reviewers, eq(reviewers.id, starRatings.reviewedBy));
}

export async function findRating(db: DbOrTx, id: number): Promise<RatingRow | undefined> {
  const [row] = await namedRatings(db).where(eq(starRatings.id, id));
  return row;
}

/** A household's rating of a year with the names of its proposer and reviewer. */
export async function namedRatingOfYear(
  db: DbOrTx,
  householdId: number,
  year: number,
): Promise<RatingRow | undefined> {
  const [row] = await namedRatings(db).where(
    and(eq(starRatings.householdId, householdId), eq(starRatings.year, year)),
  );
  return row;
}

/** A household's rating of a year, locked for a write. */
export async function ratingOfYear(
  db: DbOrTx,
  householdId: number,
  year: number,
): Promise<RatingTableRow | undefined> {
  const [row] = await db
    .select()
    .from(starRatings)
    .where(and(eq(starRatings.householdId, householdId), eq(starRatings.year, year)))
    .for('update');
  return row;
}

export async function ratingByClientId(
  db: DbOrTx,
  clientId: string,
): Promise<RatingTableRow | undefined> {
  const [row] = await db.select().from(starRatings).where(eq(starRatings.clientId, clientId));
  return row;
}

export async function insertRating(
  db: DbOrTx,
  values: typeof starRatings.$inferInsert,
): Promise<number> {
  const [row] = await db.insert(starRatings).values(values).returning({ id: starRatings.id });
  return row!.id;
}

export async function updateRatingRow(
  db: DbOrTx,
  id: number,
  version: number,
  set: Partial<typeof starRatings.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(starRatings)
    .set({ ...set, version: sql`${starRatings.version} + 1` })
    .where(and(eq(starRatings.id, id), eq(starRatings.version, version)))
    .returning({ id: starRatings.id });
  return rows.length > 0;
}

// ---------------------------------------------------------------- coverage and the board

export type CoverageRow = {
  regionId: number;
  regionName: string;
  households: number;
  rated: number;
  proposed: number;
  returned: number;
  tenStar: number;
  distribution: number[];
};

/**
 * Per community (the households' region): active households, the year's ratings by status, the
 * ten-star ones and the approved ratings by star count — two grouped aggregates.
 */
export async function coverage(
  db: DbOrTx,
  v: StarVisibility,
  year: number,
  regionId: number | undefined,
  tenStars: number,
): Promise<CoverageRow[]> {
  const conds: SQL[] = [eq(starHouseholds.active, true)];
  const scope = householdScope(v);
  if (scope) conds.push(scope);
  if (regionId) conds.push(sql`${starHouseholds.regionId} in ${regionSubtree(regionId)}`);
  const where = and(...conds);
  const totals = await db
    .select({
      regionId: starHouseholds.regionId,
      regionName: regions.name,
      households: sql<number>`count(*)::int`,
      rated: sql<number>`(count(*) filter (where ${starRatings.status} = 'approved'))::int`,
      proposed: sql<number>`(count(*) filter (where ${starRatings.status} = 'proposed'))::int`,
      returned: sql<number>`(count(*) filter (where ${starRatings.status} = 'returned'))::int`,
      tenStar: sql<number>`(count(*) filter (where ${starRatings.status} = 'approved'
        and ${starRatings.starCount} >= ${tenStars}))::int`,
    })
    .from(starHouseholds)
    .innerJoin(regions, eq(regions.id, starHouseholds.regionId))
    .leftJoin(starRatings, ratingJoin(year))
    .where(where)
    .groupBy(starHouseholds.regionId, regions.name)
    .orderBy(regions.name);
  const counts = await db
    .select({
      regionId: starHouseholds.regionId,
      stars: sql<number>`least(${starRatings.starCount}, ${tenStars})::int`,
      n: sql<number>`count(*)::int`,
    })
    .from(starHouseholds)
    .innerJoin(starRatings, and(ratingJoin(year), eq(starRatings.status, 'approved')))
    .where(where)
    .groupBy(starHouseholds.regionId, sql`2`);
  return totals.map((t) => {
    const distribution = Array.from({ length: tenStars + 1 }, () => 0);
    for (const c of counts) if (c.regionId === t.regionId) distribution[c.stars] = c.n;
    return { ...t, distribution };
  });
}

/** The approved ratings of a community's households of a year, most stars first. */
export async function boardRows(db: DbOrTx, regionId: number, year: number) {
  return db
    .select({
      id: starRatings.id,
      headName: starHouseholds.headName,
      building: starHouseholds.building,
      gridName: grids.name,
      stars: starRatings.stars,
      starCount: starRatings.starCount,
    })
    .from(starRatings)
    .innerJoin(starHouseholds, eq(starHouseholds.id, starRatings.householdId))
    .innerJoin(grids, eq(grids.id, starHouseholds.gridId))
    .where(
      and(
        eq(starHouseholds.regionId, regionId),
        eq(starHouseholds.active, true),
        eq(starRatings.year, year),
        eq(starRatings.status, 'approved'),
      ),
    )
    .orderBy(sql`${starRatings.starCount} desc`, asc(starRatings.id));
}

/** The communities with approved ratings of a year: how many households and ten-star ones. */
export async function boardCommunities(db: DbOrTx, year: number, tenStars: number) {
  return db
    .select({
      regionId: starHouseholds.regionId,
      regionName: regions.name,
      households: sql<number>`count(*)::int`,
      tenStar: sql<number>`(count(*) filter (where ${starRatings.starCount} >= ${tenStars}))::int`,
    })
    .from(starRatings)
    .innerJoin(starHouseholds, eq(starHouseholds.id, starRatings.householdId))
    .innerJoin(regions, eq(regions.id, starHouseholds.regionId))
    .where(
      and(
        eq(starHouseholds.active, true),
        eq(starRatings.year, year),
        eq(starRatings.status, 'approved'),
      ),
    )
    .groupBy(starHouseholds.regionId, regions.name)
    .orderBy(regions.name);
}

export async function regionName(db: DbOrTx, id: number): Promise<string | undefined> {
  const [row] = await db.select({ name: regions.name }).from(regions).where(eq(regions.id, id));
  return row?.name;
}
