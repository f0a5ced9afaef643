import { Checkbox, Space, Typography } from 'antd';
import { svg } from 'leaflet';
import { useMemo, useState } from 'react';
import { CircleMarker, Popup, Tooltip } from 'react-leaflet';
import type { TDashboardHeat, TDashboardPoints } from '../../core/contracts/dashboards.js';
import {
  CELL_TYPE_LABELS,
  HONOUR_LEVEL_LABELS,
  HONOUR_STATUS_LABELS,
  HONOUR_STATUSES,
  type THonoursMap,
} from '../../core/contracts/honours.js';
import {
  CARRIER_KIND_LABELS,
  CARRIER_STATE_LABELS,
  CARRIER_STATES,
  CARRIER_THEME_LABELS,
  type TCarriersMap,
} from '../../core/contracts/ad-carriers.js';
import { BaseMap, type LatLngBounds } from './base-map.js';
import { HONOUR_STATUS_COLOURS } from './honour-status.js';
import { L, useI18n } from './i18n.js';

/** 公益广告阵地 by state (完好 green, 破损 red, 过期 orange, 缺失 purple). */
export const CARRIER_STATE_COLOURS = {
  intact: '#52c41a',
  damaged: '#cf1322',
  outdated: '#fa8c16',
  missing: '#722ed1',
} as const;

const RESULT_COLOURS = { pass: '#52c41a', fail: '#fa8c16', serious: '#cf1322', none: '#8c8c8c' };

/**
 * Problem heat (open problems counted per grid cell by the server — never the problems
 * themselves) and point states (the latest visit's result) on one Leaflet map; with `honours`,
 * a layer of the 文明细胞 holders that have a place, coloured by their title's status.
 */
export function HeatMap(props: {
  /** Open problems per cell (null while loading); the layer is not offered without. */
  heat?: TDashboardHeat | null;
  /** The points' latest results (null while loading); the layer is not offered without. */
  points?: TDashboardPoints | null;
  /** 文明细胞 holders with a position (a caller who may read the registry); the layer is off without. */
  honours?: THonoursMap | null;
  /** 公益广告阵地 (a caller who may read the registry); the layer is off without. */
  carriers?: TCarriersMap | null;
  /** The carriers layer shown from the start (the carriers page's map; the dashboard's starts off). */
  carriersOn?: boolean;
  height?: number;
}) {
  const { t } = useI18n();
  const [showHeat, setShowHeat] = useState(true);
  const [showPoints, setShowPoints] = useState(true);
  const [showHonours, setShowHonours] = useState(true);
  const [showCarriers, setShowCarriers] = useState(props.carriersOn ?? false);
  const svgRenderer = useMemo(() => svg(), []);
  const cells = props.heat?.cells ?? [];
  const pts = props.points?.items ?? [];
  const holders = props.honours?.items ?? [];
  const boards = showCarriers ? (props.carriers?.items ?? []) : [];
  const all = [
    ...cells,
    ...pts.slice(0, 2000),
    ...holders.slice(0, 2000),
    ...boards.slice(0, 2000),
  ];
  const bounds: LatLngBounds | null = all.length
    ? [
        [Math.min(...all.map((p) => p.lat)), Math.min(...all.map((p) => p.lng))],
        [Math.max(...all.map((p) => p.lat)), Math.max(...all.map((p) => p.lng))],
      ]
    : null;
  const max = Math.max(1, ...cells.map((c) => c.count));
  return (
    <div data-testid="dashboard-map">
      <Space style={{ marginBottom: 6 }} wrap>
        {props.heat !== undefined && (
          <Checkbox checked={showHeat} onChange={(e) => setShowHeat(e.target.checked)}>
            {t({ zh: '问题热力（未办结）', en: 'Problem heat (open)' })}
          </Checkbox>
        )}
        {props.points !== undefined && (
          <Checkbox checked={showPoints} onChange={(e) => setShowPoints(e.target.checked)}>
            {t({ zh: '点位状态', en: 'Point states' })}
          </Checkbox>
        )}
        {props.honours !== undefined && (
          <span data-testid="map-layer-honours">
            <Checkbox checked={showHonours} onChange={(e) => setShowHonours(e.target.checked)}>
              {t(L.cells.cells)}
            </Checkbox>
          </span>
        )}
        {props.carriers !== undefined && (
          <span data-testid="map-layer-carriers">
            <Checkbox checked={showCarriers} onChange={(e) => setShowCarriers(e.target.checked)}>
              {t(L.carriers.carriers)}
            </Checkbox>
          </span>
        )}
        {props.points !== undefined && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {(['pass', 'fail', 'serious', 'none'] as const).map((k) => (
              <span key={k} style={{ marginRight: 8 }}>
                <span style={{ color: RESULT_COLOURS[k] }}>●</span>{' '}
                {t(
                  {
                    pass: L.points.pass,
                    fail: L.points.fail,
                    serious: L.points.serious,
                    none: L.points.notVisited,
                  }[k],
                )}
              </span>
            ))}
          </Typography.Text>
        )}
      </Space>
      <BaseMap
        fit={bounds}
        fitMaxZoom={16}
        height={props.height ?? 360}
        scrollWheelZoom
        preferCanvas
      >
        {({ show }) => (
          <>
            {showHeat &&
              cells.map((c) => {
                const share = c.count / max;
                return (
                  <CircleMarker
                    key={`h${c.lat},${c.lng}`}
                    center={show(c.lat, c.lng)}
                    radius={5 + Math.sqrt(share) * 18}
                    pathOptions={{
                      stroke: false,
                      fillColor: c.overdue > c.count / 2 ? '#cf1322' : '#fa541c',
                      fillOpacity: 0.15 + share * 0.5,
                    }}
                  >
                    <Tooltip>
                      {t({
                        zh: `未办结 ${c.count}，超期 ${c.overdue}`,
                        en: `${c.count} open, ${c.overdue} overdue`,
                      })}
                    </Tooltip>
                  </CircleMarker>
                );
              })}
            {showPoints &&
              pts.map((p) => (
                <CircleMarker
                  key={`p${p.id}`}
                  center={show(p.lat, p.lng)}
                  radius={4}
                  pathOptions={{
                    color: RESULT_COLOURS[p.result ?? 'none'],
                    weight: 1,
                    fillOpacity: 0.9,
                  }}
                >
                  <Tooltip>
                    {p.name}
                    {p.unitName ? ` · ${p.unitName}` : ''}
                  </Tooltip>
                </CircleMarker>
              ))}
            {showHonours &&
              holders.map((h) => (
                <CircleMarker
                  key={`c${h.id}`}
                  center={show(h.lat, h.lng)}
                  // A few holders, each with a popup: drawn as SVG above the canvas of the points.
                  renderer={svgRenderer}
                  radius={7}
                  pathOptions={{
                    color: '#ffffff',
                    weight: 2,
                    fillColor: HONOUR_STATUS_COLOURS[h.status],
                    fillOpacity: 0.95,
                  }}
                >
                  <Tooltip>{h.holderName}</Tooltip>
                  <Popup>
                    <div data-testid={`honour-popup-${h.id}`}>
                      <strong>{h.holderName}</strong>
                      <br />
                      {h.title} · {t(CELL_TYPE_LABELS[h.cellType])}
                      <br />
                      {t(HONOUR_LEVEL_LABELS[h.level])} · {t(HONOUR_STATUS_LABELS[h.status])}
                    </div>
                  </Popup>
                </CircleMarker>
              ))}
            {boards.map((c) => (
              <CircleMarker
                key={`g${c.id}`}
                center={show(c.lat, c.lng)}
                renderer={svgRenderer}
                radius={5}
                pathOptions={{
                  color: '#ffffff',
                  weight: 1,
                  fillColor: CARRIER_STATE_COLOURS[c.state],
                  fillOpacity: 0.95,
                }}
              >
                <Tooltip>
                  {c.code} · {t(CARRIER_KIND_LABELS[c.kind])}
                </Tooltip>
                <Popup>
                  <div data-testid={`carrier-popup-${c.id}`}>
                    <strong>{c.code}</strong> · {t(CARRIER_KIND_LABELS[c.kind])}
                    <br />
                    {t(CARRIER_THEME_LABELS[c.theme])} · {t(CARRIER_STATE_LABELS[c.state])}
                  </div>
                </Popup>
              </CircleMarker>
            ))}
          </>
        )}
      </BaseMap>
      {props.carriers !== undefined && showCarriers && (
        <Typography.Text type="secondary" style={{ fontSize: 12, marginRight: 8 }}>
          {CARRIER_STATES.map((s) => (
            <span key={s} style={{ marginRight: 8 }}>
              <span style={{ color: CARRIER_STATE_COLOURS[s] }}>■</span>{' '}
              {t(CARRIER_STATE_LABELS[s])}
            </span>
          ))}
        </Typography.Text>
      )}
      {props.honours !== undefined && showHonours && (
        <Typography.Text type="secondary" style={{ fontSize: 12, marginRight: 8 }}>
          {HONOUR_STATUSES.map((s) => (
            <span key={s} style={{ marginRight: 8 }}>
              <span style={{ color: HONOUR_STATUS_COLOURS[s] }}>◆</span>{' '}
              {t(HONOUR_STATUS_LABELS[s])}
            </span>
          ))}
        </Typography.Text>
      )}
      {props.heat !== undefined && props.points !== undefined && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t({
            zh: `未办结问题 ${props.heat?.total ?? 0} 个（按 ${props.heat?.cell ?? 0}° 网格汇总），点位 ${pts.length} 个`,
            en: `${props.heat?.total ?? 0} open problems (in ${props.heat?.cell ?? 0}° cells), ${pts.length} points`,
          })}
        </Typography.Text>
      )}
      {props.heat === undefined && props.points === undefined && props.carriers && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t({
            zh: `公益广告阵地 ${props.carriers.items.length} 处${props.carriers.truncated ? '（仅显示部分）' : ''}`,
            en: `${props.carriers.items.length} carriers${props.carriers.truncated ? ' (some not shown)' : ''}`,
          })}
        </Typography.Text>
      )}
    </div>
  );
}
