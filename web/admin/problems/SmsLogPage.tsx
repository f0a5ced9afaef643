import { Alert, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { TSmsLogItem } from '../../../core/contracts/notifications.js';
import { formatTime, useI18n, L } from '../../shared/i18n.js';
import { useApiPages, type PageFilters } from '../../shared/use-cursor-list.js';

/** The states a text can be in (a value import of the contracts would bring zod). */
const STATES = ['pending', 'delivered', 'failed'] as const;
const STATE_LABELS: Record<(typeof STATES)[number], { zh: string; en: string; color: string }> = {
  pending: { zh: '待发送', en: 'Waiting', color: 'blue' },
  delivered: { zh: '已发送', en: 'Sent', color: 'green' },
  failed: { zh: '发送失败', en: 'Failed', color: 'red' },
};

/** What a text was sent for, by its kind (replies to reporters; others show as they are). */
const KIND_LABELS: Record<string, { zh: string; en: string }> = {
  'reply.register': { zh: '回复报告人：已立案', en: 'Reply: accepted' },
  'reply.dispatch': { zh: '回复报告人：已派单', en: 'Reply: dispatched' },
  'reply.submit': { zh: '回复报告人：已整改', en: 'Reply: rectified' },
  'reply.approve': { zh: '回复报告人：已办结', en: 'Reply: closed' },
  'reply.reject': { zh: '回复报告人：不予立案', en: 'Reply: rejected' },
};

/**
 * 短信发送记录: the text messages of the last 30 days (replies to reporters, one-time codes), for
 * the office running the channels: the number masked, codes in the text starred, and whether the
 * gateway took it. In the demo the built-in fake gateway takes them, which the page says.
 */
export function SmsLogPage() {
  const { t } = useI18n();
  const [filters, setFilters] = useState<PageFilters<'GET /api/sms-log'>>({});
  const list = useApiPages('GET /api/sms-log', filters, 30);
  const gateway = list.data?.gateway;
  return (
    <Card title={t({ zh: '短信发送记录', en: 'SMS log' })}>
      {gateway === 'fake' && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="sms-fake-gateway"
          title={t({
            zh: '演示模式：未配置短信网关，短信由内置的模拟网关接收，不会真正发出。',
            en: 'Demo: no SMS gateway is configured; the built-in fake gateway takes the texts, none is really sent.',
          })}
        />
      )}
      {gateway === 'none' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t({
            zh: '未配置短信网关（SMS_GATEWAY_URL），短信在此等待发送。',
            en: 'No SMS gateway is configured (SMS_GATEWAY_URL): texts wait here.',
          })}
        />
      )}
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t(L.common.status)}
          style={{ width: 140 }}
          options={STATES.map((s) => ({ value: s, label: t(STATE_LABELS[s]) }))}
          onChange={(state?: (typeof STATES)[number]) => setFilters((f) => ({ ...f, state }))}
          data-testid="sms-state-filter"
        />
        <Typography.Text type="secondary">
          {t({
            zh: '号码只显示前三后四位，短信中的验证码、查询码已隐去；记录保留 30 天',
            en: 'Numbers show their first three and last four digits; codes in the texts are hidden; kept 30 days',
          })}
        </Typography.Text>
      </Space>
      <Table<TSmsLogItem>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 900 }}
        data-testid="sms-log"
        columns={[
          {
            title: t(L.common.time),
            dataIndex: 'createdAt',
            width: 150,
            render: (v: string) => formatTime(v),
          },
          { title: t(L.common.phone), dataIndex: 'to', width: 130 },
          {
            title: t(L.common.type),
            dataIndex: 'kind',
            width: 170,
            render: (k: string | null) => (k ? (KIND_LABELS[k] ? t(KIND_LABELS[k]) : k) : '—'),
          },
          { title: t(L.common.text), dataIndex: 'text' },
          {
            title: t(L.common.status),
            dataIndex: 'state',
            width: 110,
            render: (s: TSmsLogItem['state']) => (
              <Tag color={STATE_LABELS[s].color}>{t(STATE_LABELS[s])}</Tag>
            ),
          },
          {
            title: t({ zh: '尝试次数', en: 'Attempts' }),
            dataIndex: 'attempts',
            width: 90,
            render: (n: number, r) =>
              r.lastError && r.state !== 'delivered' ? (
                <Typography.Text type="danger" title={r.lastError}>
                  {n}
                </Typography.Text>
              ) : (
                n
              ),
          },
          { title: t({ zh: '关联', en: 'Reference' }), dataIndex: 'ref', width: 140 },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        <a
          onClick={list.prev}
          style={{ pointerEvents: list.hasPrev ? 'auto' : 'none', opacity: list.hasPrev ? 1 : 0.4 }}
        >
          {t(L.common.previousPage)}
        </a>
        <a
          onClick={list.next}
          style={{ pointerEvents: list.hasNext ? 'auto' : 'none', opacity: list.hasNext ? 1 : 0.4 }}
        >
          {t(L.common.nextPage)}
        </a>
      </Space>
    </Card>
  );
}
