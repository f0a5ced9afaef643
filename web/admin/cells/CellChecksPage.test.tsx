import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type {
  TCheckList,
  THolderRecord,
  TNegativeList,
} from '../../../core/contracts/cell-checks.js';
import type { THonour } from '../../../core/contracts/honours.js';
import { permissionsOf } from '../../../core/permissions.js';
import { pickOption } from '../../test/antd.js';
import { page as pageOf } from '../../test/fixtures.js';
import { asUser, byId, renderPage } from '../../test/render.js';
import { CellChecksPage, parseLines } from './CellChecksPage.js';
import { currentPeriod } from './HolderRecord.js';

const HOLDER: THonour = {
  id: 11,
  cellType: 'unit',
  holderName: '湖滨区税务局',
  unitId: 4,
  unitName: '湖滨区税务局',
  regionId: 2,
  regionName: '湖滨区',
  title: '市级文明单位',
  level: 'city',
  yearConferred: 2025,
  termYears: 3,
  termEndsYear: 2027,
  status: 'listed',
  lat: 30.27,
  lng: 120.15,
  remarks: null,
  officeRegionId: 2,
  officeRegionName: '湖滨区',
  version: 3,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const LIST: TCheckList = {
  id: 1,
  cellType: 'unit',
  name: '文明单位季度检查',
  frequency: 'quarterly',
  standards: [
    { code: 'S1', text: '文明创建领导机构健全', points: 5 },
    { code: 'S2', text: '门前三包落实', points: 5 },
  ],
  totalPoints: 10,
  active: true,
  version: 1,
};

const NEG: TNegativeList = {
  id: 1,
  cellType: 'unit',
  name: '文明单位负面清单',
  items: [
    { code: 'F1', text: '门前环境脏乱差被曝光', points: 2, severe: false },
    { code: 'F9', text: '发生重大安全责任事故', points: 3, severe: true },
  ],
  severeAction: 'rectify',
  severeWindowMonths: 24,
  severeThreshold: 1,
  rectifyMonths: 12,
  rule: { zh: '24 个月内触及严重情形：称号转为整改 12 个月', en: 'a severe item…' },
  version: 1,
};

const record = (managed: boolean): THolderRecord => ({
  honour: {
    id: 11,
    cellType: 'unit',
    holderName: '湖滨区税务局',
    title: '市级文明单位',
    level: 'city',
    status: 'listed',
    version: 3,
    managed,
  },
  year: 2026,
  checks: [
    {
      id: 5,
      honourId: 11,
      holderName: '湖滨区税务局',
      listId: 1,
      listName: '文明单位季度检查',
      period: '2026-Q1',
      checkedOn: '2026-03-20',
      results: [
        { code: 'S1', text: '文明创建领导机构健全', points: 5, pass: true, note: null },
        { code: 'S2', text: '门前三包落实', points: 5, pass: false, note: '门口堆物' },
      ],
      passed: 1,
      score: 50,
      note: null,
      createdAt: '2026-03-20T02:00:00.000Z',
    },
  ],
  averageScore: 50,
  hits: [],
  deductionsThisYear: 0,
  yearScore: 50,
  problems: [
    {
      id: 77,
      code: 'WT2026-000077',
      title: '单位门口垃圾堆放',
      state: 'closed',
      createdAt: '2026-05-02T01:00:00.000Z',
      byUnit: false,
      distanceM: 35,
      hitId: null,
    },
  ],
  problemRadiusM: 100,
  reviews: [],
});

const districtOffice = () =>
  asUser('office', {
    regionId: 2,
    regionName: '湖滨区',
    regionLevel: 'district',
    permissions: [...permissionsOf(['office'], true)],
  });

const render = (user = districtOffice(), managed = true) =>
  renderPage(<CellChecksPage />, {
    user,
    api: {
      'GET /api/honours': pageOf([HOLDER]),
      'GET /api/honours/:id/management': record(managed),
      'GET /api/cell-check-lists': [LIST],
      'GET /api/cell-negative-lists': [NEG],
      'POST /api/cell-checks': { ...record(true).checks[0]!, id: 6, period: '2026-Q4' },
      'POST /api/cell-hits': {
        hit: {
          id: 9,
          honourId: 11,
          holderName: '湖滨区税务局',
          itemCode: 'F1',
          itemText: '门前环境脏乱差被曝光',
          points: 2,
          severe: false,
          hitOn: '2026-05-03',
          note: null,
          problemId: 77,
          action: null,
          rectifyUntil: null,
          createdAt: '2026-05-03T01:00:00.000Z',
        },
        statusChange: null,
      },
    },
  });

describe('CellChecksPage: 文明细胞 dynamic management', () => {
  it('a district office records a quarterly check of its holder, a standard failed', async () => {
    const page = await render();
    await page.user.click(await screen.findByText('湖滨区税务局'));
    const rec = await screen.findByTestId('holder-record');
    expect(within(rec).getByText(/门口堆物/)).toBeInTheDocument();
    await page.user.click(byId('record-check'));
    await page.user.click(await screen.findByLabelText('pass-S2'));
    await page.user.click(byId('check-submit'));
    await waitFor(() => expect(page.api.callsTo('POST /api/cell-checks')).toHaveLength(1));
    expect(page.api.lastBody('POST /api/cell-checks')).toMatchObject({
      honourId: 11,
      listId: 1,
      period: currentPeriod('quarterly'),
      results: [
        { code: 'S1', pass: true, note: null },
        { code: 'S2', pass: false, note: null },
      ],
    });
  });

  it('turns a problem at the premises into a negative-list hit', async () => {
    const page = await render();
    await page.user.click(await screen.findByText('湖滨区税务局'));
    await page.user.click(await screen.findByRole('button', { name: '计入负面清单' }));
    expect(
      await screen.findByText(/单位门口垃圾堆放/, { selector: 'div.ant-typography, p' }),
    ).toBeInTheDocument();
    await pickOption(page.user, byId('hit-item'), /F1 门前环境脏乱差被曝光/);
    await page.user.click(byId('hit-submit'));
    await waitFor(() => expect(page.api.callsTo('POST /api/cell-hits')).toHaveLength(1));
    expect(page.api.lastBody('POST /api/cell-hits')).toMatchObject({
      honourId: 11,
      itemCode: 'F1',
      problemId: 77,
    });
  });

  it('a holder the office does not manage is read only; the lists are the city’s', async () => {
    const page = await render(districtOffice(), false);
    await page.user.click(await screen.findByText('湖滨区税务局'));
    await screen.findByTestId('holder-record');
    expect(document.getElementById('record-check')).toBeNull();
    expect(screen.queryByRole('button', { name: '计入负面清单' })).toBeNull();
    await page.user.click(screen.getByRole('tab', { name: '检查标准与负面清单' }));
    expect(await screen.findByText(/24 个月内触及严重情形/)).toBeInTheDocument();
    expect(document.getElementById('new-check-list')).toBeNull();
  });

  it('reads list lines as code|text|points|严重', () => {
    expect(parseLines('F1|门前脏乱|2\nF9｜重大事故｜3｜严重\n\n')).toEqual([
      { code: 'F1', text: '门前脏乱', points: 2, severe: false },
      { code: 'F9', text: '重大事故', points: 3, severe: true },
    ]);
  });
});
