import { Alert, Card, DatePicker, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import type { TServiceRecord } from '../../../core/contracts/service-orders.js';
import {
  SERVICE_ORDER_STATE_LABELS,
  SERVICE_ORDER_STATES,
  SERVICE_STEP_LABELS,
  SERVICE_STEPS,
} from '../../../core/service-orders/lifecycle.js';
import { minutesToHours } from '../../../core/volunteers/hours.js';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';
import { STATE_COLORS } from './service-order-colors.js';

type Row = TServiceRecord['stations'][number];

/** Minutes as the record shows a step's median: 45 分钟, 3.5 小时, 2.1 天. */
function duration(m: number | null, lang: 'zh' | 'en'): string {
  if (m === null) return '—';
  if (m < 90) return lang === 'zh' ? `${Math.round(m)} 分钟` : `${Math.round(m)} min`;
  if (m < 48 * 60)
    return lang === 'zh' ? `${(m / 60).toFixed(1)} 小时` : `${(m / 60).toFixed(1)} h`;
  return lang === 'zh' ? `${(m / 1440).toFixed(1)} 天` : `${(m / 1440).toFixed(1)} d`;
}

/**
 * 站点点单记录: each station's orders (of a month, or all) by state, the median time of each step
 * (点单→派单→接单→到场→完成→确认), overdue orders, the requesters' satisfaction and the volunteer
 * hours they brought — the office's record of how its stations answer residents.
 */
export function ServiceRecordsPage() {
  const { t, lang } = useI18n();
  const [month, setMonth] = useState<Dayjs | null>(null);
  const q = useApi('GET /api/service-records', {
    query: month ? { month: month.format('YYYY-MM') } : {},
  });
  const rec = q.data;
  const rows: (Row | (TServiceRecord['totals'] & { placeId: 0; placeName: string }))[] = rec
    ? [...rec.stations, { ...rec.totals, placeId: 0, placeName: t(L.common.total) }]
    : [];
  return (
    <Card title={t({ zh: '站点点单记录', en: 'Stations’ service record' })}>
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        {q.error && <Alert type="error" showIcon title={errorText(q.error, lang)} />}
        <Space>
          <DatePicker
            picker="month"
            allowClear
            placeholder={t({ zh: '全部月份', en: 'All months' })}
            value={month}
            onChange={setMonth}
            data-testid="rec-month"
          />
          <Typography.Text type="secondary">
            {t({
              zh: '按点单时间统计；各环节时长为中位数',
              en: 'By the time ordered; each step’s time is the median',
            })}
          </Typography.Text>
        </Space>
        <Table
          rowKey="placeId"
          size="small"
          loading={q.isFetching}
          dataSource={rows}
          pagination={false}
          data-testid="rec-table"
          scroll={{ x: 1300 }}
          rowClassName={(r) => (r.placeId === 0 ? 'ant-table-row-selected' : '')}
          columns={[
            {
              title: t({ zh: '服务站点', en: 'Station' }),
              dataIndex: 'placeName',
              fixed: 'left',
              width: 200,
            },
            {
              title: t({ zh: '点单', en: 'Orders' }),
              dataIndex: 'orders',
              width: 70,
              align: 'right',
            },
            {
              title: t({ zh: '各状态', en: 'By state' }),
              width: 260,
              render: (_: unknown, r) => (
                <Space size={2} wrap>
                  {SERVICE_ORDER_STATES.filter((s) => r.byState[s] > 0).map((s) => (
                    <Tag key={s} color={STATE_COLORS[s]}>
                      {t(SERVICE_ORDER_STATE_LABELS[s])} {r.byState[s]}
                    </Tag>
                  ))}
                </Space>
              ),
            },
            ...SERVICE_STEPS.map((s) => ({
              title: t(SERVICE_STEP_LABELS[s]),
              width: 110,
              align: 'right' as const,
              render: (_: unknown, r: Row | TServiceRecord['totals']) =>
                duration(r.medianMinutes[s], lang),
            })),
            {
              title: t({ zh: '超时', en: 'Overdue' }),
              dataIndex: 'overdue',
              width: 70,
              align: 'right',
              render: (n: number) =>
                n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : 0,
            },
            {
              title: t({ zh: '满意率', en: 'Satisfied' }),
              width: 110,
              align: 'right',
              render: (_: unknown, r) =>
                r.satisfactionPct === null
                  ? '—'
                  : `${r.satisfactionPct}% (${r.satisfied}/${r.rated})`,
            },
            {
              title: t({ zh: '志愿服务时长', en: 'Volunteer hours' }),
              width: 110,
              align: 'right',
              render: (_: unknown, r) => `${minutesToHours(r.volunteerMinutes)} h`,
            },
          ]}
        />
      </Space>
    </Card>
  );
}
