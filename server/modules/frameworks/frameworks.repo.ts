import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../../db/client.js';
import { campaigns, frameworks, frameworkVersions, settings } from '../../db/schema/index.js';

export type CampaignRow = typeof campaigns.$inferSelect;
export type FrameworkRow = typeof frameworks.$inferSelect;
export type VersionRow = typeof frameworkVersions.$inferSelect;
type Values<T extends { $inferInsert: unknown }> = Omit<
  T['$inferInsert'],
  'id' | 'version' | 'createdAt' | 'updatedAt'
>;

const bump = (t: { version: unknown }) => ({
  version: sql`${t.version} + 1`,
  updatedAt: new Date(),
});

// ---------- campaigns ----------

/** The campaigns (of one kind, when given), the earliest started first. */
export async function listCampaigns(
  db: DbOrTx,
  kind?: CampaignRow['kind'],
): Promise<CampaignRow[]> {
  return db
    .select()
    .from(campaigns)
    .where(kind ? eq(campaigns.kind, kind) : undefined)
    .orderBy(asc(campaigns.cycleStartYear), asc(campaigns.id));
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

// ---------- the office's header names for framework imports ----------

const IMPORT_COLUMNS_KEY = 'framework_import_columns';

export async function importColumns(db: DbOrTx): Promise<Record<string, string>> {
  const [row] = await db.select().from(settings).where(eq(settings.key, IMPORT_COLUMNS_KEY));
  return (row?.value as Record<string, string> | undefined) ?? {};
}

export async function saveImportColumns(
  db: DbOrTx,
  value: Record<string, string>,
  by: number | null,
): Promise<void> {
  await db
    .insert(settings)
    .values({ key: IMPORT_COLUMNS_KEY, value, updatedBy: by })
    .onConflictDoUpdate({
      target: settings.key,
      set: { value, updatedBy: by, updatedAt: new Date() },
    });
}
