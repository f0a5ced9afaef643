import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TSmsLogItem } from '../../../core/contracts/notifications.js';
import type { MockRequest } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { SmsLogPage } from './SmsLogPage.js';

const sms = (id: number, over: Partial<TSmsLogItem> = {}): TSmsLogItem => ({
  id,
  to: '139****1111',
  text: '您反映的问题已办结。请评价办理结果：http://localhost:3000/track/SJ******2XPA',
  kind: 'reply.approve',
  ref: 'WT2026-000123',
  state: 'delivered',
  attempts: 1,
  lastError: null,
  createdAt: '2026-12-03T02:00:00.000Z',
  deliveredAt: '2026-12-03T02:00:10.000Z',
  failedAt: null,
  ...over,
});

describe('SmsLogPage', () => {
  it('lists the texts as the server masked them, says the demo gateway is a fake, filters by state', async () => {
    const page = await renderPage(<SmsLogPage />, {
      api: {
        'GET /api/sms-log': (req: MockRequest) => ({
          items:
            req.query.state === 'failed'
              ? [sms(2, { state: 'failed', attempts: 10, lastError: 'HTTP 503', kind: 'otp' })]
              : [sms(1)],
          nextCursor: null,
          gateway: 'fake',
        }),
      },
    });
    const table = await screen.findByTestId('sms-log');
    expect(await within(table).findByText('139****1111')).toBeInTheDocument();
    expect(within(table).getByText('回复报告人：已办结')).toBeInTheDocument();
    expect(within(table).getByText('已发送')).toBeInTheDocument();
    expect(screen.getByTestId('sms-fake-gateway')).toHaveTextContent('模拟网关');
    await page.user.click(within(screen.getByTestId('sms-state-filter')).getByRole('combobox'));
    await page.user.click(await screen.findByTitle('发送失败'));
    // A kind the page does not know is shown as it is.
    expect(await within(table).findByText('otp')).toBeInTheDocument();
    await waitFor(() =>
      expect(page.api.callsTo('GET /api/sms-log').at(-1)!.query).toEqual({
        limit: '30',
        state: 'failed',
      }),
    );
  });
});
