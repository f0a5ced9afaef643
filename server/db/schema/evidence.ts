import {
  bigint,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { TEvidenceRules } from '../../../core/frameworks/evidence.js';
import { files } from './files.js';
import { campaigns, frameworks } from './frameworks.js';
import { units, users } from './org.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/** The archive-material rules of a campaign: grade shares, the evidence window, test dates. */
export const evidenceSettings = pgTable('evidence_settings', {
  campaignId: integer('campaign_id')
    .primaryKey()
    .references(() => campaigns.id, { onDelete: 'cascade' }),
  rules: jsonb('rules').$type<TEvidenceRules>().notNull(),
  version: integer('version').notNull().default(1),
  updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * 档案资料: the dossier of one standard (by its stable key, so it survives new framework versions)
 * in one cycle year: the units' files, the statement, and the office's review.
 */
export const evidenceDossiers = pgTable(
  'evidence_dossiers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    frameworkId: integer('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'restrict' }),
    standardKey: text('standard_key').notNull(),
    year: integer('year').notNull(),
    state: text('state', { enum: ['draft', 'submitted', 'returned', 'approved'] }).notNull(),
    /** The 申报说明 the official review reads (≤ 500 characters). */
    statement: text('statement').notNull().default(''),
    grade: text('grade', { enum: ['A', 'B', 'C', 'D'] }),
    reviewComment: text('review_comment'),
    submittedAt: ts('submitted_at'),
    submittedBy: integer('submitted_by').references(() => users.id, { onDelete: 'set null' }),
    reviewedAt: ts('reviewed_at'),
    reviewedBy: integer('reviewed_by').references(() => users.id, { onDelete: 'set null' }),
    returnCount: integer('return_count').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('evidence_dossiers_uq').on(t.frameworkId, t.year, t.standardKey),
    index('evidence_dossiers_state_idx').on(t.state, t.submittedAt),
  ],
);

/** A file of a dossier, the unit that gave it and the date the document bears. */
export const evidenceFiles = pgTable(
  'evidence_files',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    dossierId: integer('dossier_id')
      .notNull()
      .references(() => evidenceDossiers.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id, { onDelete: 'restrict' }),
    unitId: integer('unit_id').references(() => units.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    docDate: date('doc_date', { mode: 'string' }).notNull(),
    uploadedBy: integer('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** Removed by the unit before submitting; kept for the record. */
    removedAt: ts('removed_at'),
  },
  (t) => [
    index('evidence_files_dossier_idx').on(t.dossierId),
    uniqueIndex('evidence_files_file_uq').on(t.fileId),
  ],
);

/** The dossier's timeline: submissions, returns, approvals with their grade and comment. */
export const evidenceEvents = pgTable(
  'evidence_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    dossierId: integer('dossier_id')
      .notNull()
      .references(() => evidenceDossiers.id, { onDelete: 'cascade' }),
    action: text('action', {
      enum: ['upload', 'remove', 'statement', 'submit', 'return', 'approve', 'poster'],
    }).notNull(),
    grade: text('grade'),
    comment: text('comment'),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    actorName: text('actor_name').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('evidence_events_dossier_idx').on(t.dossierId, t.at)],
);
