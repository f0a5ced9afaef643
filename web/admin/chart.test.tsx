import { act, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../shared/i18n.js';
import { chartsIn, clickChart, findChartOption, liveChart } from '../test/charts.js';
import { Chart, type ChartItem, type ChartOption } from './chart.js';

const BARS: ChartOption = {
  xAxis: { type: 'category', data: ['一月', '二月'] },
  yAxis: { type: 'value' },
  series: [{ type: 'bar', name: '立案', data: [3, 5] }],
};

/** A page whose chart's data can be swapped, as a page's filter does. */
function Swapper(props: { first: ChartOption; second: ChartOption }) {
  const [option, setOption] = useState(props.first);
  return (
    <>
      <button type="button" onClick={() => setOption(props.second)}>
        swap
      </button>
      <button type="button" onClick={() => setOption((o) => o)}>
        same
      </button>
      <Chart option={option} summary="立案趋势" data-testid="c" />
    </>
  );
}

describe('<Chart>', () => {
  it('loads ECharts, draws the option in the admin theme and is an image named by its summary', async () => {
    render(<Chart option={BARS} summary="立案趋势：一月 3 件，二月 5 件" data-testid="c" />);
    const box = screen.getByTestId('c');
    expect(box).toHaveAttribute('role', 'img');
    expect(screen.getByRole('img', { name: '立案趋势：一月 3 件，二月 5 件' })).toBe(box);
    const option = await findChartOption(box);
    expect(option.series).toEqual(BARS.series);
    const chart = liveChart(box)!;
    expect(chart.theme).toBe('cc');
    // A redraw replaces the chart: a series left out of the next option is gone.
    expect(chart.setOptionOpts).toEqual({ notMerge: true });
    await waitFor(() => expect(box).toHaveAttribute('aria-busy', 'false'));
  });

  it('shows a spinner while its data loads, then draws', async () => {
    const { rerender } = render(<Chart option={null} summary="得分" data-testid="c" />);
    const box = screen.getByTestId('c');
    expect(box).toHaveAttribute('aria-busy', 'true');
    expect(box.querySelector('.ant-spin')).not.toBeNull();
    await waitFor(() => expect(liveChart(box)).toBeDefined());
    expect(liveChart(box)!.option).toBeNull();
    rerender(<Chart option={BARS} summary="得分" data-testid="c" />);
    await findChartOption(box);
    expect(box.querySelector('.ant-spin')).toBeNull();
    expect(box).toHaveAttribute('aria-busy', 'false');
  });

  it('redraws when given another option, not when given the same one again', async () => {
    const other: ChartOption = { ...BARS, series: [{ type: 'line', name: '销号', data: [1] }] };
    render(<Swapper first={BARS} second={other} />);
    const box = screen.getByTestId('c');
    await findChartOption(box);
    const chart = liveChart(box)!;
    expect(chart.draws).toBe(1);
    act(() => screen.getByText('same').click());
    expect(chart.draws).toBe(1);
    act(() => screen.getByText('swap').click());
    await waitFor(() => expect(chart.draws).toBe(2));
    expect(chart.option!.series).toEqual(other.series);
    // The same instance, redrawn: no chart made and thrown away per change.
    expect(chartsIn(box)).toHaveLength(1);
  });

  it('says 暂无数据 when there is nothing to draw, in the reader’s language', async () => {
    const { rerender } = render(<Chart option={BARS} empty summary="立案趋势" data-testid="c" />);
    const box = screen.getByTestId('c');
    expect(box).toHaveTextContent('暂无数据');
    expect(box).toHaveAccessibleName('立案趋势：暂无数据');
    await waitFor(() => expect(liveChart(box)).toBeDefined());
    expect(liveChart(box)!.option).toBeNull();
    rerender(
      <Chart option={BARS} empty emptyText="尚无报送数据" summary="立案趋势" data-testid="c" />,
    );
    expect(box).toHaveTextContent('尚无报送数据');

    localStorage.setItem('cc.lang', 'en');
    render(
      <I18nProvider>
        <Chart option={null} empty summary="Trend" data-testid="en" />
      </I18nProvider>,
    );
    expect(screen.getByTestId('en')).toHaveTextContent('No data');
    expect(screen.getByTestId('en')).toHaveAccessibleName('Trend: No data');
  });

  it('clears what it drew when its data becomes empty', async () => {
    const { rerender } = render(<Chart option={BARS} summary="s" data-testid="c" />);
    const box = screen.getByTestId('c');
    await findChartOption(box);
    rerender(<Chart option={BARS} empty summary="s" data-testid="c" />);
    await waitFor(() => expect(liveChart(box)!.option).toBeNull());
  });

  it('draws without animation when the user asks for less motion', async () => {
    const matchMedia = window.matchMedia.bind(window);
    vi.stubGlobal('matchMedia', (q: string) =>
      q === '(prefers-reduced-motion: reduce)'
        ? ({ matches: true, media: q } as MediaQueryList)
        : matchMedia(q),
    );
    render(<Chart option={BARS} summary="s" data-testid="c" />);
    const option = await findChartOption(screen.getByTestId('c'));
    expect(option.animation).toBe(false);
    expect(option.series).toEqual(BARS.series);
  });

  it('animates otherwise', async () => {
    render(<Chart option={BARS} summary="s" data-testid="c" />);
    const option = await findChartOption(screen.getByTestId('c'));
    expect(option.animation).toBeUndefined();
  });

  it('follows its box’s size and lets go of ECharts when unmounted', async () => {
    const observers: { callback: () => void; observed: Element[]; disconnected: boolean }[] = [];
    vi.stubGlobal(
      'ResizeObserver',
      class {
        private o: (typeof observers)[number];
        constructor(callback: () => void) {
          this.o = { callback, observed: [], disconnected: false };
          observers.push(this.o);
        }
        observe(el: Element) {
          this.o.observed.push(el);
        }
        unobserve() {}
        disconnect() {
          this.o.disconnected = true;
        }
      },
    );
    const { unmount } = render(<Chart option={BARS} summary="s" data-testid="c" />);
    const box = screen.getByTestId('c');
    await findChartOption(box);
    const chart = liveChart(box)!;
    expect(observers).toHaveLength(1);
    expect(observers[0]!.observed).toEqual([chart.el]);
    expect(box.contains(chart.el)).toBe(true);
    observers[0]!.callback();
    expect(chart.resizes).toBe(1);
    unmount();
    expect(chart.disposed).toBe(true);
    expect(observers[0]!.disconnected).toBe(true);
  });

  it('passes a click on a data item to onClick', async () => {
    const clicks: ChartItem[] = [];
    render(<Chart option={BARS} summary="s" onClick={(i) => clicks.push(i)} data-testid="c" />);
    const box = screen.getByTestId('c');
    await findChartOption(box);
    clickChart(box, {
      componentType: 'series',
      seriesIndex: 0,
      seriesName: '立案',
      dataIndex: 1,
      name: '二月',
      value: 5,
      data: 5,
    });
    expect(clicks).toEqual([
      { seriesIndex: 0, seriesName: '立案', dataIndex: 1, name: '二月', value: 5, data: 5 },
    ]);
  });
});
