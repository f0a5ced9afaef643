import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * `insert into <table> (<columns>) [overriding system value] values (...)` as an SQL fragment, with
 * each value encoded by its column exactly as Drizzle's own inserts do. Used to put several inserts
 * in one statement (data-modifying CTEs), so a write that touches three tables costs one round trip
 * and is atomic without an explicit transaction.
 */
export function insertSql<T extends PgTable>(
  table: T,
  rows: readonly Partial<T['$inferInsert']>[],
  opts: { overridingSystemValue?: boolean } = {},
): SQL {
  if (rows.length === 0) throw new Error('insertSql needs at least one row');
  const columns = getTableColumns(table);
  const keys = Object.keys(rows[0]!).filter((k) => k in columns);
  const names = keys.map((k) => sql.identifier(columns[k]!.name));
  const tuples = rows.map(
    (r) =>
      sql`(${sql.join(
        keys.map((k) => {
          const v = (r as Record<string, unknown>)[k];
          return v === undefined || v === null ? sql`null` : sql.param(v, columns[k]);
        }),
        sql`, `,
      )})`,
  );
  return sql`insert into ${table} (${sql.join(names, sql`, `)})${
    opts.overridingSystemValue ? sql` overriding system value` : sql``
  } values ${sql.join(tuples, sql`, `)}`;
}
