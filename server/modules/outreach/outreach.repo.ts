import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../../db/client.js';
import {
  householdVisits,
  outreachPairings,
  problems,
  regions,
  units,
  users,
} from '../../db/schema/index.js';
import { regionSubtree } from '../org/regions.repo.js';

export type RegionRow = typeof regions.$inferSelect;
export type PairingRow = typeof outreachPairings.$inferSelect;
export type HouseholdVisitRow = typeof householdVisits.$inferSelect;

export interface PairingListRow {
  id: number;
  unit_id: number;
  unit_name: string;
  region_id: number;
  region_name: string;
  building: string;
  leader_id: number | null;
  target_households: number;
  active: boolean;
  version: number;
  visited: number;
}

/**
 * Whose pairings a reader sees: all (null), one unit's, or those with a community in a region's
 * subtree (`within`, plus the reader's own unit's when it has one).
 */
export type PairingScope = { unitId: number } | { within: number; unitId: number | null } | null;

function pairingWhere(scope: PairingScope, id?: number): SQL {
  const one = id === undefined ? sql`true` : sql`p.id = ${id}`;
  if (scope === null) return sql`where ${one}`;
  if (!('within' in scope)) return sql`where ${one} and p.unit_id = ${scope.unitId}`;
  const mine = scope.unitId === null ? sql`` : sql` or p.unit_id = ${scope.unitId}`;
  return sql`where ${one} and (p.region_id in ${regionSubtree(scope.within)}${mine})`;
}

/** Pairings with their visited households, those `scope` lets the reader see (one: `id`). */
export async function listPairingRows(
  db: DbOrTx,
  scope: PairingScope,
  id?: number,
): Promise<PairingListRow[]> {
  return execRows<PairingListRow>(
    db,
    sql`select p.id, p.unit_id, u.name as unit_name, p.region_id, r.name as region_name, p.building,
          p.leader_id, p.target_households, p.active, p.version,
          (select count(distinct (v.building, v.household))::int from household_visits v
            where v.pairing_id = p.id) as visited
        from outreach_pairings p
        join units u on u.id = p.unit_id
        join regions r on r.id = p.region_id
        ${pairingWhere(scope, id)}
        order by r.name, p.building, u.name`,
  );
}

/** A unit's region level (null: a unit placed nowhere), or undefined when there is no such unit. */
export async function findUnitLevel(
  db: DbOrTx,
  unitId: number,
): Promise<{ regionLevel: string | null } | undefined> {
  const [row] = await db
    .select({ regionLevel: regions.level })
    .from(units)
    .leftJoin(regions, eq(regions.id, units.regionId))
    .where(eq(units.id, unitId));
  return row;
}

export async function findRegion(db: DbOrTx, id: number): Promise<RegionRow | undefined> {
  const [region] = await db.select().from(regions).where(eq(regions.id, id));
  return region;
}

/** One pairing with its visited households, if `scope` lets the reader see it. */
export async function findPairingRow(
  db: DbOrTx,
  scope: PairingScope,
  id: number,
): Promise<PairingListRow | undefined> {
  const [row] = await listPairingRows(db, scope, id);
  return row;
}

/** Writes an edit at the version read; undefined when the version moved on (or it is gone). */
export async function updatePairingAtVersion(
  db: DbOrTx,
  id: number,
  version: number,
  v: Partial<Pick<PairingRow, 'leaderId' | 'targetHouseholds' | 'active'>>,
): Promise<PairingRow | undefined> {
  const [row] = await db
    .update(outreachPairings)
    .set({ ...v, version: sql`${outreachPairings.version} + 1` })
    .where(and(eq(outreachPairings.id, id), eq(outreachPairings.version, version)))
    .returning();
  return row;
}

export async function insertPairing(
  db: DbOrTx,
  v: typeof outreachPairings.$inferInsert,
): Promise<PairingRow> {
  const [row] = await db.insert(outreachPairings).values(v).returning();
  return row!;
}

/** A unit's active pairings in one community (building '' is the community-wide one). */
export async function activePairings(
  db: DbOrTx,
  unitId: number,
  regionId: number,
): Promise<{ id: number; building: string }[]> {
  return db
    .select({ id: outreachPairings.id, building: outreachPairings.building })
    .from(outreachPairings)
    .where(
      and(
        eq(outreachPairings.unitId, unitId),
        eq(outreachPairings.regionId, regionId),
        eq(outreachPairings.active, true),
      ),
    );
}

export interface VisitRow {
  v: HouseholdVisitRow;
  visitorName: string;
  unitName: string | null;
  problemCode: string | null;
}

/** One visit with its visitor, unit and problem names, by id or by the phone's client id. */
export async function findVisit(
  db: DbOrTx,
  key: { id: number } | { clientId: string },
): Promise<VisitRow | undefined> {
  const [r] = await db
    .select({
      v: householdVisits,
      visitorName: users.name,
      unitName: units.name,
      problemCode: problems.code,
    })
    .from(householdVisits)
    .innerJoin(users, eq(users.id, householdVisits.visitorId))
    .leftJoin(units, eq(units.id, householdVisits.visitorUnitId))
    .leftJoin(problems, eq(problems.id, householdVisits.problemId))
    .where(
      'id' in key ? eq(householdVisits.id, key.id) : eq(householdVisits.clientId, key.clientId),
    );
  return r;
}

export async function insertVisit(
  db: DbOrTx,
  v: typeof householdVisits.$inferInsert,
): Promise<number> {
  const [row] = await db.insert(householdVisits).values(v).returning({ id: householdVisits.id });
  return row!.id;
}

/**
 * Whose visits a reader sees: a unit's people's, one visitor's, those in a region's subtree (a
 * district or street office's), or everyone's (null).
 */
export type VisitScope =
  | { visitorUnitId: number }
  | { visitorId: number }
  | { within: number }
  | null;

/** Ids of the visits in scope, newest first. */
export async function listVisitIds(
  db: DbOrTx,
  scope: VisitScope,
  q: { regionId?: number | undefined; limit: number },
): Promise<number[]> {
  const conds = [];
  if (scope !== null) {
    conds.push(
      'within' in scope
        ? sql`${householdVisits.regionId} in ${regionSubtree(scope.within)}`
        : 'visitorUnitId' in scope
          ? eq(householdVisits.visitorUnitId, scope.visitorUnitId)
          : eq(householdVisits.visitorId, scope.visitorId),
    );
  }
  if (q.regionId) conds.push(eq(householdVisits.regionId, q.regionId));
  const rows = await db
    .select({ id: householdVisits.id })
    .from(householdVisits)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(householdVisits.visitedAt), desc(householdVisits.id))
    .limit(q.limit);
  return rows.map((r) => r.id);
}
