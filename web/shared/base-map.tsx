import 'leaflet/dist/leaflet.css';
import { useEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { MapContainer, TileLayer, useMap, useMapEvents } from 'react-leaflet';
import type { TMapBase } from '../../core/contracts/maps.js';
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../core/geo/coords.js';
import { attributionHtml, type TMapTiles } from '../../core/geo/tiles.js';
import { BaseLayers } from './base-layers.js';
import { useI18n } from './i18n.js';
import { useMapBase, useMapTiles } from './map-settings.js';
import { mapMotion } from './motion.js';

/**
 * The one base every map stands on: the office's tiles (天地图, 高德, OpenStreetMap, its own
 * server), or — with none configured, or when they fail to load (offline, an intranet without
 * the internet) — our own boundaries and grids with their names on a plain background. Positions
 * are WGS-84 in and out: a page draws with `show` and gets taps back in WGS-84 whatever the tiles'
 * coordinate system (高德's GCJ-02 is shifted both ways).
 */

/** WGS-84 `[[south, west], [north, east]]`. */
export type LatLngBounds = [[number, number], [number, number]];

/** How a page places things on this map. */
export interface MapProjection {
  /** A WGS-84 position as the map draws it. */
  show: (lat: number, lng: number) => [number, number];
  /** True when the map draws GCJ-02 (高德-style tiles). */
  gcj: boolean;
}

const WGS: MapProjection = { show: (lat, lng) => [lat, lng], gcj: false };
const GCJ: MapProjection = { show: (lat, lng) => wgs84ToGcj02(lat, lng), gcj: true };

/** Tile errors (with no more loads than errors) after which the tiles count as unavailable. */
export const TILE_FAILURES = 3;

/** Providers whose tiles failed on this page: later maps start on the fallback at once. */
const failedTiles = new Set<string>();

/** Forgets failed tiles (the settings page's preview after a change, and tests). */
export function forgetTileFailures(): void {
  failedTiles.clear();
}

const DEFAULT_CENTER: [number, number] = [30.27, 120.15];

export interface BaseMapProps {
  height?: number | string;
  /** Sizes the map by CSS instead of `height` (the citizen pages' `.cz-map`). */
  className?: string;
  style?: CSSProperties;
  testId?: string;
  /** WGS-84 bounds to show, again whenever they change. */
  fit?: LatLngBounds | null;
  fitMaxZoom?: number;
  /** Without `fit`: this WGS-84 centre and zoom; without either, the base's extent. */
  center?: [number, number] | null;
  zoom?: number;
  scrollWheelZoom?: boolean;
  preferCanvas?: boolean;
  /** A tap on the map, in WGS-84. */
  onClick?: (lat: number, lng: number) => void;
  /** Tiles to draw instead of the office's (the settings page's preview). */
  tiles?: TMapTiles;
  children?: ReactNode | ((p: MapProjection) => ReactNode);
}

export function BaseMap(props: BaseMapProps) {
  const { t } = useI18n();
  const office = useMapTiles();
  const tiles = props.tiles ?? office;
  const key = tiles?.layers.map((l) => `${l.url}|${l.subdomains}`).join(' ') ?? '';
  const [failed, setFailed] = useState<string | null>(null);
  const tilesOk =
    tiles !== null && tiles.layers.length > 0 && failed !== key && !failedTiles.has(key);
  const fallback = tiles !== null && !tilesOk;
  const needBase = fallback || (!props.fit && !props.center);
  const base = useMapBase(needBase);
  const p = tilesOk && tiles.coords === 'gcj02' ? GCJ : WGS;
  const counts = useRef({ errors: 0, loads: 0 });
  useEffect(() => {
    counts.current = { errors: 0, loads: 0 };
  }, [key]);

  const wrapperStyle: CSSProperties = { position: 'relative', ...props.style };
  if (!tiles) {
    return (
      <div
        data-testid={props.testId}
        className={props.className}
        style={{ height: props.className ? undefined : (props.height ?? 360), ...wrapperStyle }}
      />
    );
  }
  const onTileError = () => {
    const c = counts.current;
    c.errors++;
    if (c.errors >= TILE_FAILURES && c.errors > c.loads) {
      failedTiles.add(key);
      setFailed(key);
    }
  };
  const initial = initialView(props, p, base);
  return (
    <div
      data-testid={props.testId}
      data-base={fallback ? 'boundaries' : 'tiles'}
      style={wrapperStyle}
    >
      <MapContainer
        {...mapMotion()}
        {...initial}
        className={props.className}
        style={props.className ? undefined : { height: props.height ?? 360 }}
        scrollWheelZoom={props.scrollWheelZoom ?? false}
        preferCanvas={props.preferCanvas}
        minZoom={3}
        maxZoom={19}
      >
        {tilesOk &&
          tiles.layers.map((l, i) => (
            <TileLayer
              key={`${key}#${i}`}
              url={l.url}
              subdomains={l.subdomains || 'abc'}
              attribution={attributionHtml(l.attribution)}
              maxNativeZoom={l.maxZoom}
              maxZoom={19}
              eventHandlers={{
                tileerror: onTileError,
                tileload: () => {
                  counts.current.loads++;
                },
              }}
            />
          ))}
        {fallback && base && <BaseLayers base={base} />}
        <View
          fit={props.fit ?? null}
          fitMaxZoom={props.fitMaxZoom}
          p={p}
          base={!props.fit && !props.center ? base : null}
          openedOnBase={'bounds' in initial && !props.fit}
        />
        {props.onClick && <Taps onClick={props.onClick} gcj={p.gcj} />}
        {typeof props.children === 'function' ? props.children(p) : props.children}
      </MapContainer>
      {fallback && (
        <div className="cc-map-note" data-testid="map-fallback-note" style={NOTE_STYLE}>
          {tiles.layers.length > 0
            ? t({ zh: '底图不可用，显示辖区边界', en: 'Base map unavailable: showing boundaries' })
            : t({
                zh: '未配置地图底图，显示辖区边界',
                en: 'No base map configured: showing boundaries',
              })}
        </div>
      )}
    </div>
  );
}

const NOTE_STYLE: CSSProperties = {
  position: 'absolute',
  left: 6,
  bottom: 6,
  zIndex: 1000,
  padding: '1px 6px',
  borderRadius: 3,
  background: 'rgba(255,255,255,0.85)',
  color: '#5c6670',
  fontSize: 11,
  lineHeight: '18px',
  // Taps go through to the map.
  pointerEvents: 'none',
};

/** Where the map opens: the bounds to fit, else the centre, else the base's extent. */
function initialView(
  props: BaseMapProps,
  p: MapProjection,
  base: TMapBase | null,
):
  | { bounds: LatLngBounds; boundsOptions: { padding: [number, number]; maxZoom?: number } }
  | { center: [number, number]; zoom: number } {
  if (props.fit) {
    const [[s, w], [n, e]] = props.fit;
    // One point: a box of no size would zoom in without end.
    if (n - s < 1e-4 && e - w < 1e-4) return { center: p.show(s, w), zoom: props.fitMaxZoom ?? 16 };
    return {
      bounds: project(props.fit, p),
      boundsOptions: { padding: [16, 16], maxZoom: props.fitMaxZoom },
    };
  }
  if (props.center) return { center: p.show(...props.center), zoom: props.zoom ?? 15 };
  if (base?.box) {
    const [w, s, e, n] = base.box;
    return {
      bounds: project(
        [
          [s, w],
          [n, e],
        ],
        p,
      ),
      boundsOptions: { padding: [8, 8] },
    };
  }
  return { center: DEFAULT_CENTER, zoom: props.zoom ?? 11 };
}

function project(b: LatLngBounds, p: MapProjection): LatLngBounds {
  return [p.show(...b[0]), p.show(...b[1])];
}

/**
 * Keeps the view on what the page shows: its bounds when they (or the coordinate system) change;
 * without bounds or a centre, the base's extent once it has loaded.
 */
function View(props: {
  fit: LatLngBounds | null;
  fitMaxZoom?: number;
  p: MapProjection;
  /** The base, when the map has nothing of its own to open on. */
  base: TMapBase | null;
  openedOnBase: boolean;
}) {
  const map = useMap();
  const key = JSON.stringify([props.fit, props.p.gcj]);
  const first = useRef(true);
  useEffect(() => {
    // The first fit is the MapContainer's own (initialView).
    if (first.current) {
      first.current = false;
      return;
    }
    if (!props.fit) return;
    const [[s, w], [n, e]] = props.fit;
    // One point: a box of no size would zoom in without end.
    if (n - s < 1e-4 && e - w < 1e-4) map.setView(props.p.show(s, w), props.fitMaxZoom ?? 16);
    else
      map.fitBounds(project(props.fit, props.p), { padding: [16, 16], maxZoom: props.fitMaxZoom });
  }, [key, map]);
  // Tiles that failed leave GCJ-02 for our WGS-84 base: the view stays on the same place.
  const wasGcj = useRef(props.p.gcj);
  useEffect(() => {
    if (wasGcj.current === props.p.gcj) return;
    const c = map.getCenter();
    const [lat, lng] = wasGcj.current ? gcj02ToWgs84(c.lat, c.lng) : wgs84ToGcj02(c.lat, c.lng);
    wasGcj.current = props.p.gcj;
    if (!props.fit) map.setView([lat, lng], map.getZoom(), { animate: false });
  }, [props.p.gcj, map]);
  const box = JSON.stringify(props.base?.box ?? null);
  const boxFitted = useRef(props.openedOnBase);
  useEffect(() => {
    // A map with nothing of its own to show opens on the base when it arrives.
    if (boxFitted.current || !props.base?.box) return;
    boxFitted.current = true;
    const [w, s, e, n] = props.base.box;
    map.fitBounds(
      project(
        [
          [s, w],
          [n, e],
        ],
        props.p,
      ),
      { padding: [8, 8] },
    );
  }, [box, map]);
  return null;
}

function Taps(props: { onClick: (lat: number, lng: number) => void; gcj: boolean }) {
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
