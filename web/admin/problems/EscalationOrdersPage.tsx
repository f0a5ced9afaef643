import { Card, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { TEscalationOrder } from '../../../core/contracts/notifications.js';
import { ESCALATION_LABELS, type TEscalationLevel } from '../../../core/problems/escalation.js';
import { PROBLEM_STATE_LABELS, PROBLEM_STATES } from '../../../core/problems/lifecycle.js';
import { oneOf } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { UnitPicker } from '../../shared/pickers.js';
import { useApiPages, type PageFilters } from '../../shared/use-cursor-list.js';

/** The colours an order can be issued at (a value import of the contracts would bring zod). */
const LEVELS: readonly TEscalationLevel[] = ['red', 'yellow', 'blue'];

/** 督办单: each step up of a problem's colour, for the office's weekly 督办 meeting. */
export function EscalationOrdersPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<PageFilters<'GET /api/escalation-orders'>>({});
  const list = useApiPages('GET /api/escalation-orders', filters, 30);
  return (
    <Card title={t({ zh: '督办单', en: 'Escalation orders' })}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t(L.problems.escalationLevel)}
          style={{ width: 140 }}
          options={(['red', 'yellow', 'blue'] as const).map((l) => ({
            value: l,
            label: t(ESCALATION_LABELS[l]),
          }))}
          onChange={(level?: 'red' | 'yellow' | 'blue') => setFilters((f) => ({ ...f, level }))}
        />
        <UnitPicker
          placeholder={t(L.org.responsibleUnit)}
          style={{ width: 200 }}
          onChange={(unitId) => setFilters((f) => ({ ...f, unitId: unitId ?? undefined }))}
        />
      </Space>
      <Table<TEscalationOrder>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        onRow={(o) => ({
          onClick: () => void navigate(`/problems/${o.problemId}`),
          style: { cursor: 'pointer' },
        })}
        columns={[
          {
            title: t({ zh: '签发时间', en: 'Issued' }),
            dataIndex: 'issuedAt',
            width: 150,
            render: (v: string) => formatTime(v),
          },
          {
            title: t({ zh: '等级', en: 'Level' }),
            dataIndex: 'level',
            width: 130,
            render: (l: string) => {
              const level = oneOf(LEVELS, l);
              return level ? (
                <Tag color={ESCALATION_LABELS[level].color}>{t(ESCALATION_LABELS[level])}</Tag>
              ) : (
                l
              );
            },
          },
          { title: t({ zh: '问题编号', en: 'Code' }), dataIndex: 'code', width: 140 },
          { title: t(L.problems.problem), dataIndex: 'title' },
          { title: t(L.org.responsibleUnit), dataIndex: 'unitName', width: 200 },
          {
            title: t(L.problems.rectifyDeadline),
            dataIndex: 'deadline',
            width: 150,
            render: (v: string | null) => formatTime(v),
          },
          {
            title: t(L.common.currentStatus),
            dataIndex: 'state',
            width: 100,
            render: (s: string) => {
              const state = oneOf(PROBLEM_STATES, s);
              return state ? t(PROBLEM_STATE_LABELS[state]) : s;
            },
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
