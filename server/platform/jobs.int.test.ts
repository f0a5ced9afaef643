import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../test/harness.js';
import { claimPeriod, startJobs } from './jobs.js';

// Periodic jobs run once per period however many app servers run them.

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.drop());

describe('periodic jobs', () => {
  it('lets one claimant have each period', async () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(await claimPeriod(t.database, 'claim-test', 60_000, now)).toBe(true);
    expect(await claimPeriod(t.database, 'claim-test', 60_000, now + 1_000)).toBe(false);
    expect(await claimPeriod(t.database, 'claim-test', 60_000, now + 60_000)).toBe(true);
    // A server whose clock is behind cannot run an earlier period again.
    expect(await claimPeriod(t.database, 'claim-test', 60_000, now)).toBe(false);
    expect(await claimPeriod(t.database, 'other-job', 60_000, now)).toBe(true);
  });

  it('runs a job once per period with three "servers" ticking at once', async () => {
    // The periods as claimed (what exactly-once is about). The clock when a run starts is not
    // the same thing: under load a run can start after its period is over, in the next one's time.
    const periods: number[] = [];
    let runs = 0;
    const everyMs = 200;
    const job = {
      name: 'three-servers',
      everyMs,
      lockKey: 990_001,
      run: async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 10));
      },
    };
    const stops = [0, 1, 2].map(() =>
      startJobs(
        t.database,
        [job],
        () => undefined,
        (_name, period) => periods.push(period),
      ),
    );
    await new Promise((r) => setTimeout(r, 2_400));
    await Promise.all(stops.map((jobs) => jobs.stop()));
    // About twelve periods passed: none ran twice (the point), and the job kept running. How many
    // ran depends on how busy the machine is (a tick can miss its period under load), so the
    // liveness bound is loose; the exactly-once property is strict.
    expect(new Set(periods).size).toBe(periods.length);
    // A claimed period runs unless the previous run still holds the job's lock (PostgreSQL).
    expect(runs).toBeLessThanOrEqual(periods.length);
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(periods.length).toBeLessThanOrEqual(13);
  });

  it('runs a kicked job now, once more after a run a kick came during, and not after stop', async () => {
    let runs = 0;
    let release = () => {};
    const periods: number[] = [];
    const jobs = startJobs(
      t.database,
      [
        {
          name: 'kicked',
          everyMs: 3600_000, // never on its schedule during the test
          lockKey: 990_002,
          run: async () => {
            runs++;
            await new Promise<void>((r) => (release = r));
          },
        },
      ],
      () => undefined,
      (_name, period) => periods.push(period),
    );
    const ran = (n: number) => expect.poll(() => runs, { timeout: 5_000 }).toBe(n);
    jobs.kick('kicked');
    await ran(1);
    // Kicks during the run (its work may predate theirs) make one more run after it, not three.
    jobs.kick('kicked');
    jobs.kick('kicked');
    jobs.kick('kicked');
    expect(runs).toBe(1);
    release();
    await ran(2);
    release();
    jobs.kick('no-such-job');
    const stopped = jobs.stop();
    jobs.kick('kicked');
    await stopped;
    expect(runs).toBe(2);
    // A kick claims no period: the schedule (and the two-server proof's count) is untouched.
    expect(periods).toEqual([]);
  });
});
