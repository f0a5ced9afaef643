import { App, Card, Drawer, Input, List, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import {
  HOLDER_TYPE_LABELS,
  PLAQUE_LABELS,
  PLAQUE_STATUSES,
  type TFrontageDuty,
} from '../../../core/contracts/frontage.js';
import { PROBLEM_STATE_LABELS, PROBLEM_STATES } from '../../../core/problems/lifecycle.js';
import { Permission } from '../../../core/permissions.js';
import { qs } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText, oneOf } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { useApiPages, type PageFilters } from '../../shared/use-cursor-list.js';
import { useAuth } from '../auth.js';
import { ExportButton, ImportButton } from '../ImportButton.js';
import { Pager } from '../Pager.js';

type Filters = PageFilters<'GET /api/frontage-duties'>;
type TPlaqueStatus = (typeof PLAQUE_STATUSES)[number];
const PLAQUE_COLORS = { none: 'default', installed: 'green', damaged: 'orange', missing: 'red' };

/** 门前三包: the register of duty holders, their agreements and plaques, and each one's record. */
export function FrontageDutiesPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({});
  const list = useApiPages('GET /api/frontage-duties', filters);
  const [open, setOpen] = useState<TFrontageDuty | null>(null);
  // The holder's record: the problems in its zone (none shown when it cannot be read).
  const zone = useApi('GET /api/frontage-duties/:id/problems', open && { params: { id: open.id } });
  const record = zone.isError ? [] : (zone.data ?? null);
  const writable = can(Permission.UnitWrite);
  // Refetches the register (and every other read under /api/frontage-duties).
  const patchDuty = useApiMutation('PATCH /api/frontage-duties/:id');

  function show(d: TFrontageDuty) {
    setOpen(d);
  }

  async function setPlaque(d: TFrontageDuty, plaqueStatus: TPlaqueStatus) {
    try {
      const next = await patchDuty.mutateAsync({
        params: { id: d.id },
        body: { plaqueStatus, version: d.version },
      });
      setOpen(next);
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }

  const stateLabel = (s: string) => {
    const state = oneOf(PROBLEM_STATES, s);
    return state ? t(PROBLEM_STATE_LABELS[state]) : s;
  };

  return (
    <Card
      title={t(L.org.frontageDuty)}
      extra={
        <Space>
          {writable && (
            <ImportButton endpoint="POST /api/frontage-duties/import" testId="frontage-import" />
          )}
          <ExportButton href={`/api/frontage-duties/export.xlsx${qs(filters)}`} />
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t({ zh: '名称、编号或地址', en: 'Name, code or address' })}
          onSearch={(q) => setFilters({ ...filters, q: q || undefined })}
          style={{ width: 240 }}
          data-testid="frontage-search"
        />
        <Select
          allowClear
          placeholder={t({ zh: '公示牌', en: 'Plaque' })}
          style={{ width: 140 }}
          options={PLAQUE_STATUSES.map((s) => ({ value: s, label: t(PLAQUE_LABELS[s]) }))}
          onChange={(v?: TPlaqueStatus) => setFilters({ ...filters, plaqueStatus: v })}
        />
        <Select
          allowClear
          placeholder={t(L.org.agreement)}
          style={{ width: 140 }}
          options={[
            { value: 'yes', label: t(L.org.signed) },
            { value: 'no', label: t(L.org.notSigned) },
          ]}
          onChange={(v?: 'yes' | 'no') => setFilters({ ...filters, signed: v })}
        />
      </Space>
      <Table<TFrontageDuty>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 900 }}
        onRow={(d) => ({ onClick: () => void show(d), style: { cursor: 'pointer' } })}
        columns={[
          { title: t(L.common.code), dataIndex: 'code', width: 110 },
          { title: t({ zh: '责任户', en: 'Holder' }), dataIndex: 'holderName' },
          {
            title: t(L.common.type),
            dataIndex: 'holderType',
            width: 110,
            render: (v: TFrontageDuty['holderType']) => t(HOLDER_TYPE_LABELS[v]),
          },
          { title: t(L.org.community), dataIndex: 'regionName', width: 120 },
          {
            title: t(L.org.agreement),
            dataIndex: 'agreementSignedOn',
            width: 110,
            render: (v: string | null) => v ?? <Tag color="red">{t(L.org.notSigned)}</Tag>,
          },
          {
            title: t({ zh: '公示牌', en: 'Plaque' }),
            dataIndex: 'plaqueStatus',
            width: 100,
            render: (v: TFrontageDuty['plaqueStatus']) => (
              <Tag color={PLAQUE_COLORS[v]}>{t(PLAQUE_LABELS[v])}</Tag>
            ),
          },
          {
            title: t({ zh: '近90天问题', en: 'Problems (90 d)' }),
            dataIndex: 'recentProblems',
            width: 120,
            render: (n: number) =>
              n >= 3 ? <Tag color="red">{n}</Tag> : <Typography.Text>{n}</Typography.Text>,
          },
        ]}
      />
      <Pager
        total={list.total}
        pageNumber={list.pageNumber}
        hasPrev={list.hasPrev}
        hasNext={list.hasNext}
        prev={list.prev}
        next={list.next}
      />
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        title={open?.holderName}
        width={Math.min(520, window.innerWidth)}
      >
        {open && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text>
              {open.code} · {t(HOLDER_TYPE_LABELS[open.holderType])} · {open.address ?? '—'}
            </Typography.Text>
            <Typography.Text>
              {t({ zh: '负责人', en: 'Contact' })}: {open.contactName ?? '—'}{' '}
              {open.contactPhone ?? ''}
            </Typography.Text>
            <Typography.Text>
              {t({ zh: '责任内容', en: 'Duties' })}: {open.duties.join('、')} ·{' '}
              {t({ zh: '责任区', en: 'Zone' })}:{' '}
              {open.zone.type === 'LineString'
                ? t({
                    zh: `沿街线段，宽 ${open.bufferM} 米`,
                    en: `frontage, ${open.bufferM} m wide`,
                  })
                : t(L.org.regionArea)}
            </Typography.Text>
            <Space>
              {t({ zh: '公示牌', en: 'Plaque' })}
              <Select
                id="frontage-plaque"
                value={open.plaqueStatus}
                disabled={!writable}
                style={{ width: 140 }}
                options={PLAQUE_STATUSES.map((s) => ({ value: s, label: t(PLAQUE_LABELS[s]) }))}
                onChange={(v: TPlaqueStatus) => void setPlaque(open, v)}
              />
            </Space>
            <Typography.Title level={5}>
              {t({ zh: '责任区内近90天的问题', en: 'Problems in the zone, last 90 days' })}
            </Typography.Title>
            <List
              loading={record === null}
              dataSource={record ?? []}
              locale={{ emptyText: t({ zh: '暂无', en: 'None' }) }}
              renderItem={(p) => (
                <List.Item>
                  <a href={`/problems/${p.id}`}>
                    {p.code} {p.title}
                  </a>
                  <Space>
                    <Tag>{stateLabel(p.state)}</Tag>
                    <Typography.Text type="secondary">{formatTime(p.createdAt)}</Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          </Space>
        )}
      </Drawer>
    </Card>
  );
}
