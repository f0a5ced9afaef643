import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { evidenceDossiers, evidenceFiles, files, units } from '../../db/schema/index.js';

export interface FilingFileRow {
  standardKey: string;
  evidenceFileId: number;
  title: string;
  docDate: string;
  unitName: string | null;
  mime: string;
  size: number;
  /** Audio and video: the length read at upload (null: unknown or not media). */
  durationMs: number | null;
  storageKey: string;
  originalName: string | null;
}

export interface FilingDossierRow {
  standardKey: string;
  state: 'draft' | 'submitted' | 'returned' | 'approved';
  statement: string;
}

/** The dossiers of a framework and year (state and statement), by standard key. */
export async function dossiersOfYear(
  db: DbOrTx,
  frameworkId: number,
  year: number,
): Promise<Map<string, FilingDossierRow>> {
  const rows = await db
    .select({
      standardKey: evidenceDossiers.standardKey,
      state: evidenceDossiers.state,
      statement: evidenceDossiers.statement,
    })
    .from(evidenceDossiers)
    .where(and(eq(evidenceDossiers.frameworkId, frameworkId), eq(evidenceDossiers.year, year)));
  return new Map(rows.map((r) => [r.standardKey, r]));
}

/**
 * The live files of a framework's dossiers in a year, in a stable order: by standard, then the
 * document's date, then upload order (the package numbers them in this order).
 */
export async function filesOfYear(
  db: DbOrTx,
  frameworkId: number,
  year: number,
): Promise<FilingFileRow[]> {
  return db
    .select({
      standardKey: evidenceDossiers.standardKey,
      evidenceFileId: evidenceFiles.id,
      title: evidenceFiles.title,
      docDate: evidenceFiles.docDate,
      unitName: units.name,
      mime: files.mime,
      size: files.size,
      durationMs: files.durationMs,
      storageKey: files.storageKey,
      originalName: files.originalName,
    })
    .from(evidenceFiles)
    .innerJoin(evidenceDossiers, eq(evidenceDossiers.id, evidenceFiles.dossierId))
    .innerJoin(files, eq(files.id, evidenceFiles.fileId))
    .leftJoin(units, eq(units.id, evidenceFiles.unitId))
    .where(
      and(
        eq(evidenceDossiers.frameworkId, frameworkId),
        eq(evidenceDossiers.year, year),
        isNull(evidenceFiles.removedAt),
      ),
    )
    .orderBy(asc(evidenceDossiers.standardKey), asc(evidenceFiles.docDate), asc(evidenceFiles.id));
}
