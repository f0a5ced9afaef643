import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TIndicator, TIndicatorValue } from '../../../core/contracts/indicators.js';
import { fill, pickOption } from '../../test/antd.js';
import { findChartOption } from '../../test/charts.js';
import type { MockRequest, Routes } from '../../test/mock-api.js';
import { asUser, byId, renderPage } from '../../test/render.js';
import { IndicatorsPage } from './IndicatorsPage.js';

function indicator(over: Partial<TIndicator> & Pick<TIndicator, 'id' | 'name'>): TIndicator {
  return {
    frameworkId: 1,
    standardKey: 'I4.3.1',
    standardCode: 'I4.3.1',
    standardText: '城市道路设施完好',
    measure: '%',
    target: 95,
    direction: 'gte',
    period: 'month',
    startPeriod: '2026-09',
    responsibleUnitId: 7,
    responsibleUnitName: '市城市管理综合执法局',
    notes: null,
    version: 2,
    latest: null,
    compliant: null,
    trend: [],
    missing: [],
    currentPeriod: '2026-12',
    ...over,
  };
}

const LAMPS = indicator({
  id: 1,
  name: '路灯亮灯率',
  latest: { period: '2026-11', value: 96, met: true },
  compliant: true,
  trend: [
    { period: '2026-10', value: 93, met: false },
    { period: '2026-11', value: 96, met: true },
  ],
});
const ROADS = indicator({ id: 2, name: '城市道路完好率', missing: ['2026-10', '2026-11'] });

const value = (over: Partial<TIndicatorValue> = {}): TIndicatorValue => ({
  id: 31,
  indicatorId: 1,
  period: '2026-11',
  value: 96,
  met: true,
  note: null,
  fileIds: [],
  reportedBy: '张科长',
  reportedAt: '2026-12-01T02:00:00.000Z',
  version: 4,
  ...over,
});

const rowOf = (name: string) => screen.getByText(name).closest('tr')!;

/** The page as the responsible unit's staff see it (no working groups). */
const asUnit = (api: Routes) =>
  renderPage(<IndicatorsPage />, {
    user: asUser('unit'),
    api: { 'GET /api/working-groups': { items: [] }, ...api },
  });

describe('IndicatorsPage', () => {
  it('lists each indicator with its compliance and draws its trend against the target', async () => {
    await renderPage(<IndicatorsPage />, {
      api: {
        'GET /api/working-groups': { items: [] },
        'GET /api/indicators': { items: [LAMPS, ROADS], shares: [] },
      },
    });
    await screen.findByText('路灯亮灯率');
    expect(within(rowOf('路灯亮灯率')).getByText('达标')).toBeInTheDocument();
    expect(rowOf('城市道路完好率')).toHaveTextContent('未报送');
    expect(screen.getByTestId('indicator-summary')).toHaveTextContent('缺报期数2');

    const trend = screen.getByTestId('trend-1');
    expect(trend).toHaveAccessibleName(
      '路灯亮灯率（目标 ≥ 95%）近 2 期报送值：1 期达标，最新 2026-11 96%',
    );
    const option = (await findChartOption(trend)) as {
      series: {
        data: { value: number; itemStyle: { color: string } }[];
        markLine: { data: unknown[] };
      }[];
    };
    const [line] = option.series;
    expect(line!.data.map((d) => [d.value, d.itemStyle.color])).toEqual([
      [93, '#cf1322'],
      [96, '#389e0d'],
    ]);
    expect(line!.markLine.data).toEqual([{ yAxis: 95 }]);
    // No values yet: said in the chart's place.
    expect(screen.getByTestId('trend-2')).toHaveTextContent('尚无报送数据');
  });

  it('narrows the list to a working group’s indicators', async () => {
    const page = await renderPage(<IndicatorsPage />, {
      api: {
        'GET /api/working-groups': {
          items: [
            {
              id: 4,
              campaignId: 1,
              name: '背街小巷攻坚组',
              leaderUserId: null,
              leaderName: null,
              units: [],
              standards: [],
              version: 1,
            },
          ],
        },
        'GET /api/indicators': (req: MockRequest) => ({
          items: req.query.groupId === '4' ? [ROADS] : [LAMPS, ROADS],
          shares: [],
        }),
      },
    });
    await screen.findByText('路灯亮灯率');
    await pickOption(page.user, screen.getByTestId('indicator-group'), '背街小巷攻坚组');
    await waitFor(() => expect(screen.queryByText('路灯亮灯率')).not.toBeInTheDocument());
    expect(page.api.callsTo('GET /api/indicators').map((c) => c.query)).toEqual([
      {},
      { groupId: '4' },
    ]);
  });

  it('the responsible unit reports a missing month; the list is read again', async () => {
    let reported = false;
    const page = await asUnit({
      'GET /api/indicators': () => ({
        items: [
          reported
            ? {
                ...ROADS,
                missing: ['2026-11'],
                latest: { period: '2026-10', value: 97.2, met: true },
                trend: [{ period: '2026-10', value: 97.2, met: true }],
              }
            : ROADS,
        ],
        shares: [],
      }),
      'POST /api/indicators/:id/values': () => {
        reported = true;
        return value({ indicatorId: 2, period: '2026-10', value: 97.2 });
      },
    });
    await screen.findByText('城市道路完好率');
    await page.user.click(within(rowOf('城市道路完好率')).getByTestId('report-indicator'));
    await fill(page.user, byId('value'), '97.2');
    const dialog = screen.getByRole('dialog');
    await page.user.click(within(dialog).getByRole('button', { name: /^报\s?送$/ }));
    await screen.findByText('已报送');
    const sent = page.api.callsTo('POST /api/indicators/:id/values')[0]!;
    expect(sent.path).toBe('/api/indicators/2/values');
    expect(sent.body).toMatchObject({ period: '2026-10', value: 97.2, fileIds: [] });
    await waitFor(() => expect(rowOf('城市道路完好率')).toHaveTextContent('97.2%'));
    expect(page.api.callsTo('GET /api/indicators')).toHaveLength(2);
  });

  it('a corrected value is sent with its version and reason; the values and the list are read again', async () => {
    let corrected = false;
    const page = await asUnit({
      'GET /api/indicators': () => ({
        items: [
          corrected ? { ...LAMPS, latest: { period: '2026-11', value: 98.4, met: true } } : LAMPS,
        ],
        shares: [],
      }),
      'GET /api/indicators/:id/values': () => [value(corrected ? { value: 98.4, version: 5 } : {})],
      'PATCH /api/indicator-values/:id': () => {
        corrected = true;
        return value({ value: 98.4, version: 5 });
      },
    });
    await screen.findByText('路灯亮灯率');
    await page.user.click(within(rowOf('路灯亮灯率')).getByTestId('indicator-history'));
    const values = await screen.findByTestId('indicator-values');
    await within(values).findByText('张科长');
    await page.user.click(screen.getByTestId('correct-2026-11'));
    await fill(page.user, screen.getByTestId('correct-value'), '98.4');
    await fill(page.user, screen.getByTestId('correct-note'), '复核后修正抽查口径');
    await page.user.click(screen.getByTestId('correct-save'));
    await screen.findByText('已更正');
    const sent = page.api.callsTo('PATCH /api/indicator-values/:id')[0]!;
    expect(sent.path).toBe('/api/indicator-values/31');
    expect(sent.body).toEqual({ value: 98.4, note: '复核后修正抽查口径', version: 4 });
    await waitFor(() => expect(values).toHaveTextContent('98.4'));
    await waitFor(() => expect(page.api.callsTo('GET /api/indicators')).toHaveLength(2));
  });
});
