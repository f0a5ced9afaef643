import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MemoryQueueStore, OfflineQueue, type Transport } from '../shared/offline-queue.js';
import { renderPhone } from '../test/render-mobile.js';
import { QueueBar } from './QueueBar.js';

// The queue bar on a phone two accounts use: the signed-in person's items listed, another
// account's only counted — kept for that account, or discarded after a confirm.

/** A network that is down: nothing queued leaves the phone. */
const down: Transport = {
  send: () => Promise.reject(new TypeError('Failed to fetch')),
  upload: () => Promise.reject(new TypeError('Failed to fetch')),
};

async function twoAccounts() {
  const q = new OfflineQueue(new MemoryQueueStore(), down);
  const item = (clientId: string, label: string) => ({
    clientId,
    label,
    endpoint: 'POST /api/patrols/:clientId/end' as const,
    params: { clientId: 'walk' },
    body: { clientId, endedAt: '2026-11-23T02:00:00.000Z' },
  });
  q.setUser(1);
  await q.enqueue(item('a1', '结束巡查：湖滨一网格'));
  await q.enqueue(item('a2', '结束巡查：湖滨二网格'));
  q.setUser(2);
  await q.enqueue(item('b1', '结束巡查：西湖网格'));
  return q;
}

describe('phone app: the queue bar with another account’s items', () => {
  it('lists one’s own items, counts the other account’s, and keeps them unless confirmed', async () => {
    const q = await twoAccounts();
    const p = await renderPhone(<QueueBar queue={q} />);
    const bar = await screen.findByTestId('offline-queue');
    await within(bar).findByText('结束巡查：西湖网格');
    expect(within(bar).queryByText('结束巡查：湖滨一网格')).toBeNull();
    expect(within(bar).getByTestId('offline-queue-count')).toHaveTextContent('待同步 1 条');
    expect(within(bar).getByTestId('m-queue-others')).toHaveTextContent(
      '其他账号的待发送记录 2 条',
    );

    // Asked first; kept.
    await p.user.click(within(bar).getByTestId('m-queue-others-discard'));
    expect(within(bar).getByTestId('m-queue-others-confirm')).toHaveTextContent(
      '放弃这 2 条记录？放弃后无法恢复',
    );
    await p.user.click(within(bar).getByTestId('m-queue-others-keep'));
    expect(within(bar).queryByTestId('m-queue-others-confirm')).toBeNull();
    expect((await q.items()).map((i) => i.clientId)).toEqual(['a1', 'a2', 'b1']);

    // Confirmed: gone; one's own stays.
    await p.user.click(within(bar).getByTestId('m-queue-others-discard'));
    await p.user.click(within(bar).getByTestId('m-queue-others-discard-sure'));
    await waitFor(() => expect(screen.queryByTestId('m-queue-others')).toBeNull());
    expect((await q.items()).map((i) => i.clientId)).toEqual(['b1']);
    expect(within(bar).getByText('结束巡查：西湖网格')).toBeInTheDocument();
  });
});
