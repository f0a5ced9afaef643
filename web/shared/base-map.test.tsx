import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TPublicSettings } from '../../core/contracts/health.js';
import { wgs84ToGcj02 } from '../../core/geo/coords.js';
import { tilesOf, type TMapProvider } from '../../core/geo/tiles.js';
import { MAP_BASE, MAP_GRIDS } from '../test/fixtures.js';
import { leafletIn, sizeMaps, tapMap, tileImages } from '../test/leaflet.js';
import { renderPage } from '../test/render.js';
import { BaseMap, forgetTileFailures, TILE_FAILURES, type MapProjection } from './base-map.js';
import { refreshMapGrids } from './map-settings.js';

// The base every map stands on: the office's tiles when it chose a provider, our own boundaries
// when it chose none or when the tiles do not load; taps come back in WGS-84 either way.

const KEY = '0123456789abcdef0123456789abcdef';
const settingsFor = (p: TMapProvider): TPublicSettings => {
  const map = tilesOf(p);
  return {
    map,
    mapTileUrl: map.layers[0]?.url ?? null,
    mapAttribution: map.layers[0]?.attribution ?? '',
    mapCoords: map.coords,
  };
};

let unsize: () => void;
beforeEach(() => {
  unsize = sizeMaps();
  forgetTileFailures();
});
afterEach(() => unsize());

async function renderMap(
  provider: TMapProvider | null,
  props: Partial<Parameters<typeof BaseMap>[0]> = {},
  user: 'office' | null = null,
) {
  const seen: { p?: MapProjection } = {};
  const page = await renderPage(
    <BaseMap testId="the-map" center={[30.25, 120.15]} zoom={12} {...props}>
      {(p) => {
        seen.p = p;
        return null;
      }}
    </BaseMap>,
    { user, api: provider ? { 'GET /api/settings/public': settingsFor(provider) } : {} },
  );
  // The wrapper once the map is in it (before the tiles are known it is an empty box).
  const wrapper = await waitFor(() => {
    const w = screen.getByTestId('the-map');
    leafletIn(w);
    return w;
  });
  return { page, wrapper, seen };
}

describe('BaseMap: the tiles the office chose', () => {
  it('天地图: the vector map and its annotation, with the key, in WGS-84', async () => {
    const { wrapper, seen, page } = await renderMap({ kind: 'tianditu', key: KEY });
    expect(wrapper.dataset.base).toBe('tiles');
    const map = leafletIn(wrapper);
    await waitFor(() => expect(tileImages(map).length).toBeGreaterThan(0));
    const srcs = tileImages(map).map((i) => i.src);
    expect(
      srcs.some((s) => /^https:\/\/t[0-7]\.tianditu\.gov\.cn\/vec_w\/wmts\?.*LAYER=vec/.test(s)),
    ).toBe(true);
    expect(srcs.some((s) => /cva_w\/wmts\?.*LAYER=cva/.test(s))).toBe(true);
    for (const s of srcs) {
      expect(s).toContain(`tk=${KEY}`);
      expect(s).toMatch(/TILEMATRIX=12&TILEROW=\d+&TILECOL=\d+/);
    }
    expect(map.querySelector('.leaflet-control-attribution')!.textContent).toContain('© 天地图');
    expect(seen.p!.show(30.25, 120.15)).toEqual([30.25, 120.15]);
    // No fallback: the base geometry is not even fetched.
    expect(screen.queryByTestId('map-fallback-note')).toBeNull();
    expect(page.api.callsTo('GET /api/map/base')).toHaveLength(0);
  });

  it('高德: GCJ-02 tiles; positions are shifted onto them and taps shifted back', async () => {
    const taps: [number, number][] = [];
    const { wrapper, seen } = await renderMap(
      { kind: 'amap' },
      { zoom: 17, onClick: (lat, lng) => taps.push([lat, lng]) },
    );
    const map = leafletIn(wrapper);
    await waitFor(() => expect(tileImages(map).length).toBeGreaterThan(0));
    expect(tileImages(map)[0]!.src).toMatch(
      /^https:\/\/webrd0[1-4]\.is\.autonavi\.com\/appmaptile\?.*&z=17/,
    );
    expect(seen.p!.gcj).toBe(true);
    expect(seen.p!.show(30.25, 120.15)).toEqual(wgs84ToGcj02(30.25, 120.15));
    // The map is centred on the GCJ-02 position of 30.25, 120.15: a tap in its middle is there.
    // (Within a pixel at zoom 17: about a metre; the shift itself is some 500 m.)
    tapMap(map, 200, 150);
    expect(taps).toHaveLength(1);
    const [lat, lng] = taps[0]!;
    expect(lat).toBeCloseTo(30.25, 4);
    expect(lng).toBeCloseTo(120.15, 4);
  });

  it('an XYZ server with its attribution escaped (Leaflet writes it as HTML)', async () => {
    const { wrapper } = await renderMap({
      kind: 'xyz',
      url: '/tiles/{z}/{x}/{y}.png',
      coords: 'wgs84',
      attribution: '测绘院 <img src=x onerror=alert(1)>',
      subdomains: '',
      maxZoom: 18,
    });
    const map = leafletIn(wrapper);
    await waitFor(() => expect(tileImages(map).length).toBeGreaterThan(0));
    expect(tileImages(map)[0]!.getAttribute('src')).toMatch(/^\/tiles\/12\/\d+\/\d+\.png$/);
    const credit = map.querySelector('.leaflet-control-attribution')!;
    expect(credit.textContent).toContain('测绘院 <img src=x onerror=alert(1)>');
    expect(credit.querySelector('img')).toBeNull();
  });
});

describe('BaseMap: our own boundaries when there are no tiles', () => {
  it('with no provider: the jurisdiction, districts and streets with their names, and a note', async () => {
    const { wrapper, page } = await renderMap(null);
    expect(wrapper.dataset.base).toBe('boundaries');
    expect(await screen.findByTestId('map-fallback-note')).toHaveTextContent(
      '未配置地图底图，显示辖区边界',
    );
    const map = leafletIn(wrapper);
    expect(tileImages(map)).toHaveLength(0);
    // Zoom 12: the jurisdiction, the district and the street are drawn (communities from 14).
    await waitFor(() => expect(map.querySelectorAll('.leaflet-ccBase-pane path').length).toBe(3));
    const names = [...map.querySelectorAll('.leaflet-ccBaseLabels-pane .cc-base-label')].map(
      (l) => l.textContent,
    );
    expect(names).toEqual(['湖滨区']);
    expect(page.api.callsTo('GET /api/map/base')).toHaveLength(1);
  });

  it('writes names as text (an office types them; Leaflet would take HTML)', async () => {
    const base = {
      ...MAP_BASE,
      areas: [{ ...MAP_BASE.areas[0]!, name: '<img src=x onerror=alert(1)>区' }],
    };
    await renderPage(<BaseMap testId="the-map" center={[30.25, 120.15]} zoom={12} />, {
      user: null,
      api: { 'GET /api/map/base': base },
    });
    const map = await waitFor(() => leafletIn(screen.getByTestId('the-map')));
    const label = await waitFor(() => {
      const l = map.querySelector('.cc-base-label');
      if (!l) throw new Error('no label yet');
      return l;
    });
    expect(label.textContent).toBe('<img src=x onerror=alert(1)>区');
    expect(label.querySelector('img')).toBeNull();
  });

  it('closer in, the communities appear; the grids only for those who may see them', async () => {
    const anonymous = await renderMap(null, { center: [30.2125, 120.1125], zoom: 16 });
    let map = leafletIn(anonymous.wrapper);
    await waitFor(() => expect(map.querySelectorAll('.leaflet-ccBase-pane path').length).toBe(4));
    expect(map.querySelectorAll('.cc-base-label')).toHaveLength(0);
    expect(anonymous.page.api.callsTo('GET /api/map/grids')).toHaveLength(0);
    anonymous.page.unmount();

    const office = await renderMap(null, { center: [30.2125, 120.1125], zoom: 16 }, 'office');
    map = leafletIn(office.wrapper);
    await waitFor(() => expect(map.querySelectorAll('.leaflet-ccBase-pane path').length).toBe(5));
    expect([...map.querySelectorAll('.cc-base-label')].map((l) => l.textContent)).toEqual([
      '湖滨一网格',
    ]);
    // Asked for the view and a margin around it (WGS-84 west,south,east,north).
    const [asked] = office.page.api.callsTo('GET /api/map/grids');
    const [w, s, e, n] = asked!.query.box!.split(',').map(Number);
    expect(w).toBeLessThan(120.1125);
    expect(e).toBeGreaterThan(120.1125);
    expect(s).toBeLessThan(30.2125);
    expect(n).toBeGreaterThan(30.2125);
    expect(e! - w!).toBeLessThan(0.05);

    // A grid saved on the page: the maps ask again and draw it as it now is.
    office.page.api.on({
      'GET /api/map/grids': {
        ...MAP_GRIDS,
        areas: [{ ...MAP_GRIDS.areas[0]!, name: '湖滨二网格' }],
      },
    });
    act(() => refreshMapGrids());
    await waitFor(() =>
      expect([...map.querySelectorAll('.cc-base-label')].map((l) => l.textContent)).toEqual([
        '湖滨二网格',
      ]),
    );
    expect(office.page.api.callsTo('GET /api/map/grids')).toHaveLength(2);
  });

  it('zoomed in on a corner of a community, its name shows in the part in view', async () => {
    // The community's label point (its middle, 120.115, 30.215) is off this view.
    const { wrapper } = await renderMap(null, { center: [30.2105, 120.1105], zoom: 15 });
    const map = leafletIn(wrapper);
    await waitFor(() =>
      expect([...map.querySelectorAll('.cc-base-label')].map((l) => l.textContent)).toEqual([
        '湖滨社区',
      ]),
    );
  });

  it('opens on the base when the page has nothing of its own to show', async () => {
    const taps: [number, number][] = [];
    const { wrapper } = await renderMap(null, {
      center: undefined,
      zoom: undefined,
      onClick: (lat, lng) => taps.push([lat, lng]),
    });
    const map = leafletIn(wrapper);
    await waitFor(() =>
      expect(map.querySelectorAll('.leaflet-ccBase-pane path').length).toBeGreaterThan(0),
    );
    // The base's box is 120.0–120.3 × 30.1–30.4: its middle is the map's.
    const [w, s, e, n] = MAP_BASE.box!;
    tapMap(map, 200, 150);
    expect(taps[0]![0]).toBeCloseTo((s + n) / 2, 2);
    expect(taps[0]![1]).toBeCloseTo((w + e) / 2, 2);
  });

  it('a tap on the boundaries is a WGS-84 position', async () => {
    const taps: [number, number][] = [];
    const { wrapper } = await renderMap(null, {
      zoom: 17,
      onClick: (lat, lng) => taps.push([lat, lng]),
    });
    const map = leafletIn(wrapper);
    await waitFor(() => expect(map.querySelectorAll('.leaflet-ccBase-pane path').length).toBe(4));
    tapMap(map, 200, 150);
    expect(taps).toHaveLength(1);
    expect(taps[0]![0]).toBeCloseTo(30.25, 4);
    expect(taps[0]![1]).toBeCloseTo(120.15, 4);
  });

  it(`tiles that fail to load (${TILE_FAILURES} errors): the boundaries instead, with a note`, async () => {
    const taps: [number, number][] = [];
    const { wrapper, seen, page } = await renderMap(
      { kind: 'amap' },
      { zoom: 17, onClick: (lat, lng) => taps.push([lat, lng]) },
    );
    const map = leafletIn(wrapper);
    await waitFor(() => expect(tileImages(map).length).toBeGreaterThanOrEqual(TILE_FAILURES));
    expect(seen.p!.gcj).toBe(true);
    for (const img of tileImages(map).slice(0, TILE_FAILURES)) fireEvent.error(img);
    expect(await screen.findByTestId('map-fallback-note')).toHaveTextContent(
      '底图不可用，显示辖区边界',
    );
    expect(wrapper.dataset.base).toBe('boundaries');
    expect(tileImages(map)).toHaveLength(0);
    await waitFor(() => expect(map.querySelectorAll('.leaflet-ccBase-pane path').length).toBe(4));
    expect(page.api.callsTo('GET /api/map/base')).toHaveLength(1);
    // Our base is WGS-84: nothing is shifted any more, taps included.
    expect(seen.p!.gcj).toBe(false);
    // The view stayed on the same place: its middle is still 30.25, 120.15 (not the GCJ-02
    // position of it, some 500 m off, read as WGS-84).
    tapMap(map, 200, 150);
    const [lat, lng] = taps[0]!;
    expect(lat).toBeCloseTo(30.25, 4);
    expect(lng).toBeCloseTo(120.15, 4);
    const [gLat] = wgs84ToGcj02(30.25, 120.15);
    expect(Math.abs(lat - gLat)).toBeGreaterThan(0.001);
  });

  it('a later map on the page starts on the boundaries once the tiles failed', async () => {
    const first = await renderMap({ kind: 'osm' });
    const map = leafletIn(first.wrapper);
    await waitFor(() => expect(tileImages(map).length).toBeGreaterThanOrEqual(TILE_FAILURES));
    for (const img of tileImages(map).slice(0, TILE_FAILURES)) fireEvent.error(img);
    await screen.findByTestId('map-fallback-note');
    first.page.unmount();
    const second = await renderMap({ kind: 'osm' });
    expect(second.wrapper.dataset.base).toBe('boundaries');
    expect(tileImages(leafletIn(second.wrapper))).toHaveLength(0);
  });

  it('a few errors among tiles that load are not a failure', async () => {
    unsize();
    unsize = sizeMaps(1000, 800);
    const { wrapper } = await renderMap({ kind: 'osm' });
    const map = leafletIn(wrapper);
    await waitFor(() => expect(tileImages(map).length).toBeGreaterThanOrEqual(6));
    const imgs = tileImages(map);
    for (const img of imgs.slice(0, 3)) fireEvent.load(img);
    for (const img of imgs.slice(3, 6)) fireEvent.error(img);
    expect(wrapper.dataset.base).toBe('tiles');
    expect(screen.queryByTestId('map-fallback-note')).toBeNull();
  });
});
