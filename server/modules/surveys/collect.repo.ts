import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../../db/client.js';
import { quotasWithin } from './plan.repo.js';
import {
  regions,
  surveyQuotaGuides,
  surveyQuotas,
  surveyResponses,
  surveyRounds,
  surveys,
} from '../../db/schema/index.js';

// Collection: the guides' quotas, the responses (stored once, never changed).

export type ResponseRow = typeof surveyResponses.$inferSelect;
export type ResponseValues = typeof surveyResponses.$inferInsert;
export type ResponseWithQuota = { r: ResponseRow; regionName: string; group: string };

/**
 * Which responses: by id or client id; `guideId` limits them to one guide's (their scope),
 * `within` to the quotas placed in a region's subtree (a district office's).
 */
export interface ResponseFilter {
  id?: number;
  clientId?: string;
  guideId?: number;
  roundId?: number;
  within?: number;
}

function responseWhere(f: ResponseFilter): SQL | undefined {
  const conds: SQL[] = [];
  if (f.id !== undefined) conds.push(eq(surveyResponses.id, f.id));
  if (f.clientId !== undefined) conds.push(eq(surveyResponses.clientId, f.clientId));
  if (f.guideId !== undefined) conds.push(eq(surveyResponses.guideId, f.guideId));
  if (f.roundId !== undefined) conds.push(eq(surveyResponses.roundId, f.roundId));
  if (f.within !== undefined) conds.push(quotasWithin(f.within, surveyResponses.quotaId));
  return conds.length ? and(...conds) : undefined;
}

/** Responses with their community and group, newest first. */
export async function findResponses(
  db: DbOrTx,
  filter: ResponseFilter,
  limit = 1,
): Promise<ResponseWithQuota[]> {
  return db
    .select({ r: surveyResponses, regionName: regions.name, group: surveyQuotas.group })
    .from(surveyResponses)
    .innerJoin(surveyQuotas, eq(surveyQuotas.id, surveyResponses.quotaId))
    .innerJoin(regions, eq(regions.id, surveyQuotas.regionId))
    .where(responseWhere(filter))
    .orderBy(desc(surveyResponses.submittedAt), desc(surveyResponses.id))
    .limit(limit);
}

/** A guide's quotas in open rounds with round, survey and region names: households first. */
export async function openQuotasOfGuide(db: DbOrTx, userId: number) {
  return db
    .select({
      q: surveyQuotas,
      roundName: surveyRounds.name,
      surveyId: surveys.id,
      surveyName: surveys.name,
      regionName: regions.name,
    })
    .from(surveyQuotaGuides)
    .innerJoin(surveyQuotas, eq(surveyQuotas.id, surveyQuotaGuides.quotaId))
    .innerJoin(surveyRounds, eq(surveyRounds.id, surveyQuotas.roundId))
    .innerJoin(surveys, eq(surveys.id, surveyRounds.surveyId))
    .innerJoin(regions, eq(regions.id, surveyQuotas.regionId))
    .where(and(eq(surveyQuotaGuides.userId, userId), eq(surveyRounds.status, 'open')))
    .orderBy(surveyQuotas.mode, regions.code, surveyQuotas.group);
}

/** Eligible responses per quota of a guide's quotas: all, and the guide's own. */
export async function guideQuotaCounts(db: DbOrTx, userId: number) {
  return execRows<{ quota_id: number; n: number; mine: number }>(
    db,
    sql`select r.quota_id, count(*)::int as n,
          (count(*) filter (where r.guide_id = ${userId}))::int as mine
        from survey_responses r join survey_quota_guides g on g.quota_id = r.quota_id
        where g.user_id = ${userId} and r.eligible group by r.quota_id`,
  );
}

export interface QuotaCtx {
  quota: typeof surveyQuotas.$inferSelect;
  round: typeof surveyRounds.$inferSelect;
  regionName: string;
}

/** A quota with its round and community, by id or by its public (self-completion) token. */
export async function findQuotaCtx(
  db: DbOrTx,
  by: { id: number } | { token: string },
): Promise<QuotaCtx | undefined> {
  const [row] = await db
    .select({ quota: surveyQuotas, round: surveyRounds, regionName: regions.name })
    .from(surveyQuotas)
    .innerJoin(surveyRounds, eq(surveyRounds.id, surveyQuotas.roundId))
    .innerJoin(regions, eq(regions.id, surveyQuotas.regionId))
    .where('id' in by ? eq(surveyQuotas.id, by.id) : eq(surveyQuotas.publicToken, by.token));
  return row;
}

export async function isQuotaGuide(db: DbOrTx, quotaId: number, userId: number): Promise<boolean> {
  const [assigned] = await db
    .select()
    .from(surveyQuotaGuides)
    .where(and(eq(surveyQuotaGuides.quotaId, quotaId), eq(surveyQuotaGuides.userId, userId)));
  return assigned !== undefined;
}

/** Whether the household has answered in the round. */
export async function householdAnswered(
  db: DbOrTx,
  roundId: number,
  householdCode: string,
): Promise<boolean> {
  const [taken] = await db
    .select({ id: surveyResponses.id })
    .from(surveyResponses)
    .where(
      and(eq(surveyResponses.roundId, roundId), eq(surveyResponses.householdCode, householdCode)),
    );
  return taken !== undefined;
}

export async function insertResponse(db: DbOrTx, values: ResponseValues): Promise<number> {
  const [row] = await db
    .insert(surveyResponses)
    .values(values)
    .returning({ id: surveyResponses.id });
  return row!.id;
}
