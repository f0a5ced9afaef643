import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TOutreachPairing } from '../../../core/contracts/outreach.js';
import { permissionsOf } from '../../../core/permissions.js';
import { modalButton, openSelect, pickOption } from '../../test/antd.js';
import { unit } from '../../test/fixtures.js';
import type { MockRequest } from '../../test/mock-api.js';
import { asUser, byId, renderPage } from '../../test/render.js';
import { OutreachPage } from './OutreachPage.js';

const PAIRING: TOutreachPairing = {
  id: 1,
  unitId: 9,
  unitName: '湖滨街道办',
  regionId: 3,
  regionName: '湖滨社区',
  building: '3幢',
  leaderId: null,
  targetHouseholds: 12,
  visitedHouseholds: 4,
  coverage: 1 / 3,
  active: true,
  version: 3,
};

/** 湖滨区创建办: the office held at district 湖滨区 (2), with the permissions it keeps there. */
const districtOffice = asUser('office', {
  regionId: 2,
  regionName: '湖滨区',
  regionLevel: 'district',
  permissions: [...permissionsOf(['office'], true)],
});

const render = (user = districtOffice) =>
  renderPage(<OutreachPage />, {
    user,
    api: {
      'GET /api/outreach/coverage': [],
      'GET /api/outreach/pairings': [PAIRING],
      'GET /api/outreach/visits': [],
      'GET /api/units': { items: [unit({ id: 9, name: '湖滨街道办', regionId: 2 })] },
      'POST /api/outreach/pairings': { id: 2 },
      'PATCH /api/outreach/pairings/:id': (req: MockRequest) => ({
        ...PAIRING,
        ...(req.body as object),
        version: 4,
      }),
    },
  });

/** The region titles a TreeSelect offers (branches opened). */
async function regionTitles(page: Awaited<ReturnType<typeof render>>, id: string) {
  const dropdown = await openSelect(page.user, byId(id));
  for (let i = 0; i < 10; i++) {
    const closed = dropdown.querySelector<HTMLElement>('.ant-select-tree-switcher_close');
    if (!closed) break;
    await page.user.click(closed);
  }
  return [...dropdown.querySelectorAll('.ant-select-tree-node-content-wrapper')].map((n) =>
    n.getAttribute('title'),
  );
}

describe('OutreachPage: 包联 by level', () => {
  it('a district office sees its pairings and pairs its own unit with its own community', async () => {
    const page = await render();
    expect(await screen.findByText('湖滨街道办')).toBeInTheDocument();
    await page.user.click(screen.getByTestId('pairing-new'));
    // Its subtree only: the city is not offered.
    expect(await regionTitles(page, 'pairing-region')).toEqual(['湖滨区', '湖滨社区']);
    await page.user.click(
      document.querySelector<HTMLElement>(
        '.ant-select-tree-node-content-wrapper[title="湖滨社区"]',
      )!,
    );
    await pickOption(page.user, byId('pairing-unit'), '湖滨街道办');
    await page.user.type(byId('pairing-target'), '20');
    await page.user.click(modalButton('确定'));
    await waitFor(() => expect(page.api.callsTo('POST /api/outreach/pairings')).toHaveLength(1));
    expect(page.api.lastBody('POST /api/outreach/pairings')).toMatchObject({
      unitId: 9,
      regionId: 3,
      targetHouseholds: 20,
    });
  });

  it('the city office is offered every community', async () => {
    const page = await render(asUser('office'));
    await page.user.click(await screen.findByTestId('pairing-new'));
    expect(await regionTitles(page, 'pairing-region')).toEqual(['示范市', '湖滨区', '湖滨社区']);
  });

  it('a district leader (no unit.write there) has no pairing button', async () => {
    await render(
      asUser('leader', {
        regionId: 2,
        regionName: '湖滨区',
        regionLevel: 'district',
        permissions: [...permissionsOf(['leader'], true)],
      }),
    );
    await screen.findByTestId('coverage');
    expect(screen.queryByTestId('pairing-new')).toBeNull();
  });
});

describe('OutreachPage: editing a pairing', () => {
  it('changes the households owed and ends a pairing at the version shown', async () => {
    const page = await render();
    expect(await screen.findByText('进行中')).toBeInTheDocument();
    await page.user.click(screen.getByTestId('pairing-target-1'));
    const input = byId('pairing-retarget');
    await page.user.clear(input);
    await page.user.type(input, '30');
    await page.user.click(modalButton('确定'));
    await waitFor(() =>
      expect(page.api.lastBody('PATCH /api/outreach/pairings/:id')).toEqual({
        version: 3,
        targetHouseholds: 30,
      }),
    );
    await page.user.click(screen.getByTestId('pairing-active-1'));
    await page.user.click(await screen.findByRole('button', { name: /确\s?定|OK/ }));
    await waitFor(() =>
      expect(page.api.lastBody('PATCH /api/outreach/pairings/:id')).toEqual({
        version: 3,
        active: false,
      }),
    );
    expect(page.api.callsTo('PATCH /api/outreach/pairings/:id')[0]!.path).toBe(
      '/api/outreach/pairings/1',
    );
  });
});
