import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { TAnswerValue } from '../../../core/survey/questions.js';
import type { TQuestion } from '../../../core/contracts/surveys.js';
import { COLLECTION_MODES } from '../../../core/survey/modes.js';
import { campaigns } from './frameworks.js';
import { regions, users } from './org.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/** 问卷调查: one survey (e.g. 2026 入户问卷) with a questionnaire per respondent group. */
export const surveys = pgTable(
  'surveys',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    campaignId: integer('campaign_id').references(() => campaigns.id, { onDelete: 'set null' }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('surveys_name_uq').on(t.name)],
);

/**
 * One questionnaire version for one respondent group (A 市民, B 驻地单位 …). A draft is edited in
 * place; a published one is frozen — responses point at it — and a change makes the next number.
 */
export const surveyQuestionnaires = pgTable(
  'survey_questionnaires',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    surveyId: integer('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    group: text('group').notNull(),
    groupLabel: text('group_label').notNull(),
    number: integer('number').notNull(),
    status: text('status', { enum: ['draft', 'published', 'superseded'] }).notNull(),
    title: text('title').notNull(),
    intro: text('intro').notNull().default(''),
    questions: jsonb('questions').$type<TQuestion[]>().notNull(),
    /**
     * 调查对象条件 of the group (frozen with the version): age range and months of residence at
     * least, null = residence does not apply. The column defaults are the residents' rule (BRIEF
     * §3) that every questionnaire had before rules per group; the API always writes all three.
     */
    minAge: integer('min_age').notNull().default(18),
    maxAge: integer('max_age').notNull().default(65),
    minResidentMonths: integer('min_resident_months').default(6),
    publishedAt: ts('published_at'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('survey_questionnaires_number_uq').on(t.surveyId, t.group, t.number),
    uniqueIndex('survey_questionnaires_one_draft_uq')
      .on(t.surveyId, t.group)
      .where(sql`${t.status} = 'draft'`),
    uniqueIndex('survey_questionnaires_one_published_uq')
      .on(t.surveyId, t.group)
      .where(sql`${t.status} = 'published'`),
    check('survey_questionnaires_age_ck', sql`${t.minAge} <= ${t.maxAge}`),
  ],
);

/** 调查轮次: one round of fieldwork (a mock survey, the real test …) with its settings. */
export const surveyRounds = pgTable(
  'survey_rounds',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    surveyId: integer('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    dontKnowValid: boolean('dont_know_valid').notNull().default(false),
    floorPercent: numeric('floor_percent', { precision: 5, scale: 2, mode: 'number' }).notNull(),
    minGuidesPerCommunity: integer('min_guides_per_community').notNull().default(2),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('survey_rounds_name_uq').on(t.surveyId, t.name)],
);

/**
 * 配额: responses to collect in one region for one respondent group and collection mode in a round —
 * households in a community (入户), or street interviews (街访) in any region.
 */
export const surveyQuotas = pgTable(
  'survey_quotas',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    roundId: integer('round_id')
      .notNull()
      .references(() => surveyRounds.id, { onDelete: 'cascade' }),
    regionId: integer('region_id')
      .notNull()
      .references(() => regions.id, { onDelete: 'restrict' }),
    group: text('group').notNull(),
    mode: text('mode', { enum: COLLECTION_MODES }).notNull().default('household'),
    target: integer('target').notNull(),
    /** Households (people, for 街访) the quota stands for (design weight); null = unknown. */
    population: integer('population'),
    centerLat: doublePrecision('center_lat'),
    centerLng: doublePrecision('center_lng'),
    radiusM: integer('radius_m').notNull().default(2000),
    /** The self-completion link of the community: /s/<token>. */
    publicToken: text('public_token').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('survey_quotas_uq').on(t.roundId, t.regionId, t.group, t.mode),
    uniqueIndex('survey_quotas_token_uq').on(t.publicToken),
  ],
);

/** 民意调查引导员 assigned to a quota. */
export const surveyQuotaGuides = pgTable(
  'survey_quota_guides',
  {
    quotaId: integer('quota_id')
      .notNull()
      .references(() => surveyQuotas.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
  },
  (t) => [
    primaryKey({ columns: [t.quotaId, t.userId] }),
    index('survey_quota_guides_user_idx').on(t.userId),
  ],
);

/**
 * 答卷: one respondent's answers. Immutable once stored (there is no update); the client id makes a
 * retried submission the same response; one response per household code per round (入户); a street
 * interview (街访) has no household code and records its spot and/or position.
 */
export const surveyResponses = pgTable(
  'survey_responses',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    clientId: uuid('client_id').notNull(),
    roundId: integer('round_id')
      .notNull()
      .references(() => surveyRounds.id, { onDelete: 'cascade' }),
    quotaId: integer('quota_id')
      .notNull()
      .references(() => surveyQuotas.id, { onDelete: 'restrict' }),
    questionnaireId: integer('questionnaire_id')
      .notNull()
      .references(() => surveyQuestionnaires.id, { onDelete: 'restrict' }),
    channel: text('channel', { enum: ['guide', 'self'] }).notNull(),
    guideId: integer('guide_id').references(() => users.id, { onDelete: 'restrict' }),
    /** The quota's mode, kept on the response (what the household code rule depends on). */
    mode: text('mode', { enum: COLLECTION_MODES }).notNull().default('household'),
    householdCode: text('household_code'),
    /** 街访: where the interview took place. */
    spot: text('spot'),
    age: integer('age').notNull(),
    /** Null where the group asks no residence. */
    residentMonths: integer('resident_months'),
    /** By the answered questionnaire's rule (its group's age range and residence): only these count. */
    eligible: boolean('eligible').notNull(),
    answers: jsonb('answers').$type<Record<string, TAnswerValue>>().notNull(),
    startedAt: ts('started_at'),
    submittedAt: ts('submitted_at').notNull(),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    ip: text('ip'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('survey_responses_client_uq').on(t.clientId),
    uniqueIndex('survey_responses_household_uq').on(t.roundId, t.householdCode),
    index('survey_responses_quota_idx').on(t.quotaId),
    index('survey_responses_guide_idx').on(t.guideId, t.submittedAt),
    check(
      'survey_responses_household_ck',
      sql`(${t.mode} = 'household') = (${t.householdCode} is not null)`,
    ),
  ],
);

/**
 * How often each answer was given, per quota, questionnaire and question, over eligible responses:
 * kept in step with `survey_responses` in the same transaction (responses never change, so the
 * counts only grow). Results read this instead of unnesting every response (docs/performance.md).
 */
export const surveyAnswerTallies = pgTable(
  'survey_answer_tallies',
  {
    roundId: integer('round_id')
      .notNull()
      .references(() => surveyRounds.id, { onDelete: 'cascade' }),
    quotaId: integer('quota_id')
      .notNull()
      .references(() => surveyQuotas.id, { onDelete: 'cascade' }),
    questionnaireId: integer('questionnaire_id')
      .notNull()
      .references(() => surveyQuestionnaires.id, { onDelete: 'restrict' }),
    questionId: text('question_id').notNull(),
    answer: jsonb('answer').$type<TAnswerValue>().notNull(),
    n: integer('n').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.quotaId, t.questionnaireId, t.questionId, t.answer] }),
    index('survey_answer_tallies_round_idx').on(t.roundId),
  ],
);
