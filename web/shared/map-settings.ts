import { useEffect, useState } from 'react';
import type { TPublicSettings } from '../../core/contracts/health.js';
import type { TMapBase, TMapGrids } from '../../core/contracts/maps.js';
import type { TMapTiles } from '../../core/geo/tiles.js';
import { apiCall } from './api.js';
import { referenceData } from './reference-data.js';

/**
 * The base map's tiles (the office's provider, from /api/settings/public: no sign-in needed) and
 * the base geometry drawn without them (/api/map/base), each fetched once per page load.
 */

/** The tiles from the public settings; an answer from before providers (one URL) is read too. */
export function tilesFromSettings(s: Partial<TPublicSettings>): TMapTiles {
  if (s.map) return s.map;
  return s.mapTileUrl
    ? {
        kind: 'xyz',
        coords: s.mapCoords ?? 'wgs84',
        layers: [
          {
            url: s.mapTileUrl,
            subdomains: 'abc',
            attribution: s.mapAttribution ?? '',
            maxZoom: 18,
          },
        ],
      }
    : { kind: 'none', coords: 'wgs84', layers: [] };
}

const settings = referenceData(() => apiCall('GET /api/settings/public').then(tilesFromSettings));
const listeners = new Set<(t: TMapTiles) => void>();

/** The tiles every map draws (null until known). */
export function useMapTiles(): TMapTiles | null {
  const [tiles, setTiles] = useState<TMapTiles | null>(null);
  useEffect(() => {
    let live = true;
    settings.load().then(
      (t) => live && setTiles(t),
      () => live && setTiles({ kind: 'none', coords: 'wgs84', layers: [] }),
    );
    const update = (t: TMapTiles) => setTiles(t);
    listeners.add(update);
    return () => {
      live = false;
      listeners.delete(update);
    };
  }, []);
  return tiles;
}

/** Asks again after the office changed the provider, and redraws every map on the page. */
export async function refreshMapTiles(): Promise<void> {
  const t = await settings.load(true);
  for (const l of listeners) l(t);
}

// The one answer typed here, not by the route: /api/map/base sends ZMapBaseSchema's JSON as text
// it built once (maps.routes.ts, with an ETag), so its route declares no response schema.
const base = referenceData(() => apiCall('GET /api/map/base') as Promise<TMapBase>);
const baseListeners = new Set<(b: TMapBase) => void>();

/** The base geometry, fetched when `wanted` (a map without tiles); null until then. */
export function useMapBase(wanted: boolean): TMapBase | null {
  const [b, setB] = useState<TMapBase | null>(null);
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    base.load().then(
      (v) => live && setB(v),
      () => undefined,
    );
    const update = (v: TMapBase) => setB(v);
    baseListeners.add(update);
    return () => {
      live = false;
      baseListeners.delete(update);
    };
  }, [wanted]);
  return b;
}

/** Asks again after boundaries or grids changed, and redraws the maps showing the base. */
export async function refreshMapBase(): Promise<void> {
  const b = await base.load(true);
  for (const l of baseListeners) l(b);
}

/** The grids in a WGS-84 box the user may see (as the grid list scopes them). */
export function loadGridsIn(box: {
  w: number;
  s: number;
  e: number;
  n: number;
}): Promise<TMapGrids> {
  const f = (x: number) => x.toFixed(5);
  return apiCall('GET /api/map/grids', {
    query: { box: `${f(box.w)},${f(box.s)},${f(box.e)},${f(box.n)}` },
  });
}

const gridListeners = new Set<() => void>();

/** Asks again for the grids in view after a grid changed (GridsPage), on every map showing them. */
export function refreshMapGrids(): void {
  for (const l of gridListeners) l();
}

/** Calls `fn` when the grids changed; returns the unsubscribe. */
export function onMapGridsChanged(fn: () => void): () => void {
  gridListeners.add(fn);
  return () => gridListeners.delete(fn);
}
