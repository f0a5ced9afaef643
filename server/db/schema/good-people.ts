import { sql } from 'drizzle-orm';
import {
  bigint,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { files } from './files.js';
import { regions, units, users } from './org.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * 身边好人: a nomination of a person for a month's 好人榜 — by a unit, a community (staff) or a
 * citizen through the public form (whose name and phone stay with the office). Reviewed by the
 * 文明办 (入围 / 未入围), put to the public vote, and honoured with a place on the month's list.
 */
export const goodPersonNominations = pgTable(
  'good_person_nominations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** YYYY-MM */
    month: text('month').notNull(),
    category: text('category', {
      enum: ['helping', 'bravery', 'honesty', 'dedication', 'filial'],
    }).notNull(),
    nomineeName: text('nominee_name').notNull(),
    deeds: text('deeds').notNull(),
    /** The nominee's place: the office of its subtree reviews the nomination. */
    regionId: integer('region_id')
      .notNull()
      .references(() => regions.id, { onDelete: 'restrict' }),
    photoFileId: uuid('photo_file_id').references(() => files.id, { onDelete: 'set null' }),
    source: text('source', { enum: ['unit', 'community', 'citizen'] }).notNull(),
    nominatorUnitId: integer('nominator_unit_id').references(() => units.id, {
      onDelete: 'set null',
    }),
    nominatorRegionId: integer('nominator_region_id').references(() => regions.id, {
      onDelete: 'set null',
    }),
    /** The staff user who nominated (null: the public form). */
    nominatedBy: integer('nominated_by').references(() => users.id, { onDelete: 'set null' }),
    // A citizen nominator: private to the office.
    citizenName: text('citizen_name'),
    citizenPhone: text('citizen_phone'),
    citizenDeviceId: text('citizen_device_id'),
    citizenIp: text('citizen_ip'),
    status: text('status', { enum: ['submitted', 'shortlisted', 'rejected', 'honoured'] })
      .notNull()
      .default('submitted'),
    /** Why it was not shortlisted. */
    reason: text('reason'),
    /** The place on the month's 好人榜 (honoured only). */
    rank: integer('rank'),
    reviewedBy: integer('reviewed_by').references(() => users.id, { onDelete: 'set null' }),
    reviewedAt: ts('reviewed_at'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('good_person_nominations_month_idx').on(t.month, t.status, t.id),
    index('good_person_nominations_region_idx').on(t.regionId),
    index('good_person_nominations_by_idx').on(t.nominatedBy),
    // One person a place on a month's list.
    uniqueIndex('good_person_nominations_rank_uq')
      .on(t.month, t.rank)
      .where(sql`status = 'honoured'`),
  ],
);

/** A month's course: collecting → voting → closed → published (the city office moves it). */
export const goodPersonMonths = pgTable('good_person_months', {
  month: text('month').primaryKey(),
  state: text('state', { enum: ['collecting', 'voting', 'closed', 'published'] })
    .notNull()
    .default('collecting'),
  votingOpenedAt: ts('voting_opened_at'),
  votingClosedAt: ts('voting_closed_at'),
  publishedAt: ts('published_at'),
  version: integer('version').notNull().default(1),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * A public vote: one per voter key (a hash of the browser's device id) per nominee per Beijing
 * day. The key is never shown; only counts leave the database.
 */
export const goodPersonVotes = pgTable(
  'good_person_votes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    nominationId: integer('nomination_id')
      .notNull()
      .references(() => goodPersonNominations.id, { onDelete: 'cascade' }),
    voterKey: text('voter_key').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('good_person_votes_voter_day_uq').on(t.nominationId, t.voterKey, t.day)],
);

/** The path upward of an honoured person: recommended to / selected for 省 and 中国好人榜. */
export const goodPersonSteps = pgTable(
  'good_person_steps',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    nominationId: integer('nomination_id')
      .notNull()
      .references(() => goodPersonNominations.id, { onDelete: 'cascade' }),
    level: text('level', { enum: ['provincial', 'national'] }).notNull(),
    stage: text('stage', { enum: ['recommended', 'selected', 'not_selected'] }).notNull(),
    on: date('on', { mode: 'string' }).notNull(),
    note: text('note'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('good_person_steps_nomination_idx').on(t.nominationId, t.on)],
);
