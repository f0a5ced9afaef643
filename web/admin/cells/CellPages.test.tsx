import { screen, waitFor, within } from '@testing-library/react';
import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import type {
  TApplication,
  TApplicationDetail,
  TCallDetail,
} from '../../../core/contracts/cell-awards.js';
import { modalButton, openSelect } from '../../test/antd.js';
import { campaign, campaignsOfKind, framework } from '../../test/fixtures.js';
import { renderPage } from '../../test/render.js';
import { CellCallPage } from './CellCallPage.js';
import { CellCallsPage } from './CellCallsPage.js';
import { CellCertificatePage } from './CellCertificatePage.js';

const day = (n: number) => dayjs().add(n, 'day').format('YYYY-MM-DD');

const CALL: TCallDetail = {
  id: 3,
  year: 2026,
  cellType: 'unit',
  level: 'city',
  title: '2026年度市级文明单位申报',
  honourTitle: '市级文明单位',
  frameworkId: 9,
  frameworkName: '文明单位测评体系（演示）',
  frameworkVersionId: 12,
  frameworkVersionNumber: 1,
  applicationDeadline: day(-20),
  publicityDays: 7,
  publicityStart: null,
  publicityEnd: null,
  officeRegionId: null,
  officeRegionName: null,
  status: 'assessing',
  notes: null,
  applications: 3,
  version: 4,
  createdAt: '2026-09-01T00:00:00.000Z',
  updatedAt: '2026-09-01T00:00:00.000Z',
  maxTotal: 8,
  standards: [
    {
      key: 'k1',
      code: 'D1.1.1',
      text: '成立学雷锋志愿服务组织',
      itemText: '学雷锋',
      contentText: '学雷锋活动常态化',
      method: 'material',
      maxScore: 4,
    },
    {
      key: 'k2',
      code: 'D1.1.2',
      text: '设立学雷锋志愿服务岗',
      itemText: '学雷锋',
      contentText: '学雷锋活动常态化',
      method: 'field',
      maxScore: 4,
    },
  ],
};

const app = (o: Partial<TApplication>): TApplication => ({
  id: 1,
  callId: 3,
  applicantName: '市城市管理综合执法局',
  unitId: 7,
  unitName: '市城市管理综合执法局',
  regionId: 1,
  regionName: '示范市',
  contact: null,
  eligibility: 'eligible',
  totalScore: 7.5,
  scored: 2,
  proposed: false,
  objections: 0,
  decision: null,
  decisionNote: null,
  decidedAt: null,
  honourId: null,
  version: 3,
  ...o,
});
const APPS = [
  app({}),
  app({ id: 2, applicantName: '市教育局', eligibility: 'ineligible', totalScore: 8 }),
  app({ id: 3, applicantName: '市体育局', scored: 1, totalScore: 4 }),
];

const renderCall = (call: TCallDetail, apps: TApplication[]) =>
  renderPage(<CellCallPage />, {
    route: `/cell-calls/${call.id}`,
    path: '/cell-calls/:id',
    api: {
      'GET /api/cell-award-calls/:id': call,
      'GET /api/cell-award-calls/:id/applications': { items: apps },
      'POST /api/cell-award-calls/:id/publicity': { ...call, status: 'publicity' },
      'POST /api/cell-award-applications/:id/decision': {},
    },
  });

describe('CellCallPage: 公示 and the decisions', () => {
  it('publishes only the eligible, fully scored applications, from the date chosen', async () => {
    const page = await renderCall(CALL, APPS);
    await page.user.click(await screen.findByTestId('call-publish'));
    const dialog = await screen.findByRole('dialog');
    const box = (name: RegExp) => within(dialog).getByRole('checkbox', { name });
    expect(box(/市城市管理综合执法局/)).toBeChecked();
    expect(box(/市教育局/)).toBeDisabled();
    expect(within(dialog).getByText(/一票否决/)).toBeInTheDocument();
    expect(box(/市体育局/)).toBeDisabled();
    expect(within(dialog).getByText(`至 ${day(6)}`)).toBeInTheDocument();
    await page.user.click(modalButton(/确\s*定/));
    await waitFor(() =>
      expect(page.api.callsTo('POST /api/cell-award-calls/:id/publicity')).toHaveLength(1),
    );
    expect(page.api.lastBody('POST /api/cell-award-calls/:id/publicity')).toEqual({
      version: 4,
      startDate: day(0),
      applicationIds: [1],
    });
  });

  it('decides only once 公示 is over', async () => {
    const running = {
      ...CALL,
      status: 'publicity' as const,
      publicityStart: day(-2),
      publicityEnd: day(4),
    };
    const listed = [app({ proposed: true }), APPS[1]!];
    await renderCall(running, listed);
    expect(
      await screen.findByText(`公示期至 ${day(4)}，期满后方可作出授予决定`),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('decide-1')).not.toBeInTheDocument();
  });

  it('after 公示 the office confers with a note', async () => {
    const over = {
      ...CALL,
      status: 'publicity' as const,
      publicityStart: day(-10),
      publicityEnd: day(-4),
    };
    const page = await renderCall(over, [app({ proposed: true }), APPS[1]!]);
    await page.user.click(await screen.findByTestId('decide-1'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('radio', { name: '授予' })).toBeChecked();
    await page.user.type(within(dialog).getByRole('textbox'), '公示期满无异议');
    await page.user.click(modalButton(/确\s*定/));
    await waitFor(() =>
      expect(page.api.callsTo('POST /api/cell-award-applications/:id/decision')).toHaveLength(1),
    );
    expect(page.api.lastBody('POST /api/cell-award-applications/:id/decision')).toEqual({
      version: 3,
      decision: 'conferred',
      note: '公示期满无异议',
    });
    // The vetoed one is offered "not conferred" first.
    await page.user.click(screen.getByTestId('decide-2'));
    const second = (await screen.findAllByRole('dialog')).at(-1)!;
    expect(within(second).getByRole('radio', { name: '不予授予' })).toBeChecked();
  });
});

describe('CellCertificatePage', () => {
  const conferred: TApplicationDetail = {
    ...app({ decision: 'conferred', honourId: 42, decidedAt: '2026-11-30T17:00:00.000Z' }),
    assessorNotes: null,
    assessedAt: null,
    vetoes: [],
    scores: [],
    materials: [],
    objectionList: [],
    honour: {
      id: 42,
      title: '市级文明单位',
      yearConferred: 2026,
      termYears: 3,
      certificateNo: 'WM2026-00042',
    },
  };

  it('prints the holder, the title, its term and number, issued by the city', async () => {
    await renderPage(<CellCertificatePage />, {
      route: '/cell-applications/1/certificate',
      path: '/cell-applications/:id/certificate',
      api: {
        'GET /api/cell-award-applications/:id': conferred,
        'GET /api/cell-award-calls/:id': CALL,
      },
    });
    const sheet = await screen.findByTestId('certificate-sheet');
    expect(sheet).toHaveTextContent('市城市管理综合执法局：');
    expect(sheet).toHaveTextContent('授予你单位 2026 年度“市级文明单位”称号');
    expect(sheet).toHaveTextContent('有效期：2026 年至 2028 年');
    expect(sheet).toHaveTextContent('证书编号：WM2026-00042');
    expect(sheet).toHaveTextContent('示范市精神文明建设委员会');
    // Decided at 01:00 in Shanghai on 1 December (30 November in UTC).
    expect(sheet).toHaveTextContent('2026 年 12 月 1 日');
  });
});

describe('CellCallsPage', () => {
  it('a new call offers only the frameworks of 文明细胞 campaigns', async () => {
    const page = await renderPage(<CellCallsPage />, {
      api: {
        'GET /api/cell-award-calls': { items: [] },
        'GET /api/campaigns': campaignsOfKind([
          campaign(),
          campaign({
            id: 2,
            name: '示范市文明细胞测评',
            kind: 'cells',
            frameworks: [framework({ id: 9, campaignId: 2, name: '文明单位测评体系' })],
          }),
        ]),
      },
    });
    await page.user.click(await screen.findByTestId('call-new'));
    await waitFor(() => expect(page.api.callsTo('GET /api/campaigns')).toHaveLength(1));
    expect(page.api.callsTo('GET /api/campaigns')[0]!.query).toEqual({ kind: 'cells' });
    const dropdown = await openSelect(page.user, await screen.findByTestId('call-framework'));
    await waitFor(() =>
      expect(
        [...dropdown.querySelectorAll('.ant-select-item-option')].map((o) => o.textContent),
      ).toEqual(['文明单位测评体系（示范市文明细胞测评）']),
    );
  });
});
