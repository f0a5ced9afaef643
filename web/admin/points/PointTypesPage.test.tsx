import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TPointType, TPointTypePatch } from '../../../core/contracts/inspections.js';
import { fill, pickOption } from '../../test/antd.js';
import { renderPage } from '../../test/render.js';
import { PointTypesPage } from './PointTypesPage.js';

// The checklist editor: a count rule (BRIEF §2.2: 主干道 walk 300 m and see 5 ads; 亮灯率 95 %),
// the severity of an item and 随机查看 on a type (seed 001).

const P02: TPointType = {
  id: 2,
  code: 'P02',
  name: '背街小巷',
  sampling: 'random',
  defaultDrawCount: 3,
  route: '步行200米',
  randomCheck: true,
  checklist: [
    {
      text: '路灯完好',
      guidance: null,
      countRule: null,
      quantity: null,
      serious: false,
      severeCapable: false,
      standards: [],
    },
    {
      text: '无露天垃圾堆放',
      guidance: null,
      countRule: null,
      quantity: null,
      serious: true,
      severeCapable: false,
      standards: [],
    },
  ],
  version: 4,
  points: 6,
  visits: 0,
  awaiting: 0,
  activeRounds: 0,
};

const PATCH = 'PATCH /api/point-types/:id';

describe('PointTypesPage', () => {
  it('gives an item a rate rule and makes another severe-capable; 随机查看 shows and saves', async () => {
    const page = await renderPage(<PointTypesPage />, {
      api: {
        'GET /api/point-types': { items: [P02] },
        'GET /api/campaigns': { items: [] },
        [PATCH]: P02,
      },
    });
    expect(await screen.findByTestId('pt-P02-random-check')).toHaveTextContent('随机查看');
    await page.user.click(screen.getByTestId('pt-edit-P02'));
    const drawer = await screen.findByTestId('pt-drawer');
    await waitFor(() =>
      expect(within(drawer).getByTestId('pt-random-check')).toHaveAttribute('aria-checked', 'true'),
    );
    await pickOption(page.user, within(drawer).getByTestId('pt-item-0-quantity'), '比例不低于');
    const item0 = within(drawer).getByTestId('pt-item-0');
    await fill(page.user, within(item0).getByPlaceholderText('亮灯'), '亮灯');
    await fill(page.user, within(item0).getByPlaceholderText('路灯'), '路灯');
    const percent = within(item0).getAllByRole('spinbutton').at(-1)!;
    await fill(page.user, percent, '95');
    await fill(
      page.user,
      within(item0).getByPlaceholderText('如：步行300米'),
      '步行200米，逐盏计数',
    );
    await pickOption(page.user, within(drawer).getByTestId('pt-item-1-severity'), '可判严重不合格');
    await page.user.click(screen.getByTestId('pt-save'));
    await waitFor(() => expect(page.api.callsTo(PATCH)).toHaveLength(1));
    const body = page.api.lastBody(PATCH) as TPointTypePatch;
    expect(body.randomCheck).toBe(true);
    expect(body.checklist![0]).toMatchObject({
      text: '路灯完好',
      countRule: '步行200米，逐盏计数',
      quantity: { kind: 'ratio', minPercent: 95, counted: '亮灯', of: '路灯' },
      serious: false,
      severeCapable: false,
    });
    expect(body.checklist![1]).toMatchObject({ serious: false, severeCapable: true });
  });
});
