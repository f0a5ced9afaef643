import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type {
  TGuideAssignment,
  TPublicSurvey,
  TQuestion,
  TResponse,
  TResponseInput,
} from '../../../core/contracts/surveys.js';
import { Permission, hasPermission } from '../../../core/permissions.js';
import { classifyAnswer, type TAnswerValue } from '../../../core/survey/questions.js';
import { execRows, type Database, type DbOrTx } from '../../db/client.js';
import {
  regions,
  surveyQuotaGuides,
  surveyQuotas,
  surveyResponses,
  surveyRounds,
  surveys,
} from '../../db/schema/index.js';
import { requirePermission, SYSTEM_ACTOR, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { householdKey } from '../outreach/outreach.service.js';
import { presentQuestionnaire, publishedByGroup } from './design.service.js';
import { countAnswers } from './results.service.js';
import { surveyErrors } from './surveys.errors.js';

/** 本地居住半年以上、18–65 周岁: who counts. */
export function isEligible(age: number, residentMonths: number): boolean {
  return age >= 18 && age <= 65 && residentMonths >= 6;
}

/** Every non-text question answered with one of its options; no answers to unknown questions. */
export function checkAnswers(
  questions: TQuestion[],
  answers: Record<string, TAnswerValue>,
): { path: string; message: string }[] {
  const bad: { path: string; message: string }[] = [];
  const ids = new Set(questions.map((q) => q.id));
  for (const k of Object.keys(answers)) {
    if (!ids.has(k)) bad.push({ path: `answers.${k}`, message: '没有这道题 / no such question' });
  }
  for (const q of questions) {
    const v = answers[q.id];
    if (q.kind === 'text') {
      if (v !== undefined && typeof v !== 'string') {
        bad.push({ path: `answers.${q.id}`, message: '应为文字 / expected text' });
      }
      continue;
    }
    // Classify with the question as its own "favourable": anything but missing is a real option.
    if (classifyAnswer({ ...q, dimension: q.dimension ?? 'awareness' }, v) === 'missing') {
      bad.push({
        path: `answers.${q.id}`,
        message: v === undefined ? '未作答 / not answered' : '不是该题的选项 / not an option',
      });
    }
  }
  return bad;
}

type ResponseRow = typeof surveyResponses.$inferSelect;

function present(r: ResponseRow, regionName: string, group: string): TResponse {
  return {
    id: r.id,
    clientId: r.clientId,
    roundId: r.roundId,
    quotaId: r.quotaId,
    questionnaireId: r.questionnaireId,
    regionName,
    group,
    channel: r.channel,
    guideId: r.guideId,
    householdCode: r.householdCode,
    age: r.age,
    residentMonths: r.residentMonths,
    eligible: r.eligible,
    answers: r.answers,
    submittedAt: r.submittedAt.toISOString(),
    lat: r.lat,
    lng: r.lng,
  };
}

async function findResponses(db: DbOrTx, where: SQL | undefined, limit = 1): Promise<TResponse[]> {
  const rows = await db
    .select({ r: surveyResponses, regionName: regions.name, group: surveyQuotas.group })
    .from(surveyResponses)
    .innerJoin(surveyQuotas, eq(surveyQuotas.id, surveyResponses.quotaId))
    .innerJoin(regions, eq(regions.id, surveyQuotas.regionId))
    .where(where)
    .orderBy(desc(surveyResponses.submittedAt), desc(surveyResponses.id))
    .limit(limit);
  return rows.map((x) => present(x.r, x.regionName, x.group));
}

/** The guide's open quotas with the questionnaire to fill in (what the phone caches offline). */
export async function guideAssignments(
  database: Database,
  actor: Actor,
): Promise<TGuideAssignment[]> {
  requirePermission(actor, Permission.SurveyCollect);
  const rows = await database.db
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
    .where(and(eq(surveyQuotaGuides.userId, actor.id ?? -1), eq(surveyRounds.status, 'open')))
    .orderBy(regions.code);
  const counts = await execRows<{ quota_id: number; n: number; mine: number }>(
    database.db,
    sql`select r.quota_id, count(*)::int as n,
          (count(*) filter (where r.guide_id = ${actor.id ?? -1}))::int as mine
        from survey_responses r join survey_quota_guides g on g.quota_id = r.quota_id
        where g.user_id = ${actor.id ?? -1} and r.eligible group by r.quota_id`,
  );
  const out: TGuideAssignment[] = [];
  const published = new Map<number, Awaited<ReturnType<typeof publishedByGroup>>>();
  for (const r of rows) {
    if (!published.has(r.surveyId)) {
      published.set(r.surveyId, await publishedByGroup(database.db, r.surveyId));
    }
    const qn = published.get(r.surveyId)!.get(r.q.group);
    if (!qn) continue;
    const c = counts.find((x) => x.quota_id === r.q.id);
    out.push({
      quotaId: r.q.id,
      roundId: r.q.roundId,
      roundName: r.roundName,
      surveyName: r.surveyName,
      regionName: r.regionName,
      group: r.q.group,
      target: r.q.target,
      done: c?.n ?? 0,
      mine: c?.mine ?? 0,
      questionnaire: presentQuestionnaire(qn),
    });
  }
  return out;
}

interface QuotaCtx {
  quota: typeof surveyQuotas.$inferSelect;
  round: typeof surveyRounds.$inferSelect;
  regionName: string;
}

async function quotaCtx(db: DbOrTx, where: SQL): Promise<QuotaCtx | undefined> {
  const [row] = await db
    .select({ quota: surveyQuotas, round: surveyRounds, regionName: regions.name })
    .from(surveyQuotas)
    .innerJoin(surveyRounds, eq(surveyRounds.id, surveyQuotas.roundId))
    .innerJoin(regions, eq(regions.id, surveyQuotas.regionId))
    .where(where);
  return row;
}

/**
 * Stores one response, once: the same client id returns the stored response (the phone retried),
 * a household code already answered in the round is refused (409). Stored responses never change.
 */
async function storeResponse(
  database: Database,
  actor: Actor,
  ctx: QuotaCtx,
  input: Omit<TResponseInput, 'quotaId'>,
  channel: 'guide' | 'self',
  ip: string | null,
): Promise<{ response: TResponse; created: boolean }> {
  const guideId = channel === 'guide' ? actor.id : null;
  const again = async () => {
    const [r] = await findResponses(database.db, eq(surveyResponses.clientId, input.clientId));
    if (!r) return undefined;
    if (r.guideId !== guideId || r.quotaId !== ctx.quota.id) throw surveyErrors.clientIdTaken();
    return { response: r, created: false };
  };
  const existing = await again();
  if (existing) return existing;
  if (ctx.round.status !== 'open') throw surveyErrors.roundClosed();
  const [s] = await database.db
    .select({ id: surveys.id })
    .from(surveys)
    .where(eq(surveys.id, ctx.round.surveyId));
  const qn = (await publishedByGroup(database.db, s!.id)).get(ctx.quota.group);
  if (!qn) throw surveyErrors.noQuestionnaire(ctx.quota.group);
  const bad = checkAnswers(qn.questions, input.answers);
  if (bad.length) throw surveyErrors.badAnswers(bad);
  const household = householdKey(input.householdCode);
  try {
    const id = await withTx(database, async (tx) => {
      const [taken] = await tx
        .select({ id: surveyResponses.id })
        .from(surveyResponses)
        .where(
          and(
            eq(surveyResponses.roundId, ctx.round.id),
            eq(surveyResponses.householdCode, household),
          ),
        );
      if (taken) throw surveyErrors.householdTaken(household);
      const [row] = await tx
        .insert(surveyResponses)
        .values({
          clientId: input.clientId,
          roundId: ctx.round.id,
          quotaId: ctx.quota.id,
          questionnaireId: qn.id,
          channel,
          guideId,
          householdCode: household,
          age: input.respondent.age,
          residentMonths: input.respondent.residentMonths,
          eligible: isEligible(input.respondent.age, input.respondent.residentMonths),
          answers: input.answers,
          startedAt: input.startedAt ? new Date(input.startedAt) : null,
          submittedAt: input.submittedAt ? new Date(input.submittedAt) : new Date(),
          lat: input.lat ?? null,
          lng: input.lng ?? null,
          ip,
        })
        .returning({ id: surveyResponses.id });
      if (isEligible(input.respondent.age, input.respondent.residentMonths)) {
        await countAnswers(tx, {
          roundId: ctx.round.id,
          quotaId: ctx.quota.id,
          questionnaireId: qn.id,
          answers: input.answers,
        });
      }
      await writeAudit(tx, actor, {
        action: channel === 'guide' ? 'survey.response.submit' : 'survey.response.self',
        entityType: 'survey_response',
        entityId: row!.id,
        // The answers are the record; the audit notes who, where and which household.
        after: { quotaId: ctx.quota.id, householdCode: household, clientId: input.clientId },
      });
      return row!.id;
    });
    const [r] = await findResponses(database.db, eq(surveyResponses.id, id));
    return { response: r!, created: true };
  } catch (err) {
    // The same submission racing itself: the second finds the first.
    const dup = await again();
    if (dup) return dup;
    if ((err as { code?: string }).code === '23505' || /23505|unique/i.test(String(err))) {
      throw surveyErrors.householdTaken(household);
    }
    throw err;
  }
}

/** A guide's response, for a quota assigned to them. */
export async function submitResponse(
  database: Database,
  actor: Actor,
  input: TResponseInput,
): Promise<{ response: TResponse; created: boolean }> {
  requirePermission(actor, Permission.SurveyCollect);
  if (actor.id === null) throw errors.unauthenticated();
  const ctx = await quotaCtx(database.db, eq(surveyQuotas.id, input.quotaId));
  if (!ctx) throw surveyErrors.notFound('quota', input.quotaId);
  const [assigned] = await database.db
    .select()
    .from(surveyQuotaGuides)
    .where(
      and(eq(surveyQuotaGuides.quotaId, input.quotaId), eq(surveyQuotaGuides.userId, actor.id)),
    );
  if (!assigned) throw surveyErrors.notYourQuota();
  return storeResponse(database, actor, ctx, input, 'guide', actor.ip);
}

/** The self-completion page of a community (public link or QR code). */
export async function publicSurvey(database: Database, token: string): Promise<TPublicSurvey> {
  const ctx = await quotaCtx(database.db, eq(surveyQuotas.publicToken, token));
  if (!ctx || ctx.round.status !== 'open') throw surveyErrors.notFound('questionnaire');
  const [s] = await database.db.select().from(surveys).where(eq(surveys.id, ctx.round.surveyId));
  const qn = (await publishedByGroup(database.db, s!.id)).get(ctx.quota.group);
  if (!qn) throw surveyErrors.noQuestionnaire(ctx.quota.group);
  return {
    surveyName: s!.name,
    regionName: ctx.regionName,
    title: qn.title,
    intro: qn.intro,
    questions: qn.questions,
  };
}

export async function submitPublic(
  database: Database,
  token: string,
  input: Omit<TResponseInput, 'quotaId'>,
  ip: string | null,
): Promise<{ created: boolean }> {
  const ctx = await quotaCtx(database.db, eq(surveyQuotas.publicToken, token));
  if (!ctx) throw surveyErrors.notFound('questionnaire');
  const actor: Actor = { ...SYSTEM_ACTOR, name: '自填问卷', username: 'self-completion', ip };
  const { created } = await storeResponse(database, actor, ctx, input, 'self', ip);
  return { created };
}

/** Responses: a guide sees only their own; the office and leaders see all. */
export async function listResponses(
  database: Database,
  actor: Actor,
  q: { roundId?: number | undefined; limit: number },
): Promise<TResponse[]> {
  const conds: SQL[] = [];
  if (!hasPermission(actor.roles, Permission.SurveyRead)) {
    requirePermission(actor, Permission.SurveyCollect);
    conds.push(eq(surveyResponses.guideId, actor.id ?? -1));
  }
  if (q.roundId) conds.push(eq(surveyResponses.roundId, q.roundId));
  return findResponses(database.db, conds.length ? and(...conds) : undefined, q.limit);
}

export async function getResponse(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TResponse> {
  const [r] = await listResponsesWhere(database, actor, eq(surveyResponses.id, id));
  if (!r) throw surveyErrors.notFound('response', id);
  return r;
}

async function listResponsesWhere(database: Database, actor: Actor, where: SQL) {
  if (hasPermission(actor.roles, Permission.SurveyRead)) {
    return findResponses(database.db, where);
  }
  requirePermission(actor, Permission.SurveyCollect);
  return findResponses(database.db, and(where, eq(surveyResponses.guideId, actor.id ?? -1)));
}
