import { aliasedTable, and, asc, desc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { TListCallsQuery } from '../../../core/contracts/cell-awards.js';
import type { DbOrTx } from '../../db/client.js';
import {
  campaigns,
  cellAwardApplications,
  cellAwardCalls,
  cellAwardMaterialFiles,
  cellAwardMaterials,
  cellAwardObjections,
  cellAwardScores,
  cellAwardVetoes,
  files,
  frameworkNodes,
  frameworks,
  frameworkVersions,
  regions,
  units,
} from '../../db/schema/index.js';
import { regionSubtree } from '../org/regions.repo.js';

export type CallInsert = typeof cellAwardCalls.$inferInsert;
export type ApplicationInsert = typeof cellAwardApplications.$inferInsert;
export type VetoRow = typeof cellAwardVetoes.$inferSelect;
export type ScoreRow = typeof cellAwardScores.$inferSelect;
export type ObjectionRow = typeof cellAwardObjections.$inferSelect;

const officeRegions = aliasedTable(regions, 'office_regions');
const callColumns = {
  ...getTableColumns(cellAwardCalls),
  frameworkName: frameworks.name,
  frameworkVersionNumber: frameworkVersions.number,
  officeRegionName: officeRegions.name,
  applications: sql<number>`(select count(*)::int from ${cellAwardApplications}
    where ${cellAwardApplications.callId} = ${cellAwardCalls.id})`,
};
export type CallRow = typeof cellAwardCalls.$inferSelect & {
  frameworkName: string;
  frameworkVersionNumber: number;
  officeRegionName: string | null;
  applications: number;
};

function namedCalls(db: DbOrTx) {
  return db
    .select(callColumns)
    .from(cellAwardCalls)
    .innerJoin(frameworks, eq(frameworks.id, cellAwardCalls.frameworkId))
    .innerJoin(frameworkVersions, eq(frameworkVersions.id, cellAwardCalls.frameworkVersionId))
    .leftJoin(officeRegions, eq(officeRegions.id, cellAwardCalls.officeRegionId));
}

export async function findCall(db: DbOrTx, id: number): Promise<CallRow | undefined> {
  const [row] = await namedCalls(db).where(eq(cellAwardCalls.id, id));
  return row;
}

/** Locks the call's row for the rest of the transaction (its stage decides what may change). */
export async function lockCall(db: DbOrTx, id: number): Promise<void> {
  await db.execute(sql`select id from cell_award_calls where id = ${id} for update`);
}

/** Calls, newest year first; `within`: the calls a district or street office manages. */
export async function listCalls(
  db: DbOrTx,
  q: TListCallsQuery & { within: number | null },
): Promise<CallRow[]> {
  const conds: SQL[] = [];
  if (q.within !== null) {
    conds.push(sql`${cellAwardCalls.officeRegionId} in ${regionSubtree(q.within)}`);
  }
  if (q.year) conds.push(eq(cellAwardCalls.year, q.year));
  if (q.cellType) conds.push(eq(cellAwardCalls.cellType, q.cellType));
  if (q.status) conds.push(eq(cellAwardCalls.status, q.status));
  return namedCalls(db)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(cellAwardCalls.year), desc(cellAwardCalls.id))
    .limit(500);
}

export async function insertCall(db: DbOrTx, values: CallInsert): Promise<number> {
  const [row] = await db.insert(cellAwardCalls).values(values).returning({ id: cellAwardCalls.id });
  return row!.id;
}

/** Updates a call at `version` (to version + 1); false when the version is stale. */
export async function updateCallRow(
  db: DbOrTx,
  id: number,
  version: number,
  set: Partial<CallInsert>,
): Promise<boolean> {
  const rows = await db
    .update(cellAwardCalls)
    .set({ ...set, version: sql`${cellAwardCalls.version} + 1`, updatedAt: new Date() })
    .where(and(eq(cellAwardCalls.id, id), eq(cellAwardCalls.version, version)))
    .returning({ id: cellAwardCalls.id });
  return rows.length > 0;
}

/** The standards of a framework version with their project and content, in the tree's order. */
export async function standardsOf(db: DbOrTx, versionId: number) {
  const nodes = await db
    .select()
    .from(frameworkNodes)
    .where(eq(frameworkNodes.versionId, versionId))
    .orderBy(asc(frameworkNodes.position), asc(frameworkNodes.id));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const order = (id: number): number[] => {
    const n = byId.get(id)!;
    return n.parentId === null ? [n.position] : [...order(n.parentId), n.position];
  };
  return nodes
    .filter((n) => n.kind === 'standard')
    .map((n) => {
      const content = byId.get(n.parentId!);
      const item = content?.parentId ? byId.get(content.parentId) : undefined;
      return {
        key: n.key,
        code: n.code,
        text: n.text,
        contentText: content?.text ?? '',
        itemText: item?.text ?? '',
        method: n.method!,
        maxScore: n.maxScore!,
        sort: order(n.id),
      };
    })
    .sort((a, b) => {
      for (let i = 0; i < Math.max(a.sort.length, b.sort.length); i++) {
        const d = (a.sort[i] ?? -1) - (b.sort[i] ?? -1);
        if (d) return d;
      }
      return 0;
    })
    .map(({ sort: _sort, ...s }) => s);
}

/** The kind of the campaign a framework belongs to (undefined: no such framework). */
export async function frameworkCampaignKind(db: DbOrTx, frameworkId: number) {
  const [row] = await db
    .select({ kind: campaigns.kind })
    .from(frameworks)
    .innerJoin(campaigns, eq(campaigns.id, frameworks.campaignId))
    .where(eq(frameworks.id, frameworkId));
  return row?.kind;
}

/** The published version of a framework (the one a new call is assessed against). */
export async function publishedVersion(db: DbOrTx, frameworkId: number) {
  const [row] = await db
    .select({ id: frameworkVersions.id, number: frameworkVersions.number })
    .from(frameworkVersions)
    .where(
      and(
        eq(frameworkVersions.frameworkId, frameworkId),
        eq(frameworkVersions.status, 'published'),
      ),
    );
  return row;
}

// ----- applications -----

const appColumns = {
  ...getTableColumns(cellAwardApplications),
  unitName: units.name,
  regionName: regions.name,
  totalScore: sql<number>`(select coalesce(sum(${cellAwardScores.score}), 0)::float8
    from ${cellAwardScores} where ${cellAwardScores.applicationId} = ${cellAwardApplications.id})`,
  scored: sql<number>`(select count(*)::int from ${cellAwardScores}
    where ${cellAwardScores.applicationId} = ${cellAwardApplications.id})`,
  objections: sql<number>`(select count(*)::int from ${cellAwardObjections}
    where ${cellAwardObjections.applicationId} = ${cellAwardApplications.id})`,
};
export type ApplicationRow = typeof cellAwardApplications.$inferSelect & {
  unitName: string | null;
  regionName: string | null;
  totalScore: number;
  scored: number;
  objections: number;
};

function namedApplications(db: DbOrTx) {
  return db
    .select(appColumns)
    .from(cellAwardApplications)
    .leftJoin(units, eq(units.id, cellAwardApplications.unitId))
    .leftJoin(regions, eq(regions.id, cellAwardApplications.regionId));
}

export async function findApplication(db: DbOrTx, id: number): Promise<ApplicationRow | undefined> {
  const [row] = await namedApplications(db).where(eq(cellAwardApplications.id, id));
  return row && { ...row, totalScore: Number(row.totalScore) };
}

export async function listApplications(db: DbOrTx, callId: number): Promise<ApplicationRow[]> {
  const rows = await namedApplications(db)
    .where(eq(cellAwardApplications.callId, callId))
    .orderBy(asc(cellAwardApplications.id));
  return rows.map((r) => ({ ...r, totalScore: Number(r.totalScore) }));
}

export async function insertApplication(db: DbOrTx, values: ApplicationInsert): Promise<number> {
  const [row] = await db
    .insert(cellAwardApplications)
    .values(values)
    .returning({ id: cellAwardApplications.id });
  return row!.id;
}

export async function updateApplicationRow(
  db: DbOrTx,
  id: number,
  version: number,
  set: Partial<ApplicationInsert>,
): Promise<boolean> {
  const rows = await db
    .update(cellAwardApplications)
    .set({ ...set, version: sql`${cellAwardApplications.version} + 1`, updatedAt: new Date() })
    .where(and(eq(cellAwardApplications.id, id), eq(cellAwardApplications.version, version)))
    .returning({ id: cellAwardApplications.id });
  return rows.length > 0;
}

/** Marks the call's applications on (and off) the 公示 list. */
export async function setProposed(db: DbOrTx, callId: number, ids: number[]): Promise<void> {
  await db
    .update(cellAwardApplications)
    .set({
      proposed: ids.length ? sql`${cellAwardApplications.id} in ${ids}` : sql`false`,
      version: sql`${cellAwardApplications.version} + 1`,
      updatedAt: new Date(),
    })
    .where(eq(cellAwardApplications.callId, callId));
}

/** The region of a unit (null without one or when it does not exist). */
export async function unitOf(db: DbOrTx, unitId: number) {
  const [row] = await db
    .select({ id: units.id, name: units.name, regionId: units.regionId })
    .from(units)
    .where(eq(units.id, unitId));
  return row;
}

// ----- vetoes, scores, materials, objections -----

export async function vetoesOf(db: DbOrTx, applicationIds: number[]): Promise<VetoRow[]> {
  if (!applicationIds.length) return [];
  return db
    .select()
    .from(cellAwardVetoes)
    .where(sql`${cellAwardVetoes.applicationId} in ${applicationIds}`);
}

export async function upsertVeto(db: DbOrTx, v: typeof cellAwardVetoes.$inferInsert) {
  await db
    .insert(cellAwardVetoes)
    .values(v)
    .onConflictDoUpdate({
      target: [cellAwardVetoes.applicationId, cellAwardVetoes.vetoKey],
      set: { hit: v.hit, note: v.note, checkedBy: v.checkedBy, checkedAt: new Date() },
    });
}

export async function scoresOf(db: DbOrTx, applicationId: number): Promise<ScoreRow[]> {
  return db.select().from(cellAwardScores).where(eq(cellAwardScores.applicationId, applicationId));
}

export async function upsertScore(db: DbOrTx, v: typeof cellAwardScores.$inferInsert) {
  await db
    .insert(cellAwardScores)
    .values(v)
    .onConflictDoUpdate({
      target: [cellAwardScores.applicationId, cellAwardScores.standardKey],
      set: { score: v.score, note: v.note, scoredBy: v.scoredBy, scoredAt: new Date() },
    });
}

export async function materialsOf(db: DbOrTx, applicationId: number) {
  const reports = await db
    .select()
    .from(cellAwardMaterials)
    .where(eq(cellAwardMaterials.applicationId, applicationId));
  const attached = await db
    .select({
      id: cellAwardMaterialFiles.id,
      standardKey: cellAwardMaterialFiles.standardKey,
      fileId: cellAwardMaterialFiles.fileId,
      title: cellAwardMaterialFiles.title,
      mime: files.mime,
      size: files.size,
    })
    .from(cellAwardMaterialFiles)
    .innerJoin(files, eq(files.id, cellAwardMaterialFiles.fileId))
    .where(eq(cellAwardMaterialFiles.applicationId, applicationId))
    .orderBy(asc(cellAwardMaterialFiles.id));
  return { reports, attached };
}

export async function upsertMaterial(db: DbOrTx, v: typeof cellAwardMaterials.$inferInsert) {
  await db
    .insert(cellAwardMaterials)
    .values(v)
    .onConflictDoUpdate({
      target: [cellAwardMaterials.applicationId, cellAwardMaterials.standardKey],
      set: { report: v.report, updatedBy: v.updatedBy, updatedAt: new Date() },
    });
}

export async function insertMaterialFile(
  db: DbOrTx,
  v: typeof cellAwardMaterialFiles.$inferInsert,
): Promise<void> {
  await db.insert(cellAwardMaterialFiles).values(v);
}

export async function countMaterialFiles(
  db: DbOrTx,
  applicationId: number,
  standardKey: string,
): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(cellAwardMaterialFiles)
    .where(
      and(
        eq(cellAwardMaterialFiles.applicationId, applicationId),
        eq(cellAwardMaterialFiles.standardKey, standardKey),
      ),
    );
  return row!.n;
}

/** The applications a file is attached to (for the files module's read check). */
export async function applicationsWithFile(db: DbOrTx, fileId: string): Promise<number[]> {
  const rows = await db
    .select({ id: cellAwardMaterialFiles.applicationId })
    .from(cellAwardMaterialFiles)
    .where(eq(cellAwardMaterialFiles.fileId, fileId));
  return rows.map((r) => r.id);
}

export async function objectionsOf(db: DbOrTx, applicationId: number): Promise<ObjectionRow[]> {
  return db
    .select()
    .from(cellAwardObjections)
    .where(eq(cellAwardObjections.applicationId, applicationId))
    .orderBy(asc(cellAwardObjections.id));
}

export async function findObjection(
  db: DbOrTx,
  id: number,
  applicationId: number,
): Promise<ObjectionRow | undefined> {
  const [row] = await db
    .select()
    .from(cellAwardObjections)
    .where(
      and(eq(cellAwardObjections.id, id), eq(cellAwardObjections.applicationId, applicationId)),
    );
  return row;
}

export async function insertObjection(
  db: DbOrTx,
  v: typeof cellAwardObjections.$inferInsert,
): Promise<number> {
  const [row] = await db
    .insert(cellAwardObjections)
    .values(v)
    .returning({ id: cellAwardObjections.id });
  return row!.id;
}

export async function updateObjectionRow(
  db: DbOrTx,
  id: number,
  version: number,
  set: Partial<typeof cellAwardObjections.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(cellAwardObjections)
    .set({ ...set, version: sql`${cellAwardObjections.version} + 1`, updatedAt: new Date() })
    .where(and(eq(cellAwardObjections.id, id), eq(cellAwardObjections.version, version)))
    .returning({ id: cellAwardObjections.id });
  return rows.length > 0;
}
