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
import { open311Clients } from './citizen.js';
import { problems } from './problems.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * 结果回传: what a problem's outside source is owed — a 12345 order's result (办结, 不予受理, 缓办,
 * 延期) for the hotline, a status change for the Open311 client that filed the request. Written in
 * the same transaction as the step that causes it (one row per origin problem, step and target:
 * the idempotency key is unique), posted by the `pushback` job, signed, retried with back-off
 * until the receiver acknowledges it or the attempts run out (then `failed_at`; the office can
 * send it again by hand).
 */
export const pushbackDeliveries = pgTable(
  'pushback_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    target: text('target', { enum: ['hotline', 'open311'] }).notNull(),
    /** The Open311 client the request came from (target `open311`). */
    open311ClientId: integer('open311_client_id').references(() => open311Clients.id, {
      onDelete: 'cascade',
    }),
    /** The problem the outside order became (a merged duplicate keeps its own order number). */
    problemId: bigint('problem_id', { mode: 'number' })
      .notNull()
      .references(() => problems.id, { onDelete: 'cascade' }),
    /** The timeline event that caused it (on the problem that carries the work after a merge). */
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    /** Hotline: the result type (closed, rejected, deferred, extended); Open311: the step's action. */
    kind: text('kind').notNull(),
    /** The 12345 order number, or the Open311 service_request_id. */
    externalRef: text('external_ref').notNull(),
    /** Sent as the `Idempotency-Key` header, the same on every attempt. */
    idempotencyKey: text('idempotency_key').notNull(),
    /** What is owed, as of the step; the body is rendered from it (photo links signed at send). */
    payload: jsonb('payload').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    lastAttemptAt: ts('last_attempt_at'),
    /** HTTP status of the last answer (null: no answer — refused, timed out). */
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    ackedAt: ts('acked_at'),
    failedAt: ts('failed_at'),
    /** The photo links' lifetime counts from here (reset when the office sends it again by hand). */
    linksFrom: ts('links_from').notNull().defaultNow(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('pushback_deliveries_key_uq').on(t.idempotencyKey),
    // The job's claim: unfinished deliveries by due time.
    index('pushback_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.ackedAt} is null and ${t.failedAt} is null`),
    // A problem's deliveries (its detail page), and the claim's rule that one order's results go
    // out in order (the earliest unfinished one of a problem first). The log pages by id.
    index('pushback_deliveries_problem_idx').on(t.problemId, t.id),
    index('pushback_deliveries_failed_idx')
      .on(t.id)
      .where(sql`${t.failedAt} is not null`),
  ],
);
