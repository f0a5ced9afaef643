import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TQuestionnaire, TSurvey } from '../../../core/contracts/surveys.js';
import { preset } from '../../../core/survey/eligibility.js';
import { byId, renderPage } from '../../test/render.js';
import { SurveyDesignerPage } from './SurveyDesignerPage.js';

// The designer edits each group's respondent rule with the questionnaire: the residents' preset
// (18–65, resident ≥ 6 months; BRIEF §3) and the pupils' (6–18, residence not asked).

const RESIDENTS: TQuestionnaire = {
  id: 1,
  surveyId: 1,
  group: 'A',
  groupLabel: '市民',
  number: 1,
  status: 'draft',
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
  publishedAt: null,
  version: 3,
};
const SURVEY: TSurvey = {
  id: 1,
  name: '示范市入户问卷调查',
  campaignId: 1,
  questionnaires: [RESIDENTS],
};

async function render() {
  const page = await renderPage(<SurveyDesignerPage />, {
    api: {
      'GET /api/surveys': [SURVEY],
      'GET /api/surveys/standards': [],
      'PUT /api/questionnaires/:id': RESIDENTS,
    },
  });
  await screen.findByTestId('rule-A');
  return page;
}

describe('SurveyDesignerPage: who counts per group', () => {
  it('lists each group’s rule', async () => {
    await render();
    expect(screen.getByTestId('rule-A')).toHaveTextContent('18—65周岁，本地居住满6个月');
  });

  it('a preset fills the rule; an empty residence means it is not asked; the rule is saved', async () => {
    const page = await render();
    await page.user.click(screen.getByTestId('questionnaire-open'));
    await waitFor(() => expect(byId('rule-min-age')).toHaveValue('18'));
    expect(byId('rule-resident-months')).toHaveValue('6');
    await page.user.click(screen.getByTestId('rule-preset-student'));
    await waitFor(() => expect(byId('rule-min-age')).toHaveValue('6'));
    expect(byId('rule-max-age')).toHaveValue('18');
    expect(byId('rule-resident-months')).toHaveValue('');
    const drawer = screen.getByText('编辑问卷草稿').closest<HTMLElement>('.ant-drawer')!;
    await page.user.click(within(drawer).getByRole('button', { name: /保\s?存/ }));
    await waitFor(() => expect(page.api.callsTo('PUT /api/questionnaires/:id')).toHaveLength(1));
    expect(page.api.lastBody('PUT /api/questionnaires/:id')).toMatchObject({
      groupLabel: '市民',
      eligibility: { minAge: 6, maxAge: 18, minResidentMonths: null },
      version: 3,
    });
  });
});

describe('SurveyDesignerPage: versions', () => {
  it('publishing a draft sends its version; the list is read again and shows it published', async () => {
    let survey = SURVEY;
    const page = await renderPage(<SurveyDesignerPage />, {
      api: {
        'GET /api/surveys': () => [survey],
        'GET /api/surveys/standards': [],
        'POST /api/questionnaires/:id/publish': () => {
          const published = { ...RESIDENTS, status: 'published' as const, version: 4 };
          survey = { ...SURVEY, questionnaires: [published] };
          return published;
        },
      },
    });
    await screen.findByTestId('rule-A');
    expect(screen.getByText('草稿')).toBeInTheDocument();
    const reads = page.api.callsTo('GET /api/surveys').length;
    await page.user.click(screen.getByRole('button', { name: /发\s?布/ }));
    await page.user.click(await screen.findByRole('button', { name: /确\s?定|OK/ }));
    // In the table (the toast says 已发布 too).
    const table = screen.getByTestId('survey-designer').querySelector<HTMLElement>('.ant-table')!;
    expect(await within(table).findByText('已发布')).toBeInTheDocument();
    const [sent] = page.api.callsTo('POST /api/questionnaires/:id/publish');
    expect(sent!.path).toBe('/api/questionnaires/1/publish');
    expect(sent!.body).toEqual({ version: 3 });
    expect(page.api.callsTo('GET /api/surveys').length).toBeGreaterThan(reads);
    // A published questionnaire is frozen: a new version is offered instead.
    expect(await screen.findByRole('button', { name: '新建版本' })).toBeInTheDocument();
  });
});
