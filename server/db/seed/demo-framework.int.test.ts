import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAssignment, TCampaign } from '../../../core/contracts/frameworks.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { DEMO_PASSWORD } from './demo-city.data.js';
import { seedDemoCity } from './demo-city.js';
import { DEMO_CAMPAIGN, seedDemoFramework } from './demo-framework.js';
import { CELL_CAMPAIGN_NAME, seedDemoCellAwards } from './demo-cell-awards.js';
import { currentCampaignId } from '../../modules/scoring/scoring.repo.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import type { TApplication, TCall } from '../../../core/contracts/cell-awards.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('demo campaign seed', () => {
  it('does nothing without the demo city', async () => {
    expect((await seedDemoFramework(t.database)).seeded).toBe(false);
  });

  it('seeds the demo campaign once, with the demo framework in force and a 任务分解', async () => {
    await seedDemoCity(t.database);
    const first = await seedDemoFramework(t.database);
    expect(first).toMatchObject({ seeded: true, standards: 40 });
    expect(first.assignments).toBeGreaterThanOrEqual(30);
    expect((await seedDemoFramework(t.database)).seeded).toBe(false);

    const office = await t.login('office', DEMO_PASSWORD);
    const campaigns = (await office.get('/api/campaigns')).json<{ items: TCampaign[] }>().items;
    expect(campaigns).toHaveLength(1);
    const c = campaigns[0]!;
    expect(c).toMatchObject({
      cycleWeights: [15, 25, 60],
      methodWeights: { material: 40, field: 40, survey: 20 },
      surveyFloor: { enabled: true, minRate: 80, effect: 'veto', points: 0 },
    });
    const fw = c.frameworks[0]!;
    expect(fw.versions).toMatchObject([{ number: 1, status: 'published', standards: 40 }]);
    expect(fw.versions[0]!.totalScore).toBe(100);

    // The demo unit user (城管局) finds its own tasks, named by the file as 城管局.
    const unit = await t.login('unit', DEMO_PASSWORD);
    const mine = (
      await unit.get(`/api/framework-versions/${fw.currentVersionId}/assignments`)
    ).json<{ items: TAssignment[] }>().items;
    expect(mine.length).toBeGreaterThan(3);
    for (const a of mine) {
      expect([a.leadUnit.name, ...a.responsibleUnits.map((u) => u.name)]).toContain(
        '市城市管理综合执法局',
      );
    }
    const exported = (
      await office.get(`/api/framework-versions/${fw.currentVersionId}/export.json`)
    ).json<{
      items: unknown[];
    }>();
    expect(exported.items).toHaveLength(7);
  });
});

describe('demo 文明细胞申报 seed', () => {
  it('adds its framework in a campaign of its own: the city’s stays first and current', async () => {
    const first = await seedDemoCellAwards(t.database);
    expect(first).toEqual({ seeded: true, applications: 3 });
    expect((await seedDemoCellAwards(t.database)).seeded).toBe(false);
    const office = await t.login('office', DEMO_PASSWORD);
    const campaigns = (await office.get('/api/campaigns')).json<{ items: TCampaign[] }>().items;
    expect(campaigns.map((c) => [c.name, c.kind])).toEqual([
      [DEMO_CAMPAIGN.name, 'city'],
      [CELL_CAMPAIGN_NAME, 'cells'],
    ]);
    expect(campaigns[0]!.frameworks.map((f) => f.name)).toEqual(['全国文明城市测评体系（演示）']);
    const year = Number(shanghaiDate(new Date()).slice(0, 4));
    expect(await currentCampaignId(t.database.db, year)).toBe(campaigns[0]!.id);
    const calls = (await office.get('/api/cell-award-calls')).json<{ items: TCall[] }>().items;
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ status: 'publicity', applications: 3 });
    const apps = (await office.get(`/api/cell-award-calls/${calls[0]!.id}/applications`)).json<{
      items: TApplication[];
    }>().items;
    expect(apps.map((a) => [a.decision, a.eligibility, a.proposed])).toEqual([
      ['conferred', 'eligible', true],
      [null, 'ineligible', false],
      [null, 'eligible', true],
    ]);
    const honour = await office.get(`/api/honours/${apps[0]!.honourId}`);
    expect(honour.json()).toMatchObject({ holderName: '市城市管理综合执法局', status: 'listed' });
  });
});
