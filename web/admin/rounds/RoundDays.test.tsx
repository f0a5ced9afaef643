import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TRound, TRoundDay } from '../../../core/contracts/inspections.js';
import { commitmentOf, listFingerprint } from '../../../core/draw/draw.js';
import { drawDay, expandPlan, stratify, type StratumPoint } from '../../../core/draw/strata.js';
import { chosen, fill, pickOption } from '../../test/antd.js';
import { inspectionRound, region } from '../../test/fixtures.js';
import { apiError } from '../../test/mock-api.js';
import { byId, renderPage } from '../../test/render.js';
import { RoundsPage } from './RoundsPage.js';

// 按城区分日抽签 in the office's round pages: the schedule in the round editor, each day's own
// steps (the draw confirmed per district and type) and each day verified in the browser.

const POINT_TYPES = [
  { code: 'P02', name: '背街小巷', sampling: 'random', defaultDrawCount: 3, points: 12 },
  { code: 'P03', name: '农贸市场', sampling: 'mandatory', defaultDrawCount: 0, points: 4 },
];
const DISTRICTS = [
  region({ id: 2, name: '东湖区', parentId: 1 }),
  region({ id: 5, name: '西城区', parentId: 1 }),
];

const render = (rounds: TRound[]) =>
  renderPage(<RoundsPage />, {
    api: {
      'GET /api/rounds': { items: rounds },
      'GET /api/point-types': { items: POINT_TYPES },
      'GET /api/users': { items: [{ id: 5, name: '钱测评' }] },
      'GET /api/regions': { items: DISTRICTS },
      'POST /api/rounds': inspectionRound({ id: 2 }),
    },
  });

function day(over: Partial<TRoundDay> & Pick<TRoundDay, 'id' | 'date'>): TRoundDay {
  return {
    regionIds: [2],
    districts: [{ id: 2, name: '东湖区' }],
    overrides: [],
    state: 'planned',
    stateLabel: { zh: '待抽签', en: 'planned' },
    plan: null,
    commitment: null,
    fingerprint: null,
    frozenList: null,
    drawnIds: null,
    drawnPoints: null,
    seed: null,
    committedAt: null,
    drawnAt: null,
    revealedAt: null,
    version: 1,
    ...over,
  };
}

const PLAN = [
  { type: 'P03', mode: 'all' as const },
  { type: 'P02', mode: 'random' as const, count: 1 },
];
const NAMES: Record<number, [string, string]> = {
  1: ['东湖农贸市场', 'P03'],
  2: ['湖滨巷', 'P02'],
  3: ['柳浪巷', 'P02'],
  21: ['西城农贸市场', 'P03'],
  22: ['青石巷', 'P02'],
  23: ['桂花巷', 'P02'],
};

/** A round of two days: 东湖区 drawn and revealed (really, so it verifies), 西城区 committed. */
async function twoDays(): Promise<TRound> {
  const east: StratumPoint[] = [1, 2, 3].map((id) => ({ id, type: NAMES[id]![1], district: 2 }));
  const west: StratumPoint[] = [21, 22, 23].map((id) => ({ id, type: NAMES[id]![1], district: 5 }));
  const seed = 'a3f1-day-one';
  const { ids } = await drawDay(seed, east, PLAN, { regionIds: [2] });
  const label = (id: number) => ({
    id,
    name: NAMES[id]![0],
    typeCode: NAMES[id]![1],
    typeName: NAMES[id]![1] === 'P03' ? '农贸市场' : '背街小巷',
    districtName: id < 20 ? '东湖区' : '西城区',
  });
  return inspectionRound({
    byDistrict: true,
    state: 'drawn',
    stateLabel: { zh: '已抽取', en: 'drawn' },
    plan: PLAN,
    regionIds: [2, 5],
    drawnIds: ids,
    drawnPoints: ids.map(label),
    days: [
      day({
        id: 11,
        date: '2026-12-08',
        state: 'revealed',
        stateLabel: { zh: '已公开种子', en: 'revealed' },
        plan: expandPlan(PLAN, [2]),
        commitment: await commitmentOf(seed),
        fingerprint: await listFingerprint(stratify(east)),
        frozenList: stratify(east),
        drawnIds: ids,
        drawnPoints: ids.map(label),
        seed,
      }),
      day({
        id: 12,
        date: '2026-12-09',
        regionIds: [5],
        districts: [{ id: 5, name: '西城区' }],
        state: 'committed',
        stateLabel: { zh: '已公布承诺值', en: 'committed' },
        plan: expandPlan(PLAN, [5]),
        commitment: 'c'.repeat(64),
        fingerprint: await listFingerprint(stratify(west)),
        frozenList: stratify(west),
      }),
    ],
  });
}

const expandRound = async (page: Awaited<ReturnType<typeof render>>) => {
  await screen.findByText('十一月模拟测评');
  await page.user.click(document.querySelector<HTMLElement>('.ant-table-row-expand-icon')!);
  return screen.findByTestId('round-days-1');
};

describe('RoundsPage: a schedule by district and day', () => {
  it('starts one day per district, needs every date, refuses a date twice, posts the schedule', async () => {
    const page = await render([]);
    await page.user.click(await screen.findByTestId('round-new'));
    await fill(page.user, byId('round-name'), '十二月分日测评');
    await page.user.click(byId('round-by-district'));
    expect(await screen.findByTestId('round-plan-hint')).toHaveTextContent('每个城区');
    await waitFor(() => expect(chosen(byId('schedule-districts-1'))).toEqual(['西城区']));
    expect(chosen(byId('schedule-districts-0'))).toEqual(['东湖区']);

    const ok = () => page.user.click(screen.getByRole('button', { name: /确\s?定|OK/ }));
    await ok();
    expect(await screen.findByText('请选择第 1 天的日期')).toBeInTheDocument();
    expect(page.api.callsTo('POST /api/rounds')).toHaveLength(0);

    const date = async (i: number, d: string) => {
      await fill(page.user, byId(`schedule-date-${i}`), d);
      await page.user.keyboard('{Enter}');
    };
    await date(0, '2026-12-08');
    await date(1, '2026-12-08');
    await ok();
    expect(await screen.findByText(/日期 2026-12-08 重复/)).toBeInTheDocument();
    expect(page.api.callsTo('POST /api/rounds')).toHaveLength(0);

    await date(1, '2026-12-09');
    await ok();
    await waitFor(() => expect(page.api.callsTo('POST /api/rounds')).toHaveLength(1));
    expect(page.api.lastBody('POST /api/rounds')).toMatchObject({
      name: '十二月分日测评',
      plan: [
        { type: 'P02', mode: 'random', count: 3 },
        { type: 'P03', mode: 'all' },
      ],
      schedule: [
        { date: '2026-12-08', regionIds: [2], overrides: [] },
        { date: '2026-12-09', regionIds: [5], overrides: [] },
      ],
    });
  });

  it('a round without the option posts no schedule', async () => {
    const page = await render([]);
    await page.user.click(await screen.findByTestId('round-new'));
    await fill(page.user, byId('round-name'), '一次抽签');
    await page.user.click(screen.getByRole('button', { name: /确\s?定|OK/ }));
    await waitFor(() => expect(page.api.callsTo('POST /api/rounds')).toHaveLength(1));
    expect(page.api.lastBody('POST /api/rounds')).not.toHaveProperty('schedule');
  });

  it('draws a day on its own, confirming what each district draws', async () => {
    const round = await twoDays();
    const page = await render([round]);
    page.api.on({ 'POST /api/rounds/:id/days/:dayId/draw': round });
    const days = await expandRound(page);
    // The round has no steps of its own: each day has its own.
    expect(screen.queryByTestId('round-step-1')).toBeNull();
    expect(screen.getByTestId('round-by-day-1')).toHaveTextContent('分日抽签 2 天');
    expect(within(days).getByTestId('day-state-11')).toHaveTextContent('已公开种子');
    expect(within(days).getByTestId('day-state-12')).toHaveTextContent('已公布承诺值');
    expect(within(days).queryByTestId('day-step-11')).toBeNull();

    await page.user.click(within(days).getByTestId('day-step-12'));
    const d = await screen.findByRole('dialog');
    expect(d).toHaveTextContent('确认抽取 2026-12-09（西城区）的点位？');
    expect(
      within(d)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      '西城区 · 农贸市场（P03）：必查，全部 1 个',
      '西城区 · 背街小巷（P02）：随机抽取 1 个（可抽 2 个）',
    ]);
    expect(d).toHaveTextContent('共 2 个');
    expect(d).toHaveTextContent('不能撤销');
    await page.user.click(within(d).getByRole('button', { name: /确认抽签/ }));
    await waitFor(() =>
      expect(page.api.callsTo('POST /api/rounds/:id/days/:dayId/draw')).toHaveLength(1),
    );
    expect(page.api.callsTo('POST /api/rounds/:id/days/:dayId/draw')[0]!.path).toBe(
      '/api/rounds/1/days/12/draw',
    );
  });

  it('verifies a revealed day here and lists its drawn points by name, type and district', async () => {
    const page = await render([await twoDays()]);
    const days = await expandRound(page);
    await page.user.click(within(days).getByTestId('day-verify-11'));
    expect(await within(days).findByTestId('day-verdict-11')).toHaveTextContent('核验通过');
    await page.user.click(days.querySelector<HTMLElement>('.ant-table-row-expand-icon')!);
    const table = await screen.findByTestId('day-drawn-points-11');
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual(['1', '东湖农贸市场', '农贸市场（P03）', '东湖区', '1']);
    expect(rows[1]!.slice(2, 4)).toEqual(['背街小巷（P02）', '东湖区']);
  });

  it('edits a planned day with its version; someone else’s change first is shown, not lost', async () => {
    const base = await twoDays();
    const round = {
      ...base,
      days: [base.days[0]!, day({ id: 12, date: '2026-12-09', version: 3 })],
    };
    const page = await render([round]);
    page.api.on({
      'PATCH /api/rounds/:id/days/:dayId': apiError(409, 'stale_version', {
        zh: '测评日程已被他人修改，请刷新后重试',
        en: 'this day of the schedule was changed by someone else; reload and try again',
      }),
    });
    const days = await expandRound(page);
    expect(within(days).queryByTestId('day-edit-11')).toBeNull();
    await page.user.click(within(days).getByTestId('day-edit-12'));
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(chosen(byId('day-edit-districts'))).toEqual(['东湖区']));
    await pickOption(page.user, byId('day-edit-districts'), '西城区');
    await page.user.click(within(dialog).getByRole('button', { name: /确\s?定|OK/ }));
    await waitFor(() =>
      expect(page.api.callsTo('PATCH /api/rounds/:id/days/:dayId')).toHaveLength(1),
    );
    expect(page.api.lastBody('PATCH /api/rounds/:id/days/:dayId')).toEqual({
      date: '2026-12-09',
      regionIds: [2, 5],
      overrides: [],
      version: 3,
    });
    expect(await screen.findByText('测评日程已被他人修改，请刷新后重试')).toBeInTheDocument();
  });
});
