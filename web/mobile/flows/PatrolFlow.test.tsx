import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { offlineQueue } from '../../shared/offline-queue.js';
import { walkKey } from '../../shared/patrol-walk.js';
import { stubGeolocation } from '../../test/geolocation.js';
import { grid } from '../../test/mobile-fixtures.js';
import type { MockRequest } from '../../test/mock-api.js';
import { renderPhone } from '../../test/render-mobile.js';
import { asUser } from '../../test/render.js';
import { PatrolFlow } from './PatrolFlow.js';

// 巡查上报 on the phone: start a patrol, report a problem with a photo where the phone is, and the
// same with the network cut — queued, then sent in order once the phone is back online.

const HERE = { latitude: 30.2655, longitude: 120.1589, accuracy: 8 };
const FILE_ID = '5d2b1c3e-0000-4000-8000-000000000001';

function api() {
  return {
    'GET /api/grids': { items: [grid()] },
    'POST /api/patrols': (req: MockRequest) => ({ id: 1, ...(req.body as object) }),
    'POST /api/patrols/:id/points': { accepted: 1 },
    'POST /api/patrols/:id/problems': { id: 99 },
    'POST /api/files': { id: FILE_ID, url: '/f', thumbUrl: '/t' },
  };
}

/** The writes in the order they reached the server, as `METHOD /path`. */
const writes = (calls: readonly MockRequest[]) =>
  calls.filter((c) => c.method === 'POST').map((c) => `POST ${c.path}`);

async function report(p: Awaited<ReturnType<typeof renderPhone>>, note: string) {
  await p.user.click(screen.getByTestId('patrol-report'));
  const sheet = await screen.findByTestId('patrol-sheet');
  await p.user.upload(
    within(sheet).getByTestId('patrol-photo-input'),
    new File(['jpeg'], 'p.jpg', { type: 'image/jpeg' }),
  );
  await p.user.click(within(sheet).getByText('垃圾堆积'));
  await p.user.type(within(sheet).getByPlaceholderText('补充说明（可选）'), note);
  expect(within(sheet).getByTestId('patrol-submit')).toHaveTextContent('上报：垃圾堆积');
  await p.user.click(within(sheet).getByTestId('patrol-submit'));
}

describe('phone app: 巡查上报', () => {
  beforeEach(() => stubGeolocation(HERE));
  afterEach(() => {
    delete (navigator as { geolocation?: unknown }).geolocation;
  });

  it('starts a patrol and reports a problem with its photo, at the phone’s position', async () => {
    const p = await renderPhone(<PatrolFlow />, { path: '/patrol', api: api() });
    expect(await screen.findByText('湖滨一网格')).toBeInTheDocument();
    // The grid is chosen once the phone's position is in (a click before that does nothing).
    await waitFor(() => expect(screen.getByTestId('patrol-start')).toBeEnabled());
    await p.user.click(screen.getByTestId('patrol-start'));
    await waitFor(() => expect(p.api.callsTo('POST /api/patrols')).toHaveLength(1));
    const started = p.api.lastBody('POST /api/patrols') as { clientId: string; gridId: number };
    expect(started.gridId).toBe(5);

    await report(p, '东门外垃圾桶满溢');
    await waitFor(() => expect(p.api.callsTo('POST /api/patrols/:id/problems')).toHaveLength(1));
    const sent = p.api.callsTo('POST /api/patrols/:id/problems')[0]!;
    expect(sent.path).toBe(`/api/patrols/${started.clientId}/problems`);
    expect(sent.body).toMatchObject({
      title: '垃圾堆积',
      categoryId: 11,
      description: '东门外垃圾桶满溢',
      lat: HERE.latitude,
      lng: HERE.longitude,
      photoIds: [FILE_ID],
    });
    expect(sent.headers['x-csrf-token']).toBe('test-csrf-token');
    // The track so far reaches the server before the problem found on it.
    const order = writes(p.api.calls);
    expect(order.indexOf(`POST /api/patrols/${started.clientId}/points`)).toBeLessThan(
      order.indexOf(`POST /api/patrols/${started.clientId}/problems`),
    );
    await waitFor(() => expect(screen.getByTestId('patrol-reported')).toHaveTextContent('1'));
    expect(await screen.findByText('问题已上报')).toBeInTheDocument();
    expect(screen.queryByTestId('offline-queue')).toBeNull();
  });

  it('with the network cut: the start and the report wait in the queue, and go in order once online', async () => {
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    try {
      const p = await renderPhone(<PatrolFlow />, { path: '/patrol', api: api() });
      await screen.findByText('湖滨一网格');
      await waitFor(() => expect(screen.getByTestId('patrol-start')).toBeEnabled());
      await p.user.click(screen.getByTestId('patrol-start'));
      await screen.findByTestId('patrol-report');
      await report(p, '离线上报');
      expect(await screen.findByText('已保存，联网后自动上报')).toBeInTheDocument();
      const bar = await screen.findByTestId('offline-queue');
      await within(bar).findByText('巡查问题：垃圾堆积');
      expect(within(bar).getByTestId('m-offline')).toBeInTheDocument();
      expect(within(bar).getByTestId('offline-queue-count')).toHaveTextContent('待同步 3 条');
      expect(writes(p.api.calls)).toEqual([]);

      onLine.mockReturnValue(true);
      window.dispatchEvent(new Event('online'));
      await waitFor(() => expect(screen.queryByTestId('offline-queue')).toBeNull());
      const started = p.api.lastBody('POST /api/patrols') as { clientId: string };
      expect(writes(p.api.calls)).toEqual([
        'POST /api/patrols',
        `POST /api/patrols/${started.clientId}/points`,
        'POST /api/files',
        `POST /api/patrols/${started.clientId}/problems`,
      ]);
      expect(p.api.lastBody('POST /api/patrols/:id/problems')).toMatchObject({
        description: '离线上报',
        photoIds: [FILE_ID],
        lat: HERE.latitude,
      });
    } finally {
      onLine.mockRestore();
    }
  });

  it('the walk is its walker’s: another account on the phone neither sees nor continues it', async () => {
    const walker = asUser('grid_worker', { id: 11, name: '孙网格' });
    const other = asUser('grid_worker', { id: 12, name: '钱网格' });
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    try {
      // The walker starts a patrol with the network cut, and signs out (the app unmounts).
      const a = await renderPhone(<PatrolFlow />, { path: '/patrol', api: api(), user: walker });
      await screen.findByText('湖滨一网格');
      await waitFor(() => expect(screen.getByTestId('patrol-start')).toBeEnabled());
      await a.user.click(screen.getByTestId('patrol-start'));
      await screen.findByTestId('patrol-report');
      expect(localStorage.getItem(walkKey(11))).toContain('湖滨一网格');
      a.unmount();

      // Someone else signs in on the same phone, online: no walk, and the walker's start stays
      // queued (only counted), not sent under this session.
      onLine.mockReturnValue(true);
      const b = await renderPhone(<PatrolFlow />, { path: '/patrol', api: api(), user: other });
      expect(await screen.findByTestId('patrol-start')).toBeInTheDocument();
      expect(screen.queryByTestId('patrol-report')).toBeNull();
      expect(await screen.findByTestId('m-queue-others')).toHaveTextContent(
        '其他账号的待发送记录 1 条',
      );
      expect(screen.queryByTestId('offline-queue-count')).toBeNull();
      expect(writes(b.api.calls)).toEqual([]);
      b.unmount();

      // The walker signs in again: the walk goes on, and its start is sent at once.
      const c = await renderPhone(<PatrolFlow />, { path: '/patrol', api: api(), user: walker });
      expect(await screen.findByTestId('patrol-report')).toBeInTheDocument();
      await waitFor(() => expect(writes(c.api.calls)).toEqual(['POST /api/patrols']));
      await waitFor(() => expect(screen.queryByTestId('offline-queue')).toBeNull());
    } finally {
      onLine.mockRestore();
      const q = offlineQueue();
      for (const i of await q.items()) await q.discard(i.clientId);
    }
  });
});
