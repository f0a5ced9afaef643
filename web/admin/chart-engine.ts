// The only module that imports ECharts at run time (scripts/chart-imports.test.ts fails on any
// other). The screen's <Chart> (chart.tsx) loads it with import() the first time a chart is drawn,
// so ECharts never reaches the admin's first load nor the static imports of a page: a page's
// table and figures show while the charts' chunk (the `echarts` group of vite.config.ts) arrives.
// The printed 通报 renders with chartSvg below and imports this module directly.
import { BarChart, CustomChart, GaugeChart, LineChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import type { ChartOption } from './chart.js';

// Only what the admin's charts draw is bundled (tree-shaken registration): a chart type or
// component that is not registered here draws nothing, with a console warning.
echarts.use([
  BarChart,
  CustomChart,
  GaugeChart,
  LineChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
  SVGRenderer,
]);

/** The series colours in turn, where a chart does not colour its series (see CHART_COLORS). */
export const PALETTE = [
  '#1677ff',
  '#fa8c16',
  '#13c2c2',
  '#722ed1',
  '#faad14',
  '#eb2f96',
  '#2f54eb',
  '#8c8c8c',
];

const THEME = 'cc';
echarts.registerTheme(THEME, {
  color: PALETTE,
  // The admin's own type (antd's font stack), not ECharts' serif-less default.
  textStyle: {
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'PingFang SC', 'Microsoft YaHei', sans-serif",
  },
});

/** A chart drawn on a canvas in this element, in the admin's theme. */
export function initChart(el: HTMLElement): echarts.ECharts {
  return echarts.init(el, THEME);
}

/**
 * An option rendered to an SVG string (ECharts' server-side-rendering mode, no canvas) for the
 * printed 通报: it prints as sharp vectors and needs no animation frame, so print-to-PDF never
 * catches a blank chart. Not the screen's theme: the printed document sets its own colours (the
 * 红头 red and greys) and a plain font.
 */
export function chartSvg(option: ChartOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, textStyle: { fontFamily: 'sans-serif' }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
