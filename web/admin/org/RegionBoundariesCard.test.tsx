import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError, type MockRequest } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { RegionBoundariesCard } from './RegionBoundariesCard.js';

const EMPTY = { type: 'FeatureCollection', features: [] };
const ONE = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { code: '990102', name: '东湖区', level: 'district' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [120.14, 30.24],
            [120.3, 30.24],
            [120.3, 30.35],
            [120.14, 30.24],
          ],
        ],
      },
    },
  ],
};
const file = () =>
  new File([JSON.stringify(ONE)], '边界.geojson', { type: 'application/geo+json' });
const fileInput = () =>
  screen.getByTestId('boundary-import').closest('.ant-upload')!.querySelector('input')!;

describe('RegionBoundariesCard', () => {
  it('checks the file with a dry run, shows what it does to problems, and applies it on confirmation', async () => {
    let applied = false;
    let changed = 0;
    const page = await renderPage(<RegionBoundariesCard writable onChanged={() => changed++} />, {
      user: 'office',
      api: {
        'GET /api/regions/boundaries.geojson': () => (applied ? ONE : EMPTY),
        'GET /api/settings/public': { mapTileUrl: null, mapAttribution: '', mapCoords: 'wgs84' },
        'POST /api/regions/boundaries/import': (req: MockRequest) => {
          if (req.query.dryRun !== 'true') applied = true;
          return {
            imported: 1,
            placed: 12,
            moved: 3,
            unplaced: 0,
            points: { placed: 2, moved: 0, unplaced: 0 },
            ...(req.query.dryRun === 'true' ? { dryRun: true } : {}),
          };
        },
      },
    });
    expect(await screen.findByTestId('boundary-none')).toBeInTheDocument();
    expect(screen.getByTestId('boundary-export')).toHaveAttribute(
      'href',
      '/api/regions/boundaries.geojson',
    );
    await page.user.upload(fileInput(), file());
    const preview = await screen.findByTestId('boundary-preview');
    expect(preview).toHaveTextContent(
      '将更新 1 个区划的边界；12 个问题获得所属区域，3 个改变区域，0 个变为未定位；点位 2 个获得区域',
    );
    const calls = page.api.callsTo('POST /api/regions/boundaries/import');
    expect(calls.map((c) => c.query)).toEqual([{ dryRun: 'true' }]);
    expect((calls[0]!.body as FormData).get('file')).toBeInstanceOf(File);
    expect(applied).toBe(false);

    await page.user.click(screen.getByTestId('boundary-apply'));
    await waitFor(() => expect(applied).toBe(true));
    expect(page.api.callsTo('POST /api/regions/boundaries/import')[1]!.query).toEqual({});
    await waitFor(() => expect(screen.queryByTestId('boundary-none')).toBeNull());
    expect(await screen.findByTestId('boundary-map')).toBeInTheDocument();
    expect(changed).toBe(1);
  });

  it('lists every bad feature when the file is refused, and writes nothing', async () => {
    const page = await renderPage(<RegionBoundariesCard writable onChanged={() => undefined} />, {
      user: 'office',
      api: {
        'GET /api/regions/boundaries.geojson': EMPTY,
        'POST /api/regions/boundaries/import': apiError(
          422,
          'import_rejected',
          { zh: '导入文件有 2 处错误，未导入任何数据', en: 'the file has 2 error(s)' },
          {
            rows: [
              { row: 1, column: 'code', reason: '没有区划“999” / no region has code "999"' },
              {
                row: 2,
                column: 'geometry',
                reason: '边界图形无效 / invalid boundary: a ring is not closed',
              },
            ],
          },
        ),
      },
    });
    await screen.findByTestId('boundary-none');
    await page.user.upload(fileInput(), file());
    expect(await screen.findByTestId('boundary-errors')).toHaveTextContent(
      '共 2 处错误，未导入任何边界',
    );
    // Each reason in the user's language (the server words it "中文 / English").
    expect(screen.getByText('没有区划“999”')).toBeInTheDocument();
    expect(screen.getByText('边界图形无效')).toBeInTheDocument();
    expect(screen.queryByText(/a ring is not closed/)).toBeNull();
    expect(page.api.callsTo('POST /api/regions/boundaries/import')).toHaveLength(1);
    expect(screen.queryByTestId('boundary-preview')).toBeNull();
  });

  it('a reader sees the export but no import', async () => {
    await renderPage(<RegionBoundariesCard writable={false} onChanged={() => undefined} />, {
      user: 'leader',
      api: { 'GET /api/regions/boundaries.geojson': EMPTY },
    });
    await screen.findByTestId('boundary-none');
    expect(screen.queryByTestId('boundary-import')).toBeNull();
    expect(screen.getByTestId('boundary-export')).toBeInTheDocument();
  });
});
