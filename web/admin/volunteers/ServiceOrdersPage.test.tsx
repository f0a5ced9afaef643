import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type {
  TServiceItem,
  TServiceOrder,
  TServiceOrderDetail,
} from '../../../core/contracts/service-orders.js';
import { fill, modalButton, pickOption } from '../../test/antd.js';
import { page as pageOf } from '../../test/fixtures.js';
import { apiError } from '../../test/mock-api.js';
import { byId, renderPage } from '../../test/render.js';
import { ServiceOrdersPage } from './ServiceOrdersPage.js';

// 派单 on the desktop: the station's orders with the steps open to the reader, dispatch to a team
// of the service with a deadline (and a position when the order has none), decline with a reason,
// the order's steps and — on request — the requester's contact.

const order = (over: Partial<TServiceOrder>): TServiceOrder => ({
  id: 1,
  trackingCode: 'FW23456789AB',
  channel: 'public',
  state: 'ordered',
  placeId: 5,
  placeName: '湖滨社区新时代文明实践站',
  itemId: 9,
  itemName: '助老陪诊',
  category: 'elderly',
  need: '老人腿脚不便，需要陪同复诊',
  preferredTime: '周三上午',
  address: '湖滨路 12 号',
  lat: 30.2631,
  lng: 120.1502,
  contactName: '张**',
  contactPhone: '139****5678',
  orderedByName: null,
  teamId: null,
  teamName: null,
  deadline: null,
  volunteersNeeded: 1,
  takers: [],
  orderedAt: '2026-12-07T01:00:00.000Z',
  dispatchedAt: null,
  takenAt: null,
  onSiteAt: null,
  doneAt: null,
  confirmedAt: null,
  declinedAt: null,
  declineReason: null,
  doneNote: null,
  photos: [],
  satisfied: null,
  comment: null,
  confirmedBy: null,
  confirmReason: null,
  overdue: false,
  actions: ['dispatch', 'decline'],
  version: 1,
  ...over,
});

const ITEM: TServiceItem = {
  id: 9,
  placeId: 5,
  placeName: '湖滨社区新时代文明实践站',
  name: '助老陪诊',
  category: 'elderly',
  description: null,
  teams: [
    { id: 3, name: '湖滨助老服务队' },
    { id: 4, name: '湖滨青年服务队' },
  ],
  volunteersNeeded: 1,
  active: true,
  version: 1,
};

const ORDERS = [
  order({}),
  order({
    id: 2,
    trackingCode: 'FW23456789AC',
    itemName: '法律咨询',
    itemId: 10,
    channel: 'staff',
    orderedByName: '孙网格',
    lat: null,
    lng: null,
    version: 3,
  }),
  order({
    id: 3,
    state: 'done',
    teamId: 3,
    teamName: '湖滨助老服务队',
    deadline: '2026-12-06T10:00:00.000Z',
    overdue: true,
    takers: [
      {
        volunteerId: 7,
        name: '刘志愿',
        takenAt: '2026-12-05T02:00:00.000Z',
        checkInAt: '2026-12-05T03:00:00.000Z',
        creditedMinutes: 90,
      },
    ],
    doneNote: '已陪同复诊',
    actions: ['confirm_for'],
  }),
];

const detail = (o: TServiceOrder): TServiceOrderDetail => ({
  ...o,
  events: [
    { at: '2026-12-05T01:00:00.000Z', action: 'order', by: '居民', note: null },
    { at: '2026-12-05T01:30:00.000Z', action: 'dispatch', by: '郑街道', note: null },
    { at: '2026-12-05T02:00:00.000Z', action: 'take', by: '刘志愿', note: null },
    { at: '2026-12-05T04:30:00.000Z', action: 'finish', by: '刘志愿', note: '已陪同复诊' },
  ],
});

async function render(user: 'office' | 'leader' = 'office') {
  const page = await renderPage(<ServiceOrdersPage />, {
    user,
    api: {
      'GET /api/service-orders': pageOf(ORDERS),
      'GET /api/practice-places': [],
      'GET /api/service-items': { items: [ITEM] },
      // 法律咨询 names no team: any team of the office's level.
      'GET /api/volunteer-teams': [
        {
          id: 3,
          name: '湖滨助老服务队',
          unitId: null,
          unitName: null,
          regionId: 2,
          regionName: '湖滨街道',
          members: 12,
          version: 1,
        },
      ],
      'GET /api/service-orders/:id': detail(ORDERS[2]!),
      'POST /api/service-orders/:id/dispatch': detail(ORDERS[0]!),
      'POST /api/service-orders/:id/decline': detail(ORDERS[0]!),
      'POST /api/service-orders/:id/confirm': detail(ORDERS[2]!),
      'POST /api/service-orders/:id/contact': {
        contactName: '张三丰',
        contactPhone: '13912345678',
      },
    },
  });
  await screen.findByTestId('so-open-3');
  return page;
}

describe('ServiceOrdersPage (点单派单, the station)', () => {
  it('dispatches to a team of the service with a deadline; each order shows its open steps', async () => {
    const page = await render();
    expect(screen.getByTestId('so-dispatch-1')).toBeInTheDocument();
    expect(screen.getByTestId('so-decline-1')).toBeInTheDocument();
    expect(screen.queryByTestId('so-dispatch-3')).toBeNull();
    expect(screen.getByTestId('so-confirm-3')).toBeInTheDocument();
    expect(screen.getByTestId('so-list')).toHaveTextContent('超时');
    expect(screen.getByTestId('so-list')).toHaveTextContent('代为点单 · 孙网格');

    await page.user.click(screen.getByTestId('so-dispatch-1'));
    // The service's own teams, read for its station.
    await waitFor(() =>
      expect(page.api.callsTo('GET /api/service-items').at(-1)!.query).toEqual({ placeId: '5' }),
    );
    await pickOption(page.user, byId('so-team'), '湖滨青年服务队');
    expect(document.getElementById('so-lat')).toBeNull();
    await page.user.click(modalButton('确定'));
    await waitFor(() =>
      expect(page.api.callsTo('POST /api/service-orders/:id/dispatch')).toHaveLength(1),
    );
    const body = page.api.lastBody('POST /api/service-orders/:id/dispatch') as {
      deadline: string;
    };
    expect(body).toMatchObject({ teamId: 4, volunteersNeeded: 1, version: 1 });
    expect(Date.parse(body.deadline)).toBeGreaterThan(Date.now());
    expect(page.api.callsTo('POST /api/service-orders/:id/dispatch')[0]!.params).toEqual({
      id: '1',
    });
  });

  it('asks for a position when the order has none, and shows the server’s refusal', async () => {
    const page = await render();
    page.api.on({
      'POST /api/service-orders/:id/dispatch': apiError(409, 'stale_version', {
        zh: '服务单已被他人修改，请刷新后重试',
        en: 'this service order was changed by someone else',
      }),
    });
    await page.user.click(screen.getByTestId('so-dispatch-2'));
    await pickOption(page.user, byId('so-team'), '湖滨助老服务队');
    await page.user.click(modalButton('确定'));
    // The position is required before anything is sent.
    expect(await screen.findAllByText(/请输入纬度|纬度/)).not.toHaveLength(0);
    expect(page.api.callsTo('POST /api/service-orders/:id/dispatch')).toHaveLength(0);
    await fill(page.user, byId('so-lat'), '30.2631');
    await fill(page.user, byId('so-lng'), '120.1502');
    await page.user.click(modalButton('确定'));
    expect(await screen.findByText('服务单已被他人修改，请刷新后重试')).toBeInTheDocument();
    expect(page.api.lastBody('POST /api/service-orders/:id/dispatch')).toMatchObject({
      teamId: 3,
      lat: 30.2631,
      lng: 120.1502,
      version: 3,
    });
  });

  it('declines with the reason the requester will read', async () => {
    const page = await render();
    await page.user.click(screen.getByTestId('so-decline-1'));
    await fill(page.user, byId('so-reason'), '不在本站服务范围');
    await page.user.click(modalButton('确定'));
    await waitFor(() =>
      expect(page.api.lastBody('POST /api/service-orders/:id/decline')).toEqual({
        reason: '不在本站服务范围',
        version: 1,
      }),
    );
  });

  it('filters overdue orders, and opens an order with its steps and the full contact', async () => {
    const page = await render();
    await page.user.click(screen.getByTestId('so-overdue'));
    await waitFor(() =>
      expect(page.api.callsTo('GET /api/service-orders').at(-1)!.query).toMatchObject({
        overdue: 'true',
      }),
    );
    await page.user.click(screen.getByTestId('so-open-3'));
    const drawer = await screen.findByTestId('so-detail');
    expect(within(drawer).getByTestId('so-events')).toHaveTextContent(
      /点单 · 居民.*派单 · 郑街道.*接单 · 刘志愿.*服务完成 · 刘志愿 — 已陪同复诊/,
    );
    expect(drawer).toHaveTextContent('刘志愿 · 已到场 · 1.5 h');
    expect(within(drawer).getByTestId('so-contact')).toHaveTextContent('张** 139****5678');
    await page.user.click(within(drawer).getByTestId('so-reveal'));
    await waitFor(() =>
      expect(within(drawer).getByTestId('so-contact')).toHaveTextContent('张三丰 13912345678'),
    );
  });

  it('a leader reads the orders but has no steps to take and no contact to reveal', async () => {
    const page = await renderPage(<ServiceOrdersPage />, {
      user: 'leader',
      api: {
        'GET /api/service-orders': pageOf(ORDERS.map((o) => ({ ...o, actions: [] }))),
        'GET /api/practice-places': [],
        'GET /api/service-orders/:id': detail({ ...ORDERS[2]!, actions: [] }),
      },
    });
    await screen.findByTestId('so-open-3');
    expect(screen.queryByTestId('so-dispatch-1')).toBeNull();
    expect(screen.queryByTestId('so-confirm-3')).toBeNull();
    await page.user.click(screen.getByTestId('so-open-3'));
    await screen.findByTestId('so-detail');
    expect(screen.queryByTestId('so-reveal')).toBeNull();
  });
});
