import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TJurisdiction } from '../../../core/contracts/citizen.js';
import type { TAreaGeometry } from '../../../core/geo/polygon.js';
import type { MockRequest } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { areaFromGeoJson, JurisdictionCard } from './JurisdictionCard.js';

// 随手拍受理范围: the office uploads the outline citizen reports must fall in as a GeoJSON file;
// the card finds the (multi)polygon in it, saves it under the name typed (or the file's), and
// shows the outline saved.

type Polygon = Extract<TAreaGeometry, { type: 'Polygon' }>;
const SQUARE: Polygon = {
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
const OTHER: Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [121.1, 31.2],
      [121.2, 31.2],
      [121.2, 31.3],
      [121.1, 31.2],
    ],
  ],
};

const geojson = (doc: unknown, name = '范围.geojson') =>
  new File([JSON.stringify(doc)], name, { type: 'application/geo+json' });
const fileInput = () =>
  screen.getByTestId('jurisdiction-upload').closest('.ant-upload')!.querySelector('input')!;

/** A server keeping the jurisdiction it was last sent. */
async function render(initial: TJurisdiction | null) {
  let saved = initial;
  return renderPage(<JurisdictionCard writable />, {
    api: {
      'GET /api/settings/jurisdiction': () => saved,
      'PUT /api/settings/jurisdiction': (req: MockRequest) => {
        saved = req.body as TJurisdiction;
        return saved;
      },
    },
  });
}

describe('JurisdictionCard', () => {
  it('saves the polygon of a FeatureCollection under the name typed, and shows it saved', async () => {
    const page = await render(null);
    expect(await screen.findByText('尚未设置：随手拍接受任何位置')).toBeInTheDocument();
    await page.user.type(screen.getByPlaceholderText('名称，如 示范市'), '示范市');
    await page.user.upload(
      fileInput(),
      geojson({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: {}, geometry: SQUARE }],
      }),
    );
    expect(await screen.findByText('受理范围已更新')).toBeInTheDocument();
    expect(page.api.lastBody('PUT /api/settings/jurisdiction')).toEqual({
      name: '示范市',
      geometry: SQUARE,
    });
    // Read again: the outline saved is shown under its name.
    expect(await screen.findByTestId('jurisdiction-name')).toHaveTextContent('示范市');
    expect(page.api.callsTo('GET /api/settings/jurisdiction').length).toBeGreaterThan(1);
  });

  it('starts from the saved name; without one typed, the file names it', async () => {
    const page = await render({ name: '旧范围', geometry: SQUARE });
    expect(await screen.findByTestId('jurisdiction-name')).toHaveTextContent('旧范围');
    const name = screen.getByPlaceholderText('名称，如 示范市');
    expect(name).toHaveValue('旧范围');
    await page.user.clear(name);
    await page.user.upload(fileInput(), geojson(OTHER, '新范围.json'));
    await waitFor(() =>
      expect(page.api.lastBody('PUT /api/settings/jurisdiction')).toEqual({
        name: '新范围.json',
        geometry: OTHER,
      }),
    );
    // The field shows the name saved.
    await waitFor(() => expect(name).toHaveValue('新范围.json'));
  });

  it('refuses a file that is not GeoJSON, or holds no polygon, and sends nothing', async () => {
    const page = await render(null);
    await screen.findByText('尚未设置：随手拍接受任何位置');
    await page.user.upload(fileInput(), new File(['{not json'], 'x.geojson'));
    expect(await screen.findByText('不是有效的 GeoJSON 文件')).toBeInTheDocument();
    await page.user.upload(fileInput(), geojson({ type: 'Point', coordinates: [120.1, 30.2] }));
    expect(await screen.findByText('文件中没有找到面（Polygon/MultiPolygon）')).toBeInTheDocument();
    expect(page.api.callsTo('PUT /api/settings/jurisdiction')).toHaveLength(0);
  });
});

describe('areaFromGeoJson', () => {
  it('finds a polygon as a geometry or a Feature; several in a collection make one MultiPolygon', () => {
    expect(areaFromGeoJson(SQUARE)).toEqual(SQUARE);
    expect(areaFromGeoJson({ type: 'Feature', geometry: SQUARE })).toEqual(SQUARE);
    expect(
      areaFromGeoJson({
        type: 'FeatureCollection',
        features: [{ geometry: SQUARE }, { geometry: { type: 'Point' } }, { geometry: OTHER }],
      }),
    ).toEqual({ type: 'MultiPolygon', coordinates: [SQUARE.coordinates, OTHER.coordinates] });
    expect(areaFromGeoJson({ type: 'FeatureCollection', features: [] })).toBeNull();
    expect(areaFromGeoJson(null)).toBeNull();
  });
});
