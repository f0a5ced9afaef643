import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TCarrier, TCoverage } from '../../../core/contracts/ad-carriers.js';
import { fill, modalButton, pickOption } from '../../test/antd.js';
import { page as pageOf } from '../../test/fixtures.js';
import { apiError, type MockRequest, type Routes } from '../../test/mock-api.js';
import { asUser, byId, renderPage } from '../../test/render.js';
import { CarriersPage } from './CarriersPage.js';

const BOARD: TCarrier = {
  id: 21,
  code: 'GG00021',
  kind: 'board',
  widthCm: 120,
  heightCm: 80,
  lat: 30.27,
  lng: 120.15,
  address: '东门',
  pointId: 5,
  pointName: '湖滨实验小学',
  gridId: 7,
  gridName: '湖滨一网格',
  regionId: 3,
  regionName: '湖滨街道',
  unitId: 9,
  unitName: '湖滨区城管局',
  theme: 'core_values',
  designTitle: '讲文明树新风',
  photoId: null,
  photoTakenAt: null,
  state: 'damaged',
  fixed: true,
  cluster: null,
  problemId: null,
  problemCode: null,
  problemState: null,
  remarks: null,
  version: 3,
  createdAt: '2026-11-01T02:00:00.000Z',
  updatedAt: '2026-11-02T02:00:00.000Z',
};
const LED: TCarrier = {
  ...BOARD,
  id: 22,
  code: 'GG00022',
  kind: 'led',
  theme: 'civil_health',
  state: 'intact',
  designTitle: null,
};

const COVERAGE: TCoverage = {
  points: [
    {
      pointId: 5,
      pointName: '湖滨实验小学',
      pointTypeId: 1,
      pointTypeName: '学校',
      regionId: 3,
      regionName: '湖滨街道',
      streetId: 3,
      streetName: '湖滨街道',
      carriers: 2,
      counted: 1,
      countedUnits: 1,
      checks: [
        {
          kind: 'count',
          theme: null,
          required: 5,
          actual: 1,
          result: 'unmet',
          messageZh: '公益广告不少于 5 处，现有 1 处',
          messageEn: 'at least 5 carriers, 1 counted',
        },
      ],
      met: false,
    },
  ],
  streets: [{ streetId: 3, streetName: '湖滨街道', points: 1, unmet: 1 }],
  truncated: false,
};

const listed = (req: MockRequest) =>
  pageOf([BOARD, LED].filter((c) => !req.query.state || c.state === req.query.state));

const render = (user = asUser('office'), api: Routes = {}) =>
  renderPage(<CarriersPage />, {
    user,
    api: {
      'GET /api/ad-carriers': listed,
      'GET /api/ad-carriers/:id': (req: MockRequest) =>
        [BOARD, LED].find((c) => String(c.id) === req.params.id),
      'GET /api/ad-carriers/coverage': COVERAGE,
      'GET /api/ad-carrier-rules': { items: [] },
      'GET /api/ad-campaigns': {
        items: [
          {
            id: 1,
            name: '春节主题换版',
            theme: 'festival',
            designTitle: null,
            deadline: '2027-02-10',
            ownerRegionId: null,
            total: 4,
            done: 2,
            percent: 50,
            overdue: false,
            createdAt: '2026-11-01T02:00:00.000Z',
          },
        ],
      },
      'GET /api/points': { items: [] },
      'POST /api/ad-carriers/:id/problem': {
        carrier: { ...BOARD, problemId: 40, problemCode: 'P2026-0040', problemState: 'dispatched' },
        problemId: 40,
        problemCode: 'P2026-0040',
        dispatched: true,
      },
      ...api,
    },
  });

describe('CarriersPage: 公益广告阵地', () => {
  it('lists carriers, filters by state and carries the filters into the export', async () => {
    const page = await render();
    expect(await screen.findByText('GG00022')).toBeInTheDocument();
    expect(screen.getByText('GG00021')).toBeInTheDocument();
    await pickOption(page.user, byId('carrier-filter-state'), '破损');
    await waitFor(() => expect(screen.queryByText('GG00022')).toBeNull());
    expect(page.api.callsTo('GET /api/ad-carriers').at(-1)!.query).toMatchObject({
      state: 'damaged',
    });
    expect(screen.getByTestId('export').getAttribute('href')).toContain('state=damaged');
  });

  it('turns a damaged carrier into a problem at its version; an intact one offers none', async () => {
    const page = await render();
    await page.user.click(await screen.findByText('GG00021'));
    const button = await screen.findByTestId('carrier-to-problem');
    await page.user.click(button);
    await waitFor(() =>
      expect(page.api.callsTo('POST /api/ad-carriers/:id/problem')).toHaveLength(1),
    );
    const sent = page.api.callsTo('POST /api/ad-carriers/:id/problem')[0]!;
    expect(sent.path).toBe('/api/ad-carriers/21/problem');
    expect(sent.body).toEqual({ version: 3 });
    expect(await screen.findByText(/已生成问题 P2026-0040/)).toBeInTheDocument();
    page.unmount();

    const again = await render();
    await again.user.click(await screen.findByText('GG00022'));
    await screen.findByTestId('carrier-detail');
    expect(screen.queryByTestId('carrier-to-problem')).toBeNull();
  });

  it('registers a carrier; the server’s field errors show on the form', async () => {
    const page = await render(asUser('office'), {
      'POST /api/ad-carriers': apiError(
        400,
        'invalid',
        { zh: '请求数据无效', en: 'invalid request' },
        {
          fields: [
            { path: 'body.widthCm', message: '宽度至少 1 厘米 / the width is at least 1 cm' },
          ],
        },
      ),
    });
    await screen.findByText('GG00021');
    await page.user.click(screen.getByTestId('carrier-new'));
    await fill(page.user, byId('carrier_widthCm'), '120');
    await fill(page.user, byId('carrier_heightCm'), '80');
    await fill(page.user, byId('carrier_lat'), '30.2');
    await fill(page.user, byId('carrier_lng'), '120.1');
    await page.user.click(modalButton('确定'));
    expect(await screen.findByText('宽度至少 1 厘米')).toBeInTheDocument();
    expect(page.api.lastBody('POST /api/ad-carriers')).toMatchObject({
      kind: 'board',
      theme: 'core_values',
      widthCm: 120,
      heightCm: 80,
      state: 'intact',
      fixed: true,
      pointId: null,
      photoId: null,
    });
  });

  it('a leader reads only; the coverage tab shows the breaches per point and street', async () => {
    const page = await render(asUser('leader'));
    expect(await screen.findByText('GG00021')).toBeInTheDocument();
    expect(screen.queryByTestId('carrier-new')).toBeNull();
    expect(screen.queryByTestId('carrier-import')).toBeNull();
    await page.user.click(screen.getByRole('tab', { name: '覆盖情况' }));
    const points = await screen.findByTestId('coverage-points');
    expect(await within(points).findByText('公益广告不少于 5 处，现有 1 处')).toBeInTheDocument();
    expect(within(points).getByText('未达标')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('coverage-streets')).getByText('湖滨街道'),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('rule-edit')).toBeNull();
    await page.user.click(screen.getByRole('tab', { name: '换版' }));
    expect(await screen.findByText('春节主题换版')).toBeInTheDocument();
    expect(screen.getByText('2/4')).toBeInTheDocument();
    expect(screen.queryByTestId('campaign-new')).toBeNull();
  });
});
