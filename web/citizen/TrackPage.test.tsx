import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TTrackResponse } from '../../core/contracts/citizen.js';
import { apiError, type MockRequest, type Routes } from '../test/mock-api.js';
import { renderPage } from '../test/render.js';
import { TrackPage } from './TrackPage.js';

// The tracking page's reporter part (#24): rate a closed problem once, ask once to reopen it with
// a reason inside the window; what the server refuses is shown in its words.

const CODE = 'SJ7K3M9Q2XPA';

const tracked = (
  over: Partial<TTrackResponse> = {},
  fb: Partial<TTrackResponse['feedback']> = {},
) =>
  ({
    trackingCode: CODE,
    categoryName: '暴露垃圾',
    description: '小区门口垃圾堆了三天',
    address: '人民路 88 号',
    status: 'closed',
    statusLabel: { zh: '已销号', en: 'Closed' },
    unitName: '市城市管理综合执法局',
    submittedAt: '2026-12-01T02:00:00.000Z',
    timeline: [
      {
        at: '2026-12-01T02:00:00.000Z',
        label: { zh: '已收到您的反映', en: 'Report received' },
        publicNote: null,
      },
      {
        at: '2026-12-02T02:00:00.000Z',
        label: { zh: '核查通过，已销号', en: 'Verified and closed' },
        publicNote: null,
      },
    ],
    photos: [],
    smsUpdates: true,
    feedback: {
      canRate: true,
      rating: null,
      canReopen: true,
      reopenUntil: '2026-12-09T02:00:00.000Z',
      reopenWindowDays: 7,
      reopened: null,
      ...fb,
    },
    ...over,
  }) satisfies TTrackResponse;

async function open(api: Routes) {
  const page = await renderPage(<TrackPage />, {
    user: null,
    route: `/track/${CODE}`,
    path: '/track/:code',
    width: 390,
    api: { 'GET /api/public/track/:code': tracked(), ...api },
  });
  await screen.findByTestId('track-feedback');
  return page;
}

describe('TrackPage: the reporter’s rating and reopening', () => {
  it('rates a closed problem once, with a comment, and shows the rating the server kept', async () => {
    const page = await open({
      'POST /api/public/track/:code/rating': (req: MockRequest) =>
        tracked(
          {},
          {
            canRate: false,
            rating: {
              value: (req.body as { rating: 'basic' }).rating,
              comment: '修好了，但慢了点',
              at: '2026-12-03T02:00:00.000Z',
            },
          },
        ),
    });
    expect(screen.getByTestId('sms-updates')).toHaveTextContent('短信');
    // Nothing chosen yet: the page asks first, and sends nothing.
    await page.user.click(screen.getByTestId('rate-submit'));
    expect(await screen.findByTestId('feedback-error')).toHaveTextContent('请选择满意程度');
    expect(page.api.callsTo('POST /api/public/track/:code/rating')).toHaveLength(0);

    await page.user.click(screen.getByTestId('rate-basic'));
    expect(screen.getByTestId('rate-basic')).toHaveAttribute('aria-checked', 'true');
    await page.user.type(screen.getByTestId('rate-comment'), '修好了，但慢了点');
    await page.user.click(screen.getByTestId('rate-submit'));
    expect(await screen.findByTestId('my-rating')).toHaveTextContent('基本满意');
    expect(screen.getByTestId('my-rating')).toHaveTextContent('修好了，但慢了点');
    expect(screen.queryByTestId('rate-form')).toBeNull();
    const [call] = page.api.callsTo('POST /api/public/track/:code/rating');
    expect(call!.params).toEqual({ code: CODE });
    expect(call!.body).toEqual({ rating: 'basic', comment: '修好了，但慢了点' });
  });

  it('shows the server’s refusal of a second rating', async () => {
    const page = await open({
      'POST /api/public/track/:code/rating': apiError(409, 'already_rated', {
        zh: '您已评价过，每条反映只能评价一次',
        en: 'this report was rated already; a report is rated once',
      }),
    });
    await page.user.click(screen.getByTestId('rate-unsatisfied'));
    await page.user.click(screen.getByTestId('rate-submit'));
    expect(await screen.findByTestId('feedback-error')).toHaveTextContent('每条反映只能评价一次');
  });

  it('reopens with a reason inside the window; a refusal is shown as the server words it', async () => {
    let reopened = false;
    const page = await open({
      'POST /api/public/track/:code/reopen': (req: MockRequest) => {
        const reason = (req.body as { reason: string }).reason;
        if (!reason.trim()) {
          return apiError(
            400,
            'invalid',
            {
              zh: '请填写申请重新办理的理由',
              en: 'give the reason why the problem should be reopened',
            },
            { fields: [{ path: 'body.reason', message: '必填 / required' }] },
          );
        }
        reopened = true;
        return tracked(
          {
            status: 'dispatched',
            statusLabel: { zh: '整改中', en: 'Dispatched' },
          },
          {
            canRate: false,
            canReopen: false,
            reopenUntil: null,
            reopened: { at: '2026-12-04T02:00:00.000Z', reason },
          },
        );
      },
    });
    expect(screen.getByTestId('reopen-until')).toHaveTextContent('办结 7 天内可申请一次重新办理');
    await page.user.click(screen.getByTestId('reopen-open'));
    // Spaces pass the browser's "required"; the server's answer is what the reporter reads.
    await page.user.type(screen.getByTestId('reopen-reason'), '   ');
    await page.user.click(screen.getByTestId('reopen-submit'));
    expect(await screen.findByTestId('feedback-error')).toHaveTextContent(
      '请填写申请重新办理的理由',
    );
    expect(reopened).toBe(false);

    await page.user.clear(screen.getByTestId('reopen-reason'));
    await page.user.type(screen.getByTestId('reopen-reason'), '垃圾又堆起来了');
    await page.user.click(screen.getByTestId('reopen-submit'));
    expect(await screen.findByTestId('my-reopen')).toHaveTextContent('垃圾又堆起来了');
    await waitFor(() => expect(screen.getByTestId('track-status')).toHaveTextContent('整改中'));
    expect(screen.queryByTestId('reopen-open')).toBeNull();
    expect(page.api.callsTo('POST /api/public/track/:code/reopen').at(-1)!.body).toEqual({
      reason: '垃圾又堆起来了',
    });
  });

  it('offers nothing before the problem is closed, nor after the window', async () => {
    await renderPage(<TrackPage />, {
      user: null,
      route: `/track/${CODE}`,
      path: '/track/:code',
      api: {
        'GET /api/public/track/:code': tracked(
          {
            status: 'dispatched',
            statusLabel: { zh: '整改中', en: 'Dispatched' },
            smsUpdates: false,
          },
          { canRate: false, canReopen: false, reopenUntil: null },
        ),
      },
    });
    await screen.findByTestId('track-result');
    expect(screen.queryByTestId('track-feedback')).toBeNull();
    expect(screen.queryByTestId('sms-updates')).toBeNull();
  });
});
