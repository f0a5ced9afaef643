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
  return sql`insert into ${table} (${columnList(table, keys)})${overriding(opts)} values ${sql.join(
    tuples,
    sql`, `,
  )}`;
}

/**
 * `insert into <table> (<columns>) select <values> from <from>`: like insertSql, but some columns
 * take SQL expressions over `from` (ids drawn in an earlier CTE, say) and the rest are parameters,
 * each cast to its column's type (a SELECT list does not infer parameter types from the target).
 */
export function insertSelectSql<T extends PgTable>(
  table: T,
  row: Partial<Record<keyof T['$inferSelect'], unknown>>,
  exprs: Partial<Record<keyof T['$inferSelect'], SQL>>,
  from: SQL,
  opts: { overridingSystemValue?: boolean } = {},
): SQL {
  const columns = getTableColumns(table);
  const keys = [...new Set([...Object.keys(row), ...Object.keys(exprs)])].filter(
    (k) => k in columns,
  );
  const values = keys.map((k) => {
    const expr = (exprs as Record<string, SQL | undefined>)[k];
    if (expr) return expr;
    const v = (row as Record<string, unknown>)[k];
    const type = sql.raw(columns[k]!.getSQLType());
    return v === undefined || v === null
      ? sql`null::${type}`
      : sql`${sql.param(v, columns[k])}::${type}`;
  });
  return sql`insert into ${table} (${columnList(table, keys)})${overriding(opts)} select ${sql.join(
    values,
    sql`, `,
  )} from ${from}`;
}

function columnList(table: PgTable, keys: string[]): SQL {
  const columns = getTableColumns(table);
  return sql.join(
    keys.map((k) => sql.identifier(columns[k]!.name)),
    sql`, `,
  );
}

function overriding(opts: { overridingSystemValue?: boolean }): SQL {
  return opts.overridingSystemValue ? sql` overriding system value` : sql``;
}
