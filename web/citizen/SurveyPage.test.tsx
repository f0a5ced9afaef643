import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TPublicSurvey } from '../../core/contracts/surveys.js';
import { preset } from '../../core/survey/eligibility.js';
import { reply } from '../test/mock-api.js';
import { renderPage } from '../test/render.js';
import { SurveyPage } from './SurveyPage.js';

// 自填问卷 by a quota's link: a household quota asks for the household code, a street-interview
// quota for the spot (随机街访, BRIEF §3); residence is asked only where the group's rule has it.

const survey = (over: Partial<TPublicSurvey>): TPublicSurvey => ({
  surveyName: '示范市入户问卷调查',
  regionName: '示范市',
  mode: 'household',
  eligibility: preset('resident'),
  title: '市民卷',
  intro: '匿名填写',
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
  ...over,
});

async function render(s: TPublicSurvey) {
  const page = await renderPage(<SurveyPage />, {
    user: null,
    route: '/s/tok-123456',
    path: '/s/:token',
    width: 390,
    api: {
      'GET /api/public/surveys/:token': s,
      'POST /api/public/surveys/:token/responses': reply(201, { created: true }),
    },
  });
  await screen.findByTestId('public-survey');
  return page;
}

describe('SurveyPage (self-completion)', () => {
  it('a street-interview link asks where the person is, not a household', async () => {
    const page = await render(survey({ mode: 'street' }));
    expect(screen.queryByText('户码（见入户通知单）')).toBeNull();
    await page.user.type(screen.getByTestId('public-survey-spot'), '人民广场');
    const [age, months] = screen.getAllByRole('spinbutton');
    await page.user.type(age!, '45');
    await page.user.type(months!, '120');
    await page.user.click(screen.getByLabelText('知道'));
    await page.user.click(screen.getByTestId('public-survey-submit'));
    await waitFor(() =>
      expect(page.api.callsTo('POST /api/public/surveys/:token/responses')).toHaveLength(1),
    );
    const body = page.api.lastBody('POST /api/public/surveys/:token/responses');
    expect(body).toMatchObject({
      spot: '人民广场',
      respondent: { age: 45, residentMonths: 120 },
      answers: { Q1: '知道' },
    });
    expect(body).not.toHaveProperty('householdCode');
    expect(await screen.findByTestId('survey-done')).toBeInTheDocument();
  });

  it('the pupils’ questionnaire does not ask for residence', async () => {
    await render(survey({ eligibility: preset('student'), title: '学生卷' }));
    expect(screen.getByTestId('public-survey-rule')).toHaveTextContent('6—18周岁，不限居住时间');
    expect(screen.getAllByRole('spinbutton')).toHaveLength(1);
    expect(screen.getByText('户码（见入户通知单）')).toBeInTheDocument();
  });
});
