import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  TChecklistItemView,
  TMyRound,
  TVisitCorrection,
  TVisitSubmit,
} from '../../../core/contracts/inspections.js';
import { assignedPoint, myRound, visit } from '../../test/mobile-fixtures.js';
import { apiError, reply, type MockRequest, type Routes } from '../../test/mock-api.js';
import { renderPhone, type RenderedPhone } from '../../test/render-mobile.js';
import { keep, readKept } from '../phone-store.js';
import { forgetCachedAnswers } from '../service-worker.js';
import { InspectFlow } from './InspectFlow.js';
import { stubGeolocation } from '../../test/geolocation.js';

// 实地检查 on the phone: the rounds and points, a visit submitted online (and the problem its
// failed item raised), the same with the network cut (queued, then synced with its photo), what
// the form says in words before sending, 随机查看, count rules, the photo a severe failure needs,
// rounds drawn by day, 更正, and the rounds kept on the phone for opening offline.

const HERE = { latitude: 30.2655, longitude: 120.1589, accuracy: 8 };
const FILE_ID = '5d2b1c3e-0000-4000-8000-000000000001';

const item = (text: string, over: Partial<TChecklistItemView> = {}): TChecklistItemView => ({
  text,
  guidance: null,
  countRule: null,
  quantity: null,
  serious: false,
  severeCapable: false,
  standards: [],
  ...over,
});

const STREET = [
  item('沿途可见固定式公益广告不少于5处且无破损', {
    countRule: '步行300米',
    guidance: '临时横幅不计',
    quantity: { kind: 'count', min: 5, unit: '处' },
  }),
  item('地面无垃圾、烟头、痰迹', { serious: true }),
  item('无占道经营和乱堆乱放', { severeCapable: true }),
];
const MARKET = [item('无占道经营'), item('垃圾日产日清')];
const RESTAURANT = [item('门前三包落实，无店外经营'), item('有节约用餐、公筷公勺提示')];

/** About 30 m from HERE. */
const MARKET_POINT = assignedPoint({
  id: 12,
  name: '人民路农贸市场',
  type: 'P03',
  typeName: '农贸市场',
  lat: 30.2657,
  lng: 120.1591,
  unitName: '市场监管局',
  checklist: MARKET,
});
const STREET_POINT = assignedPoint({ id: 11, route: '步行300米', checklist: STREET });

const ROUND: TMyRound = myRound({
  kind: 'secret',
  name: '12月暗访',
  points: [STREET_POINT, MARKET_POINT],
  addableTypes: [{ code: 'P13', name: '小餐馆', route: '门前及店内', checklist: RESTAURANT }],
});

const VISITS = 'POST /api/visits';

const noGeolocation = () => delete (navigator as { geolocation?: unknown }).geolocation;

async function open(api: Routes = {}, rounds: TMyRound[] = [ROUND]) {
  return renderPhone(<InspectFlow />, {
    user: 'inspector',
    path: '/inspect/*',
    route: '/inspect',
    api: {
      'GET /api/inspections/mine': { items: rounds },
      [VISITS]: () => reply(201, visit()),
      'POST /api/files': { id: FILE_ID, url: '/f', thumbUrl: '/t' },
      ...api,
    },
  });
}

const choose = (p: RenderedPhone, i: number, r: 'pass' | 'fail' | 'na') =>
  p.user.click(screen.getByTestId(`check-${i}-${r}`));
const textbox = (testId: string) => within(screen.getByTestId(testId)).getByRole('textbox');
const jpeg = () => new File([new Uint8Array([0xff, 0xd8, 0xff])], 'a.jpg', { type: 'image/jpeg' });

describe('phone app: 实地检查', () => {
  beforeEach(() => stubGeolocation(HERE));
  afterEach(noGeolocation);

  it('lists the rounds’ points nearest first, opens one and submits the visit online', async () => {
    const p = await open();
    const round = await screen.findByTestId('inspect-round-7');
    expect(round).toHaveTextContent('12月暗访');
    expect(round).toHaveTextContent('暗访');
    expect(screen.getByTestId('inspect-round-7-count')).toHaveTextContent('已查 0/2');
    // The market, 30 m away, comes before the street, which has no position.
    await waitFor(() =>
      expect(
        within(round)
          .getAllByTestId(/^inspect-point-/)
          .map((el) => el.getAttribute('data-testid')),
      ).toEqual(['inspect-point-12', 'inspect-point-11']),
    );
    expect(screen.getByTestId('inspect-point-12')).toHaveTextContent(/\d+ m/);
    expect(screen.getByTestId('inspect-point-12')).toHaveTextContent('未检查');
    // What was loaded is kept on the phone.
    expect(readKept(1, 'GET /api/inspections/mine', {})?.data.items).toHaveLength(1);

    await p.user.click(screen.getByText('人民路农贸市场'));
    const form = await screen.findByTestId('visit-form');
    expect(p.location()).toBe('/inspect/7/points/12');
    expect(form).toHaveTextContent('市场监管局');
    expect(await screen.findByTestId('visit-distance')).toHaveTextContent(/距点位 \d+ m/);
    await choose(p, 0, 'pass');
    await choose(p, 1, 'pass');
    expect(screen.getByTestId('visit-answered')).toHaveTextContent('已填 2/2');
    await p.user.click(screen.getByTestId('visit-submit'));

    await waitFor(() => expect(p.api.callsTo(VISITS)).toHaveLength(1));
    const body = p.api.lastBody(VISITS) as TVisitSubmit;
    expect(body).toMatchObject({
      roundId: 7,
      pointId: 12,
      lat: HERE.latitude,
      lng: HERE.longitude,
      accuracyM: HERE.accuracy,
      ratings: null,
    });
    expect(body.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.items).toEqual([
      { index: 0, result: 'pass', note: null, count: null, photoIds: [] },
      { index: 1, result: 'pass', note: null, count: null, photoIds: [] },
    ]);
    expect(p.api.callsTo(VISITS)[0]!.headers['x-csrf-token']).toBe('test-csrf-token');
    // Back on the list, which says what became of it, and asks the server again.
    expect(await screen.findByTestId('inspect-done')).toHaveTextContent(
      '人民路农贸市场：已提交，合格',
    );
    expect(p.location()).toBe('/inspect');
    await waitFor(() =>
      expect(p.api.callsTo('GET /api/inspections/mine').length).toBeGreaterThanOrEqual(2),
    );
    expect(screen.queryByTestId('offline-queue')).toBeNull();
  });

  it('a failed item with its note and photo raises a problem, which the list then names', async () => {
    const p = await open({
      [VISITS]: () =>
        reply(
          201,
          visit({
            pointId: 12,
            result: 'fail',
            score: 0.5,
            problemId: 90,
            problemCode: 'W2612-0090',
          }),
        ),
    });
    await p.user.click(await screen.findByText('人民路农贸市场'));
    await screen.findByTestId('visit-form');
    await choose(p, 0, 'fail');
    await p.user.type(textbox('check-0-note'), '东门外三个摊位占用人行道');
    await p.user.upload(screen.getByTestId('check-0-photo'), jpeg());
    expect(screen.getByTestId('check-item-0').querySelectorAll('img')).toHaveLength(1);
    await choose(p, 1, 'pass');
    for (const k of ['environment', 'civility', 'facilities', 'atmosphere']) {
      await p.user.click(within(screen.getByTestId(`visit-rating-${k}`)).getByLabelText('4'));
    }
    await p.user.click(screen.getByTestId('visit-submit'));

    await waitFor(() => expect(p.api.callsTo(VISITS)).toHaveLength(1));
    // The photo is uploaded first, and the visit refers to it.
    expect(p.api.calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([
      '/api/files',
      '/api/visits',
    ]);
    const body = p.api.lastBody(VISITS) as TVisitSubmit;
    expect(body.items[0]).toEqual({
      index: 0,
      result: 'fail',
      note: '东门外三个摊位占用人行道',
      count: null,
      photoIds: [FILE_ID],
    });
    expect(body.ratings).toEqual({ environment: 4, civility: 4, facilities: 4, atmosphere: 4 });
    expect(await screen.findByTestId('inspect-done')).toHaveTextContent(
      '人民路农贸市场：已提交，不合格 50%；不合格项已生成问题 W2612-0090',
    );
  });

  it('with the network cut: the visit and its photo wait in the queue, and sync once online', async () => {
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    try {
      const p = await open();
      expect(await screen.findByTestId('inspect-stale')).toHaveTextContent(
        '当前无网络，显示的是上次加载的点位',
      );
      await p.user.click(await screen.findByText('人民路农贸市场'));
      await screen.findByTestId('visit-form');
      await choose(p, 0, 'fail');
      await p.user.upload(screen.getByTestId('check-0-photo'), jpeg());
      await choose(p, 1, 'na');
      await p.user.click(screen.getByTestId('visit-submit'));

      expect(await screen.findByTestId('inspect-done')).toHaveTextContent(
        '人民路农贸市场：已保存在本机，联网后自动同步',
      );
      const bar = await screen.findByTestId('offline-queue');
      await within(bar).findByText('点位检查：人民路农贸市场');
      expect(within(bar).getByTestId('offline-queue-count')).toHaveTextContent('待同步 1 条');
      expect(within(bar).getByText(/1 张照片/)).toBeInTheDocument();
      expect(screen.getByTestId('inspect-point-12')).toHaveTextContent('待同步');
      expect(p.api.callsTo(VISITS)).toHaveLength(0);
      expect(p.api.callsTo('POST /api/files')).toHaveLength(0);
      // A point waiting to sync does not open a second form.
      await p.user.click(screen.getByText('人民路农贸市场'));
      expect(screen.queryByTestId('visit-form')).toBeNull();

      // The server has the visit once it is sent: the list shows its result.
      p.api.on({
        'GET /api/inspections/mine': {
          items: [
            {
              ...ROUND,
              points: [
                STREET_POINT,
                { ...MARKET_POINT, visitId: 501, visitResult: 'fail', visitScore: 0 },
              ],
            },
          ],
        },
      });
      onLine.mockReturnValue(true);
      window.dispatchEvent(new Event('online'));
      await waitFor(() => expect(screen.queryByTestId('offline-queue')).toBeNull());
      expect(p.api.calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([
        '/api/files',
        '/api/visits',
      ]);
      const body = p.api.lastBody(VISITS) as TVisitSubmit;
      expect(body).toMatchObject({ pointId: 12, lat: HERE.latitude });
      expect(body.items.map((a) => [a.result, a.photoIds])).toEqual([
        ['fail', [FILE_ID]],
        ['na', []],
      ]);
      await waitFor(() =>
        expect(screen.getByTestId('inspect-point-12')).toHaveTextContent('不合格 0%'),
      );
      expect(screen.queryByTestId('inspect-stale')).toBeNull();
      // The notice that said it waited now says it has synced, with the result.
      expect(screen.getByTestId('inspect-done')).toHaveTextContent(
        '人民路农贸市场：已同步，不合格 0%',
      );
    } finally {
      onLine.mockRestore();
    }
  });

  it('says in Chinese what is missing or wrong before sending, and shows the server’s refusal', async () => {
    const p = await open({
      [VISITS]: apiError(409, 'duplicate', {
        zh: '本轮该点位已有检查记录；如需更正，请对原记录提交更正',
        en: 'this point already has a visit in this round',
      }),
    });
    await p.user.click(await screen.findByText('湖滨路'));
    await screen.findByTestId('visit-form');
    expect(screen.getByTestId('check-0-count-rule')).toHaveTextContent('计数规则：步行300米');
    expect(screen.getByTestId('check-0-guidance')).toHaveTextContent('口径：临时横幅不计');
    await p.user.click(screen.getByTestId('visit-submit'));
    expect(screen.getByTestId('visit-error')).toHaveTextContent('第 1 项尚未填写');
    expect(screen.getByTestId('check-item-0')).toHaveClass('m-item-flagged');

    // 合格 chosen without the count the item is judged by.
    await choose(p, 0, 'pass');
    await choose(p, 1, 'pass');
    await choose(p, 2, 'pass');
    await p.user.click(screen.getByTestId('visit-submit'));
    expect(screen.getByTestId('visit-error')).toHaveTextContent(
      '第 1 项“沿途可见固定式公益广告不少于5处且无破损”按数量判定，请填写实际计数（不少于5处）',
    );
    await p.user.type(textbox('check-0-count'), '6');
    expect(screen.queryByTestId('visit-error')).toBeNull();
    await p.user.click(screen.getByTestId('visit-submit'));
    expect(await screen.findByTestId('visit-error')).toHaveTextContent(
      '本轮该点位已有检查记录；如需更正，请对原记录提交更正',
    );
    expect(p.api.callsTo(VISITS)).toHaveLength(1);
    // Refused, it is not left in the queue.
    expect(screen.queryByTestId('offline-queue')).toBeNull();
    expect(screen.getByTestId('visit-form')).toBeInTheDocument();
  });

  it('a count rule: the count proposes the result, a shortfall leaves only 不合格', async () => {
    const p = await open();
    await p.user.click(await screen.findByText('湖滨路'));
    await screen.findByTestId('visit-form');
    expect(screen.getByTestId('check-0-quantity')).toHaveTextContent('要求不少于5处');
    await p.user.type(textbox('check-0-count'), '3');
    expect(screen.getByTestId('check-0-quantity')).toHaveTextContent('未达到');
    expect(screen.getByTestId('check-0-pass')).toBeDisabled();
    expect(screen.getByTestId('check-0-fail')).toHaveAttribute('aria-pressed', 'true');
    await p.user.clear(textbox('check-0-count'));
    await p.user.type(textbox('check-0-count'), '6');
    expect(screen.getByTestId('check-0-pass')).toHaveAttribute('aria-pressed', 'true');
    await choose(p, 1, 'pass');
    await choose(p, 2, 'pass');
    await p.user.click(screen.getByTestId('visit-submit'));
    await waitFor(() => expect(p.api.callsTo(VISITS)).toHaveLength(1));
    const body = p.api.lastBody(VISITS) as TVisitSubmit;
    expect(body.pointId).toBe(11);
    expect(body.items[0]).toMatchObject({ index: 0, result: 'pass', count: 6 });
  });

  it('a severe failure asks for its photo before the visit is sent', async () => {
    const p = await open();
    await p.user.click(await screen.findByText('湖滨路'));
    await screen.findByTestId('visit-form');
    await p.user.type(textbox('check-0-count'), '5');
    // The serious item fails: it is severe, and says it needs a photo.
    await choose(p, 1, 'fail');
    expect(screen.getByTestId('check-1-photo-needed')).toHaveTextContent('严重不合格须拍照留证');
    // The severe-capable item fails and is marked severe.
    await choose(p, 2, 'fail');
    await p.user.click(within(screen.getByTestId('check-2-severe')).getByRole('checkbox'));
    expect(screen.getByTestId('check-2-photo-needed')).toBeInTheDocument();
    await p.user.click(screen.getByTestId('visit-submit'));
    expect(screen.getByTestId('visit-error')).toHaveTextContent(
      '第 2 项“地面无垃圾、烟头、痰迹”为严重不合格，须附现场照片',
    );
    expect(p.api.callsTo(VISITS)).toHaveLength(0);

    await p.user.upload(screen.getByTestId('check-1-photo'), jpeg());
    await p.user.upload(screen.getByTestId('check-2-photo'), jpeg());
    expect(screen.queryByTestId('check-1-photo-needed')).toBeNull();
    await p.user.click(screen.getByTestId('visit-submit'));
    await waitFor(() => expect(p.api.callsTo(VISITS)).toHaveLength(1));
    const body = p.api.lastBody(VISITS) as TVisitSubmit;
    expect(body.items[1]).toMatchObject({ result: 'fail', photoIds: [FILE_ID] });
    expect(body.items[2]).toMatchObject({ result: 'fail', severe: true, photoIds: [FILE_ID] });
    expect(p.api.callsTo('POST /api/files')).toHaveLength(2);
  });

  it('随机查看: adds a place of an allowed kind and sends it with the visit', async () => {
    noGeolocation();
    const p = await open();
    await p.user.click(await screen.findByTestId('inspect-add-7'));
    await screen.findByTestId('add-place-form');
    await p.user.click(screen.getByTestId('add-place-next'));
    expect(screen.getByTestId('add-place-error')).toHaveTextContent('请选择点位类型');
    await p.user.click(screen.getByText('小餐馆'));
    await p.user.click(screen.getByTestId('add-place-next'));
    expect(screen.getByTestId('add-place-error')).toHaveTextContent('请填写点位名称');
    await p.user.type(textbox('add-place-name'), '老王面馆');
    await p.user.click(screen.getByTestId('add-place-next'));
    // No GPS on this phone: the address is needed.
    expect(screen.getByTestId('add-place-error')).toHaveTextContent('暂无定位，请填写详细地址');
    await p.user.type(textbox('add-place-address'), '湖滨路 8 号');
    await p.user.click(screen.getByTestId('add-place-next'));

    const form = await screen.findByTestId('visit-form');
    expect(form).toHaveTextContent('老王面馆');
    expect(form).toHaveTextContent('随机增加');
    expect(form).toHaveTextContent('观察路线：门前及店内');
    expect(screen.getAllByTestId(/^check-item-/)).toHaveLength(2);
    await choose(p, 0, 'pass');
    await choose(p, 1, 'fail');
    await p.user.click(screen.getByTestId('visit-submit'));
    await waitFor(() => expect(p.api.callsTo(VISITS)).toHaveLength(1));
    const body = p.api.lastBody(VISITS) as TVisitSubmit;
    expect(body.pointId).toBeUndefined();
    expect(body.addedPoint).toEqual({ type: 'P13', name: '老王面馆', address: '湖滨路 8 号' });
    expect(body).toMatchObject({ roundId: 7, lat: null, lng: null });
    expect(body.items.map((a) => a.result)).toEqual(['pass', 'fail']);
  });

  it('drawn by day: the points under their day and district, a day not drawn yet said so', async () => {
    const point = STREET_POINT;
    const byDay: TMyRound = {
      ...ROUND,
      points: [
        { ...point, id: 21, name: '西城农贸市场', districtName: '西城区', dayId: 2 },
        { ...point, id: 11, dayId: 1 },
        { ...point, id: 12, name: '柳浪巷', dayId: 1 },
        { ...point, id: 31, name: '界河小吃', added: true, districtName: '南山区', dayId: null },
      ],
      days: [
        { id: 1, date: '2026-12-08', districtNames: ['东湖区'], state: 'drawn' },
        { id: 2, date: '2026-12-09', districtNames: ['西城区'], state: 'revealed' },
        { id: 3, date: '2026-12-10', districtNames: ['南山区', '北湖区'], state: 'committed' },
      ],
    };
    await open({}, [byDay]);
    const sections = await screen.findAllByTestId(/^inspect-day-/);
    const names = (el: HTMLElement) =>
      within(el)
        .queryAllByTestId(/^inspect-point-/)
        .map((li) => li.getAttribute('data-testid'));
    expect(sections.map((el) => el.getAttribute('data-testid'))).toEqual([
      'inspect-day-1',
      'inspect-day-2',
      'inspect-day-3',
      'inspect-day-other',
    ]);
    expect(sections[0]).toHaveTextContent('2026-12-08 · 东湖区');
    expect(names(sections[0]!).sort()).toEqual(['inspect-point-11', 'inspect-point-12']);
    expect(names(sections[1]!)).toEqual(['inspect-point-21']);
    expect(sections[2]).toHaveTextContent('2026-12-10 · 南山区、北湖区尚未抽签');
    expect(names(sections[2]!)).toEqual([]);
    expect(sections[3]).toHaveTextContent('其他（不在日程城区内）');
    expect(within(sections[3]!).getByTestId('inspect-point-31')).toHaveTextContent('随机增加');
  });

  it('a visited point opens its history; 更正 appends a version with a reason', async () => {
    const v1 = visit({
      id: 501,
      pointId: 12,
      pointName: '人民路农贸市场',
      pointType: 'P03',
      result: 'fail',
      score: 0.5,
      problemId: 90,
      problemCode: 'W2612-0090',
      items: [
        {
          index: 0,
          result: 'fail',
          note: '占道',
          photoIds: [FILE_ID],
          text: '无占道经营',
          serious: false,
          severeCapable: false,
          quantity: null,
        },
        {
          index: 1,
          result: 'pass',
          photoIds: [],
          text: '垃圾日产日清',
          serious: false,
          severeCapable: false,
          quantity: null,
        },
      ],
    });
    const visited = {
      ...ROUND,
      points: [{ ...MARKET_POINT, visitId: 501, visitResult: 'fail' as const, visitScore: 0.5 }],
    };
    const p = await open(
      {
        'GET /api/visits/:id': { visit: v1, versions: [v1] },
        'GET /api/point-types': {
          items: [{ code: 'P03', checklist: MARKET } as unknown as TVisitCorrection],
        },
        'POST /api/visits/:id/corrections': (req: MockRequest) =>
          reply(
            201,
            visit({
              ...v1,
              id: 502,
              version: 2,
              reason: (req.body as TVisitCorrection).reason,
              result: 'pass',
              score: 1,
            }),
          ),
      },
      [visited],
    );
    await p.user.click(await screen.findByText('人民路农贸市场'));
    await screen.findByTestId('visit-correction');
    expect(p.location()).toBe('/inspect/visits/501');
    expect(await screen.findByTestId('visit-problem')).toHaveTextContent(
      '不合格项已生成问题 W2612-0090',
    );
    expect(screen.getByTestId('visit-version-1')).toHaveTextContent('不合格 50%');

    await p.user.click(screen.getByTestId('correct-open'));
    // Answers start from the latest version, its photo kept.
    expect(screen.getByTestId('correct-0-fail')).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId('correct-0-kept')).toHaveTextContent('保留原照片 1 张');
    await p.user.click(screen.getByTestId('correct-0-pass'));
    await p.user.click(screen.getByTestId('correct-submit'));
    expect(screen.getByTestId('correct-error')).toHaveTextContent('请填写更正原因');
    await p.user.type(textbox('correct-reason'), '复核照片：摊位已撤离');
    await p.user.click(screen.getByTestId('correct-submit'));

    await waitFor(() => expect(p.api.callsTo('POST /api/visits/:id/corrections')).toHaveLength(1));
    const sent = p.api.callsTo('POST /api/visits/:id/corrections')[0]!;
    expect(sent.path).toBe('/api/visits/501/corrections');
    const body = sent.body as TVisitCorrection;
    expect(body.reason).toBe('复核照片：摊位已撤离');
    expect(body.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.items[0]).toMatchObject({ index: 0, result: 'pass', photoIds: [FILE_ID] });
    expect(await screen.findByText('已更正为第 2 版')).toBeInTheDocument();
  });

  it('opens offline from the rounds kept on the phone; signing out forgets them', async () => {
    keep(1, 'GET /api/inspections/mine', {}, { items: [ROUND] });
    const p = await open({
      'GET /api/inspections/mine': () => Promise.reject(new TypeError('Failed to fetch')),
    });
    expect(await screen.findByTestId('inspect-point-12')).toBeInTheDocument();
    expect(screen.getByTestId('inspect-stale')).toBeInTheDocument();
    // A point opens from the kept copy, checklist and all.
    await p.user.click(screen.getByText('湖滨路'));
    await screen.findByTestId('visit-form');
    expect(screen.getAllByTestId(/^check-item-/)).toHaveLength(3);

    await forgetCachedAnswers();
    expect(readKept(1, 'GET /api/inspections/mine', {})).toBeNull();
  });

  it('a phone updated while offline still opens the rounds the old app kept', async () => {
    // The key the rounds had before the phone's one keeper (phone-store.ts), not per user.
    localStorage.setItem('cc-inspections-mine', JSON.stringify([ROUND]));
    await open({
      'GET /api/inspections/mine': () => Promise.reject(new TypeError('Failed to fetch')),
    });
    expect(await screen.findByTestId('inspect-point-12')).toBeInTheDocument();
    // Now kept for the signed-in inspector, under the old key no more.
    expect(readKept(1, 'GET /api/inspections/mine', {})?.data.items).toHaveLength(1);
    expect(localStorage.getItem('cc-inspections-mine')).toBeNull();
  });

  it('a point named in the URL (the task list’s link) opens its form directly', async () => {
    const p = await renderPhone(<InspectFlow />, {
      user: 'inspector',
      path: '/inspect/*',
      route: '/inspect/7/points/11',
      api: { 'GET /api/inspections/mine': { items: [ROUND] } },
    });
    expect(await screen.findByTestId('visit-form')).toHaveTextContent('湖滨路');
    await p.user.click(document.querySelector('.adm-nav-bar-back')!);
    expect(await screen.findByTestId('inspect-page')).toBeInTheDocument();
    expect(p.location()).toBe('/inspect');
  });
});
