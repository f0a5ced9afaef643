import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { users } from './org.js';
import { problems } from './problems.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * A citizen's report (随手拍): the problem it became and the unguessable code the citizen tracks it
 * by (problem codes are sequential, so they are not used publicly).
 */
export const citizenReports = pgTable(
  'citizen_reports',
  {
    problemId: bigint('problem_id', { mode: 'number' })
      .primaryKey()
      .references(() => problems.id, { onDelete: 'cascade' }),
    trackingCode: text('tracking_code').notNull(),
    deviceId: text('device_id'),
    ip: text('ip'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('citizen_reports_tracking_uq').on(t.trackingCode)],
);

/** 曝光台: problems the office published, with the public wording it chose. */
export const exposures = pgTable(
  'exposures',
  {
    problemId: bigint('problem_id', { mode: 'number' })
      .primaryKey()
      .references(() => problems.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    note: text('note'),
    publishedBy: integer('published_by').references(() => users.id, { onDelete: 'set null' }),
    publishedAt: ts('published_at').notNull().defaultNow(),
  },
  (t) => [index('exposures_published_idx').on(t.publishedAt, t.problemId)],
);

/** Fixed-window counters for public endpoints (per address, per device). */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: ts('window_start').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.key, t.windowStart] }),
    index('rate_limits_window_idx').on(t.windowStart),
  ],
);

/** Settings the office edits in the app (e.g. the jurisdiction's outline), one JSON value a key. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: ts('updated_at')
    .notNull()
    .default(sql`now()`),
});
