import { sql } from 'drizzle-orm';
import {
  bigint,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { frameworks } from './frameworks.js';
import { units, users } from './org.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * A unit's progress report on an assignment (任务分解), keyed by the standard's stable key so the history
 * survives new framework versions.
 */
export const assignmentReports = pgTable(
  'assignment_reports',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    frameworkId: integer('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'cascade' }),
    standardKey: text('standard_key').notNull(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['not_started', 'in_progress', 'done', 'blocked'] }).notNull(),
    text: text('text').notNull(),
    fileIds: uuid('file_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    reportedBy: integer('reported_by').references(() => users.id, { onDelete: 'set null' }),
    reportedAt: ts('reported_at').notNull().defaultNow(),
  },
  (t) => [
    index('assignment_reports_assignment_idx').on(
      t.frameworkId,
      t.standardKey,
      t.unitId,
      t.reportedAt,
    ),
  ],
);

/** One reminder per assignment, unit and reporting period, however many servers run the job. */
export const assignmentReportReminders = pgTable(
  'assignment_report_reminders',
  {
    frameworkId: integer('framework_id').notNull(),
    standardKey: text('standard_key').notNull(),
    unitId: integer('unit_id').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    sentAt: ts('sent_at').notNull().defaultNow(),
  },
  // Named: the generated name ran past PostgreSQL's 63 characters and was cut short.
  (t) => [
    primaryKey({
      name: 'assignment_report_reminders_pk',
      columns: [t.frameworkId, t.standardKey, t.unitId, t.periodStart],
    }),
  ],
);
