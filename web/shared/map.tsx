import { Typography } from 'antd';
import { CircleMarker, Tooltip } from 'react-leaflet';
import { BaseMap } from './base-map.js';

/**
 * A point on the map (a problem's place), on the office's tiles or, without them, on our own
 * boundaries (base-map.tsx). The position is WGS-84, as stored.
 */
export function PointMap(props: { lat: number; lng: number; label?: string; height?: number }) {
  return (
    <div data-testid="point-map">
      <BaseMap center={[props.lat, props.lng]} zoom={16} height={props.height ?? 260}>
        {({ show }) => (
          <CircleMarker
            center={show(props.lat, props.lng)}
            radius={10}
            pathOptions={{ color: '#c8102e', fillOpacity: 0.6 }}
          >
            {props.label && <Tooltip permanent>{props.label}</Tooltip>}
          </CircleMarker>
        )}
      </BaseMap>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {props.lat.toFixed(5)}, {props.lng.toFixed(5)} (WGS-84)
      </Typography.Text>
    </div>
  );
}
