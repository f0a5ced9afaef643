import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { TVisit } from '../../../core/contracts/outreach.js';
import { offlineQueue } from '../../shared/offline-queue.js';
import { apiError, type MockRequest } from '../../test/mock-api.js';
import { pairing } from '../../test/mobile-fixtures.js';
import { renderPhone } from '../../test/render-mobile.js';
import { VisitsFlow } from './VisitsFlow.js';
import { stubGeolocation } from '../../test/geolocation.js';

// 入户走访 on the phone: the unit's 包联 pairings with households owed and visited, logging a visit
// (publicity, a concern filed as a problem, a client id and the position), one's own recent
// visits; offline the lists come from the phone and the visit waits in the queue until online;
// what the server refuses is shown in Chinese.

const HERE = { latitude: 30.2655, longitude: 120.1589, accuracy: 8 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function visit(over: Partial<TVisit> = {}): TVisit {
  return {
    id: 1,
    clientId: '00000000-0000-4000-8000-000000000001',
    pairingId: 1,
    visitorId: 1,
    visitorName: '张科长',
    visitorUnitName: '市城市管理综合执法局',
    regionId: 3,
    building: '3幢',
    household: '1单元101',
    visitedAt: '2026-11-20T02:00:00.000Z',
    publicity: ['核心价值观', '创城知识'],
    concern: null,
    problemId: null,
    problemCode: null,
    ...over,
  };
}

function server() {
  let down = false;
  const visits: TVisit[] = [
    visit(),
    visit({ id: 2, visitorId: 9, visitorName: '同事', household: '1单元102' }),
    visit({ id: 3, household: '1单元201', concern: '单元门口垃圾桶太少' }),
  ];
  const pairings = [
    pairing({ building: '3幢', visitedHouseholds: 6, coverage: 0.25 }),
    pairing({
      id: 2,
      regionId: 4,
      regionName: '柳岸社区',
      building: '',
      targetHouseholds: 60,
      visitedHouseholds: 0,
      coverage: 0,
    }),
  ];
  const net =
    <T,>(answer: (req: MockRequest) => T) =>
    (req: MockRequest) =>
      down ? Promise.reject(new TypeError('Failed to fetch')) : answer(req);
  return {
    pairings,
    routes: {
      'GET /api/outreach/pairings': net(() => pairings),
      'GET /api/outreach/visits': net(() => visits),
      'POST /api/outreach/visits': net((req) => {
        const b = req.body as TVisit & { concernCategoryId?: number };
        const v = visit({
          ...b,
          id: visits.length + 1,
          problemId: b.concernCategoryId ? 99 : null,
          problemCode: b.concernCategoryId ? 'WT2026000099' : null,
        });
        visits.unshift(v);
        return v;
      }),
    },
    offline: () => {
      down = true;
    },
    online: () => {
      down = false;
    },
  };
}

const posts = (calls: readonly MockRequest[]) =>
  calls.filter((c) => c.method === 'POST' && c.path === '/api/outreach/visits');

describe('phone app: 入户走访', () => {
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

  it('shows the pairings and one’s own visits; logs a visit whose concern becomes a problem', async () => {
    const s = server();
    const p = await renderPhone(<VisitsFlow />, { user: 'unit', path: '/visits', api: s.routes });
    const pairings = await screen.findByTestId('m-pairings');
    expect(within(pairings).getByTestId('m-pairing-1')).toHaveTextContent(
      '湖滨社区 3幢已走访 6 / 应走访 24 户',
    );
    expect(within(pairings).getByTestId('m-pairing-2')).toHaveTextContent('柳岸社区（全社区）');
    const mine = screen.getByTestId('m-my-visits');
    await within(mine).findByText('3幢1单元101');
    // A colleague's visit is the unit's, not mine.
    expect(within(mine).queryByText('3幢1单元102')).toBeNull();
    expect(mine).toHaveTextContent('群众反映：单元门口垃圾桶太少');

    // Tapping a pairing opens the form on it, with its building.
    await p.user.click(within(pairings).getByTestId('m-pairing-1'));
    const sheet = await screen.findByTestId('m-visit-sheet');
    expect(within(sheet).getByTestId('m-visit-building').querySelector('input')).toHaveValue('3幢');
    await p.user.type(within(sheet).getByPlaceholderText('2单元301'), '2单元502');
    await p.user.click(within(sheet).getByText('垃圾分类'));
    await p.user.type(within(sheet).getByPlaceholderText('如：楼道灯不亮'), '楼道堆放杂物');
    await p.user.click(within(sheet).getByTestId('m-visit-file'));
    await p.user.click(within(sheet).getByText('垃圾堆积'));
    await p.user.click(within(sheet).getByTestId('m-visit-send'));
    await waitFor(() => expect(posts(p.api.calls)).toHaveLength(1));
    const { clientId, visitedAt, ...body } = posts(p.api.calls)[0]!.body as {
      clientId: string;
      visitedAt: string;
    };
    expect(clientId).toMatch(UUID);
    expect(Date.now() - Date.parse(visitedAt)).toBeLessThan(60_000);
    expect(body).toEqual({
      regionId: 3,
      building: '3幢',
      household: '2单元502',
      publicity: ['核心价值观', '创城知识', '垃圾分类'],
      concern: '楼道堆放杂物',
      concernCategoryId: 11,
      lat: HERE.latitude,
      lng: HERE.longitude,
    });
    expect(await screen.findByText('走访已记录')).toBeInTheDocument();
    expect(await within(mine).findByText('3幢2单元502')).toBeInTheDocument();
    expect(mine).toHaveTextContent('楼道堆放杂物 → WT2026000099');
  });

  it('checks the form in Chinese before sending', async () => {
    const s = server();
    const p = await renderPhone(<VisitsFlow />, { user: 'unit', path: '/visits', api: s.routes });
    await screen.findByTestId('m-pairings');
    await p.user.click(screen.getByTestId('m-visit-new'));
    const sheet = await screen.findByTestId('m-visit-sheet');
    await p.user.click(within(sheet).getByTestId('m-visit-file'));
    await p.user.click(within(sheet).getByTestId('m-visit-send'));
    expect(screen.getByTestId('m-error-pairing')).toHaveTextContent('请选择走访的包联社区');
    expect(screen.getByTestId('m-error-building')).toHaveTextContent('请填写楼栋');
    expect(screen.getByTestId('m-error-household')).toHaveTextContent('请填写门牌，如 2单元301');
    expect(screen.getByTestId('m-error-concern')).toHaveTextContent(
      '转为问题时请填写群众反映的内容',
    );
    expect(screen.getByTestId('m-error-category')).toHaveTextContent('请选择问题类别');
    expect(posts(p.api.calls)).toHaveLength(0);
  });

  it('what is typed stays while the lists load again behind the form', async () => {
    const s = server();
    const p = await renderPhone(<VisitsFlow />, { user: 'unit', path: '/visits', api: s.routes });
    await p.user.click(await screen.findByTestId('m-pairing-1'));
    const sheet = await screen.findByTestId('m-visit-sheet');
    await p.user.type(within(sheet).getByPlaceholderText('2单元301'), '2单元502');
    // The network drops and comes back: the pairings and visits are asked for again each time,
    // the flow redraws behind the sheet.
    window.dispatchEvent(new Event('offline'));
    await waitFor(() => expect(p.api.callsTo('GET /api/outreach/pairings')).toHaveLength(2));
    window.dispatchEvent(new Event('online'));
    await waitFor(() => expect(p.api.callsTo('GET /api/outreach/pairings')).toHaveLength(3));
    await waitFor(() => expect(p.api.callsTo('GET /api/outreach/visits')).toHaveLength(3));
    expect(within(sheet).getByPlaceholderText('2单元301')).toHaveValue('2单元502');
    expect(within(sheet).getByTestId('m-visit-building').querySelector('input')).toHaveValue('3幢');
  });

  it('the server’s refusal is shown on the form (a community the unit is not paired with)', async () => {
    const s = server();
    const p = await renderPhone(<VisitsFlow />, {
      user: 'unit',
      path: '/visits',
      api: {
        ...s.routes,
        'POST /api/outreach/visits': apiError(403, 'not_paired', {
          zh: '该社区不在本单位的包联范围内，不能记录入户走访',
          en: 'this community is not one your unit is paired with: no visit can be logged there',
        }),
      },
    });
    await p.user.click(await screen.findByTestId('m-pairing-2'));
    const sheet = await screen.findByTestId('m-visit-sheet');
    await p.user.type(within(sheet).getByPlaceholderText('3幢'), '5幢');
    await p.user.type(within(sheet).getByPlaceholderText('2单元301'), '101');
    await p.user.click(within(sheet).getByTestId('m-visit-send'));
    expect(await screen.findByTestId('m-form-error')).toHaveTextContent(
      '该社区不在本单位的包联范围内，不能记录入户走访',
    );
    // Refused, not queued: nothing waits to sync.
    expect(screen.queryByTestId('offline-queue')).toBeNull();
  });

  it('with the network cut: the lists from the phone, the visit queued, then synced', async () => {
    const s = server();
    const first = await renderPhone(<VisitsFlow />, {
      user: 'unit',
      path: '/visits',
      api: s.routes,
    });
    await screen.findByTestId('m-pairings');
    await within(screen.getByTestId('m-my-visits')).findByText('3幢1单元101');
    first.unmount();

    s.offline();
    onLine.mockReturnValue(false);
    const p = await renderPhone(<VisitsFlow />, { user: 'unit', path: '/visits', api: s.routes });
    expect(await screen.findByTestId('m-pairing-1')).toBeInTheDocument();
    expect(screen.getByTestId('m-kept')).toHaveTextContent('离线：显示');
    expect(within(screen.getByTestId('m-my-visits')).getByText('3幢1单元101')).toBeInTheDocument();
    await p.user.click(screen.getByTestId('m-pairing-1'));
    const sheet = await screen.findByTestId('m-visit-sheet');
    await p.user.type(within(sheet).getByPlaceholderText('2单元301'), '2单元601');
    await p.user.click(within(sheet).getByTestId('m-visit-send'));
    expect(await screen.findByText('已保存，联网后自动上传')).toBeInTheDocument();
    const bar = await screen.findByTestId('offline-queue');
    expect(within(bar).getByText('入户走访：湖滨社区3幢2单元601')).toBeInTheDocument();
    expect(screen.getByTestId('m-visit-queued')).toHaveTextContent(/^3幢2单元601.*待同步$/);
    expect(posts(p.api.calls)).toHaveLength(0);

    s.online();
    onLine.mockReturnValue(true);
    window.dispatchEvent(new Event('online'));
    await waitFor(() => expect(screen.queryByTestId('offline-queue')).toBeNull());
    expect(posts(p.api.calls)[0]!.body).toMatchObject({ regionId: 3, household: '2单元601' });
    expect(screen.queryByTestId('m-visit-queued')).toBeNull();
    expect(
      await within(screen.getByTestId('m-my-visits')).findByText('3幢2单元601'),
    ).toBeInTheDocument();
  });
});
