import {
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { campaigns, frameworks } from './frameworks.js';
import { units, users } from './org.js';
import { files } from './files.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/** 攻坚组/工作组: the campaign's command structure — a leader, member units, the standards it owns. */
export const workingGroups = pgTable(
  'working_groups',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    leaderUserId: integer('leader_user_id').references(() => users.id, { onDelete: 'set null' }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('working_groups_name_uq').on(t.campaignId, t.name)],
);

export const workingGroupUnits = pgTable(
  'working_group_units',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => workingGroups.id, { onDelete: 'cascade' }),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'restrict' }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.unitId] })],
);

/** The standards a group owns, by stable key (they survive new framework versions). */
export const workingGroupStandards = pgTable(
  'working_group_standards',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => workingGroups.id, { onDelete: 'cascade' }),
    frameworkId: integer('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'cascade' }),
    standardKey: text('standard_key').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.frameworkId, t.standardKey] }),
    index('working_group_standards_key_idx').on(t.frameworkId, t.standardKey),
  ],
);

/** 目标责任书: one per unit and campaign; unsigned until the signed scan is uploaded. */
export const pledges = pgTable(
  'pledges',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'restrict' }),
    status: text('status', { enum: ['unsigned', 'signed'] })
      .notNull()
      .default('unsigned'),
    signedFileId: uuid('signed_file_id').references(() => files.id, { onDelete: 'restrict' }),
    signedBy: integer('signed_by').references(() => users.id, { onDelete: 'set null' }),
    signedAt: ts('signed_at'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('pledges_uq').on(t.campaignId, t.unitId)],
);
