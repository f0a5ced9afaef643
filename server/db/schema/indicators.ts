import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { frameworks } from './frameworks.js';
import { units, users } from './org.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });
const num = (name: string) => numeric(name, { precision: 14, scale: 4, mode: 'number' });

/**
 * 硬性指标: a measurable indicator a standard carries (路灯亮灯率 ≥ 95%), keyed by the standard's
 * stable key so it survives new framework versions, like task reports.
 */
export const indicators = pgTable(
  'indicators',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    frameworkId: integer('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'cascade' }),
    standardKey: text('standard_key').notNull(),
    name: text('name').notNull(),
    /** Unit of measure: %, 个, 平方米… */
    measure: text('measure').notNull(),
    target: num('target').notNull(),
    direction: text('direction', { enum: ['gte', 'lte'] }).notNull(),
    period: text('period', { enum: ['month', 'quarter'] }).notNull(),
    /** The first period a value is owed for ("2026-01" or "2026-Q1"). */
    startPeriod: text('start_period').notNull(),
    responsibleUnitId: integer('responsible_unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'restrict' }),
    notes: text('notes'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('indicators_name_uq').on(t.frameworkId, t.standardKey, t.name),
    index('indicators_unit_idx').on(t.responsibleUnitId),
  ],
);

/** One value per indicator and period; a correction updates it (versioned, audited). */
export const indicatorValues = pgTable(
  'indicator_values',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    indicatorId: integer('indicator_id')
      .notNull()
      .references(() => indicators.id, { onDelete: 'cascade' }),
    period: text('period').notNull(),
    value: num('value').notNull(),
    note: text('note'),
    fileIds: uuid('file_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    /** Client-generated id: a retried submission returns the first one instead of a conflict. */
    clientId: uuid('client_id').notNull(),
    reportedBy: integer('reported_by').references(() => users.id, { onDelete: 'set null' }),
    reportedAt: ts('reported_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('indicator_values_period_uq').on(t.indicatorId, t.period),
    uniqueIndex('indicator_values_client_uq').on(t.clientId),
  ],
);
