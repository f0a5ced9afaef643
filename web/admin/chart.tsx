import { Empty, Spin, Typography } from 'antd';
import type {
  BarSeriesOption,
  CustomSeriesOption,
  GaugeSeriesOption,
  LineSeriesOption,
} from 'echarts/charts';
import type {
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { ComposeOption, EChartsType } from 'echarts/core';
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { useI18n } from '../shared/i18n.js';
import { reducedMotion } from '../shared/motion.js';

// The admin's one chart (issue #21): every page draws through <Chart>, none sets ECharts up. It
// loads ECharts when a chart is first shown (chart-engine.ts, import()), draws the caller's option
// in the admin's theme, redraws it when it changes, follows its box's size, draws without
// animation when the user asks for less motion, shows a spinner until it can draw and "暂无数据"
// when there is nothing to draw, and names itself for screen readers with the caller's summary.

/** What a chart may be asked to draw: the series types and components chart-engine registers. */
export type ChartOption = ComposeOption<
  | BarSeriesOption
  | CustomSeriesOption
  | GaugeSeriesOption
  | LineSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TitleComponentOption
  | TooltipComponentOption
>;

/**
 * Semantic colours, the same on every chart: a value that meets its target `good`, one that
 * falls short `bad`, one at risk `warn`, a projection or a missing value `muted`; `primary` for a
 * plain series. A chart's other series take the theme's palette in turn (chart-engine.ts).
 */
export const CHART_COLORS = {
  primary: '#1677ff',
  good: '#389e0d',
  bad: '#cf1322',
  warn: '#fa8c16',
  muted: '#bfbfbf',
} as const;

/** The data item clicked, as ECharts reports it. */
export interface ChartItem {
  seriesIndex: number;
  seriesName: string | undefined;
  dataIndex: number;
  /** The category (the x axis' label) or the data item's name. */
  name: string;
  value: unknown;
  /** The data item as the option gave it. */
  data: unknown;
}

export interface ChartProps {
  /**
   * What to draw; null while its data is loading. Give the same object while the data is the same
   * (useMemo): a new one redraws the chart from scratch (setOption with notMerge, so a series or
   * axis left out is gone, not kept from the last option).
   */
  option: ChartOption | null;
  /**
   * The chart in words, for screen readers (role="img", aria-label): what it shows and its main
   * figures ("立案与销号趋势，近 12 周：立案 34 件，销号 28 件").
   */
  summary: string;
  /** Nothing to draw: shows "暂无数据" (or emptyText) in the chart's box. */
  empty?: boolean;
  emptyText?: string;
  /** A click on a bar, point or other data item. */
  onClick?: (item: ChartItem) => void;
  /** The box's height in pixels (its width is its container's). */
  height?: number;
  style?: CSSProperties;
  'data-testid'?: string;
}

type Engine = typeof import('./chart-engine.js');
let engine: Promise<Engine> | null = null;

/** ECharts and the admin's registration of it, loaded once (again after a failed load). */
export function loadChartEngine(): Promise<Engine> {
  engine ??= import('./chart-engine.js').catch((err: unknown) => {
    engine = null;
    throw err;
  });
  return engine;
}

/** A chart of the admin (see the top of this file). */
export function Chart(props: ChartProps) {
  const { option, empty = false } = props;
  const { t } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<EChartsType | null>(null);
  const [failed, setFailed] = useState(false);
  const onClick = useRef(props.onClick);
  useEffect(() => {
    onClick.current = props.onClick;
  });

  // One ECharts instance for the component's life, drawn into `host` once ECharts has loaded.
  useEffect(() => {
    let live = true;
    let instance: EChartsType | null = null;
    let observer: ResizeObserver | null = null;
    loadChartEngine().then(
      (e) => {
        const el = host.current;
        if (!live || !el) return;
        instance = e.initChart(el);
        const drawn = instance;
        drawn.on('click', (ev) => {
          onClick.current?.({
            seriesIndex: ev.seriesIndex ?? 0,
            seriesName: ev.seriesName,
            dataIndex: ev.dataIndex,
            name: ev.name,
            value: ev.value,
            data: ev.data,
          });
        });
        // The box's own size, not the window's: columns settle after the first paint, drawers
        // open with an animation, and a table row expands.
        observer = new ResizeObserver(() => drawn.resize());
        observer.observe(el);
        setChart(drawn);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      observer?.disconnect();
      instance?.dispose();
      setChart(null);
    };
  }, []);

  const blank = empty || !option;
  useEffect(() => {
    if (!chart) return;
    if (blank) chart.clear();
    else
      chart.setOption(reducedMotion() ? { ...option, animation: false } : option, {
        notMerge: true,
      });
  }, [chart, option, blank]);

  const emptyText = props.emptyText ?? t({ zh: '暂无数据', en: 'No data' });
  const failedText = t({
    zh: '图表加载失败，请刷新页面',
    en: 'The chart failed to load: reload the page',
  });
  const overlay = empty ? (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} style={{ margin: 0 }} />
  ) : failed ? (
    <Typography.Text type="secondary">{failedText}</Typography.Text>
  ) : !option || !chart ? (
    <Spin />
  ) : null;
  const state = empty ? emptyText : failed ? failedText : null;
  const label =
    state === null
      ? props.summary
      : t({ zh: `${props.summary}：${state}`, en: `${props.summary}: ${state}` });

  return (
    <div
      role="img"
      aria-label={label}
      aria-busy={overlay !== null && !empty && !failed}
      data-testid={props['data-testid']}
      style={{ position: 'relative', height: props.height ?? 300, ...props.style }}
    >
      <div
        ref={host}
        style={{ position: 'absolute', inset: 0, visibility: blank ? 'hidden' : undefined }}
      />
      {overlay && (
        <div
          style={{
            position: 'absolute',
            inset: 0,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
          }}
        >
          {overlay}
        </div>
      )}
    </div>
  );
}
