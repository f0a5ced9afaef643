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

/** The running jobs (startJobs). */
export interface Jobs {
  /** Stops the timers and waits for a run in progress. */
  stop: () => Promise<void>;
  /**
   * Runs a job now, outside its schedule, for work a person is waiting on (a sign-in text must
   * not wait up to a period for the outbox). It claims no period and is not counted as one; it
   * takes the job's advisory lock like a scheduled run, so when another server's run holds it the
   * work waits for the next scheduled run. A kick while the job runs here gets one more run after
   * that one, which may have read its work before the kicker's was committed. Unknown names and
   * kicks after stop() do nothing.
   */
  kick: (name: string) => void;
}

/**
 * Starts the jobs (stop() stops them and waits for a run in progress; kick() runs one now). Each
 * tick first claims the job's current period, so with N app servers a job runs once per period (a
 * period can be skipped when every server's timer drifts past it; none runs twice), and holds the
 * advisory lock while it runs, so a long run never overlaps the next.
 */
export function startJobs(
  database: Database,
  jobs: JobSpec[],
  log: (msg: string, err?: unknown) => void,
  /** Told of every scheduled run with its period (the two-server proof counts them). */
  onRun?: (name: string, period: number) => void,
): Jobs {
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  const kicks = new Map<string, () => void>();
  const timers = jobs.map((job) => {
    let busy = false;
    let again = false;
    const start = (scheduled: boolean) => {
      if (busy) {
        if (!scheduled) again = true;
        return;
      }
      busy = true;
      const now = Date.now();
      const p = (
        scheduled ? claimPeriod(database, job.name, job.everyMs, now) : Promise.resolve(true)
      )
        .then((mine) => {
          if (!mine) return false;
          if (scheduled) onRun?.(job.name, Math.floor(now / job.everyMs));
          return runExclusive(database, job.lockKey, job.run);
        })
        .catch((err: unknown) => log(`job ${job.name} failed`, err))
        .finally(() => {
          busy = false;
          running.delete(p);
          if (again && !stopped) {
            again = false;
            start(false);
          }
        });
      running.add(p);
    };
    kicks.set(job.name, () => start(false));
    const t = setInterval(() => start(true), job.everyMs);
    t.unref();
    return t;
  });
  return {
    stop: async () => {
      stopped = true;
      for (const t of timers) clearInterval(t);
      // A run started by the end of another (a kick's second run) is waited for too.
      while (running.size) await Promise.allSettled([...running]);
    },
    kick: (name) => {
      if (!stopped) kicks.get(name)?.();
    },
  };
}
