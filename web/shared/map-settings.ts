import { useEffect, useState } from 'react';
import { get } from './api.js';

/** Map tiles and their coordinate system, from /api/settings/public (no sign-in needed). */
export interface MapSettings {
  mapTileUrl: string | null;
  mapAttribution: string;
  mapCoords: 'wgs84' | 'gcj02';
}

let cache: Promise<MapSettings> | null = null;
export function useMapSettings(): MapSettings | null {
  const [s, setS] = useState<MapSettings | null>(null);
  useEffect(() => {
    cache ??= get<MapSettings>('/api/settings/public');
    cache.then(setS).catch(() => {
      cache = null;
    });
  }, []);
  return s;
}
