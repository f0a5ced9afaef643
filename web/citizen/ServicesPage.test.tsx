import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type {
  TPublicServiceMenu,
  TPublicServiceTrack,
} from '../../core/contracts/service-orders.js';
import { apiError, reply, type Routes } from '../test/mock-api.js';
import { renderPage } from '../test/render.js';
import { ServicesPage, ServiceTrackPage } from './ServicesPage.js';

// 点单服务 for the public: pick a station (the nearest first once the phone says where it is, or
// by area), a service, describe the need, send; the tracking page shows the steps and takes the
// resident's verdict once the service is done.

const MENU: TPublicServiceMenu = {
  stations: [
    {
      id: 1,
      kind: 'station',
      name: '柳岸社区新时代文明实践站',
      address: '柳岸路 12 号',
      lat: 30.2588,
      lng: 120.1573,
      regionName: '柳岸社区',
      openingHours: null,
      items: [{ id: 11, name: '代买药品', category: 'medical', description: null }],
    },
    {
      id: 2,
      kind: 'station',
      name: '湖滨社区新时代文明实践站',
      address: '湖滨社区党群服务中心',
      lat: 30.2622,
      lng: 120.1502,
      regionName: '湖滨社区',
      openingHours: null,
      items: [
        { id: 21, name: '助老陪诊', category: 'elderly', description: '陪同老人就医' },
        { id: 22, name: '法律咨询', category: 'legal', description: null },
      ],
    },
  ],
};

const TRACK: TPublicServiceTrack = {
  trackingCode: 'FW23456789AB',
  state: 'done',
  stationName: '湖滨社区新时代文明实践站',
  itemName: '助老陪诊',
  need: '陪同老人去医院复诊',
  preferredTime: '周三上午',
  address: '湖滨路 12 号',
  contactName: '张**',
  contactPhone: '139****5678',
  teamName: '湖滨助老服务队',
  deadline: '2026-12-09T02:00:00.000Z',
  timeline: [
    { at: '2026-12-07T01:00:00.000Z', action: 'order', note: null },
    { at: '2026-12-07T01:30:00.000Z', action: 'dispatch', note: null },
    { at: '2026-12-07T02:00:00.000Z', action: 'take', note: null },
    { at: '2026-12-07T03:00:00.000Z', action: 'check_in', note: null },
    { at: '2026-12-07T04:30:00.000Z', action: 'finish', note: null },
  ],
  doneNote: '已陪同复诊并送回家',
  canConfirm: true,
  canCancel: false,
  satisfied: null,
  comment: null,
  confirmedBy: null,
};

/** The phone stands at the door of 湖滨 (so 湖滨站 is the nearer of the two). */
function phoneAt(lat: number, lng: number) {
  vi.stubGlobal('navigator', {
    ...navigator,
    geolocation: {
      getCurrentPosition: (ok: PositionCallback) =>
        ok({ coords: { latitude: lat, longitude: lng } } as GeolocationPosition),
    },
  });
}
afterEach(() => vi.unstubAllGlobals());

async function renderForm(api: Routes = {}) {
  const page = await renderPage(<ServicesPage />, {
    user: null,
    route: '/services',
    width: 390,
    api: { 'GET /api/public/service-menu': MENU, ...api },
  });
  await screen.findByTestId('svc-station-1');
  return page;
}

describe('ServicesPage (点单, public)', () => {
  it('orders from the nearest station with the phone’s position, and shows the tracking code', async () => {
    phoneAt(30.2624, 120.1503);
    const page = await renderForm({
      'POST /api/public/service-orders': reply(201, {
        trackingCode: 'FW23456789AB',
        orderedAt: '2026-12-07T01:00:00.000Z',
      }),
    });
    await page.user.click(screen.getByTestId('svc-nearby'));
    // Nearest first, with its distance.
    await waitFor(() => {
      const labels = within(screen.getByTestId('svc-stations')).getAllByRole('radio');
      expect(labels[0]).toHaveAttribute('data-testid', 'svc-station-2');
    });
    expect(screen.getByTestId('svc-stations')).toHaveTextContent(/湖滨社区.*\d+ m/);
    await page.user.click(screen.getByTestId('svc-station-2'));
    expect(screen.getByTestId('svc-items')).toHaveTextContent('助老 · 陪同老人就医');
    await page.user.click(screen.getByTestId('svc-item-21'));
    await page.user.type(screen.getByTestId('svc-need'), '老人腿脚不便，需要陪同复诊');
    await page.user.type(screen.getByTestId('svc-time'), '周三上午');
    await page.user.type(screen.getByTestId('svc-address'), '湖滨路 12 号 501');
    expect(screen.getByTestId('svc-position')).toHaveTextContent('已附上当前位置');
    await page.user.type(screen.getByTestId('svc-name'), '张三丰');
    await page.user.type(screen.getByTestId('svc-phone'), '13912345678');
    await page.user.click(screen.getByTestId('svc-submit'));
    expect(await screen.findByTestId('svc-code')).toHaveTextContent('FW23456789AB');
    const body = page.api.lastBody('POST /api/public/service-orders') as Record<string, unknown>;
    expect(body).toMatchObject({
      itemId: 21,
      need: '老人腿脚不便，需要陪同复诊',
      preferredTime: '周三上午',
      address: '湖滨路 12 号 501',
      lat: 30.2624,
      lng: 120.1503,
      contactName: '张三丰',
      contactPhone: '13912345678',
      website: '',
    });
    expect(body.deviceId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(screen.getByTestId('svc-track-link')).toHaveAttribute(
      'href',
      '/services/track/FW23456789AB',
    );
  });

  it('picks by area without a position, and shows the server’s refusal as it says', async () => {
    const page = await renderForm({
      'POST /api/public/service-orders': apiError(429, 'rate_limited', {
        zh: '提交过于频繁，请 30 分钟后再试',
        en: 'too many requests; try again in 30 min',
      }),
    });
    await page.user.selectOptions(screen.getByTestId('svc-area'), '柳岸社区');
    expect(screen.queryByTestId('svc-station-2')).toBeNull();
    // Sent without a choice of service: the page says so before asking the server.
    await page.user.click(screen.getByTestId('svc-station-1'));
    await page.user.type(screen.getByTestId('svc-need'), '帮忙代买降压药');
    await page.user.type(screen.getByTestId('svc-address'), '柳岸路 5 号');
    await page.user.type(screen.getByTestId('svc-name'), '李四');
    await page.user.type(screen.getByTestId('svc-phone'), '13800001111');
    await page.user.click(screen.getByTestId('svc-submit'));
    expect(await screen.findByTestId('svc-error')).toHaveTextContent('请选择服务站点和服务项目');
    expect(page.api.callsTo('POST /api/public/service-orders')).toHaveLength(0);
    await page.user.click(screen.getByTestId('svc-item-11'));
    await page.user.click(screen.getByTestId('svc-submit'));
    expect(await screen.findByTestId('svc-error')).toHaveTextContent('提交过于频繁');
    const body = page.api.lastBody('POST /api/public/service-orders') as Record<string, unknown>;
    expect(body).not.toHaveProperty('lat');
    expect(screen.getByTestId('svc-position')).toHaveTextContent('未附位置');
  });
});

describe('ServiceTrackPage (点单进度, public)', () => {
  it('shows the steps and takes the resident’s verdict once it is done', async () => {
    const page = await renderPage(<ServiceTrackPage />, {
      user: null,
      route: '/services/track/FW23456789AB',
      path: '/services/track/:code?',
      width: 390,
      api: {
        'GET /api/public/service-orders/:code': TRACK,
        'POST /api/public/service-orders/:code/confirm': {
          ...TRACK,
          state: 'confirmed',
          canConfirm: false,
          satisfied: false,
          comment: '来晚了',
          confirmedBy: 'requester',
        },
      },
    });
    const result = await screen.findByTestId('svc-track-result');
    expect(screen.getByTestId('svc-state')).toHaveTextContent('待评价');
    expect(result).toHaveTextContent('张** 139****5678');
    expect(screen.getByTestId('svc-timeline')).toHaveTextContent(
      /点单.*派单.*接单.*到场签到.*服务完成/,
    );
    expect(result).toHaveTextContent('已陪同复诊并送回家');
    expect(screen.getByTestId('svc-confirm-submit')).toBeDisabled();
    await page.user.click(screen.getByTestId('svc-unsatisfied'));
    await page.user.type(screen.getByTestId('svc-comment'), '来晚了');
    await page.user.click(screen.getByTestId('svc-confirm-submit'));
    expect(await screen.findByTestId('svc-verdict')).toHaveTextContent('您的评价：不满意 · 来晚了');
    expect(page.api.lastBody('POST /api/public/service-orders/:code/confirm')).toEqual({
      satisfied: false,
      comment: '来晚了',
    });
    expect(screen.getByTestId('svc-state')).toHaveTextContent('已办结');
    expect(screen.queryByTestId('svc-confirm')).toBeNull();
  });

  it('cancels an order nobody has come for yet, after a second tap, with the reason', async () => {
    const taken: TPublicServiceTrack = {
      ...TRACK,
      state: 'taken',
      timeline: TRACK.timeline.slice(0, 3),
      doneNote: null,
      canConfirm: false,
      canCancel: true,
    };
    const page = await renderPage(<ServiceTrackPage />, {
      user: null,
      route: '/services/track/FW23456789AB',
      path: '/services/track/:code?',
      width: 390,
      api: {
        'GET /api/public/service-orders/:code': taken,
        'POST /api/public/service-orders/:code/cancel': {
          ...taken,
          state: 'cancelled',
          canCancel: false,
          timeline: [
            ...taken.timeline,
            { at: '2026-12-07T02:10:00.000Z', action: 'cancel', note: '家人已陪同' },
          ],
        },
      },
    });
    expect(await screen.findByTestId('svc-state')).toHaveTextContent('已接单');
    await page.user.click(screen.getByTestId('svc-cancel'));
    // Nothing is sent on the first tap.
    expect(page.api.callsTo('POST /api/public/service-orders/:code/cancel')).toHaveLength(0);
    await page.user.type(screen.getByTestId('svc-cancel-reason'), '家人已陪同');
    await page.user.click(screen.getByTestId('svc-cancel-submit'));
    await waitFor(() => expect(screen.getByTestId('svc-state')).toHaveTextContent('已撤销'));
    expect(page.api.lastBody('POST /api/public/service-orders/:code/cancel')).toEqual({
      reason: '家人已陪同',
    });
    expect(screen.getByTestId('svc-timeline')).toHaveTextContent(/撤销点单.*家人已陪同/);
    expect(screen.queryByTestId('svc-cancel')).toBeNull();
  });

  it('says when no order has the code', async () => {
    await renderPage(<ServiceTrackPage />, {
      user: null,
      route: '/services/track/FW22222222AB',
      path: '/services/track/:code?',
      api: {
        'GET /api/public/service-orders/:code': apiError(404, 'not_found', {
          zh: '没有找到这个查询码，请核对后再试',
          en: 'no order has this tracking code',
        }),
      },
    });
    expect(await screen.findByTestId('svc-error')).toHaveTextContent('没有找到这个查询码');
  });
});
