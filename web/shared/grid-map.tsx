import { CircleMarker, Polygon, Polyline, Tooltip } from 'react-leaflet';
import type { TAreaGeometry } from '../../core/geo/polygon.js';
import { BaseMap, type LatLngBounds, type MapProjection } from './base-map.js';

export interface MapArea {
  id: number;
  geometry: TAreaGeometry;
  label?: string;
  color?: string;
  selected?: boolean;
}
export interface MapPin {
  id: number | string;
  lat: number;
  lng: number;
  label?: string;
  color?: string;
}
export interface MapTrack {
  id: number | string;
  points: { lat: number; lng: number }[];
  color?: string;
}

const ringsOf = (g: TAreaGeometry, show: MapProjection['show']) =>
  (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).map((poly) =>
    poly.map((ring) => ring.map(([lng, lat]) => show(lat, lng))),
  );

/** The WGS-84 box around what the map shows (the draft is left out: one taps where one looks). */
function boundsOf(props: { areas?: MapArea[]; pins?: MapPin[]; tracks?: MapTrack[] }) {
  const lats: number[] = [];
  const lngs: number[] = [];
  const add = (lat: number, lng: number) => {
    lats.push(lat);
    lngs.push(lng);
  };
  for (const a of props.areas ?? []) {
    for (const poly of a.geometry.type === 'Polygon'
      ? [a.geometry.coordinates]
      : a.geometry.coordinates)
      for (const [lng, lat] of poly[0] ?? []) add(lat, lng);
  }
  for (const p of props.pins ?? []) add(p.lat, p.lng);
  for (const tr of props.tracks ?? []) for (const p of tr.points) add(p.lat, p.lng);
  if (!lats.length) return null;
  return [
    [Math.min(...lats), Math.min(...lngs)],
    [Math.max(...lats), Math.max(...lngs)],
  ] as LatLngBounds;
}

/**
 * Grids, problems and patrol tracks on one map (WGS-84 in and out; base-map.tsx draws the tiles or
 * our own boundaries). Fits itself to what it shows; with nothing, it opens on the city.
 */
export function GridMap(props: {
  areas?: MapArea[];
  pins?: MapPin[];
  tracks?: MapTrack[];
  /** A polygon being drawn (WGS-84 [lng, lat]). */
  draft?: [number, number][];
  height?: number | string;
  onAreaClick?: (id: number) => void;
  onMapClick?: (lat: number, lng: number) => void;
  testId?: string;
}) {
  const fit = boundsOf(props);
  return (
    <BaseMap
      testId={props.testId ?? 'grid-map'}
      fit={fit}
      fitMaxZoom={17}
      height={props.height ?? 400}
      scrollWheelZoom
      onClick={props.onMapClick}
    >
      {({ show }) => (
        <>
          {(props.areas ?? []).map((a) => (
            <Polygon
              key={a.id}
              positions={ringsOf(a.geometry, show)}
              // Only a clickable area takes taps; the others leave them to the map (drawing).
              interactive={Boolean(props.onAreaClick)}
              pathOptions={{
                color: a.selected ? '#c8102e' : (a.color ?? '#1677ff'),
                weight: a.selected ? 3 : 1.5,
                fillOpacity: a.selected ? 0.15 : 0.08,
              }}
              eventHandlers={
                props.onAreaClick ? { click: () => props.onAreaClick!(a.id) } : undefined
              }
            >
              {a.label && (
                <Tooltip direction="center" permanent className="grid-label">
                  {a.label}
                </Tooltip>
              )}
            </Polygon>
          ))}
          {(props.tracks ?? []).map((tr) => (
            <Polyline
              key={tr.id}
              positions={tr.points.map((p) => show(p.lat, p.lng))}
              pathOptions={{ color: tr.color ?? '#fa8c16', weight: 4 }}
            />
          ))}
          {props.draft && props.draft.length > 0 && (
            <Polygon
              positions={props.draft.map(([lng, lat]) => show(lat, lng))}
              interactive={false}
              pathOptions={{ color: '#52c41a', dashArray: '4 4' }}
            />
          )}
          {(props.pins ?? []).map((p) => (
            <CircleMarker
              key={p.id}
              center={show(p.lat, p.lng)}
              radius={7}
              pathOptions={{ color: p.color ?? '#c8102e', fillOpacity: 0.7 }}
            >
              {p.label && <Tooltip>{p.label}</Tooltip>}
            </CircleMarker>
          ))}
        </>
      )}
    </BaseMap>
  );
}
