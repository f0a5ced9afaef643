import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TCarrier } from '../../../core/contracts/ad-carriers.js';
import { page as pageOf } from '../../test/fixtures.js';
import { stubGeolocation } from '../../test/geolocation.js';
import type { MockRequest } from '../../test/mock-api.js';
import { renderPhone } from '../../test/render-mobile.js';
import { asUser } from '../../test/render.js';
import { CarrierFlow } from './CarrierFlow.js';

// 公益广告阵地 on the phone: register a carrier with a photo where the phone is, mark a listed one
// 破损 — and with the network cut, both wait in the queue and go once online.

const HERE = { latitude: 30.2655, longitude: 120.1589, accuracy: 8 };
const FILE_ID = '5d2b1c3e-0000-4000-8000-000000000002';
const BOARD: TCarrier = {
  id: 21,
  code: 'GG00021',
  kind: 'board',
  widthCm: 120,
  heightCm: 80,
  lat: 30.27,
  lng: 120.15,
  address: null,
  pointId: 5,
  pointName: '湖滨实验小学',
  gridId: 7,
  gridName: '湖滨一网格',
  regionId: 3,
  regionName: '湖滨街道',
  unitId: null,
  unitName: null,
  theme: 'core_values',
  designTitle: null,
  photoId: null,
  photoTakenAt: null,
  state: 'intact',
  fixed: true,
  cluster: null,
  problemId: null,
  problemCode: null,
  problemState: null,
  remarks: null,
  version: 2,
  createdAt: '2026-11-01T02:00:00.000Z',
  updatedAt: '2026-11-02T02:00:00.000Z',
};

const api = () => ({
  'GET /api/ad-carriers': pageOf([BOARD]),
  'POST /api/ad-carriers': (req: MockRequest) => ({ ...BOARD, id: 30, ...(req.body as object) }),
  'PATCH /api/ad-carriers/:id': (req: MockRequest) => ({ ...BOARD, ...(req.body as object) }),
  'POST /api/files': { id: FILE_ID, url: '/f', thumbUrl: '/t' },
});
const worker = asUser('grid_worker');

async function register(p: Awaited<ReturnType<typeof renderPhone>>) {
  await p.user.click(await screen.findByTestId('carrier-add'));
  const form = await screen.findByTestId('carrier-form');
  await p.user.click(within(form).getByText('LED屏'));
  await p.user.click(within(form).getByText('诚信建设'));
  await p.user.type(within(form).getByTestId('carrier-width').querySelector('input')!, '200');
  await p.user.type(within(form).getByTestId('carrier-height').querySelector('input')!, '100');
  await p.user.upload(
    within(form).getByTestId('carrier-photo-input'),
    new File(['jpeg'], 'c.jpg', { type: 'image/jpeg' }),
  );
  await p.user.click(within(form).getByTestId('carrier-submit'));
}

describe('phone app: 公益广告阵地', () => {
  beforeEach(() => stubGeolocation(HERE));
  afterEach(() => {
    delete (navigator as { geolocation?: unknown }).geolocation;
  });

  it('registers a carrier with its photo at the phone’s position, with a client id', async () => {
    const p = await renderPhone(<CarrierFlow />, { path: '/carriers', api: api(), user: worker });
    expect(await screen.findByText(/GG00021/)).toBeInTheDocument();
    await register(p);
    await waitFor(() => expect(p.api.callsTo('POST /api/ad-carriers')).toHaveLength(1));
    const body = p.api.lastBody('POST /api/ad-carriers') as Record<string, unknown>;
    expect(body).toMatchObject({
      kind: 'led',
      theme: 'integrity',
      widthCm: 200,
      heightCm: 100,
      state: 'intact',
      fixed: true,
      lat: HERE.latitude,
      lng: HERE.longitude,
      photoId: FILE_ID,
    });
    expect(body.clientId).toMatch(/^[0-9a-f-]{36}$/);
    // Back on the list.
    expect(await screen.findByTestId('carrier-flow')).toBeInTheDocument();
  });

  it('with the network cut: a registration and a change of state wait, then go once online', async () => {
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    try {
      const p = await renderPhone(<CarrierFlow />, {
        path: '/carriers',
        api: api(),
        user: worker,
      });
      await screen.findByText(/GG00021/);
      await p.user.click(screen.getByTestId('carrier-21-damaged'));
      await register(p);
      const bar = await screen.findByTestId('offline-queue');
      await waitFor(() =>
        expect(within(bar).getByTestId('offline-queue-count')).toHaveTextContent('待同步 2 条'),
      );
      expect(p.api.callsTo('POST /api/ad-carriers')).toHaveLength(0);
      expect(p.api.callsTo('PATCH /api/ad-carriers/:id')).toHaveLength(0);

      onLine.mockReturnValue(true);
      window.dispatchEvent(new Event('online'));
      await waitFor(() => expect(screen.queryByTestId('offline-queue')).toBeNull());
      const patch = p.api.callsTo('PATCH /api/ad-carriers/:id')[0]!;
      expect(patch.path).toBe('/api/ad-carriers/21');
      expect(patch.body).toEqual({ version: 2, state: 'damaged' });
      expect(p.api.lastBody('POST /api/ad-carriers')).toMatchObject({
        kind: 'led',
        photoId: FILE_ID,
      });
    } finally {
      onLine.mockRestore();
    }
  });
});
