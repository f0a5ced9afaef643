/**
 * ECharts in component tests: happy-dom has no canvas, so echarts/core's init() on an element is
 * replaced (setup.ts) by a stand-in that keeps the option a page sets. A test reads it with
 * chartOption() to check what the chart is asked to draw. Server-side rendering to SVG
 * (init(null, …, { ssr: true })) stays real.
 */
export interface StubChart {
  el: HTMLElement;
  option: Record<string, unknown> | null;
  disposed: boolean;
  setOption(option: Record<string, unknown>): void;
  resize(): void;
  dispose(): void;
}

const charts: StubChart[] = [];

export function stubChart(el: HTMLElement): StubChart {
  const chart: StubChart = {
    el,
    option: null,
    disposed: false,
    setOption(option) {
      this.option = option;
    },
    resize() {},
    dispose() {
      this.disposed = true;
    },
  };
  charts.push(chart);
  return chart;
}

/** The option last set on the live chart drawn in this element (or one inside it). */
export function chartOption(el: HTMLElement): Record<string, unknown> {
  const live = charts.filter((c) => !c.disposed && (c.el === el || el.contains(c.el)));
  const chart = live[live.length - 1];
  if (!chart?.option) throw new Error('no chart drawn in this element');
  return chart.option;
}
