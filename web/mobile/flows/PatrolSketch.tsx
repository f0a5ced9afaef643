import type { TAreaGeometry } from '../../../core/geo/polygon.js';
import { useI18n } from '../../shared/i18n.js';

/**
 * The grid's boundary and the track walked, drawn from our own data as a small SVG: no tiles, so
 * it shows offline and costs nothing to load (the tiled map stays on the desktop).
 */
export function PatrolSketch(props: {
  geometry: TAreaGeometry | null;
  path: { lat: number; lng: number }[];
}) {
  const { t } = useI18n();
  const rings =
    props.geometry === null
      ? []
      : props.geometry.type === 'Polygon'
        ? [props.geometry.coordinates[0] ?? []]
        : props.geometry.coordinates.map((p) => p[0] ?? []);
  const pts = [...rings.flat(), ...props.path.map((p) => [p.lng, p.lat] as const)];
  if (pts.length === 0) return null;
  const lngs = pts.map((p) => p[0]);
  const lats = pts.map((p) => p[1]);
  const minLng = Math.min(...lngs);
  const maxLng = Math.max(...lngs);
  const minLat = Math.min(...lats);
  const maxLat = Math.max(...lats);
  // Metres are what the eye expects: a degree of longitude is shorter than one of latitude.
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const w = Math.max((maxLng - minLng) * kx, 1e-6);
  const h = Math.max(maxLat - minLat, 1e-6);
  const size = 300;
  const pad = 12;
  const scale = (size - 2 * pad) / Math.max(w, h);
  const x = (lng: number) => pad + (lng - minLng) * kx * scale;
  const y = (lat: number) => pad + (maxLat - lat) * scale;
  const height = h * scale + 2 * pad;
  const here = props.path[props.path.length - 1];
  return (
    <svg
      className="m-sketch"
      viewBox={`0 0 ${w * scale + 2 * pad} ${height}`}
      role="img"
      aria-label={t({ zh: '网格与巡查轨迹', en: 'The grid and the track walked' })}
      data-testid="m-patrol-sketch"
    >
      {rings.map((r, i) => (
        <polygon
          key={i}
          points={r.map(([lng, lat]) => `${x(lng)},${y(lat)}`).join(' ')}
          fill="rgba(200,16,46,0.08)"
          stroke="#c8102e"
          strokeWidth={2}
          strokeDasharray="6 4"
        />
      ))}
      {props.path.length > 1 && (
        <polyline
          points={props.path.map((p) => `${x(p.lng)},${y(p.lat)}`).join(' ')}
          fill="none"
          stroke="#1677ff"
          strokeWidth={3}
          strokeLinejoin="round"
        />
      )}
      {here && (
        <circle
          cx={x(here.lng)}
          cy={y(here.lat)}
          r={7}
          fill="#1677ff"
          stroke="#fff"
          strokeWidth={3}
        />
      )}
    </svg>
  );
}
