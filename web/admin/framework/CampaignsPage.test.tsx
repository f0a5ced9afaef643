import { DEFAULT_SURVEY_BANDS } from '../../../core/scoring/rules.js';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { campaign, framework } from '../../test/fixtures.js';
import { byId, renderPage, TEST_CSRF, type RenderedPage } from '../../test/render.js';
import { CampaignsPage } from './CampaignsPage.js';

const render = (user: 'office' | 'leader' = 'office') =>
  renderPage(<CampaignsPage />, {
    user,
    api: {
      'GET /api/campaigns': { items: [campaign()] },
      'POST /api/campaigns': campaign({ id: 2 }),
      'PATCH /api/campaigns/:id': campaign(),
      'PATCH /api/frameworks/:id': framework(),
    },
  });

/** Replaces a number field's value, as a person selects it and types over it. */
async function setNumber(page: RenderedPage, id: string, value: number) {
  await page.user.clear(byId(id));
  await page.user.type(byId(id), String(value));
}

const weightIssues = () => screen.queryAllByTestId('weight-issue').map((e) => e.textContent);

describe('CampaignsPage', () => {
  it('lists the cycle, the weights and the survey floor of each campaign', async () => {
    await render();
    const row = (await screen.findByText('示范市创建全国文明城市（2026—2028年）')).closest('tr')!;
    const cells = within(row)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells).toEqual([
      '示范市创建全国文明城市（2026—2028年）',
      '城市测评',
      '2026–2028',
      '15% / 25% / 60%',
      '40% / 40% / 20%',
      '80% · 仅标注',
      '全国文明城市测评体系（地级市）计分规则',
      '设置',
    ]);
  });

  it('a leader reads without the new and settings buttons', async () => {
    await render('leader');
    await screen.findByText('2026–2028');
    expect(screen.queryByTestId('campaign-new')).toBeNull();
    expect(screen.queryByText('设置')).toBeNull();
  });

  it('year weights that do not add up to 100% are shown and block saving; fixed, the campaign is posted', async () => {
    const page = await render();
    await screen.findByText('2026–2028');
    await page.user.click(screen.getByTestId('campaign-new'));
    await page.user.type(byId('campaign-name'), 'E2E 创建周期（2027—2029年）');
    await setNumber(page, 'campaign-start', 2027);
    await setNumber(page, 'campaign-year-2', 50);

    await waitFor(() => expect(weightIssues()).toEqual(['年度权重之和应为 100%（当前 90%）']));
    // The year labels follow the first year.
    expect(screen.getByText('2029', { selector: 'label' })).toBeInTheDocument();
    expect(byId('campaign-save')).toBeDisabled();

    await setNumber(page, 'campaign-year-2', 60);
    await waitFor(() => expect(weightIssues()).toEqual([]));
    expect(byId('campaign-save')).toBeEnabled();
    await page.user.click(byId('campaign-save'));

    await waitFor(() => expect(page.api.callsTo('POST /api/campaigns')).toHaveLength(1));
    const sent = page.api.callsTo('POST /api/campaigns')[0]!;
    expect(sent.body).toEqual({
      name: 'E2E 创建周期（2027—2029年）',
      cycleStartYear: 2027,
      cycleYears: 3,
      cycleWeights: [15, 25, 60],
      methodWeights: { material: 40, field: 40, survey: 20 },
      // A new campaign: 否决 under the floor, rates graded in bands (BRIEF §1.1), the 地级 preset.
      surveyFloor: { enabled: true, minRate: 80, effect: 'veto', points: 0 },
      surveyCurve: { kind: 'bands', bands: DEFAULT_SURVEY_BANDS },
      cyclePreset: 'prefecture',
      applicationDate: null,
      kind: 'city',
    });
    expect(sent.headers['x-csrf-token']).toBe(TEST_CSRF);
    expect(await screen.findByText('已保存')).toBeInTheDocument();
    // The list is read again after the save.
    expect(page.api.callsTo('GET /api/campaigns')).toHaveLength(2);
  });

  it('lists both kinds with their tag; a 文明细胞 campaign is created as such, its kind then fixed', async () => {
    const cells = campaign({ id: 2, name: '示范市文明细胞测评', kind: 'cells', frameworks: [] });
    const page = await renderPage(<CampaignsPage />, {
      user: 'office',
      api: {
        'GET /api/campaigns': { items: [campaign(), cells] },
        'POST /api/campaigns': cells,
        'PATCH /api/campaigns/:id': cells,
      },
    });
    const row = (await screen.findByText('示范市文明细胞测评')).closest('tr')!;
    expect(within(row).getByTestId('campaign-kind-cells')).toHaveTextContent('文明细胞');
    // The editor reads every campaign, of both kinds.
    expect(page.api.callsTo('GET /api/campaigns')[0]!.query).toEqual({});

    await page.user.click(screen.getByTestId('campaign-new'));
    await page.user.type(byId('campaign-name'), '示范市文明单位测评（2027年）');
    await page.user.click(screen.getByRole('radio', { name: '文明细胞' }));
    await page.user.click(byId('campaign-save'));
    await waitFor(() => expect(page.api.callsTo('POST /api/campaigns')).toHaveLength(1));
    expect(page.api.lastBody('POST /api/campaigns')).toMatchObject({
      name: '示范市文明单位测评（2027年）',
      kind: 'cells',
    });

    // Settings show the kind but cannot change it, nor send it.
    await page.user.click(await screen.findByTestId('campaign-edit-2'));
    expect(screen.getByRole('radio', { name: '文明细胞' })).toBeChecked();
    expect(screen.getByRole('radio', { name: '城市测评' })).toBeDisabled();
    await page.user.click(byId('campaign-save'));
    await waitFor(() => expect(page.api.callsTo('PATCH /api/campaigns/:id')).toHaveLength(1));
    expect(page.api.lastBody('PATCH /api/campaigns/:id')).not.toHaveProperty('kind');
  });

  it('method weights off 100% are shown too', async () => {
    const page = await render();
    await screen.findByText('2026–2028');
    await page.user.click(screen.getByTestId('campaign-new'));
    await setNumber(page, 'campaign-survey', 30);
    await waitFor(() =>
      expect(weightIssues()).toEqual(['材料、实地、问卷三部分权重之和应为 100%（当前 110%）']),
    );
    expect(byId('campaign-save')).toBeDisabled();
  });

  it('settings edit the campaign with the version it was read at', async () => {
    const page = await render();
    await page.user.click(await screen.findByTestId('campaign-edit-1'));
    expect(byId('campaign-name')).toHaveValue('示范市创建全国文明城市（2026—2028年）');
    expect(byId('campaign-year-0')).toHaveValue('15');
    await setNumber(page, 'campaign-year-0', 20);
    await setNumber(page, 'campaign-year-2', 55);
    await page.user.click(byId('campaign-save'));
    await waitFor(() => expect(page.api.callsTo('PATCH /api/campaigns/:id')).toHaveLength(1));
    const sent = page.api.callsTo('PATCH /api/campaigns/:id')[0]!;
    expect(sent.path).toBe('/api/campaigns/1');
    expect(sent.body).toMatchObject({ cycleWeights: [20, 25, 55], version: 1 });
  });

  it('a framework’s own rules: the minors’ test as 20 % of the total with a gate of 85 (BRIEF §1.1)', async () => {
    const page = await render();
    await page.user.click(await screen.findByTestId('framework-rules-1'));
    await screen.findByTestId('framework-rules-form');
    await setNumber(page, 'framework-rules-share', 20);
    await setNumber(page, 'framework-rules-gate', 85);
    // Its own year weights: a 3-year cycle needs three.
    await page.user.click(screen.getByLabelText('年度权重'));
    await setNumber(page, 'campaign-year-2', 50);
    expect(await screen.findByText('年度权重之和应为 100%（当前 90%）')).toBeInTheDocument();
    expect(byId('framework-rules-save')).toBeDisabled();
    await page.user.click(screen.getByLabelText('年度权重'));
    await waitFor(() => expect(byId('framework-rules-save')).toBeEnabled());
    await page.user.click(byId('framework-rules-save'));
    await waitFor(() => expect(page.api.callsTo('PATCH /api/frameworks/:id')).toHaveLength(1));
    expect(page.api.callsTo('PATCH /api/frameworks/:id')[0]!.body).toEqual({
      rules: { share: 20, gate: 85 },
      version: 1,
    });
  });
});
