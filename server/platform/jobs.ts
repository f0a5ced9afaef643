import { sql } from 'drizzle-orm';
import { execRows, type Database } from '../db/client.js';

/**
 * Periodic work in the app process. On PostgreSQL each run takes a transaction-scoped advisory
 * lock first, so with N app servers a job runs once at a time (the others skip that round).
 */
export async function runExclusive(
  database: Database,
  lockKey: number,
  fn: () => Promise<void>,
): Promise<boolean> {
  if (database.driver === 'pglite') {
    await fn();
    return true;
  }
  // Hold the lock on one pooled connection for the length of the run.
  return database.db.transaction(async (tx) => {
    const [row] = await execRows<{ ok: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(${lockKey}) as ok`,
    );
    if (!row?.ok) return false;
    await fn();
    return true;
  });
}

export interface JobSpec {
  name: string;
  everyMs: number;
  lockKey: number;
  run: () => Promise<void>;
}

/** Starts the jobs; returns a function that stops them (and waits for a run in progress). */
export function startJobs(
  database: Database,
  jobs: JobSpec[],
  log: (msg: string, err?: unknown) => void,
): () => Promise<void> {
  const running = new Set<Promise<unknown>>();
  const timers = jobs.map((job) => {
    let busy = false;
    const tick = () => {
      if (busy) return;
      busy = true;
      const p = runExclusive(database, job.lockKey, job.run)
        .catch((err: unknown) => log(`job ${job.name} failed`, err))
        .finally(() => {
          busy = false;
          running.delete(p);
        });
      running.add(p);
    };
    const t = setInterval(tick, job.everyMs);
    t.unref();
    return t;
  });
  return async () => {
    for (const t of timers) clearInterval(t);
    await Promise.allSettled([...running]);
  };
}
