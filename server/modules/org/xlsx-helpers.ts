import type { z } from 'zod';
import type { TRowError } from '../../../core/contracts/common.js';
import type { DbOrTx } from '../../db/client.js';
import { errors } from '../../platform/errors.js';
import { readSheet, type ColumnSpec, type SheetRow } from '../../platform/xlsx.js';
import { listRegions } from './regions.repo.js';

/** Reads an import file's rows; a missing column or an empty sheet rejects the whole file. */
export async function readImportRows<K extends string>(
  file: Buffer,
  columns: ColumnSpec<K>[],
): Promise<SheetRow<K>[]> {
  const { rows, headerErrors } = await readSheet(file, columns);
  if (headerErrors.length) throw errors.badImport(headerErrors);
  if (rows.length === 0) {
    throw errors.badImport([
      { row: 2, column: '-', reason: '文件没有数据行 / the file has no data rows' },
    ]);
  }
  return rows;
}

/** Region id by code or by name (a code wins where a name repeats), for import files. */
export async function regionLookup(db: DbOrTx): Promise<Map<string, number>> {
  const byKey = new Map<string, number>();
  for (const r of await listRegions(db, {})) {
    byKey.set(r.code, r.id);
    if (!byKey.has(r.name)) byKey.set(r.name, r.id);
  }
  return byKey;
}

/** Finds the code of an option given its code, Chinese or English label. */
export function matchLabel<C extends string>(
  labels: Record<C, { zh: string; en: string }>,
  text: string,
): C | undefined {
  const t = text.trim().toLowerCase();
  for (const [code, l] of Object.entries(labels) as [C, { zh: string; en: string }][]) {
    if (code.toLowerCase() === t || l.zh === text.trim() || l.en.toLowerCase() === t) return code;
  }
  return undefined;
}

/** Turns a zod error on a row object into row errors named by the sheet's column headers. */
export function zodRowErrors<K extends string>(
  row: number,
  error: z.ZodError,
  columns: ColumnSpec<K>[],
): TRowError[] {
  return error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const col = columns.find((c) => c.key === key);
    return { row, column: col?.header ?? key, reason: issue.message };
  });
}

/** Reports values that appear more than once in a column of the file. */
export function duplicateErrors<K extends string>(
  rows: { row: number; values: Record<K, string> }[],
  key: K,
  header: string,
  normalise: (v: string) => string = (v) => v,
): TRowError[] {
  const seen = new Map<string, number>();
  const out: TRowError[] = [];
  for (const r of rows) {
    const v = normalise(r.values[key]);
    if (!v) continue;
    const first = seen.get(v);
    if (first !== undefined) {
      out.push({
        row: r.row,
        column: header,
        reason: `与第 ${first} 行重复 / duplicates row ${first}`,
      });
    } else seen.set(v, r.row);
  }
  return out;
}

export const ACTIVE_WORDS: Record<string, boolean> = {
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
