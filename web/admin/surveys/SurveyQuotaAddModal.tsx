import { App, Form, InputNumber, Modal, Radio, Select } from 'antd';
import { REGION_LEVEL_LABELS } from '../../../core/contracts/org.js';
import {
  COLLECTION_MODE_LABELS,
  COLLECTION_MODES,
  type TCollectionMode,
} from '../../../core/survey/modes.js';
import { apiCall } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { useRegions } from '../../shared/pickers.js';

/** What a quota's target counts, per mode: households at home, interviews in the street. */
export const TARGET_LABELS: Record<TCollectionMode, { zh: string; en: string }> = {
  household: { zh: '目标户数', en: 'Target households' },
  street: { zh: '目标份数', en: 'Target interviews' },
};
export const WEIGHT_LABELS: Record<TCollectionMode, { zh: string; en: string }> = {
  household: { zh: '代表户数（用于加权，可空）', en: 'Households represented (weight)' },
  street: { zh: '代表人数（用于加权，可空）', en: 'People represented (weight)' },
};

type Values = {
  regionIds: number[];
  group: string;
  mode: TCollectionMode;
  target: number;
  population?: number;
};

/**
 * 设置配额: quotas of one group and mode on the regions picked — households on communities, street
 * interviews (随机街访) on any region.
 */
export function SurveyQuotaAddModal({
  open,
  roundId,
  groups,
  onClose,
  onAdded,
}: {
  open: boolean;
  roundId: number | null;
  groups: string[];
  onClose: () => void;
  onAdded: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const regions = useRegions();
  const [form] = Form.useForm<Values>();
  const addMode = Form.useWatch('mode', form) ?? 'household';

  async function add() {
    const v = await form.validateFields();
    if (roundId === null) return;
    try {
      const r = await apiCall('POST /api/survey-rounds/:id/quotas', {
        params: { id: roundId },
        body: { ...v, population: v.population ?? null },
      });
      message.success(
        t({
          zh: `新增 ${r.created} 个配额，跳过 ${r.skipped} 个已有`,
          en: `${r.created} quotas added, ${r.skipped} already there`,
        }),
      );
      onAdded();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }

  return (
    <Modal
      open={open}
      title={t({ zh: '设置配额', en: 'Add quotas' })}
      onCancel={onClose}
      onOk={() => void add()}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ group: groups[0] ?? 'A', mode: 'household', target: 20 }}
        onValuesChange={(changed: { mode?: TCollectionMode }) => {
          // Household quotas are per community: a district picked for street interviews goes.
          if (changed.mode) form.setFieldValue('regionIds', []);
        }}
      >
        <Form.Item
          name="mode"
          label={t(L.surveys.mode)}
          extra={
            addMode === 'street'
              ? t({
                  zh: '随机街访：不记户码，记访问地点或定位；可设在任一区域',
                  en: 'Street interviews: no household code, a spot or GPS; on any region',
                })
              : t({
                  zh: '入户调查：按户码，每户一份；设在社区（村）',
                  en: 'Household interviews: one per household code; per community',
                })
          }
        >
          <Radio.Group
            optionType="button"
            data-testid="quota-mode"
            options={COLLECTION_MODES.map((m) => ({
              value: m,
              label: t(COLLECTION_MODE_LABELS[m]),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="regionIds"
          label={
            addMode === 'street'
              ? t({ zh: '区域（可多选）', en: 'Areas' })
              : t({ zh: '社区（可多选）', en: 'Communities' })
          }
          rules={[{ required: true }]}
        >
          <Select
            mode="multiple"
            optionFilterProp="label"
            data-testid="quota-regions"
            options={regions
              .filter((r) => addMode === 'street' || r.level === 'community')
              .map((r) => ({
                value: r.id,
                label:
                  addMode === 'street' ? `${r.name}（${t(REGION_LEVEL_LABELS[r.level])}）` : r.name,
              }))}
          />
        </Form.Item>
        <Form.Item name="group" label={t(L.surveys.group)} rules={[{ required: true }]}>
          <Select options={groups.map((g) => ({ value: g, label: g }))} />
        </Form.Item>
        <Form.Item
          name="target"
          label={
            addMode === 'street'
              ? t({ zh: '每区域份数', en: 'Interviews per area' })
              : t({ zh: '每社区户数', en: 'Households per community' })
          }
          rules={[{ required: true }]}
        >
          <InputNumber min={1} max={10000} />
        </Form.Item>
        <Form.Item name="population" label={t(WEIGHT_LABELS[addMode])}>
          <InputNumber min={1} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
