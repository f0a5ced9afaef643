import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TMapProviderSetting } from '../../../core/contracts/maps.js';
import { tilesOf } from '../../../core/geo/tiles.js';
import { fill } from '../../test/antd.js';
import { sizeMaps, tileImages } from '../../test/leaflet.js';
import { apiError, type MockRequest } from '../../test/mock-api.js';
import { byId, renderPage } from '../../test/render.js';
import { MapProviderCard } from './MapProviderCard.js';

// 地图底图: the city office picks the tiles, previews them before saving, and every map on the
// page follows once saved.

const KEY = 'abcdef0123456789abcdef0123456789';
const FRESH: TMapProviderSetting = {
  provider: { kind: 'none' },
  version: 0,
  source: 'environment',
  updatedAt: null,
};

let unsize: () => void;
beforeEach(() => {
  unsize = sizeMaps();
});
afterEach(() => unsize());

describe('MapProviderCard', () => {
  it('previews 天地图 once the key is well formed, saves it, and the maps reload their tiles', async () => {
    const page = await renderPage(<MapProviderCard writable />, {
      api: {
        'GET /api/settings/map': FRESH,
        'PUT /api/settings/map': (req: MockRequest) => ({
          provider: (req.body as { provider: unknown }).provider,
          version: 1,
          source: 'settings',
          updatedAt: '2026-12-07T02:00:00.000Z',
        }),
      },
    });
    const card = await screen.findByTestId('map-provider-card');
    expect(await within(card).findByText(/当前为部署配置的默认值/)).toBeInTheDocument();
    // None: the preview is our own boundaries.
    const preview = await within(card).findByTestId('map-provider-preview');
    expect(preview.dataset.base).toBe('boundaries');

    await page.user.click(within(card).getByRole('radio', { name: '天地图' }));
    // The key's field appears once the form's watched kind has caught up with the click (a
    // render later; under load, after the click has returned).
    const key = await waitFor(() => byId('map-key'));
    await fill(page.user, key, 'not-a-key');
    expect(await within(card).findByText('密钥应为 32 位十六进制字符')).toBeInTheDocument();
    expect(within(card).getByTestId('map-provider-preview-empty')).toBeInTheDocument();

    await fill(page.user, key, KEY);
    const tiles = await within(card).findByTestId('map-provider-preview');
    expect(tiles.dataset.base).toBe('tiles');
    await waitFor(() => expect(tileImages(tiles).length).toBeGreaterThan(0));
    expect(tileImages(tiles).every((i) => i.src.includes(`tk=${KEY}`))).toBe(true);

    const publicBefore = page.api.callsTo('GET /api/settings/public').length;
    await page.user.click(within(card).getByTestId('map-provider-save'));
    await waitFor(() =>
      expect(page.api.lastBody('PUT /api/settings/map')).toEqual({
        provider: { kind: 'tianditu', key: KEY },
        version: 0,
      }),
    );
    expect(await screen.findByText('地图底图已保存')).toBeInTheDocument();
    await waitFor(() =>
      expect(page.api.callsTo('GET /api/settings/public').length).toBeGreaterThan(publicBefore),
    );
  });

  it('an own server: the template is checked as typed, and the server’s field errors land on the form', async () => {
    const page = await renderPage(<MapProviderCard writable />, {
      api: {
        'GET /api/settings/map': { ...FRESH, version: 3, source: 'settings' },
        'PUT /api/settings/map': apiError(
          400,
          'invalid',
          { zh: '请求参数有误', en: 'invalid request' },
          {
            fields: [
              {
                path: 'body.provider.attribution',
                message: '版权说明不能含尖括号 / the attribution must not contain angle brackets',
              },
            ],
          },
        ),
      },
    });
    const card = await screen.findByTestId('map-provider-card');
    const own = await within(card).findByRole('radio', { name: '自建瓦片服务' });
    await waitFor(() => expect(own).toBeEnabled());
    await page.user.click(own);
    const url = await waitFor(() => byId('map-url'));
    await fill(page.user, url, 'https://tiles.example.gov.cn/{z}/{x}.png');
    expect(await within(card).findByText(/缺少占位符 \{y\}/)).toBeInTheDocument();
    await fill(page.user, url, '/tiles/{z}/{x}/{y}.png');
    await waitFor(() => expect(within(card).queryByText(/缺少占位符/)).toBeNull());
    const preview = await within(card).findByTestId('map-provider-preview');
    await waitFor(() => expect(tileImages(preview).length).toBeGreaterThan(0));
    expect(tileImages(preview)[0]!.getAttribute('src')).toMatch(/^\/tiles\/\d+\/\d+\/\d+\.png$/);

    await fill(page.user, byId('map-attribution'), '测绘院');
    await page.user.click(within(card).getByTestId('map-provider-save'));
    expect(await within(card).findByText(/版权说明不能含尖括号/)).toBeInTheDocument();
    expect(page.api.lastBody('PUT /api/settings/map')).toEqual({
      provider: {
        kind: 'xyz',
        url: '/tiles/{z}/{x}/{y}.png',
        coords: 'wgs84',
        attribution: '测绘院',
        subdomains: '',
        maxZoom: 18,
      },
      version: 3,
    });
  });

  it('is read-only for those who may not change it (a leader)', async () => {
    await renderPage(<MapProviderCard writable={false} />, {
      user: 'leader',
      api: {
        'GET /api/settings/map': {
          provider: { kind: 'amap' },
          version: 2,
          source: 'settings',
          updatedAt: '2026-12-01T02:00:00.000Z',
        },
        'GET /api/settings/public': (() => {
          const map = tilesOf({ kind: 'amap' });
          return { map, mapTileUrl: map.layers[0]!.url, mapAttribution: '', mapCoords: 'gcj02' };
        })(),
      },
    });
    const card = await screen.findByTestId('map-provider-card');
    await waitFor(() =>
      expect(within(card).getByRole('radio', { name: '高德地图' })).toBeChecked(),
    );
    expect(within(card).getByRole('radio', { name: '天地图' })).toBeDisabled();
    expect(within(card).queryByTestId('map-provider-save')).toBeNull();
  });
});
