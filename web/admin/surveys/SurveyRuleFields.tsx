import { Button, Card, Form, InputNumber, Space } from 'antd';
import type { TEligibility } from '../../../core/contracts/surveys.js';
import { ELIGIBILITY_PRESETS } from '../../../core/survey/respondent-groups.data.js';
import { L, useI18n } from '../../shared/i18n.js';

/**
 * 调查对象条件 of a questionnaire's group, inside the designer's form (field `eligibility`): the age
 * range and the months of residence (empty: residence does not apply and is not asked), with the
 * presets (市民, 中小学生) one click away.
 */
export function SurveyRuleFields({ readOnly }: { readOnly: boolean }) {
  const { t } = useI18n();
  const form = Form.useFormInstance<{ eligibility: TEligibility }>();
  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      title={t({ zh: '调查对象条件', en: 'Who counts (respondent rule)' })}
      extra={
        !readOnly && (
          <Space size={4} wrap>
            {ELIGIBILITY_PRESETS.map((p) => (
              <Button
                key={p.key}
                size="small"
                data-testid={`rule-preset-${p.key}`}
                onClick={() =>
                  form.setFieldsValue({
                    eligibility: {
                      minAge: p.minAge,
                      maxAge: p.maxAge,
                      minResidentMonths: p.minResidentMonths,
                    },
                  })
                }
              >
                {t(p.label)}
              </Button>
            ))}
          </Space>
        )
      }
    >
      <Space wrap align="start">
        <Form.Item
          name={['eligibility', 'minAge']}
          label={t({ zh: '最低年龄', en: 'Minimum age' })}
          rules={[{ required: true, message: t(L.common.required) }]}
        >
          <InputNumber id="rule-min-age" min={0} max={120} style={{ width: 90 }} />
        </Form.Item>
        <Form.Item
          name={['eligibility', 'maxAge']}
          label={t({ zh: '最高年龄', en: 'Maximum age' })}
          rules={[{ required: true, message: t(L.common.required) }]}
        >
          <InputNumber id="rule-max-age" min={0} max={120} style={{ width: 90 }} />
        </Form.Item>
        <Form.Item
          name={['eligibility', 'minResidentMonths']}
          label={t({ zh: '本地居住满（月）', en: 'Resident at least (months)' })}
          extra={t({
            zh: '留空＝不限居住时间（不询问）',
            en: 'Empty = residence does not apply (not asked)',
          })}
        >
          <InputNumber
            id="rule-resident-months"
            min={0}
            max={1200}
            style={{ width: 120 }}
            placeholder={t({ zh: '不限', en: 'any' })}
          />
        </Form.Item>
      </Space>
    </Card>
  );
}
