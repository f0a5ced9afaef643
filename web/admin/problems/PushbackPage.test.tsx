import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TPushbackDelivery } from '../../../core/contracts/pushback.js';
import { pickOption } from '../../test/antd.js';
import type { MockRequest } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { ProblemPushbackCard } from './ProblemPushbackCard.js';
import { PushbackPage } from './PushbackPage.js';

const delivery = (over: Partial<TPushbackDelivery>): TPushbackDelivery => ({
  id: 1,
  target: 'hotline',
  clientId: null,
  clientName: null,
  problemId: 11,
  problemCode: 'WT2026-000011',
  externalRef: 'GD20261123001',
  kind: 'closed',
  state: 'delivered',
  attempts: 1,
  idempotencyKey: 'hotline-11-101',
  nextAttemptAt: null,
  lastAttemptAt: '2026-11-23T02:00:00.000Z',
  lastStatus: 200,
  lastError: null,
  ackedAt: '2026-11-23T02:00:01.000Z',
  failedAt: null,
  createdAt: '2026-11-23T01:59:00.000Z',
  payload: { orderNo: 'GD20261123001', resultType: 'closed', note: '已清理' },
  ...over,
});

const ROWS = [
  delivery({}),
  delivery({
    id: 2,
    problemId: 12,
    problemCode: 'WT2026-000012',
    externalRef: 'GD20261123002',
    kind: 'deferred',
    state: 'pending',
    attempts: 2,
    idempotencyKey: 'hotline-12-102',
    lastStatus: null,
    lastError: 'no answer within 10 s (timeout)',
    nextAttemptAt: '2026-11-23T02:04:00.000Z',
    ackedAt: null,
  }),
  delivery({
    id: 3,
    target: 'open311',
    clientId: 4,
    clientName: '城市服务 App',
    problemId: 13,
    problemCode: 'WT2026-000013',
    externalRef: 'SJ7K2M9Q4X',
    kind: 'register',
    state: 'failed',
    attempts: 12,
    idempotencyKey: 'open311-4-13-103',
    lastStatus: 503,
    lastError: 'HTTP 503: upstream unavailable',
    ackedAt: null,
    failedAt: '2026-11-23T09:00:00.000Z',
  }),
];

describe('PushbackPage (结果回传)', () => {
  it('lists each delivery with its state, says when the hotline is not set up, and sends a failed one again', async () => {
    let retried = false;
    const page = await renderPage(<PushbackPage />, {
      route: '/pushback',
      api: {
        'GET /api/pushback': (req: MockRequest) => ({
          items:
            req.query.state === 'failed'
              ? [ROWS[2]]
              : retried
                ? ROWS.map((r) =>
                    r.id === 3 ? { ...r, state: 'pending', attempts: 0, failedAt: null } : r,
                  )
                : ROWS,
          nextCursor: req.query.cursor ? null : '1',
          hotlineConfigured: false,
          maxAttempts: 12,
        }),
        'POST /api/pushback/:id/retry': () => {
          retried = true;
          return { ...ROWS[2]!, state: 'pending', attempts: 0, failedAt: null };
        },
      },
    });
    expect(await screen.findByTestId('hotline-off')).toHaveTextContent('HOTLINE_RESULT_URL');
    const rows = () => screen.getAllByRole('row').slice(1);
    await waitFor(() => expect(rows()).toHaveLength(3));
    const [closed, deferred, open311] = rows();
    expect(closed).toHaveTextContent('办结');
    expect(closed).toHaveTextContent('已确认');
    expect(closed).toHaveTextContent('GD20261123001');
    expect(closed).toHaveTextContent('1 / 12');
    expect(deferred).toHaveTextContent('缓办');
    expect(deferred).toHaveTextContent('重试中');
    expect(within(deferred!).getByTestId('pushback-error')).toHaveTextContent('timeout');
    expect(open311).toHaveTextContent('Open311 客户端 · 城市服务 App');
    expect(open311).toHaveTextContent('立案');
    expect(open311).toHaveTextContent('发送失败');
    expect(open311).toHaveTextContent('HTTP 503');
    // Only the failed one can be sent again.
    expect(screen.queryByTestId('retry-1')).not.toBeInTheDocument();
    expect(screen.queryByTestId('retry-2')).not.toBeInTheDocument();
    await page.user.click(screen.getByTestId('retry-3'));
    await waitFor(() => expect(page.api.callsTo('POST /api/pushback/:id/retry')).toHaveLength(1));
    expect(page.api.callsTo('POST /api/pushback/:id/retry')[0]!.path).toBe('/api/pushback/3/retry');
    // The list is read again and shows it queued.
    await waitFor(() => expect(screen.queryByTestId('retry-3')).not.toBeInTheDocument());
    // The problem code leads to the problem.
    await page.user.click(within(closed!).getByText('WT2026-000011'));
    expect(page.location()).toBe('/problems/11');
  });

  it('filters by state and pages with the cursor the server gave', async () => {
    const page = await renderPage(<PushbackPage />, {
      route: '/pushback',
      api: {
        'GET /api/pushback': (req: MockRequest) => ({
          items: req.query.state === 'failed' ? [ROWS[2]] : ROWS,
          nextCursor: req.query.cursor ? null : '1',
          hotlineConfigured: true,
          maxAttempts: 12,
        }),
      },
    });
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(4));
    expect(screen.queryByTestId('hotline-off')).not.toBeInTheDocument();
    await page.user.click(screen.getByText('下一页'));
    await waitFor(() =>
      expect(page.api.callsTo('GET /api/pushback').at(-1)!.query).toEqual({
        limit: '30',
        cursor: '1',
      }),
    );
    await pickOption(page.user, screen.getByTestId('filter-state'), '发送失败');
    await waitFor(() =>
      expect(page.api.callsTo('GET /api/pushback').at(-1)!.query).toEqual({
        limit: '30',
        state: 'failed',
      }),
    );
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(2));
    // The XLSX download takes the same filters.
    expect(screen.getByTestId('export').getAttribute('href')).toBe(
      '/api/pushback/export.xlsx?state=failed',
    );
  });
});

describe('ProblemPushbackCard (12345 回传 on a problem)', () => {
  it('shows the problem’s deliveries to the office, with a retry for a failed one', async () => {
    await renderPage(<ProblemPushbackCard problemId={12} />, {
      api: {
        'GET /api/problems/:id/pushback': [
          delivery({ id: 5, problemId: 12, state: 'failed', ackedAt: null, lastError: 'HTTP 500' }),
        ],
      },
    });
    const card = await screen.findByTestId('pushback-card');
    expect(card).toHaveTextContent('12345 回传');
    expect(card).toHaveTextContent('办结');
    expect(card).toHaveTextContent('HTTP 500');
    expect(within(card).getByTestId('retry-5')).toBeInTheDocument();
  });

  it('asks nothing for a user who does not manage problems', async () => {
    const page = await renderPage(<ProblemPushbackCard problemId={12} />, {
      user: 'unit',
      api: {},
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(page.api.callsTo('GET /api/problems/:id/pushback')).toHaveLength(0);
    expect(screen.queryByTestId('pushback-card')).not.toBeInTheDocument();
  });
});
