import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TMockEvaluation } from '../../../core/contracts/scoring.js';
import { relianceVerdict } from '../../../core/draw/mock-evaluation.js';
import { findChartOption } from '../../test/charts.js';
import { renderPage } from '../../test/render.js';
import { MockEvaluationPage } from './MockEvaluationPage.js';
import { outlookOf } from '../../../core/scoring/outlook.js';
import { projectionFixture } from '../../../core/scoring/projection.fixture.js';

// 模拟测评推演 (issue #19): the case — 27 points, 25 never inspected. The page must not
// present the assumption as a finding: the verdict beside P(target) and the range, coverage per
// type, and the unvisited points marked as assumed where to act.

const ROUND = {
  id: 9,
  name: '年终模拟测评',
  kind: 'mock',
  plan: [
    { type: 'P01', mode: 'random', count: 4 },
    { type: 'P02', mode: 'random', count: 3 },
    { type: 'P03', mode: 'all' },
  ],
};

function evaluation(over: Partial<TMockEvaluation> = {}): TMockEvaluation {
  const assumedShare = 0.8889;
  return {
    round: { id: 9, name: '年终模拟测评' },
    plan: [
      { type: 'P01', typeName: '主次干道', mode: 'random', count: 4, eligible: 12 },
      { type: 'P02', typeName: '农贸市场', mode: 'random', count: 3, eligible: 10 },
      { type: 'P03', typeName: '公共厕所', mode: 'all', count: null, eligible: 5 },
    ],
    points: 27,
    withVisits: 2,
    openProblems: 0,
    runs: 10000,
    drawnPerRun: 12,
    target: 0.85,
    seed: 20261203,
    mean: 0.3589,
    expected: 0.3603,
    sd: 0.1292,
    p5: 0.1547,
    p50: 0.3526,
    p95: 0.5839,
    pTarget: 0,
    histogram: [
      0, 0, 0.01, 0.05, 0.1, 0.15, 0.17, 0.16, 0.13, 0.1, 0.07, 0.04, 0.02, 0, 0, 0, 0, 0, 0, 0,
    ],
    coverage: {
      points: 27,
      visited: 2,
      assumedShare,
      cityRate: { mean: 0.395, visited: 2 },
      types: [
        {
          type: 'P01',
          typeName: '主次干道',
          points: 12,
          visited: 1,
          visits: 1,
          items: 10,
          basis: 'type',
          mean: 0.3633,
          low: 0.0346,
          high: 0.8038,
        },
        {
          type: 'P02',
          typeName: '农贸市场',
          points: 10,
          visited: 0,
          visits: 0,
          items: 0,
          basis: 'city',
          mean: 0.395,
          low: 0.0184,
          high: 0.8964,
        },
        {
          type: 'P03',
          typeName: '公共厕所',
          points: 5,
          visited: 1,
          visits: 2,
          items: 16,
          basis: 'type',
          mean: 0.3567,
          low: 0.0324,
          high: 0.7979,
        },
      ],
    },
    verdict: relianceVerdict({ points: 27, visited: 2, assumedShare }),
    whereToAct: [
      {
        pointId: 3,
        name: '人民公园公厕',
        type: 'P03',
        score: 0.28,
        assumed: false,
        gain: 0.06,
        visits: 2,
        openProblems: 0,
        unit: { id: 7, name: '市城市管理综合执法局' },
      },
      {
        pointId: 4,
        name: '新华路公厕',
        type: 'P03',
        score: 0.3567,
        assumed: true,
        gain: 0.053611,
        visits: 0,
        openProblems: 0,
        unit: null,
      },
    ],
    ms: { load: 12.3, simulate: 40.1 },
    outlook: null,
    ...over,
  };
}

const render = (answer: TMockEvaluation, lang?: 'en') =>
  renderPage(<MockEvaluationPage />, {
    user: 'leader',
    lang,
    api: {
      'GET /api/rounds': { items: [ROUND] },
      'GET /api/point-types': { items: [] },
      'POST /api/scoring/mock-evaluation': answer,
    },
  });

async function runIt(page: Awaited<ReturnType<typeof render>>) {
  await screen.findByText(/年终模拟测评（/);
  await page.user.click(screen.getByTestId('mock-run'));
  await screen.findByTestId('mock-verdict');
}

const rowTexts = (testId: string) =>
  within(screen.getByTestId(testId))
    .getAllByRole('row')
    .slice(1)
    .map((r) =>
      within(r)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    );

describe('MockEvaluationPage', () => {
  it('mostly unvisited: the verdict stands beside P(target) and the range, which carry a tag', async () => {
    const page = await render(evaluation());
    await runIt(page);
    expect(page.api.callsTo('POST /api/scoring/mock-evaluation')[0]!.body).toEqual({
      roundId: 9,
      runs: 10000,
      target: 0.85,
    });
    const verdict = screen.getByTestId('mock-verdict');
    expect(verdict).toHaveClass('ant-alert-warning');
    expect(verdict).toHaveTextContent(
      '结果主要依据推定：27 个点位中 25 个从未检查（每次抽取的点位预计 89% 是未检查点位），按同类点位的检查结果推算',
    );
    expect(screen.getByTestId('p-target')).toHaveTextContent('0.0%');
    expect(screen.getByTestId('interval')).toHaveTextContent('15.5% – 58.4%');
    expect(screen.getAllByTestId('assumed-tag').map((e) => e.textContent)).toEqual([
      '主要依据推定',
      '主要依据推定',
    ]);
    // The histogram is drawn from the answer's bins.
    const series = (await findChartOption(screen.getByTestId('histogram'))).series as {
      data: unknown[];
    }[];
    expect(series[0]!.data).toHaveLength(20);
  });

  it('beside the field simulation, says the year’s standing: a veto shows in red whatever the field figure', async () => {
    const base = projectionFixture();
    const outlook = outlookOf({
      ...base,
      yearScore: {
        ...base.yearScore,
        status: 'vetoed',
        verdicts: ['vetoed'],
        floor: { below: ['participation'], effect: 'veto', vetoed: true, deducted: 0 },
      },
      campaign: {
        ...base.campaign,
        surveyFloor: { enabled: true, minRate: 80, effect: 'veto', points: 0 },
      },
    });
    const page = await render(evaluation({ outlook }));
    await runIt(page);
    const alert = screen.getByTestId('mock-outlook');
    expect(alert).toHaveClass('ant-alert-error');
    expect(alert).toHaveTextContent(
      '本页推演的是实地测评部分。示范市创建全国文明城市（2026—2028年）：问卷未达底线，一票否决',
    );
    expect(alert).toHaveTextContent('问卷参与率低于 80% 的底线，按规则一票否决，不论总分多少。');
  });

  it('coverage: points inspected, the share of a draw assumed, and per type what is assumed from what', async () => {
    const page = await render(evaluation());
    await runIt(page);
    expect(screen.getByTestId('coverage-summary')).toHaveTextContent(
      '已检查 2 / 27 个点位 · 每次抽取的点位预计 88.9% 为未检查点位 · 全部已检查点位推定的合格率 39.5%',
    );
    expect(rowTexts('coverage-types')).toEqual([
      ['主次干道', '1 / 12', '1', '10', '36.3%（90%：3.5%–80.4%）', '本类 1 个已检查点位'],
      [
        '农贸市场',
        '0 / 10',
        '0',
        '0',
        '39.5%（90%：1.8%–89.6%）',
        '本类无检查，按全部已检查点位推定',
      ],
      ['公共厕所', '1 / 5', '2', '16', '35.7%（90%：3.2%–79.8%）', '本类 1 个已检查点位'],
    ]);
    // Where to act: the never-inspected point's state is marked as assumed.
    const rows = rowTexts('where-to-act');
    expect(rows[0]![2]).toBe('28.0%');
    expect(rows[1]![2]).toBe('推定35.7%');
  });

  it('in English, and a fully inspected plan says the result rests on findings (no tag)', async () => {
    const observed = evaluation({
      coverage: {
        ...evaluation().coverage,
        visited: 27,
        assumedShare: 0,
        types: evaluation().coverage.types.map((x) => ({ ...x, visited: x.points })),
      },
      verdict: relianceVerdict({ points: 27, visited: 27, assumedShare: 0 }),
    });
    const page = await render(observed, 'en');
    await screen.findByText(/年终模拟测评（/);
    await page.user.click(screen.getByTestId('mock-run'));
    const verdict = await screen.findByTestId('mock-verdict');
    expect(verdict).toHaveClass('ant-alert-success');
    expect(verdict).toHaveTextContent(
      'Every point that can be drawn has been inspected: the result rests on findings.',
    );
    expect(screen.queryByTestId('assumed-tag')).toBeNull();
    expect(rowTexts('coverage-types')[0]).toEqual([
      '主次干道',
      '12 / 12',
      '1',
      '10',
      '—',
      'all inspected',
    ]);
  });
});
