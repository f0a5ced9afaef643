import { and, asc, eq, gt, gte, isNull, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { frameworkNodes, negativeItems } from '../../db/schema/index.js';

/** The tree of a version (项目 → 内容 → 标准) and its negative list, node by node. */

export type NodeRow = typeof frameworkNodes.$inferSelect;
export type NegativeRow = typeof negativeItems.$inferSelect;
type Values<T extends { $inferInsert: unknown }> = Omit<
  T['$inferInsert'],
  'id' | 'version' | 'createdAt' | 'updatedAt'
>;
const bump = (t: { version: unknown }) => ({
  version: sql`${t.version} + 1`,
  updatedAt: new Date(),
});

export async function listNodes(db: DbOrTx, versionId: number): Promise<NodeRow[]> {
  return db
    .select()
    .from(frameworkNodes)
    .where(eq(frameworkNodes.versionId, versionId))
    .orderBy(asc(frameworkNodes.position), asc(frameworkNodes.id));
}

export async function findNode(db: DbOrTx, id: number): Promise<NodeRow | undefined> {
  const [row] = await db.select().from(frameworkNodes).where(eq(frameworkNodes.id, id));
  return row;
}

export async function findNodeByKey(
  db: DbOrTx,
  versionId: number,
  key: string,
): Promise<NodeRow | undefined> {
  const [row] = await db
    .select()
    .from(frameworkNodes)
    .where(and(eq(frameworkNodes.versionId, versionId), eq(frameworkNodes.key, key)));
  return row;
}

export async function findNodeByCode(
  db: DbOrTx,
  versionId: number,
  code: string,
): Promise<NodeRow | undefined> {
  const [row] = await db
    .select()
    .from(frameworkNodes)
    .where(
      and(
        eq(frameworkNodes.versionId, versionId),
        sql`upper(${frameworkNodes.code}) = ${code.toUpperCase()}`,
      ),
    );
  return row;
}

export async function nodeCodes(db: DbOrTx, versionId: number): Promise<Set<string>> {
  const rows = await db
    .select({ code: frameworkNodes.code })
    .from(frameworkNodes)
    .where(eq(frameworkNodes.versionId, versionId));
  return new Set(rows.map((r) => r.code.toUpperCase()));
}

const siblingsOf = (versionId: number, parentId: number | null): SQL =>
  and(
    eq(frameworkNodes.versionId, versionId),
    parentId === null ? isNull(frameworkNodes.parentId) : eq(frameworkNodes.parentId, parentId),
  )!;

export async function countSiblings(
  db: DbOrTx,
  versionId: number,
  parentId: number | null,
): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(frameworkNodes)
    .where(siblingsOf(versionId, parentId));
  return r!.n;
}

/** Moves the siblings at or after `from` by `delta` places (to open or close a gap). */
export async function shiftSiblings(
  db: DbOrTx,
  versionId: number,
  parentId: number | null,
  from: number,
  delta: number,
): Promise<void> {
  await db
    .update(frameworkNodes)
    .set({ position: sql`${frameworkNodes.position} + ${delta}` })
    .where(and(siblingsOf(versionId, parentId), gte(frameworkNodes.position, from)));
}

export async function insertNode(db: DbOrTx, v: Values<typeof frameworkNodes>): Promise<NodeRow> {
  const [row] = await db.insert(frameworkNodes).values(v).returning();
  return row!;
}

export async function updateNode(
  db: DbOrTx,
  id: number,
  version: number,
  v: Partial<Values<typeof frameworkNodes>>,
): Promise<boolean> {
  const rows = await db
    .update(frameworkNodes)
    .set({ ...v, ...bump(frameworkNodes) })
    .where(and(eq(frameworkNodes.id, id), eq(frameworkNodes.version, version)))
    .returning({ id: frameworkNodes.id });
  return rows.length === 1;
}

export async function deleteNode(db: DbOrTx, id: number, version: number): Promise<boolean> {
  const rows = await db
    .delete(frameworkNodes)
    .where(and(eq(frameworkNodes.id, id), eq(frameworkNodes.version, version)))
    .returning({ id: frameworkNodes.id });
  return rows.length === 1;
}

/** Standards of a version (code and text), for matching task sheets. */
export async function listStandards(
  db: DbOrTx,
  versionId: number,
): Promise<{ id: number; code: string; text: string }[]> {
  return db
    .select({ id: frameworkNodes.id, code: frameworkNodes.code, text: frameworkNodes.text })
    .from(frameworkNodes)
    .where(and(eq(frameworkNodes.versionId, versionId), eq(frameworkNodes.kind, 'standard')));
}

// ---------- negative list ----------

export async function listNegatives(db: DbOrTx, versionId: number): Promise<NegativeRow[]> {
  return db
    .select()
    .from(negativeItems)
    .where(eq(negativeItems.versionId, versionId))
    .orderBy(asc(negativeItems.position), asc(negativeItems.id));
}

export async function findNegative(db: DbOrTx, id: number): Promise<NegativeRow | undefined> {
  const [row] = await db.select().from(negativeItems).where(eq(negativeItems.id, id));
  return row;
}

export async function findNegativeByKey(
  db: DbOrTx,
  versionId: number,
  key: string,
): Promise<NegativeRow | undefined> {
  const [row] = await db
    .select()
    .from(negativeItems)
    .where(and(eq(negativeItems.versionId, versionId), eq(negativeItems.key, key)));
  return row;
}

export async function insertNegative(
  db: DbOrTx,
  v: Values<typeof negativeItems>,
): Promise<NegativeRow> {
  const [row] = await db.insert(negativeItems).values(v).returning();
  return row!;
}

export async function updateNegative(
  db: DbOrTx,
  id: number,
  version: number,
  v: Partial<Values<typeof negativeItems>>,
): Promise<boolean> {
  const rows = await db
    .update(negativeItems)
    .set({ ...v, ...bump(negativeItems) })
    .where(and(eq(negativeItems.id, id), eq(negativeItems.version, version)))
    .returning({ id: negativeItems.id });
  return rows.length === 1;
}

export async function deleteNegative(db: DbOrTx, id: number, version: number): Promise<boolean> {
  const rows = await db
    .delete(negativeItems)
    .where(and(eq(negativeItems.id, id), eq(negativeItems.version, version)))
    .returning({ versionId: negativeItems.versionId, position: negativeItems.position });
  const gone = rows[0];
  if (!gone) return false;
  await db
    .update(negativeItems)
    .set({ position: sql`${negativeItems.position} - 1` })
    .where(
      and(eq(negativeItems.versionId, gone.versionId), gt(negativeItems.position, gone.position)),
    );
  return true;
}
