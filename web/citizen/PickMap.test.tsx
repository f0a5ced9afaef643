import { screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TJurisdiction } from '../../core/contracts/citizen.js';
import { wgs84ToGcj02 } from '../../core/geo/coords.js';
import { tilesOf } from '../../core/geo/tiles.js';
import { leafletIn, sizeMaps, tapMap } from '../test/leaflet.js';
import { renderPage } from '../test/render.js';
import { PickMap } from './PickMap.js';
import { ReportPage } from './ReportPage.js';

// 随手拍's "tap on the map": with no tiles configured (a fresh install, an intranet) the map is the
// city's own boundaries, and a tap there is the problem's place — on the report page too.

// A small jurisdiction (about 1 km across) so a tap a few hundred metres off is outside it.
const JURISDICTION: TJurisdiction = {
  name: '示范市',
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [120.1, 30.2],
        [120.11, 30.2],
        [120.11, 30.21],
        [120.1, 30.21],
        [120.1, 30.2],
      ],
    ],
  },
};

let unsize: () => void;
beforeEach(() => {
  unsize = sizeMaps(400, 300);
});
afterEach(() => unsize());

describe('PickMap', () => {
  it('with no provider: the boundaries are drawn and a tap is a WGS-84 position', async () => {
    const picked: { lat: number; lng: number }[] = [];
    await renderPage(
      <PickMap value={null} onChange={(p) => picked.push(p)} jurisdiction={JURISDICTION} />,
      { user: null },
    );
    const map = await waitFor(() => leafletIn(screen.getByTestId('pick-map')));
    expect(screen.getByTestId('pick-map').dataset.base).toBe('boundaries');
    expect(await screen.findByTestId('map-fallback-note')).toBeInTheDocument();
    await waitFor(() => expect(map.querySelector('.leaflet-ccBase-pane path')).not.toBeNull());
    // Opened on the jurisdiction's middle: a tap in the map's middle is there (to a pixel, ~70 m).
    tapMap(map, 200, 150);
    expect(picked).toHaveLength(1);
    expect(picked[0]!.lat).toBeCloseTo(30.205, 2);
    expect(picked[0]!.lng).toBeCloseTo(120.105, 2);
  });

  it('on 高德 tiles the tap is shifted back from GCJ-02', async () => {
    const picked: { lat: number; lng: number }[] = [];
    const tiles = tilesOf({ kind: 'amap' });
    await renderPage(
      <PickMap
        value={{ lat: 30.205, lng: 120.105 }}
        onChange={(p) => picked.push(p)}
        jurisdiction={JURISDICTION}
      />,
      {
        user: null,
        api: {
          'GET /api/settings/public': {
            map: tiles,
            mapTileUrl: tiles.layers[0]!.url,
            mapAttribution: '',
            mapCoords: 'gcj02',
          },
        },
      },
    );
    const map = await waitFor(() => leafletIn(screen.getByTestId('pick-map')));
    await waitFor(() => expect(map.querySelector('.leaflet-tile-pane img')).not.toBeNull());
    expect(screen.getByTestId('pick-map').dataset.base).toBe('tiles');
    tapMap(map, 200, 150);
    // Centred on the value (drawn at its GCJ-02 place): the tap gives the value back in WGS-84,
    // not its GCJ-02 position some 500 m away.
    expect(picked[0]!.lat).toBeCloseTo(30.205, 4);
    expect(picked[0]!.lng).toBeCloseTo(120.105, 4);
    const [gLat] = wgs84ToGcj02(30.205, 120.105);
    expect(Math.abs(picked[0]!.lat - gLat)).toBeGreaterThan(0.001);
  });
});

describe('ReportPage: the place by a tap on the boundaries', () => {
  it('a tap inside the city fills the place; one outside is refused', async () => {
    await renderPage(<ReportPage />, {
      user: null,
      route: '/report',
      width: 390,
      api: {
        'GET /api/public/setup': {
          categories: [{ id: 5, name: '暴露垃圾', group: '市容环境' }],
          jurisdiction: JURISDICTION,
          maxPhotos: 3,
        },
      },
    });
    expect(screen.getByTestId('picked')).toHaveTextContent('或在地图上点选');
    // The map is loaded after the form (a lazy chunk), on the jurisdiction once the setup is in.
    const map = await waitFor(() => leafletIn(screen.getByTestId('pick-map')));
    await waitFor(() => expect(map.querySelector('.leaflet-ccBase-pane path')).not.toBeNull());
    tapMap(map, 200, 150);
    await waitFor(() =>
      expect(screen.getByTestId('picked')).toHaveTextContent(/^30\.20\d+, 120\.10\d+$/),
    );
    expect(screen.queryByText('所选位置不在受理范围内')).toBeNull();
    // The map follows the tap (zoom 15); its corner is some 800 m west: outside the jurisdiction.
    tapMap(map, 0, 0);
    expect(await screen.findByText('所选位置不在受理范围内')).toBeInTheDocument();
    expect(screen.getByTestId('submit')).toBeDisabled();
  });
});
