import { Alert, App, Form, Input, InputNumber, Modal, Select, Switch } from 'antd';
import { useEffect } from 'react';
import type { TRound } from '../../../core/contracts/inspections.js';
import type { DrawRule } from '../../../core/draw/draw.js';
import { apiCall } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { useAuth } from '../auth.js';
import { L, useI18n } from '../../shared/i18n.js';
import { RoundScheduleFields } from './RoundScheduleFields.js';
import {
  defaultScheduleRows,
  toSchedule,
  type District,
  type ScheduleRow,
} from './round-schedule.js';

/** A point type as the round editor offers it. */
export interface PlanPointType {
  code: string;
  name: string;
  sampling: 'mandatory' | 'random';
  defaultDrawCount: number;
  /** Points of the type in the catalogue. */
  points: number;
}

export const KIND_LABELS = {
  official: { zh: '正式测评复盘', en: 'Official replay' },
  mock: L.points.mock,
  supervision: L.points.supervision,
  secret: L.points.secret,
};

/**
 * 新建测评轮次: name, kind, inspectors and the plan — mandatory types in full, random types a count
 * each (its default as an editable value; blank is an error, 0 leaves it out) — and, switched on,
 * 按城区分日抽签 with its schedule: the counts then apply per district and each day is drawn on
 * its own. Opens afresh each time.
 */
export function NewRoundModal(props: {
  open: boolean;
  types: PlanPointType[];
  inspectors: { id: number; name: string }[];
  districts: District[];
  onClose: () => void;
  onCreated: () => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const { types, inspectors, districts } = props;
  // A district or street office runs supervision, secret and mock rounds on its own points; the
  // official replay and the draw by district and day are the city's.
  const { cityLevel } = useAuth();
  const byDistrict = Form.useWatch('byDistrict', form) === true;
  useEffect(() => {
    if (!props.open) return;
    form.resetFields();
    form.setFieldsValue({ kind: 'mock' });
  }, [props.open, form]);

  async function create() {
    const v = (await form.validateFields()) as {
      name: string;
      kind: TRound['kind'];
      counts?: Record<string, number>;
      inspectorIds?: number[];
      byDistrict?: boolean;
      handDown?: boolean;
      schedule?: ScheduleRow[];
    };
    // Every random count is filled in (the form requires it); 0 leaves the type out.
    const plan: DrawRule[] = types.flatMap((pt): DrawRule[] => {
      if (pt.sampling === 'mandatory') return [{ type: pt.code, mode: 'all' }];
      const n = v.counts?.[pt.code] ?? 0;
      return n ? [{ type: pt.code, mode: 'random', count: n }] : [];
    });
    try {
      await apiCall('POST /api/rounds', {
        body: {
          name: v.name,
          kind: v.kind,
          handDown: v.handDown === true,
          plan,
          inspectorIds: v.inspectorIds ?? [],
          ...(v.byDistrict ? { schedule: toSchedule(v.schedule ?? []) } : {}),
        },
      });
      await props.onCreated();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }

  return (
    <Modal
      open={props.open}
      title={t({ zh: '新建测评轮次', en: 'New round' })}
      onOk={() => void create()}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        data-testid="round-plan-hint"
        title={
          byDistrict
            ? t({
                zh: '按城区分日抽签：每个城区从本城区的点位中抽取——必查类型全部纳入，随机类型每个城区各抽下列数量；每天单独公布承诺值、抽签（通常在当天实地考察开始前1小时）和公开种子。',
                en: "By district and day: each district draws from its own points — mandatory types in full, random types the numbers below in every district; each day is committed, drawn (usually the hour before that day's inspection) and revealed on its own.",
              })
            : t({
                zh: '必查类型全部纳入；随机类型按下列数量抽取（预填为该类型的默认数量，可修改；填 0 不抽取）。',
                en: 'Mandatory types are all included; random types draw the numbers below (each starts at its type’s default; 0 leaves it out).',
              })
        }
      />
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t(L.common.name)} rules={[{ required: true, min: 2 }]}>
          <Input id="round-name" />
        </Form.Item>
        <Form.Item name="kind" label={t(L.common.type)}>
          <Select
            options={Object.entries(KIND_LABELS)
              .filter(([v]) => cityLevel || v !== 'official')
              .map(([v, l]) => ({ value: v, label: t(l) }))}
          />
        </Form.Item>
        <Form.Item name="inspectorIds" label={t(L.points.inspector)}>
          <Select
            mode="multiple"
            optionFilterProp="label"
            options={inspectors.map((u) => ({ value: u.id, label: u.name }))}
            data-testid="round-inspectors"
          />
        </Form.Item>
        {cityLevel && (
          <Form.Item
            name="handDown"
            valuePropName="checked"
            label={t({ zh: '问题交属地创建办派遣', en: 'Hand problems to the district office' })}
            extra={t({
              zh: '开启后，在各区发现的问题交该区创建办派遣到其责任单位，市创建办跟踪办理；关闭则直接派往点位包保单位。',
              en: 'On: a problem found in a district goes to that district’s office to dispatch to its own units, the city watching; off: straight to the point’s responsible unit.',
            })}
          >
            <Switch id="round-hand-down" />
          </Form.Item>
        )}
        {cityLevel && (
          <Form.Item
            name="byDistrict"
            valuePropName="checked"
            label={t({ zh: '按城区分日抽签', en: 'Draw by district and day' })}
            extra={t({
              zh: '原则上每个城区安排一天；电脑抽签在当天实地考察开始前进行。',
              en: 'As a rule each district is tested on its own day; the draw is made before that day starts.',
            })}
          >
            <Switch
              id="round-by-district"
              onChange={(on) => {
                // One day per district to start from; the dates are the office's to choose.
                if (on && !(form.getFieldValue('schedule') as ScheduleRow[] | undefined)?.length) {
                  form.setFieldsValue({ schedule: defaultScheduleRows(districts) });
                }
              }}
            />
          </Form.Item>
        )}
        {byDistrict && (
          <Form.Item
            label={t({ zh: '测评日程（日期与城区）', en: 'Schedule (date and districts)' })}
          >
            <RoundScheduleFields districts={districts} />
          </Form.Item>
        )}
        {types
          .filter((pt) => pt.sampling === 'random')
          .map((pt) => (
            <Form.Item
              key={pt.code}
              name={['counts', pt.code]}
              // Its default, as a value to edit — no more than the type has points (a type with
              // none yet, like a new 随机查看 kind, starts at 0). Set where the field mounts, so a
              // form opened before the types arrive still gets it.
              initialValue={Math.min(pt.defaultDrawCount, pt.points)}
              label={
                byDistrict
                  ? t({
                      zh: `${pt.name}（${pt.code}，全市共 ${pt.points} 个）：每个城区抽取`,
                      en: `${pt.name} (${pt.code}, ${pt.points} points in the city): per district`,
                    })
                  : t({
                      zh: `${pt.name}（${pt.code}，共 ${pt.points} 个）`,
                      en: `${pt.name} (${pt.code}, ${pt.points} points)`,
                    })
              }
              rules={[
                {
                  required: true,
                  message: t({
                    zh: `请填写${pt.name}的抽取数量（不抽取填 0）`,
                    en: `Enter how many ${pt.name} points to draw (0 for none)`,
                  }),
                },
              ]}
            >
              <InputNumber min={0} precision={0} id={`round-count-${pt.code}`} />
            </Form.Item>
          ))}
      </Form>
    </Modal>
  );
}
