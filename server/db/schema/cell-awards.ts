import {
  bigint,
  boolean,
  date,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { files } from './files.js';
import { frameworks, frameworkVersions } from './frameworks.js';
import { honours } from './honours.js';
import { regions, units, users } from './org.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });
/** Scores like 3.5, exact (numeric), read as JS numbers. */
const score = (name: string) => numeric(name, { precision: 7, scale: 2, mode: 'number' });

/**
 * 文明细胞申报 (issue #22, item 2): a year's call (申报通知) for one cell type at one level, assessed
 * against one framework's version (the version in force when the call was made), run by the 文明办
 * of `officeRegionId` (null: the city's). draft → open → assessing → publicity → decided.
 */
export const cellAwardCalls = pgTable(
  'cell_award_calls',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    year: integer('year').notNull(),
    cellType: text('cell_type', {
      enum: ['unit', 'village', 'campus', 'community', 'family'],
    }).notNull(),
    level: text('level', { enum: ['national', 'provincial', 'city', 'county'] }).notNull(),
    title: text('title').notNull(),
    /** The title a conferred applicant holds (市级文明单位…). */
    honourTitle: text('honour_title').notNull(),
    frameworkId: integer('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'restrict' }),
    frameworkVersionId: integer('framework_version_id')
      .notNull()
      .references(() => frameworkVersions.id, { onDelete: 'restrict' }),
    applicationDeadline: date('application_deadline', { mode: 'string' }).notNull(),
    publicityDays: integer('publicity_days').notNull().default(7),
    publicityStart: date('publicity_start', { mode: 'string' }),
    publicityEnd: date('publicity_end', { mode: 'string' }),
    officeRegionId: integer('office_region_id').references(() => regions.id, {
      onDelete: 'restrict',
    }),
    status: text('status', {
      enum: ['draft', 'open', 'assessing', 'publicity', 'decided'],
    })
      .notNull()
      .default('draft'),
    notes: text('notes'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cell_award_calls_year_title_uq').on(t.year, t.title),
    index('cell_award_calls_year_idx').on(t.year, t.id),
  ],
);

/**
 * One applicant's application to a call: a unit of the campaign (units, campuses) or a named place
 * or family with its region (villages, communities, families). Its assessment (vetoes, scores),
 * place on the 公示 list and decision; a conferred application links the title it created.
 */
export const cellAwardApplications = pgTable(
  'cell_award_applications',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    callId: integer('call_id')
      .notNull()
      .references(() => cellAwardCalls.id, { onDelete: 'cascade' }),
    applicantName: text('applicant_name').notNull(),
    unitId: integer('unit_id').references(() => units.id, { onDelete: 'restrict' }),
    regionId: integer('region_id').references(() => regions.id, { onDelete: 'restrict' }),
    contact: text('contact'),
    assessorNotes: text('assessor_notes'),
    assessedBy: integer('assessed_by').references(() => users.id, { onDelete: 'set null' }),
    assessedAt: ts('assessed_at'),
    /** On the 公示 list (拟授予名单). */
    proposed: boolean('proposed').notNull().default(false),
    decision: text('decision', { enum: ['conferred', 'not_conferred'] }),
    decisionNote: text('decision_note'),
    decidedBy: integer('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: ts('decided_at'),
    honourId: integer('honour_id').references(() => honours.id, { onDelete: 'set null' }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cell_award_applications_call_name_uq').on(t.callId, t.applicantName),
    index('cell_award_applications_call_idx').on(t.callId, t.id),
  ],
);

/** The applicant's report on one standard (≤ 500 characters, BRIEF §4). */
export const cellAwardMaterials = pgTable(
  'cell_award_materials',
  {
    applicationId: integer('application_id')
      .notNull()
      .references(() => cellAwardApplications.id, { onDelete: 'cascade' }),
    standardKey: text('standard_key').notNull(),
    report: text('report').notNull().default(''),
    updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.standardKey] })],
);

/** A file attached to an applicant's report on a standard (stored by the files module). */
export const cellAwardMaterialFiles = pgTable(
  'cell_award_material_files',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => cellAwardApplications.id, { onDelete: 'cascade' }),
    standardKey: text('standard_key').notNull(),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id, { onDelete: 'restrict' }),
    title: text('title').notNull(),
    uploadedBy: integer('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('cell_award_material_files_app_idx').on(t.applicationId, t.standardKey),
    uniqueIndex('cell_award_material_files_file_uq').on(t.fileId),
  ],
);

/** 一票否决: the assessor's answer on each eligibility veto (hit or not) with a note. */
export const cellAwardVetoes = pgTable(
  'cell_award_vetoes',
  {
    applicationId: integer('application_id')
      .notNull()
      .references(() => cellAwardApplications.id, { onDelete: 'cascade' }),
    vetoKey: text('veto_key', {
      enum: ['leadership_violation', 'staff_criminal_case', 'safety_or_food_accident'],
    }).notNull(),
    hit: boolean('hit').notNull(),
    note: text('note'),
    checkedBy: integer('checked_by').references(() => users.id, { onDelete: 'set null' }),
    checkedAt: ts('checked_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.vetoKey] })],
);

/** The assessor's score on one standard of the call's framework version. */
export const cellAwardScores = pgTable(
  'cell_award_scores',
  {
    applicationId: integer('application_id')
      .notNull()
      .references(() => cellAwardApplications.id, { onDelete: 'cascade' }),
    standardKey: text('standard_key').notNull(),
    score: score('score').notNull(),
    note: text('note'),
    scoredBy: integer('scored_by').references(() => users.id, { onDelete: 'set null' }),
    scoredAt: ts('scored_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.standardKey] })],
);

/** 异议: an objection received during 公示 — who raised it, what, and how it was handled. */
export const cellAwardObjections = pgTable(
  'cell_award_objections',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => cellAwardApplications.id, { onDelete: 'cascade' }),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    raisedBy: text('raised_by').notNull(),
    content: text('content').notNull(),
    handling: text('handling'),
    outcome: text('outcome', { enum: ['pending', 'upheld', 'dismissed'] })
      .notNull()
      .default('pending'),
    recordedBy: integer('recorded_by').references(() => users.id, { onDelete: 'set null' }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('cell_award_objections_app_idx').on(t.applicationId, t.id)],
);
