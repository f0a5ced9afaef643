import { App, Checkbox, Form, Input, InputNumber, Modal, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import type { TSimulationTarget } from '../../../core/contracts/simulations.js';
import { DEFAULT_MAX_RINGS } from '../../../core/inspection/simulation.js';
import { apiCall } from '../../shared/api.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { UnitPicker } from '../../shared/pickers.js';

interface TargetValues {
  standardKey: string;
  name: string;
  contact: string;
  unitId: number;
  judgeRings: boolean;
  maxRings?: number;
  requireCorrect: boolean;
  judgeCallback: boolean;
  callbackDays?: number;
  script?: string;
  active: boolean;
}

/**
 * The office adds what to call for a simulation standard (or edits one): the number or address,
 * the unit answerable, and the pass criteria — rings allowed (default 5), whether the answer must
 * be correct, the working days a promised call-back may take.
 */
export function SimulationTargetModal(props: {
  frameworkId: number;
  /** The framework's simulation standards, by key. */
  standards: { key: string; label: string }[];
  target?: TSimulationTarget;
  onClose: (changed: boolean) => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<TargetValues>();
  const [saving, setSaving] = useState(false);
  const judgeRings = Form.useWatch('judgeRings', form) ?? true;
  const judgeCallback = Form.useWatch('judgeCallback', form) ?? false;
  const x = props.target;
  // The standards may arrive after the dialog opens: the first one is the default.
  const firstKey = props.standards[0]?.key;
  useEffect(() => {
    if (!x && firstKey && !form.getFieldValue('standardKey')) {
      form.setFieldValue('standardKey', firstKey);
    }
  }, [firstKey, form, x]);
  const submit = async () => {
    const v = await form.validateFields();
    const fields = {
      name: v.name,
      contact: v.contact,
      unitId: v.unitId,
      maxRings: v.judgeRings ? (v.maxRings ?? DEFAULT_MAX_RINGS) : null,
      requireCorrect: v.requireCorrect,
      callbackDays: v.judgeCallback ? (v.callbackDays ?? null) : null,
      script: v.script?.trim() ? v.script.trim() : null,
    };
    setSaving(true);
    try {
      if (x) {
        await apiCall('PATCH /api/simulation-targets/:id', {
          params: { id: x.id },
          body: { ...fields, active: v.active, version: x.version },
        });
      } else {
        await apiCall('POST /api/simulation-targets', {
          body: { ...fields, frameworkId: props.frameworkId, standardKey: v.standardKey },
        });
      }
      message.success(t(L.common.saved));
      props.onClose(true);
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    } finally {
      setSaving(false);
    }
  };
  const req = [{ required: true }];
  return (
    <Modal
      open
      width={600}
      destroyOnHidden
      title={
        x
          ? t({ zh: '修改模拟验证对象', en: 'Edit simulation target' })
          : t({ zh: '新增模拟验证对象', en: 'New simulation target' })
      }
      okButtonProps={{ loading: saving, id: 'target-save' }}
      onOk={() => void submit()}
      onCancel={() => props.onClose(false)}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={
          x
            ? {
                ...x,
                judgeRings: x.maxRings !== null,
                maxRings: x.maxRings ?? DEFAULT_MAX_RINGS,
                judgeCallback: x.callbackDays !== null,
                callbackDays: x.callbackDays ?? 7,
                script: x.script ?? '',
              }
            : {
                standardKey: props.standards[0]?.key,
                judgeRings: true,
                maxRings: DEFAULT_MAX_RINGS,
                requireCorrect: true,
                judgeCallback: false,
                callbackDays: 7,
                active: true,
              }
        }
      >
        <Form.Item name="standardKey" label={t(L.framework.standard)} rules={req}>
          <Select
            disabled={!!x}
            options={props.standards.map((s) => ({ value: s.key, label: s.label }))}
            data-testid="target-standard"
          />
        </Form.Item>
        <Form.Item name="name" label={t(L.common.name)} rules={req}>
          <Input placeholder="12348 公共法律服务热线" data-testid="target-name" />
        </Form.Item>
        <Form.Item
          name="contact"
          label={t({ zh: '号码或地址', en: 'Number or address' })}
          rules={req}
        >
          <Input placeholder="12348" data-testid="target-contact" />
        </Form.Item>
        <Form.Item name="unitId" label={t(L.org.responsibleUnit)} rules={req}>
          <UnitPicker initialLabel={x?.unitName ?? null} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="judgeRings" valuePropName="checked">
            <Checkbox>{t({ zh: '判接通时间', en: 'Judge the wait' })}</Checkbox>
          </Form.Item>
          {judgeRings && (
            <Form.Item
              name="maxRings"
              label={t({ zh: '最多响铃（声）', en: 'Max rings' })}
              tooltip={t({
                zh: '无官方数值，默认 5 声（约 25 秒），可按本地要求调整',
                en: 'No official number: 5 rings (≈ 25 s) by default; set your own',
              })}
            >
              <InputNumber min={1} max={30} data-testid="target-rings" />
            </Form.Item>
          )}
          <Form.Item name="requireCorrect" valuePropName="checked">
            <Checkbox>{t({ zh: '要求答复准确', en: 'Answer must be correct' })}</Checkbox>
          </Form.Item>
          <Form.Item name="judgeCallback" valuePropName="checked">
            <Checkbox data-testid="target-judge-callback">
              {t({ zh: '判承诺回复时限', en: 'Judge call-backs' })}
            </Checkbox>
          </Form.Item>
          {judgeCallback && (
            <Form.Item
              name="callbackDays"
              label={t({ zh: '回复时限（工作日）', en: 'Working days' })}
            >
              <InputNumber min={1} max={60} />
            </Form.Item>
          )}
        </Space>
        <Form.Item
          name="script"
          label={t({ zh: '验证情景（拨打话术）', en: 'Scenario (what to ask)' })}
        >
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        {x && (
          <Form.Item name="active" valuePropName="checked">
            <Checkbox>{t({ zh: '在用（停用后不再记录新的拨打）', en: 'In use' })}</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
