import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TQuotaBoard } from '../../core/contracts/surveys.js';
import type { Agent } from './harness.js';

// Helpers shared by the integration tests that need a survey round with quotas and responses.

/** Awareness, satisfaction and participation: one question each. */
export const SURVEY_QUESTIONS = [
  {
    id: 'Q1',
    kind: 'single',
    text: '您知道本市正在创建文明城市吗？',
    options: ['知道', '听说过', '不知道'],
    dimension: 'awareness',
    favourable: ['知道', '听说过'],
  },
  {
    id: 'Q2',
    kind: 'single',
    text: '您对小区环境卫生是否满意？',
    options: ['满意', '基本满意', '不满意', '说不清'],
    dimension: 'satisfaction',
    favourable: ['满意', '基本满意'],
    dontKnow: ['说不清'],
  },
  {
    id: 'Q3',
    kind: 'multiple',
    text: '过去一年您参加过哪些活动？',
    options: ['志愿服务', '社区活动', '都没有'],
    dimension: 'participation',
    favourable: ['志愿服务', '社区活动'],
  },
];

/** Answers that are favourable on every dimension, or on none. */
export const FAVOURABLE = { Q1: '知道', Q2: '满意', Q3: ['志愿服务'] };
export const UNFAVOURABLE = { Q1: '不知道', Q2: '不满意', Q3: ['都没有'] };

async function ok<T>(res: Promise<{ statusCode: number; body: string; json<X>(): X }>, s = 200) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(s);
  return (s === 204 ? undefined : r.json<T>()) as T;
}

/**
 * The city office's survey: a published questionnaire for group A, one open round (floor 80 %)
 * and a household quota of `target` on each community named, the guides given on each.
 */
export async function surveyRound(
  city: Agent,
  name: string,
  quotas: { regionId: number; guideIds: number[] }[],
  target = 10,
): Promise<{ surveyId: number; roundId: number; quotaOf: (regionId: number) => number }> {
  const { id: surveyId } = await ok<{ id: number }>(city.post('/api/surveys', { name }), 201);
  const qn = await ok<{ id: number; version: number }>(
    city.post(`/api/surveys/${surveyId}/questionnaires`, {
      group: 'A',
      groupLabel: '市民',
      title: '市民卷',
      questions: SURVEY_QUESTIONS,
    }),
    201,
  );
  await ok(city.post(`/api/questionnaires/${qn.id}/publish`, { version: qn.version }));
  const { id: roundId } = await ok<{ id: number }>(
    city.post(`/api/surveys/${surveyId}/rounds`, {
      name: '第一轮',
      startsOn: '2026-11-20',
      endsOn: '2026-11-30',
      floorPercent: 80,
    }),
    201,
  );
  await ok(
    city.post(`/api/survey-rounds/${roundId}/quotas`, {
      regionIds: quotas.map((q) => q.regionId),
      group: 'A',
      target,
    }),
    201,
  );
  const board = await ok<TQuotaBoard>(city.get(`/api/survey-rounds/${roundId}/board`));
  const quotaOf = (regionId: number) => board.quotas.find((q) => q.regionId === regionId)!.id;
  for (const q of quotas) {
    const quota = board.quotas.find((x) => x.regionId === q.regionId)!;
    await ok(
      city.put(`/api/survey-quotas/${quota.id}/guides`, {
        guideIds: q.guideIds,
        version: quota.version,
      }),
      204,
    );
  }
  return { surveyId, roundId, quotaOf };
}

/** A guide's household interview on a quota; expects it stored. */
export async function surveyResponse(
  guide: Agent,
  quotaId: number,
  household: string,
  answers: Record<string, unknown>,
): Promise<number> {
  const r = await ok<{ id: number }>(
    guide.post('/api/survey-responses', {
      clientId: randomUUID(),
      quotaId,
      householdCode: household,
      respondent: { age: 40, residentMonths: 24 },
      answers,
    }),
    201,
  );
  return r.id;
}
