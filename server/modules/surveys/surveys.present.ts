import type {
  TEligibility,
  TGuideAssignment,
  TPublicSurvey,
  TQuestionnaire,
  TQuestionnaireFile,
  TQuota,
  TQuotaBoard,
  TResponse,
  TRound,
  TSurvey,
  TSuspiciousRow,
} from '../../../core/contracts/surveys.js';
import { COLLECTION_MODES } from '../../../core/survey/modes.js';
import type { ResponseWithQuota } from './collect.repo.js';
import type { QuestionnaireRow, SurveyRow } from './design.repo.js';
import type { DoneRow, QuotaGuideRow, QuotaWithRegion, RoundRow } from './plan.repo.js';
import type { SuspectRow } from './results.repo.js';

/** The respondent rule of a questionnaire row. */
export function eligibilityOf(
  r: Pick<QuestionnaireRow, 'minAge' | 'maxAge' | 'minResidentMonths'>,
): TEligibility {
  return { minAge: r.minAge, maxAge: r.maxAge, minResidentMonths: r.minResidentMonths };
}

/** A questionnaire row as the API shows it. */
export function presentQuestionnaire(r: QuestionnaireRow): TQuestionnaire {
  return {
    id: r.id,
    surveyId: r.surveyId,
    group: r.group,
    groupLabel: r.groupLabel,
    number: r.number,
    status: r.status,
    title: r.title,
    intro: r.intro,
    questions: r.questions,
    eligibility: eligibilityOf(r),
    publishedAt: r.publishedAt?.toISOString() ?? null,
    version: r.version,
  };
}

/** Surveys, each with its questionnaires (every group and version). */
export function presentSurveys(rows: SurveyRow[], qs: QuestionnaireRow[]): TSurvey[] {
  return rows.map((s) => ({
    id: s.id,
    name: s.name,
    campaignId: s.campaignId,
    questionnaires: qs.filter((q) => q.surveyId === s.id).map(presentQuestionnaire),
  }));
}

/** The questionnaire as its JSON file. */
export function presentQuestionnaireFile(q: QuestionnaireRow): TQuestionnaireFile {
  return {
    format: 'chuangcheng.questionnaire/1',
    group: q.group,
    groupLabel: q.groupLabel,
    title: q.title,
    intro: q.intro,
    questions: q.questions,
    eligibility: eligibilityOf(q),
  };
}

export function presentRound(r: RoundRow): TRound {
  return {
    id: r.id,
    surveyId: r.surveyId,
    name: r.name,
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    status: r.status,
    dontKnowValid: r.dontKnowValid,
    floorPercent: r.floorPercent,
    minGuidesPerCommunity: r.minGuidesPerCommunity,
    version: r.version,
  };
}

/** Quotas with progress (eligible responses) overall and per guide. */
export function presentQuotas(
  rows: QuotaWithRegion[],
  done: DoneRow[],
  guides: QuotaGuideRow[],
): TQuota[] {
  return rows.map(({ q, regionName }) => ({
    id: q.id,
    roundId: q.roundId,
    regionId: q.regionId,
    regionName,
    group: q.group,
    mode: q.mode,
    target: q.target,
    population: q.population,
    centerLat: q.centerLat,
    centerLng: q.centerLng,
    radiusM: q.radiusM,
    publicToken: q.publicToken,
    done: done.filter((d) => d.quota_id === q.id).reduce((n, d) => n + d.n, 0),
    guides: guides
      .filter((g) => g.quotaId === q.id)
      .map((g) => ({
        id: g.id,
        name: g.name,
        done: done.find((d) => d.quota_id === q.id && d.guide_id === g.id)?.n ?? 0,
      })),
    version: q.version,
  }));
}

/**
 * 配额看板: quotas with progress, overall and per collection mode, and the guide roster per
 * community (of its household quotas) against its minimum.
 */
export function presentQuotaBoard(round: RoundRow, quotas: TQuota[]): TQuotaBoard {
  const byRegion = new Map<number, { name: string; guides: Set<number> }>();
  for (const q of quotas) {
    if (q.mode !== 'household') continue;
    const r = byRegion.get(q.regionId) ?? { name: q.regionName, guides: new Set<number>() };
    for (const g of q.guides) r.guides.add(g.id);
    byRegion.set(q.regionId, r);
  }
  const min = round.minGuidesPerCommunity;
  return {
    round: presentRound(round),
    quotas,
    roster: [...byRegion.entries()].map(([regionId, r]) => ({
      regionId,
      regionName: r.name,
      guides: r.guides.size,
      minimum: min,
      shortfall: Math.max(0, min - r.guides.size),
    })),
    target: quotas.reduce((n, q) => n + q.target, 0),
    done: quotas.reduce((n, q) => n + Math.min(q.done, q.target), 0),
    byMode: COLLECTION_MODES.flatMap((mode) => {
      const qs = quotas.filter((q) => q.mode === mode);
      return qs.length
        ? [
            {
              mode,
              target: qs.reduce((n, q) => n + q.target, 0),
              done: qs.reduce((n, q) => n + Math.min(q.done, q.target), 0),
            },
          ]
        : [];
    }),
  };
}

export function presentResponse({ r, regionName, group }: ResponseWithQuota): TResponse {
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
    mode: r.mode,
    householdCode: r.householdCode,
    spot: r.spot,
    age: r.age,
    residentMonths: r.residentMonths,
    eligible: r.eligible,
    answers: r.answers,
    submittedAt: r.submittedAt.toISOString(),
    lat: r.lat,
    lng: r.lng,
  };
}

/** One open quota of a guide with its progress and the questionnaire to fill in. */
export function presentGuideAssignment(
  r: {
    q: { id: number; roundId: number; group: string; mode: TQuota['mode']; target: number };
    roundName: string;
    surveyName: string;
    regionName: string;
  },
  counts: { n: number; mine: number } | undefined,
  questionnaire: QuestionnaireRow,
): TGuideAssignment {
  return {
    quotaId: r.q.id,
    roundId: r.q.roundId,
    roundName: r.roundName,
    surveyName: r.surveyName,
    regionName: r.regionName,
    group: r.q.group,
    mode: r.q.mode,
    target: r.q.target,
    done: counts?.n ?? 0,
    mine: counts?.mine ?? 0,
    questionnaire: presentQuestionnaire(questionnaire),
  };
}

/** The self-completion page: the survey, the community and the questions, nothing else. */
export function presentPublicSurvey(
  surveyName: string,
  regionName: string,
  mode: TPublicSurvey['mode'],
  qn: QuestionnaireRow,
): TPublicSurvey {
  return {
    surveyName,
    regionName,
    mode,
    eligibility: eligibilityOf(qn),
    title: qn.title,
    intro: qn.intro,
    questions: qn.questions,
  };
}

/** The flagged responses, oldest first. */
export function presentSuspicious(
  rows: SuspectRow[],
  flags: Map<number, TSuspiciousRow['flags']>,
): TSuspiciousRow[] {
  return rows
    .filter((r) => flags.has(r.id))
    .map((r) => ({
      responseId: r.id,
      guideId: r.guide_id,
      guideName: r.guide_name,
      regionName: r.region_name,
      mode: r.mode,
      householdCode: r.household_code,
      spot: r.spot,
      submittedAt: new Date(r.submitted_at).toISOString(),
      flags: flags.get(r.id)!,
    }))
    .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));
}
