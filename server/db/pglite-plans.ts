import type { PGlite, QueryOptions, Results, Transaction } from '@electric-sql/pglite';

/**
 * Planned statements on PGlite: a statement text the app runs again is PREPAREd once and then run
 * with EXECUTE, so PostgreSQL parses and plans it once per process instead of on every request.
 * node-postgres gets the same from named statements; PGlite's driver only sends unnamed ones, and
 * planning was most of a short query's cost (the session lookup behind every request: 0.7 ms
 * planned every time, 0.26 ms executed from a plan; docs/decisions.md, "Planned statements on
 * PGlite").
 *
 * Only reads and writes (select, insert, update, delete, with) are prepared, from their second
 * use, up to `max` of them. The values go into the EXECUTE as literals, each written by the
 * serializer PGlite itself would use for the parameter's type, so PostgreSQL sees the same text
 * it would have been sent. A value containing NUL (which a literal cannot carry) and a statement
 * that cannot be prepared take the ordinary path, so the answer and any error stay exactly what
 * they would have been. Prepared statements outlive a rollback (PREPARE is not transactional),
 * and inside a transaction the PREPARE runs under a savepoint so that a failure leaves the
 * transaction as it was.
 */

type Serializer = (value: unknown) => string;
type Run = <T>(text: string, params?: unknown[], options?: QueryOptions) => Promise<Results<T>>;
interface Plan {
  name: string;
  types: number[];
}

const PREPARABLE = /^\s*\(?\s*(select|insert|update|delete|with)\b/i;

export interface PlanCacheOptions {
  /** Uses of a text before it is prepared (default 2). */
  after?: number;
  /** Most statements prepared per database (default 2000). */
  max?: number;
}

export interface PlanCacheStats {
  prepared: number;
  executed: number;
}

export function cachePlans(client: PGlite, opts: PlanCacheOptions = {}): PlanCacheStats {
  const after = opts.after ?? 2;
  const max = opts.max ?? 2000;
  const serializers = (client as unknown as { serializers: Record<number, Serializer> })
    .serializers;
  /** A text's plan, or null when it cannot be prepared. */
  const plans = new Map<string, Plan | null>();
  const pending = new Set<string>();
  const uses = new Map<string, number>();
  const stats: PlanCacheStats = { prepared: 0, executed: 0 };
  let next = 0;

  const literal = (value: unknown, type: number): string => {
    if (value === null || value === undefined) return 'null';
    const serialize = serializers[type];
    // What PGlite does for a type it has no serializer for.
    const text = serialize ? serialize(value) : (value as { toString(): string }).toString();
    return `'${text.replaceAll("'", "''")}'`;
  };

  const hasNul = (params: unknown[]): boolean =>
    params.some((p) =>
      typeof p === 'string'
        ? p.includes('\u0000')
        : typeof p === 'object' && p !== null && JSON.stringify(p).includes('\\u0000'),
    );

  const execute = <T>(run: Run, plan: Plan, params: unknown[], options?: QueryOptions) => {
    stats.executed++;
    const args = plan.types.map((t, i) => literal(params[i], t)).join(', ');
    return run<T>(args ? `execute ${plan.name}(${args})` : `execute ${plan.name}`, [], options);
  };

  /** PREPAREs `text` through `run` (under a savepoint inside a transaction). */
  const prepare = async (run: Run, text: string, inTx: boolean): Promise<Plan | null> => {
    const name = `cc_plan_${++next}`;
    try {
      if (inTx) await run('savepoint cc_plan');
      await run(`prepare ${name} as ${text}`);
      const res = await run<{ types: number[] | null }>(
        'select array(select unnest(parameter_types)::oid::int) as types from pg_prepared_statements where name = $1',
        [name],
      );
      if (inTx) await run('release savepoint cc_plan');
      stats.prepared++;
      return { name, types: res.rows[0]?.types ?? [] };
    } catch {
      // The statement runs the ordinary way next, and fails there if it is wrong.
      if (inTx) {
        try {
          await run('rollback to savepoint cc_plan');
          await run('release savepoint cc_plan');
        } catch {
          // The transaction was already failed; the statement's own error follows.
        }
      }
      return null;
    }
  };

  const planned = (run: Run, inTx: boolean): Run =>
    async function query<T>(text: string, params: unknown[] = [], options?: QueryOptions) {
      let plan = plans.get(text);
      if (plan === undefined && PREPARABLE.test(text)) {
        const count = (uses.get(text) ?? 0) + 1;
        if (uses.size > 20_000) uses.clear();
        uses.set(text, count);
        // Being prepared elsewhere (maybe by the transaction this waits for): run it as it is.
        if (count >= after && plans.size < max && !pending.has(text)) {
          const p = prepare(run, text, inTx);
          pending.add(text);
          plan = await p.finally(() => pending.delete(text));
          // A failure inside a transaction may be the transaction's (already failed): try again
          // at a later use. Outside one it is the statement's own: run it the ordinary way.
          if (plan || !inTx) plans.set(text, plan);
        }
      }
      if (plan && !hasNul(params)) return execute<T>(run, plan, params, options);
      return run<T>(text, params, options);
    };

  const rootQuery = client.query.bind(client) as Run;
  client.query = planned(rootQuery, false);
  const rootTransaction = client.transaction.bind(client);
  client.transaction = <T>(fn: (tx: Transaction) => Promise<T>) =>
    rootTransaction((tx) => {
      tx.query = planned(tx.query.bind(tx) as Run, true);
      return fn(tx);
    });
  return stats;
}
