import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TResults, TRound, TSurvey } from '../../../core/contracts/surveys.js';
import type { TDimension } from '../../../core/survey/questions.js';
import { pickOption } from '../../test/antd.js';
import { findChartOption } from '../../test/charts.js';
import { apiError, type MockRequest, type Reply } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { SurveyResultsPage } from './SurveyResultsPage.js';

const SURVEY: TSurvey = { id: 1, name: '示范市民意调查', campaignId: 1, questionnaires: [] };
const round = (id: number, name: string, status: TRound['status']): TRound => ({
  id,
  surveyId: 1,
  name,
  startsOn: '2026-11-01',
  endsOn: '2026-11-30',
  status,
  dontKnowValid: false,
  floorPercent: 80,
  minGuidesPerCommunity: 2,
  version: 1,
});
const ROUNDS = [round(5, '第二次模拟测评', 'open'), round(4, '第一次模拟测评', 'closed')];

type Dim = TResults['dimensions'][number];
const dim = (dimension: TDimension, over: Partial<Dim> = {}): Dim => ({
  dimension,
  questions: 3,
  rate: 0.9,
  lo: 0.85,
  hi: 0.94,
  favourable: 108,
  valid: 120,
  nEff: 118.2,
  belowFloor: false,
  atRisk: false,
  ...over,
});

function results(over: Partial<TResults> = {}): TResults {
  return {
    roundId: 5,
    roundName: '第二次模拟测评',
    floor: 0.8,
    dontKnowValid: false,
    weighted: true,
    responses: 3,
    excludedIneligible: 1,
    dimensions: [
      dim('awareness', { rate: 1, lo: 0.439, hi: 1, favourable: 3, valid: 3 }),
      dim('support', { rate: 0.82, lo: 0.76, hi: 0.87 }),
      dim('participation', { rate: 0.83, lo: 0.78, hi: 0.88, atRisk: true }),
      dim('satisfaction', { rate: 0.71, lo: 0.65, hi: 0.77, belowFloor: true }),
    ],
    questions: [
      {
        questionKey: 'resident.q1',
        group: '市民',
        questionId: 'Q1',
        text: '您是否知道本市正在创建全国文明城市？',
        dimension: 'awareness',
        rate: 1,
        lo: 0.439,
        hi: 1,
        favourable: 3,
        valid: 3,
        nEff: 3,
        unfavourable: 0,
        dontKnow: 0,
      },
    ],
    slices: [
      {
        key: 'r3',
        label: '湖滨社区',
        responses: 3,
        dimensions: [dim('awareness', { rate: 1, lo: 0.439, hi: 1 })],
      },
    ],
    floorEffect: 'veto',
    ...over,
  };
}

function render(answer: (req: MockRequest) => TResults | Reply = () => results()) {
  return renderPage(<SurveyResultsPage />, {
    api: {
      'GET /api/surveys': [SURVEY],
      'GET /api/surveys/:id/rounds': ROUNDS,
      'GET /api/surveys/:id/trend': [],
      'GET /api/survey-rounds/:id/results': answer,
      'GET /api/survey-rounds/:id/suspicious': [
        {
          responseId: 91,
          guideId: null,
          guideName: null,
          regionName: '湖滨社区',
          mode: 'household',
          householdCode: '8幢-801',
          spot: null,
          submittedAt: '2026-11-23T02:00:00.000Z',
          flags: ['identical', 'far'],
        },
        {
          responseId: 92,
          guideId: 4,
          guideName: '调查员甲',
          regionName: '示范市',
          mode: 'street',
          householdCode: null,
          spot: '人民广场',
          submittedAt: '2026-11-23T03:00:00.000Z',
          flags: ['far'],
        },
      ],
    },
  });
}

const tableRows = (el: HTMLElement) =>
  within(el)
    .getAllByRole('row')
    .slice(1)
    .map((r) =>
      within(r)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    );

describe('SurveyResultsPage', () => {
  it('the four rates with their 95% intervals against the floor, flagged', async () => {
    await render();
    expect(await screen.findByTestId('results-responses')).toHaveTextContent('3');
    expect(screen.getByText('不符合条件未计入 1 份')).toBeInTheDocument();
    expect(screen.getByText('按配额设计加权')).toBeInTheDocument();
    expect(screen.getByText('“说不清”不计入有效')).toBeInTheDocument();
    expect(tableRows(screen.getByTestId('dimension-table'))).toEqual([
      ['知晓率', '100.0%', '43.9–100.0%', '3', ''],
      ['支持率', '82.0%', '76.0–87.0%', '120', ''],
      ['参与率', '83.0%', '78.0–88.0%', '120', '区间跨越底线'],
      ['满意度', '71.0%', '65.0–77.0%', '120', '低于底线'],
    ]);
    expect(screen.getByText('满意度低于底线 80%（一票否决）')).toBeInTheDocument();
  });

  it('the chart draws the rates, the floor line and the intervals', async () => {
    await render();
    await screen.findByTestId('dimension-table');
    const option = (await findChartOption(screen.getByTestId('rates-chart'))) as {
      series: [
        { data: { value: number; itemStyle: { color: string } }[]; markLine: { data: unknown[] } },
        { data: number[][] },
      ];
    };
    const [bars, ci] = option.series;
    expect(bars.data.map((d) => d.value)).toEqual([100, 82, 83, 71]);
    // Below the floor red, an interval across it orange.
    expect(bars.data.map((d) => d.itemStyle.color)).toEqual([
      '#1677ff',
      '#1677ff',
      '#fa8c16',
      '#cf1322',
    ]);
    expect(bars.markLine.data).toEqual([{ yAxis: 80 }]);
    expect(ci.data[0]).toEqual([0, 43.9, 100, 1]);
    // For screen readers, the chart in words.
    expect(screen.getByTestId('rates-chart')).toHaveAccessibleName(
      expect.stringMatching(/满意度 71\.0%（95% CI 65\.0–77\.0%）；底线 80%$/),
    );
  });

  it('by community or by group: the slices come from the server with their intervals', async () => {
    const page = await render();
    await screen.findByTestId('dimension-table');
    const calls = () => page.api.callsTo('GET /api/survey-rounds/:id/results');
    expect(calls()[0]!.url).toBe('/api/survey-rounds/5/results?by=region');
    const slices = screen.getByText('分组结果').closest<HTMLElement>('.ant-card')!;
    expect(tableRows(slices)).toEqual([['湖滨社区', '3', '100.0% [43.9–100.0%]', '—', '—', '—']]);
    await page.user.click(screen.getByText('按人群'));
    await waitFor(() => expect(calls().at(-1)!.query).toEqual({ by: 'group' }));
  });

  it('by mode: households and street interviews side by side (BRIEF §3)', async () => {
    const page = await render((req) =>
      req.query.by === 'mode'
        ? results({
            slices: [
              {
                key: 'mode:household',
                label: '入户',
                responses: 120,
                dimensions: [dim('support')],
              },
              { key: 'mode:street', label: '街访', responses: 35, dimensions: [dim('support')] },
            ],
          })
        : results(),
    );
    await screen.findByTestId('dimension-table');
    await page.user.click(screen.getByText('按方式'));
    const slices = screen.getByText('分组结果').closest<HTMLElement>('.ant-card')!;
    await waitFor(() =>
      expect(tableRows(slices).map((r) => r.slice(0, 2))).toEqual([
        ['入户', '120'],
        ['街访', '35'],
      ]),
    );
  });

  it('another round of the survey: its results', async () => {
    const page = await render((req) =>
      req.params.id === '4' ? results({ roundId: 4, responses: 120 }) : results(),
    );
    await screen.findByTestId('dimension-table');
    await pickOption(page.user, screen.getByTestId('round-select'), '第一次模拟测评');
    await waitFor(() => expect(screen.getByTestId('results-responses')).toHaveTextContent('120'));
    expect(screen.getByTestId('export')).toHaveAttribute(
      'href',
      '/api/survey-rounds/4/results.xlsx',
    );
  });

  it('suspicious responses with their patterns; self-completed ones name no guide', async () => {
    await render();
    await screen.findByTestId('dimension-table');
    const [row, street] = tableRows(screen.getByTestId('suspicious-table'));
    expect(row).toEqual(['自填', '湖滨社区', '8幢-801', '2026-11-23 10:00', '短时雷同偏离社区']);
    // A street interview has no household: its spot is shown.
    expect(street).toEqual([
      '调查员甲',
      '示范市',
      '街访 · 人民广场',
      '2026-11-23 11:00',
      '偏离社区',
    ]);
  });

  it('a refusal is shown', async () => {
    await render(() => apiError(403, 'forbidden', { zh: '无权查看调查结果', en: 'not allowed' }));
    expect(await screen.findByText('无权查看调查结果')).toBeInTheDocument();
    expect(screen.queryByTestId('dimension-table')).toBeNull();
  });
});
