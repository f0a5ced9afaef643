import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type {
  TChecklistItemView,
  TMyRound,
  TVisitSubmit,
} from '../../../core/contracts/inspections.js';
import { fill } from '../../test/antd.js';
import type { MockRequest } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { InspectPage } from './InspectPage.js';

// The inspector's phone: 随机查看 (a place added on the spot, seed 001), count rules scored from the
// count entered (BRIEF §2.2) and the photo a severe failure needs before the visit is saved.

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
    quantity: { kind: 'count', min: 5, unit: '处' },
  }),
  item('地面无垃圾、烟头、痰迹', { serious: true }),
  item('无占道经营和乱堆乱放', { severeCapable: true }),
];
const RESTAURANT = [item('门前三包落实，无店外经营'), item('有节约用餐、公筷公勺提示')];

const ROUND: TMyRound = {
  id: 7,
  name: '12月模拟测评',
  kind: 'mock',
  startsOn: null,
  endsOn: null,
  points: [
    {
      id: 11,
      name: '湖滨路',
      type: 'P01',
      typeName: '主次干道',
      route: '步行300米',
      address: null,
      lat: null,
      lng: null,
      unitName: null,
      added: false,
      districtName: '东湖区',
      dayId: null,
      checklist: STREET,
      visitId: null,
      visitResult: null,
      visitScore: null,
    },
  ],
  addableTypes: [{ code: 'P13', name: '小餐馆', route: '门前及店内', checklist: RESTAURANT }],
  days: [],
};

const VISITS = 'POST /api/visits';

async function open(visit: (body: TVisitSubmit) => unknown = () => ({ id: 1 })) {
  return renderPage(<InspectPage />, {
    user: 'inspector',
    width: 390,
    api: {
      'GET /api/inspections/mine': { items: [ROUND] },
      [VISITS]: (req: MockRequest) => visit(req.body as TVisitSubmit),
      'POST /api/files': { id: '5d2b1c3e-0000-4000-8000-000000000001' },
    },
  });
}

const choose = (i: number, r: 'pass' | 'fail' | 'na') =>
  fireEvent.click(screen.getByTestId(`check-${i}-${r}`));

describe('InspectPage', () => {
  it('随机查看: adds a place of an allowed kind and sends it with the visit', async () => {
    const page = await open();
    await page.user.click(await screen.findByTestId('inspect-add-7'));
    const form = await screen.findByTestId('add-place-form');
    // Nothing chosen yet: the form says what is missing.
    await page.user.click(within(form).getByTestId('add-place-next'));
    expect(await screen.findByTestId('add-place-error')).toHaveTextContent('请选择点位类型');
    await page.user.click(within(form).getByText('小餐馆'));
    await fill(page.user, screen.getByTestId('add-place-name'), '老王面馆');
    await page.user.click(within(form).getByTestId('add-place-next'));
    // No GPS in this browser: the address is needed.
    expect(screen.getByTestId('add-place-error')).toHaveTextContent('请填写详细地址');
    await fill(page.user, screen.getByTestId('add-place-address'), '湖滨路 8 号');
    await page.user.click(within(form).getByTestId('add-place-next'));

    const visit = await screen.findByTestId('visit-form');
    expect(visit).toHaveTextContent('老王面馆');
    expect(visit).toHaveTextContent('随机增加');
    expect(screen.getAllByTestId(/^check-item-/)).toHaveLength(2);
    choose(0, 'pass');
    choose(1, 'fail');
    await page.user.click(screen.getByTestId('visit-submit'));
    await waitFor(() => expect(page.api.callsTo(VISITS)).toHaveLength(1));
    const body = page.api.lastBody(VISITS) as TVisitSubmit;
    expect(body.pointId).toBeUndefined();
    expect(body.addedPoint).toEqual({ type: 'P13', name: '老王面馆', address: '湖滨路 8 号' });
    expect(body.roundId).toBe(7);
    expect(body.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.items.map((a) => a.result)).toEqual(['pass', 'fail']);
  });

  it('a count rule: the count proposes the result, a shortfall leaves only 不合格', async () => {
    const page = await open();
    await page.user.click(await screen.findByText('湖滨路'));
    await screen.findByTestId('visit-form');
    expect(screen.getByTestId('check-0-quantity')).toHaveTextContent('要求不少于5处');
    const count = within(screen.getByTestId('check-0-numbers')).getByRole('spinbutton');
    await page.user.type(count, '3');
    await waitFor(() => expect(screen.getByTestId('check-0-quantity')).toHaveTextContent('未达到'));
    // 不合格 is chosen for the inspector, and 合格 cannot be.
    const pass = screen.getByTestId('check-0-pass').closest('label')!;
    expect(pass).toHaveClass('ant-radio-button-wrapper-disabled');
    expect(screen.getByTestId('check-0-fail').closest('label')).toHaveClass(
      'ant-radio-button-wrapper-checked',
    );
    await page.user.clear(count);
    await page.user.type(count, '6');
    await waitFor(() =>
      expect(screen.getByTestId('check-0-pass').closest('label')).toHaveClass(
        'ant-radio-button-wrapper-checked',
      ),
    );
    choose(1, 'pass');
    choose(2, 'pass');
    await page.user.click(screen.getByTestId('visit-submit'));
    await waitFor(() => expect(page.api.callsTo(VISITS)).toHaveLength(1));
    const body = page.api.lastBody(VISITS) as TVisitSubmit;
    expect(body.pointId).toBe(11);
    expect(body.items[0]).toMatchObject({ index: 0, result: 'pass', count: 6 });
  });

  it('a severe failure asks for its photo before the visit is saved', async () => {
    const page = await open();
    await page.user.click(await screen.findByText('湖滨路'));
    await screen.findByTestId('visit-form');
    const count = within(screen.getByTestId('check-0-numbers')).getByRole('spinbutton');
    await page.user.type(count, '5');
    // The serious item fails: it is severe, and says it needs a photo.
    choose(1, 'fail');
    expect(screen.getByTestId('check-1-photo-needed')).toHaveTextContent('严重不合格须拍照留证');
    // The severe-capable item fails and is marked severe.
    choose(2, 'fail');
    await page.user.click(screen.getByTestId('check-2-severe'));
    expect(screen.getByTestId('check-2-photo-needed')).toBeInTheDocument();
    await page.user.click(screen.getByTestId('visit-submit'));
    expect(
      await screen.findByText(/第 2 项“地面无垃圾、烟头、痰迹”为严重不合格，须附现场照片/),
    ).toBeInTheDocument();
    expect(page.api.callsTo(VISITS)).toHaveLength(0);

    const jpeg = new File([new Uint8Array([0xff, 0xd8, 0xff])], 'a.jpg', { type: 'image/jpeg' });
    await page.user.upload(screen.getByTestId('check-1-photo'), jpeg);
    await page.user.upload(screen.getByTestId('check-2-photo'), jpeg);
    expect(screen.queryByTestId('check-1-photo-needed')).not.toBeInTheDocument();
    await page.user.click(screen.getByTestId('visit-submit'));
    await waitFor(() => expect(page.api.callsTo(VISITS)).toHaveLength(1));
    const body = page.api.lastBody(VISITS) as TVisitSubmit;
    expect(body.items[1]).toMatchObject({
      result: 'fail',
      photoIds: ['5d2b1c3e-0000-4000-8000-000000000001'],
    });
    expect(body.items[2]).toMatchObject({ result: 'fail', severe: true });
    expect(body.items[2]!.photoIds).toHaveLength(1);
  });

  it('drawn by day: the points under their day and district, a day not drawn yet said so', async () => {
    const point = ROUND.points[0]!;
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
    await renderPage(<InspectPage />, {
      user: 'inspector',
      width: 390,
      api: { 'GET /api/inspections/mine': { items: [byDay] } },
    });
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
    expect(names(sections[3]!)).toEqual(['inspect-point-31']);
  });
});
