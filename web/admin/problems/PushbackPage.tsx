import { Alert, Card, Input, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { TPushbackDelivery } from '../../../core/contracts/pushback.js';
import {
  PUSHBACK_STATE_LABELS,
  PUSHBACK_STATES,
  PUSHBACK_TARGET_LABELS,
  PUSHBACK_TARGETS,
  type TPushbackState,
  type TPushbackTarget,
} from '../../../core/pushback/labels.js';
import { qs } from '../../shared/api.js';
import { formatTime, useI18n, L } from '../../shared/i18n.js';
import { ExportButton } from '../ImportButton.js';
import { useApiPages, type PageFilters } from '../../shared/use-cursor-list.js';
import { kindLabel, LastAnswer, RetryButton, StateTag, TargetText } from './pushback-view.js';

/**
 * 结果回传: every result owed to the 12345 hotline and every status change owed to an Open311
 * client's callback, with what became of it; a failed one can be sent again.
 */
export function PushbackPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<PageFilters<'GET /api/pushback'>>({});
  const list = useApiPages('GET /api/pushback', filters, 30);
  const info = list.data;
  return (
    <Card title={t({ zh: '结果回传', en: 'Result push-back' })}>
      {info && !info.hotlineConfigured && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="hotline-off"
          title={t({
            zh: '未设置 12345 回传地址（HOTLINE_RESULT_URL）：热线工单的办理结果不会回传。',
            en: 'No 12345 result URL is set (HOTLINE_RESULT_URL): results of hotline orders are not sent back.',
          })}
        />
      )}
      <Typography.Paragraph type="secondary">
        {t({
          zh: `来自 12345 热线的工单办结、不予受理、缓办或延期时，结果连同整改照片链接回传热线系统；Open311 客户端设置了回调地址的，其请求每次状态变化都会推送。每条回传都带签名和幂等键，对方确认（返回 {"ack": true}）前按 1、2、4……分钟（最长 1 小时）的间隔重试，${info ? `最多 ${info.maxAttempts} 次，` : ''}仍失败的可在此重新发送。`,
          en: `When a 12345 order is closed, rejected, deferred or extended, its result goes back to the hotline with links to the rectification photos; an Open311 client with a callback URL hears of every status change of its requests. Each delivery is signed and carries an idempotency key; until the receiver acknowledges it (answers {"ack": true}) it is tried again after 1, 2, 4 … minutes (at most an hour apart)${info ? `, up to ${info.maxAttempts} times` : ''}; a failed one can be sent again here.`,
        })}
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t({ zh: '去向', en: 'Sent to' })}
          style={{ width: 160 }}
          data-testid="filter-target"
          options={PUSHBACK_TARGETS.map((v) => ({ value: v, label: t(PUSHBACK_TARGET_LABELS[v]) }))}
          onChange={(target?: TPushbackTarget) => setFilters((f) => ({ ...f, target }))}
        />
        <Select
          allowClear
          placeholder={t(L.common.status)}
          style={{ width: 140 }}
          data-testid="filter-state"
          options={PUSHBACK_STATES.map((v) => ({ value: v, label: t(PUSHBACK_STATE_LABELS[v]) }))}
          onChange={(state?: TPushbackState) => setFilters((f) => ({ ...f, state }))}
        />
        <Input.Search
          allowClear
          placeholder={t({ zh: '工单编号或问题编号', en: 'Order no. or problem code' })}
          style={{ width: 240 }}
          data-testid="filter-q"
          onSearch={(v) => setFilters((f) => ({ ...f, q: v.trim() || undefined }))}
        />
        <ExportButton href={`/api/pushback/export.xlsx${qs(filters)}`} />
      </Space>
      <Table<TPushbackDelivery>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        expandable={{
          expandedRowRender: (d) => (
            <div data-testid={`payload-${d.id}`}>
              <Typography.Text type="secondary">Idempotency-Key: </Typography.Text>
              <Typography.Text code copyable>
                {d.idempotencyKey}
              </Typography.Text>
              <pre style={{ margin: '8px 0 0', whiteSpace: 'pre-wrap' }}>
                {JSON.stringify(d.payload, null, 2)}
              </pre>
            </div>
          ),
        }}
        columns={[
          {
            title: t({ zh: '产生时间', en: 'Created' }),
            dataIndex: 'createdAt',
            width: 140,
            render: (v: string) => formatTime(v),
          },
          {
            title: t({ zh: '去向', en: 'Sent to' }),
            width: 150,
            render: (_: unknown, d) => <TargetText d={d} />,
          },
          {
            title: t({ zh: '工单编号', en: 'Order no.' }),
            dataIndex: 'externalRef',
            width: 140,
          },
          {
            title: t(L.problems.problem),
            width: 140,
            render: (_: unknown, d) => (
              <Typography.Link onClick={() => void navigate(`/problems/${d.problemId}`)}>
                {d.problemCode}
              </Typography.Link>
            ),
          },
          {
            title: t(L.common.text),
            width: 110,
            render: (_: unknown, d) => t(kindLabel(d)),
          },
          {
            title: t(L.common.status),
            width: 100,
            render: (_: unknown, d) => <StateTag d={d} />,
          },
          {
            title: t({ zh: '尝试次数', en: 'Attempts' }),
            dataIndex: 'attempts',
            width: 90,
            render: (n: number) => (info ? `${n} / ${info.maxAttempts}` : n),
          },
          {
            // When it was last tried and what came back: the HTTP status and the receiver's
            // answer, or when it was acknowledged (the widest column: it takes the rest).
            title: t({ zh: '最近一次 / 结果', en: 'Last attempt / result' }),
            render: (_: unknown, d) => (
              <Space orientation="vertical" size={0}>
                {d.lastAttemptAt ? (
                  <span>
                    {formatTime(d.lastAttemptAt)}
                    {/* An error below says its status itself. */}
                    {d.lastStatus !== null && !d.lastError && (
                      <Typography.Text type="secondary"> · HTTP {d.lastStatus}</Typography.Text>
                    )}
                  </span>
                ) : (
                  '—'
                )}
                <LastAnswer d={d} />
              </Space>
            ),
          },
          {
            title: '',
            width: 100,
            render: (_: unknown, d) => <RetryButton d={d} />,
          },
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
