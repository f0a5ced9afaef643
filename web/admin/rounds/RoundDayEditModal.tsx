import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Form, InputNumber, Modal, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import type {
  TCountOverride,
  TRound,
  TRoundDay,
  TScheduleDayPatch,
} from '../../../core/contracts/inspections.js';
import { apiCall } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import type { District } from './round-schedule.js';

interface Values {
  date: Dayjs;
  regionIds: number[];
  overrides?: Partial<TCountOverride>[];
}

/**
 * Edits a planned day of the schedule: its date, its districts, and a district's own count for a
 * random type of the plan (a district with fewer points of the type than the plan asks, say).
 * Sent with the day's version: someone else's change first is 409, shown as the server says.
 */
export function RoundDayEditModal(props: {
  round: TRound;
  day: TRoundDay | null;
  districts: District[];
  typeNames: ReadonlyMap<string, string>;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { day } = props;
  useEffect(() => {
    if (!day) return;
    form.resetFields();
    form.setFieldsValue({
      date: dayjs(day.date),
      regionIds: day.regionIds,
      overrides: day.overrides,
    });
  }, [day, form]);
  const chosen = Form.useWatch('regionIds', form) ?? [];
  const randomTypes = props.round.plan.flatMap((r) => {
    if (r.mode !== 'random') return [];
    const name = props.typeNames.get(r.type) ?? r.type;
    const label = t({
      zh: `${name}（${r.type}，方案每区 ${r.count} 个）`,
      en: `${name} (${r.type}, plan: ${r.count} per district)`,
    });
    return [{ value: r.type, label }];
  });
  const districtOptions = props.districts.map((d) => ({ value: d.id, label: d.name }));

  async function save() {
    if (!day) return;
    const v = await form.validateFields();
    const body: TScheduleDayPatch = {
      date: v.date.format('YYYY-MM-DD'),
      regionIds: v.regionIds,
      overrides: (v.overrides ?? []).map((o) => ({
        regionId: o.regionId!,
        type: o.type!,
        count: o.count!,
      })),
      version: day.version,
    };
    try {
      await apiCall('PATCH /api/rounds/:id/days/:dayId', {
        params: { id: props.round.id, dayId: day.id },
        body,
      });
      await props.onSaved();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }

  return (
    <Modal
      open={day !== null}
      title={t({
        zh: `修改测评日程（${day?.date ?? ''}）`,
        en: `Edit the day (${day?.date ?? ''})`,
      })}
      onOk={() => void save()}
      onCancel={props.onClose}
      destroyOnHidden
      width={620}
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="date"
          label={t(L.common.date)}
          rules={[{ required: true, message: t({ zh: '请选择日期', en: 'Pick a date' }) }]}
        >
          <DatePicker id="day-edit-date" />
        </Form.Item>
        <Form.Item
          name="regionIds"
          label={t(L.org.urbanDistrict)}
          rules={[
            {
              required: true,
              type: 'array',
              min: 1,
              message: t({ zh: '请至少安排一个城区', en: 'Pick at least one district' }),
            },
          ]}
        >
          <Select mode="multiple" id="day-edit-districts" options={districtOptions} />
        </Form.Item>
        <Typography.Text type="secondary">
          {t({
            zh: '数量调整：某城区某类型不按方案数量抽取时填写（如该城区点位不足）。',
            en: "Own counts: a district drawing a type's count other than the plan's (e.g. it has fewer points).",
          })}
        </Typography.Text>
        <Form.List name="overrides">
          {(fields, { add, remove }) => (
            <div style={{ marginTop: 8 }} data-testid="day-edit-overrides">
              {fields.map((f) => (
                <Space key={f.key} align="start" style={{ display: 'flex' }}>
                  <Form.Item
                    name={[f.name, 'regionId']}
                    rules={[{ required: true, message: t({ zh: '请选择城区', en: 'District' }) }]}
                  >
                    <Select
                      style={{ width: 140 }}
                      placeholder={t(L.org.urbanDistrict)}
                      options={districtOptions.filter((o) => chosen.includes(o.value))}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'type']}
                    rules={[{ required: true, message: t({ zh: '请选择类型', en: 'Type' }) }]}
                  >
                    <Select
                      style={{ width: 240 }}
                      placeholder={t(L.points.pointType)}
                      options={randomTypes}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'count']}
                    rules={[{ required: true, message: t({ zh: '请填写数量', en: 'Count' }) }]}
                  >
                    <InputNumber min={0} precision={0} style={{ width: 90 }} />
                  </Form.Item>
                  <Button
                    icon={<DeleteOutlined />}
                    aria-label={t(L.common.delete)}
                    onClick={() => remove(f.name)}
                  />
                </Space>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({})}
                disabled={randomTypes.length === 0}
              >
                {t({ zh: '添加数量调整', en: 'Add an own count' })}
              </Button>
            </div>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
