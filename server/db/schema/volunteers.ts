import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { files } from './files.js';
import { regions, units, users } from './org.js';
// A cycle the tables' lazy references allow: an attendance may be at a service order (点单派单).
import { serviceOrders } from './service-orders.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/** 志愿服务队: a team, usually under a unit (the organiser) and in a region. */
export const volunteerTeams = pgTable(
  'volunteer_teams',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    unitId: integer('unit_id').references(() => units.id, { onDelete: 'set null' }),
    regionId: integer('region_id').references(() => regions.id, { onDelete: 'restrict' }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('volunteer_teams_name_uq').on(t.name)],
);

/** 志愿者: a registered volunteer. `userId` links the account a volunteer signs in with. */
export const volunteers = pgTable(
  'volunteers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    /** Normalised digits; the registry's natural key (imports match on it). */
    phone: text('phone').notNull(),
    organisation: text('organisation'),
    teamId: integer('team_id').references(() => volunteerTeams.id, { onDelete: 'set null' }),
    skills: text('skills')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    regionId: integer('region_id').references(() => regions.id, { onDelete: 'restrict' }),
    status: text('status', { enum: ['active', 'inactive'] })
      .notNull()
      .default('active'),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    /**
     * 实名: the 身份证号 sealed by platform/field-crypto.ts (AES-256-GCM, context
     * `volunteers.id_number`), its keyed hash for lookups and uniqueness, and its masked form
     * (110105********002X) — what every answer shows, so reading the registry never decrypts.
     * All three null: 未实名.
     */
    idNumberEnc: text('id_number_enc'),
    idNumberHash: text('id_number_hash'),
    idNumberMasked: text('id_number_masked'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('volunteers_phone_uq').on(t.phone),
    uniqueIndex('volunteers_id_number_uq').on(t.idNumberHash),
    uniqueIndex('volunteers_user_uq').on(t.userId),
    index('volunteers_team_idx').on(t.teamId),
    index('volunteers_region_idx').on(t.regionId),
  ],
);

/** 新时代文明实践中心/所/站 and 学雷锋志愿服务站: places with opening hours and staff. */
export const practicePlaces = pgTable(
  'practice_places',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind', { enum: ['center', 'institute', 'station', 'lei_feng'] }).notNull(),
    name: text('name').notNull(),
    regionId: integer('region_id').references(() => regions.id, { onDelete: 'restrict' }),
    unitId: integer('unit_id').references(() => units.id, { onDelete: 'set null' }),
    address: text('address'),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    openingHours: text('opening_hours'),
    /** Names (and roles) of the staff on duty, e.g. "站长 张三". */
    staff: text('staff')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('practice_places_name_uq').on(t.name),
    index('practice_places_region_idx').on(t.regionId),
  ],
);

/** 志愿活动. `signedUp` is kept with the row so capacity holds under concurrent sign-ups. */
export const volunteerActivities = pgTable(
  'volunteer_activities',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    title: text('title').notNull(),
    description: text('description'),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    placeId: integer('place_id').references(() => practicePlaces.id, { onDelete: 'set null' }),
    address: text('address'),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    regionId: integer('region_id').references(() => regions.id, { onDelete: 'restrict' }),
    capacity: integer('capacity').notNull(),
    signedUp: integer('signed_up').notNull().default(0),
    organiserUnitId: integer('organiser_unit_id').references(() => units.id, {
      onDelete: 'set null',
    }),
    organiserTeamId: integer('organiser_team_id').references(() => volunteerTeams.id, {
      onDelete: 'set null',
    }),
    status: text('status', { enum: ['published', 'cancelled'] })
      .notNull()
      .default('published'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('volunteer_activities_starts_idx').on(t.startsAt),
    index('volunteer_activities_place_idx').on(t.placeId, t.startsAt),
  ],
);

export const activitySignups = pgTable(
  'activity_signups',
  {
    activityId: integer('activity_id')
      .notNull()
      .references(() => volunteerActivities.id, { onDelete: 'cascade' }),
    volunteerId: integer('volunteer_id')
      .notNull()
      .references(() => volunteers.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['signed', 'cancelled'] })
      .notNull()
      .default('signed'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.activityId, t.volunteerId] }),
    index('activity_signups_volunteer_idx').on(t.volunteerId),
  ],
);

/**
 * One volunteer's attendance at one activity — or at one service order (点单派单: checked in at
 * the resident's address, out when the order is marked done). The check-in's client id makes a
 * retried check-in the same one. `creditedMinutes` is what core/volunteers/hours.ts credits,
 * recomputed for the volunteer on every check-in, check-out and settings change, so statistics
 * are plain sums — the one place a volunteer's hours are kept, whatever the service was.
 */
export const activityAttendance = pgTable(
  'activity_attendance',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    activityId: integer('activity_id').references(() => volunteerActivities.id, {
      onDelete: 'cascade',
    }),
    serviceOrderId: bigint('service_order_id', { mode: 'number' }).references(
      (): AnyPgColumn => serviceOrders.id,
      { onDelete: 'cascade' },
    ),
    volunteerId: integer('volunteer_id')
      .notNull()
      .references(() => volunteers.id, { onDelete: 'cascade' }),
    clientId: uuid('client_id').notNull(),
    checkInAt: ts('check_in_at').notNull(),
    checkInMethod: text('check_in_method', { enum: ['qr', 'gps', 'office'] }).notNull(),
    checkInLat: doublePrecision('check_in_lat'),
    checkInLng: doublePrecision('check_in_lng'),
    checkOutClientId: uuid('check_out_client_id'),
    checkOutAt: ts('check_out_at'),
    checkOutMethod: text('check_out_method', { enum: ['qr', 'gps', 'office'] }),
    creditedMinutes: integer('credited_minutes').notNull().default(0),
    estimated: boolean('estimated').notNull().default(false),
  },
  (t) => [
    uniqueIndex('activity_attendance_client_uq').on(t.clientId),
    uniqueIndex('activity_attendance_person_uq').on(t.activityId, t.volunteerId),
    uniqueIndex('activity_attendance_order_person_uq').on(t.serviceOrderId, t.volunteerId),
    index('activity_attendance_volunteer_idx').on(t.volunteerId, t.checkInAt),
    check(
      'activity_attendance_one_of_ck',
      sql`(${t.activityId} is null) <> (${t.serviceOrderId} is null)`,
    ),
  ],
);

/** The office's corrections of a volunteer's hours: signed minutes with a reason (audited too). */
export const hourAdjustments = pgTable(
  'hour_adjustments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    volunteerId: integer('volunteer_id')
      .notNull()
      .references(() => volunteers.id, { onDelete: 'cascade' }),
    activityId: integer('activity_id').references(() => volunteerActivities.id, {
      onDelete: 'set null',
    }),
    minutes: integer('minutes').notNull(),
    reason: text('reason').notNull(),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('hour_adjustments_volunteer_idx').on(t.volunteerId)],
);

/**
 * Hours recorded in the 全国志愿服务信息系统 and imported (source 全国系统): they count in the
 * volunteer's total like attendance. `recordKey` makes a re-import add nothing: the national
 * record id when the sheet has one, else volunteer, activity, day and minutes
 * (core/volunteers/national-hours.ts).
 */
export const nationalHours = pgTable(
  'volunteer_national_hours',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    volunteerId: integer('volunteer_id')
      .notNull()
      .references(() => volunteers.id, { onDelete: 'cascade' }),
    recordKey: text('record_key').notNull(),
    nationalRecordId: text('national_record_id'),
    activityTitle: text('activity_title').notNull(),
    serviceDate: date('service_date', { mode: 'string' }).notNull(),
    minutes: integer('minutes').notNull(),
    importFile: text('import_file'),
    importedBy: integer('imported_by').references(() => users.id, { onDelete: 'set null' }),
    importedAt: ts('imported_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('volunteer_national_hours_key_uq').on(t.recordKey),
    index('volunteer_national_hours_volunteer_idx').on(t.volunteerId, t.serviceDate),
  ],
);

/** Photos of an activity, added afterwards (uploaded through the files module). */
export const activityPhotos = pgTable(
  'activity_photos',
  {
    activityId: integer('activity_id')
      .notNull()
      .references(() => volunteerActivities.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id, { onDelete: 'restrict' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.fileId] })],
);

/** Resident population per region, for the registered-volunteer rate (注册志愿者占常住人口比例). */
export const regionPopulations = pgTable('region_populations', {
  regionId: integer('region_id')
    .primaryKey()
    .references(() => regions.id, { onDelete: 'cascade' }),
  population: integer('population').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
