import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TServiceItem, TServiceOrderDetail } from '../../../core/contracts/service-orders.js';
import { page as pageOf } from '../../test/fixtures.js';
import { stubGeolocation } from '../../test/geolocation.js';
import { serviceOrder } from '../../test/mobile-fixtures.js';
import type { MockRequest } from '../../test/mock-api.js';
import { renderPhone } from '../../test/render-mobile.js';
import { ServiceOrderFlow, ServiceRequestFlow } from './ServiceOrdersFlow.js';

// 点单派单 on the phone: a grid worker books a service for a resident (through the offline queue,
// with a client id and the phone's position); a volunteer takes an order, checks in at the
// address with the network cut, and the steps go once the phone is online.

const HERE = { latitude: 30.2631, longitude: 120.1502, accuracy: 8 };

const item = (over: Partial<TServiceItem>): TServiceItem => ({
  id: 9,
  placeId: 5,
  placeName: '湖滨社区新时代文明实践站',
  name: '助老陪诊',
  category: 'elderly',
  description: null,
  teams: [],
  volunteersNeeded: 1,
  active: true,
  version: 1,
  ...over,
});

const detail = (over: Partial<TServiceOrderDetail> = {}): TServiceOrderDetail => ({
  ...serviceOrder(),
  events: [{ at: '2026-11-23T02:00:00.000Z', action: 'order', by: '居民', note: null }],
  ...over,
});

describe('phone app: 点单派单', () => {
  beforeEach(() => stubGeolocation(HERE));
  afterEach(() => {
    delete (navigator as { geolocation?: unknown }).geolocation;
  });

  it('a grid worker books a service for a resident, with a client id and the phone’s position', async () => {
    const p = await renderPhone(<ServiceRequestFlow />, {
      path: '/service-request',
      user: 'grid_worker',
      api: {
        'GET /api/service-items': {
          items: [
            item({}),
            item({ id: 10, name: '法律咨询', category: 'legal' }),
            item({ id: 11, placeId: 6, placeName: '柳岸社区新时代文明实践站', name: '代买药品' }),
          ],
        },
        'GET /api/service-orders': pageOf([serviceOrder({ id: 40, itemName: '上门理发' })]),
        'POST /api/service-orders': (req: MockRequest) => ({
          ...detail(),
          id: 41,
          ...(req.body as object),
        }),
      },
    });
    expect(await screen.findByTestId('svc-mine-40')).toHaveTextContent('上门理发');
    await p.user.click(await screen.findByText('湖滨社区新时代文明实践站'));
    const items = screen.getByTestId('svc-req-item');
    expect(items).toHaveTextContent('助老陪诊');
    expect(items).not.toHaveTextContent('代买药品');
    await p.user.click(within(items).getByText('法律咨询'));
    await p.user.type(
      screen.getByTestId('svc-req-need').querySelector('textarea')!,
      '邻里纠纷，需要法律咨询',
    );
    await p.user.type(
      screen.getByTestId('svc-req-address').querySelector('input')!,
      '湖滨路 20 号',
    );
    await p.user.type(screen.getByTestId('svc-req-name').querySelector('input')!, '李四');
    await p.user.type(screen.getByTestId('svc-req-phone').querySelector('input')!, '13800001111');
    await p.user.click(screen.getByTestId('svc-req-submit'));
    await waitFor(() => expect(p.api.callsTo('POST /api/service-orders')).toHaveLength(1));
    const body = p.api.lastBody('POST /api/service-orders') as Record<string, unknown>;
    expect(body).toMatchObject({
      itemId: 10,
      need: '邻里纠纷，需要法律咨询',
      address: '湖滨路 20 号',
      contactName: '李四',
      contactPhone: '13800001111',
      lat: HERE.latitude,
      lng: HERE.longitude,
    });
    expect(body.clientId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a volunteer takes an order, then checks in with the network cut: it goes once online', async () => {
    let state = detail();
    const p = await renderPhone(<ServiceOrderFlow />, {
      path: '/service-orders/:id',
      route: '/service-orders/31',
      user: 'volunteer',
      api: {
        'GET /api/service-orders/:id': () => state,
        'POST /api/service-orders/:id/take': () => {
          state = detail({ state: 'taken', actions: ['release', 'check_in'] });
          return state;
        },
        'POST /api/service-orders/:id/check-in': () => {
          state = detail({ state: 'on_site', actions: ['finish'] });
          return state;
        },
      },
    });
    expect(await screen.findByTestId('svc-distance')).toHaveTextContent('您距服务地址约 0 米');
    expect(screen.getByTestId('svc-contact')).toHaveTextContent('张** 139****5678');
    await p.user.click(screen.getByTestId('svc-take'));
    await waitFor(() => expect(screen.getByTestId('svc-order-state')).toHaveTextContent('已接单'));
    const taken = p.api.lastBody('POST /api/service-orders/:id/take') as { clientId: string };
    expect(taken.clientId).toMatch(/^[0-9a-f-]{36}$/);

    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    try {
      await p.user.click(await screen.findByTestId('svc-check-in'));
      expect(await screen.findByTestId('svc-waiting')).toBeInTheDocument();
      // Waiting for the network: done may be marked already (it follows the check-in).
      expect(screen.getByTestId('svc-finish')).toBeInTheDocument();
      expect(p.api.callsTo('POST /api/service-orders/:id/check-in')).toHaveLength(0);
      onLine.mockReturnValue(true);
      window.dispatchEvent(new Event('online'));
      await waitFor(() =>
        expect(p.api.callsTo('POST /api/service-orders/:id/check-in')).toHaveLength(1),
      );
      const body = p.api.lastBody('POST /api/service-orders/:id/check-in') as Record<
        string,
        unknown
      >;
      expect(body).toMatchObject({ lat: HERE.latitude, lng: HERE.longitude });
      // The phone's time of the check-in travels with it.
      expect(Date.parse(body.at as string)).toBeLessThanOrEqual(Date.now());
      await waitFor(() =>
        expect(screen.getByTestId('svc-order-state')).toHaveTextContent('服务中'),
      );
    } finally {
      onLine.mockRestore();
    }
  });
});
