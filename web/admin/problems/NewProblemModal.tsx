import { App, Checkbox, Form, Input, InputNumber, Modal, Select, Space, TreeSelect } from 'antd';
import {
  PROBLEM_CHANNEL_LABELS,
  SEVERITIES,
  SEVERITY_LABELS,
  ZCreateProblemRequestSchema,
} from '../../../core/contracts/problems.js';
import { Permission } from '../../../core/permissions.js';
import { apiCall } from '../../shared/api.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { PhotoInput } from '../../shared/photos.js';
import { RegionPicker } from '../../shared/pickers.js';
import { categoryTree, useCategories } from '../../shared/use-categories.js';
import { useAuth } from '../auth.js';

const OFFICE_CHANNELS = [
  'office',
  'hotline',
  'media',
  'supervision',
  'inspection',
  'citizen',
] as const;

/** Register a problem: the office records any channel; units and field staff report their own. */
export function NewProblemModal(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (id: number) => void;
}) {
  const [form] = Form.useForm();
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const categories = useCategories();
  const office = can(Permission.ProblemManage);

  const submit = async () => {
    const v = (await form.validateFields()) as Record<string, unknown>;
    const body = Object.fromEntries(
      Object.entries(v).filter(([, x]) => x !== undefined && x !== ''),
    );
    const parsed = ZCreateProblemRequestSchema.safeParse(body);
    if (!parsed.success) {
      message.error(parsed.error.issues[0]?.message ?? 'invalid');
      return;
    }
    try {
      const res = await apiCall('POST /api/problems', { body: parsed.data });
      message.success(
        t({ zh: `已登记 ${res.problem.code}`, en: `Registered ${res.problem.code}` }),
      );
      if (res.similar?.length) {
        const codes = res.similar.map((s) => s.code);
        message.warning(
          t({
            zh: `附近 50 米内有 ${codes.length} 个同类未结问题：${codes.join('、')}，请核实是否重复`,
            en: `${codes.length} open problem(s) of this category within 50 m: ${codes.join(', ')} — check for a duplicate`,
          }),
          8,
        );
      }
      if (res.problem.recurrenceOfId !== null) {
        message.warning(
          t({
            zh: '该位置同类问题近期已销号，已标记为反弹',
            en: 'Closed recently at this place: marked as a recurrence',
          }),
          8,
        );
      }
      form.resetFields();
      props.onCreated(res.problem.id);
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    }
  };

  return (
    <Modal
      open={props.open}
      title={t({ zh: '登记问题', en: 'New problem' })}
      onOk={() => void submit()}
      onCancel={props.onClose}
      destroyOnHidden
      width={640}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ severity: 'normal', channel: 'office', register: true }}
      >
        <Form.Item
          name="title"
          label={t({ zh: '问题标题', en: 'Title' })}
          rules={[{ required: true, min: 2, max: 100 }]}
        >
          <Input
            id="problem-title"
            placeholder={t({
              zh: '如：解放路菜市场门口垃圾堆积',
              en: 'e.g. rubbish piled at the market gate',
            })}
          />
        </Form.Item>
        <Form.Item name="description" label={t(L.problems.description)}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Space.Compact block>
          <Form.Item
            name="categoryId"
            label={t(L.problems.problemCategory)}
            rules={[{ required: true }]}
            style={{ width: '60%' }}
          >
            <TreeSelect
              id="problem-category"
              treeData={categoryTree(categories)}
              showSearch={{ treeNodeFilterProp: 'title' }}
              treeDefaultExpandAll={false}
            />
          </Form.Item>
          <Form.Item
            name="severity"
            label={t({ zh: '紧急程度', en: 'Severity' })}
            style={{ width: '40%', paddingLeft: 8 }}
          >
            <Select options={SEVERITIES.map((s) => ({ value: s, label: t(SEVERITY_LABELS[s]) }))} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="photoIds" label={t({ zh: '现场照片', en: 'Photos' })}>
          <PhotoInput testId="problem-photos" />
        </Form.Item>
        <Form.Item name="regionId" label={t({ zh: '所在区域', en: 'Region' })}>
          <RegionPicker />
        </Form.Item>
        <Form.Item name="address" label={t(L.common.detailedAddress)}>
          <Input />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="lat" label={t(L.common.latitude)} style={{ width: '50%' }}>
            <InputNumber min={-90} max={90} step={0.0001} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="lng"
            label={t(L.common.longitude)}
            style={{ width: '50%', paddingLeft: 8 }}
          >
            <InputNumber min={-180} max={180} step={0.0001} style={{ width: '100%' }} />
          </Form.Item>
        </Space.Compact>
        {office && (
          <Space.Compact block>
            <Form.Item
              name="channel"
              label={t({ zh: '问题来源', en: 'Channel' })}
              style={{ width: '50%' }}
            >
              <Select
                options={OFFICE_CHANNELS.map((c) => ({
                  value: c,
                  label: t(PROBLEM_CHANNEL_LABELS[c]),
                }))}
              />
            </Form.Item>
            <Form.Item
              name="externalRef"
              label={t(L.problems.externalNo)}
              style={{ width: '50%', paddingLeft: 8 }}
            >
              <Input placeholder="12345 …" />
            </Form.Item>
          </Space.Compact>
        )}
        {office && (
          <Form.Item name="register" valuePropName="checked">
            <Checkbox>{t({ zh: '直接立案', en: 'Register at once' })}</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
