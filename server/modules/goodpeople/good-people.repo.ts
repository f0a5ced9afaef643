import {
  aliasedTable,
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  inArray,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import {
  files,
  goodPersonMonths,
  goodPersonNominations,
  goodPersonSteps,
  goodPersonVotes,
  regions,
  units,
} from '../../db/schema/index.js';
import { afterCursor } from '../../platform/pagination.js';
import { regionSubtree } from '../org/regions.repo.js';

export type NominationInsert = typeof goodPersonNominations.$inferInsert;
export type NominationTableRow = typeof goodPersonNominations.$inferSelect;
export type NominationRow = NominationTableRow & {
  regionName: string;
  nominatorUnitName: string | null;
  nominatorRegionName: string | null;
};
export type MonthRow = typeof goodPersonMonths.$inferSelect;
export type StepRow = typeof goodPersonSteps.$inferSelect;

const n = goodPersonNominations;
const nominatorRegions = aliasedTable(regions, 'nominator_regions');

function named(db: DbOrTx) {
  return db
    .select({
      ...getTableColumns(n),
      regionName: regions.name,
      nominatorUnitName: units.name,
      nominatorRegionName: nominatorRegions.name,
    })
    .from(n)
    .innerJoin(regions, eq(regions.id, n.regionId))
    .leftJoin(units, eq(units.id, n.nominatorUnitId))
    .leftJoin(nominatorRegions, eq(nominatorRegions.id, n.nominatorRegionId));
}

export async function findNomination(db: DbOrTx, id: number): Promise<NominationRow | undefined> {
  const [row] = await named(db).where(eq(n.id, id));
  return row;
}

/** A nomination's row, locked for a status change. */
export async function lockNomination(
  db: DbOrTx,
  id: number,
): Promise<NominationTableRow | undefined> {
  const [row] = await db.select().from(n).where(eq(n.id, id)).for('update');
  return row;
}

export interface NominationFilters {
  month?: string | undefined;
  status?: NominationTableRow['status'] | undefined;
  category?: NominationTableRow['category'] | undefined;
  regionId?: number | undefined;
  /** A district or street office: the nominees placed in its subtree. */
  within?: number | null;
  /** A nominator without the review permission: its own nominations. */
  nominatedBy?: number;
}

function conditions(q: NominationFilters): SQL[] {
  const conds: SQL[] = [];
  if (q.within) conds.push(sql`${n.regionId} in ${regionSubtree(q.within)}`);
  if (q.regionId) conds.push(sql`${n.regionId} in ${regionSubtree(q.regionId)}`);
  if (q.nominatedBy !== undefined) conds.push(eq(n.nominatedBy, q.nominatedBy));
  if (q.month) conds.push(eq(n.month, q.month));
  if (q.status) conds.push(eq(n.status, q.status));
  if (q.category) conds.push(eq(n.category, q.category));
  return conds;
}

/** One page, newest month first (limit + 1 rows: the extra one says "more"), and the total. */
export async function nominationPage(
  db: DbOrTx,
  q: NominationFilters & { limit: number; cursor?: string | undefined },
): Promise<{ total: number; rows: NominationRow[] }> {
  const filter = conditions(q);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(n)
    .where(filter.length ? and(...filter) : undefined);
  const after = afterCursor(n.month, n.id, 'desc', q.cursor);
  const conds = after ? [...filter, after] : filter;
  const rows = await named(db)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(n.month), desc(n.id))
    .limit(q.limit + 1);
  return { total: count!.n, rows };
}

export async function insertNomination(db: DbOrTx, v: NominationInsert): Promise<number> {
  const [row] = await db.insert(n).values(v).returning({ id: n.id });
  return row!.id;
}

/** Updates a nomination at `version` (to version + 1); false when the version is stale. */
export async function updateNomination(
  db: DbOrTx,
  id: number,
  version: number,
  set: Partial<NominationInsert>,
): Promise<boolean> {
  const rows = await db
    .update(n)
    .set({ ...set, version: sql`${n.version} + 1`, updatedAt: new Date() })
    .where(and(eq(n.id, id), eq(n.version, version)))
    .returning({ id: n.id });
  return rows.length > 0;
}

/** How many nominations use this photo already (a photo belongs to one nomination). */
export async function nominationsWithPhoto(db: DbOrTx, fileId: string): Promise<number[]> {
  const rows = await db.select({ id: n.id }).from(n).where(eq(n.photoFileId, fileId));
  return rows.map((r) => r.id);
}

// ----- votes -----

/** The votes of each nomination. */
export async function voteCounts(db: DbOrTx, ids: number[]): Promise<Map<number, number>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: goodPersonVotes.nominationId, n: sql<number>`count(*)::int` })
    .from(goodPersonVotes)
    .where(inArray(goodPersonVotes.nominationId, ids))
    .groupBy(goodPersonVotes.nominationId);
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** Records a vote; false when this voter already voted for the nominee that day. */
export async function insertVote(
  db: DbOrTx,
  v: { nominationId: number; voterKey: string; day: string },
): Promise<boolean> {
  const rows = await db
    .insert(goodPersonVotes)
    .values(v)
    .onConflictDoNothing()
    .returning({ id: goodPersonVotes.id });
  return rows.length > 0;
}

/** Votes in bulk (the demo's), 1,000 a statement; a repeated one is skipped. */
export async function insertVotes(
  db: DbOrTx,
  rows: { nominationId: number; voterKey: string; day: string }[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insert(goodPersonVotes)
      .values(rows.slice(i, i + 1000))
      .onConflictDoNothing();
  }
}

// ----- steps upward -----

export async function stepsOf(db: DbOrTx, ids: number[]): Promise<Map<number, StepRow[]>> {
  const out = new Map<number, StepRow[]>();
  if (!ids.length) return out;
  const rows = await db
    .select()
    .from(goodPersonSteps)
    .where(inArray(goodPersonSteps.nominationId, ids))
    .orderBy(asc(goodPersonSteps.on), asc(goodPersonSteps.id));
  for (const r of rows) out.set(r.nominationId, [...(out.get(r.nominationId) ?? []), r]);
  return out;
}

export async function insertStep(
  db: DbOrTx,
  v: typeof goodPersonSteps.$inferInsert,
): Promise<number> {
  const [row] = await db.insert(goodPersonSteps).values(v).returning({ id: goodPersonSteps.id });
  return row!.id;
}

// ----- months -----

export async function findMonth(db: DbOrTx, month: string): Promise<MonthRow | undefined> {
  const [row] = await db.select().from(goodPersonMonths).where(eq(goodPersonMonths.month, month));
  return row;
}

/** The month's record, locked (undefined: it has not moved yet). */
export async function lockMonth(db: DbOrTx, month: string): Promise<MonthRow | undefined> {
  const [row] = await db
    .select()
    .from(goodPersonMonths)
    .where(eq(goodPersonMonths.month, month))
    .for('update');
  return row;
}

export async function listMonths(db: DbOrTx): Promise<MonthRow[]> {
  return db.select().from(goodPersonMonths).orderBy(desc(goodPersonMonths.month));
}

/** Moves a month at `version` (0: its first move, which creates the record); false when stale. */
export async function moveMonth(
  db: DbOrTx,
  month: string,
  version: number,
  set: Partial<typeof goodPersonMonths.$inferInsert> & { state: MonthRow['state'] },
): Promise<boolean> {
  if (version === 0) {
    const rows = await db
      .insert(goodPersonMonths)
      .values({ month, ...set })
      .onConflictDoNothing()
      .returning({ month: goodPersonMonths.month });
    return rows.length > 0;
  }
  const rows = await db
    .update(goodPersonMonths)
    .set({ ...set, version: sql`${goodPersonMonths.version} + 1`, updatedAt: new Date() })
    .where(and(eq(goodPersonMonths.month, month), eq(goodPersonMonths.version, version)))
    .returning({ month: goodPersonMonths.month });
  return rows.length > 0;
}

/** The months whose vote is open (at most one, by the service's rule). */
export async function votingMonths(db: DbOrTx): Promise<string[]> {
  const rows = await db
    .select({ month: goodPersonMonths.month })
    .from(goodPersonMonths)
    .where(eq(goodPersonMonths.state, 'voting'))
    .orderBy(desc(goodPersonMonths.month));
  return rows.map((r) => r.month);
}

export async function publishedMonths(db: DbOrTx): Promise<string[]> {
  const rows = await db
    .select({ month: goodPersonMonths.month })
    .from(goodPersonMonths)
    .where(eq(goodPersonMonths.state, 'published'))
    .orderBy(desc(goodPersonMonths.month));
  return rows.map((r) => r.month);
}

/** A month's nominations of one status, by rank then id (the 好人榜, the shortlist). */
export async function nominationsOfMonth(
  db: DbOrTx,
  month: string,
  status: NominationTableRow['status'],
): Promise<NominationRow[]> {
  return named(db)
    .where(and(eq(n.month, month), eq(n.status, status)))
    .orderBy(sql`${n.rank} asc nulls last`, asc(n.id));
}

/** How many nominations of the month have each status. */
export async function monthCounts(db: DbOrTx, month: string) {
  return db
    .select({ status: n.status, n: sql<number>`count(*)::int` })
    .from(n)
    .where(eq(n.month, month))
    .groupBy(n.status);
}

/** The places a public nominee may have: the campaign's regions below the city. */
export async function publicRegions(db: DbOrTx) {
  return db
    .select({ id: regions.id, name: regions.name, level: regions.level })
    .from(regions)
    .where(sql`${regions.level} <> 'city'`)
    .orderBy(asc(regions.path), asc(regions.id));
}

export async function regionExists(db: DbOrTx, id: number): Promise<boolean> {
  const [r] = await db.select({ id: regions.id }).from(regions).where(eq(regions.id, id));
  return !!r;
}

/** The file of a nomination's photo. */
export async function photoFile(db: DbOrTx, fileId: string) {
  const [f] = await db.select().from(files).where(eq(files.id, fileId));
  return f;
}
