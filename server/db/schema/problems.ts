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
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { regions, units, users } from './org.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/** Two-level problem taxonomy (大类/小类), in the style of the 数字城管 部件/事件 lists. */
export const problemCategories = pgTable(
  'problem_categories',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    parentId: integer('parent_id').references((): AnyPgColumn => problemCategories.id, {
      onDelete: 'restrict',
    }),
    /** Working days to rectify, by severity (a subcategory without its own uses its parent's). */
    deadlineDays: jsonb('deadline_days').$type<{
      normal: number;
      urgent: number;
      critical: number;
    }>(),
    active: boolean('active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
  },
  (t) => [
    uniqueIndex('problem_categories_code_uq').on(t.code),
    index('problem_categories_parent_idx').on(t.parentId),
  ],
);

export const problems = pgTable(
  'problems',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** Human code, e.g. WT2026-000123. */
    code: text('code').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    categoryId: integer('category_id')
      .notNull()
      .references(() => problemCategories.id, { onDelete: 'restrict' }),
    severity: text('severity').notNull().default('normal'),
    channel: text('channel').notNull(),
    state: text('state').notNull(),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    address: text('address'),
    regionId: integer('region_id').references(() => regions.id, { onDelete: 'restrict' }),
    /**
     * Where region_id came from: the report named it ('given'), the grid at the place ('grid'), or
     * the deepest region boundary at the place ('boundary' — re-derived when boundaries change).
     * Null: no region, or a problem from before boundaries (treated as given).
     */
    regionSource: text('region_source', { enum: ['given', 'grid', 'boundary'] }),
    pointId: integer('point_id'),
    gridId: integer('grid_id'),
    reporterId: integer('reporter_id').references(() => users.id, { onDelete: 'restrict' }),
    /** The unit that reported it (unit self-report), which may see it too. */
    reporterUnitId: integer('reporter_unit_id').references(() => units.id, {
      onDelete: 'restrict',
    }),
    reporterName: text('reporter_name'),
    reporterPhone: text('reporter_phone'),
    /** The hotline's order number (12345), unique per channel: a re-sent order is not a new problem. */
    externalRef: text('external_ref'),
    unitId: integer('unit_id').references(() => units.id, { onDelete: 'restrict' }),
    deadline: ts('deadline'),
    reworkCount: integer('rework_count').notNull().default(0),
    /** Approved extensions, for the 延期率 KPI. */
    extensionCount: integer('extension_count').notNull().default(0),
    /** Hours on working days from dispatch to close, fixed when it closes (average handling time). */
    handlingHours: doublePrecision('handling_hours'),
    /** 反弹: a closed problem of the same category at the same place within the window. */
    recurrenceOfId: bigint('recurrence_of_id', { mode: 'number' }).references(
      (): AnyPgColumn => problems.id,
      {
        onDelete: 'set null',
      },
    ),
    /** A merged duplicate: the problem it was folded into (never one that is merged itself). */
    mergedIntoId: bigint('merged_into_id', { mode: 'number' }).references(
      (): AnyPgColumn => problems.id,
      { onDelete: 'restrict' },
    ),
    extensionPending: boolean('extension_pending').notNull().default(false),
    /** The highest 督办 colour already issued for the current deadline (the job issues step-ups). */
    escalationIssued: text('escalation_issued').notNull().default('none'),
    extensionRequestedDeadline: ts('extension_requested_deadline'),
    registeredAt: ts('registered_at'),
    dispatchedAt: ts('dispatched_at'),
    submittedAt: ts('submitted_at'),
    closedAt: ts('closed_at'),
    deferredAt: ts('deferred_at'),
    /**
     * 交办: the district or street whose 创建办 the office above handed the problem to, to dispatch
     * it to one of its own units (the office above keeps watching it); null: not handed down.
     */
    handedToRegionId: integer('handed_to_region_id').references(() => regions.id, {
      onDelete: 'restrict',
    }),
    handedAt: ts('handed_at'),
    /** 交办时限: the lower office is to dispatch it by then (working days from the hand-down). */
    handDueAt: ts('hand_due_at'),
    /** When the office below and the offices above were told the hand-down ran past its 时限. */
    handRemindedAt: ts('hand_reminded_at'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('problems_code_uq').on(t.code),
    // The 交办 reminder job: hand-downs still waiting for the office below to dispatch them.
    index('problems_hand_due_idx')
      .on(t.handDueAt)
      .where(sql`${t.state} = 'registered' and ${t.handRemindedAt} is null`),
    uniqueIndex('problems_external_ref_uq')
      .on(t.channel, t.externalRef)
      .where(sql`${t.externalRef} is not null`),
    index('problems_created_idx').on(t.createdAt, t.id),
    index('problems_state_idx').on(t.state, t.createdAt),
    // A unit's ledger in time order, with or without a state filter.
    index('problems_unit_state_idx').on(t.unitId, t.state, t.createdAt, t.id),
    index('problems_unit_created_idx').on(t.unitId, t.createdAt, t.id),
    index('problems_region_idx').on(t.regionId),
    // The office's queue of problems without a region (未定位), and the boundary re-derivation.
    index('problems_unplaced_idx')
      .on(t.createdAt, t.id)
      .where(sql`${t.regionId} is null`),
    // A grid's problems (grid worker scope, grid statistics).
    index('problems_grid_idx').on(t.gridId, t.state),
    index('problems_category_idx').on(t.categoryId),
    index('problems_deadline_idx')
      .on(t.deadline)
      .where(sql`${t.state} = 'dispatched'`),
    index('problems_reporter_unit_idx').on(t.reporterUnitId),
    index('problems_category_place_idx').on(t.categoryId, t.lat, t.lng),
    // Dashboards (docs/decisions.md, 2026-12-03): each aggregate reads one of these in an
    // index-only scan. The cohort KPIs (dispatched in a window; also the old dispatched_at index).
    index('problems_dispatched_dash_idx').on(
      t.dispatchedAt,
      t.regionId,
      t.unitId,
      t.state,
      t.deadline,
      t.closedAt,
      t.reworkCount,
      t.extensionCount,
      t.handlingHours,
    ),
    // Intake per week/month and 反弹 this month.
    index('problems_registered_dash_idx').on(
      t.registeredAt,
      t.regionId,
      t.unitId,
      t.recurrenceOfId,
    ),
    // Closures per week/month (closed_at is set exactly while a problem is closed).
    index('problems_closed_dash_idx')
      .on(t.closedAt, t.regionId, t.unitId)
      .where(sql`${t.closedAt} is not null`),
    // The open set (a small part of the ledger): counts, colours, the heat map.
    index('problems_open_dash_idx')
      .on(t.unitId, t.regionId, t.state, t.deadline, t.reworkCount, t.lat, t.lng)
      .where(
        sql`${t.state} in ('reported', 'registered', 'dispatched', 'returned', 'submitted', 'deferred')`,
      ),
    // The duplicates a problem absorbed.
    index('problems_merged_into_idx')
      .on(t.mergedIntoId)
      .where(sql`${t.mergedIntoId} is not null`),
    // 核查队列: submitted rectifications, oldest first.
    index('problems_verification_idx')
      .on(t.submittedAt, t.id)
      .where(sql`${t.state} = 'submitted'`),
  ],
);

/**
 * Problems registered and closed per Shanghai calendar day and region (0 = none): the dashboards'
 * trend lines read this instead of scanning years of problems. Kept by statement-level triggers
 * on `problems` (migration 0023), so every write — intake, transitions, merges, imports, raw SQL —
 * updates it in its own transaction.
 */
export const problemDailyCounts = pgTable(
  'problem_daily_counts',
  {
    day: date('day', { mode: 'string' }).notNull(),
    regionId: integer('region_id').notNull(),
    registered: integer('registered').notNull().default(0),
    closed: integer('closed').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.regionId] })],
);

/** The timeline: every transition with who, when, why and what changed. */
export const problemEvents = pgTable(
  'problem_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    problemId: bigint('problem_id', { mode: 'number' })
      .notNull()
      .references(() => problems.id, { onDelete: 'cascade' }),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorId: integer('actor_id'),
    actorName: text('actor_name').notNull(),
    at: ts('at').notNull(),
    note: text('note'),
    data: jsonb('data'),
  },
  (t) => [index('problem_events_problem_idx').on(t.problemId, t.id)],
);

/** The office-editable calendar: holidays on weekdays and adjusted working days (调休). */
export const calendarDays = pgTable('calendar_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
  kind: text('kind', { enum: ['holiday', 'workday'] }).notNull(),
  name: text('name').notNull().default(''),
});
