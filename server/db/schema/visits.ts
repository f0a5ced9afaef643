import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from './org.js';
import { points, rounds } from './points.js';
import { problems } from './problems.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * 实地检查: one inspector's visit of one drawn point of a round. Rows are never updated: a
 * correction is a new row (`version` + 1, `previousId` the row it corrects, `rootId` the first
 * version). The latest version of a chain is the row that nothing corrects.
 */
export const inspectionVisits = pgTable(
  'inspection_visits',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** The phone's id of this submission: a retry returns the stored row. */
    clientId: uuid('client_id').notNull(),
    rootId: bigint('root_id', { mode: 'number' }),
    previousId: bigint('previous_id', { mode: 'number' }),
    version: integer('version').notNull().default(1),
    reason: text('reason'),
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id, { onDelete: 'restrict' }),
    pointId: integer('point_id')
      .notNull()
      .references(() => points.id, { onDelete: 'restrict' }),
    inspectorId: integer('inspector_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    /** [{ index, result: pass|fail|na, count?, note?, photoIds: uuid[] }] by checklist position. */
    items: jsonb('items').notNull(),
    /** 整体评价 1–5: { environment, civility, facilities, atmosphere }. */
    ratings: jsonb('ratings'),
    note: text('note'),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    accuracyM: real('accuracy_m'),
    /** Metres between the phone's GPS fix and the point, when both are known. */
    distanceM: real('distance_m'),
    visitedAt: ts('visited_at').notNull(),
    passed: integer('passed').notNull(),
    failed: integer('failed').notNull(),
    notApplicable: integer('not_applicable').notNull(),
    seriousFailed: integer('serious_failed').notNull(),
    /** passed / (passed + failed); null when every item was not applicable. */
    score: doublePrecision('score'),
    /** The problem the failed items became (one per visit chain). */
    problemId: bigint('problem_id', { mode: 'number' }).references(() => problems.id, {
      onDelete: 'set null',
    }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('inspection_visits_client_uq').on(t.clientId),
    // One visit chain per point and round; a second first version is refused.
    uniqueIndex('inspection_visits_point_uq')
      .on(t.roundId, t.pointId)
      .where(sql`${t.version} = 1`),
    uniqueIndex('inspection_visits_chain_uq').on(t.rootId, t.version),
    uniqueIndex('inspection_visits_previous_uq').on(t.previousId),
    index('inspection_visits_round_idx').on(t.roundId, t.pointId),
    index('inspection_visits_inspector_idx').on(t.inspectorId, t.roundId),
  ],
);
