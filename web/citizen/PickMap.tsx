import 'leaflet/dist/leaflet.css';
import { LatLng as LeafletLatLng } from 'leaflet';
import {
  CircleMarker,
  GeoJSON,
  MapContainer,
  TileLayer,
  useMap,
  useMapEvents,
} from 'react-leaflet';
import { useEffect } from 'react';
import type { TJurisdiction } from '../../core/contracts/citizen.js';
import { bboxOf } from '../../core/geo/polygon.js';
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../core/geo/coords.js';
import { useMapSettings } from '../shared/map-settings.js';
import { mapMotion } from '../shared/motion.js';

type LatLng = { lat: number; lng: number };

function TapToPick(props: { onPick: (p: LatLng) => void; gcj: boolean }) {
  useMapEvents({
    click(e) {
      const [lat, lng] = props.gcj
        ? gcj02ToWgs84(e.latlng.lat, e.latlng.lng)
        : [e.latlng.lat, e.latlng.lng];
      props.onPick({ lat, lng });
    },
  });
  return null;
}

function FollowPoint({ at }: { at: [number, number] | null }) {
  const map = useMap();
  useEffect(() => {
    if (at) map.setView(at, Math.max(map.getZoom(), 15));
  }, [at, map]);
  return null;
}

/**
 * Where the problem is: tap the map (or use the phone's position). Positions are WGS-84; with
 * 高德-style tiles the map shows GCJ-02 and taps are shifted back. Without tiles the jurisdiction's
 * outline is drawn on a plain background so a tap is still meaningful.
 */
export function PickMap(props: {
  value: LatLng | null;
  onChange: (p: LatLng) => void;
  jurisdiction: TJurisdiction | null;
}) {
  const settings = useMapSettings();
  if (!settings) return <div className="cz-map cz-map-loading" />;
  const gcj = settings.mapCoords === 'gcj02';
  const show = (lat: number, lng: number): [number, number] =>
    gcj ? wgs84ToGcj02(lat, lng) : [lat, lng];
  const box = props.jurisdiction ? bboxOf(props.jurisdiction.geometry) : null;
  const center: [number, number] = props.value
    ? show(props.value.lat, props.value.lng)
    : box
      ? show((box.minLat + box.maxLat) / 2, (box.minLng + box.maxLng) / 2)
      : [30.27, 120.15];
  return (
    <MapContainer
      {...mapMotion()}
      className="cz-map"
      center={center}
      zoom={props.value ? 16 : 11}
      scrollWheelZoom={false}
      data-testid="pick-map"
    >
      {settings.mapTileUrl && (
        <TileLayer url={settings.mapTileUrl} attribution={settings.mapAttribution} />
      )}
      {props.jurisdiction && (
        <GeoJSON
          data={props.jurisdiction.geometry}
          coordsToLatLng={(c: number[]) => {
            const [lat, lng] = show(c[1]!, c[0]!);
            return new LeafletLatLng(lat, lng);
          }}
          style={{ color: '#c8102e', weight: 2, fillOpacity: 0.04 }}
          interactive={false}
        />
      )}
      <TapToPick onPick={props.onChange} gcj={gcj} />
      <FollowPoint at={props.value ? show(props.value.lat, props.value.lng) : null} />
      {props.value && (
        <CircleMarker
          center={show(props.value.lat, props.value.lng)}
          radius={10}
          pathOptions={{ color: '#c8102e', fillOpacity: 0.7 }}
        />
      )}
    </MapContainer>
  );
}
