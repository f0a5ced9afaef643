import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { TScheduleDay } from '../../../core/contracts/inspections.js';
import type { StratumPoint } from '../../../core/draw/strata.js';
import { execRows, type DbOrTx, type Tx } from '../../db/client.js';
import { regions, roundDays } from '../../db/schema/index.js';

export type RoundDayRow = typeof roundDays.$inferSelect;
export type RoundDayInsert = typeof roundDays.$inferInsert;

/** The days of these rounds, by round and date. */
export async function daysOf(db: DbOrTx, roundIds: number[]): Promise<RoundDayRow[]> {
  if (!roundIds.length) return [];
  return db
    .select()
    .from(roundDays)
    .where(inArray(roundDays.roundId, roundIds))
    .orderBy(asc(roundDays.roundId), asc(roundDays.date));
}

export async function findDay(
  db: DbOrTx,
  roundId: number,
  dayId: number,
  lock = false,
): Promise<RoundDayRow | undefined> {
  const q = db
    .select()
    .from(roundDays)
    .where(and(eq(roundDays.id, dayId), eq(roundDays.roundId, roundId)));
  const [r] = lock ? await q.for('update') : await q;
  return r;
}

export async function insertDays(tx: Tx, roundId: number, days: TScheduleDay[]): Promise<void> {
  if (!days.length) return;
  await tx.insert(roundDays).values(
    days.map((d) => ({
      roundId,
      date: d.date,
      regionIds: d.regionIds,
      overrides: d.overrides,
    })),
  );
}

export async function updateDay(
  tx: Tx,
  id: number,
  values: Partial<RoundDayInsert>,
): Promise<RoundDayRow> {
  const [row] = await tx.update(roundDays).set(values).where(eq(roundDays.id, id)).returning();
  return row!;
}

/** Updates a day only at this version, bumping it; undefined when someone changed it first. */
export async function updateDayAtVersion(
  tx: Tx,
  id: number,
  version: number,
  values: Partial<RoundDayInsert>,
): Promise<RoundDayRow | undefined> {
  const [row] = await tx
    .update(roundDays)
    .set({ ...values, version: version + 1 })
    .where(and(eq(roundDays.id, id), eq(roundDays.version, version)))
    .returning();
  return row;
}

/** Every district (区县) by id with its name: what a schedule may name. */
export async function districtNames(db: DbOrTx): Promise<Map<number, string>> {
  const rows = await db
    .select({ id: regions.id, name: regions.name })
    .from(regions)
    .where(eq(regions.level, 'district'))
    .orderBy(asc(regions.id));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * A day's eligible points, frozen in id order, each with the district (of the day's) whose
 * subtree holds its region: active declared points of the plan's types, as for a round drawn at
 * once (an added place is drawn only once adopted).
 */
export async function dayEligiblePoints(
  db: DbOrTx,
  types: string[],
  districtIds: number[],
): Promise<StratumPoint[]> {
  if (!types.length || !districtIds.length) return [];
  const rows = await execRows<{ id: number; type: string; district: number }>(
    db,
    sql`select p.id, t.code as type, d.id as district
        from points p
        join point_types t on t.id = p.type_id
        join regions r on r.id = p.region_id
        join regions d on d.id in (${sql.join(
          districtIds.map((id) => sql`${id}`),
          sql`, `,
        )}) and r.path like d.path || '%'
        where p.active and t.code in (${sql.join(
          types.map((c) => sql`${c}`),
          sql`, `,
        )})
          and (p.added_in_round_id is null or p.adopted_at is not null)
        order by p.id`,
  );
  return rows.map((r) => ({ id: Number(r.id), type: r.type, district: Number(r.district) }));
}

/** Names of regions by id (those that exist), for messages. */
export async function regionNames(db: DbOrTx, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: regions.id, name: regions.name })
    .from(regions)
    .where(inArray(regions.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}
