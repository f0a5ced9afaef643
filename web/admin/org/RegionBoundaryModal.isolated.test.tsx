import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { permissionsOf } from '../../../core/permissions.js';
import { region } from '../../test/fixtures.js';
import { apiError, type Routes } from '../../test/mock-api.js';
import { asUser, renderPage, type RenderPageOptions } from '../../test/render.js';
import { RegionsPage } from './RegionsPage.js';

// 绘制边界: a city office draws one region's boundary on the map of the regions page. Leaflet
// is replaced by a stand-in whose "tap" button clicks the map at the next of a few positions
// (the drawing itself — counting, undo, closing the ring — is the shared PolygonDraftMap's).

vi.mock('../../shared/grid-map.js', () => {
  const taps: [number, number][] = [
    [30.25, 120.15],
    [30.25, 120.16],
    [30.26, 120.16],
    [30.99, 120.99],
  ];
  let n = 0;
  return {
    GridMap: (props: {
      areas?: { id: number; color?: string; label?: string }[];
      draft?: [number, number][];
      onMapClick?: (lat: number, lng: number) => void;
      testId?: string;
    }) => (
      <div data-testid={props.testId ?? 'grid-map'}>
        {(props.areas ?? []).map((a) => (
          <span key={a.id} data-testid="map-area" data-color={a.color}>
            {a.label}
          </span>
        ))}
        {props.onMapClick && (
          <button
            type="button"
            data-testid="map-tap"
            onClick={() => {
              const [lat, lng] = taps[n++ % taps.length]!;
              props.onMapClick!(lat, lng);
            }}
          >
            tap
          </button>
        )}
      </div>
    ),
  };
});

const DISTRICT_SHAPE = {
  type: 'Polygon',
  coordinates: [
    [
      [120.1, 30.2],
      [120.2, 30.2],
      [120.2, 30.3],
      [120.1, 30.2],
    ],
  ],
};
/** 示范市 (1) → 湖滨区 (2, with a boundary) → 湖滨社区 (3, none yet, version 4). */
const REGIONS = [
  region({ id: 1, name: '示范市', level: 'city' }),
  region({ id: 2, name: '湖滨区', level: 'district', parentId: 1, hasBoundary: true }),
  region({ id: 3, name: '湖滨社区', level: 'community', parentId: 2, version: 4 }),
];
const BOUNDARIES = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: {
        code: REGIONS[1]!.code,
        name: '湖滨区',
        level: 'district',
        parentCode: REGIONS[0]!.code,
        boundaryRev: 1,
      },
      geometry: DISTRICT_SHAPE,
    },
  ],
};

const render = (opts: { user?: RenderPageOptions['user']; api?: Routes } = {}) =>
  renderPage(<RegionsPage />, {
    user: opts.user,
    api: {
      'GET /api/regions': { items: REGIONS },
      'GET /api/regions/boundaries.geojson': BOUNDARIES,
      'GET /api/settings/jurisdiction': null,
      'GET /api/settings/public': { mapTileUrl: null, mapAttribution: '', mapCoords: 'wgs84' },
      'GET /api/settings/map': {
        provider: { kind: 'none' },
        version: 0,
        source: 'environment',
        updatedAt: null,
      },
      ...opts.api,
    },
  });

describe('RegionsPage: a region boundary drawn on the map', () => {
  it("draws a community's boundary, saves it at the region's version and says what it placed", async () => {
    const page = await render({
      api: {
        'PUT /api/regions/:id/boundary': {
          region: { ...REGIONS[2]!, hasBoundary: true, version: 5 },
          boundaryRev: 1,
          placed: 5,
          moved: 1,
          unplaced: 0,
          points: { placed: 2, moved: 0, unplaced: 0 },
        },
      },
    });
    expect(await screen.findByTestId('draw-boundary-2')).toHaveTextContent('重绘边界');
    await page.user.click(screen.getByTestId('draw-boundary-3'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('绘制边界：湖滨社区');
    // Its parent's subtree is shown around it: the district's boundary.
    await waitFor(() => expect(within(dialog).getAllByTestId('map-area')).toHaveLength(1));
    expect(page.api.callsTo('GET /api/regions/boundaries.geojson').at(-1)!.query).toEqual({
      regionId: '2',
    });

    // Fewer than three corners: nothing is sent.
    await page.user.click(screen.getByTestId('region-boundary-save'));
    expect(await screen.findByText('请在地图上至少点 3 个角点')).toBeInTheDocument();
    expect(page.api.callsTo('PUT /api/regions/:id/boundary')).toHaveLength(0);

    // Four taps, the last one undone.
    for (let i = 0; i < 4; i++) await page.user.click(within(dialog).getByTestId('map-tap'));
    expect(within(dialog).getByTestId('draft-hint')).toHaveTextContent('已点 4 个');
    await page.user.click(within(dialog).getByRole('button', { name: /撤\s*销/ }));
    expect(within(dialog).getByTestId('draft-hint')).toHaveTextContent('已点 3 个');

    const regionLoads = page.api.callsTo('GET /api/regions').length;
    await page.user.click(screen.getByTestId('region-boundary-save'));
    expect(
      await screen.findByText(
        '边界已保存：5 个问题获得所属区域，1 个改变区域，0 个变为未定位；点位 2 个获得区域，0 个改变，0 个失去。',
      ),
    ).toBeInTheDocument();
    const [put] = page.api.callsTo('PUT /api/regions/:id/boundary');
    expect(put!.path).toBe('/api/regions/3/boundary');
    expect(put!.body).toEqual({
      version: 4,
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [120.15, 30.25],
            [120.16, 30.25],
            [120.16, 30.26],
            [120.15, 30.25],
          ],
        ],
      },
    });
    // The dialog closes; the tree and the boundaries map are read again.
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() =>
      expect(page.api.callsTo('GET /api/regions').length).toBeGreaterThan(regionLoads),
    );
  });

  it('keeps the drawing open and says why when the region changed meanwhile (409)', async () => {
    const page = await render({
      api: {
        'PUT /api/regions/:id/boundary': apiError(409, 'stale_version', {
          zh: '数据已被他人修改，请刷新',
          en: 'Changed by someone else',
        }),
      },
    });
    await page.user.click(await screen.findByTestId('draw-boundary-2'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('重新绘制边界：湖滨区');
    for (let i = 0; i < 3; i++) await page.user.click(within(dialog).getByTestId('map-tap'));
    await page.user.click(screen.getByTestId('region-boundary-save'));
    expect(await screen.findByText(/数据已被他人修改/)).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(page.api.callsTo('PUT /api/regions/:id/boundary')[0]!.body).toMatchObject({
      version: 1,
    });
  });

  it('offers no drawing without region.write', async () => {
    await render({
      user: asUser('leader', { permissions: [...permissionsOf(['leader'], true)] }),
    });
    // In the regions' table (the maps' base names it too).
    await waitFor(() =>
      expect(screen.getAllByText('湖滨区').some((e) => e.closest('.ant-table'))).toBe(true),
    );
    expect(screen.queryByTestId('draw-boundary-2')).toBeNull();
  });
});
