import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { TProblem, TProblemDetail } from '../../../core/contracts/problems.js';
import { offlineQueue } from '../../shared/offline-queue.js';
import { page, problem } from '../../test/fixtures.js';
import { apiError, type MockRequest } from '../../test/mock-api.js';
import { renderPhone } from '../../test/render-mobile.js';
import { forgetCachedAnswers } from '../service-worker.js';
import { RectifyFlow } from './RectifyFlow.js';
import { stubGeolocation } from '../../test/geolocation.js';

// 整改 on the phone: the unit's problems with their colour and deadline; reporting the
// rectification with after-photos, a note and the phone's position; asking for more time; with
// the network cut (the lists kept on the phone, the step queued, then synced); the server's
// refusals (a stale version) shown and sent again at the current version.

const HERE = { latitude: 30.2655, longitude: 120.1589, accuracy: 8 };
const FILE_ID = '5d2b1c3e-0000-4000-8000-000000000001';
const DAY = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const overdue = problem({
  id: 4,
  title: '解放路井盖缺失',
  state: 'dispatched',
  unitId: 7,
  unitName: '市城市管理综合执法局',
  escalation: 'yellow',
  deadline: new Date(Date.now() - 3 * DAY - 5_400_000).toISOString(),
  regionName: '湖滨社区',
  address: '解放路88号',
  lat: 30.2656,
  lng: 120.159,
  version: 3,
});
const later = problem({
  id: 5,
  title: '湖滨路广告牌破损',
  state: 'dispatched',
  unitId: 7,
  deadline: new Date(Date.now() + 2 * DAY + 5_400_000).toISOString(),
  version: 2,
});
const inCheck = problem({ id: 6, title: '青石巷路灯不亮', state: 'submitted', unitId: 7 });

function detailOf(p: TProblem, over: Partial<TProblemDetail> = {}): TProblemDetail {
  return {
    problem: p,
    timeline: [
      {
        id: 1,
        action: 'dispatch',
        fromState: 'registered',
        toState: 'dispatched',
        actorName: '创建办王主任',
        at: '2026-11-20T02:00:00.000Z',
        note: '请尽快整改',
        data: null,
      },
    ],
    actions: p.state === 'dispatched' ? ['submit', 'request_extension', 'return'] : [],
    photos: [
      {
        id: 'b1',
        url: '/api/files/b1',
        thumbUrl: '/api/files/b1/thumb',
        stage: 'before',
        eventId: null,
        takenAt: null,
        lat: null,
        lng: null,
      },
    ],
    ...over,
  };
}

/**
 * The server: the unit's list and problems, taking steps (a submit moves the problem on and adds
 * its after-photo). `offline()` makes every request fail as with no network; `online()` undoes it.
 */
function server() {
  const problems = new Map<number, TProblem>([overdue, later, inCheck].map((p) => [p.id, p]));
  let down = false;
  const net =
    <T,>(answer: (req: MockRequest) => T) =>
    (req: MockRequest) =>
      down ? Promise.reject(new TypeError('Failed to fetch')) : answer(req);
  const routes = {
    'GET /api/problems': net(() => page([...problems.values()])),
    'GET /api/problems/:id': net((req) => detailOf(problems.get(Number(req.params.id))!)),
    'POST /api/files': net(() => ({ id: FILE_ID, url: '/f', thumbUrl: '/t' })),
    'POST /api/problems/:id/actions': net((req) => {
      const p = problems.get(Number(req.params.id))!;
      const body = req.body as { action: string; version: number };
      if (body.version !== p.version)
        return apiError(409, 'stale_version', {
          zh: '问题已被他人修改，请刷新后重试',
          en: 'this problem was changed by someone else; reload and try again',
        });
      const next = {
        ...p,
        version: p.version + 1,
        state: body.action === 'submit' ? ('submitted' as const) : p.state,
        extensionPending: body.action === 'request_extension',
      };
      problems.set(p.id, next);
      return detailOf(next);
    }),
  };
  return {
    routes,
    problems,
    offline: () => {
      down = true;
    },
    online: () => {
      down = false;
    },
  };
}

const actionsTo = (calls: readonly MockRequest[], id: number) =>
  calls.filter((c) => c.method === 'POST' && c.path === `/api/problems/${id}/actions`);

async function fillSubmit(p: Awaited<ReturnType<typeof renderPhone>>, note: string) {
  await p.user.click(await screen.findByTestId('m-step-submit'));
  const sheet = await screen.findByTestId('m-step-sheet');
  await p.user.upload(
    within(sheet).getByTestId('m-step-photos-input'),
    new File(['jpeg'], 'after.jpg', { type: 'image/jpeg' }),
  );
  await p.user.type(within(sheet).getByPlaceholderText('如：已清运垃圾并设置警示牌'), note);
  await p.user.click(within(sheet).getByTestId('m-step-send'));
}

describe('phone app: 整改', () => {
  let onLine: MockInstance<() => boolean>;
  beforeEach(() => {
    stubGeolocation(HERE);
    onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true);
  });
  afterEach(async () => {
    onLine.mockRestore();
    delete (navigator as { geolocation?: unknown }).geolocation;
    const q = offlineQueue();
    for (const i of await q.items()) await q.discard(i.clientId);
  });

  it('lists the unit’s problems by deadline with their colour, overdue ones said so', async () => {
    const s = server();
    const p = await renderPhone(<RectifyFlow />, { user: 'unit', path: '/rectify', api: s.routes });
    const todo = await screen.findByTestId('m-rectify-todo');
    const first = within(todo).getByTestId('m-rectify-item-4');
    expect(first).toHaveTextContent('解放路井盖缺失');
    expect(first).toHaveTextContent('湖滨社区 解放路88号');
    expect(within(first).getByTestId('m-escalation-yellow')).toHaveTextContent('黄色预警');
    expect(within(first).getByTestId('m-overdue')).toHaveTextContent('已超期 3 天 1 小时');
    expect(within(todo).getByTestId('m-rectify-item-5')).toHaveTextContent('还剩 2 天 1 小时');
    expect(
      within(screen.getByTestId('m-rectify-submitted')).getByText('青石巷路灯不亮'),
    ).toBeInTheDocument();
    expect(p.api.callsTo('GET /api/problems')[0]!.query).toMatchObject({
      state: 'dispatched,submitted',
      unitId: '7',
      sort: 'deadline',
      order: 'asc',
    });
  });

  it('reports a rectification with its photo, the note and where the phone is', async () => {
    const s = server();
    const p = await renderPhone(<RectifyFlow />, {
      user: 'unit',
      path: '/rectify/:id?',
      route: '/rectify/4',
      api: s.routes,
    });
    expect(await screen.findByTestId('m-problem-title')).toHaveTextContent('解放路井盖缺失');
    expect(screen.getByTestId('m-problem-where')).toHaveTextContent('30.26560, 120.15900');
    expect(screen.getByTestId('m-photos-before').querySelectorAll('img')).toHaveLength(1);
    expect(screen.getByTestId('m-timeline')).toHaveTextContent('请尽快整改');
    await fillSubmit(p, '已更换井盖');
    await waitFor(() => expect(actionsTo(p.api.calls, 4)).toHaveLength(1));
    const sent = actionsTo(p.api.calls, 4)[0]!;
    const { clientId, ...body } = sent.body as { clientId: string };
    expect(clientId).toMatch(UUID);
    expect(body).toEqual({
      action: 'submit',
      version: 3,
      note: '已更换井盖',
      photoIds: [FILE_ID],
      lat: HERE.latitude,
      lng: HERE.longitude,
    });
    expect(sent.headers['x-csrf-token']).toBe('test-csrf-token');
    expect(await screen.findByText('已提交')).toBeInTheDocument();
    // Loaded again: the problem waits for verification, nothing left for the unit to do.
    await waitFor(() => expect(screen.getByTestId('m-problem-state')).toHaveTextContent('待核查'));
    expect(screen.queryByTestId('m-rectify-actions')).toBeNull();
    expect(screen.queryByTestId('offline-queue')).toBeNull();
  });

  it('checks each step’s form in Chinese before sending anything', async () => {
    const s = server();
    const p = await renderPhone(<RectifyFlow />, {
      user: 'unit',
      path: '/rectify/:id?',
      route: '/rectify/5',
      api: s.routes,
    });
    await p.user.click(await screen.findByTestId('m-step-submit'));
    await p.user.click(await screen.findByTestId('m-step-send'));
    expect(screen.getByTestId('m-error-photos')).toHaveTextContent('请拍摄整改后照片');
    expect(screen.getByTestId('m-error-note')).toHaveTextContent('请填写整改情况');
    await p.user.click(screen.getByText('取消'));

    await p.user.click(screen.getByTestId('m-step-request_extension'));
    const sheet = await screen.findByTestId('m-step-sheet');
    await p.user.click(within(sheet).getByTestId('m-step-send'));
    expect(screen.getByTestId('m-error-until')).toHaveTextContent('请选择申请延期到的日期');
    expect(screen.getByTestId('m-error-note')).toHaveTextContent('请填写申请延期的理由');
    // Not later than the current deadline's day.
    const dueDay = new Date(Date.parse(later.deadline!) + 8 * 3_600_000).toISOString().slice(0, 10);
    fireEvent.change(within(sheet).getByTestId('m-step-until'), { target: { value: dueDay } });
    await p.user.type(within(sheet).getByPlaceholderText('请说明理由'), '需定制广告牌');
    await p.user.click(within(sheet).getByTestId('m-step-send'));
    expect(screen.getByTestId('m-error-until')).toHaveTextContent(`申请的期限必须晚于 ${dueDay}`);
    expect(actionsTo(p.api.calls, 5)).toHaveLength(0);

    const asked = new Date(Date.parse(later.deadline!) + 3 * DAY + 8 * 3_600_000)
      .toISOString()
      .slice(0, 10);
    fireEvent.change(within(sheet).getByTestId('m-step-until'), { target: { value: asked } });
    await p.user.click(within(sheet).getByTestId('m-step-send'));
    await waitFor(() => expect(actionsTo(p.api.calls, 5)).toHaveLength(1));
    const { clientId, ...body } = actionsTo(p.api.calls, 5)[0]!.body as { clientId: string };
    expect(clientId).toMatch(UUID);
    expect(body).toEqual({
      action: 'request_extension',
      version: 2,
      note: '需定制广告牌',
      extensionDeadline: `${asked}T23:59:59+08:00`,
    });
  });

  it('with the network cut: opens from the phone, queues the step, sends it once online', async () => {
    const s = server();
    // Online first: the list and the problem are kept on the phone.
    const first = await renderPhone(<RectifyFlow />, {
      user: 'unit',
      path: '/rectify/:id?',
      route: '/rectify/4',
      api: s.routes,
    });
    await screen.findByTestId('m-problem-title');
    first.unmount();

    s.offline();
    onLine.mockReturnValue(false);
    const p = await renderPhone(<RectifyFlow />, {
      user: 'unit',
      path: '/rectify/:id?',
      route: '/rectify',
      api: s.routes,
    });
    // The list was never loaded on this phone: said so, nothing invented.
    expect(await screen.findByTestId('m-not-loaded')).toHaveTextContent(
      '离线，手机上还没有保存的数据',
    );
    p.unmount();
    const q = await renderPhone(<RectifyFlow />, {
      user: 'unit',
      path: '/rectify/:id?',
      route: '/rectify/4',
      api: s.routes,
    });
    expect(await screen.findByTestId('m-problem-title')).toHaveTextContent('解放路井盖缺失');
    expect(screen.getByTestId('m-kept')).toHaveTextContent('离线：显示');
    await fillSubmit(q, '离线整改完毕');
    expect(await screen.findByText('已保存，联网后自动提交')).toBeInTheDocument();
    const bar = await screen.findByTestId('offline-queue');
    expect(within(bar).getByTestId('m-offline')).toBeInTheDocument();
    expect(within(bar).getByText('整改上报：解放路井盖缺失')).toBeInTheDocument();
    expect(screen.getByTestId('m-step-waiting')).toHaveTextContent(
      '已保存在手机上，联网后自动提交',
    );
    expect(screen.queryByTestId('m-rectify-actions')).toBeNull();
    expect(actionsTo(q.api.calls, 4)).toHaveLength(0);

    s.online();
    onLine.mockReturnValue(true);
    window.dispatchEvent(new Event('online'));
    await waitFor(() => expect(screen.queryByTestId('offline-queue')).toBeNull());
    expect(actionsTo(q.api.calls, 4)[0]!.body).toMatchObject({
      action: 'submit',
      version: 3,
      note: '离线整改完毕',
      photoIds: [FILE_ID],
      lat: HERE.latitude,
    });
    await waitFor(() => expect(screen.getByTestId('m-problem-state')).toHaveTextContent('待核查'));
    expect(screen.queryByTestId('m-kept')).toBeNull();
  });

  it('a queued step the server refuses as stale is shown, and sent again at the current version', async () => {
    const s = server();
    onLine.mockReturnValue(false);
    const p = await renderPhone(<RectifyFlow />, {
      user: 'unit',
      path: '/rectify/:id?',
      route: '/rectify/4',
      api: s.routes,
    });
    await fillSubmit(p, '已更换井盖');
    await screen.findByTestId('m-step-waiting');
    // Meanwhile the office changed the problem (its deadline, say): the queued version is stale.
    s.problems.set(4, { ...s.problems.get(4)!, version: 4 });
    onLine.mockReturnValue(true);
    window.dispatchEvent(new Event('online'));
    const refused = await screen.findByTestId('m-step-refused');
    expect(within(refused).getByTestId('m-step-refused-reason')).toHaveTextContent(
      '问题已被他人修改，请刷新后重试',
    );
    expect(within(refused).getByText(/服务器未接受：整改上报：解放路井盖缺失/)).toBeInTheDocument();
    expect(
      within(screen.getByTestId('offline-queue')).getByText('被拒绝 1 条', { exact: false }),
    ).toBeInTheDocument();
    const firstTry = actionsTo(p.api.calls, 4)[0]!.body as { clientId: string };

    await p.user.click(await within(refused).findByTestId('m-step-retry'));
    await waitFor(() => expect(screen.queryByTestId('m-step-refused')).toBeNull());
    const again = actionsTo(p.api.calls, 4)[1]!.body as { clientId: string; version: number };
    expect(again).toMatchObject({ action: 'submit', version: 4, photoIds: [FILE_ID] });
    expect(again.clientId).not.toBe(firstTry.clientId);
    // The photo was uploaded once.
    expect(p.api.callsTo('POST /api/files')).toHaveLength(1);
    await waitFor(() => expect(screen.getByTestId('m-problem-state')).toHaveTextContent('待核查'));
    expect(screen.queryByTestId('offline-queue')).toBeNull();
  });

  it('online, a refusal is shown on the form and the problem loaded again', async () => {
    const s = server();
    const p = await renderPhone(<RectifyFlow />, {
      user: 'unit',
      path: '/rectify/:id?',
      route: '/rectify/4',
      api: s.routes,
    });
    await screen.findByTestId('m-problem-title');
    s.problems.set(4, { ...s.problems.get(4)!, version: 9 });
    await fillSubmit(p, '已更换井盖');
    expect(await screen.findByTestId('m-form-error')).toHaveTextContent(
      '问题已被他人修改，请刷新后重试',
    );
    await waitFor(() => expect(p.api.callsTo('GET /api/problems/:id')).toHaveLength(2));
    // Nothing stays queued: the form still holds the photo and note to send again.
    expect(screen.queryByTestId('offline-queue')).toBeNull();
    await p.user.click(screen.getByTestId('m-step-send'));
    await waitFor(() => expect(screen.getByTestId('m-problem-state')).toHaveTextContent('待核查'));
    expect(actionsTo(p.api.calls, 4).at(-1)!.body).toMatchObject({ version: 9 });
  });

  it('signing out forgets what was kept on the phone', async () => {
    const s = server();
    await renderPhone(<RectifyFlow />, { user: 'unit', path: '/rectify', api: s.routes });
    await screen.findByTestId('m-rectify-todo');
    const kept = () => Object.keys(localStorage).filter((k) => k.startsWith('cc-m-kept:'));
    expect(kept()).toHaveLength(1);
    await forgetCachedAnswers();
    expect(kept()).toHaveLength(0);
  });
});
