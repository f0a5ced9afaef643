import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type {
  TStarCriterion,
  TStarHousehold,
  TStarRating,
} from '../../../core/contracts/star-households.js';
import { currentStarYear } from '../../../core/star-households/stars.js';
import { permissionsOf } from '../../../core/permissions.js';
import { modalButton } from '../../test/antd.js';
import type { MockRequest } from '../../test/mock-api.js';
import { asUser, renderPage } from '../../test/render.js';
import { StarHouseholdsPage } from './StarHouseholdsPage.js';

const YEAR = currentStarYear();
const CODES = ['patriotic', 'integrity', 'filial', 'hygiene', 'learning'] as const;
const NAMES = ['爱国守法星', '诚信星', '孝老星', '卫生星', '学习星'];
const CRITERIA: TStarCriterion[] = CODES.map((code, i) => ({
  id: i + 1,
  code,
  name: NAMES[i]!,
  nameEn: code,
  description: null,
  sortOrder: i,
  active: true,
  version: 1,
}));

const rating = (over: Partial<TStarRating>): TStarRating => ({
  id: 50,
  householdId: 1,
  year: YEAR,
  status: 'proposed',
  stars: ['patriotic', 'filial'],
  starCount: 2,
  tenStar: false,
  note: '孝敬老人',
  proposedById: 77,
  proposedByName: '网格员小周',
  proposedAt: '2026-11-01T02:00:00.000Z',
  reviewedByName: null,
  reviewedAt: null,
  returnReason: null,
  honourId: null,
  version: 2,
  ...over,
});

const household = (id: number, headName: string, r: TStarRating | null): TStarHousehold => ({
  id,
  gridId: 5,
  gridName: '幸福里一网格',
  regionId: 3,
  regionName: '幸福里社区',
  headName,
  address: `幸福里小区 ${id} 栋 101 室`,
  building: `幸福里小区 ${id} 栋`,
  phone: '138****5678',
  lat: null,
  lng: null,
  active: true,
  version: 1,
  rating: r,
});

const PENDING = household(1, '张建国', rating({ householdId: 1 }));
const UNRATED = household(2, '李秀英', null);
const TEN = household(
  3,
  '王德明',
  rating({
    id: 52,
    householdId: 3,
    status: 'approved',
    stars: Array.from({ length: 10 }, (_, i) => `s${i}`),
    starCount: 10,
    tenStar: true,
    version: 4,
  }),
);

const render = (user = asUser('office')) =>
  renderPage(<StarHouseholdsPage />, {
    user,
    api: {
      'GET /api/star-households': { items: [PENDING, UNRATED, TEN], nextCursor: null, total: 3 },
      'GET /api/star-households/coverage': {
        year: YEAR,
        items: [
          {
            regionId: 3,
            regionName: '幸福里社区',
            households: 3,
            rated: 1,
            proposed: 1,
            returned: 0,
            tenStar: 1,
            rate: 0.333,
            distribution: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
          },
        ],
      },
      'GET /api/star-households/criteria': { items: CRITERIA },
      'POST /api/star-households/:id/ratings': { ...UNRATED, rating: rating({ householdId: 2 }) },
      'POST /api/star-ratings/:id/review': rating({ status: 'returned', returnReason: '材料不足' }),
      'POST /api/star-ratings/:id/honour': { ...TEN.rating!, honourId: 9 },
      'GET /api/grids': { items: [{ id: 5, name: '幸福里一网格', regionName: '幸福里社区' }] },
      'PATCH /api/star-households/:id': (req: MockRequest) => ({
        ...PENDING,
        ...(req.body as object),
      }),
    },
  });

describe('StarHouseholdsPage', () => {
  it('shows coverage per community and the households with masked phones and stars', async () => {
    await render();
    const coverage = await screen.findByTestId('coverage');
    await waitFor(() => expect(within(coverage).getByText('幸福里社区')).toBeInTheDocument());
    expect(within(coverage).getByText('10★×1')).toBeInTheDocument();
    expect(await screen.findByText('张建国')).toBeInTheDocument();
    expect(screen.getAllByText('138****5678')).toHaveLength(3);
    expect(screen.getByTestId('stars-1')).toHaveTextContent('★ 2');
    expect(screen.getByText('爱国守法星、孝老星')).toBeInTheDocument();
    // The city office keeps the list of stars.
    expect(screen.getByTestId('criteria')).toBeInTheDocument();
  });

  it('proposes stars for an unrated household, with a client id', async () => {
    const page = await render();
    await page.user.click(await screen.findByTestId('propose-2'));
    await page.user.click(await screen.findByLabelText('诚信星'));
    await page.user.click(screen.getByLabelText('卫生星'));
    await page.user.click(modalButton('确定'));
    await waitFor(() =>
      expect(page.api.callsTo('POST /api/star-households/:id/ratings')).toHaveLength(1),
    );
    const body = page.api.lastBody('POST /api/star-households/:id/ratings') as {
      clientId: string;
    };
    expect(body).toMatchObject({ year: YEAR, stars: ['integrity', 'hygiene'], note: null });
    expect(body.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(page.api.callsTo('POST /api/star-households/:id/ratings')[0]!.path).toBe(
      '/api/star-households/2/ratings',
    );
  });

  it('returns a proposal only with a reason, at the version shown', async () => {
    const page = await render();
    await page.user.click(await screen.findByTestId('review-1'));
    await page.user.click(await screen.findByLabelText('退回'));
    await page.user.click(modalButton('确定'));
    expect(page.api.callsTo('POST /api/star-ratings/:id/review')).toHaveLength(0);
    await page.user.type(screen.getByTestId('review-reason'), '材料不足');
    await page.user.click(modalButton('确定'));
    await waitFor(() =>
      expect(page.api.lastBody('POST /api/star-ratings/:id/review')).toEqual({
        version: 2,
        decision: 'return',
        reason: '材料不足',
      }),
    );
  });

  it('registers a ten-star household as a 文明家庭', async () => {
    const page = await render();
    await page.user.click(await screen.findByTestId('honour-3'));
    await page.user.click(await screen.findByLabelText('市级文明家庭'));
    await page.user.click(modalButton('确定'));
    await waitFor(() =>
      expect(page.api.lastBody('POST /api/star-ratings/:id/honour')).toEqual({
        version: 4,
        level: 'city',
      }),
    );
  });

  it('edits a household at its version; the masked phone is sent only when a new one is typed', async () => {
    const page = await render();
    await page.user.click(await screen.findByTestId('edit-1'));
    const building = await screen.findByDisplayValue('幸福里小区 1 栋');
    await page.user.clear(building);
    await page.user.type(building, '幸福里小区 1 栋 2 单元');
    await page.user.click(modalButton('确定'));
    await waitFor(() =>
      expect(page.api.lastBody('PATCH /api/star-households/:id')).toEqual({
        version: 1,
        gridId: 5,
        headName: '张建国',
        address: '幸福里小区 1 栋 101 室',
        building: '幸福里小区 1 栋 2 单元',
        active: true,
      }),
    );
    await page.user.click(screen.getByTestId('edit-1'));
    await page.user.type(await screen.findByPlaceholderText(/138\*\*\*\*5678/), '13700002222');
    await page.user.click(modalButton('确定'));
    await waitFor(() => expect(page.api.callsTo('PATCH /api/star-households/:id')).toHaveLength(2));
    expect(page.api.lastBody('PATCH /api/star-households/:id')).toMatchObject({
      phone: '13700002222',
    });
  });

  it('no review of one’s own proposal; a leader only reads', async () => {
    await render(asUser('office', { id: 77 }));
    await screen.findByText('张建国');
    expect(screen.queryByTestId('review-1')).toBeNull();
    expect(screen.getByTestId('propose-2')).toBeInTheDocument();

    cleanup();
    await render(asUser('leader'));
    await screen.findByText('张建国');
    expect(screen.queryByTestId('propose-2')).toBeNull();
    expect(screen.queryByTestId('review-1')).toBeNull();
    expect(screen.queryByTestId('honour-3')).toBeNull();
    expect(screen.queryByTestId('household-new')).toBeNull();
    expect(screen.queryByTestId('edit-1')).toBeNull();
    expect(screen.queryByTestId('criteria')).toBeNull();
  });

  it('a district office reviews and rates but does not keep the list of stars', async () => {
    await render(
      asUser('office', {
        regionId: 2,
        regionName: '东湖区',
        regionLevel: 'district',
        permissions: [...permissionsOf(['office'], true)],
      }),
    );
    await screen.findByTestId('review-1');
    expect(screen.getByTestId('household-new')).toBeInTheDocument();
    expect(screen.queryByTestId('criteria')).toBeNull();
  });
});
