import { screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leafletIn, sizeMaps, tapMap } from '../test/leaflet.js';
import { renderPage } from '../test/render.js';
import { draftPolygon, PolygonDraftMap, type TDraft } from './polygon-draft.js';

// Drawing a grid's or a region's outline with no tiles configured: the corners are tapped on the
// city's own boundaries (the base), through the other areas shown.

let unsize: () => void;
beforeEach(() => {
  unsize = sizeMaps(400, 300);
});
afterEach(() => unsize());

let drawn: TDraft = [];
function Drawing() {
  const [draft, setDraft] = useState<TDraft>([]);
  drawn = draft;
  return (
    <PolygonDraftMap
      draft={draft}
      onChange={setDraft}
      what={{ zh: '网格', en: "the grid's" }}
      areas={[
        {
          id: 1,
          label: '湖滨一网格',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [120.11, 30.21],
                [120.115, 30.21],
                [120.115, 30.215],
                [120.11, 30.21],
              ],
            ],
          },
        },
      ]}
    />
  );
}

describe('PolygonDraftMap on the boundaries', () => {
  it('takes the corners from taps, over the areas already drawn', async () => {
    await renderPage(<Drawing />);
    const map = await waitFor(() => leafletIn(screen.getByTestId('grid-map')));
    expect(screen.getByTestId('grid-map').dataset.base).toBe('boundaries');
    await waitFor(() => expect(map.querySelector('.leaflet-ccBase-pane path')).not.toBeNull());
    // A tap on the grid already drawn (its outline's element) still reaches the map.
    const area = map.querySelector<SVGPathElement>('.leaflet-overlay-pane path')!;
    expect(area).not.toBeNull();
    tapMap(area as unknown as HTMLElement, 200, 150);
    tapMap(map, 300, 150);
    tapMap(map, 300, 50);
    await waitFor(() => expect(screen.getByTestId('draft-hint')).toHaveTextContent('已点 3 个'));
    const ring = draftPolygon(drawn)!.coordinates[0]!;
    expect(ring).toHaveLength(4);
    // East, then north: WGS-84 [lng, lat] as tapped.
    expect(ring[1]![0]).toBeGreaterThan(ring[0]![0]);
    expect(ring[2]![1]).toBeGreaterThan(ring[1]![1]);
    for (const [lng, lat] of ring) {
      expect(lng).toBeGreaterThan(120.1);
      expect(lng).toBeLessThan(120.13);
      expect(lat).toBeGreaterThan(30.2);
      expect(lat).toBeLessThan(30.23);
    }
  });
});
