import 'leaflet/dist/leaflet.css';
import { Typography } from 'antd';
import { useEffect } from 'react';
import {
  CircleMarker,
  MapContainer,
  Polygon,
  Polyline,
  TileLayer,
  Tooltip,
  useMap,
  useMapEvents,
} from 'react-leaflet';
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../core/geo/coords.js';
import type { TAreaGeometry } from '../../core/geo/polygon.js';
import { useI18n } from './i18n.js';
import { useMapSettings } from './map-settings.js';
import { mapMotion } from './motion.js';

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

type Show = (lat: number, lng: number) => [number, number];

function FitTo({ bounds }: { bounds: [[number, number], [number, number]] | null }) {
  const map = useMap();
  const key = JSON.stringify(bounds);
  useEffect(() => {
    if (bounds) map.fitBounds(bounds, { padding: [16, 16] });
  }, [key, map]);
  return null;
}

function Clicks(props: { onClick: (lat: number, lng: number) => void; gcj: boolean }) {
  useMapEvents({
    click(e) {
      const [lat, lng] = props.gcj
        ? gcj02ToWgs84(e.latlng.lat, e.latlng.lng)
        : [e.latlng.lat, e.latlng.lng];
      props.onClick(lat, lng);
    },
  });
  return null;
}

/**
 * Grids, problems and patrol tracks on one Leaflet map (positions stored WGS-84, shown GCJ-02 for
 * 高德-style tiles; without tiles on a plain background). Fits itself to what it shows.
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
  const settings = useMapSettings();
  const { t } = useI18n();
  if (!settings) return <div style={{ height: props.height ?? 400 }} />;
  const gcj = settings.mapCoords === 'gcj02';
  const show: Show = (lat, lng) => (gcj ? wgs84ToGcj02(lat, lng) : [lat, lng]);
  const all: [number, number][] = [];
  const rings = (g: TAreaGeometry) =>
    (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).map((poly) =>
      poly.map((ring) => ring.map(([lng, lat]) => show(lat, lng))),
    );
  for (const a of props.areas ?? []) for (const p of rings(a.geometry)) all.push(...p.flat());
  for (const p of props.pins ?? []) all.push(show(p.lat, p.lng));
  for (const tr of props.tracks ?? []) for (const p of tr.points) all.push(show(p.lat, p.lng));
  for (const [lng, lat] of props.draft ?? []) all.push(show(lat, lng));
  const bounds: [[number, number], [number, number]] | null = all.length
    ? [
        [Math.min(...all.map((p) => p[0])), Math.min(...all.map((p) => p[1]))],
        [Math.max(...all.map((p) => p[0])), Math.max(...all.map((p) => p[1]))],
      ]
    : null;
  return (
    <div data-testid={props.testId ?? 'grid-map'}>
      <MapContainer
        {...mapMotion()}
        center={bounds ? bounds[0] : [30.27, 120.15]}
        zoom={14}
        style={{ height: props.height ?? 400, background: '#eef2f5' }}
        scrollWheelZoom
      >
        {settings.mapTileUrl && (
          <TileLayer url={settings.mapTileUrl} attribution={settings.mapAttribution} />
        )}
        <FitTo bounds={bounds} />
        {props.onMapClick && <Clicks onClick={props.onMapClick} gcj={gcj} />}
        {(props.areas ?? []).map((a) => (
          <Polygon
            key={a.id}
            positions={rings(a.geometry)}
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
      </MapContainer>
      {!settings.mapTileUrl && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t({ zh: '未配置地图底图（WGS-84）', en: 'no map tiles configured (WGS-84)' })}
        </Typography.Text>
      )}
    </div>
  );
}
