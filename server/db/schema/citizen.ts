import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
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
 * Trusted clients of the Open311 GeoReport v2 API (e.g. the 12345 hotline's gateway): the office
 * issues each an API key, kept only as its SHA-256; the channel their requests are filed on.
 */
export const open311Clients = pgTable(
  'open311_clients',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    channel: text('channel').notNull(),
    keyHash: text('key_hash').notNull(),
    /** The key's last four characters, so people can tell keys apart. */
    keyHint: text('key_hint').notNull(),
    active: boolean('active').notNull().default(true),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    revokedAt: ts('revoked_at'),
    /**
     * Where status changes of the requests it filed are pushed (结果回传), set by the office — never
     * by the client itself; null: the client reads them back with GET requests.
     */
    callbackUrl: text('callback_url'),
    /** Signs those pushes (HMAC-SHA256); shown to the office once, when it is generated. */
    callbackSecret: text('callback_secret'),
  },
  (t) => [uniqueIndex('open311_clients_key_uq').on(t.keyHash)],
);

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
    /** Filed through Open311 by this client (null: the 随手拍 page). */
    open311ClientId: integer('open311_client_id').references(() => open311Clients.id, {
      onDelete: 'set null',
    }),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** 接收办理进度短信: the reporter left a phone and asked for texts as the problem moves. */
    smsOptIn: boolean('sms_opt_in').notNull().default(false),
    /** 满意 / 基本满意 / 不满意 (core/citizen/replies.ts), given once, after the problem closed. */
    rating: text('rating', { enum: ['satisfied', 'basic', 'unsatisfied'] }),
    ratingComment: text('rating_comment'),
    ratedAt: ts('rated_at'),
    /**
     * The problem the rating is about: the report's own, or the one it was merged into (whose unit
     * the rating counts for in the KPIs).
     */
    ratedProblemId: bigint('rated_problem_id', { mode: 'number' }).references(() => problems.id, {
      onDelete: 'set null',
    }),
    /** 群众申请重新办理: once per report, within the window after closing, with a reason. */
    reopenedAt: ts('reopened_at'),
    reopenReason: text('reopen_reason'),
  },
  (t) => [
    uniqueIndex('citizen_reports_tracking_uq').on(t.trackingCode),
    // Open311's GET requests: newest first within a date range.
    index('citizen_reports_created_idx').on(t.createdAt, t.problemId),
    // 满意率: the ratings of a KPI cohort's problems.
    index('citizen_reports_rated_idx')
      .on(t.ratedProblemId, t.rating)
      .where(sql`${t.rating} is not null`),
  ],
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
