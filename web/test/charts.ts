import { waitFor } from '@testing-library/react';

/**
 * ECharts in component tests: happy-dom has no canvas, so echarts/core's init() on an element is
 * replaced (setup.ts) by a stand-in that keeps the option a chart is given. A test reads it with
 * findChartOption() (the admin's <Chart> loads ECharts with import(), so a chart is drawn a moment
 * after its page) to check what the chart is asked to draw, and clicks a data item with
 * clickChart(). Server-side rendering to SVG (init(null, …, { ssr: true })) stays real.
 */
export interface StubChart {
  el: HTMLElement;
  theme: unknown;
  option: Record<string, unknown> | null;
  /** The options of the last setOption call (<Chart> redraws with notMerge). */
  setOptionOpts: unknown;
  /** How many times the chart was drawn, and resized. */
  draws: number;
  resizes: number;
  disposed: boolean;
  handlers: Map<string, ((params: unknown) => void)[]>;
  setOption(option: Record<string, unknown>, opts?: unknown): void;
  clear(): void;
  resize(): void;
  dispose(): void;
  on(event: string, handler: (params: unknown) => void): void;
}

const charts: StubChart[] = [];

export function stubChart(el: HTMLElement, theme?: unknown): StubChart {
  const chart: StubChart = {
    el,
    theme,
    option: null,
    setOptionOpts: undefined,
    draws: 0,
    resizes: 0,
    disposed: false,
    handlers: new Map(),
    setOption(option, opts) {
      this.option = option;
      this.setOptionOpts = opts;
      this.draws += 1;
    },
    clear() {
      this.option = null;
    },
    resize() {
      this.resizes += 1;
    },
    dispose() {
      this.disposed = true;
    },
    on(event, handler) {
      this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    },
  };
  charts.push(chart);
  return chart;
}

/** The live chart drawn in this element (or one inside it); undefined when there is none. */
export function liveChart(el: HTMLElement): StubChart | undefined {
  const live = charts.filter((c) => !c.disposed && (c.el === el || el.contains(c.el)));
  return live[live.length - 1];
}

/** Every chart made in this element (or inside it), disposed ones too, oldest first. */
export function chartsIn(el: HTMLElement): StubChart[] {
  return charts.filter((c) => c.el === el || el.contains(c.el));
}

/** The option last set on the live chart drawn in this element (or one inside it). */
export function chartOption(el: HTMLElement): Record<string, unknown> {
  const chart = liveChart(el);
  if (!chart?.option) throw new Error('no chart drawn in this element');
  return chart.option;
}

/** chartOption, once the chart has been drawn (ECharts loads after the page). */
export function findChartOption(el: HTMLElement): Promise<Record<string, unknown>> {
  return waitFor(() => chartOption(el));
}

/** A click on a data item of the chart in this element, as ECharts reports one. */
export function clickChart(el: HTMLElement, params: Record<string, unknown>): void {
  const chart = liveChart(el);
  if (!chart) throw new Error('no chart in this element');
  for (const handler of chart.handlers.get('click') ?? []) handler(params);
}
