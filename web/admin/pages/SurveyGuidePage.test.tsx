import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TGuideAssignment, TQuestionnaire } from '../../../core/contracts/surveys.js';
import { preset } from '../../../core/survey/eligibility.js';
import { reply } from '../../test/mock-api.js';
import { byId, renderPage } from '../../test/render.js';
import { SurveyGuidePage } from './SurveyGuidePage.js';

// The guide's phone form: the mode offered (入户 with a household code, 随机街访 with a spot or the
// position; BRIEF §3) and what the group's rule asks (residents 18–65 and resident ≥ 6 months,
// BRIEF §3; pupils 6–18 with no residence question).

const questionnaire = (over: Partial<TQuestionnaire>): TQuestionnaire => ({
  id: 1,
  surveyId: 1,
  group: 'A',
  groupLabel: '市民',
  number: 1,
  status: 'published',
  title: '市民卷',
  intro: '',
  questions: [
    {
      id: 'Q1',
      kind: 'single',
      text: '您知道本市正在创建文明城市吗？',
      options: ['知道', '不知道'],
      dimension: 'awareness',
      favourable: ['知道'],
      dontKnow: [],
      standardKeys: [],
    },
  ],
  eligibility: preset('resident'),
  publishedAt: '2026-11-01T00:00:00.000Z',
  version: 2,
  ...over,
});
const RESIDENTS = questionnaire({});
const PUPILS = questionnaire({
  id: 2,
  group: 'S',
  groupLabel: '中小学生',
  title: '学生卷',
  eligibility: preset('student'),
});

const assignment = (over: Partial<TGuideAssignment>): TGuideAssignment => ({
  quotaId: 11,
  roundId: 5,
  roundName: '第二次模拟测评',
  surveyName: '示范市入户问卷调查',
  regionName: '湖滨社区',
  group: 'A',
  mode: 'household',
  target: 20,
  done: 3,
  mine: 1,
  questionnaire: RESIDENTS,
  ...over,
});
const ASSIGNMENTS = [
  assignment({}),
  assignment({ quotaId: 12, regionName: '示范市', mode: 'street', target: 40, done: 0 }),
  assignment({ quotaId: 13, group: 'S', questionnaire: PUPILS, target: 10 }),
];

async function render() {
  const page = await renderPage(<SurveyGuidePage />, {
    user: 'surveyor',
    width: 390,
    api: {
      'GET /api/survey-app/assignments': ASSIGNMENTS,
      'POST /api/survey-responses': reply(201, { id: 1 }),
    },
  });
  await screen.findByTestId('quota-11');
  return page;
}

async function answerAll(page: Awaited<ReturnType<typeof render>>) {
  await page.user.click(within(screen.getByTestId('q-Q1')).getByText('知道'));
}

describe('SurveyGuidePage', () => {
  it('lists the quotas with their mode and group', async () => {
    await render();
    expect(screen.getByTestId('quota-11')).toHaveTextContent('入户湖滨社区 · 人群 A 市民');
    expect(screen.getByTestId('quota-12')).toHaveTextContent('街访示范市 · 人群 A 市民');
    expect(screen.getByTestId('quota-13')).toHaveTextContent('入户湖滨社区 · 人群 S 中小学生');
  });

  it('offers the mode: a street interview sends its spot and no household code', async () => {
    const page = await render();
    await page.user.click(screen.getByTestId('quota-11'));
    expect(byId('household-code')).toBeInTheDocument();
    await page.user.click(within(screen.getByTestId('survey-mode')).getByText('街访 · 示范市'));
    await waitFor(() => expect(document.getElementById('household-code')).toBeNull());
    await page.user.type(byId('street-spot'), '人民广场东门');
    await page.user.type(byId('respondent-age'), '33');
    await page.user.type(byId('resident-months'), '40');
    await answerAll(page);
    await page.user.click(screen.getByTestId('survey-submit'));
    await waitFor(() => expect(page.api.callsTo('POST /api/survey-responses')).toHaveLength(1));
    const body = page.api.lastBody('POST /api/survey-responses') as Record<string, unknown>;
    expect(body).toMatchObject({
      quotaId: 12,
      mode: 'street',
      spot: '人民广场东门',
      respondent: { age: 33, residentMonths: 40 },
      answers: { Q1: '知道' },
    });
    expect(body).not.toHaveProperty('householdCode');
  });

  it('a street interview with neither spot nor position is stopped on the phone', async () => {
    const page = await render();
    await page.user.click(screen.getByTestId('quota-12'));
    await page.user.type(byId('respondent-age'), '33');
    await page.user.type(byId('resident-months'), '40');
    await answerAll(page);
    await page.user.click(screen.getByTestId('survey-submit'));
    expect(await screen.findByText('未取得定位，请填写访问地点')).toBeInTheDocument();
    expect(page.api.callsTo('POST /api/survey-responses')).toHaveLength(0);
  });

  it('pupils: residence is not asked, a 12-year-old counts, a 19-year-old is flagged', async () => {
    const page = await render();
    await page.user.click(screen.getByTestId('quota-13'));
    expect(document.getElementById('resident-months')).toBeNull();
    expect(screen.getByText(/6—18周岁，不限居住时间/)).toBeInTheDocument();
    await page.user.type(byId('respondent-age'), '19');
    expect(await screen.findByTestId('ineligible')).toHaveTextContent('年龄不在6—18周岁');
    await page.user.clear(byId('respondent-age'));
    await page.user.type(byId('respondent-age'), '12');
    await waitFor(() => expect(screen.queryByTestId('ineligible')).toBeNull());
    await page.user.type(byId('household-code'), '6幢-201');
    await answerAll(page);
    await page.user.click(screen.getByTestId('survey-submit'));
    await waitFor(() => expect(page.api.callsTo('POST /api/survey-responses')).toHaveLength(1));
    expect(page.api.lastBody('POST /api/survey-responses')).toMatchObject({
      quotaId: 13,
      mode: 'household',
      householdCode: '6幢-201',
      respondent: { age: 12 },
    });
  });

  it('residents: the same 12-year-old is flagged as not counting (BRIEF §3)', async () => {
    const page = await render();
    await page.user.click(screen.getByTestId('quota-11'));
    await page.user.type(byId('respondent-age'), '12');
    await page.user.type(byId('resident-months'), '144');
    expect(await screen.findByTestId('ineligible')).toHaveTextContent('年龄不在18—65周岁');
  });
});
