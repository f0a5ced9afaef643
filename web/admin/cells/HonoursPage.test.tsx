import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { THolderRecord } from '../../../core/contracts/cell-checks.js';
import type { THonour, THonourHistoryEntry } from '../../../core/contracts/honours.js';
import { permissionsOf } from '../../../core/permissions.js';
import { fill, formItem, modalButton, pickOption } from '../../test/antd.js';
import { page as pageOf } from '../../test/fixtures.js';
import { apiError, type MockRequest, type Routes } from '../../test/mock-api.js';
import { asUser, byId, renderPage } from '../../test/render.js';
import { HonoursPage } from './HonoursPage.js';

const COMMUNITY: THonour = {
  id: 11,
  cellType: 'community',
  holderName: '湖滨社区',
  unitId: null,
  unitName: null,
  regionId: 3,
  regionName: '湖滨社区',
  title: '全国文明社区',
  level: 'national',
  yearConferred: 2024,
  termYears: 3,
  termEndsYear: 2026,
  status: 'listed',
  lat: 30.27,
  lng: 120.15,
  remarks: null,
  officeRegionId: null,
  officeRegionName: null,
  version: 4,
  createdAt: '2026-01-05T02:00:00.000Z',
  updatedAt: '2026-03-05T02:00:00.000Z',
};
const FAMILY: THonour = {
  ...COMMUNITY,
  id: 12,
  cellType: 'family',
  holderName: '王建国家庭',
  title: '县级文明家庭',
  level: 'county',
  yearConferred: 2025,
  termEndsYear: 2027,
  lat: null,
  lng: null,
  officeRegionId: 2,
  officeRegionName: '湖滨区',
  version: 1,
};

const HISTORY: THonourHistoryEntry[] = [
  {
    id: 90,
    at: '2026-03-05T02:00:00.000Z',
    actorName: '李主任(office)',
    action: 'honour.status',
    kind: 'status',
    statusFrom: 'rectifying',
    statusTo: 'listed',
    reason: '整改验收合格，恢复在册',
    changed: [],
    file: null,
  },
  {
    id: 80,
    at: '2026-01-05T02:00:00.000Z',
    actorName: '李主任(office)',
    action: 'honour.create',
    kind: 'create',
    statusFrom: null,
    statusTo: 'listed',
    reason: null,
    changed: [],
    file: null,
  },
];

/** The registry as the server answers it: filtered by type as the query asks. */
const listed = (req: MockRequest) =>
  pageOf(
    [COMMUNITY, FAMILY].filter((h) => !req.query.cellType || h.cellType === req.query.cellType),
  );

/** A holder's record with one quarterly check: the registry's drawer shows it under 动态管理. */
const record = (id: number): THolderRecord => {
  const h = [COMMUNITY, FAMILY].find((x) => x.id === id)!;
  return {
    honour: { ...h, managed: true },
    year: 2026,
    checks: [
      {
        id: 5,
        honourId: id,
        holderName: h.holderName,
        listId: 1,
        listName: '文明社区季度检查',
        period: '2026-Q1',
        checkedOn: '2026-03-20',
        results: [{ code: 'S1', text: '组织健全', points: 5, pass: true, note: null }],
        passed: 1,
        score: 100,
        note: null,
        createdAt: '2026-03-20T02:00:00.000Z',
      },
    ],
    averageScore: 100,
    hits: [],
    deductionsThisYear: 0,
    yearScore: 100,
    problems: [],
    problemRadiusM: 100,
    reviews: [],
  };
};

const render = (user = asUser('office'), api: Routes = {}) =>
  renderPage(<HonoursPage />, {
    user,
    api: {
      'GET /api/honours': listed,
      'GET /api/honours/:id': (req: MockRequest) =>
        [COMMUNITY, FAMILY].find((h) => String(h.id) === req.params.id),
      'GET /api/honours/:id/history': { items: HISTORY },
      // The holder's dynamic management record (HolderRecord, tested with CellChecksPage).
      'GET /api/honours/:id/management': (req: MockRequest) => record(Number(req.params.id)),
      'GET /api/cell-check-lists': [],
      'GET /api/cell-negative-lists': [],
      'POST /api/honours': (req: MockRequest) => ({ ...FAMILY, id: 13, ...(req.body as object) }),
      'PATCH /api/honours/:id': (req: MockRequest) => ({
        ...COMMUNITY,
        ...(req.body as object),
        version: 5,
      }),
      ...api,
    },
  });

describe('HonoursPage: the 文明细胞 registry', () => {
  it('lists the holders and filters them by type, level and search', async () => {
    const page = await render();
    expect(await screen.findByText('王建国家庭')).toBeInTheDocument();
    expect(screen.getByText('全国文明社区')).toBeInTheDocument();
    await pickOption(page.user, byId('honour-filter-type'), '文明社区');
    await waitFor(() => expect(screen.queryByText('王建国家庭')).toBeNull());
    expect(screen.getAllByText('湖滨社区', { selector: 'td' }).length).toBeGreaterThan(0);
    await pickOption(page.user, byId('honour-filter-level'), '全国');
    await fill(page.user, screen.getByTestId('honour-search').querySelector('input')!, '湖滨');
    await page.user.keyboard('{Enter}');
    await waitFor(() =>
      expect(page.api.callsTo('GET /api/honours').at(-1)!.query).toMatchObject({
        cellType: 'community',
        level: 'national',
        q: '湖滨',
      }),
    );
    // The export carries the same filters.
    expect(screen.getByTestId('export').getAttribute('href')).toContain('cellType=community');
  });

  it('registers a holder: a missing name is refused before sending, the server’s field errors shown', async () => {
    const page = await render(asUser('office'), {
      'POST /api/honours': apiError(
        400,
        'invalid',
        { zh: '请求数据无效', en: 'invalid request' },
        {
          fields: [
            {
              path: 'body.yearConferred',
              message: '授予年度应在 1980 年以后 / the year conferred is 1980 or later',
            },
          ],
        },
      ),
    });
    await screen.findByText('王建国家庭');
    await page.user.click(screen.getByTestId('honour-new'));
    await page.user.click(modalButton('确定'));
    expect(
      await within(formItem('称号持有者')).findByText('请填写称号持有者名称'),
    ).toBeInTheDocument();
    expect(page.api.callsTo('POST /api/honours')).toHaveLength(0);

    await fill(page.user, byId('honour_holderName'), '柳岸社区');
    await pickOption(page.user, byId('honour_cellType'), '文明社区');
    await page.user.click(modalButton('确定'));
    expect(
      await within(formItem('授予年度')).findByText('授予年度应在 1980 年以后'),
    ).toBeInTheDocument();
    expect(page.api.lastBody('POST /api/honours')).toMatchObject({
      cellType: 'community',
      holderName: '柳岸社区',
      level: 'city',
      termYears: 3,
      status: 'listed',
    });
  });

  it('shows a holder with its history; a change of status is not sent without its reason', async () => {
    const page = await render();
    await page.user.click(await screen.findByText('全国文明社区'));
    const history = await screen.findByTestId('honour-history');
    expect(await within(history).findByText(/整改验收合格，恢复在册/)).toBeInTheDocument();
    expect(within(history).getByText('整改 → 在册')).toBeInTheDocument();
    expect(within(history).getByText('登记')).toBeInTheDocument();
    // Its dynamic management beside the history: this year's quarterly check.
    expect(await screen.findByText('文明社区季度检查')).toBeInTheDocument();

    await page.user.click(screen.getByTestId('honour-edit'));
    await pickOption(page.user, byId('honour_status'), '撤销');
    await waitFor(() => byId('honour_reason'));
    await page.user.click(modalButton('确定'));
    expect(
      await within(formItem('变更原因')).findByText('变更称号状态须说明原因'),
    ).toBeInTheDocument();
    expect(page.api.callsTo('PATCH /api/honours/:id')).toHaveLength(0);

    await fill(page.user, byId('honour_reason'), '复审否决：一票否决');
    await page.user.click(modalButton('确定'));
    await waitFor(() => expect(page.api.callsTo('PATCH /api/honours/:id')).toHaveLength(1));
    const sent = page.api.callsTo('PATCH /api/honours/:id')[0]!;
    expect(sent.path).toBe('/api/honours/11');
    // Only what changed, at the version shown, with the reason.
    expect(sent.body).toEqual({ status: 'revoked', reason: '复审否决：一票否决', version: 4 });
  });

  it('an edit that keeps the status asks no reason', async () => {
    const page = await render();
    await page.user.click(await screen.findByText('全国文明社区'));
    await page.user.click(await screen.findByTestId('honour-edit'));
    await fill(page.user, byId('honour_remarks'), '2026 年复查通过');
    expect(document.getElementById('honour_reason')).toBeNull();
    await page.user.click(modalButton('确定'));
    await waitFor(() =>
      expect(page.api.lastBody('PATCH /api/honours/:id')).toEqual({
        remarks: '2026 年复查通过',
        version: 4,
      }),
    );
  });

  it('a district office edits the titles its office manages, not the city’s; a leader reads only', async () => {
    const district = asUser('office', {
      regionId: 2,
      regionName: '湖滨区',
      regionLevel: 'district',
      permissions: [...permissionsOf(['office'], true)],
    });
    const page = await render(district);
    expect(await screen.findByTestId('honour-import')).toBeInTheDocument();
    await page.user.click(await screen.findByText('全国文明社区'));
    await screen.findByTestId('honour-detail');
    expect(screen.queryByTestId('honour-edit')).toBeNull();
    page.unmount();

    const own = await render(district);
    await own.user.click(await screen.findByText('县级文明家庭'));
    expect(await screen.findByTestId('honour-edit')).toBeInTheDocument();
    own.unmount();

    await render(asUser('leader'));
    expect(await screen.findByText('王建国家庭')).toBeInTheDocument();
    expect(screen.queryByTestId('honour-new')).toBeNull();
    expect(screen.queryByTestId('honour-import')).toBeNull();
    expect(screen.getByTestId('export')).toBeInTheDocument();
  });
});
