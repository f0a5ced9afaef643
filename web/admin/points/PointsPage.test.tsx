import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TPointOverview } from '../../../core/contracts/points.js';
import { pickOption } from '../../test/antd.js';
import { renderPage } from '../../test/render.js';
import { PointsPage } from './PointsPage.js';

const point = (over: Partial<TPointOverview> & Pick<TPointOverview, 'id' | 'name'>) => ({
  type: 'P01',
  typeName: '农贸市场',
  regionId: null,
  regionName: null,
  unitId: null,
  unitName: null,
  address: null,
  lat: null,
  lng: null,
  leader: null,
  contact: null,
  active: true,
  added: false,
  addedInRoundName: null,
  version: 1,
  lastVisitId: null,
  lastVisitAt: null,
  lastRoundName: null,
  lastScore: null,
  lastResult: null,
  ...over,
});

describe('PointsPage', () => {
  it('filters by origin, and adopting a point added in a round reads the points again', async () => {
    let adopted = false;
    const page = await renderPage(<PointsPage />, {
      api: {
        'GET /api/settings/public': { mapTileUrl: null, mapAttribution: '', mapCoords: 'wgs84' },
        'GET /api/point-types': { items: [] },
        'GET /api/points/overview': () => ({
          items: [
            point({ id: 1, name: '解放路菜市场' }),
            point({ id: 2, name: '人民公园', added: !adopted, addedInRoundName: '11月督查' }),
          ],
        }),
        'POST /api/points/:id/adopt': () => {
          adopted = true;
          return {};
        },
      },
    });
    expect(await screen.findByText('解放路菜市场')).toBeInTheDocument();
    expect(screen.getByTestId('point-added-2')).toHaveTextContent('11月督查');
    await pickOption(page.user, screen.getByTestId('points-origin'), '随机增加（未纳入）');
    await waitFor(() =>
      expect(page.api.callsTo('GET /api/points/overview').at(-1)!.query).toEqual({
        origin: 'added',
      }),
    );
    await page.user.click(screen.getByTestId('point-adopt-2'));
    await page.user.click(await screen.findByRole('button', { name: /确\s?定|OK/ }));
    await waitFor(() => expect(screen.queryByTestId('point-added-2')).not.toBeInTheDocument());
    expect(page.api.lastBody('POST /api/points/:id/adopt')).toEqual({ version: 1 });
    expect(page.api.callsTo('POST /api/points/:id/adopt')[0]!.path).toBe('/api/points/2/adopt');
  });
});
