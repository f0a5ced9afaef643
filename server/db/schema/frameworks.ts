import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import type { SourceData } from '../../../core/frameworks/data.js';
import type { TMethodBucket } from '../../../core/frameworks/methods.js';
import type { TFrameworkRules, TSurveyCurve, TSurveyFloor } from '../../../core/scoring/rules.js';
import { parties, units, users } from './org.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });
const timestamps = {
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
};
/** Scores like 0.5 or 2.25, exact (numeric), read as JS numbers. */
const score = (name: string) => numeric(name, { precision: 7, scale: 2, mode: 'number' });

/** 创建周期: one campaign (e.g. 2026–2028 全国文明城市), its weights, and its frameworks. */
export const campaigns = pgTable(
  'campaigns',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    /**
     * What the campaign is for: the city's own evaluation (its score, rounds, bulletins…), or a
     * home for the frameworks 文明细胞 are assessed against (文明单位测评体系…), which never count
     * in the city's score nor become its current campaign.
     */
    kind: text('kind', { enum: ['city', 'cells'] })
      .notNull()
      .default('city'),
    cycleStartYear: integer('cycle_start_year').notNull(),
    cycleYears: integer('cycle_years').notNull(),
    /** Percent per year of the cycle, e.g. [15, 25, 60]. */
    cycleWeights: jsonb('cycle_weights').$type<number[]>().notNull(),
    /** Percent per part of the annual score, e.g. material 40 / field 40 / survey 20. */
    methodWeights: jsonb('method_weights').$type<Record<TMethodBucket, number>>().notNull(),
    surveyFloor: jsonb('survey_floor').$type<TSurveyFloor>().notNull(),
    /** How a survey-method standard's rate becomes its share, unless its framework or itself says. */
    surveyCurve: jsonb('survey_curve').$type<TSurveyCurve>().notNull().default({ kind: 'rate' }),
    /** The city class the cycle weights follow (地级以上 15/25/60, 县级 final year only…). */
    cyclePreset: text('cycle_preset', {
      enum: ['prefecture', 'county', 'municipal_district', 'custom'],
    })
      .notNull()
      .default('custom'),
    /** The date the city files for the title, when known: negative-list events bar it. */
    applicationDate: date('application_date', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [uniqueIndex('campaigns_name_uq').on(t.name)],
);

/** 测评体系: one framework of a campaign (五城联创 has several); its content lives in versions. */
export const frameworks = pgTable(
  'frameworks',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    level: text('level', { enum: ['prefecture', 'county', 'provincial'] }).notNull(),
    edition: text('edition'),
    /** The framework's own scoring rules; what it leaves out comes from the campaign. */
    rules: jsonb('rules').$type<TFrameworkRules>().notNull().default({}),
    position: integer('position').notNull().default(0),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('frameworks_campaign_name_uq').on(t.campaignId, t.name),
    index('frameworks_campaign_idx').on(t.campaignId),
  ],
);

/**
 * One version of a framework's content. A draft is edited in place; a published (or superseded)
 * version is frozen: editing it copies it into a new draft. At most one draft and one published
 * version per framework.
 */
export const frameworkVersions = pgTable(
  'framework_versions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    frameworkId: integer('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'restrict' }),
    number: integer('number').notNull(),
    status: text('status', { enum: ['draft', 'published', 'superseded'] }).notNull(),
    basedOnId: integer('based_on_id').references((): AnyPgColumn => frameworkVersions.id, {
      onDelete: 'set null',
    }),
    /** What the imported file carried that the platform keeps but does not interpret. */
    source: jsonb('source').$type<SourceData>().notNull(),
    publishedAt: ts('published_at'),
    publishedBy: integer('published_by').references(() => users.id, { onDelete: 'set null' }),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('framework_versions_number_uq').on(t.frameworkId, t.number),
    uniqueIndex('framework_versions_one_draft_uq')
      .on(t.frameworkId)
      .where(sql`${t.status} = 'draft'`),
    uniqueIndex('framework_versions_one_published_uq')
      .on(t.frameworkId)
      .where(sql`${t.status} = 'published'`),
  ],
);

/**
 * The tree 测评项目 → 测评内容 → 测评标准 of one version. `key` is the same in every version a node
 * is copied into, so later modules can follow a standard across versions.
 */
export const frameworkNodes = pgTable(
  'framework_nodes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    versionId: integer('version_id')
      .notNull()
      .references(() => frameworkVersions.id, { onDelete: 'cascade' }),
    parentId: integer('parent_id').references((): AnyPgColumn => frameworkNodes.id, {
      onDelete: 'cascade',
    }),
    kind: text('kind', { enum: ['item', 'content', 'standard'] }).notNull(),
    key: text('key').notNull(),
    code: text('code').notNull(),
    text: text('text').notNull(),
    guidance: text('guidance'),
    method: text('method', {
      enum: ['material', 'field', 'simulation', 'survey', 'online', 'report', 'overall'],
    }),
    maxScore: score('max_score'),
    evidence: text('evidence')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    unitHints: text('unit_hints')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** A standard's remark (a sheet's 备注 on its rows that assign nothing). */
    notes: text('notes'),
    /**
     * A standard's cells under sheet headers the platform does not read (联系人, 完成情况…), header
     * → text, kept so an export gives them back. Standards only; `{}` on items and contents.
     */
    extra: jsonb('extra').$type<Record<string, string>>().notNull().default({}),
    /** A survey standard's own curve (rate → share); null: its framework's. */
    surveyCurve: jsonb('survey_curve').$type<TSurveyCurve>(),
    position: integer('position').notNull(),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('framework_nodes_code_uq').on(t.versionId, t.code),
    uniqueIndex('framework_nodes_key_uq').on(t.versionId, t.key),
    index('framework_nodes_parent_idx').on(t.parentId, t.position),
    index('framework_nodes_version_idx').on(t.versionId, t.kind),
    check(
      'framework_nodes_standard_ck',
      sql`(${t.kind} = 'standard') = (${t.method} is not null and ${t.maxScore} is not null)`,
    ),
    check('framework_nodes_parent_ck', sql`(${t.kind} = 'item') = (${t.parentId} is null)`),
  ],
);

/** 负面清单: events that deduct points, suspend or disqualify, per framework version. */
export const negativeItems = pgTable(
  'negative_items',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    versionId: integer('version_id')
      .notNull()
      .references(() => frameworkVersions.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    code: text('code').notNull(),
    text: text('text').notNull(),
    effect: text('effect', { enum: ['deduct', 'suspend_title', 'disqualify'] }).notNull(),
    points: score('points').notNull(),
    /** The event counts against a test (and an application) held within this many months after it. */
    windowMonths: integer('window_months').notNull().default(12),
    /** Besides the main effect, the title is suspended this many months from the event. */
    suspendMonths: integer('suspend_months'),
    /** An event within the window before the application date bars the application. */
    barsApplication: boolean('bars_application').notNull().default(false),
    position: integer('position').notNull(),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('negative_items_code_uq').on(t.versionId, t.code),
    uniqueIndex('negative_items_key_uq').on(t.versionId, t.key),
  ],
);

/**
 * 任务分解: a standard → its lead unit (one row per lead unit), leader in charge, deadline, notes.
 * The city's work on a version, not part of the framework: editing it never copies the version.
 */
export const assignments = pgTable(
  'assignments',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    versionId: integer('version_id')
      .notNull()
      .references(() => frameworkVersions.id, { onDelete: 'cascade' }),
    standardId: integer('standard_id')
      .notNull()
      .references(() => frameworkNodes.id, { onDelete: 'cascade' }),
    leadUnitId: integer('lead_unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'restrict' }),
    leaderName: text('leader_name'),
    /** 时限 as a date, or as the sheet's words when it is not one (长期坚持). */
    dueDate: date('due_date', { mode: 'string' }),
    dueText: text('due_text'),
    notes: text('notes'),
    /** The task row's cells under sheet headers the platform does not read, header → text. */
    extra: jsonb('extra').$type<Record<string, string>>().notNull().default({}),
    /** Order among the standard's assignments (the sheet's row order). */
    position: integer('position').notNull().default(0),
    /**
     * The 集体责任方 the sheet named as lead (各区县): one assignment per member (or one for an
     * outside party's contact unit), written back as the one name on export.
     */
    leadPartyId: integer('lead_party_id').references(() => parties.id, { onDelete: 'set null' }),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('assignments_standard_lead_uq').on(t.standardId, t.leadUnitId),
    index('assignments_version_idx').on(t.versionId),
    index('assignments_lead_idx').on(t.leadUnitId),
  ],
);

/** 集体责任方 the sheet named among an assignment's 责任单位 (their units are in assignment_units). */
export const assignmentParties = pgTable(
  'assignment_parties',
  {
    assignmentId: integer('assignment_id')
      .notNull()
      .references(() => assignments.id, { onDelete: 'cascade' }),
    partyId: integer('party_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.assignmentId, t.partyId] })],
);

/** 责任单位 of an assignment besides the lead unit, in the order the sheet named them. */
export const assignmentUnits = pgTable(
  'assignment_units',
  {
    assignmentId: integer('assignment_id')
      .notNull()
      .references(() => assignments.id, { onDelete: 'cascade' }),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'restrict' }),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.assignmentId, t.unitId] }),
    index('assignment_units_unit_idx').on(t.unitId),
  ],
);
