import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { regions, units, users } from './org.js';
import { problems } from './problems.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * 包联: a unit is paired with a community, or one building of it, and owes its households visits
 * (入户宣传) before the test; `targetHouseholds` is what full coverage means.
 */
export const outreachPairings = pgTable(
  'outreach_pairings',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'cascade' }),
    regionId: integer('region_id')
      .notNull()
      .references(() => regions.id, { onDelete: 'restrict' }),
    /** Empty for the whole community; else one building (e.g. "3幢"). */
    building: text('building').notNull().default(''),
    leaderId: integer('leader_id').references(() => users.id, { onDelete: 'set null' }),
    targetHouseholds: integer('target_households').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** Optimistic concurrency of edits (target, leader, ended/resumed). */
    version: integer('version').notNull().default(1),
  },
  (t) => [uniqueIndex('outreach_pairings_uq').on(t.unitId, t.regionId, t.building)],
);

/** One household visit; the client's id makes a retried submission the same visit. */
export const householdVisits = pgTable(
  'household_visits',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    clientId: uuid('client_id').notNull(),
    pairingId: integer('pairing_id').references(() => outreachPairings.id, {
      onDelete: 'set null',
    }),
    visitorId: integer('visitor_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    visitorUnitId: integer('visitor_unit_id').references(() => units.id, { onDelete: 'set null' }),
    regionId: integer('region_id')
      .notNull()
      .references(() => regions.id, { onDelete: 'restrict' }),
    building: text('building').notNull(),
    /** The household within the building, e.g. "2单元301"; normalised for counting. */
    household: text('household').notNull(),
    visitedAt: ts('visited_at').notNull(),
    publicity: text('publicity')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    concern: text('concern'),
    problemId: bigint('problem_id', { mode: 'number' }).references(() => problems.id, {
      onDelete: 'set null',
    }),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('household_visits_client_uq').on(t.clientId),
    index('household_visits_pairing_idx').on(t.pairingId, t.building, t.household),
    index('household_visits_region_idx').on(t.regionId, t.building, t.household),
    index('household_visits_visitor_idx').on(t.visitorId, t.visitedAt),
  ],
);
