import { sql } from 'drizzle-orm';
import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { TBulletinData, TRankingRulesConfig } from '../../../core/contracts/rankings.js';
import type { KpiCounts } from '../../../core/problems/kpis.js';
import { regions, units, users } from './org.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * A period's cohort KPI counts and reports of the snapshot's level (the city: every problem; a
 * district or street: those placed in its subtree), and the moment they were counted at.
 */
export interface SnapshotTotals {
  /** min(period end, time of computing): complete when it is the period's end. */
  cutoff: string;
  counts: KpiCounts;
  /** Problems reported in the period (not merged) and recurrences (反弹) among them. */
  reported: number;
  recurrences: number;
}

/**
 * 单位排名 of one period (a month or an ISO week). The header and its rows are written once; a
 * recompute of a draft period is a new version (the old draft becomes `superseded`), and once a
 * version is published the period is closed to recomputes. Each level (the city, a district or
 * street 创建办) ranks its own units: versions and publication count per (level, period).
 */
export const rankingSnapshots = pgTable(
  'ranking_snapshots',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    period: text('period').notNull(),
    kind: text('kind', { enum: ['month', 'week'] }).notNull(),
    periodFrom: ts('period_from').notNull(),
    periodTo: ts('period_to').notNull(),
    /**
     * The level that ranks (a district or street 创建办: its region, ranking the units of its
     * subtree); null for the city's ranking of every unit.
     */
    ownerRegionId: integer('owner_region_id').references(() => regions.id, {
      onDelete: 'restrict',
    }),
    version: integer('version').notNull(),
    state: text('state', { enum: ['draft', 'published', 'superseded'] }).notNull(),
    /** The rules as they were when computed: a later rule change never rewrites a snapshot. */
    rules: jsonb('rules').$type<TRankingRulesConfig>().notNull(),
    /**
     * The level's figures of the period as counted with the rows (null before migration 0024): a
     * later bulletin of the level reads its published ones for the six-period trend.
     */
    totals: jsonb('totals').$type<SnapshotTotals>(),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdByName: text('created_by_name').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    publishedAt: ts('published_at'),
    publishedBy: integer('published_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    // coalesce: the city (null) is one level like the others.
    uniqueIndex('ranking_snapshots_period_version_uq').on(
      sql`coalesce(${t.ownerRegionId}, 0)`,
      t.period,
      t.version,
    ),
    uniqueIndex('ranking_snapshots_published_uq')
      .on(sql`coalesce(${t.ownerRegionId}, 0)`, t.period)
      .where(sql`${t.state} = 'published'`),
    index('ranking_snapshots_kind_idx').on(t.kind, t.period),
    index('ranking_snapshots_owner_idx').on(t.ownerRegionId, t.period),
  ],
);

/** One unit's figures, score, rank and flag in a snapshot (never updated). */
export const rankingRows = pgTable(
  'ranking_rows',
  {
    snapshotId: integer('snapshot_id')
      .notNull()
      .references(() => rankingSnapshots.id, { onDelete: 'cascade' }),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'restrict' }),
    /** The unit's name at the time (a bulletin reads as it was issued). */
    unitName: text('unit_name').notNull(),
    unitClass: text('unit_class').notNull(),
    sample: integer('sample').notNull(),
    values: jsonb('values').$type<Record<string, number | null>>().notNull(),
    score: doublePrecision('score'),
    rank: integer('rank'),
    classSize: integer('class_size').notNull(),
    flag: text('flag', { enum: ['red', 'black'] }),
    excluded: text('excluded', { enum: ['small_sample', 'no_figures'] }),
    missing: text('missing').array().notNull(),
    streak: integer('streak').notNull().default(0),
    action: jsonb('action').$type<{ zh: string; en: string }>(),
  },
  (t) => [
    primaryKey({ columns: [t.snapshotId, t.unitId] }),
    index('ranking_rows_unit_idx').on(t.unitId, t.snapshotId),
  ],
);

/** A consequence of consecutive flags (e.g. 约谈), recorded when the snapshot is published. */
export const rankingConsequences = pgTable(
  'ranking_consequences',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    snapshotId: integer('snapshot_id')
      .notNull()
      .references(() => rankingSnapshots.id, { onDelete: 'restrict' }),
    period: text('period').notNull(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'restrict' }),
    flag: text('flag', { enum: ['red', 'black'] }).notNull(),
    streak: integer('streak').notNull(),
    action: jsonb('action').$type<{ zh: string; en: string }>().notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ranking_consequences_uq').on(t.snapshotId, t.unitId),
    index('ranking_consequences_unit_idx').on(t.unitId, t.createdAt),
  ],
);

/** 通报: the notice of a period, its content frozen when generated; draft → published. */
export const bulletins = pgTable(
  'bulletins',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    snapshotId: integer('snapshot_id')
      .notNull()
      .references(() => rankingSnapshots.id, { onDelete: 'restrict' }),
    period: text('period').notNull(),
    /** The level that issues it: its snapshot's level (null: the city). */
    ownerRegionId: integer('owner_region_id').references(() => regions.id, {
      onDelete: 'restrict',
    }),
    title: text('title').notNull(),
    state: text('state', { enum: ['draft', 'published'] }).notNull(),
    data: jsonb('data').$type<TBulletinData>().notNull(),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdByName: text('created_by_name').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    publishedAt: ts('published_at'),
  },
  (t) => [
    uniqueIndex('bulletins_published_uq')
      .on(sql`coalesce(${t.ownerRegionId}, 0)`, t.period)
      .where(sql`${t.state} = 'published'`),
    index('bulletins_created_idx').on(t.createdAt),
  ],
);
