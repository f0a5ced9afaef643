import 'leaflet/dist/leaflet.css';
import { Typography } from 'antd';
import { CircleMarker, MapContainer, TileLayer, Tooltip } from 'react-leaflet';
import { wgs84ToGcj02 } from '../../core/geo/coords.js';
import { useI18n } from './i18n.js';
import { useMapSettings } from './map-settings.js';
import { mapMotion } from './motion.js';

export { useMapSettings };

/**
 * A point on the map. Positions are stored in WGS-84 and shifted to GCJ-02 for 高德-style tiles; with
 * no tile server configured (an offline government network) the point shows on a plain background.
 */
export function PointMap(props: { lat: number; lng: number; label?: string; height?: number }) {
  const settings = useMapSettings();
  const { t } = useI18n();
  if (!settings) return null;
  const [lat, lng] =
    settings.mapCoords === 'gcj02' ? wgs84ToGcj02(props.lat, props.lng) : [props.lat, props.lng];
  return (
    <div data-testid="point-map">
      <MapContainer
        {...mapMotion()}
        center={[lat, lng]}
        zoom={16}
        style={{ height: props.height ?? 260, background: '#eef2f5' }}
        scrollWheelZoom={false}
      >
        {settings.mapTileUrl && (
          <TileLayer url={settings.mapTileUrl} attribution={settings.mapAttribution} />
        )}
        <CircleMarker
          center={[lat, lng]}
          radius={10}
          pathOptions={{ color: '#c8102e', fillOpacity: 0.6 }}
        >
          {props.label && <Tooltip permanent>{props.label}</Tooltip>}
        </CircleMarker>
      </MapContainer>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {props.lat.toFixed(5)}, {props.lng.toFixed(5)} (WGS-84)
        {!settings.mapTileUrl && ` · ${t({ zh: '未配置地图底图', en: 'no map tiles configured' })}`}
      </Typography.Text>
    </div>
  );
}
