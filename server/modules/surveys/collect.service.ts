import type {
  TGuideAssignment,
  TPublicSurvey,
  TQuestion,
  TResponse,
  TResponseInput,
} from '../../../core/contracts/surveys.js';
import { Permission } from '../../../core/permissions.js';
import { isEligible } from '../../../core/survey/eligibility.js';
import { COLLECTION_MODE_LABELS, placeProblems } from '../../../core/survey/modes.js';
import { classifyAnswer, type TAnswerValue } from '../../../core/survey/questions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, SYSTEM_ACTOR, type Actor, actorHas } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { errors } from '../../platform/errors.js';
import { takeRateLimits } from '../../platform/rate-limit.js';
import { withTx } from '../../platform/tx.js';
import { householdKey } from '../outreach/outreach.service.js';
import * as repo from './collect.repo.js';
import { findSurvey, findSurveyId, publishedByGroup } from './design.repo.js';
import { requireSurveyRead } from './plan.service.js';
import { countAnswers } from './results.repo.js';
import {
  eligibilityOf,
  presentGuideAssignment,
  presentPublicSurvey,
  presentResponse,
} from './surveys.present.js';
import { surveyErrors } from './surveys.errors.js';

const HOUR = 3_600_000;
/** Self-completion: per address and per community link, per hour. */
export const SELF_LIMITS = { perIpHour: 30, perLinkHour: 300 };

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

/** The guide's open quotas with the questionnaire to fill in (what the phone caches offline). */
export async function guideAssignments(
  database: Database,
  actor: Actor,
): Promise<TGuideAssignment[]> {
  requirePermission(actor, Permission.SurveyCollect);
  const rows = await repo.openQuotasOfGuide(database.db, actor.id ?? -1);
  const counts = await repo.guideQuotaCounts(database.db, actor.id ?? -1);
  const out: TGuideAssignment[] = [];
  const published = new Map<number, Awaited<ReturnType<typeof publishedByGroup>>>();
  for (const r of rows) {
    if (!published.has(r.surveyId)) {
      published.set(r.surveyId, await publishedByGroup(database.db, r.surveyId));
    }
    const qn = published.get(r.surveyId)!.get(r.q.group);
    if (!qn) continue;
    const c = counts.find((x) => x.quota_id === r.q.id);
    out.push(presentGuideAssignment(r, c, qn));
  }
  return out;
}

async function findResponse(
  database: Database,
  filter: repo.ResponseFilter,
): Promise<TResponse | undefined> {
  const [r] = await repo.findResponses(database.db, filter);
  return r && presentResponse(r);
}

/**
 * What the quota's mode and the group's rule need of a response, listed (400): the mode named
 * matches the quota's, a household interview has its household code, a street interview its spot
 * or position, and the months of residence are given where the group has a residence rule.
 */
function checkResponse(
  ctx: repo.QuotaCtx,
  rule: ReturnType<typeof eligibilityOf>,
  input: Omit<TResponseInput, 'quotaId'>,
): void {
  const mode = ctx.quota.mode;
  const bad: { path: string; message: string }[] = [];
  if (input.mode && input.mode !== mode) {
    const l = COLLECTION_MODE_LABELS[mode];
    bad.push({
      path: 'mode',
      message: `该配额为${l.zh}调查 / this quota is for ${l.en.toLowerCase()} interviews`,
    });
  }
  for (const p of placeProblems(mode, input)) {
    bad.push({ path: p.path, message: `${p.message.zh} / ${p.message.en}` });
  }
  const months = input.respondent.residentMonths;
  if (rule.minResidentMonths !== null && (months === null || months === undefined)) {
    bad.push({
      path: 'respondent.residentMonths',
      message: '该人群须填写本地居住月数 / months of residence are asked of this group',
    });
  }
  if (bad.length) throw surveyErrors.badRespondent(bad);
}

/**
 * Stores one response, once: the same client id returns the stored response (the phone retried),
 * a household code already answered in the round is refused (409). Eligibility follows the rule of
 * the questionnaire's group. Stored responses never change.
 */
async function storeResponse(
  database: Database,
  actor: Actor,
  ctx: repo.QuotaCtx,
  input: Omit<TResponseInput, 'quotaId'>,
  channel: 'guide' | 'self',
  ip: string | null,
): Promise<{ response: TResponse; created: boolean }> {
  const guideId = channel === 'guide' ? actor.id : null;
  const again = async () => {
    const r = await findResponse(database, { clientId: input.clientId });
    if (!r) return undefined;
    if (r.guideId !== guideId || r.quotaId !== ctx.quota.id) throw surveyErrors.clientIdTaken();
    return { response: r, created: false };
  };
  const existing = await again();
  if (existing) return existing;
  if (ctx.round.status !== 'open') throw surveyErrors.roundClosed();
  const s = await findSurveyId(database.db, ctx.round.surveyId);
  const qn = (await publishedByGroup(database.db, s!.id)).get(ctx.quota.group);
  if (!qn) throw surveyErrors.noQuestionnaire(ctx.quota.group);
  const rule = eligibilityOf(qn);
  checkResponse(ctx, rule, input);
  const bad = checkAnswers(qn.questions, input.answers);
  if (bad.length) throw surveyErrors.badAnswers(bad);
  const mode = ctx.quota.mode;
  const household = mode === 'household' ? householdKey(input.householdCode!) : null;
  const spot = input.spot?.trim() || null;
  const residentMonths = input.respondent.residentMonths ?? null;
  const eligible = isEligible(rule, { age: input.respondent.age, residentMonths });
  try {
    const id = await withTx(database, async (tx) => {
      if (household !== null && (await repo.householdAnswered(tx, ctx.round.id, household))) {
        throw surveyErrors.householdTaken(household);
      }
      const id = await repo.insertResponse(tx, {
        clientId: input.clientId,
        roundId: ctx.round.id,
        quotaId: ctx.quota.id,
        questionnaireId: qn.id,
        channel,
        guideId,
        mode,
        householdCode: household,
        spot,
        age: input.respondent.age,
        residentMonths,
        eligible,
        answers: input.answers,
        startedAt: input.startedAt ? new Date(input.startedAt) : null,
        submittedAt: input.submittedAt ? new Date(input.submittedAt) : new Date(),
        lat: input.lat ?? null,
        lng: input.lng ?? null,
        ip,
      });
      if (eligible) {
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
        entityId: id,
        // The answers are the record; the audit notes who, where and which household or spot.
        after: {
          quotaId: ctx.quota.id,
          mode,
          householdCode: household,
          spot,
          clientId: input.clientId,
        },
      });
      return id;
    });
    const r = await findResponse(database, { id });
    return { response: r!, created: true };
  } catch (err) {
    // The same submission racing itself: the second finds the first.
    const dup = await again();
    if (dup) return dup;
    const unique = (err as { code?: string }).code === '23505' || /23505|unique/i.test(String(err));
    if (unique && household !== null) throw surveyErrors.householdTaken(household);
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
  const ctx = await repo.findQuotaCtx(database.db, { id: input.quotaId });
  if (!ctx) throw surveyErrors.notFound('quota', input.quotaId);
  if (!(await repo.isQuotaGuide(database.db, input.quotaId, actor.id))) {
    throw surveyErrors.notYourQuota();
  }
  return storeResponse(database, actor, ctx, input, 'guide', actor.ip);
}

/** The self-completion page of a community (public link or QR code). */
export async function publicSurvey(database: Database, token: string): Promise<TPublicSurvey> {
  const ctx = await repo.findQuotaCtx(database.db, { token });
  if (!ctx || ctx.round.status !== 'open') throw surveyErrors.notFound('questionnaire');
  const s = await findSurvey(database.db, ctx.round.surveyId);
  const qn = (await publishedByGroup(database.db, s!.id)).get(ctx.quota.group);
  if (!qn) throw surveyErrors.noQuestionnaire(ctx.quota.group);
  return presentPublicSurvey(s!.name, ctx.regionName, ctx.quota.mode, qn);
}

/** A self-completed response; each address and each community link is rate-limited first. */
export async function submitPublic(
  database: Database,
  token: string,
  input: Omit<TResponseInput, 'quotaId'>,
  ip: string,
): Promise<{ created: boolean }> {
  await takeRateLimits(database, [
    { key: `survey:ip:${ip}`, limit: SELF_LIMITS.perIpHour, windowMs: HOUR },
    { key: `survey:link:${token}`, limit: SELF_LIMITS.perLinkHour, windowMs: HOUR },
  ]);
  const ctx = await repo.findQuotaCtx(database.db, { token });
  if (!ctx) throw surveyErrors.notFound('questionnaire');
  const actor: Actor = { ...SYSTEM_ACTOR, name: '自填问卷', username: 'self-completion', ip };
  const { created } = await storeResponse(database, actor, ctx, input, 'self', ip);
  return { created };
}

/**
 * A guide sees only their own responses; the office and leaders see all — below the city, those
 * of the quotas in their subtree.
 */
function responseScope(actor: Actor): repo.ResponseFilter {
  if (actorHas(actor, Permission.SurveyRead)) {
    const within = requireSurveyRead(actor);
    return within === null ? {} : { within };
  }
  requirePermission(actor, Permission.SurveyCollect);
  return { guideId: actor.id ?? -1 };
}

/** Responses: a guide sees only their own; the office and leaders all (of their subtree). */
export async function listResponses(
  database: Database,
  actor: Actor,
  q: { roundId?: number | undefined; limit: number },
): Promise<TResponse[]> {
  const filter = responseScope(actor);
  if (q.roundId) filter.roundId = q.roundId;
  const rows = await repo.findResponses(database.db, filter, q.limit);
  return rows.map(presentResponse);
}

/** One response: a guide's own only; the office and leaders any of their subtree (else 404). */
export async function getResponse(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TResponse> {
  const r = await findResponse(database, { id, ...responseScope(actor) });
  if (!r) throw surveyErrors.notFound('response', id);
  return r;
}
