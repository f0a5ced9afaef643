import { zPatchOf } from './common.js';
import { DEFAULT_ELIGIBILITY } from '../survey/eligibility.js';
import { COLLECTION_MODES } from '../survey/modes.js';
import { DIMENSIONS, QUESTION_KINDS, questionProblems } from '../survey/questions.js';
import { z } from './zod-setup.js';

/** Respondent groups: A residents, B units, C teachers … (the letter is the questionnaire's version). */
export const ZGroupSchema = z
  .string()
  .trim()
  .regex(/^[A-Z]$/, { message: '人群代码应为一个大写字母 / the group is one capital letter' });

export const ZQuestionSchema = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,20}$/, { message: '题号只能用字母数字 / use letters and digits' }),
  kind: z.enum(QUESTION_KINDS),
  text: z.string().trim().min(1).max(300),
  options: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
  scale: z.number().int().min(3).max(10).optional(),
  dimension: z.enum(DIMENSIONS).nullable().default(null),
  favourable: z.array(z.string().trim().min(1)).max(20).default([]),
  dontKnow: z.array(z.string().trim().min(1)).max(20).default([]),
  /** Keys of framework standards (method 问卷调查) this question measures. */
  standardKeys: z.array(z.string().min(1).max(80)).max(20).default([]),
});
export type TQuestion = z.infer<typeof ZQuestionSchema>;

export const ZQuestionListSchema = z
  .array(ZQuestionSchema)
  .min(1)
  .max(100)
  .superRefine((qs, ctx) => {
    const seen = new Set<string>();
    qs.forEach((q, i) => {
      if (seen.has(q.id)) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'id'],
          message: `题号 ${q.id} 重复 / question id ${q.id} repeats`,
        });
      }
      seen.add(q.id);
      for (const p of questionProblems(q)) {
        ctx.addIssue({ code: 'custom', path: [i], message: `${p.zh} / ${p.en}` });
      }
    });
  });

/**
 * 调查对象条件 of a respondent group: its age range and, where it applies, the months of local
 * residence at least (null: residence is not asked, e.g. pupils of the minors' test).
 */
export const ZEligibilitySchema = z.object({
  minAge: z.number().int().min(0).max(120),
  maxAge: z.number().int().min(0).max(120),
  minResidentMonths: z.number().int().min(0).max(1200).nullable(),
});
export type TEligibility = z.infer<typeof ZEligibilitySchema>;

/** 入户 (household, by household code) or 街访 (street interview, by spot or position). */
export const ZCollectionModeSchema = z.enum(COLLECTION_MODES);

export const ZSurveyInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  campaignId: z.number().int().positive().nullable().optional(),
});

export const ZQuestionnaireInputSchema = z.object({
  group: ZGroupSchema,
  groupLabel: z.string().trim().min(1).max(40),
  title: z.string().trim().min(1).max(200),
  intro: z.string().trim().max(2000).default(''),
  questions: ZQuestionListSchema,
  /** Who counts; when not given, the residents' rule (18–65, resident ≥ 6 months; BRIEF §3). */
  eligibility: ZEligibilitySchema.default(DEFAULT_ELIGIBILITY),
});
export type TQuestionnaireInput = z.infer<typeof ZQuestionnaireInputSchema>;

export const ZQuestionnaireUpdateSchema = ZQuestionnaireInputSchema.omit({ group: true }).extend({
  /** Not given: the draft keeps its rule. */
  eligibility: ZEligibilitySchema.optional(),
  version: z.number().int().positive(),
});
export type TQuestionnaireUpdate = z.infer<typeof ZQuestionnaireUpdateSchema>;

export const QUESTIONNAIRE_STATUSES = ['draft', 'published', 'superseded'] as const;

export const ZQuestionnaireSchema = z.object({
  id: z.number().int(),
  surveyId: z.number().int(),
  group: z.string(),
  groupLabel: z.string(),
  number: z.number().int(),
  status: z.enum(QUESTIONNAIRE_STATUSES),
  title: z.string(),
  intro: z.string(),
  questions: z.array(ZQuestionSchema),
  eligibility: ZEligibilitySchema,
  publishedAt: z.string().nullable(),
  version: z.number().int(),
});
export type TQuestionnaire = z.infer<typeof ZQuestionnaireSchema>;

export const ZSurveySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  campaignId: z.number().int().nullable(),
  questionnaires: z.array(ZQuestionnaireSchema),
});
export type TSurvey = z.infer<typeof ZSurveySchema>;
export const ZSurveysSchema = z.array(ZSurveySchema);

/** The JSON file of one questionnaire (export and import). */
export const ZQuestionnaireFileSchema = z.object({
  format: z.literal('chuangcheng.questionnaire/1'),
  group: ZGroupSchema,
  groupLabel: z.string().trim().min(1).max(40),
  title: z.string().trim().min(1).max(200),
  intro: z.string().max(2000).default(''),
  questions: ZQuestionListSchema,
  /** Files written before rules per group had none: the residents' rule. */
  eligibility: ZEligibilitySchema.default(DEFAULT_ELIGIBILITY),
});
export type TQuestionnaireFile = z.infer<typeof ZQuestionnaireFileSchema>;

// ---- sampling plan ----

export const ZRoundInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  startsOn: z.iso.date(),
  endsOn: z.iso.date(),
  /** Whether 说不清-type answers count as valid (in the denominator). */
  dontKnowValid: z.boolean().default(false),
  /** Floor per dimension in percent; default: the campaign's survey floor, else 80. */
  floorPercent: z.number().min(0).max(100).optional(),
  /** Guides each community should have (shortfalls flagged). */
  minGuidesPerCommunity: z.number().int().min(0).max(50).default(2),
});

export const ZRoundUpdateSchema = zPatchOf(ZRoundInputSchema).extend({
  status: z.enum(['open', 'closed']).optional(),
  version: z.number().int().positive(),
});

export const ZRoundSchema = z.object({
  id: z.number().int(),
  surveyId: z.number().int(),
  name: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  status: z.enum(['open', 'closed']),
  dontKnowValid: z.boolean(),
  floorPercent: z.number(),
  minGuidesPerCommunity: z.number().int(),
  version: z.number().int(),
});
export type TRound = z.infer<typeof ZRoundSchema>;
export const ZSurveyRoundsSchema = z.array(ZRoundSchema);

export const ZQuotaInputSchema = z.object({
  /**
   * One quota each: communities (社区/村) for household interviews; for street interviews any
   * region (a district's or street's spots, or a community's).
   */
  regionIds: z.array(z.number().int().positive()).min(1).max(2000),
  group: ZGroupSchema,
  /** 入户 or 街访: each has its own quota (Jinan: 80 street + 220 households). */
  mode: ZCollectionModeSchema.default('household'),
  target: z.number().int().min(1).max(10_000),
  /** Households the community stands for (its design weight); unknown = unweighted. */
  population: z.number().int().positive().nullable().optional(),
  centerLat: z.number().min(-90).max(90).nullable().optional(),
  centerLng: z.number().min(-180).max(180).nullable().optional(),
  radiusM: z.number().int().min(50).max(50_000).default(2000),
});

/** Editing one quota: its target, weight and area (region and group stay). */
export const ZQuotaUpdateSchema = ZQuotaInputSchema.pick({
  target: true,
  population: true,
  centerLat: true,
  centerLng: true,
})
  .partial()
  .extend({
    radiusM: z.number().int().min(50).max(50_000).optional(),
    version: z.number().int().positive(),
  });
export type TQuotaUpdate = z.infer<typeof ZQuotaUpdateSchema>;

export const ZQuotaGuidesSchema = z.object({
  guideIds: z.array(z.number().int().positive()).max(100),
  version: z.number().int().positive(),
});

export const ZQuotaSchema = z.object({
  id: z.number().int(),
  roundId: z.number().int(),
  regionId: z.number().int(),
  regionName: z.string(),
  group: z.string(),
  mode: ZCollectionModeSchema,
  target: z.number().int(),
  population: z.number().int().nullable(),
  centerLat: z.number().nullable(),
  centerLng: z.number().nullable(),
  radiusM: z.number().int(),
  publicToken: z.string(),
  /** Eligible responses so far. */
  done: z.number().int(),
  guides: z.array(z.object({ id: z.number().int(), name: z.string(), done: z.number().int() })),
  version: z.number().int(),
});
export type TQuota = z.infer<typeof ZQuotaSchema>;

export const ZRosterRowSchema = z.object({
  regionId: z.number().int(),
  regionName: z.string(),
  guides: z.number().int(),
  minimum: z.number().int(),
  shortfall: z.number().int(),
});

export const ZQuotaBoardSchema = z.object({
  round: ZRoundSchema,
  quotas: z.array(ZQuotaSchema),
  roster: z.array(ZRosterRowSchema),
  target: z.number().int(),
  done: z.number().int(),
  /** Target and eligible responses per collection mode (only modes with quotas). */
  byMode: z.array(
    z.object({ mode: ZCollectionModeSchema, target: z.number().int(), done: z.number().int() }),
  ),
});
export type TQuotaBoard = z.infer<typeof ZQuotaBoardSchema>;

// ---- collection ----

export const ZAnswerValueSchema = z.union([
  z.string().max(2000),
  z.array(z.string().max(60)).max(20),
  z.number().int().min(0).max(10),
]);
export const ZAnswersSchema = z.record(z.string().max(20), ZAnswerValueSchema);

export const ZRespondentSchema = z.object({
  age: z.number().int().min(0).max(120),
  /** Asked only where the group has a residence rule. */
  residentMonths: z.number().int().min(0).max(1200).nullable().optional(),
});

export const ZResponseInputSchema = z.object({
  clientId: z.uuid(),
  quotaId: z.number().int().positive(),
  /** The quota's mode; when given it must match (the form offers the mode). */
  mode: ZCollectionModeSchema.optional(),
  /** 入户: required, one response per household and round. 街访: none. */
  householdCode: z.string().trim().max(40).nullable().optional(),
  /** 街访: where the interview took place (or the position below). */
  spot: z.string().trim().max(100).nullable().optional(),
  respondent: ZRespondentSchema,
  answers: ZAnswersSchema,
  startedAt: z.iso.datetime({ offset: true }).optional(),
  submittedAt: z.iso.datetime({ offset: true }).optional(),
  lat: z.number().min(-90).max(90).nullable().optional(),
  lng: z.number().min(-180).max(180).nullable().optional(),
});
export type TResponseInput = z.infer<typeof ZResponseInputSchema>;

export const ZPublicResponseInputSchema = ZResponseInputSchema.omit({
  quotaId: true,
  lat: true,
  lng: true,
  startedAt: true,
  submittedAt: true,
});

export const ZResponseSchema = z.object({
  id: z.number().int(),
  clientId: z.string(),
  roundId: z.number().int(),
  quotaId: z.number().int(),
  questionnaireId: z.number().int(),
  regionName: z.string(),
  group: z.string(),
  channel: z.enum(['guide', 'self']),
  guideId: z.number().int().nullable(),
  mode: ZCollectionModeSchema,
  householdCode: z.string().nullable(),
  spot: z.string().nullable(),
  age: z.number().int(),
  residentMonths: z.number().int().nullable(),
  eligible: z.boolean(),
  answers: ZAnswersSchema,
  submittedAt: z.string(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
});
export type TResponse = z.infer<typeof ZResponseSchema>;
export const ZResponsesSchema = z.array(ZResponseSchema);

/** What a guide's phone needs: open quotas assigned to them, each with its questionnaire. */
export const ZGuideAssignmentSchema = z.object({
  quotaId: z.number().int(),
  roundId: z.number().int(),
  roundName: z.string(),
  surveyName: z.string(),
  regionName: z.string(),
  group: z.string(),
  mode: ZCollectionModeSchema,
  target: z.number().int(),
  done: z.number().int(),
  mine: z.number().int(),
  questionnaire: ZQuestionnaireSchema,
});
export type TGuideAssignment = z.infer<typeof ZGuideAssignmentSchema>;
export const ZGuideAssignmentsSchema = z.array(ZGuideAssignmentSchema);

export const ZPublicSurveySchema = z.object({
  surveyName: z.string(),
  regionName: z.string(),
  mode: ZCollectionModeSchema,
  eligibility: ZEligibilitySchema,
  title: z.string(),
  intro: z.string(),
  questions: z.array(ZQuestionSchema),
});
export type TPublicSurvey = z.infer<typeof ZPublicSurveySchema>;

// ---- results ----

const estimate = {
  rate: z.number().nullable(),
  lo: z.number().nullable(),
  hi: z.number().nullable(),
  favourable: z.number().int(),
  valid: z.number().int(),
  nEff: z.number(),
};

export const ZDimensionResultSchema = z.object({
  dimension: z.enum(DIMENSIONS),
  questions: z.number().int(),
  ...estimate,
  belowFloor: z.boolean(),
  atRisk: z.boolean(),
});

export const ZQuestionResultSchema = z.object({
  questionKey: z.string(),
  group: z.string(),
  questionId: z.string(),
  text: z.string(),
  dimension: z.enum(DIMENSIONS).nullable(),
  ...estimate,
  unfavourable: z.number().int(),
  dontKnow: z.number().int(),
});

export const ZResultsQuerySchema = z.object({
  by: z.enum(['none', 'region', 'group', 'mode']).default('none'),
});

export const ZResultsSliceSchema = z.object({
  key: z.string(),
  label: z.string(),
  responses: z.number().int(),
  dimensions: z.array(ZDimensionResultSchema),
});

export const ZResultsSchema = z.object({
  roundId: z.number().int(),
  roundName: z.string(),
  floor: z.number(),
  dontKnowValid: z.boolean(),
  weighted: z.boolean(),
  responses: z.number().int(),
  excludedIneligible: z.number().int(),
  dimensions: z.array(ZDimensionResultSchema),
  questions: z.array(ZQuestionResultSchema),
  slices: z.array(ZResultsSliceSchema),
  /** What the campaign says happens under the floor. */
  floorEffect: z.string().nullable(),
});
export type TResults = z.infer<typeof ZResultsSchema>;

export const ZTrendSchema = z.array(
  z.object({
    roundId: z.number().int(),
    roundName: z.string(),
    startsOn: z.string(),
    responses: z.number().int(),
    dimensions: z.array(ZDimensionResultSchema),
  }),
);
export type TTrend = z.infer<typeof ZTrendSchema>;

export const ZSuspiciousRowSchema = z.object({
  responseId: z.number().int(),
  guideId: z.number().int().nullable(),
  guideName: z.string().nullable(),
  regionName: z.string(),
  mode: ZCollectionModeSchema,
  householdCode: z.string().nullable(),
  spot: z.string().nullable(),
  submittedAt: z.string(),
  flags: z.array(z.enum(['identical', 'far'])),
});
export type TSuspiciousRow = z.infer<typeof ZSuspiciousRowSchema>;
export const ZSuspiciousRowsSchema = z.array(ZSuspiciousRowSchema);

export const ZSurveyStandardSchema = z.object({
  key: z.string(),
  code: z.string(),
  text: z.string(),
  frameworkName: z.string(),
});
export const ZSurveyStandardsSchema = z.array(ZSurveyStandardSchema);

/** The community link of self-completion (`/api/public/surveys/:token`). */
export const ZSurveyTokenParamSchema = z.object({ token: z.string().min(8).max(40) });

/** Publishing a questionnaire names the version it was read at. */
export const ZQuestionnairePublishSchema = z.object({ version: z.number().int().positive() });

export const ZQuotasCreatedSchema = z.object({
  created: z.number().int(),
  skipped: z.number().int(),
});

/** An active survey guide (调查员), for assigning. */
export const ZSurveyGuideSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  username: z.string(),
});
export type TSurveyGuide = z.infer<typeof ZSurveyGuideSchema>;
export const ZSurveyGuidesSchema = z.array(ZSurveyGuideSchema);

export const ZResponsesQuerySchema = z.object({
  roundId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** A self-completed response: whether it was stored now (or had been, on a retry). */
export const ZPublicSubmitResultSchema = z.object({ created: z.boolean() });
