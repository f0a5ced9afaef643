import { and, desc, eq, inArray, isNotNull, isNull, lt, or } from 'drizzle-orm';
import type { TJurisdiction } from '../../../core/contracts/citizen.js';
import type { DbOrTx } from '../../db/client.js';
import {
  citizenReports,
  exposures,
  files,
  problemCategories,
  problemEvents,
  problemPhotos,
  problems,
  settings,
  units,
} from '../../db/schema/index.js';

export type CategoryRow = typeof problemCategories.$inferSelect;
export type CitizenReportRow = typeof citizenReports.$inferSelect;
export type ExposureRow = typeof exposures.$inferSelect;
export type ProblemEventRow = typeof problemEvents.$inferSelect;
export type FileRow = typeof files.$inferSelect;

// ----- Settings: the jurisdiction ---------------------------------------------------------------

export async function findJurisdiction(db: DbOrTx): Promise<TJurisdiction | null> {
  const [row] = await db.select().from(settings).where(eq(settings.key, 'jurisdiction'));
  return row ? (row.value as TJurisdiction) : null;
}

export async function upsertJurisdiction(
  db: DbOrTx,
  j: TJurisdiction,
  updatedBy: number | null,
): Promise<void> {
  await db
    .insert(settings)
    .values({ key: 'jurisdiction', value: j, updatedBy })
    .onConflictDoUpdate({
      target: settings.key,
      set: { value: j, updatedBy, updatedAt: new Date() },
    });
}

// ----- Categories (the 随手拍 page and Open311 services) ----------------------------------------

/** Every problem category, in the taxonomy's order. */
export async function listCategories(db: DbOrTx): Promise<CategoryRow[]> {
  return db
    .select()
    .from(problemCategories)
    .orderBy(problemCategories.sortOrder, problemCategories.id);
}

// ----- Citizen reports and their problems -------------------------------------------------------

export async function insertCitizenReport(
  db: DbOrTx,
  v: typeof citizenReports.$inferInsert,
): Promise<void> {
  await db.insert(citizenReports).values(v);
}

export async function findCitizenReportByCode(
  db: DbOrTx,
  code: string,
): Promise<CitizenReportRow | undefined> {
  const [report] = await db
    .select()
    .from(citizenReports)
    .where(eq(citizenReports.trackingCode, code));
  return report;
}

export type ProblemWithNames = NonNullable<Awaited<ReturnType<typeof findProblemWithNames>>>;

/** A problem with its category's and unit's names. */
export async function findProblemWithNames(db: DbOrTx, id: number) {
  const [row] = await db
    .select({ p: problems, categoryName: problemCategories.name, unitName: units.name })
    .from(problems)
    .innerJoin(problemCategories, eq(problemCategories.id, problems.categoryId))
    .leftJoin(units, eq(units.id, problems.unitId))
    .where(eq(problems.id, id));
  return row;
}

export async function listProblemEvents(
  db: DbOrTx,
  problemIds: number[],
): Promise<ProblemEventRow[]> {
  return db
    .select()
    .from(problemEvents)
    .where(inArray(problemEvents.problemId, problemIds))
    .orderBy(problemEvents.at, problemEvents.id);
}

export interface PublicPhotoRow {
  problemId: number;
  fileId: string;
  stage: (typeof problemPhotos.$inferSelect)['stage'];
}

/** The photos the public may see of problems: what was reported and what was fixed. */
export async function listPublicPhotos(
  db: DbOrTx,
  problemIds: number[],
): Promise<PublicPhotoRow[]> {
  if (!problemIds.length) return [];
  return db
    .select({
      problemId: problemPhotos.problemId,
      fileId: problemPhotos.fileId,
      stage: problemPhotos.stage,
    })
    .from(problemPhotos)
    .where(
      and(
        inArray(problemPhotos.problemId, problemIds),
        inArray(problemPhotos.stage, ['before', 'after']),
      ),
    )
    .orderBy(problemPhotos.id);
}

/** The file of a before/after photo of one of the problems, if it is one. */
export async function findPublicPhotoFile(
  db: DbOrTx,
  fileId: string,
  problemIds: number[],
): Promise<FileRow | undefined> {
  const [f] = await db
    .select({ file: files })
    .from(problemPhotos)
    .innerJoin(files, eq(files.id, problemPhotos.fileId))
    .where(
      and(
        eq(problemPhotos.fileId, fileId),
        inArray(problemPhotos.problemId, problemIds),
        inArray(problemPhotos.stage, ['before', 'after']),
      ),
    )
    .limit(1);
  return f?.file;
}

// ----- The exposure board (曝光台) ---------------------------------------------------------------

export async function findExposure(
  db: DbOrTx,
  problemId: number,
): Promise<ExposureRow | undefined> {
  const [e] = await db.select().from(exposures).where(eq(exposures.problemId, problemId));
  return e;
}

export async function findProblemState(
  db: DbOrTx,
  id: number,
): Promise<{ id: number; state: string } | undefined> {
  const [p] = await db
    .select({ id: problems.id, state: problems.state })
    .from(problems)
    .where(eq(problems.id, id));
  return p;
}

/** Publishes a problem, or changes the public wording of one already published. */
export async function upsertExposure(
  db: DbOrTx,
  v: { problemId: number; title: string; note: string | null; publishedBy: number | null },
): Promise<void> {
  await db
    .insert(exposures)
    .values(v)
    .onConflictDoUpdate({
      target: exposures.problemId,
      set: { title: v.title, note: v.note },
    });
}

/** Takes a problem off the board; returns the entry removed. */
export async function deleteExposure(db: DbOrTx, problemId: number): Promise<ExposureRow[]> {
  return db.delete(exposures).where(eq(exposures.problemId, problemId)).returning();
}

export type ExposureListRow = Awaited<ReturnType<typeof listExposureRows>>[number];

/** Published problems, newest first, keyset after (published time, problem id), `limit + 1` rows. */
export async function listExposureRows(
  db: DbOrTx,
  after: { at: Date; problemId: number } | undefined,
  limit: number,
) {
  return db
    .select({
      e: exposures,
      p: problems,
      categoryName: problemCategories.name,
      unitName: units.name,
    })
    .from(exposures)
    .innerJoin(problems, eq(problems.id, exposures.problemId))
    .innerJoin(problemCategories, eq(problemCategories.id, problems.categoryId))
    .leftJoin(units, eq(units.id, problems.unitId))
    .where(
      after
        ? or(
            lt(exposures.publishedAt, after.at),
            and(eq(exposures.publishedAt, after.at), lt(exposures.problemId, after.problemId)),
          )
        : undefined,
    )
    .orderBy(desc(exposures.publishedAt), desc(exposures.problemId))
    .limit(limit + 1);
}

// ----- Replies to reporters: texts, the rating, the reopening -----------------------------------

export interface ReplyRecipient {
  /** The report's own problem (the key of the report). */
  reportProblemId: number;
  trackingCode: string;
  phone: string;
}

/**
 * The reporters to text about a step on a problem: reports of it, or of a duplicate merged into it,
 * that asked for texts and left a phone. Two indexed lookups (the report's key, merged_into_id).
 */
export async function listReplyRecipients(
  db: DbOrTx,
  problemId: number,
): Promise<ReplyRecipient[]> {
  const rows = await db
    .select({
      reportProblemId: citizenReports.problemId,
      trackingCode: citizenReports.trackingCode,
      phone: problems.reporterPhone,
    })
    .from(citizenReports)
    .innerJoin(problems, eq(problems.id, citizenReports.problemId))
    .where(
      and(
        eq(citizenReports.smsOptIn, true),
        isNotNull(problems.reporterPhone),
        or(eq(problems.id, problemId), eq(problems.mergedIntoId, problemId)),
      ),
    );
  return rows.map((r) => ({ ...r, phone: r.phone! }));
}

/** Records the report's rating unless it has one; false when it had (a second try, or a race). */
export async function claimRating(
  tx: DbOrTx,
  reportProblemId: number,
  v: {
    rating: 'satisfied' | 'basic' | 'unsatisfied';
    comment: string | null;
    ratedProblemId: number;
    at: Date;
  },
): Promise<boolean> {
  const rows = await tx
    .update(citizenReports)
    .set({
      rating: v.rating,
      ratingComment: v.comment,
      ratedAt: v.at,
      ratedProblemId: v.ratedProblemId,
    })
    .where(and(eq(citizenReports.problemId, reportProblemId), isNull(citizenReports.ratedAt)))
    .returning({ id: citizenReports.problemId });
  return rows.length === 1;
}

/** Records the report's reopening unless it was reopened; false when it was. */
export async function claimReopen(
  tx: DbOrTx,
  reportProblemId: number,
  v: { reason: string; at: Date },
): Promise<boolean> {
  const rows = await tx
    .update(citizenReports)
    .set({ reopenedAt: v.at, reopenReason: v.reason })
    .where(and(eq(citizenReports.problemId, reportProblemId), isNull(citizenReports.reopenedAt)))
    .returning({ id: citizenReports.problemId });
  return rows.length === 1;
}
