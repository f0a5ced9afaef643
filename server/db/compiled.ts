import type { Query, SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { DbOrTx } from './client.js';

const dialect = new PgDialect();

/**
 * A statement built once and then run many times by name: the SQL text is rendered on first use
 * (values are `sql.placeholder(name)`s) and each run only fills the values in. On PostgreSQL the
 * name makes it a server-side prepared statement per connection (parsed and planned once); PGlite
 * runs the same text with parameters. For a hot path whose Drizzle building and PostgreSQL parsing
 * cost more than the write itself (the problem intake). Not for use behind a transaction-pooling
 * proxy (PgBouncer in transaction mode), which does not keep named statements — see
 * docs/decisions.md.
 */
export class CompiledStatement<V extends Record<string, unknown>> {
  private query: Query | undefined;

  constructor(
    readonly name: string,
    private readonly build: () => SQL,
  ) {}

  /** The rendered SQL text (for tests and EXPLAIN). */
  text(): string {
    this.query ??= dialect.sqlToQuery(this.build());
    return this.query.sql;
  }

  async rows<T>(db: DbOrTx, values: V): Promise<T[]> {
    this.query ??= dialect.sqlToQuery(this.build());
    const res: unknown = await db._.session
      .prepareQuery(this.query, undefined, this.name, false)
      .execute(values);
    return (res as { rows: T[] }).rows;
  }
}
