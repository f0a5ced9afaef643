import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TProjection } from '../../../core/contracts/scoring.js';
import type { TSimulationTarget } from '../../../core/contracts/simulations.js';
import { execRows } from '../../db/client.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-city.data.js';
import { seedDemoCity } from '../../db/seed/demo-city.js';
import { seedDemoFramework } from '../../db/seed/demo-framework.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// 实景模拟验证 in the projection (docs/scoring.md §2), on the demo framework, whose I3.2.1 (12348)
// and I5.3.2 (12315) are simulation standards with no check item linked:
//   no check yet → share unknown, "尚无模拟验证记录";
//   I3.2.1: the field round's checks pass, pass, not answered → 2 ÷ 3 = 66.7 %; a failed check of
//     the same year outside the round does not count, the round has checks for it;
//   I5.3.2: no check in the round → the year's: pass 1, partly ½, awaiting a call-back (left out)
//     → (1 + 0.5) ÷ 2 = 75 %.

let t: TestApp;
let office: Agent;
let campaignId = 0;
let frameworkId = 0;
let roundId = 0;
const keys = { legal: '', consumer: '' };
const Y = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

async function one<T>(q: ReturnType<typeof sql>): Promise<T> {
  const [r] = await execRows<T>(t.database.db, q);
  return r!;
}

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCity(t.database);
  await seedDemoFramework(t.database);
  office = await t.login('office', DEMO_PASSWORD);
  const std = (code: string) =>
    one<{ framework_id: number; campaign_id: number; key: string }>(sql`select v.framework_id,
        f.campaign_id, n.key
      from framework_nodes n join framework_versions v on v.id = n.version_id
      join frameworks f on f.id = v.framework_id
      where v.status = 'published' and n.code = ${code} order by v.id limit 1`);
  const legal = await std('I3.2.1');
  frameworkId = Number(legal.framework_id);
  campaignId = Number(legal.campaign_id);
  keys.legal = legal.key;
  keys.consumer = (await std('I5.3.2')).key;
  // The demo cycle starts in 2026; start it this year so the test holds in any year.
  await t.database.db.execute(
    sql`update campaigns set cycle_start_year = ${Y} where id = ${campaignId}`,
  );
  // A mock round with one visit: the year's field round.
  const type = await one<{
    id: number;
  }>(sql`insert into point_types (code, name, sampling, checklist)
    values ('SIMT', '模拟测评点', 'random', '[{"text":"地面干净","standards":[]}]'::jsonb)
    returning id`);
  const point = await one<{ id: number }>(sql`insert into points (name, type_id)
    values ('模拟测评点一', ${type.id}) returning id`);
  const inspector = await one<{ id: number }>(
    sql`select id from users where username = 'inspector'`,
  );
  roundId = (
    await one<{
      id: number;
    }>(sql`insert into rounds (name, kind, state, plan, region_ids, inspector_ids)
      values ('年度模拟测评', 'mock', 'revealed', '[]'::jsonb, '{}', ${`{${inspector.id}}`})
      returning id`)
  ).id;
  await t.database.db.execute(sql`insert into inspection_visits
    (client_id, version, round_id, point_id, inspector_id, items, visited_at, passed, failed,
     not_applicable, serious_failed, score)
    values (${randomUUID()}, 1, ${roundId}, ${point.id}, ${inspector.id},
      '[{"index":0,"result":"pass","photoIds":[]}]'::jsonb, ${ago(40)}, 1, 0, 0, 0, 1)`);
});
afterAll(() => t.close());

const projection = async () => {
  const res = await office.get(
    `/api/scoring/projection?campaignId=${campaignId}&frameworkId=${frameworkId}&year=${Y}`,
  );
  expect(res.statusCode, res.body).toBe(200);
  const p = res.json<TProjection>();
  const all = p.items.flatMap((i) => i.contents.flatMap((c) => c.standards));
  return { p, std: (code: string) => all.find((s) => s.code === code)! };
};

async function target(body: Record<string, unknown>): Promise<TSimulationTarget> {
  const res = await office.post('/api/simulation-targets', { frameworkId, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function check(body: Record<string, unknown>) {
  const res = await office.post('/api/simulation-checks', {
    clientId: randomUUID(),
    answered: true,
    raiseProblem: false,
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
}

describe('simulation standards in the projection', () => {
  it('without checks a simulation standard is unknown, and says so', async () => {
    const { p, std } = await projection();
    expect(p.sources.fieldRound?.name).toBe('年度模拟测评');
    expect(std('I3.2.1')).toMatchObject({
      method: 'simulation',
      bucket: 'field',
      share: null,
      unknown: true,
      weightedEarned: 0,
    });
    expect(std('I3.2.1').detail.zh).toBe(`尚无模拟验证记录（${Y} 年）`);
    expect(std('I3.2.1').detail.en).toBe(`no simulation check recorded yet (${Y})`);
  });

  it("scores from the round's checks, else the year's, with the sum in words", async () => {
    const legal = await target({
      standardKey: keys.legal,
      name: '12348 公共法律服务热线',
      contact: '12348',
      unitId: (await one<{ id: number }>(sql`select id from units where code = 'SZF-SFJ'`)).id,
    });
    const consumer = await target({
      standardKey: keys.consumer,
      name: '12315 消费维权热线',
      contact: '12315',
      unitId: (await one<{ id: number }>(sql`select id from units where code = 'SZF-SCJ'`)).id,
      callbackDays: 7,
    });
    const inRound = { targetId: legal.id, roundId };
    await check({ ...inRound, calledAt: ago(30), rings: 2, answer: 'yes' });
    await check({ ...inRound, calledAt: ago(29), waitSeconds: 18, answer: 'yes' });
    await check({ ...inRound, calledAt: ago(28), answered: false });
    // Outside the round, the same year: the round has checks of I3.2.1, so this one is not used.
    await check({ targetId: legal.id, calledAt: ago(27), rings: 1, answer: 'no' });

    const byYear = { targetId: consumer.id };
    await check({ ...byYear, calledAt: ago(26), rings: 3, answer: 'yes' });
    await check({ ...byYear, calledAt: ago(25), rings: 4, answer: 'partly' });
    await check({ ...byYear, calledAt: ago(24), rings: 2, answer: 'yes', callbackPromised: true });

    const { std } = await projection();
    const l = std('I3.2.1');
    expect(l).toMatchObject({ share: 0.6667, unknown: false, source: 'field' });
    expect(l.detail.zh).toBe(
      '年度模拟测评：3 次拨打验证，2 次合格（接通≤5声且答复准确），得分率 66.7%',
    );
    expect(l.detail.en).toBe(
      '年度模拟测评: 3 simulation checks, 2 passed (answered within 5 rings, answer correct), score rate 66.7%',
    );
    expect(l.weightedEarned).toBeCloseTo(l.weightedMax * (2 / 3), 1);
    expect(l.weightedEarned).toBeGreaterThan(0);

    const c = std('I5.3.2');
    expect(c).toMatchObject({ share: 0.75, unknown: false });
    expect(c.detail.zh).toBe(
      `${Y} 年：3 次拨打验证，1 次合格（接通≤5声且答复准确且承诺回复7个工作日内到达），1 次答复部分准确（计半），1 次待回复暂不计，得分率 75%`,
    );
  });

  it('a round chosen without simulation checks falls back on the year', async () => {
    const empty = await one<{ id: number }>(sql`insert into rounds
      (name, kind, state, plan, region_ids, inspector_ids)
      values ('督查（无拨测）', 'supervision', 'planned', '[]'::jsonb, '{}', '{}') returning id`);
    const res = await office.get(
      `/api/scoring/projection?campaignId=${campaignId}&frameworkId=${frameworkId}&year=${Y}&roundId=${empty.id}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const all = res
      .json<TProjection>()
      .items.flatMap((i) => i.contents.flatMap((x) => x.standards));
    const l = all.find((s) => s.code === 'I3.2.1')!;
    // The year's four checks of I3.2.1: pass, pass, not answered, wrong → 2 ÷ 4.
    expect(l.share).toBe(0.5);
    expect(l.detail.zh).toContain(`${Y} 年：4 次拨打验证，2 次合格`);
  });
});
