import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type {
  TReviewBulletin,
  TReviewDetail,
  TReviewHolder,
} from '../../../core/contracts/cell-checks.js';
import { pickOption } from '../../test/antd.js';
import { renderPage } from '../../test/render.js';
import { CellReviewBulletinPage } from './CellReviewBulletinPage.js';
import { CellReviewPage } from './CellReviewPage.js';

const holder = (over: Partial<TReviewHolder>): TReviewHolder => ({
  honourId: 1,
  holderName: '东湖区图书馆',
  title: '市级文明单位',
  level: 'city',
  regionName: '东湖区',
  status: 'listed',
  report: null,
  filedAt: null,
  outcome: null,
  rectifyDeadline: null,
  outcomeNote: null,
  finalOutcome: null,
  score: 0,
  averageScore: null,
  deductions: 0,
  ...over,
});

const REVIEW: TReviewDetail = {
  id: 3,
  cellType: 'unit',
  year: 2026,
  name: '2026 年度文明单位复审',
  scope: 'current',
  filingDeadline: '2026-11-30',
  renewalCapPct: 90,
  officeRegionId: null,
  officeRegionName: null,
  status: 'open',
  closedAt: null,
  holderCount: 2,
  filedCount: 1,
  version: 2,
  holders: [
    holder({ honourId: 1, filedAt: '2026-11-20T02:00:00.000Z', score: 88 }),
    holder({ honourId: 2, holderName: '西城区青少年宫', score: 40 }),
  ],
  bulletin: null,
};

const BULLETIN: TReviewBulletin = {
  title: '关于2026 年度文明单位复审结果的通报',
  issuer: '市文明办',
  cellType: 'unit',
  year: 2026,
  closedOn: '2026-12-07',
  renewalCapPct: 90,
  underReview: 2,
  capCount: 1,
  counts: { keep: 1, rectify: 0, revoke: 0, relinquished: 1, capped: 0 },
  capRule: { zh: '按年度得分由低到高淘汰。', en: 'lowest first' },
  rows: [
    {
      holderName: '东湖区图书馆',
      title: '市级文明单位',
      level: 'city',
      regionName: '东湖区',
      filed: true,
      score: 88,
      finalOutcome: 'keep',
      rectifyDeadline: null,
      note: null,
    },
    {
      holderName: '西城区青少年宫',
      title: '市级文明单位',
      level: 'city',
      regionName: '西城区',
      filed: false,
      score: 40,
      finalOutcome: 'relinquished',
      rectifyDeadline: null,
      note: null,
    },
  ],
};

describe('CellReviewPage: 复审', () => {
  it('the office records an outcome for a holder that filed; a non-filer has none to choose', async () => {
    const page = await renderPage(<CellReviewPage />, {
      route: '/cell-reviews/3',
      path: '/cell-reviews/:id',
      api: {
        'GET /api/cell-reviews': [REVIEW],
        'GET /api/cell-reviews/:id': REVIEW,
        'PUT /api/cell-reviews/:id/holders/:honourId/outcome': REVIEW,
      },
    });
    const detail = await screen.findByTestId('review-detail');
    expect(within(detail).getByText(/已报送 1\/2/)).toBeInTheDocument();
    expect(within(detail).queryByLabelText('outcome-2')).toBeNull();
    await pickOption(page.user, within(detail).getByLabelText('outcome-1'), '保留');
    await waitFor(() =>
      expect(page.api.callsTo('PUT /api/cell-reviews/:id/holders/:honourId/outcome')).toHaveLength(
        1,
      ),
    );
    expect(page.api.lastBody('PUT /api/cell-reviews/:id/holders/:honourId/outcome')).toEqual({
      outcome: 'keep',
      rectifyDeadline: null,
    });
  });

  it('prints the 通报 of a closed review', async () => {
    await renderPage(<CellReviewBulletinPage />, {
      route: '/cell-reviews/3/bulletin',
      path: '/cell-reviews/:id/bulletin',
      api: { 'GET /api/cell-reviews/:id/bulletin': BULLETIN },
    });
    const doc = await screen.findByTestId('review-bulletin');
    expect(within(doc).getByText(BULLETIN.title)).toBeInTheDocument();
    expect(within(doc).getByText(/保留 1 个，未报送，视为放弃 1 个/)).toBeInTheDocument();
    expect(within(doc).getByText('西城区青少年宫')).toBeInTheDocument();
  });
});
