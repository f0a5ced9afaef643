import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { reply } from '../test/mock-api.js';
import { renderPage } from '../test/render.js';
import { NotificationBell } from './NotificationBell.js';

// The inbox in the header (a plain list: antd's List would bring its pagination into the
// admin's first load).

const notices = [
  {
    id: 2,
    kind: 'dispatched',
    title: '新交办问题：解放路口人行道井盖缺失',
    body: null,
    problemId: 42,
    read: false,
    createdAt: '2026-12-07T02:00:00.000Z',
  },
  {
    id: 1,
    kind: 'returned',
    title: '问题已退回',
    body: null,
    problemId: null,
    read: true,
    createdAt: '2026-12-06T02:00:00.000Z',
  },
];

describe('NotificationBell', () => {
  it('counts the unread; opens the latest; a notice is marked read and opens its problem', async () => {
    const page = await renderPage(<NotificationBell />, {
      api: {
        'GET /api/notifications/unread-count': { count: 1 },
        'GET /api/notifications': { items: notices },
        'POST /api/notifications/2/read': reply(204),
      },
    });
    const bell = screen.getByTestId('notification-bell');
    expect(await within(bell).findByText('1')).toBeInTheDocument();
    await page.user.click(bell);
    const list = await screen.findByTestId('notification-list');
    const items = within(list).getAllByRole('button');
    expect(items.map((i) => i.textContent)).toEqual([
      '新交办问题：解放路口人行道井盖缺失2026-12-07 10:00',
      '问题已退回2026-12-06 10:00',
    ]);
    expect(page.api.callsTo('GET /api/notifications')[0]?.query).toEqual({ limit: '10' });
    await page.user.click(items[0]!);
    await expect.poll(() => page.location()).toBe('/problems/42');
    expect(page.api.callsTo('POST /api/notifications/2/read')).toHaveLength(1);
  });

  it('nothing yet: says so', async () => {
    const page = await renderPage(<NotificationBell />, {
      api: {
        'GET /api/notifications/unread-count': { count: 0 },
        'GET /api/notifications': { items: [] },
      },
    });
    await page.user.click(screen.getByTestId('notification-bell'));
    expect(await screen.findByText('暂无消息')).toBeInTheDocument();
  });
});
