import type ExcelJS from 'exceljs';
import type { FastifyRequest } from 'fastify';
import type { TImportResult } from '../../core/contracts/common.js';
import type { Permission } from '../../core/permissions.js';
import type { Database, Tx } from '../db/client.js';
import { requirePermission, type Actor } from './actor.js';
import { writeAudit } from './audit.js';
import { AppError, errors } from './errors.js';
import { uploadName } from './form.js';
import { actor as requestActor } from './http.js';
import type { ImportCheck } from './import-check.js';
import { withTx } from './tx.js';
import {
  readSheet,
  readWorksheet,
  type ColumnSpec,
  type SheetRead,
  type SheetRow,
} from './xlsx.js';

// The import kit: every XLSX import takes the same steps in the same order (docs/architecture.md,
// "Recipe: add an import"):
//   route    receiveUpload(req, permission)        403 before the body is read, then the file
//   service  requirePermission → readImportRows     the rows of a messy office sheet, or 400/413/422
//            importCheck(columns) → unique, rows     every bad row, by row number and column header
//                                                    (import-check.ts)
//            commitImport(…, write)                  422 if any row is bad; else one transaction with
//                                                    one audit record (or rolled back: a dry run)
// and exports write the same columns back (`streamSheet`, `keysetPages`).

/** The uploaded file of an import. */
export interface ImportFile {
  data: Buffer;
  /** The client's file name (under the text rule); recorded in the audit record. */
  filename: string;
}

const noFile = () =>
  new AppError('no_file', 400, { zh: '请选择要导入的文件', en: 'choose a file to import' });

/**
 * The route side of an import: the permission first (a caller without it gets 403 and the server
 * reads none of the upload), then the one uploaded file, size-limited by the multipart settings.
 */
export async function receiveUpload(
  req: FastifyRequest,
  permission: Permission,
): Promise<ImportFile> {
  requirePermission(requestActor(req), permission);
  const part = req.isMultipart() ? await req.file() : undefined;
  if (!part) throw noFile();
  return { data: await part.toBuffer(), filename: uploadName(part.filename) };
}

// A subtotal or note row of an office sheet: 合计 / 小 计 / 总计（3 家）/ Total, or 备注：… / 注：…,
// in the row's first filled cell (often a 序号 column the import does not read).
const SUMMARY_ROW =
  /^(?:[合小总共]\s*计|(?:sub|grand)?\s*total)(?=$|[\s:(\d])|^(?:备\s*注|注|说\s*明|填[表报]说明)\s*:/i;

/** True for a subtotal or note row (see SUMMARY_ROW), given the row's filled cells in order. */
export function isSummaryRow(cells: string[]): boolean {
  const first = cells[0];
  return first !== undefined && SUMMARY_ROW.test(first.normalize('NFKC').trim());
}

/** How imports read a sheet: the header among the first 5 rows (title rows), summaries skipped. */
const IMPORT_READ = { headerSearchRows: 5, skipRow: isSummaryRow };

/** Reads one sheet of a workbook the way imports do, without refusing: for multi-sheet books. */
export function readImportSheet<K extends string>(
  ws: ExcelJS.Worksheet,
  columns: ColumnSpec<K>[],
  maxRows = 20000,
): SheetRead<K> {
  return readWorksheet(ws, columns, maxRows, IMPORT_READ);
}

/**
 * The data rows of an uploaded workbook's first sheet, as a person sees them in Excel: the header row
 * may follow a title row, headers match by alias (full-width, spaced, starred or (必填) alike), blank,
 * remarks-only, subtotal and note rows are passed over. 400 `bad_file` for what is not a workbook,
 * 413 `too_many_rows`, 422 for missing required columns or a sheet without data rows.
 */
export async function readImportRows<K extends string>(
  file: ImportFile,
  columns: ColumnSpec<K>[],
  maxRows = 20000,
): Promise<SheetRow<K>[]> {
  const { rows, headerErrors, headerRow } = await readSheet(
    file.data,
    columns,
    maxRows,
    IMPORT_READ,
  );
  if (headerErrors.length) throw errors.badImport(headerErrors);
  if (rows.length === 0) {
    throw errors.badImport([
      { row: headerRow + 1, column: '-', reason: '文件没有数据行 / the file has no data rows' },
    ]);
  }
  return rows;
}

/** What an import's write step answers: the counts, and what else its audit record should hold. */
export type ImportOutcome = TImportResult & { audit?: Record<string, unknown> };

class DryRunRollback extends Error {
  constructor(readonly outcome: ImportOutcome) {
    super('dry run: rolled back');
  }
}

/**
 * The write of an import: refused whole (422, nothing written) while `check` holds any problem;
 * otherwise `write` runs in one transaction whose last step is the import's audit record (action,
 * file name, counts and `outcome.audit`). A dry run takes the same path and rolls it back, answering
 * only the counts (`dryRun: true`); a write that throws (a cycle found only in the database) rolls
 * back too.
 */
export async function commitImport<K extends string>(
  database: Database,
  actor: Actor,
  opts: {
    file: ImportFile;
    check: ImportCheck<K>;
    audit: { action: string; entityType: string };
    dryRun?: boolean;
  },
  write: (tx: Tx) => Promise<ImportOutcome>,
): Promise<TImportResult> {
  opts.check.throwIfAny();
  const run = async (tx: Tx) => {
    const outcome = await write(tx);
    await writeAudit(tx, actor, {
      action: opts.audit.action,
      entityType: opts.audit.entityType,
      entityId: null,
      after: {
        file: opts.file.filename,
        imported: outcome.imported,
        created: outcome.created,
        updated: outcome.updated,
        ...outcome.audit,
      },
    });
    return outcome;
  };
  if (opts.dryRun) {
    try {
      await database.db.transaction(async (tx) => {
        throw new DryRunRollback(await run(tx));
      });
    } catch (err) {
      if (!(err instanceof DryRunRollback)) throw err;
      const { imported, created, updated } = err.outcome;
      return { imported, created, updated, dryRun: true };
    }
  }
  const { audit: _audit, ...result } = await withTx(database, run);
  return result;
}

/**
 * Upserts parsed rows by a natural key (a code, a phone): known keys are overwritten, new ones
 * inserted in one batch; the repository functions are passed in, so SQL stays in the module's repo.
 */
export async function upsertByKey<P, V>(
  items: P[],
  ops: {
    key: (p: P) => string;
    /** Ids of the rows already stored, by key. */
    known: (keys: string[]) => Promise<Map<string, number>>;
    values: (p: P) => V;
    update: (id: number, values: V) => Promise<void>;
    insert: (rows: V[]) => Promise<void>;
  },
): Promise<TImportResult> {
  const known = await ops.known(items.map(ops.key));
  const fresh: V[] = [];
  let updated = 0;
  for (const p of items) {
    const id = known.get(ops.key(p));
    if (id === undefined) fresh.push(ops.values(p));
    else {
      await ops.update(id, ops.values(p));
      updated++;
    }
  }
  await ops.insert(fresh);
  return { imported: items.length, created: fresh.length, updated };
}

/** Rows an export streams, 2,000 at a time. */
export const EXPORT_BATCH = 2000;

/** The batches of a keyset-paginated query by id (`page(after)` gives the rows after id `after`). */
export async function* keysetPages<T extends { id: number }>(
  page: (after: number) => Promise<T[]>,
): AsyncGenerator<T[]> {
  for (let after = 0; ;) {
    const rows = await page(after);
    if (!rows.length) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
  }
}

/** `dryRun=true` of an import route's query. */
export const isDryRun = (q: { dryRun?: 'true' | 'false' }) => q.dryRun === 'true';
