import { sql } from 'drizzle-orm';
import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  boolean,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { regions, users } from './org.js';
import { problems } from './problems.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * 网格: an area under a community with named people. The polygon is GeoJSON (WGS-84); its bounding
 * box is stored for the index prefilter of "which grid is this point in?". `geometryRev` changes
 * only when the polygon does: patrol coverage is counted in cells of one revision.
 */
export const grids = pgTable(
  'grids',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    regionId: integer('region_id')
      .notNull()
      .references(() => regions.id, { onDelete: 'restrict' }),
    geometry: jsonb('geometry').notNull(),
    minLat: doublePrecision('min_lat').notNull(),
    minLng: doublePrecision('min_lng').notNull(),
    maxLat: doublePrecision('max_lat').notNull(),
    maxLng: doublePrecision('max_lng').notNull(),
    /** Cells (50 m) inside the polygon: the denominator of patrol coverage. */
    cellCount: integer('cell_count').notNull().default(0),
    population: integer('population'),
    households: integer('households'),
    active: boolean('active').notNull().default(true),
    geometryRev: integer('geometry_rev').notNull().default(1),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('grids_code_uq').on(t.code),
    index('grids_region_idx').on(t.regionId),
    index('grids_box_idx').on(t.minLat, t.maxLat, t.minLng, t.maxLng),
  ],
);

/** 网格长, 网格员 and 楼栋长 of a grid; one leader per grid. */
export const gridMembers = pgTable(
  'grid_members',
  {
    gridId: integer('grid_id')
      .notNull()
      .references(() => grids.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['leader', 'worker', 'building_lead'] }).notNull(),
    /** For a building lead: the building(s) they answer for. */
    note: text('note'),
  },
  (t) => [
    primaryKey({ columns: [t.gridId, t.userId] }),
    index('grid_members_user_idx').on(t.userId),
    uniqueIndex('grid_members_leader_uq')
      .on(t.gridId)
      .where(sql`${t.role} = 'leader'`),
  ],
);

/** 巡查: one walk of a grid worker; the phone's id makes a retried start the same patrol. */
export const patrols = pgTable(
  'patrols',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    clientId: uuid('client_id').notNull(),
    gridId: integer('grid_id')
      .notNull()
      .references(() => grids.id, { onDelete: 'restrict' }),
    workerId: integer('worker_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    state: text('state', { enum: ['active', 'ended'] }).notNull(),
    startedAt: ts('started_at').notNull(),
    endedAt: ts('ended_at'),
    distanceM: doublePrecision('distance_m'),
    /** The grid cells the track visited, in the cells of `geometryRev`. */
    visitedCells: integer('visited_cells')
      .array()
      .notNull()
      .default(sql`'{}'::integer[]`),
    geometryRev: integer('geometry_rev').notNull(),
    coverage: doublePrecision('coverage'),
    note: text('note'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('patrols_client_uq').on(t.clientId),
    index('patrols_grid_idx').on(t.gridId, t.startedAt),
    index('patrols_worker_idx').on(t.workerId, t.startedAt),
  ],
);

/** GPS samples of a patrol, numbered by the phone: a re-sent batch adds nothing. */
export const patrolPoints = pgTable(
  'patrol_points',
  {
    patrolId: bigint('patrol_id', { mode: 'number' })
      .notNull()
      .references(() => patrols.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    at: ts('at').notNull(),
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    accuracyM: doublePrecision('accuracy_m'),
  },
  (t) => [primaryKey({ columns: [t.patrolId, t.seq] })],
);

/** Problems reported during a patrol; the phone's id makes a retried report the same problem. */
export const patrolProblems = pgTable(
  'patrol_problems',
  {
    clientId: uuid('client_id').primaryKey(),
    patrolId: bigint('patrol_id', { mode: 'number' })
      .notNull()
      .references(() => patrols.id, { onDelete: 'cascade' }),
    problemId: bigint('problem_id', { mode: 'number' })
      .notNull()
      .references(() => problems.id, { onDelete: 'cascade' }),
  },
  (t) => [index('patrol_problems_patrol_idx').on(t.patrolId)],
);
