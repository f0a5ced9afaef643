import type { z } from 'zod';
import type { TRowError } from '../../core/contracts/common.js';
import { errors, type Message } from './errors.js';
import type { ColumnSpec, SheetRow } from './xlsx.js';

// The check step of an import (see xlsx-import.ts): every row of the file is checked before anything
// is written, and every problem is reported with the row number a person sees in Excel, the column's
// header and a reason in Chinese and English.

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

// A Map, not an object: a cell reading "constructor" must not find Object.prototype's.
const ACTIVE_WORDS = new Map<string, boolean>([
  ...['启用', '是', 'active', 'yes', 'true', '1'].map((w) => [w, true] as const),
  ...['停用', '否', 'inactive', 'no', 'false', '0'].map((w) => [w, false] as const),
]);

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
        const active = ACTIVE_WORDS.get(text.toLowerCase());
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
