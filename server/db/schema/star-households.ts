import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { grids } from './grids.js';
import { honours } from './honours.js';
import { regions, users } from './org.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * 十星级文明户: the stars a household can be awarded (爱国守法星, 诚信星, 孝老星…). The office keeps
 * the list; `code` is the stable English name a rating stores, the name may be reworded.
 */
export const starCriteria = pgTable(
  'star_criteria',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en').notNull(),
    description: text('description'),
    sortOrder: integer('sort_order').notNull().default(0),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('star_criteria_code_uq').on(t.code)],
);

/**
 * A household (户) of a grid, as the grid worker knows it. `regionId` is the grid's region (the
 * community whose board publishes it), copied when the household is placed. The phone and the
 * full address are private; `building` (楼栋/单元, never the room) is what the public board shows.
 */
export const starHouseholds = pgTable(
  'star_households',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    gridId: integer('grid_id')
      .notNull()
      .references(() => grids.id, { onDelete: 'restrict' }),
    regionId: integer('region_id')
      .notNull()
      .references(() => regions.id, { onDelete: 'restrict' }),
    headName: text('head_name').notNull(),
    address: text('address').notNull(),
    building: text('building'),
    phone: text('phone'),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    active: boolean('active').notNull().default(true),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('star_households_grid_address_uq').on(t.gridId, t.address),
    index('star_households_region_idx').on(t.regionId, t.id),
  ],
);

/**
 * One household's rating of one year: the stars proposed (criteria codes), then the office's
 * review — approved (published on the community's board) or returned with a reason (proposed
 * again on the same row). `honourId`: the 文明家庭 title a ten-star household was registered as.
 */
export const starRatings = pgTable(
  'star_ratings',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    householdId: integer('household_id')
      .notNull()
      .references(() => starHouseholds.id, { onDelete: 'cascade' }),
    year: integer('year').notNull(),
    status: text('status', { enum: ['proposed', 'approved', 'returned'] }).notNull(),
    stars: text('stars')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    starCount: integer('star_count').notNull(),
    note: text('note'),
    /** The phone's id of the proposal: a retried send is the same proposal. */
    clientId: uuid('client_id'),
    proposedBy: integer('proposed_by').references(() => users.id, { onDelete: 'set null' }),
    proposedAt: ts('proposed_at').notNull(),
    reviewedBy: integer('reviewed_by').references(() => users.id, { onDelete: 'set null' }),
    reviewedAt: ts('reviewed_at'),
    returnReason: text('return_reason'),
    honourId: integer('honour_id').references(() => honours.id, { onDelete: 'set null' }),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('star_ratings_household_year_uq').on(t.householdId, t.year),
    uniqueIndex('star_ratings_client_uq').on(t.clientId),
    index('star_ratings_year_status_idx').on(t.year, t.status),
    check('star_ratings_count_ck', sql`${t.starCount} = cardinality(${t.stars})`),
  ],
);
