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

/**
 * Claims the current period of a job (period = floor(now / everyMs)) with one conditional write:
 * true for the first server to ask in that period, false for every other one and for a repeat.
 */
export async function claimPeriod(
  database: Database,
  name: string,
  everyMs: number,
  now = Date.now(),
): Promise<boolean> {
  const period = Math.floor(now / everyMs);
  const rows = await execRows<{ name: string }>(
    database.db,
    sql`insert into job_schedule (name, last_period, last_run_at) values (${name}, ${period}, now())
        on conflict (name) do update set last_period = excluded.last_period, last_run_at = now()
        where job_schedule.last_period < excluded.last_period
        returning name`,
  );
  await database.afterCommit();
  return rows.length === 1;
}

/**
 * Starts the jobs; returns a function that stops them (and waits for a run in progress). Each tick
 * first claims the job's current period, so with N app servers a job runs once per period (a
 * period can be skipped when every server's timer drifts past it; none runs twice), and holds the
 * advisory lock while it runs, so a long run never overlaps the next.
 */
export function startJobs(
  database: Database,
  jobs: JobSpec[],
  log: (msg: string, err?: unknown) => void,
  /** Told of every run with its period (the two-server proof counts them). */
  onRun?: (name: string, period: number) => void,
): () => Promise<void> {
  const running = new Set<Promise<unknown>>();
  const timers = jobs.map((job) => {
    let busy = false;
    const tick = () => {
      if (busy) return;
      busy = true;
      const now = Date.now();
      const p = claimPeriod(database, job.name, job.everyMs, now)
        .then((mine) => {
          if (!mine) return false;
          onRun?.(job.name, Math.floor(now / job.everyMs));
          return runExclusive(database, job.lockKey, job.run);
        })
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
