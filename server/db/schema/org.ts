import { sql } from 'drizzle-orm';
import {
  boolean,
  doublePrecision,
  index,
  jsonb,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

// Millisecond precision: the same as a JS Date, so a keyset cursor on a timestamp is exact.
const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date', precision: 3 })
    .notNull()
    .defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date', precision: 3 })
    .notNull()
    .defaultNow(),
};

/** 行政区划: 市 → 区县 → 街道/乡镇 → 社区/村. `path` is `/1/5/23/` for subtree queries. */
export const regions = pgTable(
  'regions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    level: text('level', { enum: ['city', 'district', 'street', 'community'] }).notNull(),
    parentId: integer('parent_id').references((): AnyPgColumn => regions.id, {
      onDelete: 'restrict',
    }),
    path: text('path').notNull().default(''),
    /** 区划边界: a (Multi)Polygon in WGS-84 (GeoJSON), with its box; null when none is drawn. */
    geometry: jsonb('geometry'),
    minLat: doublePrecision('min_lat'),
    minLng: doublePrecision('min_lng'),
    maxLat: doublePrecision('max_lat'),
    maxLng: doublePrecision('max_lng'),
    /** Counts boundary changes (0: never drawn), as grids' geometry_rev. */
    boundaryRev: integer('boundary_rev').notNull().default(0),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('regions_code_uq').on(t.code),
    index('regions_parent_idx').on(t.parentId),
    index('regions_path_idx').on(t.path.op('text_pattern_ops')),
    index('regions_box_idx').on(t.minLat, t.maxLat, t.minLng, t.maxLng),
  ],
);

/** 单位: departments, street offices, schools, hospitals, companies… */
export const units = pgTable(
  'units',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** The one 简称 shown in lists; `aliases` holds the other names offices write for the unit. */
    shortName: text('short_name'),
    aliases: text('aliases')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    type: text('type').notNull(),
    regionId: integer('region_id').references(() => regions.id, { onDelete: 'restrict' }),
    parentId: integer('parent_id').references((): AnyPgColumn => units.id, {
      onDelete: 'restrict',
    }),
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    address: text('address'),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('units_code_uq').on(t.code),
    uniqueIndex('units_name_uq').on(t.name),
    index('units_region_idx').on(t.regionId),
    index('units_type_idx').on(t.type),
    index('units_parent_idx').on(t.parentId),
  ],
);

/**
 * 集体责任方: a name a 任务分解表 writes for several units at once — a group (各区县, 各街道（乡镇）,
 * 市直各部门: its members listed, and/or every active unit of some types) — or an outside party with
 * a unit that answers for it (各物业公司 → 市住建局). Defined once; an import resolves the name to
 * the members (each sees the task) or the contact unit, and keeps the party to write it back.
 */
export const parties = pgTable(
  'parties',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    aliases: text('aliases')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    kind: text('kind', { enum: ['group', 'outside'] }).notNull(),
    /** Groups: every active unit of these types is a member (besides those listed). */
    memberTypes: text('member_types')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Outside parties: the unit that answers for it. */
    contactUnitId: integer('contact_unit_id').references(() => units.id, { onDelete: 'restrict' }),
    notes: text('notes'),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [uniqueIndex('parties_name_uq').on(t.name)],
);

/** The units a group party lists by name (besides its member types). */
export const partyMembers = pgTable(
  'party_members',
  {
    partyId: integer('party_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'cascade' }),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.partyId, t.unitId] }),
    index('party_members_unit_idx').on(t.unitId),
  ],
);

export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    username: text('username').notNull(),
    name: text('name').notNull(),
    phone: text('phone'),
    unitId: integer('unit_id').references(() => units.id, { onDelete: 'restrict' }),
    regionId: integer('region_id').references(() => regions.id, { onDelete: 'restrict' }),
    roles: text('roles')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    active: boolean('active').notNull().default(true),
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    failedLoginCount: integer('failed_login_count').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true, mode: 'date' }),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true, mode: 'date' }),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('users_username_uq').on(sql`lower(${t.username})`),
    uniqueIndex('users_phone_uq').on(t.phone),
    index('users_unit_idx').on(t.unitId),
    index('users_region_idx').on(t.regionId),
  ],
);
