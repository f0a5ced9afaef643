import type { Database, Tx } from '../db/client.js';

/** Runs a write as one transaction, then makes it durable before the caller answers. */
export async function withTx<T>(database: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await database.db.transaction(fn);
  await database.afterCommit();
  return result;
}
