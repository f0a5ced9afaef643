import { and, asc, desc, eq, inArray, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { TQuotaUpdate, TRound } from '../../../core/contracts/surveys.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { regionSubtree } from '../org/regions.repo.js';
import {
  campaigns,
  regions,
  surveyQuotaGuides,
  surveyQuotas,
  surveyRounds,
  surveys,
  users,
} from '../../db/schema/index.js';

// The sampling plan: rounds, quotas per community and group, the guides assigned to them.

export type RoundRow = typeof surveyRounds.$inferSelect;
export type RoundValues = typeof surveyRounds.$inferInsert;
export type QuotaRow = typeof surveyQuotas.$inferSelect;
export type QuotaValues = typeof surveyQuotas.$inferInsert;
type CampaignFloor = (typeof campaigns.$inferSelect)['surveyFloor'];

export async function findRound(db: DbOrTx, id: number): Promise<RoundRow | undefined> {
  const [r] = await db.select().from(surveyRounds).where(eq(surveyRounds.id, id));
  return r;
}

/** The survey floor of the survey's campaign; undefined when the survey has no campaign. */
export async function campaignFloorOfSurvey(
  db: DbOrTx,
  surveyId: number,
): Promise<CampaignFloor | undefined> {
  const [row] = await db
    .select({ floor: campaigns.surveyFloor })
    .from(surveys)
    .innerJoin(campaigns, eq(campaigns.id, surveys.campaignId))
    .where(eq(surveys.id, surveyId));
  return row?.floor;
}

/** A survey's rounds, newest first. */
export async function roundsNewestFirst(db: DbOrTx, surveyId: number): Promise<RoundRow[]> {
  return db
    .select()
    .from(surveyRounds)
    .where(eq(surveyRounds.surveyId, surveyId))
    .orderBy(desc(surveyRounds.startsOn), desc(surveyRounds.id));
}

/** A survey's rounds, oldest first (the trend). */
export async function roundsOldestFirst(db: DbOrTx, surveyId: number): Promise<RoundRow[]> {
  return db
    .select()
    .from(surveyRounds)
    .where(eq(surveyRounds.surveyId, surveyId))
    .orderBy(asc(surveyRounds.startsOn), asc(surveyRounds.id));
}

export async function findRoundByName(
  db: DbOrTx,
  surveyId: number,
  name: string,
): Promise<RoundRow | undefined> {
  const [dup] = await db
    .select()
    .from(surveyRounds)
    .where(and(eq(surveyRounds.surveyId, surveyId), eq(surveyRounds.name, name)));
  return dup;
}

export async function insertRound(db: DbOrTx, values: RoundValues): Promise<RoundRow> {
  const [row] = await db.insert(surveyRounds).values(values).returning();
  return row!;
}

/** Updates a round at the given version; undefined when the version is stale. */
export async function updateRoundRow(
  db: DbOrTx,
  id: number,
  version: number,
  fields: Partial<Omit<TRound, 'id' | 'surveyId' | 'version'>>,
): Promise<RoundRow | undefined> {
  const [row] = await db
    .update(surveyRounds)
    .set({ ...fields, version: sql`${surveyRounds.version} + 1` })
    .where(and(eq(surveyRounds.id, id), eq(surveyRounds.version, version)))
    .returning();
  return row;
}

/** The level of each region named (missing ones are absent). */
export async function regionLevels(db: DbOrTx, ids: number[]) {
  return db
    .select({ id: regions.id, level: regions.level })
    .from(regions)
    .where(inArray(regions.id, ids));
}

/** Inserts quotas; one that already exists (region, group and mode) is skipped. */
export async function insertQuotas(db: DbOrTx, values: QuotaValues[]) {
  return db
    .insert(surveyQuotas)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: surveyQuotas.id, regionId: surveyQuotas.regionId });
}

export async function findQuota(db: DbOrTx, id: number): Promise<QuotaRow | undefined> {
  const [q] = await db.select().from(surveyQuotas).where(eq(surveyQuotas.id, id));
  return q;
}

/** Roles and state of the users named (for checking they are active guides). */
export async function usersRoles(db: DbOrTx, ids: number[]) {
  return db
    .select({ id: users.id, roles: users.roles, active: users.active })
    .from(users)
    .where(inArray(users.id, ids));
}

/** Bumps a quota's version if it is the given one; false when stale. */
export async function bumpQuotaVersion(db: DbOrTx, id: number, version: number): Promise<boolean> {
  const [bumped] = await db
    .update(surveyQuotas)
    .set({ version: sql`${surveyQuotas.version} + 1` })
    .where(and(eq(surveyQuotas.id, id), eq(surveyQuotas.version, version)))
    .returning({ id: surveyQuotas.id });
  return bumped !== undefined;
}

export async function quotaGuideIds(db: DbOrTx, quotaId: number): Promise<number[]> {
  const rows = await db
    .select({ userId: surveyQuotaGuides.userId })
    .from(surveyQuotaGuides)
    .where(eq(surveyQuotaGuides.quotaId, quotaId));
  return rows.map((r) => r.userId);
}

/** Replaces a quota's guides. */
export async function replaceQuotaGuides(
  db: DbOrTx,
  quotaId: number,
  userIds: number[],
): Promise<void> {
  await db.delete(surveyQuotaGuides).where(eq(surveyQuotaGuides.quotaId, quotaId));
  if (userIds.length) {
    await db.insert(surveyQuotaGuides).values(userIds.map((userId) => ({ quotaId, userId })));
  }
}

/** Updates a quota at the given version; undefined when the version is stale. */
export async function updateQuotaRow(
  db: DbOrTx,
  id: number,
  version: number,
  fields: Omit<TQuotaUpdate, 'version'>,
): Promise<QuotaRow | undefined> {
  const [row] = await db
    .update(surveyQuotas)
    .set({ ...fields, version: sql`${surveyQuotas.version} + 1` })
    .where(and(eq(surveyQuotas.id, id), eq(surveyQuotas.version, version)))
    .returning();
  return row;
}

/**
 * Quotas placed in the region's subtree (a district office's part of a round); with null, every
 * quota. Responses and tallies are a quota's, so this one condition confines them too.
 */
export function quotasWithin(within: number | null, quotaId: SQL | AnyColumn = surveyQuotas.id) {
  return within === null
    ? sql`true`
    : sql`${quotaId} in (select sq.id from survey_quotas sq
          where sq.region_id in ${regionSubtree(within)})`;
}

/**
 * A round's quotas with their region's name: households first, by region code and group; with
 * `within`, only those placed in that region's subtree.
 */
export async function quotaRowsOfRound(db: DbOrTx, roundId: number, within: number | null = null) {
  return db
    .select({ q: surveyQuotas, regionName: regions.name })
    .from(surveyQuotas)
    .innerJoin(regions, eq(regions.id, surveyQuotas.regionId))
    .where(
      and(
        eq(surveyQuotas.roundId, roundId),
        within === null ? undefined : sql`${surveyQuotas.regionId} in ${regionSubtree(within)}`,
      ),
    )
    .orderBy(asc(surveyQuotas.mode), asc(regions.code), asc(surveyQuotas.group));
}
export type QuotaWithRegion = Awaited<ReturnType<typeof quotaRowsOfRound>>[number];

export interface DoneRow {
  quota_id: number;
  guide_id: number | null;
  n: number;
}

/** Eligible responses of a round per quota and guide (of the quotas `within` a region). */
export async function eligibleDoneOfRound(
  db: DbOrTx,
  roundId: number,
  within: number | null = null,
): Promise<DoneRow[]> {
  return execRows<DoneRow>(
    db,
    sql`select quota_id, guide_id, count(*)::int as n from survey_responses
        where round_id = ${roundId} and eligible and ${quotasWithin(within, sql`quota_id`)}
        group by quota_id, guide_id`,
  );
}

/** The guides of a round's quotas (of the quotas `within` a region), by name. */
export async function quotaGuidesOfRound(
  db: DbOrTx,
  roundId: number,
  within: number | null = null,
) {
  return db
    .select({ quotaId: surveyQuotaGuides.quotaId, id: users.id, name: users.name })
    .from(surveyQuotaGuides)
    .innerJoin(surveyQuotas, eq(surveyQuotas.id, surveyQuotaGuides.quotaId))
    .innerJoin(users, eq(users.id, surveyQuotaGuides.userId))
    .where(and(eq(surveyQuotas.roundId, roundId), quotasWithin(within)))
    .orderBy(asc(users.name));
}
export type QuotaGuideRow = Awaited<ReturnType<typeof quotaGuidesOfRound>>[number];

/**
 * Active survey guides (调查员), by name; with `within`, those placed in that region's subtree
 * (their region, or without one their unit's — as jurisdiction's requireUsersWithin counts).
 */
export async function activeGuides(db: DbOrTx, within: number | null = null) {
  return db
    .select({ id: users.id, name: users.name, username: users.username })
    .from(users)
    .where(
      and(
        eq(users.active, true),
        sql`'surveyor' = any(${users.roles})`,
        within === null
          ? undefined
          : sql`coalesce(${users.regionId}, (select un.region_id from units un
                where un.id = ${users.unitId})) in ${regionSubtree(within)}`,
      ),
    )
    .orderBy(asc(users.name));
}
