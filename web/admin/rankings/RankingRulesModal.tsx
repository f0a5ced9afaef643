import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, InputNumber, Modal, Select, Space, Switch } from 'antd';
import { UNIT_TYPES, UNIT_TYPE_LABELS } from '../../../core/contracts/org.js';
import {
  RANKING_MEASURES,
  RANKING_MEASURE_INFO,
  type TRankingRulesConfig,
} from '../../../core/contracts/rankings.js';
import { useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';

/** The office edits the formula, sample size, classes, flag counts and streak consequences. */
export function RankingRulesModal(props: {
  rules: TRankingRulesConfig;
  version: number;
  onClose: (changed: boolean) => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<TRankingRulesConfig>();
  // Reads the rules (and every other read under /api/rankings) again.
  const save = useApiMutation('PUT /api/rankings/rules');
  const submit = async () => {
    const rules = await form.validateFields();
    try {
      await save.mutateAsync({ body: { rules, version: props.version } });
      message.success(t({ zh: '排名规则已保存', en: 'Rules saved' }));
      props.onClose(true);
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };
  return (
    <Modal
      open
      width={760}
      title={t(L.results.rankingRules)}
      onOk={() => void submit()}
      onCancel={() => props.onClose(false)}
      okText={t(L.common.save)}
      okButtonProps={{ 'data-testid': 'rules-save' }}
    >
      <Form form={form} layout="vertical" initialValues={props.rules}>
        <Form.Item label={t({ zh: '计算指标与权重', en: 'Measures and weights' })}>
          <Form.List name="metrics">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline">
                    <Form.Item name={[f.name, 'key']} rules={[{ required: true }]}>
                      <Select
                        style={{ width: 200 }}
                        options={RANKING_MEASURES.map((k) => ({
                          value: k,
                          label: t(RANKING_MEASURE_INFO[k].label),
                        }))}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'weight']} rules={[{ required: true }]}>
                      <InputNumber min={0} max={100} addonAfter={t({ zh: '权重', en: 'weight' })} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ key: undefined, weight: 10 })}
                >
                  {t({ zh: '添加指标', en: 'Add measure' })}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <Space wrap>
          <Form.Item
            name="minSample"
            label={t({ zh: '最小样本数', en: 'Minimum sample' })}
            rules={[{ required: true }]}
          >
            <InputNumber min={0} data-testid="rules-min-sample" />
          </Form.Item>
          <Form.Item name="redPerClass" label={t({ zh: '每类红旗数', en: 'Red flags per class' })}>
            <InputNumber min={0} max={10} />
          </Form.Item>
          <Form.Item
            name="blackPerClass"
            label={t({ zh: '每类黑牌数', en: 'Black cards per class' })}
          >
            <InputNumber min={0} max={10} />
          </Form.Item>
          <Form.Item
            name="autoMonthly"
            label={t({ zh: '每月自动计算', en: 'Monthly snapshot job' })}
            valuePropName="checked"
          >
            <Switch />
          </Form.Item>
        </Space>
        <Form.Item label={t({ zh: '单位类别', en: 'Unit classes' })}>
          <Form.List name="classes">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline" wrap>
                    <Form.Item name={[f.name, 'key']} rules={[{ required: true }]}>
                      <Input style={{ width: 100 }} placeholder="key" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'label', 'zh']} rules={[{ required: true }]}>
                      <Input style={{ width: 110 }} placeholder="中文" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'label', 'en']} rules={[{ required: true }]}>
                      <Input style={{ width: 110 }} placeholder="English" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'unitTypes']} rules={[{ required: true }]}>
                      <Select
                        mode="multiple"
                        style={{ width: 260 }}
                        options={UNIT_TYPES.map((x) => ({
                          value: x,
                          label: t(UNIT_TYPE_LABELS[x]),
                        }))}
                      />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()}>
                  {t({ zh: '添加类别', en: 'Add class' })}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item label={t({ zh: '连续挂牌的处理', en: 'Consequences of consecutive flags' })}>
          <Form.List name="consequences">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline" wrap>
                    <Form.Item name={[f.name, 'flag']} rules={[{ required: true }]}>
                      <Select
                        style={{ width: 110 }}
                        options={[
                          { value: 'red', label: t(L.results.redFlag) },
                          { value: 'black', label: t(L.results.blackFlag) },
                        ]}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'streak']} rules={[{ required: true }]}>
                      <InputNumber min={1} max={24} addonBefore={t({ zh: '连续', en: 'streak' })} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'action', 'zh']} rules={[{ required: true }]}>
                      <Input style={{ width: 140 }} placeholder="处理（中文）" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'action', 'en']} rules={[{ required: true }]}>
                      <Input style={{ width: 140 }} placeholder="Action (English)" />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ flag: 'black' })}
                >
                  {t({ zh: '添加处理', en: 'Add consequence' })}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
      </Form>
    </Modal>
  );
}
