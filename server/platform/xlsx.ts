import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { TRowError } from '../../core/contracts/common.js';
import { decodeCsv, parseCsv } from './csv.js';
import { AppError } from './errors.js';

export interface ColumnSpec<K extends string> {
  key: K;
  /** Chinese header as written in the template, e.g. `单位名称`. */
  header: string;
  /** Other accepted headers (English, variants). */
  aliases?: string[];
  /**
   * Headers taken for this column only when no header of the row matches it otherwise, and only
   * with `ReadOptions.looseHeaders` (序号 for a code column: many sheets number their rows there).
   */
  fallbackAliases?: string[];
  required?: boolean;
  width?: number;
}

export interface SheetRow<K extends string> {
  /** 1-based row number in the sheet, as a person sees it in Excel. */
  row: number;
  values: Record<K, string>;
  /** With `ReadOptions.keepExtra`: the row's cells under headers no column spec knows. */
  extra?: Record<string, string>;
}

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if ('richText' in v)
      return v.richText
        .map((t) => t.text)
        .join('')
        .trim();
    if ('text' in v && typeof v.text === 'string') return v.text.trim();
    if ('result' in v) return scalar(v.result);
    if (v instanceof Date) return v.toISOString();
  }
  return scalar(v);
}

/** Text of a plain cell value; anything else (errors, unknown objects) reads as empty. */
function scalar(x: unknown): string {
  if (typeof x === 'string') return x.trim();
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  return '';
}

const badFile = () =>
  new AppError('bad_file', 400, {
    zh: '无法读取文件：请上传 Excel（.xlsx）文件',
    en: 'cannot read the file: please upload an Excel (.xlsx) workbook',
  });

/**
 * A header cell as compared: full-width folded (NFKC), without spaces, required-marks (`*`) or a
 * trailing (必填)/(选填) note, lower-case.
 */
const headerKey = (text: string) =>
  text
    .normalize('NFKC')
    .replace(/[*\s]/g, '')
    .replace(/\((?:必填|选填|可选|required|optional)\)$/i, '')
    .toLowerCase();

/** A header cell as compared, loosely: also without a trailing bracketed note ("分值（分）"). */
const looseHeaderKey = (text: string) => {
  let k = headerKey(text);
  let next = k.replace(/\([^()]*\)$/, '');
  while (next && next !== k) {
    k = next;
    next = k.replace(/\([^()]*\)$/, '');
  }
  return k;
};

interface HeaderMatch<K extends string> {
  idx: Map<K, number>;
  /** Columns found only through a fallback alias. */
  fallback: Set<K>;
}

/**
 * Header texts (in sheet order) matched to the column specs by header or alias; first match wins.
 * Loosely (opt-in), header cells nothing matched are tried again without trailing notes, and then
 * against the fallback aliases of the columns still missing; a cell serves one column there.
 */
function matchHeaders<K extends string>(
  cells: { text: string; at: number }[],
  columns: ColumnSpec<K>[],
  loose = false,
): HeaderMatch<K> {
  const names = columns.map((c) => [c.header, ...(c.aliases ?? [])].map(headerKey));
  const idx = new Map<K, number>();
  const used = new Set<number>();
  for (const { text, at } of cells) {
    const key = headerKey(text);
    columns.forEach((c, i) => {
      if (names[i]!.includes(key) && !idx.has(c.key)) {
        idx.set(c.key, at);
        used.add(at);
      }
    });
  }
  const fallback = new Set<K>();
  if (!loose) return { idx, fallback };
  const pass = (nameLists: string[][], mark: boolean) => {
    for (const { text, at } of cells) {
      if (used.has(at)) continue;
      const key = looseHeaderKey(text);
      const i = columns.findIndex((c, j) => !idx.has(c.key) && nameLists[j]!.includes(key));
      if (i < 0) continue;
      idx.set(columns[i]!.key, at);
      used.add(at);
      if (mark) fallback.add(columns[i]!.key);
    }
  };
  pass(
    names.map((n) => n.map(looseHeaderKey)),
    false,
  );
  pass(
    columns.map((c) => (c.fallbackAliases ?? []).map(looseHeaderKey)),
    true,
  );
  return { idx, fallback };
}

function missingColumns<K extends string>(
  columns: ColumnSpec<K>[],
  found: Map<K, number>,
  headerRow: number,
): TRowError[] {
  return columns
    .filter((c) => c.required && !found.has(c.key))
    .map((c) => ({
      row: headerRow,
      column: c.header,
      reason: `缺少列“${c.header}” / missing column "${c.header}"`,
    }));
}

const tooManyRows = (maxRows: number) =>
  new AppError('too_many_rows', 413, {
    zh: `文件行数超过上限 ${maxRows}，请分批导入`,
    en: `the file has more than ${maxRows} rows; import it in parts`,
  });

/** An uploaded workbook, or 400 `bad_file` for anything that is not one (wrong type, cut short…). */
export async function loadWorkbook(data: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw badFile();
  }
  return wb;
}

export interface ReadOptions {
  /** The header row is the one among the first n rows that matches the most columns (title rows). */
  headerSearchRows?: number;
  /** Rows to pass over (subtotals, notes): given the texts of the row's non-empty cells, in order. */
  skipRow?: (cells: string[]) => boolean;
  /**
   * Which worksheet `readSheet` reads: the first (the default), or `best` — the one whose header
   * row matches the most required columns, then the most columns, visible sheets before hidden
   * ones, earlier before later (workbooks that open with 填表说明 or end with 汇总).
   */
  sheet?: 'first' | 'best' | { name: string };
  /**
   * Header cells that match nothing as written are tried without trailing bracketed notes
   * ("测评项目（一级指标）", "分值（分）"), then against the columns' `fallbackAliases`.
   */
  looseHeaders?: boolean;
  /**
   * A cell merged across columns reads in its first column only (a "一、…小计" or "注：…" spanning
   * the row is one value, not one per column). Cells merged down still read in every row.
   */
  mergedAcrossOnce?: boolean;
  /** Keep the cells under headers no column spec knows, as each row's `extra`. */
  keepExtra?: boolean;
}

export interface SheetRead<K extends string> {
  rows: SheetRow<K>[];
  /** Missing required columns, reported on the header row. */
  headerErrors: TRowError[];
  /** The row the headers were found on (1 unless a title row came first). */
  headerRow: number;
  /** The worksheet read. */
  sheetName: string;
  /** Every worksheet of the workbook, in order (set by `readSheet`). */
  sheetNames?: string[];
  /** The header cells no column spec knows, as written (spaces folded), in sheet order. */
  unknownHeaders: string[];
  /** Columns found only under a fallback alias (see `ColumnSpec.fallbackAliases`). */
  fallbackKeys: K[];
  /** The header each found column has in the sheet, as written (spaces folded). */
  headerLabels: Partial<Record<K, string>>;
}

/** The header row of a worksheet: among the first `searchRows`, the one matching most columns. */
function findHeader<K extends string>(
  ws: ExcelJS.Worksheet,
  columns: ColumnSpec<K>[],
  searchRows: number,
  loose: boolean,
): { row: number; match: HeaderMatch<K>; cells: { text: string; at: number }[] } {
  const readRow = (r: number) => {
    const cells: { text: string; at: number }[] = [];
    ws.getRow(r).eachCell((cell, col) => cells.push({ text: cellText(cell), at: col }));
    return cells;
  };
  let cells = readRow(1);
  let best = { row: 1, match: matchHeaders(cells, columns, loose), cells };
  for (let r = 2; r <= Math.min(searchRows, ws.rowCount); r++) {
    cells = readRow(r);
    const m = matchHeaders(cells, columns, loose);
    if (m.idx.size > best.match.idx.size) best = { row: r, match: m, cells };
  }
  return best;
}

/** Header text as listed: line breaks and runs of spaces folded ("联系\n人" → "联系人"). */
const headerLabel = (text: string) =>
  text
    .replace(/[ \t\u3000]*[\r\n]+[ \t\u3000]*/g, '')
    .replace(/[ \t\u3000]+/g, ' ')
    .trim();

/**
 * Reads one worksheet: a header row matched to the column specs by header or alias, then the data
 * rows. Missing required columns are reported as header-row errors; blank rows (and rows with only
 * unmatched columns, such as remarks — unless `keepExtra`) are skipped. Merged cells read as their
 * top-left value (across columns only in the first with `mergedAcrossOnce`).
 */
export function readWorksheet<K extends string>(
  ws: ExcelJS.Worksheet,
  columns: ColumnSpec<K>[],
  maxRows = 20000,
  opts: ReadOptions = {},
): SheetRead<K> {
  const loose = opts.looseHeaders ?? false;
  const {
    row: headerRow,
    match,
    cells: headerCells,
  } = findHeader(ws, columns, opts.headerSearchRows ?? 1, loose);
  const colIndex = match.idx;
  const headerErrors = missingColumns(columns, colIndex, headerRow);
  if (ws.rowCount - headerRow > maxRows) throw tooManyRows(maxRows);
  // Columns under a header no spec knows: listed, and read into `extra` when asked.
  const matchedAt = new Set(colIndex.values());
  const unknown: { label: string; at: number }[] = [];
  for (const { text, at } of headerCells) {
    const label = headerLabel(text);
    if (!label || matchedAt.has(at)) continue;
    // A header merged across columns reads in every one of them; the first is enough.
    const cell = ws.getRow(headerRow).getCell(at);
    if (cell.isMerged && cell.master.row === cell.row && cell.master.col !== cell.col) continue;
    const same = unknown.filter((u) => u.label === label || u.label.startsWith(`${label} (`));
    unknown.push({ label: same.length ? `${label} (${same.length + 1})` : label, at });
  }
  const text = (cell: ExcelJS.Cell): string => {
    if (
      opts.mergedAcrossOnce &&
      cell.isMerged &&
      cell.master.row === cell.row &&
      cell.master.col !== cell.col
    ) {
      return '';
    }
    return cellText(cell);
  };
  const rows: SheetRow<K>[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const values = {} as Record<K, string>;
    let any = false;
    for (const c of columns) {
      const idx = colIndex.get(c.key);
      const t = idx ? text(row.getCell(idx)) : '';
      values[c.key] = t;
      if (t) any = true;
    }
    const extra: Record<string, string> = {};
    if (opts.keepExtra) {
      for (const u of unknown) {
        const t = text(row.getCell(u.at));
        if (t) extra[u.label] = t;
      }
    }
    // With `keepExtra` a row with cells only under unknown headers is kept: the caller decides.
    if (!any && !Object.keys(extra).length) continue;
    if (opts.skipRow) {
      const cells: string[] = [];
      row.eachCell((cell) => {
        const t = text(cell);
        if (t) cells.push(t);
      });
      if (opts.skipRow(cells)) continue;
    }
    rows.push(opts.keepExtra ? { row: r, values, extra } : { row: r, values });
  }
  return {
    rows,
    headerErrors,
    headerRow,
    sheetName: ws.name,
    unknownHeaders: unknown.map((u) => u.label),
    fallbackKeys: [...match.fallback],
    headerLabels: Object.fromEntries(
      [...colIndex].map(([k, at]) => [
        k,
        headerLabel(headerCells.find((c) => c.at === at)?.text ?? ''),
      ]),
    ) as Partial<Record<K, string>>,
  };
}

/**
 * The worksheet whose header row (among the first `searchRows`) matches the most required
 * columns, then the most columns; visible sheets before hidden ones, earlier before later.
 */
function bestWorksheet<K extends string>(
  wb: ExcelJS.Workbook,
  columns: ColumnSpec<K>[],
  searchRows: number,
  loose: boolean,
): ExcelJS.Worksheet | undefined {
  const better = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
    return false;
  };
  let best: { ws: ExcelJS.Worksheet; score: number[] } | undefined;
  for (const ws of wb.worksheets) {
    const { idx } = findHeader(ws, columns, searchRows, loose).match;
    const score = [
      columns.filter((c) => c.required && idx.has(c.key)).length,
      idx.size,
      ws.state === 'visible' ? 1 : 0,
    ];
    if (!best || better(score, best.score)) best = { ws, score };
  }
  return best?.ws;
}

/**
 * Reads the first sheet of a workbook (see `readWorksheet`), or with `opts.sheet: 'best'` the
 * sheet that looks most like the data; 400 `bad_file` when the data is not a workbook, 413
 * `too_many_rows` beyond `maxRows`.
 */
export async function readSheet<K extends string>(
  data: Buffer,
  columns: ColumnSpec<K>[],
  maxRows = 20000,
  opts: ReadOptions = {},
): Promise<SheetRead<K>> {
  const wb = await loadWorkbook(data);
  const pick = opts.sheet;
  const ws =
    pick === 'best'
      ? bestWorksheet(wb, columns, opts.headerSearchRows ?? 1, opts.looseHeaders ?? false)
      : typeof pick === 'object'
        ? wb.worksheets.find((w) => w.name === pick.name)
        : wb.worksheets[0];
  if (!ws) {
    if (typeof pick === 'object') {
      throw new AppError('no_sheet', 400, {
        zh: `文件中没有名为“${pick.name}”的工作表`,
        en: `the workbook has no sheet named "${pick.name}"`,
      });
    }
    throw badFile();
  }
  return {
    ...readWorksheet(ws, columns, maxRows, opts),
    sheetNames: wb.worksheets.map((w) => w.name),
  };
}

/** Worksheet columns of the specs (header, key, width); the header row is set in bold. */
function setColumns<K extends string>(ws: ExcelJS.Worksheet, columns: ColumnSpec<K>[]): void {
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 16 }));
  ws.getRow(1).font = { bold: true };
}

/** Adds a sheet to a workbook built in memory: the header row of the specs, then the rows. */
export function addSheet<K extends string>(
  wb: ExcelJS.Workbook,
  sheetName: string,
  columns: ColumnSpec<K>[],
  rows: Record<K, string | number | null>[],
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(sheetName);
  setColumns(ws, columns);
  for (const r of rows) ws.addRow(r);
  return ws;
}

/**
 * Streams a one-sheet workbook: the caller feeds row batches, memory stays flat however many rows.
 * Returns the readable stream to send as the response body.
 */
export function streamSheet<K extends string>(
  sheetName: string,
  columns: ColumnSpec<K>[],
  batches: AsyncIterable<Record<K, string | number | null>[]>,
): Readable {
  // The workbook is written into `inner`, which is joined to the response only once the first batch
  // has been read: a query that fails at once (a bad filter the database refuses) then fails before
  // any byte is sent, and the client gets a proper error answer instead of a cut connection.
  const out = new PassThrough();
  const inner = new PassThrough();
  inner.on('error', (err) => out.destroy(err));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: inner, useStyles: true });
  const ws = wb.addWorksheet(sheetName);
  setColumns(ws, columns);
  ws.getRow(1).commit();
  void (async () => {
    const it = batches[Symbol.asyncIterator]();
    try {
      let next = await it.next();
      inner.pipe(out);
      for (; !next.done; next = await it.next()) {
        for (const r of next.value) ws.addRow(r).commit();
      }
      ws.commit();
      await wb.commit();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return out;
}

/** Content type and a UTF-8 safe Content-Disposition for an XLSX download. */
export function xlsxHeaders(filename: string): Record<string, string> {
  return {
    'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'content-disposition': `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`,
  };
}

/**
 * Reads an uploaded table, XLSX or CSV (by file name or content), into the same rows as
 * `readSheet`: row 1 holds the headers, row numbers are what a person sees in the file.
 */
export async function readTable<K extends string>(
  data: Buffer,
  filename: string,
  columns: ColumnSpec<K>[],
  maxRows = 20000,
): Promise<{ rows: SheetRow<K>[]; headerErrors: TRowError[] }> {
  const isZip = data.length > 3 && data[0] === 0x50 && data[1] === 0x4b;
  if (isZip || /\.xlsx$/i.test(filename)) return readSheet(data, columns, maxRows);
  const grid = parseCsv(decodeCsv(data));
  const idx = matchHeaders(
    (grid[0] ?? []).map((text, at) => ({ text: text.trim(), at })),
    columns,
  ).idx;
  const headerErrors = missingColumns(columns, idx, 1);
  if (grid.length - 1 > maxRows) throw tooManyRows(maxRows);
  const rows: SheetRow<K>[] = [];
  grid.slice(1).forEach((cells, i) => {
    const values = {} as Record<K, string>;
    let any = false;
    for (const c of columns) {
      const at = idx.get(c.key);
      const text = at === undefined ? '' : (cells[at] ?? '').trim();
      values[c.key] = text;
      if (text) any = true;
    }
    if (any) rows.push({ row: i + 2, values });
  });
  return { rows, headerErrors };
}
