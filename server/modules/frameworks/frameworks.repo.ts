import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, gte, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { FrameworkData } from '../../../core/frameworks/data.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import {
  campaigns,
  frameworkNodes,
  frameworks,
  frameworkVersions,
  negativeItems,
} from '../../db/schema/index.js';

export type CampaignRow = typeof campaigns.$inferSelect;
export type FrameworkRow = typeof frameworks.$inferSelect;
export type VersionRow = typeof frameworkVersions.$inferSelect;
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

// ---------- campaigns ----------

export async function listCampaigns(db: DbOrTx): Promise<CampaignRow[]> {
  return db.select().from(campaigns).orderBy(asc(campaigns.cycleStartYear), asc(campaigns.id));
}

export async function findCampaign(db: DbOrTx, id: number): Promise<CampaignRow | undefined> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id));
  return row;
}

export async function findCampaignByName(
  db: DbOrTx,
  name: string,
): Promise<CampaignRow | undefined> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.name, name));
  return row;
}

export async function insertCampaign(db: DbOrTx, v: Values<typeof campaigns>): Promise<number> {
  const [row] = await db.insert(campaigns).values(v).returning({ id: campaigns.id });
  return row!.id;
}

export async function updateCampaign(
  db: DbOrTx,
  id: number,
  version: number,
  v: Partial<Values<typeof campaigns>>,
): Promise<boolean> {
  const rows = await db
    .update(campaigns)
    .set({ ...v, ...bump(campaigns) })
    .where(and(eq(campaigns.id, id), eq(campaigns.version, version)))
    .returning({ id: campaigns.id });
  return rows.length === 1;
}

export async function deleteCampaign(db: DbOrTx, id: number, version: number): Promise<boolean> {
  const rows = await db
    .delete(campaigns)
    .where(and(eq(campaigns.id, id), eq(campaigns.version, version)))
    .returning({ id: campaigns.id });
  return rows.length === 1;
}

// ---------- frameworks ----------

export async function listFrameworks(db: DbOrTx, campaignIds?: number[]): Promise<FrameworkRow[]> {
  if (campaignIds && campaignIds.length === 0) return [];
  return db
    .select()
    .from(frameworks)
    .where(campaignIds ? inArray(frameworks.campaignId, campaignIds) : undefined)
    .orderBy(asc(frameworks.position), asc(frameworks.id));
}

export async function findFramework(db: DbOrTx, id: number): Promise<FrameworkRow | undefined> {
  const [row] = await db.select().from(frameworks).where(eq(frameworks.id, id));
  return row;
}

export async function findFrameworkByName(
  db: DbOrTx,
  campaignId: number,
  name: string,
): Promise<FrameworkRow | undefined> {
  const [row] = await db
    .select()
    .from(frameworks)
    .where(and(eq(frameworks.campaignId, campaignId), eq(frameworks.name, name)));
  return row;
}

/** Serialises writes to one framework's versions (fork, publish, import) across app servers. */
export async function lockFramework(db: DbOrTx, id: number): Promise<void> {
  await db.execute(sql`select id from frameworks where id = ${id} for update`);
}

export async function insertFramework(db: DbOrTx, v: Values<typeof frameworks>): Promise<number> {
  const [row] = await db.insert(frameworks).values(v).returning({ id: frameworks.id });
  return row!.id;
}

export async function updateFramework(
  db: DbOrTx,
  id: number,
  version: number,
  v: Partial<Values<typeof frameworks>>,
): Promise<boolean> {
  const rows = await db
    .update(frameworks)
    .set({ ...v, ...bump(frameworks) })
    .where(and(eq(frameworks.id, id), eq(frameworks.version, version)))
    .returning({ id: frameworks.id });
  return rows.length === 1;
}

export async function nextFrameworkPosition(db: DbOrTx, campaignId: number): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`coalesce(max(${frameworks.position}) + 1, 0)::int` })
    .from(frameworks)
    .where(eq(frameworks.campaignId, campaignId));
  return r!.n;
}

// ---------- versions ----------

export interface VersionSummaryRow {
  id: number;
  frameworkId: number;
  number: number;
  status: VersionRow['status'];
  basedOnId: number | null;
  standards: number;
  totalScore: number;
  assignments: number;
  publishedAt: Date | null;
  createdAt: Date;
  version: number;
}

/** Every version of the frameworks, newest first, with its standard and assignment counts. */
export async function listVersionSummaries(
  db: DbOrTx,
  frameworkIds: number[],
): Promise<VersionSummaryRow[]> {
  if (frameworkIds.length === 0) return [];
  const rows = await execRows<{
    id: number;
    framework_id: number;
    number: number;
    status: VersionRow['status'];
    based_on_id: number | null;
    standards: number | string;
    total_score: number | string | null;
    assignments: number | string;
    published_at: Date | string | null;
    created_at: Date | string;
    version: number;
  }>(
    db,
    sql`select v.id, v.framework_id, v.number, v.status, v.based_on_id, v.published_at,
          v.created_at, v.version,
          (select count(*) from framework_nodes n where n.version_id = v.id and n.kind = 'standard')
            as standards,
          (select coalesce(sum(n.max_score), 0) from framework_nodes n
            where n.version_id = v.id and n.kind = 'standard') as total_score,
          (select count(*) from assignments a where a.version_id = v.id) as assignments
        from framework_versions v
        where v.framework_id in ${frameworkIds}
        order by v.framework_id, v.number desc`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    frameworkId: Number(r.framework_id),
    number: Number(r.number),
    status: r.status,
    basedOnId: r.based_on_id === null ? null : Number(r.based_on_id),
    standards: Number(r.standards),
    totalScore: Number(r.total_score ?? 0),
    assignments: Number(r.assignments),
    publishedAt: r.published_at === null ? null : new Date(r.published_at),
    createdAt: new Date(r.created_at),
    version: Number(r.version),
  }));
}

export async function findVersion(db: DbOrTx, id: number): Promise<VersionRow | undefined> {
  const [row] = await db.select().from(frameworkVersions).where(eq(frameworkVersions.id, id));
  return row;
}

export async function findVersionByStatus(
  db: DbOrTx,
  frameworkId: number,
  status: VersionRow['status'],
): Promise<VersionRow | undefined> {
  const [row] = await db
    .select()
    .from(frameworkVersions)
    .where(
      and(eq(frameworkVersions.frameworkId, frameworkId), eq(frameworkVersions.status, status)),
    )
    .orderBy(asc(frameworkVersions.number))
    .limit(1);
  return row;
}

export async function nextVersionNumber(db: DbOrTx, frameworkId: number): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`coalesce(max(${frameworkVersions.number}) + 1, 1)::int` })
    .from(frameworkVersions)
    .where(eq(frameworkVersions.frameworkId, frameworkId));
  return r!.n;
}

export async function insertVersion(
  db: DbOrTx,
  v: Values<typeof frameworkVersions>,
): Promise<VersionRow> {
  const [row] = await db.insert(frameworkVersions).values(v).returning();
  return row!;
}

export async function updateVersion(
  db: DbOrTx,
  id: number,
  version: number,
  v: Partial<Values<typeof frameworkVersions>>,
): Promise<boolean> {
  const rows = await db
    .update(frameworkVersions)
    .set({ ...v, ...bump(frameworkVersions) })
    .where(and(eq(frameworkVersions.id, id), eq(frameworkVersions.version, version)))
    .returning({ id: frameworkVersions.id });
  return rows.length === 1;
}

export async function deleteVersion(db: DbOrTx, id: number): Promise<void> {
  await db.delete(frameworkVersions).where(eq(frameworkVersions.id, id));
}

/** Versions that other versions were copied from keep their history: unlink before deleting. */
export async function countVersions(db: DbOrTx, frameworkId: number): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(frameworkVersions)
    .where(eq(frameworkVersions.frameworkId, frameworkId));
  return r!.n;
}

// ---------- nodes ----------

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

export async function countNegatives(db: DbOrTx, versionId: number): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(negativeItems)
    .where(eq(negativeItems.versionId, versionId));
  return r!.n;
}

// ---------- bulk: import and copy ----------

const CHUNK = 1000;
async function chunked<T>(rows: T[], fn: (part: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await fn(rows.slice(i, i + CHUNK));
}

/** Writes a whole tree and negative list into an empty version; returns standard ids by code. */
export async function insertTree(
  db: DbOrTx,
  versionId: number,
  data: FrameworkData,
): Promise<Map<string, number>> {
  const base = { versionId, guidance: null, method: null, maxScore: null };
  const itemRows = data.items.map((i, position) => ({
    ...base,
    parentId: null,
    kind: 'item' as const,
    key: randomUUID(),
    code: i.code,
    text: i.text,
    position,
  }));
  const itemIds = new Map<string, number>();
  await chunked(itemRows, async (part) => {
    const ids = await db
      .insert(frameworkNodes)
      .values(part)
      .returning({ id: frameworkNodes.id, code: frameworkNodes.code });
    for (const r of ids) itemIds.set(r.code, r.id);
  });
  const contentRows = data.items.flatMap((i) =>
    i.contents.map((c, position) => ({
      ...base,
      parentId: itemIds.get(i.code)!,
      kind: 'content' as const,
      key: randomUUID(),
      code: c.code,
      text: c.text,
      position,
    })),
  );
  const contentIds = new Map<string, number>();
  await chunked(contentRows, async (part) => {
    const ids = await db
      .insert(frameworkNodes)
      .values(part)
      .returning({ id: frameworkNodes.id, code: frameworkNodes.code });
    for (const r of ids) contentIds.set(r.code, r.id);
  });
  const standardRows = data.items.flatMap((i) =>
    i.contents.flatMap((c) =>
      c.standards.map((s, position) => ({
        versionId,
        parentId: contentIds.get(c.code)!,
        kind: 'standard' as const,
        key: randomUUID(),
        code: s.code,
        text: s.text,
        guidance: s.guidance,
        method: s.method,
        maxScore: s.maxScore,
        evidence: s.evidence,
        unitHints: s.unitHints,
        position,
      })),
    ),
  );
  const standardIds = new Map<string, number>();
  await chunked(standardRows, async (part) => {
    const ids = await db
      .insert(frameworkNodes)
      .values(part)
      .returning({ id: frameworkNodes.id, code: frameworkNodes.code });
    for (const r of ids) standardIds.set(r.code, r.id);
  });
  if (data.negativeItems.length) {
    await db.insert(negativeItems).values(
      data.negativeItems.map((n, position) => ({
        versionId,
        key: randomUUID(),
        code: n.code,
        text: n.text,
        effect: n.effect,
        points: n.points,
        position,
      })),
    );
  }
  return standardIds;
}

/**
 * Copies a version's tree, negative list and assignments into another (empty) version, in a few
 * set-based statements: each node keeps its `key`, and parents are found again through it.
 */
export async function copyVersionContent(db: DbOrTx, fromId: number, toId: number): Promise<void> {
  for (const kind of ['item', 'content', 'standard'] as const) {
    await db.execute(sql`
      insert into framework_nodes (version_id, parent_id, kind, key, code, text, guidance, method,
        max_score, evidence, unit_hints, position, version)
      select ${toId}, np.id, n.kind, n.key, n.code, n.text, n.guidance, n.method, n.max_score,
        n.evidence, n.unit_hints, n.position, n.version
      from framework_nodes n
      left join framework_nodes op on op.id = n.parent_id
      left join framework_nodes np on np.version_id = ${toId} and np.key = op.key
      where n.version_id = ${fromId} and n.kind = ${kind}`);
  }
  await db.execute(sql`
    insert into negative_items (version_id, key, code, text, effect, points, position, version)
    select ${toId}, key, code, text, effect, points, position, version
    from negative_items where version_id = ${fromId}`);
  await db.execute(sql`
    insert into assignments (version_id, standard_id, lead_unit_id, leader_name, due_date, due_text,
      notes, position, version)
    select ${toId}, ns.id, a.lead_unit_id, a.leader_name, a.due_date, a.due_text, a.notes,
      a.position, a.version
    from assignments a
    join framework_nodes os on os.id = a.standard_id
    join framework_nodes ns on ns.version_id = ${toId} and ns.key = os.key
    where a.version_id = ${fromId}`);
  await db.execute(sql`
    insert into assignment_units (assignment_id, unit_id, position)
    select na.id, au.unit_id, au.position
    from assignment_units au
    join assignments a on a.id = au.assignment_id and a.version_id = ${fromId}
    join framework_nodes os on os.id = a.standard_id
    join framework_nodes ns on ns.version_id = ${toId} and ns.key = os.key
    join assignments na on na.standard_id = ns.id and na.lead_unit_id = a.lead_unit_id`);
}
