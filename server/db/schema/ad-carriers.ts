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
import { grids } from './grids.js';
import { regions, units, users } from './org.js';
import { points, pointTypes } from './points.js';
import { problems } from './problems.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

const KINDS = [
  'board',
  'led',
  'hoarding',
  'pole_flag',
  'showcase',
  'window',
  'facade',
  'bus_shelter',
  'other',
] as const;
const THEMES = ['core_values', 'civil_health', 'integrity', 'minors', 'festival', 'other'] as const;

/**
 * 公益广告阵地: one carrier of public-service ads (a 展板, LED screen, 围挡, 灯杆旗…) at a position,
 * with the point and grid it belongs to (the grid and region resolved from the position like a
 * problem's), its maintainer, the theme and design it shows now, a photo and its state. Carriers
 * sharing a `cluster` label at one point count as one (集中设置的算一处). `problemId` is the open
 * problem raised for it (转为问题), so a second is never raised while it is open.
 */
export const adCarriers = pgTable(
  'ad_carriers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    code: text('code').notNull(),
    kind: text('kind', { enum: KINDS }).notNull(),
    widthCm: integer('width_cm').notNull(),
    heightCm: integer('height_cm').notNull(),
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    address: text('address'),
    pointId: integer('point_id').references(() => points.id, { onDelete: 'set null' }),
    gridId: integer('grid_id').references(() => grids.id, { onDelete: 'set null' }),
    regionId: integer('region_id').references(() => regions.id, { onDelete: 'restrict' }),
    unitId: integer('unit_id').references(() => units.id, { onDelete: 'set null' }),
    theme: text('theme', { enum: THEMES }).notNull(),
    designTitle: text('design_title'),
    photoId: uuid('photo_id').references(() => files.id, { onDelete: 'set null' }),
    photoTakenAt: ts('photo_taken_at'),
    state: text('state', { enum: ['intact', 'damaged', 'outdated', 'missing'] })
      .notNull()
      .default('intact'),
    fixed: boolean('fixed').notNull().default(true),
    cluster: text('cluster'),
    problemId: integer('problem_id').references(() => problems.id, { onDelete: 'set null' }),
    remarks: text('remarks'),
    /** The phone's id of the registration: a retry of the same offline submission is the same carrier. */
    clientId: uuid('client_id'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ad_carriers_code_uq').on(t.code),
    uniqueIndex('ad_carriers_client_uq').on(t.clientId),
    index('ad_carriers_point_idx').on(t.pointId),
    index('ad_carriers_region_idx').on(t.regionId),
  ],
);

/**
 * The 公益广告 rule of a point type, from its checklist (BRIEF §2.2): how many carriers per point,
 * per theme, per length of road, the smallest size that counts, fixed forms only, and the share
 * of hoarding area for a construction site. A null part is not checked.
 */
export const adCarrierRules = pgTable('ad_carrier_rules', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  pointTypeId: integer('point_type_id')
    .notNull()
    .unique()
    .references(() => pointTypes.id, { onDelete: 'cascade' }),
  minCount: integer('min_count'),
  /** [{ theme, min }]: at least `min` carriers on `theme`. */
  themeMins: jsonb('theme_mins').notNull().default([]),
  minWidthCm: integer('min_width_cm'),
  minHeightCm: integer('min_height_cm'),
  fixedOnly: boolean('fixed_only').notNull().default(false),
  perLengthCount: integer('per_length_count'),
  perLengthM: integer('per_length_m'),
  minHoardingPct: integer('min_hoarding_pct'),
  basis: text('basis'),
  version: integer('version').notNull().default(1),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * What the coverage check needs of a point that points do not keep: the length of road it covers
 * (for per-distance rules) and the measured share of its hoarding carrying 公益广告 (a manual %).
 */
export const adPointMeasures = pgTable('ad_point_measures', {
  pointId: integer('point_id')
    .primaryKey()
    .references(() => points.id, { onDelete: 'cascade' }),
  lengthM: integer('length_m'),
  hoardingPct: doublePrecision('hoarding_pct'),
  version: integer('version').notNull().default(1),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** 换版: a content campaign (春节主题换版) with a theme and deadline over chosen carriers. */
export const adCampaigns = pgTable('ad_campaigns', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull(),
  theme: text('theme', { enum: THEMES }).notNull(),
  designTitle: text('design_title'),
  deadline: date('deadline', { mode: 'string' }).notNull(),
  /** The office running it (null: the city's). */
  ownerRegionId: integer('owner_region_id').references(() => regions.id, {
    onDelete: 'restrict',
  }),
  createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
  version: integer('version').notNull().default(1),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** A carrier in a 换版 campaign: done with before and after photos. */
export const adCampaignItems = pgTable(
  'ad_campaign_items',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => adCampaigns.id, { onDelete: 'cascade' }),
    carrierId: integer('carrier_id')
      .notNull()
      .references(() => adCarriers.id, { onDelete: 'cascade' }),
    doneAt: ts('done_at'),
    doneBy: integer('done_by').references(() => users.id, { onDelete: 'set null' }),
    beforePhotoId: uuid('before_photo_id').references(() => files.id, { onDelete: 'set null' }),
    afterPhotoId: uuid('after_photo_id').references(() => files.id, { onDelete: 'set null' }),
    note: text('note'),
  },
  (t) => [uniqueIndex('ad_campaign_items_uq').on(t.campaignId, t.carrierId)],
);
