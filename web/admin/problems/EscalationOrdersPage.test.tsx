import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MockRequest } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { EscalationOrdersPage } from './EscalationOrdersPage.js';

describe('EscalationOrdersPage', () => {
  it('pages with the cursor the server gave, and names the colours and states it knows', async () => {
    const order = (id: number, level: string) => ({
      id,
      problemId: id,
      code: `WT20260000${id}`,
      title: `问题${id}`,
      level,
      unitId: null,
      unitName: null,
      deadline: null,
      issuedAt: '2026-11-23T02:00:00.000Z',
      state: 'dispatched',
    });
    const page = await renderPage(<EscalationOrdersPage />, {
      api: {
        'GET /api/escalation-orders': (req: MockRequest) =>
          req.query.cursor === '41'
            ? { items: [order(2, 'purple')], nextCursor: null }
            : { items: [order(1, 'red')], nextCursor: '41' },
      },
    });
    expect(await screen.findByText('红色督办')).toBeInTheDocument();
    expect(screen.getByText('整改中')).toBeInTheDocument();
    await page.user.click(screen.getByText('下一页'));
    // A colour this page does not know is shown as the server wrote it.
    expect(await screen.findByText('purple')).toBeInTheDocument();
    await waitFor(() =>
      expect(page.api.callsTo('GET /api/escalation-orders').at(-1)!.query).toEqual({
        limit: '30',
        cursor: '41',
      }),
    );
  });
});
