import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { TScope } from '../../../core/permissions.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { files, problemPhotos, settings } from '../../db/schema/index.js';
import { problemScope } from '../problems/problems.repo.js';
import { visitScopeSql } from '../rounds/visits.repo.js';

// The files module's queries: file rows, problem photos, and the owner look-ups of file-access.ts.

export type FileRow = typeof files.$inferSelect;
export type NewFileRow = typeof files.$inferInsert;

export async function insertFile(db: DbOrTx, values: NewFileRow): Promise<FileRow> {
  const [row] = await db.insert(files).values(values).returning();
  return row!;
}

export async function findFile(db: DbOrTx, id: string): Promise<FileRow | undefined> {
  const [f] = await db.select().from(files).where(eq(files.id, id)).limit(1);
  return f;
}

export function findFiles(db: DbOrTx, ids: string[]): Promise<FileRow[]> {
  return db.select().from(files).where(inArray(files.id, ids));
}

/** Points a video at its poster frame (an image file). */
export async function setPoster(db: DbOrTx, fileId: string, posterFileId: string): Promise<void> {
  await db.update(files).set({ posterFileId }).where(eq(files.id, fileId));
}

/** The files (videos) that show this image as their poster. */
export async function filesWithPoster(db: DbOrTx, posterFileId: string): Promise<string[]> {
  const rows = await db
    .select({ id: files.id })
    .from(files)
    .where(eq(files.posterFileId, posterFileId));
  return rows.map((r) => r.id);
}

/** Of these files, the ones already attached to a problem. */
export async function attachedPhotoIds(db: DbOrTx, ids: string[]): Promise<string[]> {
  const rows = await db
    .select({ id: problemPhotos.fileId })
    .from(problemPhotos)
    .where(inArray(problemPhotos.fileId, ids));
  return rows.map((r) => r.id);
}

export async function insertProblemPhotos(
  db: DbOrTx,
  problemId: number,
  ids: string[],
  stage: 'before' | 'after' | 'verify',
  eventId: number | null,
): Promise<void> {
  await db
    .insert(problemPhotos)
    .values(ids.map((fileId) => ({ problemId, fileId, stage, eventId })));
}

export function problemPhotoRows(db: DbOrTx, problemId: number) {
  return db
    .select({ stage: problemPhotos.stage, eventId: problemPhotos.eventId, file: files })
    .from(problemPhotos)
    .innerJoin(files, eq(files.id, problemPhotos.fileId))
    .where(eq(problemPhotos.problemId, problemId))
    .orderBy(problemPhotos.id);
}

/** How a file's holders answer a scope condition: `n` holders, `ok` when one is in scope. */
export interface HolderVerdict {
  n: number;
  ok: boolean | null;
}

/**
 * The problems that show a photo — the attaching problem and the problems up its merged-into chain
 * (a merge links the duplicate's photos into the problem it joined) — checked against the reader's
 * problem scope (null: the reader may read no problem).
 */
export async function problemPhotoHolders(
  db: DbOrTx,
  fileId: string,
  readerScope: TScope | null,
): Promise<HolderVerdict | undefined> {
  const scope: SQL = readerScope ? (problemScope(readerScope) ?? sql`true`) : sql`false`;
  const [row] = await execRows<HolderVerdict>(
    db,
    sql`with recursive holders(id, depth) as (
          select problem_id, 0 from problem_photos where file_id = ${fileId} and not linked
          union all
          select p.merged_into_id, h.depth + 1 from problems p join holders h on p.id = h.id
           where p.merged_into_id is not null and h.depth < 16)
        select count(*)::int as n, bool_or(${scope}) as ok
          from holders h join problems on problems.id = h.id
         where exists (select 1 from problem_photos pp
                        where pp.problem_id = h.id and pp.file_id = ${fileId})`,
  );
  return row;
}

/**
 * The inspection visits whose checklist items carry the photo, checked against the reader's visit
 * scope (null: the reader may read no visit). A photo first appears in a visit of its uploader, so
 * the lookup follows the inspector index.
 */
export async function visitPhotoHolders(
  db: DbOrTx,
  fileId: string,
  uploadedBy: number | null,
  reader: { scope: TScope; id: number | null } | null,
): Promise<HolderVerdict | undefined> {
  const scope: SQL = reader ? visitScopeSql(reader.scope, reader.id) : sql`false`;
  const contains = JSON.stringify([{ photoIds: [fileId] }]);
  const [row] = await execRows<HolderVerdict>(
    db,
    sql`select count(*)::int as n, bool_or(${scope}) as ok
          from inspection_visits v
          join rounds r on r.id = v.round_id
          join points p on p.id = v.point_id
         where v.items @> ${contains}::jsonb
           ${uploadedBy !== null ? sql`and v.inspector_id = ${uploadedBy}` : sql``}`,
  );
  return row;
}

const numbers = (rows: Record<string, unknown>[], key: string) => rows.map((r) => Number(r[key]));

export async function activitiesWithPhoto(db: DbOrTx, fileId: string): Promise<number[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select activity_id as id from activity_photos where file_id = ${fileId}`,
  );
  return numbers(rows, 'id');
}

export async function pledgesWithScan(
  db: DbOrTx,
  fileId: string,
): Promise<{ campaignId: number; unitId: number }[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select campaign_id, unit_id from pledges where signed_file_id = ${fileId}`,
  );
  return rows.map((r) => ({ campaignId: Number(r.campaign_id), unitId: Number(r.unit_id) }));
}

export async function frontageDutiesWithAgreement(db: DbOrTx, fileId: string): Promise<number[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select id from frontage_duties where agreement_file_id = ${fileId}`,
  );
  return numbers(rows, 'id');
}

export async function indicatorsWithAttachment(db: DbOrTx, fileId: string): Promise<number[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select distinct indicator_id as id from indicator_values where ${fileId}::uuid = any(file_ids)`,
  );
  return numbers(rows, 'id');
}

/** The units whose simulation targets have a check with this file as evidence. */
export async function simulationUnitsWithEvidence(db: DbOrTx, fileId: string): Promise<number[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select distinct t.unit_id from simulation_checks c
        join simulation_targets t on t.id = c.target_id
        where ${fileId}::uuid = any(c.file_ids)`,
  );
  return numbers(rows, 'unit_id');
}

export async function assignmentReportUnitsWithAttachment(
  db: DbOrTx,
  fileId: string,
): Promise<number[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select distinct unit_id from assignment_reports where ${fileId}::uuid = any(file_ids)`,
  );
  return numbers(rows, 'unit_id');
}

/**
 * A secret kept in `settings` under `key`: the one stored, or `fresh` when none was (the first app
 * server to ask stores it; every other one reads that one).
 */
export async function ensureSecretSetting(db: DbOrTx, key: string, fresh: string): Promise<string> {
  await db.insert(settings).values({ key, value: fresh }).onConflictDoNothing();
  const [row] = await db
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, key));
  return String(row!.value);
}
