import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import {
  CAMPAIGN_KIND_LABELS,
  CAMPAIGN_KINDS,
  type TCampaign,
  type TCampaignKind,
} from '../../../core/contracts/frameworks.js';
import { METHOD_BUCKETS } from '../../../core/frameworks/methods.js';
import { SURVEY_FLOOR_EFFECT_LABELS } from '../../../core/scoring/rules.js';
import { FrameworkRulesModal } from './FrameworkRulesModal.js';
import {
  CurveFields,
  CycleFields,
  FloorFields,
  formToCurve,
  formToFloor,
  MethodFields,
  RULE_DEFAULTS,
  rulesToForm,
  type RulesFormValues,
} from './ScoringRulesFields.js';
import { checkCampaignWeights } from '../../../core/frameworks/weights.js';
import { Permission } from '../../../core/permissions.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';

interface FormValues extends RulesFormValues {
  name: string;
  kind: TCampaignKind;
  cycleStartYear: number;
  cycleYears: number;
  applicationDate: string;
}

const DEFAULTS: FormValues = {
  name: '',
  kind: 'city',
  cycleStartYear: new Date().getFullYear(),
  cycleYears: 3,
  cycleWeights: [15, 25, 60],
  applicationDate: '',
  ...RULE_DEFAULTS,
};

/** The kind of a campaign as a tag: 城市测评 (the city's score) or 文明细胞 (cell frameworks). */
export function CampaignKindTag({ kind }: { kind: TCampaignKind }) {
  const { t } = useI18n();
  return (
    <Tag color={kind === 'cells' ? 'green' : 'blue'} data-testid={`campaign-kind-${kind}`}>
      {t(CAMPAIGN_KIND_LABELS[kind])}
    </Tag>
  );
}

/**
 * 创建周期: the campaign's kind, cycle, year weights, method weights and survey floor. Both kinds
 * are listed and edited here: the city's campaigns, and those holding 文明细胞 frameworks.
 */
export function CampaignsPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const list = useApi('GET /api/campaigns', {});
  const items = list.data?.items ?? [];
  const loading = list.isFetching;
  useEffect(() => {
    if (list.error) message.error(errorText(list.error, lang));
  }, [list.error, lang, message]);
  /** Reads the campaigns again (after the framework's rules were saved). */
  const load = () => void list.refetch();
  // Both refetch the campaigns (every read under /api/campaigns).
  const create = useApiMutation('POST /api/campaigns');
  const update = useApiMutation('PATCH /api/campaigns/:id');
  const [editing, setEditing] = useState<TCampaign | 'new' | null>(null);
  const [rulesOf, setRulesOf] = useState<{ campaign: TCampaign; frameworkId: number } | null>(null);
  const [form] = Form.useForm<FormValues>();
  const years = Form.useWatch('cycleYears', form) ?? 3;
  const start = Form.useWatch('cycleStartYear', form) ?? DEFAULTS.cycleStartYear;
  const writable = can(Permission.FrameworkWrite);

  const open = (c: TCampaign | 'new') => {
    setEditing(c);
    form.resetFields();
    form.setFieldsValue(
      c === 'new'
        ? DEFAULTS
        : {
            name: c.name,
            kind: c.kind,
            cycleStartYear: c.cycleStartYear,
            cycleYears: c.cycleYears,
            applicationDate: c.applicationDate ?? '',
            ...rulesToForm(c),
          },
    );
  };

  // The same check the server runs, shown while typing.
  const values = Form.useWatch([], form) as Partial<FormValues> | undefined;
  const issues =
    values && values.cycleWeights
      ? checkCampaignWeights({
          cycleYears: values.cycleYears ?? 3,
          cycleWeights: (values.cycleWeights ?? []).slice(0, values.cycleYears ?? 3).map(Number),
          methodWeights: {
            material: Number(values.material ?? 0),
            field: Number(values.field ?? 0),
            survey: Number(values.survey ?? 0),
          },
        })
      : [];

  const save = async () => {
    const v = await form.validateFields();
    const body = {
      name: v.name,
      cycleStartYear: v.cycleStartYear,
      cycleYears: v.cycleYears,
      cycleWeights: v.cycleWeights.slice(0, v.cycleYears).map(Number),
      methodWeights: { material: v.material, field: v.field, survey: v.survey },
      surveyFloor: formToFloor(v),
      surveyCurve: formToCurve(v),
      cyclePreset: v.cyclePreset,
      applicationDate: v.applicationDate ? v.applicationDate : null,
    };
    try {
      // The kind is chosen once, at creation.
      if (editing === 'new') await create.mutateAsync({ body: { ...body, kind: v.kind } });
      else if (editing)
        await update.mutateAsync({
          params: { id: editing.id },
          body: { ...body, version: editing.version },
        });
      message.success(t(L.common.saved));
      setEditing(null);
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    }
  };

  return (
    <Card
      title={t(L.framework.campaign)}
      extra={
        writable && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => open('new')}
            data-testid="campaign-new"
          >
            {t({ zh: '新建创建周期', en: 'New campaign' })}
          </Button>
        )
      }
    >
      <Table<TCampaign>
        rowKey="id"
        loading={loading}
        dataSource={items}
        pagination={false}
        columns={[
          { title: t(L.common.name), dataIndex: 'name' },
          {
            title: t(L.common.type),
            render: (_: unknown, c) => <CampaignKindTag kind={c.kind} />,
          },
          {
            title: t(L.common.period),
            render: (_: unknown, c) => `${c.cycleStartYear}–${c.cycleStartYear + c.cycleYears - 1}`,
          },
          {
            title: t(L.framework.cycleWeights),
            render: (_: unknown, c) => c.cycleWeights.map((w) => `${w}%`).join(' / '),
          },
          {
            title: t({ zh: '材料 / 实地 / 问卷', en: 'Material / field / survey' }),
            render: (_: unknown, c) =>
              METHOD_BUCKETS.map((b) => `${c.methodWeights[b]}%`).join(' / '),
          },
          {
            title: t(L.surveys.surveyFloor),
            render: (_: unknown, c) =>
              c.surveyFloor.enabled ? (
                <Tag color="orange">
                  {c.surveyFloor.minRate}% · {t(SURVEY_FLOOR_EFFECT_LABELS[c.surveyFloor.effect])}
                </Tag>
              ) : (
                <Tag>{t({ zh: '未启用', en: 'Off' })}</Tag>
              ),
          },
          {
            title: t(L.framework.framework),
            render: (_: unknown, c) => (
              <Space orientation="vertical" size={2}>
                {c.frameworks.map((f) => (
                  <Space key={f.id} size={4}>
                    <Tag>{f.name}</Tag>
                    {f.rules.share !== undefined && (
                      <Tag color="blue">
                        {t({ zh: `占 ${f.rules.share}%`, en: `${f.rules.share}%` })}
                      </Tag>
                    )}
                    {f.rules.gate !== undefined && (
                      <Tag color="purple">
                        {t({ zh: `门槛 ${f.rules.gate}`, en: `gate ${f.rules.gate}` })}
                      </Tag>
                    )}
                    {writable && (
                      <a
                        onClick={() => setRulesOf({ campaign: c, frameworkId: f.id })}
                        data-testid={`framework-rules-${f.id}`}
                      >
                        {t({ zh: '计分规则', en: 'Rules' })}
                      </a>
                    )}
                  </Space>
                ))}
                {c.combineIssues.map((i) => (
                  <Typography.Text key={i.zh} type="danger">
                    {t(i)}
                  </Typography.Text>
                ))}
              </Space>
            ),
          },
          ...(writable
            ? [
                {
                  title: t(L.common.actions),
                  key: 'a',
                  width: 90,
                  render: (_: unknown, c: TCampaign) => (
                    <a onClick={() => open(c)} data-testid={`campaign-edit-${c.id}`}>
                      {t({ zh: '设置', en: 'Settings' })}
                    </a>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={editing !== null}
        title={
          editing === 'new'
            ? t({ zh: '新建创建周期', en: 'New campaign' })
            : t({ zh: '创建周期设置', en: 'Campaign settings' })
        }
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        okButtonProps={{ disabled: issues.length > 0, id: 'campaign-save' }}
        destroyOnHidden
        width={640}
      >
        <Form form={form} layout="vertical" data-testid="campaign-form">
          <Form.Item name="name" label={t(L.common.name)} rules={[{ required: true, min: 2 }]}>
            <Input id="campaign-name" placeholder="示范市创建全国文明城市（2026—2028年）" />
          </Form.Item>
          <Form.Item
            name="kind"
            label={t(L.common.type)}
            extra={
              editing === 'new'
                ? t({
                    zh: '城市测评计入全市得分；文明细胞周期只存放文明单位、文明村镇等测评体系，供申报评选使用，不计入城市得分。创建后不可更改。',
                    en: "A city evaluation makes the city's score; a 文明细胞 campaign only holds the frameworks cells are assessed against in calls, never the city's score. Fixed once created.",
                  })
                : t({ zh: '类型创建后不可更改。', en: 'The kind is fixed once created.' })
            }
          >
            <Radio.Group
              disabled={editing !== 'new'}
              data-testid="campaign-kind"
              options={CAMPAIGN_KINDS.map((k) => ({
                value: k,
                label: t(CAMPAIGN_KIND_LABELS[k]),
              }))}
            />
          </Form.Item>
          <Space wrap>
            <Form.Item
              name="cycleStartYear"
              label={t({ zh: '起始年份', en: 'First year' })}
              rules={[{ required: true }]}
            >
              <InputNumber min={2000} max={2100} id="campaign-start" />
            </Form.Item>
            <Form.Item
              name="cycleYears"
              label={t({ zh: '周期年数', en: 'Years in the cycle' })}
              rules={[{ required: true }]}
            >
              <InputNumber min={1} max={5} />
            </Form.Item>
          </Space>
          <CycleFields form={form} years={years} start={start} />
          <MethodFields />
          <FloorFields form={form} />
          <CurveFields form={form} />
          <Form.Item
            name="applicationDate"
            label={t({ zh: '申报日期（已知时填写）', en: 'Application date (when known)' })}
            rules={[
              {
                pattern: /^\d{4}-\d{2}-\d{2}$/,
                message: t({ zh: '格式：2028-03-31', en: 'Format: 2028-03-31' }),
              },
            ]}
            style={{ maxWidth: 240 }}
          >
            <Input placeholder="2028-03-31" id="campaign-application-date" />
          </Form.Item>
          {issues.map((i) => (
            <Typography.Paragraph
              key={`${i.path.join('.')}-${i.en}`}
              type="danger"
              data-testid="weight-issue"
            >
              {t({ zh: i.zh, en: i.en })}
            </Typography.Paragraph>
          ))}
        </Form>
      </Modal>
      {rulesOf && (
        <FrameworkRulesModal
          campaign={rulesOf.campaign}
          frameworkId={rulesOf.frameworkId}
          onClose={(saved) => {
            setRulesOf(null);
            if (saved) load();
          }}
        />
      )}
    </Card>
  );
}
