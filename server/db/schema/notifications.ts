import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { users } from './org.js';
import { problems } from './problems.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/** The in-app inbox: one row per recipient. */
export const notifications = pgTable(
  'notifications',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body'),
    problemId: bigint('problem_id', { mode: 'number' }).references(() => problems.id, {
      onDelete: 'cascade',
    }),
    readAt: ts('read_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.id),
    index('notifications_unread_idx').on(t.userId, t.readAt),
  ],
);

/**
 * Messages for outside systems (SMS / WeChat gateways behind a webhook), written in the same
 * transaction as the event (transactional outbox) and delivered by a job with back-off.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    topic: text('topic').notNull(),
    payload: jsonb('payload').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    deliveredAt: ts('delivered_at'),
    failedAt: ts('failed_at'),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    /**
     * Set by writers that must send a message once whatever happens (a reply to a reporter is
     * keyed by the report and the step's event): a second insert with the key is dropped.
     */
    dedupeKey: text('dedupe_key'),
  },
  (t) => [
    index('outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`delivered_at is null and failed_at is null`),
    uniqueIndex('outbox_dedupe_uq')
      .on(t.dedupeKey)
      .where(sql`dedupe_key is not null`),
    // 短信发送记录: one topic's messages, newest first.
    index('outbox_topic_idx').on(t.topic, t.id),
  ],
);

/** 督办单: issued each time a problem's escalation colour steps up. */
export const escalationOrders = pgTable(
  'escalation_orders',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    problemId: bigint('problem_id', { mode: 'number' })
      .notNull()
      .references(() => problems.id, { onDelete: 'cascade' }),
    level: text('level').notNull(),
    unitId: integer('unit_id'),
    deadline: ts('deadline'),
    issuedAt: ts('issued_at').notNull().defaultNow(),
  },
  (t) => [
    index('escalation_orders_problem_idx').on(t.problemId),
    index('escalation_orders_issued_idx').on(t.issuedAt),
  ],
);
