import type { TRowError } from '../../../core/contracts/common.js';
import type {
  TFrameworkImportPreview,
  TImportSheetQuery,
  TSheetImportReport,
} from '../../../core/contracts/frameworks.js';
import {
  countNodes,
  type AssignmentData,
  type FrameworkData,
} from '../../../core/frameworks/data.js';
import { parseFrameworkDoc, type DocScoring } from '../../../core/frameworks/json-doc.js';
import type { TFrameworkLevel } from '../../../core/frameworks/methods.js';
import {
  ASSIGNMENT_SHEET_COLUMNS,
  FRAMEWORK_SHEET_COLUMNS,
  parseAssignmentSheet,
  parseFrameworkSheet,
  type StandardRef,
  type SheetColumn,
  type SheetKey,
} from '../../../core/frameworks/sheet.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { errors } from '../../platform/errors.js';
import { loadWorkbook, readSheet, type SheetRead, type SheetRow } from '../../platform/xlsx.js';
import {
  partyMatcher,
  proposeParty,
  splitPartyCell,
  type PartyRef,
} from '../../../core/org/parties.js';
import {
  expandPartyCells,
  withParties,
  type PartyCells,
} from '../../../core/frameworks/party-cells.js';
import * as partiesRepo from '../parties/parties.repo.js';
import * as arepo from './assignments.repo.js';
import { fwErrors } from './frameworks.errors.js';
import * as nodes from './framework-nodes.repo.js';
import * as repo from './frameworks.repo.js';

/**
 * Reading a framework file (JSON, or an office's XLSX 测评体系/任务分解表) for an import or its
 * preview. Strict by default (422 with every bad row); `skipBadRows` imports the clean rows only;
 * the preview reads everything and says what an import would create and what needs a decision.
 * Header names the office mapped once are remembered (settings `framework_import_columns`).
 */

const MAX_ROWS = 20_000;

export type Parsed = {
  kind: 'json' | 'xlsx';
  name: string | null;
  edition: string | null;
  level: TFrameworkLevel | null;
  scoring: DocScoring;
  data: FrameworkData;
  assignments: AssignmentData[];
  /** XLSX only: rows passed over, sums checked, columns not read. */
  report?: TSheetImportReport;
};

export interface ParseOptions {
  sheet?: string | undefined;
  /** Header as written → the column it is (the office's mapping, remembered after an import). */
  columns?: Record<string, SheetKey> | undefined;
  skipBadRows?: boolean | undefined;
}

export function isZip(b: Buffer): boolean {
  return b.length > 3 && b[0] === 0x50 && b[1] === 0x4b;
}

/** The text of a JSON upload (UTF-8, BOM allowed), or null when it is not JSON. */
function jsonText(b: Buffer): string | null {
  const text = b.toString('utf8').replace(/^\uFEFF/, '');
  return /^\s*[{[]/.test(text) ? text : null;
}

/** The options an import's query carries: the sheet, and the column mapping as JSON. */
export function parseOptionsOf(q: TImportSheetQuery): ParseOptions {
  return { sheet: q.sheet, columns: q.columns, skipBadRows: q.skipBadRows };
}

async function rememberedColumns(db: DbOrTx): Promise<Record<string, SheetKey>> {
  return (await repo.importColumns(db)) as Record<string, SheetKey>;
}

/** Keeps the office's header mapping for the next import (merged into what was kept before). */
export async function rememberColumns(
  db: DbOrTx,
  columns: Record<string, SheetKey> | undefined,
  by: number | null,
): Promise<void> {
  if (!columns || Object.keys(columns).length === 0) return;
  await repo.saveImportColumns(db, { ...(await rememberedColumns(db)), ...columns }, by);
}

/** Sheet columns with the remembered and the given header names added as aliases. */
async function columnsWith(
  db: DbOrTx,
  base: SheetColumn[],
  given: Record<string, SheetKey> | undefined,
): Promise<SheetColumn[]> {
  const map = { ...(await rememberedColumns(db)), ...(given ?? {}) };
  return base.map((c) => ({
    ...c,
    aliases: [
      ...c.aliases,
      ...Object.entries(map)
        .filter(([, k]) => k === c.key)
        .map(([h]) => h),
    ],
  }));
}

/**
 * Reads an office workbook: the data sheet among 填表说明 / 汇总 sheets (or the one chosen), title
 * rows above the header, headers with notes and line breaks, labels merged across the row, columns
 * we do not read kept.
 */
async function readOfficeSheet(
  db: DbOrTx,
  file: Buffer,
  base: SheetColumn[],
  opts: ParseOptions,
): Promise<SheetRead<SheetKey>> {
  return readSheet(file, await columnsWith(db, base, opts.columns), MAX_ROWS, {
    headerSearchRows: 10,
    sheet: opts.sheet ? { name: opts.sheet } : 'best',
    looseHeaders: true,
    mergedAcrossOnce: true,
    keepExtra: true,
  });
}

const readXlsx = (db: DbOrTx, file: Buffer, opts: ParseOptions) =>
  readOfficeSheet(db, file, FRAMEWORK_SHEET_COLUMNS, opts);
const readTaskXlsx = (db: DbOrTx, file: Buffer, opts: ParseOptions) =>
  readOfficeSheet(db, file, ASSIGNMENT_SHEET_COLUMNS, opts);

/** The workbook as a preview shows it: the sheet read, the sheets, the header row's columns. */
function sheetSummary(read: SheetRead<SheetKey>) {
  return {
    kind: 'xlsx' as const,
    sheetName: read.sheetName,
    sheets: read.sheetNames ?? [read.sheetName],
    columns: [
      ...Object.entries(read.headerLabels).map(([key, header]) => ({
        header,
        key: key as SheetKey,
      })),
      ...read.unknownHeaders.map((header) => ({ header, key: null })),
    ],
  };
}

/** How names in a sheet are read: the unit directory, then the 集体责任方. */
export interface SheetNames {
  match: arepo.DirectoryMatcher;
  /** Full unit name → id. */
  unitId: (name: string) => number | undefined;
  parties: PartyRef[];
  party: (name: string) => PartyRef | null;
  unitName: (id: number) => string | undefined;
}

export async function sheetNames(db: DbOrTx): Promise<SheetNames> {
  const parties = await partiesRepo.partyDirectory(db);
  const directory = await arepo.unitDirectory(db);
  const byId = new Map(directory.map((u) => [u.id, u.name]));
  const byName = new Map(directory.map((u) => [u.name, u.id]));
  return {
    match: await arepo.directoryMatcher(db, directory),
    unitId: (name) => byName.get(name),
    parties,
    party: partyMatcher(parties),
    unitName: (id) => byId.get(id),
  };
}

/** The rows with their 集体责任方 read (see core/frameworks/party-cells.ts). */
export function partyCells(rows: SheetRow<SheetKey>[], names: SheetNames): PartyCells {
  return expandPartyCells(rows, {
    isUnit: (n) => {
      const m = names.match(n);
      return m.ok || m.reason === 'ambiguous';
    },
    party: names.party,
    unitName: names.unitName,
  });
}

function parseRows(read: SheetRead<SheetKey>, names: SheetNames, drop?: Set<number>) {
  const cells = partyCells(read.rows, names);
  const r = parseFrameworkSheet(cells.rows, names.match, {
    unknownColumns: read.unknownHeaders,
    seqCodeHeader: read.fallbackKeys.includes('code') ? read.headerLabels.code : undefined,
    ...(drop ? { dropRows: drop } : {}),
  });
  return { ...r, assignments: withParties(r.assignments, cells), cells };
}

function parseJson(text: string): Parsed {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw errors.badImport([
      {
        row: 0,
        column: '-',
        reason: `不是有效的 JSON：${(e as Error).message} / not valid JSON: ${(e as Error).message}`,
      },
    ]);
  }
  const r = parseFrameworkDoc(raw);
  if (!r.ok) throw errors.badImport(r.errors);
  return { kind: 'json', ...r.doc, assignments: [] };
}

/**
 * Reads a framework file (JSON or XLSX, by content) for an import: 422 listing every problem, or
 * with `skipBadRows` the clean rows only (the rows left out are in the report as `dropped`).
 */
export async function parseFrameworkFile(
  db: DbOrTx,
  file: Buffer,
  opts: ParseOptions = {},
): Promise<Parsed> {
  const text = jsonText(file);
  if (text !== null) return parseJson(text);
  if (!isZip(file)) throw fwErrors.badFile();
  const read = await readXlsx(db, file, opts);
  if (read.headerErrors.length) throw errors.badImport(read.headerErrors);
  const names = await sheetNames(db);
  let r = parseRows(read, names);
  if (r.errors.length && opts.skipBadRows) {
    r = parseRows(read, names, new Set(r.errors.map((e) => e.row)));
  }
  if (r.errors.length) throw errors.badImport(r.errors);
  return {
    kind: 'xlsx',
    name: null,
    edition: null,
    level: null,
    scoring: {},
    data: r.data,
    assignments: r.assignments,
    report: { sheetName: read.sheetName, ...r.report },
  };
}

/** "中文 / English" as the parser words a row's reason, split for the user's language. */
export function splitReason(reason: string): { zh: string; en: string } {
  const at = reason.indexOf(' / ');
  return at < 0
    ? { zh: reason, en: reason }
    : { zh: reason.slice(0, at), en: reason.slice(at + 3) };
}

/**
 * What importing the file would do, without writing: the counts of the clean rows' import, every
 * row that needs a decision, the unit names that match no unit (with the closest ones), the
 * columns as read and the sheets to choose from.
 */
export async function previewFrameworkFile(
  db: DbOrTx,
  file: Buffer,
  opts: ParseOptions,
): Promise<TFrameworkImportPreview> {
  const text = jsonText(file);
  if (text !== null) {
    const p = parseJson(text);
    return {
      kind: 'json',
      sheets: [],
      columns: [],
      missingColumns: [],
      counts: {
        ...countNodes(p.data.items),
        negativeItems: p.data.negativeItems.length,
        assignments: 0,
      },
      issues: [],
      badRows: [],
      units: [],
      parties: [],
    };
  }
  if (!isZip(file)) throw fwErrors.badFile();
  const read = await readXlsx(db, file, opts);
  const base = sheetSummary(read);
  if (read.headerErrors.length) {
    return {
      ...base,
      missingColumns: FRAMEWORK_SHEET_COLUMNS.filter(
        (c) => c.required && !(c.key in read.headerLabels),
      ).map((c) => c.key),
      counts: { items: 0, contents: 0, standards: 0, negativeItems: 0, assignments: 0 },
      issues: read.headerErrors.map(toIssue),
      badRows: [],
      units: [],
      parties: [],
    };
  }
  const names = await sheetNames(db);
  const all = parseRows(read, names);
  const badRows = rowsOf(all.errors);
  const clean = badRows.length ? parseRows(read, names, new Set(badRows)) : all;
  return {
    ...base,
    missingColumns: [],
    counts: {
      ...countNodes(clean.data.items),
      negativeItems: 0,
      assignments: clean.assignments.length,
    },
    ...nameFindings(read.rows, names, all.cells),
    issues: issuesOf(all.errors, clean.errors),
    badRows,
    report: { sheetName: read.sheetName, ...all.report },
  };
}

const rowsOf = (errs: TRowError[]) => [...new Set(errs.map((e) => e.row))].sort((a, b) => a - b);

/** Each problem once (a clean re-read may report again what the full read did). */
function issuesOf(...lists: TRowError[][]) {
  return [
    ...new Map(lists.flat().map((e) => [`${e.row}|${e.column}|${e.reason}`, e])).values(),
  ].map(toIssue);
}

/**
 * The unit names in the sheet's 牵头单位/责任单位 cells that no unit and no party answers to (with
 * the closest units, and a 集体责任方 proposal for a collective name), and the parties it names.
 */
function nameFindings(
  rows: SheetRow<SheetKey>[],
  names: SheetNames,
  cells: PartyCells,
): Pick<TFrameworkImportPreview, 'units' | 'parties'> {
  const unknown = new Map<string, number[]>();
  for (const r of rows) {
    for (const n of [...splitPartyCell(r.values.lead), ...splitPartyCell(r.values.responsible)]) {
      const m = names.match(n);
      if (m.ok || (m.reason === 'unknown' && names.party(n))) continue;
      unknown.set(n, [...(unknown.get(n) ?? []), r.row]);
    }
  }
  const units: TFrameworkImportPreview['units'] = [];
  for (const [name, at] of unknown) {
    const m = names.match(name);
    if (m.ok) continue;
    const candidates = m.reason === 'ambiguous' ? m.candidates : m.suggestions;
    const proposal = m.reason === 'unknown' ? proposeParty(name) : null;
    units.push({
      name,
      status: m.reason,
      rows: [...new Set(at)],
      suggestions: candidates.flatMap((c) => {
        const id = names.unitId(c);
        return id === undefined ? [] : [{ id, name: c }];
      }),
      ...(proposal ? { proposal } : {}),
    });
  }
  const parties = [...cells.used].map(([id, at]) => {
    const p = names.parties.find((x) => x.id === id)!;
    return {
      id,
      name: p.name,
      kind: p.kind,
      units: p.kind === 'group' ? p.memberIds.length : p.contactUnitId === null ? 0 : 1,
      contactUnit: p.contactUnitId === null ? null : (names.unitName(p.contactUnitId) ?? null),
      rows: at,
    };
  });
  return { units, parties };
}

// ---------- task sheets (任务分解表 against a version) ----------

/** A task sheet's header problems: missing columns, or neither a code nor a standard text. */
function taskHeaderErrors(read: SheetRead<SheetKey>): TRowError[] {
  const noKey: TRowError[] =
    read.rows.length && !read.rows.some((r) => r.values.code || r.values.text)
      ? [
          {
            row: read.headerRow,
            column: '标准编号',
            reason: '缺少列“标准编号” / missing column "标准编号"',
          },
        ]
      : [];
  return [...read.headerErrors, ...noKey];
}

/** The version's standards with their content and item, for reading task rows. */
export async function taskStandards(
  db: DbOrTx,
  versionId: number,
): Promise<(StandardRef & { id: number })[]> {
  const all = await nodes.listNodes(db, versionId);
  const byId = new Map(all.map((n) => [n.id, n]));
  return all
    .filter((n) => n.kind === 'standard')
    .map((n) => {
      const c = n.parentId === null ? undefined : byId.get(n.parentId);
      const i = c?.parentId == null ? undefined : byId.get(c.parentId);
      return {
        id: n.id,
        code: n.code,
        text: n.text,
        contentCode: c?.code,
        contentText: c?.text,
        itemCode: i?.code,
        itemText: i?.text,
        maxScore: n.maxScore ?? undefined,
      };
    });
}

function parseTaskRows(
  read: SheetRead<SheetKey>,
  names: SheetNames,
  standards: StandardRef[],
  drop?: Set<number>,
) {
  const rows = drop ? read.rows.filter((r) => !drop.has(r.row)) : read.rows;
  const cells = partyCells(rows, names);
  const parsed = parseAssignmentSheet(cells.rows, names.match, standards, {
    unknownColumns: read.unknownHeaders,
    seqCodeHeader: read.fallbackKeys.includes('code') ? read.headerLabels.code : undefined,
  });
  const dropped = [...(drop ?? [])].map((row) => ({
    row,
    kind: 'dropped' as const,
    reason: '有问题的行，未导入（见问题表） / a row with problems, left out (see the error sheet)',
  }));
  return {
    ...parsed,
    assignments: withParties(parsed.assignments, cells),
    report: { ...parsed.report, skippedRows: [...parsed.report.skippedRows, ...dropped] },
    cells,
  };
}

/** Reads a task sheet for an import: 422 listing every problem, or the clean rows only. */
export async function parseTaskFile(
  db: DbOrTx,
  versionId: number,
  file: Buffer,
  opts: ParseOptions = {},
) {
  if (!isZip(file)) throw fwErrors.badFile();
  const read = await readTaskXlsx(db, file, opts);
  const head = taskHeaderErrors(read);
  if (head.length) throw errors.badImport(head);
  const standards = await taskStandards(db, versionId);
  const names = await sheetNames(db);
  let r = parseTaskRows(read, names, standards);
  if (r.errors.length && opts.skipBadRows) {
    r = parseTaskRows(read, names, standards, new Set(rowsOf(r.errors)));
  }
  if (r.errors.length) throw errors.badImport(r.errors);
  return {
    assignments: r.assignments,
    standards,
    report: { sheetName: read.sheetName, ...r.report },
  };
}

/** What importing a task sheet onto a version would do (see `previewFrameworkFile`). */
export async function previewTaskFile(
  db: DbOrTx,
  versionId: number,
  file: Buffer,
  opts: ParseOptions,
): Promise<TFrameworkImportPreview> {
  if (!isZip(file)) throw fwErrors.badFile();
  const read = await readTaskXlsx(db, file, opts);
  const base = sheetSummary(read);
  const none = { items: 0, contents: 0, standards: 0, negativeItems: 0, assignments: 0 };
  const head = taskHeaderErrors(read);
  if (head.length) {
    return {
      ...base,
      missingColumns: [
        ...ASSIGNMENT_SHEET_COLUMNS.filter((c) => c.required && !(c.key in read.headerLabels)).map(
          (c) => c.key,
        ),
        ...(read.headerErrors.length ? [] : (['code'] as const)),
      ],
      counts: none,
      issues: head.map(toIssue),
      badRows: [],
      units: [],
      parties: [],
    };
  }
  const standards = await taskStandards(db, versionId);
  const names = await sheetNames(db);
  const all = parseTaskRows(read, names, standards);
  const badRows = rowsOf(all.errors);
  const clean = badRows.length ? parseTaskRows(read, names, standards, new Set(badRows)) : all;
  return {
    ...base,
    missingColumns: [],
    counts: {
      ...none,
      standards: new Set(clean.assignments.map((a) => a.standardCode)).size,
      assignments: clean.assignments.length,
    },
    ...nameFindings(read.rows, names, all.cells),
    issues: issuesOf(all.errors, clean.errors),
    badRows,
    report: { sheetName: read.sheetName, ...all.report },
  };
}

function toIssue(e: TRowError) {
  return { row: e.row, column: e.column, reason: splitReason(e.reason) };
}

/** The preview of a framework file's import (the office only). */
export async function previewImport(
  database: Database,
  actor: Actor,
  file: Buffer,
  opts: ParseOptions,
): Promise<TFrameworkImportPreview> {
  requirePermission(actor, Permission.FrameworkWrite);
  return previewFrameworkFile(database.db, file, opts);
}

/**
 * The office's own workbook given back with a 问题 column on the data sheet: each row's problems,
 * in the user's language, so the rows left out can be fixed and imported again.
 */
export async function importErrorSheet(
  database: Database,
  actor: Actor,
  file: Buffer,
  opts: ParseOptions & { lang: 'zh' | 'en'; versionId?: number },
): Promise<{ filename: string; body: Buffer }> {
  requirePermission(
    actor,
    opts.versionId === undefined ? Permission.FrameworkWrite : Permission.AssignmentWrite,
  );
  if (!isZip(file)) throw fwErrors.badFile();
  const db = database.db;
  let read: SheetRead<SheetKey>;
  const problems: TRowError[] = [];
  if (opts.versionId === undefined) {
    read = await readXlsx(db, file, opts);
    problems.push(...read.headerErrors);
    if (!read.headerErrors.length) problems.push(...parseRows(read, await sheetNames(db)).errors);
  } else {
    if (!(await repo.findVersion(db, opts.versionId))) {
      throw fwErrors.notFound('version', opts.versionId);
    }
    read = await readTaskXlsx(db, file, opts);
    problems.push(...taskHeaderErrors(read));
    if (!problems.length) {
      const standards = await taskStandards(db, opts.versionId);
      problems.push(...parseTaskRows(read, await sheetNames(db), standards).errors);
    }
  }
  const byRow = new Map<number, string[]>();
  for (const e of problems) {
    const r = splitReason(e.reason);
    const text = `${e.column}：${opts.lang === 'en' ? r.en : r.zh}`;
    byRow.set(e.row, [...(byRow.get(e.row) ?? []), text]);
  }
  const wb = await loadWorkbook(file);
  const ws = wb.worksheets.find((w) => w.name === read.sheetName)!;
  const col = ws.columnCount + 1;
  const head = ws.getCell(read.headerRow, col);
  head.value = opts.lang === 'en' ? 'Problems' : '问题';
  head.font = { bold: true, color: { argb: 'FFC00000' } };
  ws.getColumn(col).width = 60;
  for (const [row, texts] of byRow) {
    const cell = ws.getCell(row, col);
    cell.value = texts.join('\n');
    cell.alignment = { wrapText: true, vertical: 'top' };
    cell.font = { color: { argb: 'FFC00000' } };
  }
  const body = Buffer.from(await wb.xlsx.writeBuffer());
  return { filename: opts.lang === 'en' ? 'import-problems.xlsx' : '导入问题表.xlsx', body };
}

/** The preview of a task sheet's import onto a version (who may import tasks). */
export async function previewTaskImport(
  database: Database,
  actor: Actor,
  versionId: number,
  file: Buffer,
  opts: ParseOptions,
): Promise<TFrameworkImportPreview> {
  requirePermission(actor, Permission.AssignmentWrite);
  if (!(await repo.findVersion(database.db, versionId))) {
    throw fwErrors.notFound('version', versionId);
  }
  return previewTaskFile(database.db, versionId, file, opts);
}
