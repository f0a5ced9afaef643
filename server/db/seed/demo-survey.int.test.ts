import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TQuotaBoard,
  TResponse,
  TResults,
  TSurvey,
  TTrend,
} from '../../../core/contracts/surveys.js';
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
  it('seeds questionnaire A, households and street interviews, a closed and an open round, once', async () => {
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
    const [survey, minors] = await get<TSurvey[]>('/api/surveys');
    const qn = survey!.questionnaires[0]!;
    expect(qn.eligibility).toEqual({ minAge: 18, maxAge: 65, minResidentMonths: 6 });
    expect(qn.questions).toHaveLength(10);
    expect(qn.questions.find((q) => q.id === 'Q9')!.dontKnow).toEqual(['说不清']);
    expect(qn.questions.find((q) => q.id === 'Q4')!.standardKeys).toHaveLength(1);
    const rounds = await get<{ id: number; status: string }[]>(`/api/surveys/${survey!.id}/rounds`);
    const closed = rounds.find((r) => r.status === 'closed')!;
    const open = rounds.find((r) => r.status === 'open')!;
    const res = await get<TResults>(`/api/survey-rounds/${closed.id}/results?by=mode`);
    // 120 households and 35 of 40 street interviews count (five passers-by do not qualify).
    expect(res.responses).toBe(155);
    expect(res.excludedIneligible).toBe(5);
    expect(res.weighted).toBe(true);
    expect(res.slices.map((s) => [s.label, s.responses])).toEqual([
      ['入户', 120],
      ['街访', 35],
    ]);
    expect(res.dimensions.map((d) => d.dimension).sort()).toEqual([
      'awareness',
      'participation',
      'satisfaction',
      'support',
    ]);
    expect(res.floorEffect).not.toBeNull();
    const closedBoard = await get<TQuotaBoard>(`/api/survey-rounds/${closed.id}/board`);
    expect(closedBoard.byMode).toEqual([
      { mode: 'household', target: 120, done: 120 },
      { mode: 'street', target: 40, done: 35 },
    ]);
    const board = await get<TQuotaBoard>(`/api/survey-rounds/${open.id}/board`);
    expect(board.quotas).toHaveLength(7);
    expect(board.quotas.filter((q) => q.mode === 'street')).toHaveLength(1);
    // The roster is of communities (household quotas); the city-wide street quota is not in it.
    expect(board.roster).toHaveLength(6);
    expect(board.roster.every((r) => r.shortfall === 1)).toBe(true);
    const trend = await get<TTrend>(`/api/surveys/${survey!.id}/trend`);
    // The second round is under way: 15 households in four of the six communities so far.
    expect(trend.map((r) => r.responses)).toEqual([155, 60]);
    // The demo's story: 参与率 under the floor of 80 % in September, over it now.
    const participation = async (roundId: number) =>
      (await get<TResults>(`/api/survey-rounds/${roundId}/results`)).dimensions.find(
        (d) => d.dimension === 'participation',
      )!.rate!;
    expect(await participation(closed.id)).toBeLessThan(0.8);
    expect(await participation(open.id)).toBeGreaterThanOrEqual(0.8);
    const street = (
      await get<TResponse[]>(`/api/survey-responses?roundId=${closed.id}&limit=500`)
    ).filter((r) => r.mode === 'street');
    expect(street).toHaveLength(40);
    expect(street.every((r) => r.householdCode === null && r.spot !== null)).toBe(true);

    // The minors' test: the pupils' group, 6–18 with no residence rule; a 19-year-old is out.
    expect(minors!.campaignId).toBeNull();
    const pupils = minors!.questionnaires[0]!;
    expect(pupils).toMatchObject({ group: 'S', groupLabel: '中小学生' });
    expect(pupils.eligibility).toEqual({ minAge: 6, maxAge: 18, minResidentMonths: null });
    const [minorsRound] = await get<{ id: number }[]>(`/api/surveys/${minors!.id}/rounds`);
    const pupilsRes = await get<TResults>(`/api/survey-rounds/${minorsRound!.id}/results`);
    expect(pupilsRes.responses).toBe(27);
    expect(pupilsRes.excludedIneligible).toBe(3);
  });
});
