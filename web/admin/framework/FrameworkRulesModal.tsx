import { Alert, App, Checkbox, Form, InputNumber, Modal, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { TCampaign } from '../../../core/contracts/frameworks.js';
import { checkFrameworkRules, type TFrameworkRules } from '../../../core/scoring/rules.js';
import { apiCall } from '../../shared/api.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import {
  CurveFields,
  CycleFields,
  FloorFields,
  formToCurve,
  formToFloor,
  MethodFields,
  rulesToForm,
  type RulesFormValues,
} from './ScoringRulesFields.js';

/** The keys of a form's values that are set (a part's fields not yet registered are undefined). */
const defined = <T extends object>(v: T): Partial<T> =>
  Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as Partial<T>;

type Part = 'methodWeights' | 'cycleWeights' | 'surveyFloor' | 'surveyCurve';

interface Values extends RulesFormValues {
  own: Part[];
  share: number | null;
  gate: number | null;
}

/**
 * A framework's own assessment rules: each part either its own or the campaign's, and how the
 * campaign combines it with the others (a share of the total, a gate to apply). The 未成年人
 * 思想道德建设测评 is the case in point: 20 % of the total, 85 to apply (BRIEF §1.1).
 */
export function FrameworkRulesModal(props: {
  campaign: TCampaign;
  frameworkId: number;
  onClose: (saved: boolean) => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const fw = props.campaign.frameworks.find((f) => f.id === props.frameworkId)!;
  const own = (Form.useWatch('own', form) as Part[] | undefined) ?? [];

  useEffect(() => {
    const r = fw.effectiveRules;
    form.setFieldsValue({
      ...rulesToForm(r),
      own: (Object.keys(r.sources) as Part[]).filter((k) => r.sources[k] === 'framework'),
      share: fw.rules.share ?? null,
      gate: fw.rules.gate ?? null,
    });
  }, [form, fw]);

  const toRules = (v: Values): TFrameworkRules => {
    const out: TFrameworkRules = {};
    if (v.own.includes('methodWeights'))
      out.methodWeights = {
        material: Number(v.material ?? fw.effectiveRules.methodWeights.material),
        field: Number(v.field ?? fw.effectiveRules.methodWeights.field),
        survey: Number(v.survey ?? fw.effectiveRules.methodWeights.survey),
      };
    if (v.own.includes('cycleWeights')) {
      out.cyclePreset = v.cyclePreset;
      // A freshly ticked part is read before its fields register: take the campaign's until then.
      out.cycleWeights = (v.cycleWeights ?? fw.effectiveRules.cycleWeights)
        .slice(0, props.campaign.cycleYears)
        .map(Number);
    }
    const base = rulesToForm(fw.effectiveRules);
    if (v.own.includes('surveyFloor')) out.surveyFloor = formToFloor({ ...base, ...defined(v) });
    if (v.own.includes('surveyCurve')) out.surveyCurve = formToCurve({ ...base, ...defined(v) });
    if (v.share !== null && v.share !== undefined) out.share = Number(v.share);
    if (v.gate !== null && v.gate !== undefined) out.gate = Number(v.gate);
    return out;
  };
  const values = Form.useWatch([], form) as Values | undefined;
  const issues =
    values && values.own ? checkFrameworkRules(toRules(values), props.campaign.cycleYears) : [];

  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await apiCall('PATCH /api/frameworks/:id', {
        params: { id: fw.id },
        body: { rules: toRules(v), version: fw.version },
      });
      message.success(t({ zh: '已保存计分规则', en: 'Rules saved' }));
      props.onClose(true);
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    } finally {
      setSaving(false);
    }
  };

  const PARTS: { key: Part; label: { zh: string; en: string } }[] = [
    { key: 'methodWeights', label: { zh: '得分构成', en: 'Parts of the score' } },
    { key: 'cycleWeights', label: L.framework.cycleWeights },
    { key: 'surveyFloor', label: L.surveys.surveyFloor },
    { key: 'surveyCurve', label: { zh: '问卷计分方式', en: 'Survey scoring' } },
  ];
  return (
    <Modal
      open
      width={720}
      title={t({ zh: `计分规则：${fw.name}`, en: `Scoring rules: ${fw.name}` })}
      onCancel={() => props.onClose(false)}
      onOk={() => void save()}
      okButtonProps={{ id: 'framework-rules-save', loading: saving, disabled: issues.length > 0 }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" data-testid="framework-rules-form">
        <Typography.Paragraph type="secondary">
          {t({
            zh: '未勾选的部分沿用创建周期的设置。卫生城市、园林城市等体系可按各自规则计分。',
            en: 'Parts left unticked follow the campaign. Sanitary and garden-city frameworks can keep their own rules.',
          })}
        </Typography.Paragraph>
        <Form.Item name="own" label={t({ zh: '本体系单独设置', en: 'This framework sets' })}>
          <Checkbox.Group
            options={PARTS.map((p) => ({ value: p.key, label: t(p.label) }))}
            data-testid="framework-rules-own"
          />
        </Form.Item>
        {own.includes('methodWeights') && <MethodFields />}
        {own.includes('cycleWeights') && (
          <CycleFields
            form={form}
            years={props.campaign.cycleYears}
            start={props.campaign.cycleStartYear}
          />
        )}
        {own.includes('surveyFloor') && <FloorFields form={form} />}
        {own.includes('surveyCurve') && <CurveFields form={form} />}
        <Typography.Text strong style={{ display: 'block' }}>
          {t({ zh: '与其他体系合并计分', en: 'Combined with the other frameworks' })}
        </Typography.Text>
        <Space wrap style={{ display: 'flex', marginTop: 8 }}>
          <Form.Item
            name="share"
            label={t({
              zh: '占总分比例（%，空=单独计分）',
              en: 'Share of the total (%, empty = own)',
            })}
          >
            <InputNumber min={0} max={100} id="framework-rules-share" />
          </Form.Item>
          <Form.Item
            name="gate"
            label={t({ zh: '申报门槛（分，空=无）', en: 'Gate to apply (points, empty = none)' })}
          >
            <InputNumber min={0} max={100} id="framework-rules-gate" />
          </Form.Item>
        </Space>
        {issues.map((i) => (
          <Alert key={i.en} type="error" showIcon title={t(i)} style={{ marginBottom: 8 }} />
        ))}
      </Form>
    </Modal>
  );
}
