import { LatLng as LeafletLatLng } from 'leaflet';
import { useEffect } from 'react';
import { CircleMarker, GeoJSON, useMap } from 'react-leaflet';
import type { TJurisdiction } from '../../core/contracts/citizen.js';
import { bboxOf } from '../../core/geo/polygon.js';
import { BaseMap, type MapProjection } from '../shared/base-map.js';

type LatLng = { lat: number; lng: number };

function FollowPoint({ at }: { at: [number, number] | null }) {
  const map = useMap();
  const key = at ? at.join(',') : '';
  useEffect(() => {
    if (at) map.setView(at, Math.max(map.getZoom(), 15));
  }, [key, map]);
  return null;
}

/**
 * Where the problem is: tap the map (or use the phone's position). On the office's tiles, or
 * without them (none configured, or not loading) on the city's own boundaries with their names
 * (base-map.tsx); either way a tap gives a WGS-84 position. The jurisdiction, where reports are
 * accepted, is outlined in red. Loaded only when the report page opens (Leaflet is most of it).
 */
export function PickMap(props: {
  value: LatLng | null;
  onChange: (p: LatLng) => void;
  jurisdiction: TJurisdiction | null;
}) {
  const box = props.jurisdiction ? bboxOf(props.jurisdiction.geometry) : null;
  const center: [number, number] | null = props.value
    ? [props.value.lat, props.value.lng]
    : box
      ? [(box.minLat + box.maxLat) / 2, (box.minLng + box.maxLng) / 2]
      : null;
  return (
    <BaseMap
      className="cz-map"
      testId="pick-map"
      center={center}
      zoom={props.value ? 16 : 11}
      onClick={(lat, lng) => props.onChange({ lat, lng })}
    >
      {(p) => <Layers {...props} p={p} />}
    </BaseMap>
  );
}

function Layers(props: {
  value: LatLng | null;
  jurisdiction: TJurisdiction | null;
  p: MapProjection;
}) {
  const { show } = props.p;
  return (
    <>
      {props.jurisdiction && (
        <GeoJSON
          // Redrawn when the coordinate system changes (tiles that fail leave GCJ-02 for WGS-84).
          key={String(props.p.gcj)}
          data={props.jurisdiction.geometry}
          coordsToLatLng={(c: number[]) => {
            const [lat, lng] = show(c[1]!, c[0]!);
            return new LeafletLatLng(lat, lng);
          }}
          style={{ color: '#c8102e', weight: 2, fillOpacity: 0.04 }}
          interactive={false}
        />
      )}
      <FollowPoint at={props.value ? show(props.value.lat, props.value.lng) : null} />
      {props.value && (
        <CircleMarker
          center={show(props.value.lat, props.value.lng)}
          radius={10}
          interactive={false}
          pathOptions={{ color: '#c8102e', fillOpacity: 0.7 }}
        />
      )}
    </>
  );
}

export default PickMap;
