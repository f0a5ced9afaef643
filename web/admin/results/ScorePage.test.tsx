import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TProjection } from '../../../core/contracts/scoring.js';
import { projectionFixture as projection } from '../../../core/scoring/projection.fixture.js';
import { openSelect, pickOption } from '../../test/antd.js';
import { campaign, campaignsOfKind } from '../../test/fixtures.js';
import { apiError, type MockRequest } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { ScorePage } from './ScorePage.js';

const render = (
  answer:
    | TProjection
    | ReturnType<typeof apiError>
    | ((r: MockRequest) => TProjection) = projection(),
  lang?: 'en',
) =>
  renderPage(<ScorePage />, {
    user: 'leader',
    lang,
    api: {
      'GET /api/campaigns': { items: [campaign()] },
      'GET /api/rounds': { items: [{ id: 4, name: '第一次模拟测评', kind: 'mock' }] },
      'GET /api/surveys': [],
      'GET /api/scoring/projection': answer,
    },
  });

const rowTexts = (testId: string) =>
  within(screen.getByTestId(testId))
    .getAllByRole('row')
    .slice(1)
    .map((r) =>
      within(r)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    );

describe('ScorePage', () => {
  it('shows the cycle total, the year with its deductions, the parts and the years', async () => {
    await render();
    expect(await screen.findByTestId('cycle-total')).toHaveTextContent('78.35');
    expect(screen.getByTestId('year-score')).toHaveTextContent('2026 年得分77.50');
    expect(screen.getByText(/扣分前 80.5 · 扣分 3/)).toBeInTheDocument();
    expect(screen.getByTestId('part-material')).toHaveTextContent(
      '材料审核（网上申报） · 40%33.60/ 40',
    );
    expect(screen.getByTestId('part-survey')).toHaveTextContent('得分率 84.5% · 8.45/10');
    // Known years in colour; later years projected from the latest one.
    expect(screen.getByTestId('year-2026')).toHaveTextContent('2026 · 权重 15%');
    expect(screen.getByTestId('year-2026')).not.toHaveTextContent('按最近一年推算');
    expect(screen.getByTestId('year-2028')).toHaveTextContent('2028 · 权重 60% 按最近一年推算');
    expect(screen.getByText('1 条测评标准尚无依据，按 0 分计入（不高估）')).toBeInTheDocument();
    expect(screen.getByText('实地：第一次模拟测评（120 个点位）')).toBeInTheDocument();
    expect(screen.getByText('问卷：无')).toBeInTheDocument();
  });

  it('the breakdown goes item → content → standard, with source, share or unknown, and basis', async () => {
    const page = await render();
    await screen.findByTestId('score-tree');
    // Items open on their contents; a content opens on its standards.
    expect(rowTexts('score-tree')).toEqual([
      ['I5', '城市管理与市容秩序', '', '', '0.96 / 2.4', ''],
      ['I5.2', '公共厕所', '', '', '0.96 / 2.4', ''],
    ]);
    const content = screen.getByText('I5.2').closest('tr')!;
    await page.user.click(within(content).getByRole('button', { name: /展开行/ }));
    expect(rowTexts('score-tree').slice(2)).toEqual([
      [
        'I5.2.1',
        '公厕指示清晰',
        '实地测评实地考察',
        '80.0%',
        '0.96 / 1.2',
        '第一次模拟测评 8/10 个点位合格',
      ],
      ['I5.2.2', '公厕免费开放', '档案资料材料审核', '未知', '0 / 1.2', '档案未提交'],
    ]);
  });

  it('points at risk name the units; the negative list shows the hit and its deduction', async () => {
    await render();
    await screen.findByTestId('at-risk');
    expect(rowTexts('at-risk')).toEqual([
      ['I5.2.2', '公厕免费开放', '1.2未知', '档案资料', '市城市管理综合执法局'],
    ]);
    const hit = screen.getByText('发生重大安全生产事故').closest('tr')!;
    expect(hit).toHaveTextContent('2026-05-12');
    expect(hit).toHaveTextContent('扣 3 分');
    expect(screen.getByTestId('score-rules')).toHaveTextContent(
      '问卷计分：分档（A/B/C/C#）（A>75%得100%，B>70%得75%，C>50%得50%，C#得0%）',
    );
  });

  it('verdicts are called out in words, the score kept as computed; a deducting floor says how much', async () => {
    await render(
      projection({
        yearScore: {
          ...projection().yearScore,
          status: 'disqualified',
          verdicts: ['disqualified', 'vetoed'],
          floor: { below: ['satisfaction'], effect: 'veto', vetoed: true, deducted: 0 },
        },
        negativeEffects: [
          {
            hitId: 2,
            code: 'N4',
            text: '测评中发现弄虚作假',
            occurredOn: '2026-06-01',
            kinds: ['disqualify'],
            points: 0,
            zh: '2026-06-01 发生（2026 年测评日 2026-12-01）：取消资格',
            en: '2026-06-01: disqualified',
          },
        ],
      }),
    );
    expect(await screen.findByTestId('verdict-disqualified')).toHaveTextContent(
      '2026 年：取消资格（得分 77.5 照常列出）N4 测评中发现弄虚作假：2026-06-01 发生（2026 年测评日 2026-12-01）：取消资格',
    );
    expect(screen.getByTestId('verdict-vetoed')).toHaveTextContent(
      '问卷 满意度低于底线 80%，按规则一票否决，不论总分多少。',
    );
    // A veto is the verdict; no second, softer warning.
    expect(screen.queryByTestId('floor-warning')).toBeNull();
  });

  it('a deducting survey floor and the combined frameworks with their gate', async () => {
    await render(
      projection({
        yearScore: {
          ...projection().yearScore,
          floor: { below: ['satisfaction'], effect: 'deduct', vetoed: false, deducted: 2 },
        },
        combined: {
          year: 2026,
          total: 76.2,
          status: 'barred',
          gatesFailed: ['未成年人思想道德建设测评'],
          issues: [],
          parts: [
            {
              id: 1,
              name: '全国文明城市测评体系（地级市）',
              share: 80,
              gate: null,
              score: 77.5,
              points: 62,
              gatePassed: null,
              status: 'ok',
            },
            {
              id: 2,
              name: '未成年人思想道德建设测评',
              share: 20,
              gate: 85,
              score: 71,
              points: 14.2,
              gatePassed: false,
              status: 'ok',
            },
          ],
        },
      }),
    );
    expect(await screen.findByTestId('floor-warning')).toHaveTextContent('扣分（扣 2 分）');
    expect(screen.getByTestId('combined')).toHaveTextContent(
      '合并计分（2026）：76.2 分 · 不得申报',
    );
    expect(rowTexts('combined')).toEqual([
      ['全国文明城市测评体系（地级市）', '80%', '77.5', '62', '—', '正常'],
      ['未成年人思想道德建设测评', '20%', '71', '14.2', '≥ 85 · 未达到，不得申报', '正常'],
    ]);
  });

  it('choosing another year asks for that year of the same framework', async () => {
    const page = await render((req) => projection({ year: Number(req.query.year ?? 2026) }));
    await screen.findByTestId('cycle-total');
    await pickOption(page.user, screen.getByTestId('score-year'), '2027');
    await waitFor(() =>
      expect(page.api.callsTo('GET /api/scoring/projection').at(-1)!.query).toEqual({
        campaignId: '1',
        frameworkId: '1',
        year: '2027',
      }),
    );
    expect(await screen.findByText('负面清单（2027 年测评）')).toBeInTheDocument();
  });

  it('offers the city’s campaigns only: a 文明细胞 one, listed first, is neither chosen nor offered', async () => {
    const cells = campaign({
      id: 9,
      name: '示范市文明细胞测评',
      kind: 'cells',
      cycleStartYear: 2025,
    });
    const page = await renderPage(<ScorePage />, {
      user: 'leader',
      api: {
        'GET /api/campaigns': campaignsOfKind([cells, campaign()]),
        'GET /api/rounds': { items: [] },
        'GET /api/surveys': [],
        'GET /api/scoring/projection': projection(),
      },
    });
    expect(await screen.findByTestId('cycle-total')).toHaveTextContent('78.35');
    expect(page.api.callsTo('GET /api/campaigns')[0]!.query).toEqual({ kind: 'city' });
    expect(page.api.callsTo('GET /api/scoring/projection')[0]!.query.campaignId).toBe('1');
    const dropdown = await openSelect(page.user, screen.getByTestId('score-campaign'));
    expect(
      [...dropdown.querySelectorAll('.ant-select-item-option')].map((o) => o.textContent),
    ).toEqual(['示范市创建全国文明城市（2026—2028年）']);
  });

  it('a refusal is shown instead of a score', async () => {
    await render(
      apiError(404, 'not_found', { zh: '该创建周期没有现行测评体系', en: 'no framework in force' }),
    );
    expect(await screen.findByText('该创建周期没有现行测评体系')).toBeInTheDocument();
    expect(screen.queryByTestId('cycle-total')).toBeNull();
  });

  it('reads in English', async () => {
    await render(projection(), 'en');
    expect(await screen.findByText('Cycle total (projected)')).toBeInTheDocument();
    expect(
      screen.getByText('2026-05-12 (the 2026 test on 2026-12-01): −3 points'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('part-field')).toHaveTextContent('Field · 40%');
    expect(screen.getByText('Points at risk')).toBeInTheDocument();
  });
});
