import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { permissionsOf } from '../../../core/permissions.js';
import { openSelect } from '../../test/antd.js';
import { asUser, byId, renderPage, type RenderPageOptions } from '../../test/render.js';
import { GridsPage } from './GridsPage.js';

// 网格 by level: the draw dialog offers the communities of the office's own subtree (the regions
// list is reference data read whole; the fixtures are 示范市 (1) → 湖滨区 (2) → 湖滨社区 (3)).

const placed = (regionId: number, regionName: string) =>
  asUser('office', {
    regionId,
    regionName,
    regionLevel: 'district',
    permissions: [...permissionsOf(['office'], true)],
  });

const render = (user: RenderPageOptions['user']) =>
  renderPage(<GridsPage />, {
    user,
    api: {
      'GET /api/grids': { items: [] },
      'GET /api/grids/stats': { items: [] },
      'GET /api/settings/public': { mapTileUrl: null, mapAttribution: '', mapCoords: 'wgs84' },
    },
  });

/** The community names the draw dialog's region drop-down offers. */
async function communities(user: RenderPageOptions['user'], expectSome: boolean) {
  const page = await render(user);
  await page.user.click(await screen.findByRole('button', { name: /绘制网格/ }));
  const dropdown = await openSelect(page.user, byId('grid-region'));
  return waitFor(() => {
    const found = [...dropdown.querySelectorAll<HTMLElement>('.ant-select-item-option')];
    if (expectSome && found.length === 0) throw new Error('no options yet');
    if (!expectSome && !dropdown.querySelector('.ant-empty, .ant-select-item-empty')) {
      throw new Error('not settled yet');
    }
    return found.map((o) => o.textContent);
  });
}

describe('GridsPage: drawing a grid by level', () => {
  it('the city office may place a grid in any community', async () => {
    expect(await communities('office', true)).toEqual(['湖滨社区']);
  });

  it("a district office is offered its own district's communities", async () => {
    expect(await communities(placed(2, '湖滨区'), true)).toEqual(['湖滨社区']);
  });

  it("an office held at another district is offered none of 湖滨区's", async () => {
    expect(await communities(placed(4, '西湖区'), false)).toEqual([]);
  });
});
