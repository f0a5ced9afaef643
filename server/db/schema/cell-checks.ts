import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { honours } from './honours.js';
import { problems } from './problems.js';
import { regions, users } from './org.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });
const CELL_TYPE = ['unit', 'village', 'campus', 'community', 'family'] as const;

/** One standard of a check list, or one item of a negative list (its code is stable). */
export type CellStandardJson = { code: string; text: string; points: number };
export type CellNegativeItemJson = CellStandardJson & { severe: boolean };
/** A check's answer per standard, with the standard's text and points as they were that day. */
export type CellCheckResultJson = CellStandardJson & { pass: boolean; note: string | null };

/**
 * 动态管理 (issue #22, item 3): the short list a holder is checked against every quarter or month
 * ("20项标准,每季一考核"), kept by the city office per cell type.
 */
export const cellCheckLists = pgTable(
  'cell_check_lists',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    cellType: text('cell_type', { enum: CELL_TYPE }).notNull(),
    name: text('name').notNull(),
    frequency: text('frequency', { enum: ['quarterly', 'monthly'] }).notNull(),
    standards: jsonb('standards').$type<CellStandardJson[]>().notNull(),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('cell_check_lists_name_uq').on(t.cellType, t.name)],
);

/** A holder checked against a list for one period (2026-Q3, 2026-09): once per period and list. */
export const cellChecks = pgTable(
  'cell_checks',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    honourId: integer('honour_id')
      .notNull()
      .references(() => honours.id, { onDelete: 'cascade' }),
    listId: integer('list_id')
      .notNull()
      .references(() => cellCheckLists.id, { onDelete: 'restrict' }),
    period: text('period').notNull(),
    /** The calendar year of the period, for the year's average. */
    year: integer('year').notNull(),
    checkedOn: date('checked_on', { mode: 'string' }).notNull(),
    results: jsonb('results').$type<CellCheckResultJson[]>().notNull(),
    /** 0–100: the share of the list's points passed. */
    score: doublePrecision('score').notNull(),
    note: text('note'),
    checkedBy: integer('checked_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cell_checks_period_uq').on(t.honourId, t.listId, t.period),
    index('cell_checks_year_idx').on(t.honourId, t.year),
  ],
);

/**
 * 负面清单 of a cell type: items that deduct points in the year of the hit; a severe item within
 * `severeWindowMonths` (`severeThreshold` of them) puts the holder to 整改 for `rectifyMonths`, or
 * disqualifies it (撤销), as `severeAction` says.
 */
export const cellNegativeLists = pgTable(
  'cell_negative_lists',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    cellType: text('cell_type', { enum: CELL_TYPE }).notNull(),
    name: text('name').notNull(),
    items: jsonb('items').$type<CellNegativeItemJson[]>().notNull(),
    severeAction: text('severe_action', { enum: ['rectify', 'disqualify'] })
      .notNull()
      .default('rectify'),
    severeWindowMonths: integer('severe_window_months').notNull().default(24),
    severeThreshold: integer('severe_threshold').notNull().default(1),
    rectifyMonths: integer('rectify_months').notNull().default(12),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('cell_negative_lists_type_uq').on(t.cellType)],
);

/** A negative-list hit against a holder, with the item as it was; a problem turns into one once. */
export const cellNegativeHits = pgTable(
  'cell_negative_hits',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    honourId: integer('honour_id')
      .notNull()
      .references(() => honours.id, { onDelete: 'cascade' }),
    listId: integer('list_id')
      .notNull()
      .references(() => cellNegativeLists.id, { onDelete: 'restrict' }),
    itemCode: text('item_code').notNull(),
    itemText: text('item_text').notNull(),
    points: doublePrecision('points').notNull(),
    severe: boolean('severe').notNull(),
    hitOn: date('hit_on', { mode: 'string' }).notNull(),
    note: text('note'),
    problemId: bigint('problem_id', { mode: 'number' }).references(() => problems.id, {
      onDelete: 'set null',
    }),
    /** What the severe rule did: the holder put to 整改 or disqualified (null: nothing). */
    action: text('action', { enum: ['rectify', 'disqualify'] }),
    rectifyUntil: date('rectify_until', { mode: 'string' }),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('cell_negative_hits_holder_idx').on(t.honourId, t.hitOn),
    uniqueIndex('cell_negative_hits_problem_uq')
      .on(t.honourId, t.problemId)
      .where(sql`${t.problemId} is not null`),
  ],
);

/**
 * 复审: a year's review of one cell type's holders by an office (its region; null: the city's),
 * with the filing deadline and the renewal cap; closing freezes the 通报 in `bulletin`.
 */
export const cellReviews = pgTable(
  'cell_reviews',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    cellType: text('cell_type', { enum: CELL_TYPE }).notNull(),
    year: integer('year').notNull(),
    name: text('name').notNull(),
    scope: text('scope', { enum: ['current', 'expiring'] }).notNull(),
    filingDeadline: date('filing_deadline', { mode: 'string' }).notNull(),
    /** At most this share (%) of the holders under review are kept; null: no cap. */
    renewalCapPct: integer('renewal_cap_pct'),
    officeRegionId: integer('office_region_id').references(() => regions.id, {
      onDelete: 'restrict',
    }),
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    bulletin: jsonb('bulletin'),
    closedAt: ts('closed_at'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('cell_reviews_year_idx').on(t.year, t.id)],
);

/** A holder under a review: its report, the office's outcome and, once closed, the final one. */
export const cellReviewHolders = pgTable(
  'cell_review_holders',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    reviewId: integer('review_id')
      .notNull()
      .references(() => cellReviews.id, { onDelete: 'cascade' }),
    honourId: integer('honour_id')
      .notNull()
      .references(() => honours.id, { onDelete: 'cascade' }),
    year: integer('year').notNull(),
    report: text('report'),
    filedAt: ts('filed_at'),
    outcome: text('outcome', { enum: ['keep', 'rectify', 'revoke'] }),
    rectifyDeadline: date('rectify_deadline', { mode: 'string' }),
    outcomeNote: text('outcome_note'),
    finalOutcome: text('final_outcome', {
      enum: ['keep', 'rectify', 'revoke', 'relinquished', 'capped'],
    }),
    /** Frozen at close: the year's average check score minus the year's deductions. */
    score: doublePrecision('score'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('cell_review_holders_uq').on(t.reviewId, t.honourId),
    // A holder is under one review a year, whichever office opened it.
    uniqueIndex('cell_review_holders_year_uq').on(t.honourId, t.year),
  ],
);
