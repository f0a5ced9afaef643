import { Alert, Empty, Space, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import type { TUnitHistory } from '../../../core/contracts/rankings.js';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';
import { FLAG_LABELS, levelLabel, localDate } from './labels.js';
import { CHART_COLORS, Chart, type ChartOption } from '../chart.js';

/** A unit's published standings: score and rank trend, flags and the consequences recorded. */
export function UnitHistoryView({ unitId }: { unitId: number }) {
  const { t, lang } = useI18n();
  const history = useApi('GET /api/rankings/units/:id/history', { params: { id: unitId } });
  const h = history.data ?? null;
  const error = history.error ? errorText(history.error, lang) : null;
  const option = useMemo((): ChartOption | null => {
    if (!h || h.periods.length === 0) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t(L.framework.score), t(L.results.rank)] },
      grid: { left: 40, right: 40, top: 36, bottom: 24 },
      // A unit ranked by the city and by its district has both in a period: the level tells them apart.
      xAxis: {
        type: 'category',
        data: h.periods.map((p) => (p.ownerName ? `${p.period} ${p.ownerName}` : p.period)),
      },
      yAxis: [
        { type: 'value', min: 0, max: 100 },
        { type: 'value', inverse: true, minInterval: 1, min: 1 },
      ],
      series: [
        {
          name: t(L.framework.score),
          type: 'line',
          data: h.periods.map((p) => ({
            value: p.score,
            // The flags' own colours, as on their tags below.
            itemStyle: {
              color:
                p.flag === 'red' ? '#c8102e' : p.flag === 'black' ? '#000' : CHART_COLORS.primary,
            },
          })),
          symbolSize: 9,
        },
        {
          name: t(L.results.rank),
          type: 'line',
          yAxisIndex: 1,
          data: h.periods.map((p) => p.rank),
          lineStyle: { type: 'dashed' },
        },
      ],
    };
  }, [h, t]);
  if (error) return <Alert type="error" showIcon title={error} />;
  if (!h) return null;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="unit-history">
      <Space>
        <Typography.Text strong>{h.unitName}</Typography.Text>
        <Tag color="#c8102e">
          {t(FLAG_LABELS.red)} × {h.flags.red}
        </Tag>
        <Tag color="#262626">
          {t(FLAG_LABELS.black)} × {h.flags.black}
        </Tag>
      </Space>
      {h.periods.length === 0 ? (
        <Empty description={t({ zh: '尚无已发布的排名', en: 'No published ranking yet' })} />
      ) : (
        <Chart option={option} height={220} summary={historySummary(h, t)} />
      )}
      {h.consequences.map((c) => (
        <Alert
          key={c.id}
          type={c.flag === 'black' ? 'error' : 'success'}
          showIcon
          data-testid="consequence"
          title={`${c.period}：${t(FLAG_LABELS[c.flag])} ${t({ zh: `连续第 ${c.streak} 次`, en: `${c.streak} in a row` })} → ${t(c.action)}`}
          description={localDate(c.createdAt)}
        />
      ))}
      <Table
        size="small"
        rowKey="snapshotId"
        pagination={false}
        dataSource={[...h.periods].reverse()}
        columns={[
          { title: t(L.common.period), dataIndex: 'period' },
          {
            title: t({ zh: '排名层级', en: 'Ranked by' }),
            render: (_: unknown, p: TUnitHistory['periods'][number]) => t(levelLabel(p.ownerName)),
          },
          {
            title: t(L.framework.score),
            dataIndex: 'score',
            render: (v: number | null) => v ?? '—',
          },
          {
            title: t(L.results.rank),
            render: (_: unknown, p: TUnitHistory['periods'][number]) =>
              p.rank === null ? '—' : `${p.rank} / ${p.classSize}`,
          },
          {
            title: t(L.results.flag),
            render: (_: unknown, p: TUnitHistory['periods'][number]) =>
              p.flag ? (
                <Tag color={p.flag === 'red' ? '#c8102e' : '#262626'}>
                  {t(FLAG_LABELS[p.flag])}
                  {p.streak > 1 ? ` ×${p.streak}` : ''}
                </Tag>
              ) : null,
          },
        ]}
      />
    </Space>
  );
}

/** The trend in words: how many periods, and the latest score and rank. */
function historySummary(h: TUnitHistory, t: (l: L) => string): string {
  const last = h.periods[h.periods.length - 1];
  if (!last) return t({ zh: `${h.unitName}得分与名次`, en: `${h.unitName}: score and rank` });
  const score = last.score ?? '—';
  const rank = last.rank === null ? '—' : `${last.rank} / ${last.classSize}`;
  return t({
    zh: `${h.unitName}近 ${h.periods.length} 期得分与名次；最近一期 ${last.period}：得分 ${score}，名次 ${rank}`,
    en: `${h.unitName}, score and rank over ${h.periods.length} periods; latest ${last.period}: score ${score}, rank ${rank}`,
  });
}
