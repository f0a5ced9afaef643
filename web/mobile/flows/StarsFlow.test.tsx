import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type {
  TStarCriterion,
  TStarHousehold,
  TStarRating,
} from '../../../core/contracts/star-households.js';
import { currentStarYear } from '../../../core/star-households/stars.js';
import { offlineQueue } from '../../shared/offline-queue.js';
import { apiError, type MockRequest } from '../../test/mock-api.js';
import { renderPhone } from '../../test/render-mobile.js';
import { StarsFlow } from './StarsFlow.js';

// 十星级文明户 on the phone: the grid worker's households of the year with their ratings, proposing
// stars (again after a return, at the rating's version), through the offline queue with a client
// id; an approved rating is final; the server's refusal shows on the form.

const YEAR = currentStarYear();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CRITERIA: TStarCriterion[] = [
  ['patriotic', '爱国守法星'],
  ['integrity', '诚实守信星'],
  ['filial', '孝老爱亲星'],
  ['retired', '旧星'],
].map(([code, name], i) => ({
  id: i + 1,
  code: code!,
  name: name!,
  nameEn: code!,
  description: null,
  sortOrder: i,
  active: code !== 'retired',
  version: 1,
}));

const rating = (over: Partial<TStarRating>): TStarRating => ({
  id: 40,
  householdId: 1,
  year: YEAR,
  status: 'approved',
  stars: ['patriotic'],
  starCount: 1,
  tenStar: false,
  note: null,
  proposedById: 1,
  proposedByName: '孙网格',
  proposedAt: '2026-11-01T02:00:00.000Z',
  reviewedByName: '郑街道',
  reviewedAt: '2026-11-02T02:00:00.000Z',
  returnReason: null,
  honourId: null,
  version: 3,
  ...over,
});

const household = (id: number, headName: string, r: TStarRating | null): TStarHousehold => ({
  id,
  gridId: 5,
  gridName: '湖滨一网格',
  regionId: 3,
  regionName: '湖滨社区',
  headName,
  address: `湖滨花园 ${id} 幢 101 室`,
  building: `湖滨花园 ${id} 幢`,
  phone: '139****0101',
  lat: null,
  lng: null,
  active: true,
  version: 1,
  rating: r,
});

function server() {
  const list = [
    household(1, '陈志远', rating({})),
    household(
      2,
      '徐国强',
      rating({
        id: 41,
        householdId: 2,
        status: 'returned',
        returnReason: '卫生星缺少核实记录',
        stars: ['integrity'],
        version: 2,
      }),
    ),
    household(3, '马德胜', null),
  ];
  return {
    'GET /api/star-households': () => ({ items: list, nextCursor: null, total: list.length }),
    'GET /api/star-households/criteria': { items: CRITERIA },
    'POST /api/star-households/:id/ratings': (req: MockRequest) => {
      const h = list.find((x) => x.id === Number(req.params.id))!;
      const b = req.body as { stars: string[] };
      h.rating = rating({
        id: 50 + h.id,
        householdId: h.id,
        status: 'proposed',
        stars: b.stars,
        starCount: b.stars.length,
        version: 1,
      });
      return h;
    },
  };
}

const posts = (calls: readonly MockRequest[]) =>
  calls.filter((c) => c.method === 'POST' && c.path.startsWith('/api/star-households/'));

describe('phone app: 十星级文明户', () => {
  let onLine: MockInstance<() => boolean>;
  beforeEach(() => {
    onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true);
  });
  afterEach(async () => {
    onLine.mockRestore();
    const q = offlineQueue();
    for (const i of await q.items()) await q.discard(i.clientId);
  });

  it('lists the households with their ratings and proposes stars for an unrated one', async () => {
    const p = await renderPhone(<StarsFlow />, {
      user: 'grid_worker',
      path: '/stars',
      api: server(),
    });
    const list = await screen.findByTestId('m-households');
    expect(within(list).getByTestId('m-household-1')).toHaveTextContent('★1 已通过');
    expect(within(list).getByTestId('m-household-2')).toHaveTextContent('退回：卫生星缺少核实记录');
    // An approved rating is final: tapping it opens nothing.
    await p.user.click(within(list).getByTestId('m-household-1'));
    expect(screen.queryByTestId('m-rating-sheet')).toBeNull();

    await p.user.click(within(list).getByTestId('m-household-3'));
    const sheet = await screen.findByTestId('m-rating-sheet');
    // Retired stars are not offered.
    expect(within(sheet).queryByText('旧星')).toBeNull();
    await p.user.click(within(sheet).getByTestId('m-rating-send'));
    expect(screen.getByTestId('m-error-stars')).toHaveTextContent('请至少选择一颗星');
    await p.user.click(within(sheet).getByText('爱国守法星'));
    await p.user.click(within(sheet).getByText('孝老爱亲星'));
    await p.user.type(
      within(sheet).getByTestId('m-rating-note').querySelector('textarea')!,
      '热心',
    );
    await p.user.click(within(sheet).getByTestId('m-rating-send'));
    await waitFor(() => expect(posts(p.api.calls)).toHaveLength(1));
    const sent = posts(p.api.calls)[0]!;
    expect(sent.path).toBe('/api/star-households/3/ratings');
    const { clientId, ...body } = sent.body as { clientId: string };
    expect(clientId).toMatch(UUID);
    expect(body).toEqual({ year: YEAR, stars: ['patriotic', 'filial'], note: '热心' });
    expect(await screen.findByText('已提交审核')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('m-household-3')).toHaveTextContent('★2 待审核'));
  });

  it('proposes a returned rating again at its version, starting from its stars', async () => {
    const p = await renderPhone(<StarsFlow />, {
      user: 'grid_worker',
      path: '/stars',
      api: server(),
    });
    await p.user.click(await screen.findByTestId('m-household-2'));
    const sheet = await screen.findByTestId('m-rating-sheet');
    expect(within(sheet).getByTestId('m-rating-send')).toHaveTextContent('提交 1 颗星');
    await p.user.click(within(sheet).getByText('爱国守法星'));
    await p.user.click(within(sheet).getByTestId('m-rating-send'));
    await waitFor(() => expect(posts(p.api.calls)).toHaveLength(1));
    expect(posts(p.api.calls)[0]!.body).toMatchObject({
      stars: ['integrity', 'patriotic'],
      version: 2,
    });
  });

  it('shows the server’s refusal on the form', async () => {
    const p = await renderPhone(<StarsFlow />, {
      user: 'grid_worker',
      path: '/stars',
      api: {
        ...server(),
        'POST /api/star-households/:id/ratings': apiError(409, 'rating_approved', {
          zh: '该户本年度的星级评定已审核通过，不能再次申报',
          en: "this household's rating of the year is already approved",
        }),
      },
    });
    await p.user.click(await screen.findByTestId('m-household-3'));
    const sheet = await screen.findByTestId('m-rating-sheet');
    await p.user.click(within(sheet).getByText('诚实守信星'));
    await p.user.click(within(sheet).getByTestId('m-rating-send'));
    expect(await within(sheet).findByText(/该户本年度的星级评定已审核通过/)).toBeInTheDocument();
  });
});
