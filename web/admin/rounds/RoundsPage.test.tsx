import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TSessionUser } from '../../../core/contracts/auth.js';
import type { TRound } from '../../../core/contracts/inspections.js';
import { permissionsOf } from '../../../core/permissions.js';
import { inspectionRound } from '../../test/fixtures.js';
import { pickOption } from '../../test/antd.js';
import { asUser, byId, renderPage } from '../../test/render.js';
import { RoundsPage } from './RoundsPage.js';

const POINT_TYPES = [
  { code: 'P02', name: '背街小巷', sampling: 'random', defaultDrawCount: 3, points: 12 },
  { code: 'P03', name: '农贸市场', sampling: 'mandatory', defaultDrawCount: 0, points: 4 },
  { code: 'P09', name: '公共厕所', sampling: 'random', defaultDrawCount: 3, points: 10 },
  // A 随机查看 kind with no declared point yet: nothing to draw from.
  { code: 'P14', name: '娱乐场所', sampling: 'random', defaultDrawCount: 3, points: 0 },
];

const committed = inspectionRound({
  state: 'committed',
  stateLabel: { zh: '已公布承诺值', en: 'committed' },
  commitment: 'a'.repeat(64),
  fingerprint: 'b'.repeat(64),
  frozenList: [
    { id: 1, type: 'P03' },
    { id: 2, type: 'P03' },
    { id: 3, type: 'P02' },
    { id: 4, type: 'P02' },
    { id: 9, type: 'P02' },
  ],
});

const render = (rounds: TRound[], user?: TSessionUser) =>
  renderPage(<RoundsPage />, {
    ...(user ? { user } : {}),
    api: {
      'GET /api/rounds': { items: rounds },
      'GET /api/point-types': { items: POINT_TYPES },
      'GET /api/users': { items: [{ id: 5, name: '钱测评' }] },
      'POST /api/rounds/:id/draw': { ...committed, state: 'drawn' },
      'POST /api/rounds': inspectionRound({ id: 2 }),
    },
  });

/** The open confirmation dialog. */
const dialog = () => screen.findByRole('dialog');

describe('RoundsPage: the draw', () => {
  it('asks before the irreversible draw, saying what it will draw per type', async () => {
    const page = await render([committed]);
    await page.user.click(await screen.findByTestId('round-step-1'));
    const d = await dialog();
    expect(d).toHaveTextContent('确认对“十一月模拟测评”抽签？');
    expect(
      within(d)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['农贸市场（P03）：必查，全部 2 个', '背街小巷（P02）：随机抽取 2 个（可抽 3 个）']);
    expect(d).toHaveTextContent('共 4 个');
    expect(d).toHaveTextContent('不能撤销，也不能重新抽取');

    // Cancelled: nothing is drawn. (A closed confirm stays in happy-dom, leaving: take the last.)
    await page.user.click(within(d).getByRole('button', { name: /取\s?消/ }));
    await waitFor(() => expect(d.className).toContain('leave'));
    expect(page.api.callsTo('POST /api/rounds/:id/draw')).toHaveLength(0);

    // Confirmed: drawn once.
    await page.user.click(screen.getByTestId('round-step-1'));
    const ok = await waitFor(() => {
      const all = document.querySelectorAll<HTMLElement>('#draw-confirm-ok');
      expect(all).toHaveLength(2);
      return all[1]!;
    });
    expect(ok).toHaveTextContent('确认抽签');
    await page.user.click(ok);
    await waitFor(() => expect(page.api.callsTo('POST /api/rounds/:id/draw')).toHaveLength(1));
    expect(page.api.callsTo('POST /api/rounds/:id/draw')[0]!.path).toBe('/api/rounds/1/draw');
  });

  it('other steps (commit) go ahead without a dialog', async () => {
    const page = await render([inspectionRound()]);
    page.api.on({ 'POST /api/rounds/:id/commit': committed });
    await page.user.click(await screen.findByTestId('round-step-1'));
    await waitFor(() => expect(page.api.callsTo('POST /api/rounds/:id/commit')).toHaveLength(1));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('lists the drawn points by name, type and district, keeping their ids', async () => {
    const drawn = inspectionRound({
      ...committed,
      state: 'drawn',
      stateLabel: { zh: '已抽取', en: 'drawn' },
      drawnIds: [2, 9],
      drawnPoints: [
        {
          id: 2,
          name: '东湖农贸市场',
          typeCode: 'P03',
          typeName: '农贸市场',
          districtName: '东湖区',
        },
        { id: 9, name: '青石巷', typeCode: 'P02', typeName: '背街小巷', districtName: null },
      ],
    });
    const page = await render([drawn]);
    await screen.findByText('十一月模拟测评');
    await page.user.click(document.querySelector<HTMLElement>('.ant-table-row-expand-icon')!);
    const table = await screen.findByTestId('drawn-points-1');
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      );
    expect(rows).toEqual([
      ['1', '东湖农贸市场', '农贸市场（P03）', '东湖区', '2'],
      ['2', '青石巷', '背街小巷（P02）', '未划区域', '9'],
    ]);
  });
});

describe('RoundsPage: planning a round', () => {
  it('offers a district office its own kinds of round: no official replay, no draw by day', async () => {
    const district = asUser('office', {
      regionId: 5,
      regionName: '东湖区',
      regionLevel: 'district',
      permissions: [...permissionsOf(['office'], true)],
    });
    const page = await render([], district);
    await page.user.click(await screen.findByTestId('round-new'));
    await page.user.type(byId('round-name'), '东湖区督查');
    expect(document.getElementById('round-by-district')).toBeNull();
    await page.user.click(within(await dialog()).getByText('模拟测评'));
    // The open drop-down lists the other kinds (暗访 appears nowhere else) but not the replay.
    await waitFor(() => expect(screen.getAllByText('暗访').length).toBeGreaterThan(0));
    expect(screen.queryAllByText('正式测评复盘')).toHaveLength(0);
  });

  it('offers the city office the official replay and the draw by day', async () => {
    const page = await render([]);
    await page.user.click(await screen.findByTestId('round-new'));
    expect(byId('round-by-district')).toBeInTheDocument();
    await page.user.click(within(await dialog()).getByText('模拟测评'));
    await waitFor(() => expect(screen.getAllByText('正式测评复盘').length).toBeGreaterThan(0));
  });

  it('shows each random type’s default count as a value and posts the counts as shown', async () => {
    const page = await render([]);
    await page.user.click(await screen.findByTestId('round-new'));
    await page.user.type(byId('round-name'), '十二月督查');
    expect(byId('round-count-P02')).toHaveValue('3');
    expect(byId('round-count-P09')).toHaveValue('3');
    // Never more than the type has: a commit would refuse "3 of 0 eligible".
    expect(byId('round-count-P14')).toHaveValue('0');
    expect(screen.getByText('娱乐场所（P14，共 0 个）')).toBeInTheDocument();
    await page.user.clear(byId('round-count-P09'));
    await page.user.type(byId('round-count-P09'), '0');
    await page.user.click(screen.getByRole('button', { name: /确\s?定|OK/ }));
    await waitFor(() => expect(page.api.callsTo('POST /api/rounds')).toHaveLength(1));
    expect(page.api.lastBody('POST /api/rounds')).toMatchObject({
      name: '十二月督查',
      plan: [
        { type: 'P02', mode: 'random', count: 3 },
        { type: 'P03', mode: 'all' },
      ],
    });
  });

  it('a blank count is an error, not a silent default', async () => {
    const page = await render([]);
    await page.user.click(await screen.findByTestId('round-new'));
    await page.user.type(byId('round-name'), '十二月督查');
    await page.user.clear(byId('round-count-P02'));
    await page.user.click(screen.getByRole('button', { name: /确\s?定|OK/ }));
    expect(await screen.findByText('请填写背街小巷的抽取数量（不抽取填 0）')).toBeInTheDocument();
    expect(page.api.callsTo('POST /api/rounds')).toHaveLength(0);
  });

  it('opens afresh: a count changed before and cancelled is back at its default', async () => {
    const page = await render([]);
    await page.user.click(await screen.findByTestId('round-new'));
    await page.user.clear(byId('round-count-P02'));
    await page.user.type(byId('round-count-P02'), '7');
    await page.user.click(screen.getByRole('button', { name: /取\s?消/ }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await page.user.click(screen.getByTestId('round-new'));
    await waitFor(() => expect(byId('round-count-P02')).toHaveValue('3'));
  });
});

describe('RoundsPage: rounds of every level', () => {
  it("names each round's level and asks for one level's rounds", async () => {
    const page = await render([
      inspectionRound({ id: 1, name: '市级暗访' }),
      inspectionRound({ id: 2, name: '湖滨区督查', ownerRegionId: 2, ownerName: '湖滨区' }),
    ]);
    expect(await screen.findByTestId('round-owner-1')).toHaveTextContent('市级');
    expect(screen.getByTestId('round-owner-2')).toHaveTextContent('湖滨区');
    const calls = () => page.api.callsTo('GET /api/rounds');
    expect(calls()[0]!.query).toEqual({});
    await pickOption(page.user, screen.getByTestId('round-owner-filter'), '湖滨区');
    await waitFor(() => expect(calls()[calls().length - 1]!.query).toEqual({ ownerRegionId: '2' }));
    await pickOption(page.user, screen.getByTestId('round-owner-filter'), '市级');
    await waitFor(() =>
      expect(calls()[calls().length - 1]!.query).toEqual({ ownerRegionId: 'city' }),
    );
  });
});
