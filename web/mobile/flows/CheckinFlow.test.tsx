import { screen, waitFor, within } from '@testing-library/react';
import { Toast } from 'antd-mobile';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { TActivity, TLedger } from '../../../core/contracts/volunteers.js';
import { activity } from '../../test/mobile-fixtures.js';
import { apiError, type MockRequest } from '../../test/mock-api.js';
import { renderPhone } from '../../test/render-mobile.js';
import { MobileApp } from '../MobileApp.js';
import { readKept } from '../phone-store.js';
import { ActivitiesFlow, CheckinFlow } from './CheckinFlow.js';
import { stubGeolocation } from '../../test/geolocation.js';

// 志愿签到 on the phone: an activity's sign-up, check-in and check-out by position, the QR code's
// token or the six digits on site; the hours; the server's refusals (too far, out of time, full);
// and all of it with the network cut — kept in the queue with the time it happened, sent in order
// once the phone is back online.

const HOUR = 3_600_000;
/** The demo's 湖滨社区新时代文明实践站, and the phone about 15 m from it. */
const PLACE = { lat: 30.2622, lng: 120.1502 };
const HERE = { latitude: 30.2623, longitude: 120.1503, accuracy: 10 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** What the flow said in a toast (watched, not replaced: a 2 s toast can be gone before a query). */
let toast: MockInstance<typeof Toast.show>;
const toldSo = (text: string) =>
  waitFor(() =>
    expect(toast.mock.calls.map(([p]) => (typeof p === 'string' ? p : p.content))).toContain(text),
  );

const today = (over: Partial<TActivity> = {}) =>
  activity({
    id: 21,
    title: '湖滨社区环境清洁日',
    description: '清理绿化带垃圾、劝导不文明行为。',
    startsAt: new Date(Date.now() - HOUR).toISOString(),
    endsAt: new Date(Date.now() + 2 * HOUR).toISOString(),
    placeName: '湖滨社区新时代文明实践站',
    address: '湖滨路 8 号',
    ...PLACE,
    capacity: 15,
    signedUp: 3,
    organiserTeamName: '湖滨志愿服务队',
    ...over,
  });

const ledger = (minutes: number, entry?: Partial<TLedger['entries'][number]>): TLedger => ({
  volunteer: {
    id: 1,
    name: '刘志愿',
    phone: '137****0000',
    idNumberMasked: null,
    realName: false,
    organisation: null,
    teamId: 1,
    teamName: '湖滨志愿服务队',
    skills: [],
    regionId: 3,
    regionName: '湖滨社区',
    status: 'active',
    userId: 9,
    version: 1,
    totalMinutes: minutes,
  },
  entries: entry
    ? [
        {
          kind: 'attendance',
          at: new Date().toISOString(),
          activityId: 21,
          activityTitle: '湖滨社区环境清洁日',
          checkInAt: null,
          checkOutAt: null,
          minutes: 0,
          estimated: false,
          reason: null,
          by: null,
          ...entry,
        },
      ]
    : [],
  totalMinutes: minutes,
});

/** A server that remembers the volunteer's sign-up, check-in and check-out. */
function server(start: TActivity = today()) {
  let a = start;
  let minutes = 600;
  const at = (req: MockRequest) => (req.body as { at?: string }).at ?? new Date().toISOString();
  return {
    get activity() {
      return a;
    },
    routes: {
      'GET /api/volunteer-activities/:id': () => a,
      'GET /api/volunteer-activities': () => [a],
      'GET /api/volunteers/me/ledger': () =>
        a.mine?.checkOutAt
          ? ledger(minutes, {
              checkInAt: a.mine.checkInAt,
              checkOutAt: a.mine.checkOutAt,
              minutes: 90,
            })
          : ledger(minutes),
      'POST /api/volunteer-activities/:id/sign-up': () => {
        a = { ...a, signedUp: a.signedUp + 1, mine: { ...a.mine!, signedUp: true } };
        return a;
      },
      'POST /api/volunteer-activities/:id/cancel-sign-up': () => {
        a = { ...a, signedUp: a.signedUp - 1, mine: { ...a.mine!, signedUp: false } };
        return a;
      },
      'POST /api/volunteer-activities/:id/check-in': (req: MockRequest) => {
        a = { ...a, mine: { ...a.mine!, checkInAt: at(req) } };
        return { activityId: a.id, checkInAt: at(req), checkOutAt: null, creditedMinutes: 0 };
      },
      'POST /api/volunteer-activities/:id/check-out': (req: MockRequest) => {
        a = { ...a, mine: { ...a.mine!, checkOutAt: at(req) } };
        minutes += 90;
        return { activityId: a.id, checkInAt: a.mine!.checkInAt, checkOutAt: at(req) };
      },
    },
  };
}

async function open(routes: Record<string, unknown>, route = '/checkin/21') {
  const p = await renderPhone(<CheckinFlow />, {
    user: 'volunteer',
    path: '/checkin/:id',
    route,
    api: routes,
  });
  await screen.findByTestId('checkin-title');
  return p;
}

const posts = (p: Awaited<ReturnType<typeof open>>) =>
  p.api.calls.filter((c) => c.method === 'POST').map((c) => c.path.replace(/^.*\/21\//, ''));

describe('phone app: 志愿签到', () => {
  beforeEach(() => {
    stubGeolocation(HERE);
    toast = vi.spyOn(Toast, 'show');
  });
  afterEach(() => {
    delete (navigator as { geolocation?: unknown }).geolocation;
    toast.mockRestore();
  });

  it('checks in by position and out with the code on site; shows the hours', async () => {
    const s = server();
    const p = await open(s.routes);
    expect(screen.getByTestId('checkin-title')).toHaveTextContent('湖滨社区环境清洁日');
    expect(screen.getByText('进行中')).toBeInTheDocument();
    expect(screen.getByText(/湖滨社区新时代文明实践站 湖滨路 8 号/)).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId('checkin-distance')).toHaveTextContent(/您距活动地点约 1\d 米/),
    );
    expect(await screen.findByTestId('my-hours')).toHaveTextContent('10 小时');

    await p.user.click(screen.getByTestId('checkin-gps'));
    await toldSo('签到成功');
    const body = p.api.lastBody('POST /api/volunteer-activities/:id/check-in') as Record<
      string,
      unknown
    >;
    expect(body).toMatchObject({ method: 'gps', lat: HERE.latitude, lng: HERE.longitude });
    expect(body.clientId).toMatch(UUID);
    expect(Math.abs(Date.parse(body.at as string) - Date.now())).toBeLessThan(60_000);
    expect(await screen.findByTestId('checked-in')).toHaveTextContent(/已于 \d\d:\d\d 签到/);
    await waitFor(() => expect(screen.getByTestId('checked-in')).not.toHaveTextContent('待同步'));

    // Checking out: the same choices; the six digits from the organiser's screen.
    expect(screen.getByTestId('checkin-gps')).toHaveTextContent('定位签退');
    expect(screen.getByTestId('checkin-code-submit')).toBeDisabled();
    await p.user.type(within(screen.getByTestId('checkin-code')).getByRole('textbox'), '12a3456');
    await p.user.click(screen.getByTestId('checkin-code-submit'));
    await toldSo('签退成功');
    expect(p.api.lastBody('POST /api/volunteer-activities/:id/check-out')).toMatchObject({
      method: 'qr',
      shortCode: '123456',
    });
    expect(await screen.findByTestId('checkin-done')).toHaveTextContent('已签退，感谢您的服务！');
    await waitFor(() =>
      expect(screen.getByTestId('checkin-hours')).toHaveTextContent('服务时长 1.5 小时'),
    );
    expect(screen.getByTestId('my-hours')).toHaveTextContent('11.5 小时');
    expect(posts(p)).toEqual(['check-in', 'check-out']);
    expect(screen.queryByTestId('offline-queue')).toBeNull();
  });

  it('opened by the organiser’s QR code: checks in with its token, used once', async () => {
    const s = server();
    const p = await open(s.routes, '/checkin/21?t=21.148.abcdefghijklmnopqrstuv');
    await p.user.click(screen.getByTestId('checkin-qr-submit'));
    await toldSo('签到成功');
    expect(p.api.lastBody('POST /api/volunteer-activities/:id/check-in')).toMatchObject({
      method: 'qr',
      token: '21.148.abcdefghijklmnopqrstuv',
    });
    // Checking out takes a fresh scan or the position.
    await waitFor(() => expect(p.location()).toBe('/checkin/21'));
    await waitFor(() => expect(screen.queryByTestId('checkin-qr-submit')).toBeNull());
  });

  it('signs up, and may cancel before checking in', async () => {
    const s = server(today({ mine: { signedUp: false, checkInAt: null, checkOutAt: null } }));
    const p = await open(s.routes);
    expect(screen.queryByTestId('checkin-gps')).toBeNull();
    await p.user.click(screen.getByTestId('checkin-sign-up'));
    await toldSo('报名成功');
    expect(await screen.findByTestId('checkin-signed-up')).toHaveTextContent('您已报名');
    expect(await screen.findByText('名额 4/15 · 湖滨志愿服务队')).toBeInTheDocument();
    await p.user.click(screen.getByTestId('checkin-cancel-sign-up'));
    await p.user.click(await screen.findByText('取消报名', { selector: '.adm-dialog-button *' }));
    expect(await screen.findByTestId('checkin-sign-up')).toBeInTheDocument();
    expect(posts(p)).toEqual(['sign-up', 'cancel-sign-up']);
  });

  it('shows the server’s refusals: too far, out of time, the activity full', async () => {
    const s = server(today({ mine: { signedUp: false, checkInAt: null, checkOutAt: null } }));
    const p = await open({
      ...s.routes,
      'POST /api/volunteer-activities/:id/sign-up': apiError(409, 'activity_full', {
        zh: '活动名额已满',
        en: 'this activity is full',
      }),
    });
    await p.user.click(screen.getByTestId('checkin-sign-up'));
    expect(await screen.findByTestId('checkin-refused')).toHaveTextContent('活动名额已满');
    await p.user.click(screen.getByText('知道了'));
    await waitFor(() => expect(screen.queryByTestId('checkin-refused')).toBeNull());

    p.api.on({
      'POST /api/volunteer-activities/:id/sign-up':
        s.routes['POST /api/volunteer-activities/:id/sign-up'],
      'POST /api/volunteer-activities/:id/check-in': apiError(422, 'checkin_too_far', {
        zh: '您距离活动地点约 812 米，需在 200 米内签到',
        en: 'you are about 812 m from the activity; check in within 200 m',
      }),
    });
    await p.user.click(screen.getByTestId('checkin-sign-up'));
    await p.user.click(await screen.findByTestId('checkin-gps'));
    expect(await screen.findByTestId('checkin-refused')).toHaveTextContent(
      '您距离活动地点约 812 米，需在 200 米内签到',
    );
    await p.user.click(screen.getByText('知道了'));
    await waitFor(() => expect(screen.queryByTestId('checkin-refused')).toBeNull());

    p.api.on({
      'POST /api/volunteer-activities/:id/check-in': apiError(409, 'checkin_closed', {
        zh: '不在活动签到时间内',
        en: 'check-in is not open for this activity now',
      }),
    });
    await p.user.click(screen.getByTestId('checkin-gps'));
    expect(await screen.findByTestId('checkin-refused')).toHaveTextContent('不在活动签到时间内');
    // Refused, not queued: nothing waits, and the volunteer is not shown as checked in.
    expect(screen.queryByTestId('offline-queue')).toBeNull();
    expect(screen.queryByTestId('checked-in')).toBeNull();
  });

  it('with the network cut: check-in and check-out wait in the queue with their times, then go in order', async () => {
    const s = server();
    // Opened once online: the activity and the hours are kept on the phone.
    const first = await open(s.routes);
    await screen.findByTestId('my-hours');
    first.unmount();

    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    try {
      const offline = () => Promise.reject(new TypeError('Failed to fetch'));
      const p = await open({
        ...s.routes,
        'GET /api/volunteer-activities/:id': offline,
        'GET /api/volunteers/me/ledger': offline,
      });
      expect(screen.getByTestId('checkin-cached')).toHaveTextContent('离线，显示的是');
      expect(screen.getByTestId('my-hours')).toHaveTextContent('10 小时');
      await p.user.click(screen.getByTestId('checkin-gps'));
      await toldSo('已保存在手机上，联网后自动同步');
      expect(await screen.findByTestId('checked-in')).toHaveTextContent('待同步');
      const bar = await screen.findByTestId('offline-queue');
      await within(bar).findByText('签到：湖滨社区环境清洁日');

      await p.user.type(within(screen.getByTestId('checkin-code')).getByRole('textbox'), '654321');
      await p.user.click(screen.getByTestId('checkin-code-submit'));
      expect(await screen.findByTestId('checkin-done')).toBeInTheDocument();
      expect(screen.getByTestId('checkin-hours')).toHaveTextContent(/约 0 小时（同步后核定）/);
      await within(bar).findByText('签退：湖滨社区环境清洁日');
      expect(within(bar).getByTestId('offline-queue-count')).toHaveTextContent('待同步 2 条');
      expect(posts(p)).toEqual([]);

      onLine.mockReturnValue(true);
      p.api.on(s.routes);
      window.dispatchEvent(new Event('online'));
      await waitFor(() => expect(screen.queryByTestId('offline-queue')).toBeNull());
      expect(posts(p)).toEqual(['check-in', 'check-out']);
      const checkIn = p.api.lastBody('POST /api/volunteer-activities/:id/check-in') as {
        at: string;
        clientId: string;
      };
      const checkOut = p.api.lastBody('POST /api/volunteer-activities/:id/check-out') as {
        at: string;
        clientId: string;
        shortCode: string;
      };
      // Each carries the time it was made on the phone, not the time it reached the server.
      expect(Date.parse(checkIn.at)).toBeLessThanOrEqual(Date.parse(checkOut.at));
      expect(checkOut.shortCode).toBe('654321');
      expect(checkIn.clientId).not.toBe(checkOut.clientId);
      // Synced: the server's hours replace the estimate.
      await waitFor(() =>
        expect(screen.getByTestId('checkin-hours')).toHaveTextContent('服务时长 1.5 小时'),
      );
    } finally {
      onLine.mockRestore();
    }
  });

  it('an activity with no coordinates takes the code, not the position', async () => {
    const s = server(today({ lat: null, lng: null }));
    await open(s.routes);
    expect(screen.getByTestId('checkin-gps')).toBeDisabled();
    expect(screen.getByTestId('checkin-distance')).toHaveTextContent(
      '该活动没有设置地点坐标，请扫码或输入现场数字码签到',
    );
  });

  it('an account with no volunteer record is told so', async () => {
    const s = server(today({ mine: null }));
    await open({
      ...s.routes,
      'GET /api/volunteers/me/ledger': apiError(403, 'not_a_volunteer', {
        zh: '您的账号未关联志愿者登记信息，请联系创建办',
        en: 'not a volunteer',
      }),
    });
    expect(screen.getByTestId('checkin-not-volunteer')).toBeInTheDocument();
    expect(screen.queryByTestId('checkin-sign-up')).toBeNull();
    expect(screen.queryByTestId('checkin-gps')).toBeNull();
  });

  it('the task list opens an activity’s check-in and the list inside the phone app', async () => {
    const s = server();
    const p = await renderPhone(<MobileApp />, {
      user: 'volunteer',
      api: {
        ...s.routes,
        // The task list also asks for the team's service orders (点单派单): none here.
        'GET /api/service-orders/tasks': { teamName: null, open: [], mine: [] },
      },
    });
    const card = await screen.findByTestId('m-task-volunteer');
    await p.user.click(await within(card).findByText('湖滨社区环境清洁日'));
    expect(await screen.findByTestId('checkin-title')).toHaveTextContent('湖滨社区环境清洁日');
    expect(p.location()).toBe('/checkin/21');
    await p.user.click(document.querySelector('.adm-nav-bar-back')!);
    await p.user.click(await screen.findByTestId('m-open-activities'));
    expect(await screen.findByTestId('activity-21')).toBeInTheDocument();
    expect(p.location()).toBe('/activities');
  });

  it('lists the activities, the volunteer’s own first, with their hours; one opens its check-in', async () => {
    const s = server();
    const p = await renderPhone(<ActivitiesFlow />, {
      user: 'volunteer',
      path: '/activities',
      api: {
        ...s.routes,
        'GET /api/volunteer-activities': [
          s.activity,
          today({
            id: 22,
            title: '文明餐桌宣传',
            signedUp: 10,
            capacity: 10,
            mine: { signedUp: false, checkInAt: null, checkOutAt: null },
          }),
          today({ id: 23, title: '已取消的活动', status: 'cancelled', mine: null }),
        ],
      },
    });
    const mine = await screen.findByTestId('activity-21');
    expect(mine).toHaveTextContent('已报名');
    expect(screen.getByTestId('activity-22')).toHaveTextContent('名额已满');
    expect(screen.queryByTestId('activity-23')).toBeNull();
    expect(await screen.findByTestId('my-hours')).toHaveTextContent('10 小时');
    const from = p.api.callsTo('GET /api/volunteer-activities')[0]!.query;
    expect(Date.parse(from.to!) - Date.parse(from.from!)).toBeGreaterThan(30 * 86_400_000);
    await p.user.click(mine);
    await waitFor(() => expect(p.location()).toBe('/checkin/21'));
  });

  it('offline, an activity never opened opens from the list kept on the phone, whatever its window', async () => {
    const s = server();
    const list = await renderPhone(<ActivitiesFlow />, {
      user: 'volunteer',
      path: '/activities',
      api: { ...s.routes, 'GET /api/volunteer-activities': [s.activity] },
    });
    await screen.findByTestId('activity-21');
    // Kept as the endpoint's last list, not under the window's URL (which moves every hour).
    await waitFor(() => expect(readKept(1, 'GET /api/volunteer-activities', {})).not.toBeNull());
    list.unmount();

    const offline = () => Promise.reject(new TypeError('Failed to fetch'));
    await open({
      ...s.routes,
      'GET /api/volunteer-activities/:id': offline,
      'GET /api/volunteers/me/ledger': offline,
    });
    expect(screen.getByTestId('checkin-title')).toHaveTextContent(s.activity.title);
  });
});
