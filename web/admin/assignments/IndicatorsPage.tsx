import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { TIndicator, TIndicatorValue } from '../../../core/contracts/indicators.js';
import { Permission } from '../../../core/permissions.js';
import { keepPreviousData } from '@tanstack/react-query';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { apiCall, fileForm } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';
import { UnitPicker } from '../../shared/pickers.js';
import { useAuth } from '../auth.js';
import { CHART_COLORS, Chart, type ChartOption } from '../chart.js';
import { CITY_CAMPAIGNS } from '../framework/city-campaigns.js';

const DIRECTION = { gte: '≥', lte: '≤' } as const;
const PERIOD_LABELS = {
  month: { zh: '按月', en: 'Monthly' },
  quarter: { zh: '按季', en: 'Quarterly' },
};

/** The reported values against the target line; a point below target is red. */
function TrendChart({ ind }: { ind: TIndicator }) {
  const { t } = useI18n();
  const option = useMemo((): ChartOption => {
    // The axis spans the values and the target with some room, so one point still reads well.
    const all = [...ind.trend.map((p) => p.value), ind.target];
    const lo = Math.min(...all);
    const hi = Math.max(...all);
    const pad = Math.max((hi - lo) * 0.2, Math.abs(hi) * 0.02, 1);
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 72, top: 16, bottom: 28 },
      xAxis: { type: 'category', data: ind.trend.map((p) => p.period) },
      yAxis: {
        type: 'value',
        min: Math.floor(lo - pad),
        max: Math.ceil(hi + pad),
        axisLabel: { formatter: `{value}${ind.measure}` },
      },
      series: [
        {
          name: ind.name,
          type: 'line',
          data: ind.trend.map((p) => ({
            value: p.value,
            itemStyle: { color: p.met ? CHART_COLORS.good : CHART_COLORS.bad },
          })),
          symbolSize: 8,
          lineStyle: { color: CHART_COLORS.primary },
          markLine: {
            symbol: 'none',
            lineStyle: { type: 'dashed', color: CHART_COLORS.warn },
            label: { formatter: `${t(L.common.target)} ${ind.target}${ind.measure}` },
            data: [{ yAxis: ind.target }],
          },
        },
      ],
    };
  }, [ind, t]);
  const met = ind.trend.filter((p) => p.met).length;
  const target = `${DIRECTION[ind.direction]} ${ind.target}${ind.measure}`;
  const latest = ind.latest ? `${ind.latest.period} ${ind.latest.value}${ind.measure}` : '—';
  return (
    <Chart
      option={option}
      empty={ind.trend.length === 0}
      emptyText={t({ zh: '尚无报送数据', en: 'No values yet' })}
      height={200}
      summary={t({
        zh: `${ind.name}（目标 ${target}）近 ${ind.trend.length} 期报送值：${met} 期达标，最新 ${latest}`,
        en: `${ind.name} (target ${target}), ${ind.trend.length} periods reported: ${met} met, latest ${latest}`,
      })}
      data-testid={`trend-${ind.id}`}
    />
  );
}

function ComplianceTag({ ind }: { ind: TIndicator }) {
  const { t } = useI18n();
  if (ind.compliant === null) return <Tag>{t({ zh: '未报送', en: 'Not reported' })}</Tag>;
  return ind.compliant ? (
    <Tag color="success">{t(L.framework.met)}</Tag>
  ) : (
    <Tag color="error">{t(L.framework.notMet)}</Tag>
  );
}

interface ReportValues {
  period: string;
  value: number;
  note?: string;
}

/** The responsible unit reports one period's value, with an optional photo of the evidence. */
function ReportModal(props: { ind: TIndicator; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReportValues>();
  const [fileIds, setFileIds] = useState<string[]>([]);
  // One client id per form: pressing OK twice (or a retry) never stores two values.
  const [clientId] = useState(() => crypto.randomUUID());
  const periods = [...props.ind.missing, props.ind.currentPeriod].filter(
    (p) => !props.ind.trend.some((v) => v.period === p),
  );
  // Refetches the indicators (every read under /api/indicators).
  const report = useApiMutation('POST /api/indicators/:id/values');
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await report.mutateAsync({
        params: { id: props.ind.id },
        body: { ...v, fileIds, clientId },
      });
      message.success(t(L.framework.reported));
      props.onClose();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };
  return (
    <Modal
      open
      title={`${t(L.framework.report)}：${props.ind.name}`}
      onOk={() => void submit()}
      onCancel={props.onClose}
      okText={t(L.framework.report)}
    >
      <Form form={form} layout="vertical" initialValues={{ period: periods[0] }}>
        <Form.Item
          name="period"
          label={t(L.framework.reportingPeriod)}
          rules={[{ required: true }]}
        >
          <Select
            data-testid="report-period"
            options={periods.map((p) => ({
              value: p,
              label: props.ind.missing.includes(p)
                ? `${p}（${t({ zh: '缺报', en: 'missing' })}）`
                : p,
            }))}
          />
        </Form.Item>
        <Form.Item
          name="value"
          label={`${t(L.common.value)}（${props.ind.measure}）`}
          rules={[{ required: true }]}
          extra={`${t(L.common.target)} ${DIRECTION[props.ind.direction]} ${props.ind.target}${props.ind.measure}`}
        >
          <InputNumber style={{ width: '100%' }} data-testid="report-value" />
        </Form.Item>
        <Form.Item name="note" label={t(L.common.note)}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Upload
          accept="image/*"
          showUploadList
          customRequest={({ file, onSuccess, onError }) => {
            apiCall('POST /api/files', { body: fileForm(file as File, (file as File).name) })
              .then((r) => {
                setFileIds((ids) => [...ids, r.id]);
                onSuccess?.(r);
              })
              .catch((err: unknown) => {
                message.error(errorText(err, lang));
                onError?.(err as Error);
              });
          }}
        >
          <Button icon={<UploadOutlined />}>
            {t({ zh: '上传佐证照片（可选）', en: 'Evidence photo (optional)' })}
          </Button>
        </Upload>
      </Form>
    </Modal>
  );
}

/** Direction, target and unit of measure: the same three fields when defining and editing. */
function TargetFields({ testId }: { testId: string }) {
  const { t } = useI18n();
  const req = [{ required: true }];
  return (
    <>
      <Form.Item name="direction" label={t({ zh: '方向', en: 'Direction' })} rules={req}>
        <Select
          style={{ width: 90 }}
          options={[
            { value: 'gte', label: '≥' },
            { value: 'lte', label: '≤' },
          ]}
        />
      </Form.Item>
      <Form.Item name="target" label={t({ zh: '目标值', en: 'Target' })} rules={req}>
        <InputNumber data-testid={testId} />
      </Form.Item>
      <Form.Item name="measure" label={t({ zh: '计量单位', en: 'Unit of measure' })} rules={req}>
        <Input style={{ width: 100 }} />
      </Form.Item>
    </>
  );
}

interface DefineValues {
  frameworkId: number;
  standardKey: string;
  name: string;
  measure: string;
  target: number;
  direction: 'gte' | 'lte';
  period: 'month' | 'quarter';
  startPeriod: string;
  responsibleUnitId: number;
}

/** The office defines an indicator on a standard of a framework in force. */
function DefineModal(props: { onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<DefineValues>();
  const campaigns = useApi('GET /api/campaigns', CITY_CAMPAIGNS).data?.items;
  const frameworks = useMemo(
    () =>
      (campaigns ?? []).flatMap((c) =>
        c.frameworks.map((f) => ({
          id: f.id,
          name: `${c.name} · ${f.name}`,
          versionId: f.currentVersionId ?? f.draftVersionId,
        })),
      ),
    [campaigns],
  );
  const frameworkId = Form.useWatch('frameworkId', form);
  // The first framework, once they are known.
  useEffect(() => {
    if (frameworks[0] && form.getFieldValue('frameworkId') === undefined)
      form.setFieldValue('frameworkId', frameworks[0].id);
  }, [frameworks, form]);
  const versionId = frameworks.find((f) => f.id === frameworkId)?.versionId ?? null;
  const tree = useApi(
    'GET /api/framework-versions/:id/tree',
    versionId ? { params: { id: versionId } } : null,
  ).data;
  const standards = useMemo(
    () =>
      (tree?.items ?? []).flatMap((i) =>
        i.children.flatMap((c) =>
          c.children.map((s) => ({ value: s.key, label: `${s.code} ${s.text}` })),
        ),
      ),
    [tree],
  );
  const create = useApiMutation('POST /api/indicators');
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await create.mutateAsync({ body: v });
      message.success(t({ zh: '已新增指标', en: 'Indicator added' }));
      props.onClose();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };
  const req = [{ required: true }];
  return (
    <Modal
      open
      width={640}
      title={t({ zh: '新增硬性指标', en: 'New indicator' })}
      onOk={() => void submit()}
      onCancel={props.onClose}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ measure: '%', direction: 'gte', period: 'month' }}
      >
        <Form.Item name="frameworkId" label={t(L.framework.framework)} rules={req}>
          <Select options={frameworks.map((f) => ({ value: f.id, label: f.name }))} />
        </Form.Item>
        <Form.Item name="standardKey" label={t(L.framework.standard)} rules={req}>
          <Select
            data-testid="define-standard"
            showSearch={{ optionFilterProp: 'label' }}
            options={standards}
          />
        </Form.Item>
        <Form.Item name="name" label={t({ zh: '指标名称', en: 'Name' })} rules={req}>
          <Input data-testid="define-name" placeholder="路灯亮灯率" />
        </Form.Item>
        <Space wrap>
          <TargetFields testId="define-target" />
          <Form.Item name="period" label={t(L.framework.reportingPeriod)} rules={req}>
            <Select
              style={{ width: 110 }}
              options={(['month', 'quarter'] as const).map((p) => ({
                value: p,
                label: t(PERIOD_LABELS[p]),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="startPeriod"
            label={t({ zh: '起报周期', en: 'First period' })}
            rules={req}
            tooltip="2026-01 / 2026-Q1"
          >
            <Input data-testid="define-start" style={{ width: 120 }} placeholder="2026-01" />
          </Form.Item>
        </Space>
        <Form.Item name="responsibleUnitId" label={t(L.org.responsibleUnit)} rules={req}>
          <UnitPicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface EditValues {
  name: string;
  measure: string;
  target: number;
  direction: 'gte' | 'lte';
  notes?: string | null;
}

/** The office changes an indicator's definition (a stale version is refused) or deletes an unused one. */
function EditModal(props: { ind: TIndicator; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<EditValues>();
  const { ind } = props;
  const update = useApiMutation('PATCH /api/indicators/:id');
  const remove = useApiMutation('DELETE /api/indicators/:id');
  const save = async () => {
    const v = await form.validateFields();
    try {
      await update.mutateAsync({ params: { id: ind.id }, body: { ...v, version: ind.version } });
      message.success(t(L.common.saved));
      props.onClose();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };
  const confirmRemove = () =>
    modal.confirm({
      title: t({ zh: `删除指标「${ind.name}」？`, en: `Delete the indicator "${ind.name}"?` }),
      content: t({
        zh: '已有报送数据的指标不能删除。',
        en: 'An indicator with reported values cannot be deleted.',
      }),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await remove.mutateAsync({ params: { id: ind.id }, query: { version: ind.version } });
          message.success(t(L.common.deleted));
          props.onClose();
        } catch (err) {
          message.error(errorText(err, lang));
        }
      },
    });
  const req = [{ required: true }];
  return (
    <Modal
      open
      title={`${t({ zh: '修改指标', en: 'Edit indicator' })}：${ind.name}`}
      onCancel={props.onClose}
      footer={[
        <Button key="del" danger onClick={confirmRemove} data-testid="indicator-delete">
          {t(L.common.delete)}
        </Button>,
        <Button key="cancel" onClick={props.onClose}>
          {t(L.common.cancel)}
        </Button>,
        <Button key="ok" type="primary" onClick={() => void save()} data-testid="indicator-save">
          {t(L.common.save)}
        </Button>,
      ]}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          name: ind.name,
          measure: ind.measure,
          target: ind.target,
          direction: ind.direction,
          notes: ind.notes,
        }}
      >
        <Typography.Paragraph type="secondary">
          {ind.standardCode} {ind.standardText} · {ind.responsibleUnitName}
        </Typography.Paragraph>
        <Form.Item name="name" label={t({ zh: '指标名称', en: 'Name' })} rules={req}>
          <Input />
        </Form.Item>
        <Space wrap>
          <TargetFields testId="edit-target" />
        </Space>
        <Form.Item name="notes" label={t(L.common.notes)}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * Every reported value of an indicator; the responsible unit corrects a value with a reason
 * (audited with before and after; a stale version is refused).
 */
function ValuesModal(props: { ind: TIndicator; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { user } = useAuth();
  const { ind } = props;
  const valuesQ = useApi('GET /api/indicators/:id/values', { params: { id: ind.id } });
  const values = valuesQ.data ?? null;
  useEffect(() => {
    if (valuesQ.error) message.error(errorText(valuesQ.error, lang));
  }, [valuesQ.error, lang, message]);
  const [editing, setEditing] = useState<TIndicatorValue | null>(null);
  const [form] = Form.useForm<{ value: number; note: string }>();
  // A corrected value changes the indicator's compliance and trend: its values and the list.
  const correctValue = useApiMutation('PATCH /api/indicator-values/:id', {
    invalidates: ['GET /api/indicators'],
  });
  const mayCorrect = user?.unitId === ind.responsibleUnitId;
  const correct = async () => {
    if (!editing) return;
    const v = await form.validateFields();
    try {
      await correctValue.mutateAsync({
        params: { id: editing.id },
        body: { ...v, version: editing.version },
      });
      message.success(t(L.common.corrected));
      setEditing(null);
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };
  return (
    <Modal
      open
      width={720}
      title={`${t({ zh: '报送记录', en: 'Reported values' })}：${ind.name}`}
      footer={null}
      onCancel={props.onClose}
    >
      <Table<TIndicatorValue>
        rowKey="id"
        size="small"
        loading={values === null}
        dataSource={values ?? []}
        pagination={false}
        data-testid="indicator-values"
        columns={[
          { title: t(L.common.period), dataIndex: 'period', width: 90 },
          {
            title: t(L.common.value),
            width: 110,
            render: (_: unknown, v) => (
              <Space size={4}>
                {v.value}
                {ind.measure}
                <Tag color={v.met ? 'success' : 'error'}>
                  {v.met ? t(L.framework.met) : t(L.framework.notMet)}
                </Tag>
              </Space>
            ),
          },
          { title: t(L.common.note), dataIndex: 'note', ellipsis: true },
          { title: t({ zh: '报送人', en: 'By' }), dataIndex: 'reportedBy', width: 90 },
          {
            title: t(L.framework.version),
            dataIndex: 'version',
            width: 60,
          },
          {
            title: '',
            width: 70,
            render: (_: unknown, v) =>
              mayCorrect && (
                <Button
                  size="small"
                  data-testid={`correct-${v.period}`}
                  onClick={() => {
                    form.setFieldsValue({ value: v.value, note: '' });
                    setEditing(v);
                  }}
                >
                  {t(L.common.correct)}
                </Button>
              ),
          },
        ]}
      />
      {editing && (
        <Card
          size="small"
          style={{ marginTop: 12 }}
          title={`${t(L.common.correct)} ${editing.period}`}
        >
          <Form form={form} layout="inline">
            <Form.Item name="value" rules={[{ required: true }]}>
              <InputNumber data-testid="correct-value" suffix={ind.measure} />
            </Form.Item>
            <Form.Item
              name="note"
              rules={[
                {
                  required: true,
                  min: 2,
                  message: t(L.common.giveCorrectionReason),
                },
              ]}
            >
              <Input
                data-testid="correct-note"
                style={{ width: 260 }}
                placeholder={t(L.common.correctionReasonRequired)}
              />
            </Form.Item>
            <Button type="primary" onClick={() => void correct()} data-testid="correct-save">
              {t(L.common.submitCorrection)}
            </Button>
          </Form>
        </Card>
      )}
    </Modal>
  );
}

/**
 * 硬性指标: every indicator with its compliance, missing periods and trend (the office and leaders
 * see all; a unit sees and reports its own).
 */
export function IndicatorsPage() {
  const { t, lang } = useI18n();
  const { user, can } = useAuth();
  const { message } = App.useApp();
  const [groupId, setGroupId] = useState<number | undefined>(undefined);
  // Working groups filter the list when there are any (none on an error).
  const groups = useApi('GET /api/working-groups', {}).data?.items ?? [];
  // Every write under /api/indicators refetches the list; the last one stays while another
  // working group's is asked.
  const list = useApi(
    'GET /api/indicators',
    { query: { groupId } },
    { placeholderData: keepPreviousData },
  );
  useEffect(() => {
    if (list.error) message.error(errorText(list.error, lang));
  }, [list.error, lang, message]);
  const items = list.data?.items ?? [];
  // The first 12 trends are open until the user opens or closes one (for this working group).
  const [opened, setOpened] = useState<{ groupId: number | undefined; keys: number[] } | null>(
    null,
  );
  const expanded =
    opened && opened.groupId === groupId ? opened.keys : items.slice(0, 12).map((i) => i.id);
  /** The one dialog open on an indicator: report a value, edit it, or its value history. */
  const [dialog, setDialog] = useState<{
    kind: 'report' | 'edit' | 'values';
    ind: TIndicator;
  } | null>(null);
  const closeDialog = () => setDialog(null);
  const [defining, setDefining] = useState(false);
  const met = items.filter((i) => i.compliant === true).length;
  const missing = items.reduce((n, i) => n + i.missing.length, 0);

  return (
    <Card
      title={t({ zh: '硬性指标', en: 'Quantitative indicators' })}
      extra={
        <Space>
          <Select
            allowClear
            style={{ width: 180 }}
            placeholder={t(L.org.allWorkingGroups)}
            value={groupId}
            onChange={(v?: number) => setGroupId(v)}
            options={groups.map((g) => ({ value: g.id, label: g.name }))}
            data-testid="indicator-group"
          />
          {can(Permission.AssignmentWrite) && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setDefining(true)}
              data-testid="define-indicator"
            >
              {t({ zh: '新增指标', en: 'New indicator' })}
            </Button>
          )}
        </Space>
      }
    >
      <Space size={48} style={{ marginBottom: 16 }} data-testid="indicator-summary">
        <Statistic title={t({ zh: '指标数', en: 'Indicators' })} value={items.length} />
        <Statistic
          title={t(L.framework.met)}
          value={met}
          suffix={`/ ${items.length}`}
          styles={{ content: { color: CHART_COLORS.good } }}
        />
        <Statistic
          title={t({ zh: '缺报期数', en: 'Missing reports' })}
          value={missing}
          styles={missing ? { content: { color: CHART_COLORS.bad } } : undefined}
        />
      </Space>
      <Table<TIndicator>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={items}
        pagination={{ pageSize: 20 }}
        data-testid="indicators"
        expandable={{
          expandedRowKeys: expanded,
          onExpandedRowsChange: (keys) => setOpened({ groupId, keys: keys as number[] }),
          expandedRowRender: (i) => <TrendChart ind={i} />,
        }}
        columns={[
          {
            title: t(L.framework.indicator),
            render: (_: unknown, i) => (
              <>
                <div style={{ fontWeight: 500 }}>{i.name}</div>
                <div style={{ color: '#888', fontSize: 12 }}>
                  {i.standardCode} {i.standardText}
                </div>
              </>
            ),
          },
          {
            title: t(L.common.target),
            width: 100,
            render: (_: unknown, i) => `${DIRECTION[i.direction]} ${i.target}${i.measure}`,
          },
          {
            title: t(L.common.period),
            width: 70,
            render: (_: unknown, i) => t(PERIOD_LABELS[i.period]),
          },
          {
            title: t(L.org.responsibleUnit),
            dataIndex: 'responsibleUnitName',
            width: 170,
          },
          {
            title: t({ zh: '最新值', en: 'Latest' }),
            width: 130,
            render: (_: unknown, i) =>
              i.latest ? (
                <span>
                  <b>
                    {i.latest.value}
                    {i.measure}
                  </b>
                  <span style={{ color: '#888', fontSize: 12 }}> · {i.latest.period}</span>
                </span>
              ) : (
                '—'
              ),
          },
          {
            title: t(L.framework.met),
            width: 90,
            render: (_: unknown, i) => <ComplianceTag ind={i} />,
          },
          {
            title: t({ zh: '缺报', en: 'Missing' }),
            width: 150,
            render: (_: unknown, i) =>
              i.missing.length ? (
                <Space size={2} wrap>
                  {i.missing.slice(-3).map((p) => (
                    <Tag key={p} color="warning">
                      {p}
                    </Tag>
                  ))}
                  {i.missing.length > 3 && `+${i.missing.length - 3}`}
                </Space>
              ) : (
                <span style={{ color: '#888' }}>{t(L.common.none)}</span>
              ),
          },
          {
            title: '',
            width: 170,
            render: (_: unknown, i) => (
              <Space size={4}>
                {user?.unitId === i.responsibleUnitId && (
                  <Button
                    size="small"
                    type="primary"
                    data-testid="report-indicator"
                    onClick={() => setDialog({ kind: 'report', ind: i })}
                  >
                    {t(L.framework.report)}
                  </Button>
                )}
                <Button
                  size="small"
                  data-testid="indicator-history"
                  onClick={() => setDialog({ kind: 'values', ind: i })}
                >
                  {t({ zh: '记录', en: 'Values' })}
                </Button>
                {can(Permission.AssignmentWrite) && (
                  <Button
                    size="small"
                    data-testid="indicator-edit"
                    onClick={() => setDialog({ kind: 'edit', ind: i })}
                  >
                    {t(L.common.modify)}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {dialog?.kind === 'report' && <ReportModal ind={dialog.ind} onClose={closeDialog} />}
      {dialog?.kind === 'edit' && <EditModal ind={dialog.ind} onClose={closeDialog} />}
      {dialog?.kind === 'values' && <ValuesModal ind={dialog.ind} onClose={closeDialog} />}
      {defining && <DefineModal onClose={() => setDefining(false)} />}
    </Card>
  );
}
