import { useEffect, useState } from 'react';
import { get } from './api.js';
import { referenceData } from './reference-data.js';

/** Map tiles and their coordinate system, from /api/settings/public (no sign-in needed). */
export interface MapSettings {
  mapTileUrl: string | null;
  mapAttribution: string;
  mapCoords: 'wgs84' | 'gcj02';
}

const settings = referenceData(() => get<MapSettings>('/api/settings/public'));
export function useMapSettings(): MapSettings | null {
  const [s, setS] = useState<MapSettings | null>(null);
  useEffect(() => {
    settings.load().then(setS, () => undefined);
  }, []);
  return s;
}
