import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TGrid, TGridDetail, TGridMember, TGridStats } from '../../../core/contracts/grids.js';
import { permissionsOf } from '../../../core/permissions.js';
import { openSelect, pickOption } from '../../test/antd.js';
import { apiError, type MockRequest } from '../../test/mock-api.js';
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

// A grid opened from the table: its statistics and people, and the people saved.

const SHAPE = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [120.1, 30.2] as [number, number],
      [120.2, 30.2] as [number, number],
      [120.2, 30.3] as [number, number],
      [120.1, 30.2] as [number, number],
    ],
  ],
};
const GRID: TGrid = {
  id: 4,
  code: '330102001001001',
  name: '湖滨一网格',
  regionId: 3,
  regionName: '湖滨社区',
  geometry: SHAPE,
  population: 1200,
  households: 400,
  active: true,
  leaderName: null,
  version: 2,
};
const STATS: TGridStats = {
  gridId: 4,
  open: 3,
  closed: 10,
  overdue: 1,
  total: 13,
  patrols: 5,
  lastPatrolAt: null,
  coverage: 0.42,
  windowDays: 7,
};
const member = (userId: number, name: string, role: TGridMember['role']): TGridMember => ({
  userId,
  name,
  username: `u${userId}`,
  role,
  note: role === 'building_lead' ? '3 号楼' : null,
});

/** A server keeping the grid's people as last sent. */
function gridServer() {
  let members = [member(11, '孙网格', 'worker'), member(13, '周楼长', 'building_lead')];
  const detail = (): TGridDetail => ({ grid: GRID, members, stats: STATS });
  return {
    'GET /api/grids': { items: [GRID] },
    'GET /api/grids/stats': { items: [STATS] },
    'GET /api/grids/:id': detail,
    'GET /api/grids/:id/problems': { items: [] },
    'GET /api/grids/:id/points': { items: [] },
    'GET /api/patrols': { items: [] },
    'GET /api/users': {
      items: [
        { id: 11, name: '孙网格', username: 'u11' },
        { id: 12, name: '钱网格', username: 'u12' },
      ],
    },
    'PUT /api/grids/:id/members': (req: MockRequest) => {
      const body = req.body as { members: { userId: number; role: TGridMember['role'] }[] };
      const names: Record<number, string> = { 11: '孙网格', 12: '钱网格', 13: '周楼长' };
      members = body.members.map((m) => member(m.userId, names[m.userId]!, m.role));
      return detail();
    },
  };
}

describe('GridsPage: a grid and its people', () => {
  it('opens a grid from the table with its statistics; its people saved are shown as read again', async () => {
    const page = await renderPage(<GridsPage />, { api: gridServer() });
    await page.user.click(await screen.findByText('湖滨一网格'));
    const drawer = await screen.findByTestId('grid-drawer');
    await waitFor(() => expect(within(drawer).getByTestId('grid-members')).toBeInTheDocument());
    expect(within(drawer).getByTestId('grid-members')).toHaveTextContent('网格员：孙网格');
    expect(page.api.callsTo('GET /api/patrols')[0]!.query).toEqual({ gridId: '4', limit: '10' });
    expect(within(drawer).getByTestId('grid-coverage')).toHaveTextContent('42%');

    await page.user.click(within(drawer).getByTestId('grid-edit-members'));
    const dialog = (await screen.findByText('配置人员：湖滨一网格')).closest<HTMLElement>(
      '.ant-modal',
    )!;
    await pickOption(page.user, within(dialog).getByTestId('grid-leader-select'), '钱网格（u12）');
    await page.user.click(within(dialog).getByRole('button', { name: /确\s?定/ }));

    await waitFor(() =>
      expect(within(drawer).getByTestId('grid-members')).toHaveTextContent('网格长：钱网格'),
    );
    // The leader, the workers but the leader, and the building leads kept with their notes.
    expect(page.api.lastBody('PUT /api/grids/:id/members')).toEqual({
      version: 2,
      members: [
        { userId: 12, role: 'leader' },
        { userId: 11, role: 'worker' },
        { userId: 13, note: '3 号楼', role: 'building_lead' },
      ],
    });
    expect(page.api.callsTo('GET /api/users')[0]!.query).toEqual({
      role: 'grid_worker',
      active: 'true',
      limit: '500',
    });
  });

  it('an import refused lists every bad feature; one accepted says what it did and reads the grids again', async () => {
    const page = await renderPage(<GridsPage />, {
      api: {
        ...gridServer(),
        'POST /api/grids/import': apiError(
          422,
          'import_rejected',
          { zh: '导入文件有 1 处错误', en: 'the file has 1 error' },
          { rows: [{ row: 2, column: 'code', reason: '网格编码应为 15 位数字 / 15 digits' }] },
        ),
      },
    });
    await screen.findByText('湖滨一网格');
    const input = () =>
      screen.getByTestId('grid-import').closest('.ant-upload')!.querySelector('input')!;
    await page.user.upload(input(), new File(['{}'], '网格.geojson'));
    const dialog = await screen.findByRole('dialog', { name: /导入失败/ });
    // The reason in the app's language, under the GeoJSON's own headings (要素, not 行).
    expect(within(dialog).getByText('网格编码应为 15 位数字')).toBeInTheDocument();
    expect(within(dialog).queryByText(/15 digits/)).toBeNull();
    expect(within(dialog).getByText('要素')).toBeInTheDocument();
    await page.user.keyboard('{Escape}');

    page.api.on({
      'POST /api/grids/import': { imported: 2, created: 1, updated: 1, reassigned: 7 },
    });
    const reads = page.api.callsTo('GET /api/grids').length;
    await page.user.upload(input(), new File(['{}'], '网格.geojson'));
    expect(await screen.findByText('已导入 2 个网格，7 个问题重新归属')).toBeInTheDocument();
    expect(page.api.callsTo('GET /api/grids').length).toBeGreaterThan(reads);
    expect((page.api.lastBody('POST /api/grids/import') as FormData).get('file')).toBeInstanceOf(
      File,
    );
  });
});
