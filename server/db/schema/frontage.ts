import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { files } from './files.js';
import { regions, units } from './org.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * 门前三包/五包: a shop or unit along a street and its duty zone (a frontage line or an area with a
 * buffer), the signed agreement and the public plaque. The bounding box (grown by the buffer) is
 * stored for an index prefilter: "whose zone is this problem in?" runs on every problem page.
 */
export const frontageDuties = pgTable(
  'frontage_duties',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    code: text('code').notNull(),
    holderName: text('holder_name').notNull(),
    holderType: text('holder_type', { enum: ['shop', 'unit', 'institution', 'other'] }).notNull(),
    /** When the holder is one of the campaign's units. */
    unitId: integer('unit_id').references(() => units.id, { onDelete: 'set null' }),
    regionId: integer('region_id').references(() => regions.id, { onDelete: 'restrict' }),
    address: text('address'),
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    /** 三包 or 五包: the duties the agreement lists. */
    duties: text('duties')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    zone: jsonb('zone').notNull(),
    bufferM: doublePrecision('buffer_m').notNull().default(10),
    minLat: doublePrecision('min_lat').notNull(),
    minLng: doublePrecision('min_lng').notNull(),
    maxLat: doublePrecision('max_lat').notNull(),
    maxLng: doublePrecision('max_lng').notNull(),
    agreementFileId: uuid('agreement_file_id').references(() => files.id, { onDelete: 'set null' }),
    agreementSignedOn: date('agreement_signed_on', { mode: 'string' }),
    plaqueStatus: text('plaque_status', { enum: ['none', 'installed', 'damaged', 'missing'] })
      .notNull()
      .default('none'),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('frontage_duties_code_uq').on(t.code),
    index('frontage_duties_box_idx').on(t.minLat, t.maxLat, t.minLng, t.maxLng),
    index('frontage_duties_region_idx').on(t.regionId),
  ],
);
