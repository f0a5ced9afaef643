import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { frameworks } from './frameworks.js';
import { units, users } from './org.js';
import { rounds } from './points.js';
import { problems } from './problems.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * 实景模拟验证 target: what an office calls or visits to verify a simulation standard (12348
 * 公共法律服务热线, 12315 消费维权热线…), the unit answerable for it and the pass criteria
 * (core/inspection/simulation.ts). Keyed by the standard's stable key, so it survives new
 * framework versions.
 */
export const simulationTargets = pgTable(
  'simulation_targets',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    frameworkId: integer('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'cascade' }),
    standardKey: text('standard_key').notNull(),
    name: text('name').notNull(),
    /** The number to dial or the address to visit. */
    contact: text('contact').notNull(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'restrict' }),
    /** Rings allowed before a person answers; null: the wait is not judged. */
    maxRings: integer('max_rings'),
    requireCorrect: boolean('require_correct').notNull().default(true),
    /** Working days a promised call-back may take; null: call-backs are not judged. */
    callbackDays: integer('callback_days'),
    /** What the caller asks (the scenario), so every call tests the same thing. */
    script: text('script'),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('simulation_targets_name_uq').on(t.frameworkId, t.standardKey, t.name),
    index('simulation_targets_unit_idx').on(t.unitId),
  ],
);

/**
 * 模拟验证记录: one call (or visit) to a target — in an inspection round (a mock evaluation that
 * includes calls) or on its own date — and what happened. Corrected in place (versioned, audited).
 */
export const simulationChecks = pgTable(
  'simulation_checks',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** Client-generated id: a retried submission returns the stored check. */
    clientId: uuid('client_id').notNull(),
    targetId: integer('target_id')
      .notNull()
      .references(() => simulationTargets.id, { onDelete: 'restrict' }),
    roundId: integer('round_id').references(() => rounds.id, { onDelete: 'restrict' }),
    calledAt: ts('called_at').notNull(),
    /** Who called (an inspector, a volunteer the office sent…), as written. */
    callerName: text('caller_name').notNull(),
    answered: boolean('answered').notNull(),
    rings: integer('rings'),
    waitSeconds: integer('wait_seconds'),
    answer: text('answer', { enum: ['yes', 'partly', 'no'] }),
    callbackPromised: boolean('callback_promised'),
    callbackOnTime: boolean('callback_on_time'),
    notes: text('notes'),
    fileIds: uuid('file_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    /** The problem a failed check was registered as (dispatched to the target's unit). */
    problemId: bigint('problem_id', { mode: 'number' }).references(() => problems.id, {
      onDelete: 'set null',
    }),
    recordedBy: integer('recorded_by').references(() => users.id, { onDelete: 'set null' }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('simulation_checks_client_uq').on(t.clientId),
    index('simulation_checks_target_idx').on(t.targetId, t.calledAt),
    index('simulation_checks_round_idx').on(t.roundId),
  ],
);
