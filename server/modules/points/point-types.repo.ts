import { eq, sql, type SQL } from 'drizzle-orm';
import type { ChecklistItem } from '../../../core/inspection/score.js';
import { execRows, type DbOrTx, type Tx } from '../../db/client.js';
import { pointTypes } from '../../db/schema/index.js';
import { regionSubtree } from '../org/regions.repo.js';

/** A point type with how it is used. */
export interface TypeRow {
  id: number;
  code: string;
  name: string;
  sampling: 'mandatory' | 'random';
  default_draw_count: number;
  route: string | null;
  checklist: ChecklistItem[];
  random_check: boolean;
  version: number;
  points: number;
  visits: number;
  awaiting: number;
  /** Rounds under way (drawn, not ended): phones may add places of a 随机查看 type meanwhile. */
  active_rounds: number;
}

export type PointTypeInsert = typeof pointTypes.$inferInsert;

/** A drawn round that has not ended (Asia/Shanghai date): inspectors are in the field. */
export const roundUnderWay = (r: SQL) => sql`${r}.state in ('drawn', 'revealed')
  and (${r}.ends_on is null
    or ${r}.ends_on >= to_char(now() at time zone 'Asia/Shanghai', 'YYYY-MM-DD'))`;

/**
 * Point types with how they are used: points, visits (every version), drawn points still
 * awaiting a visit in a round under way, and the rounds under way. `within`: counted in that
 * region's subtree only (a district office plans its rounds on its own points).
 */
function selectTypes(within: number | null = null) {
  const here = within === null ? sql`true` : sql`p.region_id in ${regionSubtree(within)}`;
  const rounds = within === null ? sql`true` : sql`r.owner_region_id in ${regionSubtree(within)}`;
  return sql`select t.id, t.code, t.name, t.sampling, t.default_draw_count, t.route,
    t.checklist, t.random_check, t.version,
    (select count(*)::int from points p where p.type_id = t.id and ${here}) as points,
    (select count(*)::int from inspection_visits v join points p on p.id = v.point_id
      where p.type_id = t.id and ${here}) as visits,
    (select count(*)::int from rounds r cross join lateral unnest(r.drawn_ids) d(pid)
      join points p on p.id = d.pid
      where p.type_id = t.id and ${here} and ${roundUnderWay(sql`r`)}
        and not exists (select 1 from inspection_visits v
          where v.round_id = r.id and v.point_id = d.pid)) as awaiting,
    (select count(*)::int from rounds r where ${roundUnderWay(sql`r`)} and ${rounds})
      as active_rounds
  from point_types t`;
}
const SELECT = selectTypes();

export async function findType(db: DbOrTx, id: number): Promise<TypeRow | undefined> {
  return (await execRows<TypeRow>(db, sql`${SELECT} where t.id = ${id}`))[0];
}

/** Every point type, by code. */
export async function listTypes(db: DbOrTx, within: number | null = null): Promise<TypeRow[]> {
  return execRows<TypeRow>(db, sql`${selectTypes(within)} order by t.code`);
}

/** Of these codes, those that are a standard of some framework version. */
export async function knownStandardCodes(db: DbOrTx, codes: string[]): Promise<Set<string>> {
  return new Set(
    (
      await execRows<{ code: string }>(
        db,
        sql`select distinct code from framework_nodes
            where kind = 'standard' and code in (${sql.join(
              codes.map((c) => sql`${c}`),
              sql`, `,
            )})`,
      )
    ).map((r) => r.code),
  );
}

/** The id of the point type with this code, if any. */
export async function typeIdByCode(db: DbOrTx, code: string): Promise<number | undefined> {
  const [t] = await db
    .select({ id: pointTypes.id })
    .from(pointTypes)
    .where(eq(pointTypes.code, code));
  return t?.id;
}

export async function insertType(tx: Tx, values: PointTypeInsert) {
  const [row] = await tx.insert(pointTypes).values(values).returning();
  return row!;
}

/** Locks the row so a concurrent edit waits and then sees the new version; false when absent. */
export async function lockType(tx: Tx, id: number): Promise<boolean> {
  const locked = await execRows<{ id: number }>(
    tx,
    sql`select id from point_types where id = ${id} for update`,
  );
  return locked.length > 0;
}

/** Writes the edit and counts the version up. */
export async function updateType(tx: Tx, id: number, values: Partial<PointTypeInsert>) {
  const [row] = await tx
    .update(pointTypes)
    .set({ ...values, version: sql`${pointTypes.version} + 1` })
    .where(eq(pointTypes.id, id))
    .returning();
  return row;
}

/** Every point type (the 申报表 import reads types by code or name). */
export async function allTypes(db: DbOrTx) {
  return db.select().from(pointTypes);
}
