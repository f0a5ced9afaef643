import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TQuota, TQuotaBoard, TRound, TSurvey } from '../../../core/contracts/surveys.js';
import { permissionsOf } from '../../../core/permissions.js';
import { chosen, openSelect, pickOption } from '../../test/antd.js';
import { asUser, renderPage } from '../../test/render.js';
import { SurveyQuotaBoardPage } from './SurveyQuotaBoardPage.js';

// 配额看板 with the two collection modes: household quotas per community and a street-interview
// quota (随机街访; Jinan 2016: 80 street + 220 households, BRIEF §3), each with its own progress.

const SURVEY: TSurvey = { id: 1, name: '示范市入户问卷调查', campaignId: 1, questionnaires: [] };
const ROUND: TRound = {
  id: 5,
  surveyId: 1,
  name: '第二次模拟测评',
  startsOn: '2026-11-20',
  endsOn: '2026-12-10',
  status: 'open',
  dontKnowValid: false,
  floorPercent: 80,
  minGuidesPerCommunity: 2,
  version: 1,
};
const quota = (over: Partial<TQuota>): TQuota => ({
  id: 1,
  roundId: 5,
  regionId: 3,
  regionName: '湖滨社区',
  group: 'A',
  mode: 'household',
  target: 220,
  population: 1200,
  centerLat: null,
  centerLng: null,
  radiusM: 2000,
  publicToken: 'tok-household',
  done: 200,
  guides: [],
  version: 1,
  ...over,
});
const BOARD: TQuotaBoard = {
  round: ROUND,
  quotas: [
    quota({}),
    quota({
      id: 2,
      regionId: 1,
      regionName: '示范市',
      mode: 'street',
      target: 80,
      population: null,
      publicToken: 'tok-street',
      done: 35,
    }),
  ],
  roster: [{ regionId: 3, regionName: '湖滨社区', guides: 0, minimum: 2, shortfall: 2 }],
  target: 300,
  done: 235,
  byMode: [
    { mode: 'household', target: 220, done: 200 },
    { mode: 'street', target: 80, done: 35 },
  ],
};

async function render() {
  const page = await renderPage(<SurveyQuotaBoardPage />, {
    api: {
      'GET /api/surveys': [SURVEY],
      'GET /api/survey-guides': [],
      'GET /api/surveys/:id/rounds': [ROUND],
      'GET /api/survey-rounds/:id/board': BOARD,
      'POST /api/survey-rounds/:id/quotas': { created: 1, skipped: 0 },
    },
  });
  await screen.findByTestId('mode-progress-street');
  return page;
}

describe('SurveyQuotaBoardPage', () => {
  it('shows the progress of each mode and the mode of each quota', async () => {
    await render();
    expect(screen.getByTestId('mode-progress-household')).toHaveTextContent('入户 完成 / 目标');
    expect(screen.getByTestId('mode-progress-household')).toHaveTextContent('200 / 220');
    expect(screen.getByTestId('mode-progress-street')).toHaveTextContent('35 / 80');
    const street = screen.getByText('示范市').closest('tr')!;
    expect(within(street).getByText('街访')).toBeInTheDocument();
    expect(within(street).getByTestId('quota-progress-示范市')).toHaveTextContent('35/80');
  });

  it('a street-interview quota may be set on any region; its mode is sent', async () => {
    const page = await render();
    await page.user.click(screen.getByText('设置配额'));
    const dialog = await screen.findByRole('dialog');
    const regions = within(dialog).getByTestId('quota-regions');
    const offered = async () => {
      const dropdown = await openSelect(page.user, regions);
      const labels = [...dropdown.querySelectorAll('.ant-select-item-option')].map(
        (o) => o.textContent,
      );
      await page.user.keyboard('{Escape}');
      return labels;
    };
    // Households: communities only.
    expect(await offered()).toEqual(['湖滨社区']);
    await pickOption(page.user, regions, '湖滨社区');
    await page.user.keyboard('{Escape}');
    expect(within(dialog).getByText('湖滨社区')).toBeInTheDocument();
    await page.user.click(within(dialog).getByText('街访'));
    // The mode changed: the community picked for households is cleared, any region is offered.
    await waitFor(() => expect(within(dialog).queryByText('湖滨社区')).toBeNull());
    expect(await offered()).toEqual(['示范市（市）', '湖滨区（区县）', '湖滨社区（社区/村）']);
    expect(within(dialog).getByText('每区域份数')).toBeInTheDocument();
    await pickOption(page.user, regions, '示范市（市）');
    await page.user.keyboard('{Escape}');
    await page.user.click(within(dialog).getByRole('button', { name: /确\s?定/ }));
    await waitFor(() =>
      expect(page.api.callsTo('POST /api/survey-rounds/:id/quotas')).toHaveLength(1),
    );
    expect(page.api.lastBody('POST /api/survey-rounds/:id/quotas')).toMatchObject({
      regionIds: [1],
      group: 'A',
      mode: 'street',
      target: 20,
    });
  });

  it('a district office: its own quotas, its own guides to name, no city-only buttons', async () => {
    const districtOffice = asUser('office', {
      regionId: 5,
      regionName: '湖滨区',
      regionLevel: 'district',
      permissions: [...permissionsOf(['office'], true)],
    });
    // The server confines the board to the district's quotas; the city placed 市级调查员 on one.
    const board: TQuotaBoard = {
      ...BOARD,
      quotas: [quota({ guides: [{ id: 40, name: '市级调查员', done: 3 }] })],
      target: 220,
      done: 200,
      byMode: [{ mode: 'household', target: 220, done: 200 }],
    };
    const page = await renderPage(<SurveyQuotaBoardPage />, {
      user: districtOffice,
      api: {
        'GET /api/surveys': [SURVEY],
        'GET /api/survey-guides': [{ id: 41, name: '湖滨调查员', username: 'hb1' }],
        'GET /api/surveys/:id/rounds': [ROUND],
        'GET /api/survey-rounds/:id/board': board,
        'PUT /api/survey-quotas/:id/guides': null,
      },
    });
    await screen.findByTestId('mode-progress-household');
    expect(screen.getByTestId('quota-progress-湖滨社区')).toHaveTextContent('200/220');
    // The round and its quotas are the city's to plan.
    expect(screen.queryByTestId('round-settings')).toBeNull();
    expect(screen.queryByText('设置配额')).toBeNull();
    expect(screen.queryByTestId('quota-edit-湖滨社区')).toBeNull();
    // Its own guide is offered beside the city's, who stays (not removable here).
    const guides = screen.getByTestId('quota-guides-湖滨社区');
    await waitFor(() => expect(chosen(guides)).toEqual(['市级调查员']));
    expect(
      guides.closest('.ant-select')!.querySelector('.ant-select-selection-item-remove'),
    ).toBeNull();
    await pickOption(page.user, guides, '湖滨调查员');
    await waitFor(() =>
      expect(page.api.callsTo('PUT /api/survey-quotas/:id/guides')).toHaveLength(1),
    );
    expect(page.api.lastBody('PUT /api/survey-quotas/:id/guides')).toEqual({
      guideIds: [40, 41],
      version: 1,
    });
  });
});
