import type ExcelJS from 'exceljs';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { TImportResult, TRowError } from '../../core/contracts/common.js';
import type { Permission } from '../../core/permissions.js';
import type { Database, Tx } from '../db/client.js';
import { requirePermission, type Actor } from './actor.js';
import { writeAudit } from './audit.js';
import { AppError, errors, type Message } from './errors.js';
import { uploadName } from './form.js';
import { actor as requestActor } from './http.js';
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

/** Finds the code of an option given its code, Chinese or English label (case and spaces aside). */
export function matchLabel<C extends string>(
  labels: Record<C, Message>,
  text: string,
): C | undefined {
  const t = text.trim().toLowerCase();
  for (const [code, l] of Object.entries(labels) as [C, Message][]) {
    if (code.toLowerCase() === t || l.zh === text.trim() || l.en.toLowerCase() === t) return code;
  }
  return undefined;
}

/** A list written in one cell: 摄影、急救 / a, b / a；b / a b. */
export function splitList(text: string): string[] {
  return text.split(/[、,，;；\s]+/).filter(Boolean);
}

const ACTIVE_WORDS: Record<string, boolean> = {
  启用: true,
  是: true,
  active: true,
  yes: true,
  true: true,
  '1': true,
  停用: false,
  否: false,
  inactive: false,
  no: false,
  false: false,
  '0': false,
};

/** A date as offices write it (2026/3/1, 2026-03-01, 2026年3月1日, an Excel date cell) → 2026-03-01. */
export function parseDate(text: string): string | null {
  const t = text.normalize('NFKC').trim();
  const m =
    /^(\d{4})\D(\d{1,2})\D(\d{1,2})\D?$/.exec(t) ??
    // An Excel date cell reads as midnight UTC.
    /^(\d{4})-(\d{2})-(\d{2})T00:00:00(?:\.000)?Z$/.exec(t);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
}

/** One row under check: its values, and the ways to report what is wrong with it. */
export interface RowCheck<K extends string> {
  readonly row: number;
  readonly values: Readonly<Record<K, string>>;
  /** Reports a problem in one column of this row. */
  fail(column: K, reason: string): void;
  /** Reports a zod error on the row's object; issues are named by the column their path starts with. */
  failZod(error: z.ZodError, opts?: { except?: K[] }): void;
  /** Whether this row has a problem so far (in `column`, when given). */
  failed(column?: K): boolean;
  /**
   * One of the labelled options, by code or label. A blank cell gives `blank`, or is a problem when
   * there is none; an unknown word is a problem. `noun` names the option in both languages.
   */
  option<C extends string>(
    column: K,
    labels: Record<C, Message>,
    noun: Message,
    opts?: { blank?: C },
  ): C | undefined;
  /** The value a cell names in `map` (by code or name); null for a blank cell or an unknown name. */
  lookup<V>(column: K, map: ReadonlyMap<string, V>, noun: Message): V | null;
  /** 启用/停用 (是/否, yes/no, 1/0); a blank cell is active. */
  active(column: K): boolean;
  /** A date (see `parseDate`) as YYYY-MM-DD; null for a blank cell or one that is not a date. */
  date(column: K): string | null;
}

/** A row that passed its checks, with what its parser made of it. */
export interface Checked<T> {
  row: number;
  data: T;
}

/**
 * Collects every problem of an import file before anything is written: row number as a person sees
 * it in Excel, the column's header, a bilingual reason. `commitImport` refuses the file (422) while
 * any is collected.
 */
export class ImportCheck<K extends string> {
  readonly errors: TRowError[] = [];

  constructor(readonly columns: ColumnSpec<K>[]) {}

  /** The header of a column, as the template writes it. */
  header(key: K): string {
    return this.columns.find((c) => c.key === key)?.header ?? key;
  }

  /** Reports a problem on any row (0 for the file as a whole) and column (a key or a label). */
  add(row: number, column: K | string, reason: string): void {
    const header = this.columns.find((c) => c.key === column)?.header ?? column;
    this.errors.push({ row, column: header, reason });
  }

  /** Reports every row whose value (by default the cell, trimmed) repeats an earlier row's. */
  unique(
    rows: SheetRow<K>[],
    column: K,
    value: (v: Record<K, string>) => string = (v) => v[column],
  ) {
    const seen = new Map<string, number>();
    for (const r of rows) {
      const v = value(r.values);
      if (!v) continue;
      const first = seen.get(v);
      if (first === undefined) seen.set(v, r.row);
      else this.add(r.row, column, `与第 ${first} 行重复 / duplicates row ${first}`);
    }
  }

  /**
   * Runs `parse` on every row, collecting its problems; returns what it made of the rows that have
   * none (a row with a problem is dropped whatever `parse` returns for it).
   */
  rows<T>(rows: SheetRow<K>[], parse: (r: RowCheck<K>) => T | undefined): Checked<T>[] {
    const out: Checked<T>[] = [];
    for (const r of rows) {
      const check = this.rowCheck(r);
      const data = parse(check);
      if (!check.failed() && data !== undefined) out.push({ row: r.row, data });
    }
    return out;
  }

  /** 422 `import_rejected` with every problem, by row (in the order found within a row). */
  throwIfAny(): void {
    if (this.errors.length) {
      throw errors.badImport([...this.errors].sort((a, b) => a.row - b.row));
    }
  }

  private rowCheck(r: SheetRow<K>): RowCheck<K> {
    const failedColumns = new Set<string>();
    let failedAny = false;
    const fail = (column: K | string, reason: string) => {
      failedAny = true;
      failedColumns.add(column);
      this.add(r.row, column, reason);
    };
    const v = r.values;
    return {
      row: r.row,
      values: v,
      fail,
      failZod: (error, opts = {}) => {
        for (const issue of error.issues) {
          const key = String(issue.path[0] ?? '');
          if (!opts.except?.includes(key as K)) fail(key, issue.message);
        }
      },
      failed: (column) => (column === undefined ? failedAny : failedColumns.has(column)),
      option: (column, labels, noun, opts = {}) => {
        const text = v[column];
        if (!text) {
          if (opts.blank === undefined)
            fail(column, `必须填写${noun.zh} / the ${noun.en} is required`);
          return opts.blank;
        }
        const code = matchLabel(labels, text);
        if (code === undefined) {
          const all = Object.entries<Message>(labels);
          fail(
            column,
            `未知的${noun.zh}“${text}”，可填：${all.map(([, l]) => l.zh).join('、')} / ` +
              `unknown ${noun.en} "${text}"; use one of: ${all.map(([c]) => c).join(', ')}`,
          );
        }
        return code;
      },
      lookup: (column, map, noun) => {
        const text = v[column];
        if (!text) return null;
        const found = map.get(text);
        if (found === undefined) {
          fail(column, `${noun.zh}“${text}”不存在 / ${noun.en} not found`);
          return null;
        }
        return found;
      },
      active: (column) => {
        const text = v[column];
        if (!text) return true;
        const active = ACTIVE_WORDS[text.toLowerCase()];
        if (active === undefined) fail(column, '状态应为“启用”或“停用” / use 启用 or 停用');
        return active ?? true;
      },
      date: (column) => {
        const text = v[column];
        if (!text) return null;
        const date = parseDate(text);
        if (date === null) fail(column, `无法识别的日期“${text}” / not a date`);
        return date;
      },
    };
  }
}

/** A checker for an import file in these columns. */
export function importCheck<K extends string>(columns: ColumnSpec<K>[]): ImportCheck<K> {
  return new ImportCheck(columns);
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
        ...(opts.dryRun ? { dryRun: true } : {}),
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
