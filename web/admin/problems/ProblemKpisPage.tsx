import { Card, DatePicker, Select, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { keepPreviousData } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { KPI_GROUPS, type TKpiResponse } from '../../../core/contracts/problems.js';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';
import { Chart, type ChartOption } from '../chart.js';

const GROUP_LABELS: Record<(typeof KPI_GROUPS)[number], { zh: string; en: string }> = {
  unit: { zh: '按责任单位', en: 'By unit' },
  category: { zh: '按问题大类', en: 'By category' },
  district: { zh: '按区县', en: 'By district' },
  street: { zh: '按街道', en: 'By street' },
};

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/** 群众满意率 with its n: only rated problems count, so the n says how much it rests on. */
const satisfaction = (r: { satisfactionRate: number | null; rated: number }) =>
  r.rated === 0 ? '—' : `${pct(r.satisfactionRate)} (n=${r.rated})`;

/** 结案率 and friends for a period, as a table and a chart. */
export function ProblemKpisPage() {
  const { t, lang } = useI18n();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([
    dayjs().startOf('month'),
    dayjs().endOf('month'),
  ]);
  const [groupBy, setGroupBy] = useState<(typeof KPI_GROUPS)[number]>('unit');
  const from = range[0].startOf('day').toISOString();
  const to = range[1].add(1, 'day').startOf('day').toISOString();
  // The last answer stays on screen while another period or grouping is asked.
  const kpis = useApi(
    'GET /api/problems/kpis',
    { query: { groupBy, from, to } },
    { placeholderData: keepPreviousData },
  );
  const data = kpis.data ?? null;
  const error = kpis.error ? errorText(kpis.error, lang) : null;

  // The first 15 rows (the server's order) as bars.
  const option = useMemo((): ChartOption | null => {
    if (!data) return null;
    const rows = data.rows.slice(0, 15);
    return {
      tooltip: { trigger: 'axis' },
      legend: {
        data: [t(L.problems.closeRate), t(L.problems.onTimeCloseRate)],
      },
      grid: { left: 40, right: 16, bottom: 80, top: 40 },
      xAxis: {
        type: 'category',
        data: rows.map((r) => r.name),
        axisLabel: { rotate: 30, interval: 0 },
      },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          name: t(L.problems.closeRate),
          type: 'bar',
          data: rows.map((r) => (r.closeRate ?? 0) * 100),
        },
        {
          name: t(L.problems.onTimeCloseRate),
          type: 'bar',
          data: rows.map((r) => (r.onTimeCloseRate ?? 0) * 100),
        },
      ],
    };
  }, [data, t]);

  return (
    <Card title={t({ zh: '问题办理统计', en: 'Problem KPIs' })}>
      <Space wrap style={{ marginBottom: 12 }}>
        <DatePicker.RangePicker
          value={range}
          onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])}
          allowClear={false}
        />
        <Select
          value={groupBy}
          onChange={setGroupBy}
          style={{ width: 150 }}
          options={KPI_GROUPS.map((g) => ({ value: g, label: t(GROUP_LABELS[g]) }))}
        />
        <Typography.Text type="secondary">
          {t({
            zh: '统计口径：期间内派遣的问题；结案率 = 结案数 ÷（应结案数 − 缓办数）',
            en: 'Problems dispatched in the period; close rate = closed ÷ (due − deferred)',
          })}
          {t({
            zh: '；群众满意率 =（满意 + 基本满意）÷ 评价数，只计已评价的问题',
            en: '; reporter satisfaction = (satisfied + fairly satisfied) ÷ ratings, rated problems only',
          })}
        </Typography.Text>
      </Space>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <Chart
        option={option}
        empty={data?.rows.length === 0}
        summary={t({
          zh: `${GROUP_LABELS[groupBy].zh}的结案率与按期结案率（前 ${Math.min(15, data?.rows.length ?? 0)} 个）：合计结案率 ${pct(data?.total.closeRate ?? null)}，按期结案率 ${pct(data?.total.onTimeCloseRate ?? null)}`,
          en: `Close and on-time rates ${GROUP_LABELS[groupBy].en.toLowerCase()} (first ${Math.min(15, data?.rows.length ?? 0)}): overall ${pct(data?.total.closeRate ?? null)} closed, ${pct(data?.total.onTimeCloseRate ?? null)} on time`,
        })}
        style={{ marginBottom: 12 }}
        data-testid="kpi-chart"
      />
      <Table
        size="small"
        rowKey={(r) => String(r.key)}
        dataSource={data?.rows ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        summary={() =>
          data ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>{t(L.common.total)}</Table.Summary.Cell>
              <Table.Summary.Cell index={1}>{data.total.due}</Table.Summary.Cell>
              <Table.Summary.Cell index={2}>{data.total.closed}</Table.Summary.Cell>
              <Table.Summary.Cell index={3}>{pct(data.total.closeRate)}</Table.Summary.Cell>
              <Table.Summary.Cell index={4}>{pct(data.total.onTimeCloseRate)}</Table.Summary.Cell>
              <Table.Summary.Cell index={5}>{pct(data.total.reworkRate)}</Table.Summary.Cell>
              <Table.Summary.Cell index={6}>{pct(data.total.extensionRate)}</Table.Summary.Cell>
              <Table.Summary.Cell index={7}>
                {data.total.avgHandlingHours ?? '—'}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={8}>{satisfaction(data.total)}</Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
        columns={[
          { title: t(GROUP_LABELS[groupBy]).replace(/^按|^By /, ''), dataIndex: 'name' },
          { title: t({ zh: '应结案', en: 'Due' }), dataIndex: 'due', width: 80 },
          { title: t({ zh: '已结案', en: 'Closed' }), dataIndex: 'closed', width: 80 },
          {
            title: t(L.problems.closeRate),
            dataIndex: 'closeRate',
            width: 90,
            render: pct,
          },
          {
            title: t(L.problems.onTimeCloseRate),
            dataIndex: 'onTimeCloseRate',
            width: 100,
            render: pct,
          },
          {
            title: t(L.problems.reworkRate),
            dataIndex: 'reworkRate',
            width: 90,
            render: pct,
          },
          {
            title: t({ zh: '延期率', en: 'Extension rate' }),
            dataIndex: 'extensionRate',
            width: 90,
            render: pct,
          },
          {
            title: t({ zh: '平均办理时长(小时)', en: 'Avg handling (h)' }),
            dataIndex: 'avgHandlingHours',
            width: 140,
            render: (v: number | null) => v ?? '—',
          },
          {
            title: t(L.problems.reporterSatisfaction),
            key: 'satisfaction',
            width: 130,
            render: (_: unknown, r: TKpiResponse['rows'][number]) => satisfaction(r),
          },
        ]}
      />
    </Card>
  );
}
