import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { walkKey } from '../shared/patrol-walk.js';
import { page, problem } from '../test/fixtures.js';
import {
  activity,
  assignedPoint,
  grid,
  myRound,
  pairing,
  patrol,
  quota,
  serviceOrder,
} from '../test/mobile-fixtures.js';
import { asUser } from '../test/render.js';
import { renderPhone } from '../test/render-mobile.js';
import { apiUrl } from '../shared/api.js';
import { HomePage } from './HomePage.js';
import { homeReads } from './home-reads.js';
import { keep, readKept } from './phone-store.js';

// 我的任务: each field user sees their own work, and only the sections their permissions allow.

const GRID_API = {
  'GET /api/grids': { items: [grid()] },
  'GET /api/problems': page([problem({ id: 3, title: '湖滨路垃圾堆积', state: 'dispatched' })]),
  'GET /api/patrols': { items: [patrol()] },
};

const sections = () =>
  [...document.querySelectorAll('[data-testid^=m-task-]')].map((e) =>
    e.getAttribute('data-testid'),
  );

describe('phone app: 我的任务', () => {
  it('a grid worker: the patrol with their grids, their area’s open problems, the stars, nothing else', async () => {
    const p = await renderPhone(<HomePage />, { user: 'grid_worker', api: GRID_API });
    const patrolCard = await screen.findByTestId('m-task-patrol');
    await within(patrolCard).findByText(/我的网格：湖滨一网格/);
    expect(await screen.findByText('湖滨路垃圾堆积')).toBeInTheDocument();
    expect(screen.getByText('整改中')).toBeInTheDocument();
    expect(sections()).toEqual([
      'm-task-patrol',
      'm-task-grid-problems',
      'm-task-stars',
      'm-task-carriers',
      'm-task-service-request',
    ]);
    // 十星级文明户: a way into the rating flow, with no request of its own on the task list.
    expect(screen.getByTestId('m-open-stars')).toHaveTextContent('住户评星');
    expect(p.api.callsTo('GET /api/star-households')).toHaveLength(0);
    // Open problems only: every state but closed, rejected and merged.
    const q = p.api.callsTo('GET /api/problems')[0]!.query;
    expect(q.state!.split(',')).toEqual(
      expect.arrayContaining(['reported', 'registered', 'dispatched', 'returned', 'submitted']),
    );
    expect(q.state).not.toMatch(/closed|rejected|merged/);
    // No request for work that is not theirs (a grid worker may report, but has no rounds shown).
    expect(p.api.callsTo('GET /api/survey-app/assignments')).toHaveLength(0);
    expect(p.api.callsTo('GET /api/volunteer-activities')).toHaveLength(0);
  });

  it('a walk under way shows as such, with the button to carry on', async () => {
    // The walk is kept under its walker's id (asUser's: 1).
    localStorage.setItem(
      walkKey(1),
      JSON.stringify({
        clientId: 'w1',
        gridId: 5,
        gridName: '湖滨一网格',
        startedAt: '2026-11-23T02:00:00.000Z',
        nextSeq: 3,
        pending: [],
        path: [],
        reported: 0,
      }),
    );
    await renderPhone(<HomePage />, { user: 'grid_worker', api: GRID_API });
    expect(await screen.findByTestId('m-patrol-walking')).toHaveTextContent('巡查中');
    expect(screen.getByTestId('m-open-patrol')).toHaveTextContent('继续巡查');
  });

  it('an inspector: today’s round with its points, visited counted', async () => {
    const p = await renderPhone(<HomePage />, {
      user: 'inspector',
      api: {
        'GET /api/inspections/mine': {
          items: [
            myRound({
              points: [
                assignedPoint({ id: 1, name: '湖滨路' }),
                assignedPoint({ id: 2, name: '人民路农贸市场', visitId: 9, visitResult: 'pass' }),
              ],
            }),
            // Over already: not today's.
            myRound({ id: 8, name: '10月暗访', endsOn: '2026-10-31' }),
          ],
        },
      },
    });
    const card = await screen.findByTestId('m-task-inspect');
    await within(card).findByText('12月模拟测评');
    expect(within(card).getByText('1/2')).toBeInTheDocument();
    expect(within(card).getByText('湖滨路')).toBeInTheDocument();
    expect(within(card).queryByText('人民路农贸市场')).toBeNull();
    expect(within(card).queryByText('10月暗访')).toBeNull();
    // An inspector's other permissions (problem reads) bring no section of their own.
    expect(sections()).toEqual(['m-task-inspect', 'm-task-carriers']);
    // The rounds are kept on the phone, so 实地检查 opens offline even if only this was seen.
    expect(readKept(1, 'GET /api/inspections/mine', {})?.data.items).toHaveLength(2);
    // A point opens in the phone app's own flow, directly.
    await p.user.click(within(card).getByTestId('m-inspect-point-1'));
    expect(p.location()).toBe('/inspect/7/points/1');
  });

  it('an inspector offline: today’s points from the rounds kept on the phone', async () => {
    keep(
      1,
      'GET /api/inspections/mine',
      {},
      {
        items: [myRound({ points: [assignedPoint({ id: 1, name: '湖滨路' })] })],
      },
    );
    await renderPhone(<HomePage />, {
      user: 'inspector',
      api: { 'GET /api/inspections/mine': () => Promise.reject(new TypeError('Failed to fetch')) },
    });
    const card = await screen.findByTestId('m-task-inspect');
    expect(await within(card).findByText('湖滨路')).toBeInTheDocument();
    expect(within(card).getByText('0/1')).toBeInTheDocument();
  });

  it('an inspector’s 实地检查 button opens the flow inside the phone app', async () => {
    const p = await renderPhone(<HomePage />, {
      user: 'inspector',
      api: { 'GET /api/inspections/mine': { items: [myRound()] } },
    });
    await p.user.click(await screen.findByTestId('m-open-inspect'));
    expect(p.location()).toBe('/inspect');
  });

  it('a surveyor sees their quotas; a volunteer the activities signed up for', async () => {
    const s = await renderPhone(<HomePage />, {
      user: 'surveyor',
      api: { 'GET /api/survey-app/assignments': [quota()] },
    });
    const card = await screen.findByTestId('m-task-survey');
    await within(card).findByText('群众满意度调查');
    expect(within(card).getByText('10/40')).toBeInTheDocument();
    expect(within(card).getByText('我已完成 4 份')).toBeInTheDocument();
    expect(sections()).toEqual(['m-task-survey']);
    s.unmount();

    const v = await renderPhone(<HomePage />, {
      user: 'volunteer',
      api: {
        'GET /api/volunteer-activities': [
          activity(),
          activity({ id: 22, title: '未报名的活动', mine: null }),
        ],
        'GET /api/service-orders/tasks': {
          teamName: '湖滨助老服务队',
          open: [serviceOrder({ id: 31, itemName: '上门理发' })],
          mine: [
            serviceOrder({ id: 32, itemName: '助老陪诊', state: 'on_site' }),
            serviceOrder({ id: 33, itemName: '已完成的单', state: 'confirmed' }),
          ],
        },
      },
    });
    const vol = await screen.findByTestId('m-task-volunteer');
    await within(vol).findByText('湖滨公园清洁行动');
    expect(within(vol).queryByText('未报名的活动')).toBeNull();
    // 点单服务: the team's order to take (counted), and the one they serve now.
    const orders = await screen.findByTestId('m-task-service-orders');
    await within(orders).findByText('上门理发');
    expect(within(orders).getByTestId('m-service-open-count')).toHaveTextContent('1 单待接');
    expect(orders).toHaveTextContent('助老陪诊');
    expect(orders).not.toHaveTextContent('已完成的单');
    expect(sections()).toEqual(['m-task-volunteer', 'm-task-service-orders']);
    await v.user.click(within(orders).getByText('上门理发'));
    expect(v.location()).toBe('/service-orders/31');
  });

  it('a unit: the problems to rectify, soonest deadline first, opened in the phone app', async () => {
    const p = await renderPhone(<HomePage />, {
      user: 'unit',
      api: {
        'GET /api/problems': page([
          problem({
            id: 4,
            title: '解放路井盖缺失',
            state: 'dispatched',
            escalation: 'red',
            deadline: new Date(Date.now() - 5 * 86_400_000).toISOString(),
          }),
          problem({ id: 5, title: '已提交的问题', state: 'submitted' }),
        ]),
        'GET /api/outreach/pairings': [],
      },
    });
    const card = await screen.findByTestId('m-task-rectify');
    await within(card).findByText('解放路井盖缺失');
    expect(within(card).getByTestId('m-escalation-red')).toHaveTextContent('红色督办');
    expect(within(card).getByTestId('m-overdue')).toHaveTextContent('已超期 5 天');
    // Submitted ones wait for verification: not the unit's to do.
    expect(within(card).queryByText('已提交的问题')).toBeNull();
    expect(p.api.callsTo('GET /api/problems')[0]!.query).toMatchObject({
      state: 'dispatched,submitted',
      unitId: '7',
      sort: 'deadline',
      order: 'asc',
    });
    await p.user.click(within(card).getByText('解放路井盖缺失'));
    expect(p.location()).toBe('/rectify/4');
    // A unit reports problems too, but has no inspection round: no empty 今日检查 card; its unit
    // has no 包联 pairing: no visits card.
    await waitFor(() => expect(p.api.callsTo('GET /api/outreach/pairings')).toHaveLength(1));
    expect(sections()).toEqual(['m-task-rectify']);
  });

  it('a unit with 包联 pairings: the households visited of those owed, and the way in', async () => {
    const p = await renderPhone(<HomePage />, {
      user: 'unit',
      api: {
        'GET /api/problems': page([]),
        'GET /api/outreach/pairings': [
          pairing({ building: '3幢', targetHouseholds: 24, visitedHouseholds: 6 }),
          pairing({ id: 2, regionName: '柳岸社区', building: '', targetHouseholds: 60 }),
          pairing({ id: 3, regionName: '旧社区', active: false, targetHouseholds: 99 }),
        ],
      },
    });
    const card = await screen.findByTestId('m-task-visits');
    expect(card).toHaveTextContent('湖滨社区3幢、柳岸社区');
    expect(card).toHaveTextContent('6/84');
    await p.user.click(within(card).getByTestId('m-open-visits'));
    expect(p.location()).toBe('/visits');
    expect(sections()).toEqual(['m-task-rectify', 'm-task-visits']);
  });

  it('in English', async () => {
    await renderPhone(<HomePage />, {
      user: asUser('grid_worker', { name: 'Sun' }),
      api: GRID_API,
      lang: 'en',
    });
    expect(await screen.findByText('My tasks')).toBeInTheDocument();
    expect(await screen.findByText('Open problems in my area')).toBeInTheDocument();
    expect(screen.getByTestId('m-open-patrol')).toHaveTextContent('Start a patrol');
  });
});

describe('phone app: 我的任务 asks what web/early-phone.js asked for it', () => {
  const EMPTY = {
    'GET /api/grids': { items: [] },
    'GET /api/problems': page([]),
    'GET /api/patrols': { items: [] },
    'GET /api/inspections/mine': { items: [] },
    'GET /api/outreach/pairings': [],
    'GET /api/survey-app/assignments': [],
    'GET /api/volunteer-activities': [],
    'GET /api/service-orders/tasks': { teamName: null, open: [], mine: [] },
  };

  it.each([
    ['grid_worker'],
    ['inspector'],
    ['unit'],
    ['surveyor'],
    ['volunteer'],
    ['office'],
  ] as const)('%s: exactly homeReads(), each once', async (role) => {
    const user = asUser(role);
    const p = await renderPhone(<HomePage />, { user, api: EMPTY });
    const expected = homeReads(user).map((r) => apiUrl(r.key, r.args));
    await waitFor(() =>
      expect(
        p.api.calls
          .filter((c) => c.method === 'GET' && Object.keys(EMPTY).includes(`GET ${c.path}`))
          .map((c) => c.url)
          .sort(),
      ).toEqual([...expected].sort()),
    );
    if (role !== 'office') expect(expected.length).toBeGreaterThan(0);
  });
});

describe('a shop’s staff (积分核销)', () => {
  it('has one card, opening the redeem screen; nothing read ahead', async () => {
    const user = asUser('shop');
    const p = await renderPhone(<HomePage />, { user });
    expect(await screen.findByTestId('m-task-credits')).toBeInTheDocument();
    expect(sections()).toEqual(['m-task-credits']);
    expect(homeReads(user)).toEqual([]);
    await p.user.click(screen.getByTestId('m-open-redeem'));
    await waitFor(() => expect(p.location()).toBe('/credits/redeem'));
  });
});
