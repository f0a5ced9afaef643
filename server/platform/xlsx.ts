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
  required?: boolean;
  width?: number;
}

export interface SheetRow<K extends string> {
  /** 1-based row number in the sheet, as a person sees it in Excel. */
  row: number;
  values: Record<K, string>;
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

/** Header texts (in sheet order) matched to the column specs by header or alias; first match wins. */
function matchHeaders<K extends string>(
  cells: { text: string; at: number }[],
  columns: ColumnSpec<K>[],
): Map<K, number> {
  const names = columns.map((c) => [c.header, ...(c.aliases ?? [])].map(headerKey));
  const idx = new Map<K, number>();
  for (const { text, at } of cells) {
    const key = headerKey(text);
    columns.forEach((c, i) => {
      if (names[i]!.includes(key) && !idx.has(c.key)) idx.set(c.key, at);
    });
  }
  return idx;
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
}

export interface SheetRead<K extends string> {
  rows: SheetRow<K>[];
  /** Missing required columns, reported on the header row. */
  headerErrors: TRowError[];
  /** The row the headers were found on (1 unless a title row came first). */
  headerRow: number;
}

/**
 * Reads one worksheet: a header row matched to the column specs by header or alias, then the data
 * rows. Missing required columns are reported as header-row errors; blank rows (and rows with only
 * unmatched columns, such as remarks) are skipped. Merged cells read as their top-left value.
 */
export function readWorksheet<K extends string>(
  ws: ExcelJS.Worksheet,
  columns: ColumnSpec<K>[],
  maxRows = 20000,
  opts: ReadOptions = {},
): SheetRead<K> {
  const matchRow = (r: number): Map<K, number> => {
    const cells: { text: string; at: number }[] = [];
    ws.getRow(r).eachCell((cell, col) => cells.push({ text: cellText(cell), at: col }));
    return matchHeaders(cells, columns);
  };
  let headerRow = 1;
  let colIndex = matchRow(1);
  for (let r = 2; r <= Math.min(opts.headerSearchRows ?? 1, ws.rowCount); r++) {
    const m = matchRow(r);
    if (m.size > colIndex.size) {
      colIndex = m;
      headerRow = r;
    }
  }
  const headerErrors = missingColumns(columns, colIndex, headerRow);
  if (ws.rowCount - headerRow > maxRows) throw tooManyRows(maxRows);
  const rows: SheetRow<K>[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const values = {} as Record<K, string>;
    let any = false;
    for (const c of columns) {
      const idx = colIndex.get(c.key);
      const text = idx ? cellText(row.getCell(idx)) : '';
      values[c.key] = text;
      if (text) any = true;
    }
    if (!any) continue;
    if (opts.skipRow) {
      const cells: string[] = [];
      row.eachCell((cell) => {
        const text = cellText(cell);
        if (text) cells.push(text);
      });
      if (opts.skipRow(cells)) continue;
    }
    rows.push({ row: r, values });
  }
  return { rows, headerErrors, headerRow };
}

/**
 * Reads the first sheet of a workbook (see `readWorksheet`); 400 `bad_file` when the data is not
 * a workbook, 413 `too_many_rows` beyond `maxRows`.
 */
export async function readSheet<K extends string>(
  data: Buffer,
  columns: ColumnSpec<K>[],
  maxRows = 20000,
  opts: ReadOptions = {},
): Promise<SheetRead<K>> {
  const ws = (await loadWorkbook(data)).worksheets[0];
  if (!ws) throw badFile();
  return readWorksheet(ws, columns, maxRows, opts);
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
  );
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
