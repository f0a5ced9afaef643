import { divIcon, type LatLngBounds as LeafletBounds, type PathOptions } from 'leaflet';
import { useContext, useEffect, useMemo, useRef, useState } from 'react';
import { Marker, Pane, Polygon, useMap, useMapEvents } from 'react-leaflet';
import type { TBaseArea, TBaseLevel, TMapBase } from '../../core/contracts/maps.js';
import { attributionHtml } from '../../core/geo/tiles.js';
import { BaseMapGrids } from './base-map-grids.js';
import { loadGridsIn, onMapGridsChanged } from './map-settings.js';
import { bboxOf, pointInArea, type BBox, type TAreaGeometry } from '../../core/geo/polygon.js';

/**
 * The base drawn from our own data when there are no tiles: the jurisdiction as land on a plain
 * background, the districts and streets (communities and grids closer in) with their names.
 * Nothing here takes taps: they go through to the map (and to the page's own layers above).
 */

type Level = TBaseLevel | 'jurisdiction';

/** From which zoom each level is drawn, and between which zooms its names show. */
const LEVELS: Record<Level, { draw: number; label: [number, number] }> = {
  jurisdiction: { draw: 0, label: [0, 9] },
  city: { draw: 0, label: [0, 9] },
  district: { draw: 0, label: [10, 12] },
  street: { draw: 12, label: [13, 14] },
  community: { draw: 14, label: [15, 15] },
  grid: { draw: 15, label: [16, 30] },
};

const LAND = '#fbfaf5';
const STYLE: Record<Level, PathOptions> = {
  jurisdiction: { color: '#8e99a4', weight: 2, fillColor: LAND, fillOpacity: 1 },
  city: { color: '#8e99a4', weight: 2, fillColor: LAND, fillOpacity: 1 },
  district: { color: '#7d8995', weight: 1.6, fillColor: LAND, fillOpacity: 1 },
  street: { color: '#9aa5b0', weight: 1.2, dashArray: '6 4', fill: false },
  community: { color: '#b7c0c9', weight: 1, dashArray: '2 4', fill: false },
  grid: { color: '#7fa7d3', weight: 1, fillColor: '#1677ff', fillOpacity: 0.03 },
};

const LABEL_STYLE: Record<Level, string> = {
  jurisdiction: 'font-size:15px;font-weight:600;color:#3f4a55',
  city: 'font-size:15px;font-weight:600;color:#3f4a55',
  district: 'font-size:14px;font-weight:600;color:#4a5560',
  street: 'font-size:12px;color:#5c6670',
  community: 'font-size:11px;color:#6f7a85',
  grid: 'font-size:11px;color:#4f79a6',
};

/** The plain background around the land. */
export const BASE_BACKGROUND = '#e6eaee';

const rings = (g: TAreaGeometry): [number, number][][][] =>
  (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).map((poly) =>
    poly.map((ring) => ring.map(([lng, lat]) => [lat, lng] as [number, number])),
  );

function labelIcon(name: string, level: Level) {
  return divIcon({
    className: 'cc-base-label',
    iconSize: [0, 0],
    html:
      `<span style="position:absolute;transform:translate(-50%,-50%);white-space:nowrap;` +
      `text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff;${LABEL_STYLE[level]}">` +
      `${attributionHtml(name)}</span>`,
  });
}

interface Area {
  key: string;
  level: Level;
  name: string;
  label: [number, number];
  geometry: TAreaGeometry;
  box: BBox;
  positions: [number, number][][][];
  icon: ReturnType<typeof labelIcon>;
}

/**
 * Where an area's name shows in this view: its label point when in view; else, for an area the
 * view lies partly inside (zoomed in on a street), the middle of the part in view when that is
 * inside the area; else nowhere. [lat, lng].
 */
function labelAt(a: Area, view: LeafletBounds | null): [number, number] | null {
  const at: [number, number] = [a.label[1], a.label[0]];
  if (!view) return at;
  const padded = view.pad(-0.05);
  if (padded.contains(at)) return at;
  const s = Math.max(a.box.minLat, padded.getSouth());
  const n = Math.min(a.box.maxLat, padded.getNorth());
  const w = Math.max(a.box.minLng, padded.getWest());
  const e = Math.min(a.box.maxLng, padded.getEast());
  if (s >= n || w >= e) return null;
  const mid: [number, number] = [(s + n) / 2, (w + e) / 2];
  return pointInArea(mid[1], mid[0], a.geometry) ? mid : null;
}

function areaOf(key: string, a: Omit<TBaseArea, 'level'> & { level: Level }): Area {
  return {
    key,
    level: a.level,
    name: a.name,
    label: a.label,
    geometry: a.geometry,
    box: bboxOf(a.geometry),
    positions: rings(a.geometry),
    icon: labelIcon(a.name, a.level),
  };
}

/**
 * The grids in view, for a user who may see them (BaseMapGrids), once the map is close enough to
 * draw them: asked for the view and a margin around it, again when the view leaves that.
 */
function useGridsInView(view: { zoom: number; bounds: LeafletBounds | null }): Area[] {
  const on = useContext(BaseMapGrids);
  const [areas, setAreas] = useState<Area[]>([]);
  const asked = useRef<{ box: LeafletBounds | null; seq: number } | null>(null);
  const [changed, setChanged] = useState(0);
  const wanted = on && view.zoom >= LEVELS.grid.draw && view.bounds !== null;
  // A grid saved on the page: ask again for the view.
  useEffect(
    () =>
      onMapGridsChanged(() => {
        if (asked.current) asked.current = { box: null, seq: asked.current.seq };
        setChanged((n) => n + 1);
      }),
    [],
  );
  useEffect(() => {
    if (!wanted || !view.bounds) return;
    if (asked.current?.box?.contains(view.bounds)) return;
    const box = view.bounds.pad(0.5);
    const seq = (asked.current?.seq ?? 0) + 1;
    asked.current = { box, seq };
    loadGridsIn({ w: box.getWest(), s: box.getSouth(), e: box.getEast(), n: box.getNorth() }).then(
      (r) => {
        if (asked.current?.seq !== seq) return;
        setAreas(r.areas.map((a) => areaOf(`g:${a.name}:${a.label.join(',')}`, a)));
      },
      () => {
        // Asked again when the view moves.
        if (asked.current?.seq === seq) asked.current = null;
      },
    );
  }, [wanted, view.bounds, changed]);
  return wanted ? areas : [];
}

export function BaseLayers({ base }: { base: TMapBase }) {
  const map = useMap();
  const [view, setView] = useState(() => ({ zoom: map.getZoom(), bounds: safeBounds(map) }));
  useMapEvents({
    zoomend: () => setView({ zoom: map.getZoom(), bounds: safeBounds(map) }),
    moveend: () => setView({ zoom: map.getZoom(), bounds: safeBounds(map) }),
  });
  const regions = useMemo<Area[]>(
    () => [
      ...(base.jurisdiction ? [areaOf('j', { ...base.jurisdiction, level: 'jurisdiction' })] : []),
      ...base.areas.map((a, i) => areaOf(`a${i}`, a)),
    ],
    [base],
  );
  const grids = useGridsInView(view);
  const areas = grids.length ? [...regions, ...grids] : regions;
  // The plain background the land lies on, while this base is drawn.
  useEffect(() => {
    const el = map.getContainer();
    const was = el.style.background;
    el.style.background = BASE_BACKGROUND;
    return () => {
      el.style.background = was;
    };
  }, [map]);
  const zoom = view.zoom;
  const drawn = areas.filter((a) => zoom >= LEVELS[a.level].draw);
  // Names only of what is in view (a city has hundreds of communities and thousands of grids).
  const named = drawn
    .filter((a) => zoom >= LEVELS[a.level].label[0] && zoom <= LEVELS[a.level].label[1])
    .map((a) => ({ a, at: labelAt(a, view.bounds) }))
    .filter((x): x is { a: Area; at: [number, number] } => x.at !== null);
  return (
    <>
      <Pane name="ccBase" style={{ zIndex: 250 }}>
        {drawn.map((a) => (
          <Polygon
            key={a.key}
            positions={a.positions}
            pathOptions={STYLE[a.level]}
            interactive={false}
          />
        ))}
      </Pane>
      <Pane name="ccBaseLabels" style={{ zIndex: 390 }}>
        {named.map(({ a, at }) => (
          <Marker
            key={a.key}
            position={at}
            icon={a.icon}
            interactive={false}
            keyboard={false}
            title={a.name}
          />
        ))}
      </Pane>
    </>
  );
}

/** The map's bounds, or null while it has no size (hidden, or in a test's document). */
function safeBounds(map: ReturnType<typeof useMap>): LeafletBounds | null {
  const size = map.getSize();
  return size.x > 0 && size.y > 0 ? map.getBounds() : null;
}
