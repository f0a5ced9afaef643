import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TQuotaBoard, TResults, TSurvey, TTrend } from '../../../core/contracts/surveys.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { seedDemoCity } from './demo-city.js';
import { seedDemoFramework } from './demo-framework.js';
import { seedDemoSurvey } from './demo-survey.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCity(t.database);
  await seedDemoFramework(t.database);
});
afterAll(() => t.close());

describe('demo survey', () => {
  it('seeds questionnaire A, a closed round with answers and an open one, once', async () => {
    expect(await seedDemoSurvey(t.database)).toBe(true);
    expect(await seedDemoSurvey(t.database)).toBe(false);
    const office = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'office', password: 'Demo@2026' },
    });
    const cookie = String(office.headers['set-cookie']).split(';')[0]!;
    const get = async <T>(url: string) =>
      (await t.app.inject({ method: 'GET', url, headers: { cookie } })).json<T>();
    const [survey] = await get<TSurvey[]>('/api/surveys');
    const qn = survey!.questionnaires[0]!;
    expect(qn.questions).toHaveLength(10);
    expect(qn.questions.find((q) => q.id === 'Q9')!.dontKnow).toEqual(['说不清']);
    expect(qn.questions.find((q) => q.id === 'Q4')!.standardKeys).toHaveLength(1);
    const rounds = await get<{ id: number; status: string }[]>(`/api/surveys/${survey!.id}/rounds`);
    const closed = rounds.find((r) => r.status === 'closed')!;
    const open = rounds.find((r) => r.status === 'open')!;
    const res = await get<TResults>(`/api/survey-rounds/${closed.id}/results`);
    expect(res.responses).toBe(120);
    expect(res.dimensions.map((d) => d.dimension).sort()).toEqual([
      'awareness',
      'participation',
      'satisfaction',
      'support',
    ]);
    expect(res.floorEffect).not.toBeNull();
    const board = await get<TQuotaBoard>(`/api/survey-rounds/${open.id}/board`);
    expect(board.quotas).toHaveLength(6);
    expect(board.roster.every((r) => r.shortfall === 1)).toBe(true);
    const trend = await get<TTrend>(`/api/surveys/${survey!.id}/trend`);
    expect(trend.map((r) => r.responses)).toEqual([120, 0]);
  });
});
