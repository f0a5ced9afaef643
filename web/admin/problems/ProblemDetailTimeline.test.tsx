import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TProblemDetail } from '../../../core/contracts/problems.js';
import { problem } from '../../test/fixtures.js';
import { renderPage } from '../../test/render.js';
import { ProblemDetailPage } from './ProblemDetailPage.js';

// The problem page's timeline says where a step was taken on site: the phone's position sent with
// a rectification (issue #21), and how far from the problem's own place.

const detail: TProblemDetail = {
  problem: problem({ id: 4, state: 'submitted', unitId: 7, unitName: '市城市管理综合执法局' }),
  timeline: [
    {
      id: 2,
      action: 'submit',
      fromState: 'dispatched',
      toState: 'submitted',
      actorName: '赵联络',
      at: '2026-11-23T03:00:00.000Z',
      note: '已更换井盖',
      data: { photos: 1, lat: 30.26551, lng: 120.15893, distanceM: 12 },
    },
    {
      id: 3,
      action: 'submit',
      fromState: 'dispatched',
      toState: 'submitted',
      actorName: '钱干事',
      at: '2026-11-24T03:00:00.000Z',
      note: '电脑端提交',
      data: {},
    },
  ],
  actions: [],
  photos: [],
};

describe('ProblemDetailPage', () => {
  it('shows where the phone was when the rectification was reported', async () => {
    // A leader reads it (the office's page asks for its exposure settings as well).
    await renderPage(<ProblemDetailPage />, {
      user: 'leader',
      path: '/problems/:id',
      route: '/problems/4',
      api: {
        'GET /api/problems/:id': detail,
        'GET /api/problems/:id/merges': { mergedInto: null, absorbed: [] },
      },
    });
    const timeline = await screen.findByTestId('timeline');
    const where = await within(timeline).findAllByTestId('step-position');
    // The desktop's submission carries no position: one line only.
    expect(where).toHaveLength(1);
    expect(where[0]).toHaveTextContent('现场位置 30.26551, 120.15893（距问题位置 12 米）');
  });
});

describe('ProblemDetailPage: the reporter’s rating and reopening (随手拍)', () => {
  it('shows the rating among the facts and both steps in the timeline', async () => {
    const rated: TProblemDetail = {
      problem: problem({ id: 5, state: 'dispatched', unitId: 7, channel: 'citizen' }),
      timeline: [
        {
          id: 7,
          action: 'rate',
          fromState: 'closed',
          toState: 'closed',
          actorName: '报告人（市民）',
          at: '2026-12-03T03:00:00.000Z',
          note: '还是很脏',
          data: { rating: 'unsatisfied', label: '不满意' },
        },
        {
          id: 8,
          action: 'reporter_reopen',
          fromState: 'closed',
          toState: 'dispatched',
          actorName: '报告人（市民）',
          at: '2026-12-03T03:05:00.000Z',
          note: '垃圾又堆起来了',
          data: { unitId: 7, deadline: '2026-12-10T15:59:59.999Z' },
        },
      ],
      actions: [],
      photos: [],
    };
    await renderPage(<ProblemDetailPage />, {
      user: 'unit',
      path: '/problems/:id',
      route: '/problems/5',
      api: {
        'GET /api/problems/:id': rated,
        'GET /api/problems/:id/merges': { mergedInto: null, absorbed: [] },
      },
    });
    expect(await screen.findByTestId('reporter-rating')).toHaveTextContent('不满意：还是很脏');
    const timeline = screen.getByTestId('timeline');
    expect(timeline).toHaveTextContent('群众评价');
    expect(timeline).toHaveTextContent('群众申请重新办理');
    expect(timeline).toHaveTextContent('垃圾又堆起来了');
  });
});
