import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { AppError } from './errors.js';

type CursorValue = string | number | boolean | null;

/** Opaque cursor = base64url of `[sortValue, id]` of the last row of the previous page. */
export function encodeCursor(sortValue: CursorValue | Date, id: number): string {
  const v = sortValue instanceof Date ? sortValue.toISOString() : sortValue;
  return Buffer.from(JSON.stringify([v, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [CursorValue, number] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === 'number') {
      return [parsed[0] as CursorValue, parsed[1]];
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('invalid_cursor', 400, {
    zh: '分页游标无效，请从第一页重新查询',
    en: 'invalid page cursor; start again from the first page',
  });
}

/** `(sortCol, idCol) > (v, id)` (or `<` descending): the keyset condition after a cursor. */
export function afterCursor(
  sortCol: AnyColumn | SQL,
  idCol: AnyColumn,
  order: 'asc' | 'desc',
  cursor: string | undefined,
): SQL | undefined {
  if (!cursor) return undefined;
  const [v, id] = decodeCursor(cursor);
  if (sortCol === idCol) {
    return order === 'asc' ? sql`${idCol} > ${id}` : sql`${idCol} < ${id}`;
  }
  return order === 'asc'
    ? sql`(${sortCol}, ${idCol}) > (${v}, ${id})`
    : sql`(${sortCol}, ${idCol}) < (${v}, ${id})`;
}

/** Splits an over-fetched page (limit + 1 rows) into items and the next cursor. */
export function pageOf<T extends { id: number }>(
  rows: T[],
  limit: number,
  sortValue: (row: T) => CursorValue | Date,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor(sortValue(last), last.id) : null;
  return { items, nextCursor };
}

/** Escapes `%` and `_` for a LIKE/ILIKE pattern. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
