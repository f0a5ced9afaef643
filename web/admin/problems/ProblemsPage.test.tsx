import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { pickOption, pickTreeNode } from '../../test/antd.js';
import { page as pageOf, problem } from '../../test/fixtures.js';
import type { MockRequest } from '../../test/mock-api.js';
import type { TSessionUser } from '../../../core/contracts/auth.js';
import { permissionsOf } from '../../../core/permissions.js';
import { asUser, renderPage, TEST_CSRF } from '../../test/render.js';
import { ProblemsPage } from './ProblemsPage.js';

const LEDGER = [
  problem({ id: 1, title: '解放路菜市场门口垃圾堆积' }),
  problem({ id: 2, title: '青年路占道经营', state: 'returned', version: 3 }),
  problem({ id: 3, title: '湖滨路垃圾桶破损', state: 'closed' }),
  problem({ id: 4, title: '湖滨路垃圾桶破损（热线重复）', state: 'merged', mergedIntoId: 3 }),
];

/** The query of the latest ledger request. */
const lastQuery = (calls: MockRequest[]) => calls[calls.length - 1]!.query;

const render = (user: 'office' | 'unit' | TSessionUser = 'office', extra = {}) =>
  renderPage(<ProblemsPage />, {
    user,
    route: '/problems',
    path: '/problems',
    api: { 'GET /api/problems': pageOf(LEDGER), ...extra },
  });

describe('ProblemsPage', () => {
  it('the office: the whole ledger, first page of 20', async () => {
    const page = await render();
    expect(await screen.findByText('WT2026000001')).toBeInTheDocument();
    expect(screen.getByText('问题台账')).toBeInTheDocument();
    expect(page.api.callsTo('GET /api/problems')[0]!.query).toEqual({ limit: '20' });
    expect(screen.getByText('共 4 条 · 第 1 页')).toBeInTheDocument();
    // Each row's state as a tag, merged duplicates under their own state.
    const state = (code: string) =>
      screen.getByText(code).closest('tr')!.querySelector('.ant-tag')!.textContent;
    expect(['WT2026000001', 'WT2026000002', 'WT2026000003', 'WT2026000004'].map(state)).toEqual([
      '待派遣',
      '已退回',
      '已销号',
      '已合并',
    ]);
  });

  it('a unit starts on its open work, most urgent first, without the unit filter', async () => {
    const page = await render('unit');
    await screen.findByText('WT2026000001');
    expect(screen.getByText('我的问题')).toBeInTheDocument();
    expect(page.api.callsTo('GET /api/problems')[0]!.query).toEqual({
      state: 'dispatched,submitted',
      sort: 'deadline',
      order: 'asc',
      limit: '20',
    });
    expect(screen.queryByText('责任单位', { selector: '.ant-select-placeholder' })).toBeNull();
    // No bulk dispatch for a unit, and no selection column.
    expect(screen.queryByTestId('bulk-dispatch')).toBeNull();
    expect(document.querySelector('.ant-table-selection-column')).toBeNull();
  });

  it('the filters build the query string of the list and of the export', async () => {
    const page = await render();
    await screen.findByText('WT2026000001');
    const calls = () => page.api.callsTo('GET /api/problems');

    const search = within(screen.getByTestId('problem-search')).getByRole('searchbox');
    await page.user.type(search, 'WT2026{Enter}');
    await waitFor(() => expect(lastQuery(calls())).toEqual({ q: 'WT2026', limit: '20' }));

    await pickOption(page.user, screen.getByTestId('filter-state'), '整改中');
    await pickOption(page.user, screen.getByTestId('filter-state'), '已退回');
    await waitFor(() =>
      expect(lastQuery(calls())).toEqual({
        q: 'WT2026',
        state: 'dispatched,returned',
        limit: '20',
      }),
    );

    await pickTreeNode(page.user, screen.getByText('问题类别').closest('.ant-select')!, '垃圾堆积');
    await waitFor(() => expect(lastQuery(calls()).categoryId).toBe('11'));

    await page.user.click(screen.getByRole('columnheader', { name: /整改期限/ }));
    await waitFor(() =>
      expect(lastQuery(calls())).toMatchObject({ sort: 'deadline', order: 'asc' }),
    );

    // The export takes the same filters, without the table's sort.
    const href = screen.getByTestId('export').getAttribute('href')!;
    const exported = new URL(href, 'http://localhost');
    expect(exported.pathname).toBe('/api/problems/export.xlsx');
    expect(Object.fromEntries(exported.searchParams)).toEqual({
      q: 'WT2026',
      state: 'dispatched,returned',
      categoryId: '11',
    });
  });

  it('未定位: the chip asks for the problems without a region, list and export alike', async () => {
    const page = await render();
    await screen.findByText('WT2026000001');
    const calls = () => page.api.callsTo('GET /api/problems');
    const chip = screen.getByTestId('filter-unlocated');
    expect(chip).toHaveTextContent('未定位');
    await page.user.click(chip);
    await waitFor(() => expect(lastQuery(calls())).toEqual({ located: 'none', limit: '20' }));
    const href = new URL(screen.getByTestId('export').getAttribute('href')!, 'http://localhost');
    expect(href.searchParams.get('located')).toBe('none');
    const asked = calls().length;
    await page.user.click(chip);
    // Back to the whole ledger: the export drops the filter, and the list's answer of a moment
    // ago is still fresh in the cache (web/shared/api-query.ts), so it is not asked again.
    await waitFor(() =>
      expect(
        new URL(screen.getByTestId('export').getAttribute('href')!, 'http://localhost').search,
      ).not.toContain('located'),
    );
    expect(calls()).toHaveLength(asked);
    expect(await screen.findByText('WT2026000001')).toBeInTheDocument();
  });

  it('a unit has no 未定位 chip and no 交办 filter', async () => {
    await render('unit');
    await screen.findByText('WT2026000001');
    expect(screen.queryByTestId('filter-unlocated')).toBeNull();
    expect(screen.queryByTestId('filter-hand-down')).toBeNull();
  });

  it('a district office has no 未定位 chip (its unplaced problems are its own), but the 交办 filter', async () => {
    const districtOffice = asUser('office', {
      regionId: 2,
      regionName: '湖滨区',
      regionLevel: 'district',
      permissions: [...permissionsOf(['office'], true)],
    });
    await render(districtOffice);
    await screen.findByText('WT2026000001');
    expect(screen.queryByTestId('filter-unlocated')).toBeNull();
    expect(screen.getByTestId('filter-hand-down')).toBeInTheDocument();
  });

  it('交办: the office lists what waits for the office below, or is past its 时限', async () => {
    const page = await render();
    await screen.findByText('WT2026000001');
    const calls = () => page.api.callsTo('GET /api/problems');
    await pickOption(page.user, screen.getByTestId('filter-hand-down'), '交办逾期');
    await waitFor(() => expect(lastQuery(calls())).toEqual({ handDown: 'overdue', limit: '20' }));
    const href = new URL(screen.getByTestId('export').getAttribute('href')!, 'http://localhost');
    expect(href.searchParams.get('handDown')).toBe('overdue');
    await pickOption(page.user, screen.getByTestId('filter-hand-down'), '待下级派遣');
    await waitFor(() => expect(lastQuery(calls())).toEqual({ handDown: 'waiting', limit: '20' }));
  });

  it('pages forward with the cursor the server gave, and back', async () => {
    const page = await render('office', {
      'GET /api/problems': (req: MockRequest) =>
        req.query.cursor === 'c2'
          ? pageOf([problem({ id: 21, title: '第二页的问题' })], { total: 21 })
          : pageOf(LEDGER, { nextCursor: 'c2', total: 21 }),
    });
    await screen.findByText('WT2026000001');
    await page.user.click(screen.getByTestId('next-page'));
    expect(await screen.findByText('第二页的问题')).toBeInTheDocument();
    expect(screen.getByText('共 21 条 · 第 2 页')).toBeInTheDocument();
    expect(lastQuery(page.api.callsTo('GET /api/problems'))).toEqual({
      cursor: 'c2',
      limit: '20',
    });
    await page.user.click(screen.getByText('上一页'));
    expect(await screen.findByText('WT2026000001')).toBeInTheDocument();
  });

  it('bulk dispatch: only registered or returned rows, a unit is required, the body names each version', async () => {
    const page = await render('office', {
      'POST /api/problems/bulk-dispatch': {
        results: [
          { id: 1, ok: true },
          { id: 2, ok: false, message: '问题已被他人更新' },
        ],
      },
    });
    await screen.findByText('WT2026000001');
    const bulk = screen.getByTestId('bulk-dispatch');
    expect(bulk).toBeDisabled();
    expect(bulk).toHaveTextContent('批量派遣（0）');

    const rowOf = (code: string) => screen.getByText(code).closest('tr')!;
    const box = (code: string) => within(rowOf(code)).getByRole('checkbox');
    expect(box('WT2026000003')).toBeDisabled(); // closed
    expect(box('WT2026000004')).toBeDisabled(); // merged
    await page.user.click(box('WT2026000001'));
    await page.user.click(box('WT2026000002'));
    expect(bulk).toHaveTextContent('批量派遣（2）');
    await page.user.click(bulk);

    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('批量派遣 2 个问题')).toBeInTheDocument();
    const ok = within(dialog).getByRole('button', { name: /确\s?定/ });
    expect(ok).toBeDisabled();
    await pickOption(page.user, within(dialog).getByText('责任单位'), '市交通运输局');
    await waitFor(() => expect(ok).toBeEnabled());
    await page.user.click(ok);

    await waitFor(() =>
      expect(page.api.callsTo('POST /api/problems/bulk-dispatch')).toHaveLength(1),
    );
    const sent = page.api.callsTo('POST /api/problems/bulk-dispatch')[0]!;
    expect(sent.body).toEqual({
      unitId: 8,
      items: [
        { id: 1, version: 1 },
        { id: 2, version: 3 },
      ],
    });
    expect(sent.headers['x-csrf-token']).toBe(TEST_CSRF);
    // One was refused: the warning names it with the server's reason.
    const warning = await waitFor(() => document.querySelector<HTMLElement>('.ant-modal-confirm')!);
    expect(warning).toHaveTextContent('1 个问题未能派遣');
    expect(warning).toHaveTextContent('WT2026000002: 问题已被他人更新');
  });

  it('a row opens the problem', async () => {
    const page = await render();
    await page.user.click(await screen.findByText('青年路占道经营'));
    expect(page.location()).toBe('/problems/2');
  });
});
