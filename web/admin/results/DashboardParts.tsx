import { Card, Col, Row, Segmented, Statistic, Table, Tooltip, Typography } from 'antd';
import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import type {
  TDashboardDueSoon,
  TDashboardKpis,
  TDashboardRanking,
  TDashboardTrend,
} from '../../../core/contracts/dashboards.js';
import { UNIT_TYPE_LABELS, type TUnitType } from '../../../core/contracts/org.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { Countdown, EscalationTag } from '../../shared/problem-tags.js';
import { CHART_COLORS, Chart, type ChartOption } from '../chart.js';

export const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;

/** 万 for large counts, as the office writes them. */
export const num = (n: number) => (n >= 100_000 ? `${(n / 10_000).toFixed(1)}万` : String(n));

export function unitTypeLabel(type: string) {
  return UNIT_TYPE_LABELS[type as TUnitType] ?? { zh: type, en: type };
}

/**
 * The KPI cards of a level; `handDown`: with 交办逾期 (the offices' and leaders' view of a level,
 * not a unit's, which receives no hand-downs).
 */
export function KpiCards({
  k,
  handDown = false,
}: {
  k: TDashboardKpis | null;
  handDown?: boolean;
}) {
  const { t } = useI18n();
  const cards: { key: string; title: string; value: string; color?: string; hint?: string }[] = k
    ? [
        { key: 'open', title: t(L.problems.open), value: num(k.open) },
        {
          key: 'overdue',
          title: t(L.common.overdue),
          value: num(k.overdue),
          color: k.overdue ? '#cf1322' : undefined,
        },
        {
          key: 'red',
          title: t({ zh: '红色督办', en: 'Red' }),
          value: num(k.red),
          color: '#cf1322',
        },
        {
          key: 'yellow',
          title: t({ zh: '黄色预警', en: 'Yellow' }),
          value: num(k.yellow),
          color: '#d48806',
        },
        {
          key: 'blue',
          title: t({ zh: '蓝色提醒', en: 'Blue' }),
          value: num(k.blue),
          color: '#1677ff',
        },
        ...(handDown
          ? [
              {
                key: 'hand-overdue',
                title: t(L.problems.handDownsOverdue),
                value: num(k.handDownOverdue),
                color: k.handDownOverdue ? '#cf1322' : undefined,
                hint: t({
                  zh: '交办下级后，过了交办时限仍未派遣的问题',
                  en: 'Handed down, and not dispatched by the office below within its time',
                }),
              },
            ]
          : []),
        {
          key: 'closed',
          title: t({ zh: '本月销号', en: 'Closed this month' }),
          value: num(k.closedThisMonth),
        },
        {
          key: 'ontime',
          title: t(L.problems.onTimeCloseRate),
          value: pct(k.cohort.onTimeCloseRate),
          hint: t({
            zh: `近期派遣问题：按期结案 ${k.cohort.closedOnTime} ÷（应结案 ${k.cohort.due} − 缓办 ${k.cohort.deferred}）`,
            en: `Recently dispatched: on time ${k.cohort.closedOnTime} ÷ (due ${k.cohort.due} − deferred ${k.cohort.deferred})`,
          }),
        },
        {
          key: 'rework',
          title: t(L.problems.reworkRate),
          value: pct(k.cohort.reworkRate),
        },
        {
          key: 'recurrence',
          title: t({ zh: '本月反弹', en: 'Recurrences this month' }),
          value: `${k.recurrenceThisMonth}`,
          hint: t({
            zh: `本月立案 ${k.registeredThisMonth}，反弹率 ${pct(k.recurrenceRate)}`,
            en: `${k.registeredThisMonth} registered this month, rate ${pct(k.recurrenceRate)}`,
          }),
        },
      ]
    : [];
  return (
    <Row gutter={[12, 12]} data-testid="kpi-cards">
      {cards.map((c) => (
        <Col key={c.key} xs={12} sm={8} md={6} xl={4} xxl={3}>
          <Card size="small" data-testid={`kpi-${c.key}`}>
            <Tooltip title={c.hint}>
              <Statistic
                title={c.title}
                value={c.value}
                styles={c.color ? { content: { color: c.color } } : undefined}
              />
            </Tooltip>
          </Card>
        </Col>
      ))}
    </Row>
  );
}

/** Registered vs closed per week or month (ECharts). */
export function TrendChart(props: {
  trend: TDashboardTrend | null;
  interval: 'week' | 'month';
  onInterval: (v: 'week' | 'month') => void;
}) {
  const { t } = useI18n();
  const { trend } = props;
  const option = useMemo((): ChartOption | null => {
    if (!trend) return null;
    const b = trend.buckets;
    return {
      tooltip: { trigger: 'axis' },
      legend: {
        top: 0,
        data: [t(L.problems.register), t(L.problems.close)],
      },
      grid: { left: 48, right: 16, bottom: 30, top: 36 },
      xAxis: {
        type: 'category',
        data: b.map((x) => (trend.interval === 'month' ? x.start.slice(0, 7) : x.start.slice(5))),
      },
      yAxis: { type: 'value' },
      series: [
        {
          name: t(L.problems.register),
          type: 'bar',
          data: b.map((x) => x.registered),
          itemStyle: { color: CHART_COLORS.warn },
        },
        {
          name: t(L.problems.close),
          type: 'line',
          data: b.map((x) => x.closed),
          itemStyle: { color: CHART_COLORS.good },
        },
      ],
    };
  }, [trend, t]);
  const buckets = trend?.buckets ?? [];
  const registered = buckets.reduce((n, x) => n + x.registered, 0);
  const closed = buckets.reduce((n, x) => n + x.closed, 0);
  const month = trend?.interval === 'month';
  return (
    <Card
      size="small"
      title={t({ zh: '立案与销号趋势', en: 'Registered vs closed' })}
      extra={
        <Segmented
          size="small"
          value={props.interval}
          onChange={(v) => props.onInterval(v === 'month' ? 'month' : 'week')}
          options={[
            { value: 'week', label: t({ zh: '按周', en: 'Weekly' }) },
            { value: 'month', label: t({ zh: '按月', en: 'Monthly' }) },
          ]}
        />
      }
    >
      <Chart
        option={option}
        empty={trend?.buckets.length === 0}
        height={260}
        summary={t({
          zh: `立案与销号趋势，近 ${buckets.length} ${month ? '个月' : '周'}：立案 ${registered} 件，销号 ${closed} 件`,
          en: `Registered vs closed over ${buckets.length} ${month ? 'months' : 'weeks'}: ${registered} registered, ${closed} closed`,
        })}
        data-testid="trend-chart"
      />
    </Card>
  );
}

/** Dispatched problems due soon, the soonest first; a row opens the problem. */
export function DueSoonCard({ data }: { data: TDashboardDueSoon | null }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Card size="small" title={t(L.common.dueSoon)} data-testid="due-soon">
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={data?.items ?? []}
        onRow={(r) => ({
          onClick: () => void navigate(`/problems/${r.id}`),
          style: { cursor: 'pointer' },
        })}
        locale={{ emptyText: t({ zh: '暂无即将到期的问题', en: 'Nothing due soon' }) }}
        columns={[
          { title: t(L.problems.problem), dataIndex: 'title', ellipsis: true },
          { title: t(L.org.responsibleUnit), dataIndex: 'unitName', ellipsis: true },
          {
            title: t(L.common.deadline),
            dataIndex: 'deadline',
            width: 150,
            render: (d: string) => (
              <Tooltip title={formatTime(d)}>
                <Countdown deadline={d} />
              </Tooltip>
            ),
          },
          {
            title: t(L.problems.escalation),
            dataIndex: 'escalation',
            width: 100,
            render: (l: TDashboardDueSoon['items'][number]['escalation']) => (
              <EscalationTag level={l} />
            ),
          },
        ]}
      />
    </Card>
  );
}

/** Units ranked by 按期结案率 (units below the minimum sample are listed unranked). */
/**
 * "As of" of the cohort figures: the server computes them at most once a minute (a short cache,
 * docs/decisions.md), so the card says when they were counted.
 */
export function AsOf(props: { iso: string | undefined; label?: { zh: string; en: string } }) {
  const { t } = useI18n();
  if (!props.iso) return null;
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Shanghai',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(new Date(props.iso));
  return (
    <Tooltip
      title={t({
        zh: '该数据每分钟至多计算一次，显示的是该时刻的准确数字',
        en: 'Computed at most once a minute; exact as of this time',
      })}
    >
      <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="as-of">
        {t(props.label ?? { zh: '数据截至', en: 'as of' })} {time}
      </Typography.Text>
    </Tooltip>
  );
}

export function RankingCard(props: {
  data: TDashboardRanking | null;
  onUnit?: (id: number) => void;
}) {
  const { t } = useI18n();
  return (
    <Card
      size="small"
      title={t({ zh: '单位按期结案排名', en: 'Units by on-time closure' })}
      data-testid="unit-ranking"
      extra={
        props.data && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t({
              zh: `近期派遣，应结案 ≥ ${props.data.minSample} 才排名`,
              en: `recent cohort; ranked from ${props.data.minSample} due`,
            })}{' '}
            · <AsOf iso={props.data.asOf} />
          </Typography.Text>
        )
      }
    >
      <Table
        size="small"
        rowKey="unitId"
        pagination={false}
        dataSource={props.data?.rows ?? []}
        onRow={(r) => ({
          onClick: () => props.onUnit?.(r.unitId),
          style: props.onUnit ? { cursor: 'pointer' } : undefined,
        })}
        columns={[
          { title: '#', dataIndex: 'rank', width: 48, render: (v: number | null) => v ?? '—' },
          { title: t(L.org.unit), dataIndex: 'name', ellipsis: true },
          {
            title: t(L.common.category),
            dataIndex: 'type',
            width: 130,
            ellipsis: true,
            render: (v: string, r) =>
              `${t(unitTypeLabel(v))}${r.rankInType ? ` #${r.rankInType}` : ''}`,
          },
          { title: t({ zh: '应结案', en: 'Due' }), dataIndex: 'due', width: 72 },
          {
            title: t(L.problems.onTimeCloseRate),
            dataIndex: 'onTimeCloseRate',
            width: 96,
            render: pct,
          },
        ]}
      />
    </Card>
  );
}
