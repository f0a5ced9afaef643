import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { regions, units, users } from './org.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * 点位类型 with its checklist (items: text, guidance, countRule, serious, standards — see
 * core/inspection/score.ts ChecklistItem) and how the test samples it. Visits store answers by
 * item index, so an in-use checklist only grows at the end (core/inspection/checklist-edit.ts).
 */
export const pointTypes = pgTable('point_types', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  sampling: text('sampling', { enum: ['mandatory', 'random'] }).notNull(),
  defaultDrawCount: integer('default_draw_count').notNull().default(0),
  route: text('route'),
  checklist: jsonb('checklist').notNull(),
  /** 随机查看: inspectors may add a place of this type during a round. */
  randomCheck: boolean('random_check').notNull().default(false),
  version: integer('version').notNull().default(1),
});

/** 点位: a place the test may visit, with its responsible unit (包保单位). */
export const points = pgTable(
  'points',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    typeId: integer('type_id')
      .notNull()
      .references(() => pointTypes.id, { onDelete: 'restrict' }),
    regionId: integer('region_id').references(() => regions.id, { onDelete: 'restrict' }),
    /** Where region_id came from, as problems.region_source ('boundary': re-derived on changes). */
    regionSource: text('region_source', { enum: ['given', 'grid', 'boundary'] }),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    address: text('address'),
    unitId: integer('unit_id').references(() => units.id, { onDelete: 'set null' }),
    /** 负责人 and 联系电话 of the 申报表. */
    leader: text('leader'),
    contact: text('contact'),
    active: boolean('active').notNull().default(true),
    /**
     * 随机查看: the round an inspector added this place in (null: a declared point). Such a place
     * is outside the draw until the office adopts it (`adoptedAt`).
     */
    addedInRoundId: integer('added_in_round_id').references((): AnyPgColumn => rounds.id, {
      onDelete: 'restrict',
    }),
    addedBy: integer('added_by').references(() => users.id, { onDelete: 'set null' }),
    adoptedAt: ts('adopted_at'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('points_type_idx').on(t.typeId, t.id),
    index('points_region_idx').on(t.regionId),
    // A place is added once per round: a second inspector adding the same name gets 409.
    uniqueIndex('points_added_name_uq')
      .on(t.addedInRoundId, t.typeId, t.name)
      .where(sql`${t.addedInRoundId} is not null`),
  ],
);

/**
 * An inspection round (official replay, mock, supervision, secret) and its verifiable draw: the
 * commitment and the frozen list's fingerprint are published first; the seed stays secret until
 * revealed.
 */
export const rounds = pgTable(
  'rounds',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['official', 'mock', 'supervision', 'secret'] }).notNull(),
    state: text('state', { enum: ['planned', 'committed', 'drawn', 'revealed'] })
      .notNull()
      .default('planned'),
    startsOn: text('starts_on'),
    endsOn: text('ends_on'),
    /** [{type, mode: 'all'|'random', count?}] by point type code. */
    plan: jsonb('plan').notNull(),
    /**
     * Region ids whose subtree is in scope (empty: the whole city). A round drawn by day: the
     * districts of its schedule.
     */
    regionIds: integer('region_ids').array().notNull(),
    /**
     * 按城区分日抽签: the plan applies per district and each day of `round_days` is drawn on its
     * own; the round's state, `drawnIds` and times then sum up its days (core/draw/strata.ts).
     */
    byDistrict: boolean('by_district').notNull().default(false),
    /**
     * The level that runs the round (督查/暗访 of a district or street 创建办): its region; null for
     * the city's rounds. Only that level (and the levels above) manage it; its points lie inside.
     */
    ownerRegionId: integer('owner_region_id').references(() => regions.id, {
      onDelete: 'restrict',
    }),
    /**
     * 交办属地: the problems a city round finds in a district are handed to that district's 创建办
     * to dispatch, instead of going straight to the point's 包保单位.
     */
    handDown: boolean('hand_down').notNull().default(false),
    inspectorIds: integer('inspector_ids').array().notNull(),
    seed: text('seed'),
    commitment: text('commitment'),
    fingerprint: text('fingerprint'),
    /** The frozen eligible list, [{id, type}] in order, as committed. */
    frozenList: jsonb('frozen_list'),
    /** Drawn point ids in draw order; drawn by day: the drawn days' ids, by date. */
    drawnIds: integer('drawn_ids').array(),
    committedAt: ts('committed_at'),
    drawnAt: ts('drawn_at'),
    revealedAt: ts('revealed_at'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('rounds_name_uq').on(t.name)],
);

/**
 * 测评日程: one day of a round drawn by district (按城区分日抽签), with its own verifiable draw —
 * commitment, frozen list (keyed by stratum `district/type`), the plan expanded over its districts
 * (frozen at the commitment), seed and drawn ids. A district lies on one day of a round.
 */
export const roundDays = pgTable(
  'round_days',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id, { onDelete: 'cascade' }),
    /** YYYY-MM-DD (Shanghai). */
    date: text('date').notNull(),
    /** The districts (区县 region ids) tested that day, in the schedule's order. */
    regionIds: integer('region_ids').array().notNull(),
    /** [{regionId, type, count}]: a district's own count for a random type of the plan. */
    overrides: jsonb('overrides').notNull().default([]),
    state: text('state', { enum: ['planned', 'committed', 'drawn', 'revealed'] })
      .notNull()
      .default('planned'),
    /** The plan over the day's districts by stratum, as committed. */
    plan: jsonb('plan'),
    seed: text('seed'),
    commitment: text('commitment'),
    fingerprint: text('fingerprint'),
    frozenList: jsonb('frozen_list'),
    drawnIds: integer('drawn_ids').array(),
    committedAt: ts('committed_at'),
    drawnAt: ts('drawn_at'),
    revealedAt: ts('revealed_at'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('round_days_date_uq').on(t.roundId, t.date)],
);
