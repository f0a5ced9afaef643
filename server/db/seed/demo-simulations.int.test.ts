import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TProjection } from '../../../core/contracts/scoring.js';
import type { TSimulationCheckList } from '../../../core/contracts/simulations.js';
import { execRows } from '../client.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { DEMO_PASSWORD } from './demo-city.data.js';
import { seedDemoCity } from './demo-city.js';
import { seedDemoFramework } from './demo-framework.js';
import { seedDemoSimulations } from './demo-simulations.js';

// The demo's 实景模拟验证: 12348 and 12315 with calls of mixed results, so the demo score page
// shows the two simulation standards scored (not 0, not unknown).

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCity(t.database);
  await seedDemoFramework(t.database);
});
afterAll(() => t.close());

describe('demo simulation checks', () => {
  it('seeds two targets with eight calls once; the projection scores both standards', async () => {
    expect(await seedDemoSimulations(t.database)).toBe(2);
    expect(await seedDemoSimulations(t.database)).toBe(0);
    const [n] = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from simulation_checks`,
    );
    expect(n!.n).toBe(8);

    const office = await t.login('office', DEMO_PASSWORD);
    const list = (await office.get('/api/simulation-checks')).json<TSimulationCheckList>();
    expect(list.items).toHaveLength(8);
    const verdicts = list.items.map((c) => c.verdict).sort();
    expect(verdicts).toEqual(
      ['fail', 'fail', 'partial', 'pass', 'pass', 'pass', 'pass', 'pending'].sort(),
    );
    expect(list.standards.map((s) => [s.standardCode, s.share])).toEqual([
      ['I3.2.1', 0.625],
      ['I5.3.2', 2 / 3],
    ]);

    const [c] = await execRows<{ id: number; y: number }>(
      t.database.db,
      sql`select id, cycle_start_year as y from campaigns order by id limit 1`,
    );
    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    // The demo cycle starts in 2026; keep this year inside it whenever the test runs.
    if (year < c!.y || year > c!.y + 2) {
      await t.database.db.execute(
        sql`update campaigns set cycle_start_year = ${year} where id = ${c!.id}`,
      );
    }
    const res = await office.get(`/api/scoring/projection?campaignId=${c!.id}&year=${year}`);
    expect(res.statusCode, res.body).toBe(200);
    const all = res
      .json<TProjection>()
      .items.flatMap((i) => i.contents.flatMap((x) => x.standards));
    const legal = all.find((s) => s.code === 'I3.2.1')!;
    const consumer = all.find((s) => s.code === 'I5.3.2')!;
    expect(legal).toMatchObject({ share: 0.625, unknown: false });
    expect(legal.detail.zh).toContain('4 次拨打验证，2 次合格');
    expect(consumer).toMatchObject({ share: 0.6667, unknown: false });
    expect(consumer.detail.zh).toContain('1 次待回复暂不计');
    expect(legal.weightedEarned).toBeGreaterThan(0);
  });
});
