import { Form, Input, InputNumber, Select, Space } from 'antd';
import type {
  TChecklistItem,
  TChecklistItemView,
  TQuantityRule,
} from '../../../core/contracts/inspections.js';
import { L, useI18n } from '../../shared/i18n.js';

type Severity = 'normal' | 'capable' | 'always';

/** A checklist item as the editor holds it: the severity as one choice, the count rule flat. */
export interface FormItem {
  text: string;
  guidance?: string | null;
  countRule?: string | null;
  severity: Severity;
  quantityKind: 'none' | 'count' | 'ratio';
  min?: number | null;
  unit?: string | null;
  minPercent?: number | null;
  counted?: string | null;
  of?: string | null;
  standards?: string[];
}

export const NEW_ITEM: FormItem = {
  text: '',
  severity: 'normal',
  quantityKind: 'none',
  standards: [],
};

export function toFormItem(i: TChecklistItemView): FormItem {
  const q = i.quantity;
  return {
    text: i.text,
    guidance: i.guidance,
    countRule: i.countRule,
    severity: i.serious ? 'always' : i.severeCapable ? 'capable' : 'normal',
    quantityKind: q?.kind ?? 'none',
    min: q?.kind === 'count' ? q.min : null,
    unit: q?.kind === 'count' ? q.unit : '处',
    minPercent: q?.kind === 'ratio' ? q.minPercent : null,
    counted: q?.kind === 'ratio' ? q.counted : null,
    of: q?.kind === 'ratio' ? q.of : null,
    standards: i.standards,
  };
}

export function fromFormItem(i: FormItem): TChecklistItem {
  const quantity: TQuantityRule | null =
    i.quantityKind === 'count'
      ? { kind: 'count', min: i.min ?? 1, unit: i.unit?.trim() || '处' }
      : i.quantityKind === 'ratio'
        ? {
            kind: 'ratio',
            minPercent: i.minPercent ?? 100,
            counted: i.counted?.trim() ?? '',
            of: i.of?.trim() ?? '',
          }
        : null;
  return {
    text: i.text,
    guidance: i.guidance?.trim() || null,
    countRule: i.countRule?.trim() || null,
    quantity,
    serious: i.severity === 'always',
    severeCapable: i.severity === 'capable',
    standards: i.standards ?? [],
  };
}

/**
 * The count rule of a checklist item in the point-type editor (core/inspection/quantity.ts): none,
 * at least N of a unit (主干道 ≥ 5 处公益广告), or a rate (亮灯/路灯 ≥ 95 %), and the counting text
 * (route or distance, e.g. 步行300米). BRIEF §2.2.
 */
export function CountRuleFields(props: { name: number; index: number }) {
  const { t } = useI18n();
  const { name, index } = props;
  return (
    <Space wrap align="start" style={{ width: '100%' }}>
      <Form.Item
        name={[name, 'quantityKind']}
        label={t({ zh: '按数量判定', en: 'Judged by a count' })}
        style={{ marginBottom: 8 }}
      >
        <Select
          style={{ width: 150 }}
          data-testid={`pt-item-${index}-quantity`}
          options={[
            { value: 'none', label: t(L.common.no) },
            { value: 'count', label: t({ zh: '数量不少于', en: 'At least N' }) },
            {
              value: 'ratio',
              label: t({ zh: '比例不低于', en: 'A rate of at least' }),
            },
          ]}
        />
      </Form.Item>
      <Form.Item noStyle dependencies={[['checklist', name, 'quantityKind']]}>
        {(form) => {
          const kind = form.getFieldValue(['checklist', name, 'quantityKind']) as
            | FormItem['quantityKind']
            | undefined;
          if (kind === 'count') {
            return (
              <>
                <Form.Item
                  name={[name, 'min']}
                  label={t({ zh: '最少', en: 'Minimum' })}
                  rules={[{ required: true }]}
                  style={{ marginBottom: 8 }}
                >
                  <InputNumber
                    min={1}
                    max={10000}
                    precision={0}
                    style={{ width: 90 }}
                    data-testid={`pt-item-${index}-min`}
                  />
                </Form.Item>
                <Form.Item
                  name={[name, 'unit']}
                  label={t(L.org.unit)}
                  rules={[{ required: true, max: 6 }]}
                  style={{ marginBottom: 8 }}
                >
                  <Input style={{ width: 70 }} placeholder="处" />
                </Form.Item>
              </>
            );
          }
          if (kind === 'ratio') {
            return (
              <>
                <Form.Item
                  name={[name, 'counted']}
                  label={t({ zh: '计数对象', en: 'Counted' })}
                  rules={[{ required: true, max: 20 }]}
                  style={{ marginBottom: 8 }}
                >
                  <Input style={{ width: 90 }} placeholder="亮灯" />
                </Form.Item>
                <Form.Item
                  name={[name, 'of']}
                  label={t({ zh: '总数对象', en: 'Out of' })}
                  rules={[{ required: true, max: 20 }]}
                  style={{ marginBottom: 8 }}
                >
                  <Input style={{ width: 90 }} placeholder="路灯" />
                </Form.Item>
                <Form.Item
                  name={[name, 'minPercent']}
                  label={t({ zh: '不低于(%)', en: 'At least (%)' })}
                  rules={[{ required: true }]}
                  style={{ marginBottom: 8 }}
                >
                  <InputNumber min={1} max={100} precision={0} style={{ width: 80 }} />
                </Form.Item>
              </>
            );
          }
          return null;
        }}
      </Form.Item>
      <Form.Item
        name={[name, 'countRule']}
        label={t({ zh: '计数说明（路线/范围）', en: 'How to count' })}
        style={{ marginBottom: 8 }}
      >
        <Input
          style={{ width: 240 }}
          maxLength={200}
          placeholder={t({ zh: '如：步行300米', en: 'e.g. walk 300 m' })}
        />
      </Form.Item>
    </Space>
  );
}
