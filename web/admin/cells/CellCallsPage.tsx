import {
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import {
  CALL_STATUSES,
  CALL_STATUS_LABELS,
  type TCall,
} from '../../../core/contracts/cell-awards.js';
import {
  CELL_TYPES,
  CELL_TYPE_LABELS,
  HONOUR_LEVELS,
  HONOUR_LEVEL_LABELS,
  type TCellType,
  type THonourLevel,
} from '../../../core/contracts/honours.js';
import { Permission } from '../../../core/permissions.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';

/** The colour of a call's stage. */
export const CALL_STATUS_COLORS: Record<TCall['status'], string> = {
  draft: 'default',
  open: 'blue',
  assessing: 'orange',
  publicity: 'purple',
  decided: 'green',
};

interface CallForm {
  year: number;
  cellType: TCellType;
  level: THonourLevel;
  title: string;
  frameworkId: number;
  applicationDeadline: Dayjs;
  publicityDays: number;
  notes?: string;
}

/** 文明细胞申报: the year's calls (申报通知) by type and level, and a new call. */
export function CellCallsPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [year, setYear] = useState<number | null>(null);
  const [status, setStatus] = useState<TCall['status'] | null>(null);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<CallForm>();
  const write = can(Permission.UnitWrite);
  const calls = useApi('GET /api/cell-award-calls', {
    query: { ...(year ? { year } : {}), ...(status ? { status } : {}) },
  });
  const campaigns = useApi('GET /api/campaigns', creating ? { query: { kind: 'cells' } } : null);
  const create = useApiMutation('POST /api/cell-award-calls');
  useEffect(() => {
    if (calls.error) message.error(errorText(calls.error, lang));
  }, [calls.error, lang, message]);

  const frameworks = useMemo(
    () =>
      (campaigns.data?.items ?? []).flatMap((c) =>
        c.frameworks.map((f) => ({ value: f.id, label: `${f.name}（${c.name}）` })),
      ),
    [campaigns.data],
  );

  async function submit() {
    const v = await form.validateFields();
    try {
      const call = await create.mutateAsync({
        body: {
          year: v.year,
          cellType: v.cellType,
          level: v.level,
          title: v.title,
          frameworkId: v.frameworkId,
          applicationDeadline: v.applicationDeadline.format('YYYY-MM-DD'),
          publicityDays: v.publicityDays,
          notes: v.notes?.trim() || null,
        },
      });
      setCreating(false);
      form.resetFields();
      message.success(t({ zh: '申报通知已创建', en: 'Call created' }));
      void navigate(`/cell-calls/${call.id}`);
    } catch (err) {
      if (!applyFieldErrors(form, err, lang)) message.error(errorText(err, lang));
    }
  }

  return (
    <Card
      title={t({ zh: '文明细胞申报通知', en: 'Civilized-cell calls' })}
      extra={
        <Space>
          <InputNumber
            placeholder={t(L.common.year)}
            min={2000}
            max={2100}
            value={year}
            onChange={(v) => setYear(v ?? null)}
          />
          <Select
            allowClear
            style={{ width: 140 }}
            placeholder={t(L.common.status)}
            value={status ?? undefined}
            onChange={(v?: TCall['status']) => setStatus(v ?? null)}
            options={CALL_STATUSES.map((s) => ({ value: s, label: t(CALL_STATUS_LABELS[s]) }))}
          />
          {write && (
            <Button type="primary" onClick={() => setCreating(true)} data-testid="call-new">
              {t({ zh: '新建申报通知', en: 'New call' })}
            </Button>
          )}
        </Space>
      }
    >
      <Table<TCall>
        rowKey="id"
        size="small"
        loading={calls.isLoading}
        dataSource={calls.data?.items ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t(L.common.year), dataIndex: 'year', width: 70 },
          {
            title: t(L.common.title),
            render: (_, c) => <Link to={`/cell-calls/${c.id}`}>{c.title}</Link>,
          },
          {
            title: t(L.common.type),
            width: 110,
            render: (_, c) => t(CELL_TYPE_LABELS[c.cellType]),
          },
          {
            title: t({ zh: '级别', en: 'Level' }),
            width: 80,
            render: (_, c) => t(HONOUR_LEVEL_LABELS[c.level]),
          },
          { title: t(L.framework.framework), dataIndex: 'frameworkName' },
          {
            title: t({ zh: '组织单位', en: 'Office' }),
            width: 120,
            render: (_, c) => c.officeRegionName ?? t({ zh: '市文明办', en: 'City office' }),
          },
          {
            title: t({ zh: '申报截止', en: 'Deadline' }),
            dataIndex: 'applicationDeadline',
            width: 110,
          },
          { title: t({ zh: '申报数', en: 'Applications' }), dataIndex: 'applications', width: 80 },
          {
            title: t(L.common.status),
            width: 100,
            render: (_, c) => (
              <Tag color={CALL_STATUS_COLORS[c.status]}>{t(CALL_STATUS_LABELS[c.status])}</Tag>
            ),
          },
        ]}
      />
      <Modal
        open={creating}
        destroyOnHidden
        title={t({ zh: '新建申报通知', en: 'New call' })}
        onCancel={() => setCreating(false)}
        onOk={() => void submit()}
        confirmLoading={create.isPending}
      >
        <Form<CallForm>
          form={form}
          layout="vertical"
          initialValues={{
            year: new Date().getFullYear(),
            cellType: 'unit',
            level: 'city',
            publicityDays: 7,
          }}
        >
          <Space wrap>
            <Form.Item name="year" label={t(L.common.year)} rules={[{ required: true }]}>
              <InputNumber min={2000} max={2100} />
            </Form.Item>
            <Form.Item name="cellType" label={t(L.common.type)}>
              <Select
                style={{ width: 140 }}
                options={CELL_TYPES.map((c) => ({ value: c, label: t(CELL_TYPE_LABELS[c]) }))}
              />
            </Form.Item>
            <Form.Item name="level" label={t({ zh: '级别', en: 'Level' })}>
              <Select
                style={{ width: 100 }}
                options={HONOUR_LEVELS.map((l) => ({ value: l, label: t(HONOUR_LEVEL_LABELS[l]) }))}
              />
            </Form.Item>
          </Space>
          <Form.Item name="title" label={t(L.common.title)} rules={[{ required: true, max: 100 }]}>
            <Input placeholder="2026年度市级文明单位申报" />
          </Form.Item>
          <Form.Item
            name="frameworkId"
            label={t(L.framework.framework)}
            rules={[{ required: true }]}
          >
            {/* Only the frameworks of 文明细胞 campaigns: the city's own frameworks score the city. */}
            <Select
              options={frameworks}
              loading={campaigns.isLoading}
              data-testid="call-framework"
            />
          </Form.Item>
          <Space wrap>
            <Form.Item
              name="applicationDeadline"
              label={t({ zh: '申报截止日期', en: 'Application deadline' })}
              rules={[{ required: true }]}
            >
              <DatePicker />
            </Form.Item>
            <Form.Item
              name="publicityDays"
              label={t({ zh: '公示天数', en: 'Publicity days' })}
              rules={[{ required: true }]}
            >
              <InputNumber min={1} max={30} />
            </Form.Item>
          </Space>
          <Form.Item name="notes" label={t(L.common.notes)}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
