import {
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { regions, units } from './org.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * 文明细胞: a holder of a civilized title — 文明单位, 文明村镇, 文明校园, 文明社区, 文明家庭 — with the
 * title's level, the year it was conferred, its term and where it stands in dynamic management
 * (在册 / 整改 / 暂停 / 撤销 / 放弃). A title is never deleted: its end is a status, so the history
 * stays. One holder holds a title once a year (the unique key).
 */
export const honours = pgTable(
  'honours',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    cellType: text('cell_type', {
      enum: ['unit', 'village', 'campus', 'community', 'family'],
    }).notNull(),
    holderName: text('holder_name').notNull(),
    /** A 文明单位 or 文明校园 that is one of the campaign's units. */
    unitId: integer('unit_id').references(() => units.id, { onDelete: 'set null' }),
    /** The holder's place (a village, a community, a family's community; a unit's district). */
    regionId: integer('region_id').references(() => regions.id, { onDelete: 'restrict' }),
    title: text('title').notNull(),
    level: text('level', { enum: ['national', 'provincial', 'city', 'county'] }).notNull(),
    yearConferred: integer('year_conferred').notNull(),
    termYears: integer('term_years').notNull().default(3),
    status: text('status', {
      enum: ['listed', 'rectifying', 'suspended', 'revoked', 'relinquished'],
    })
      .notNull()
      .default('listed'),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    remarks: text('remarks'),
    /** The 文明办 that manages the holder: its region (null: the city's). */
    officeRegionId: integer('office_region_id').references(() => regions.id, {
      onDelete: 'restrict',
    }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('honours_holder_title_year_uq').on(
      t.cellType,
      t.holderName,
      t.title,
      t.yearConferred,
    ),
    index('honours_region_idx').on(t.regionId),
    index('honours_year_idx').on(t.yearConferred, t.id),
  ],
);
