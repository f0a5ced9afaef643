import { App, DatePicker, Form, Input, InputNumber, Modal, Select, type FormInstance } from 'antd';
import { useState } from 'react';
import { administeredRegionOf } from '../../../core/org/grants.js';
import type { TNomination } from '../../../core/contracts/good-people.js';
import {
  DEEDS_MAX,
  GOOD_PERSON_CATEGORIES,
  GOOD_PERSON_CATEGORY_LABELS,
  UPWARD_LEVEL_LABELS,
  UPWARD_LEVELS,
  UPWARD_STAGE_LABELS,
  UPWARD_STAGES,
} from '../../../core/good-people/labels.js';
import type { ApiBody } from '../../shared/api.js';
import { useApiMutation } from '../../shared/api-query.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';
import { PhotoInput } from '../../shared/photos.js';
import { RegionPicker } from '../../shared/pickers.js';
import { useAuth } from '../auth.js';

/** The dialog open on the 身边好人 page: a nomination, or an action on one. */
export type Dialog =
  | { kind: 'nominate'; month: string }
  | { kind: 'reject' | 'honour' | 'step'; n: TNomination };

type NominateForm = Omit<ApiBody<'POST /api/good-people'>, 'month' | 'photoId'> & {
  photoIds?: string[];
};
type StatusForm = { reason?: string; rank?: number };
type StepForm = Omit<ApiBody<'POST /api/good-people/:id/steps'>, 'on'> & {
  on: { format: (f: string) => string };
};

/** 推荐, 不予入围 (with its reason), 上榜 (with a rank), 向上推荐 (a step with its date). */
export function GoodPersonDialogs({
  dialog,
  onClose,
}: {
  dialog: Dialog | null;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [nominateForm] = Form.useForm<NominateForm>();
  const [statusForm] = Form.useForm<StatusForm>();
  const [stepForm] = Form.useForm<StepForm>();
  const create = useApiMutation('POST /api/good-people');
  const status = useApiMutation('POST /api/good-people/:id/status');
  const step = useApiMutation('POST /api/good-people/:id/steps', {
    invalidates: ['GET /api/good-people'],
  });
  // 辖区: a district or street office puts forward people of its own subtree.
  const within = user ? administeredRegionOf(user) : null;

  async function run<T>(form: FormInstance<T>, send: () => Promise<unknown>, done: string) {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      await send();
      message.success(done);
      onClose();
    } catch (err) {
      if (!applyFieldErrors(form, err, lang)) message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  }

  const common = { open: true, onCancel: onClose, confirmLoading: busy, destroyOnHidden: true };
  if (!dialog) return null;
  if (dialog.kind === 'nominate') {
    return (
      <Modal
        {...common}
        title={t({ zh: `推荐 ${dialog.month} 身边好人`, en: `Nominate for ${dialog.month}` })}
        onOk={() =>
          void run(
            nominateForm,
            () => {
              const { photoIds, ...v } = nominateForm.getFieldsValue();
              return create.mutateAsync({
                body: { ...v, month: dialog.month, photoId: photoIds?.[0] ?? null },
              });
            },
            t({ zh: '推荐已提交', en: 'Nomination sent' }),
          )
        }
      >
        <Form form={nominateForm} layout="vertical" preserve={false}>
          <Form.Item name="category" label={t(L.common.category)} rules={[{ required: true }]}>
            <Select
              id="gp-form-category"
              options={GOOD_PERSON_CATEGORIES.map((c) => ({
                value: c,
                label: t(GOOD_PERSON_CATEGORY_LABELS[c]),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="nomineeName"
            label={t({ zh: '被推荐人姓名', en: 'Nominee’s name' })}
            rules={[{ required: true, max: 40 }]}
          >
            <Input id="gp-form-name" />
          </Form.Item>
          <Form.Item
            name="regionId"
            label={t({ zh: '所在地', en: 'Place' })}
            rules={[{ required: true }]}
          >
            <RegionPicker id="gp-form-region" within={within} />
          </Form.Item>
          <Form.Item
            name="deeds"
            label={t({ zh: '主要事迹', en: 'Deeds' })}
            rules={[{ required: true, min: 20, max: DEEDS_MAX }]}
          >
            <Input.TextArea id="gp-form-deeds" rows={6} maxLength={DEEDS_MAX} showCount />
          </Form.Item>
          <Form.Item name="photoIds" label={t(L.common.photos)}>
            <PhotoInput max={1} />
          </Form.Item>
        </Form>
      </Modal>
    );
  }
  const n = dialog.n;
  if (dialog.kind === 'step') {
    return (
      <Modal
        {...common}
        title={t({ zh: `${n.nomineeName} · 向上推荐`, en: `${n.nomineeName} · path upward` })}
        onOk={() =>
          void run(
            stepForm,
            () => {
              const v = stepForm.getFieldsValue();
              return step.mutateAsync({
                params: { id: n.id },
                body: { ...v, on: v.on.format('YYYY-MM-DD') },
              });
            },
            t(L.common.saved),
          )
        }
      >
        <Form form={stepForm} layout="vertical" preserve={false}>
          <Form.Item name="level" label={t(L.common.level)} rules={[{ required: true }]}>
            <Select
              id="gp-step-level"
              options={UPWARD_LEVELS.map((l) => ({ value: l, label: t(UPWARD_LEVEL_LABELS[l]) }))}
            />
          </Form.Item>
          <Form.Item
            name="stage"
            label={t({ zh: '环节', en: 'Stage' })}
            rules={[{ required: true }]}
          >
            <Select
              id="gp-step-stage"
              options={UPWARD_STAGES.map((s) => ({ value: s, label: t(UPWARD_STAGE_LABELS[s]) }))}
            />
          </Form.Item>
          <Form.Item name="on" label={t(L.common.date)} rules={[{ required: true }]}>
            <DatePicker id="gp-step-on" />
          </Form.Item>
          <Form.Item name="note" label={t(L.common.notes)} rules={[{ max: 300 }]}>
            <Input id="gp-step-note" />
          </Form.Item>
        </Form>
      </Modal>
    );
  }
  const reject = dialog.kind === 'reject';
  return (
    <Modal
      {...common}
      title={
        reject
          ? t({ zh: `${n.nomineeName} · 不予入围`, en: `${n.nomineeName} · reject` })
          : t({ zh: `${n.nomineeName} · 上榜`, en: `${n.nomineeName} · honour` })
      }
      onOk={() =>
        void run(
          statusForm,
          () =>
            status.mutateAsync({
              params: { id: n.id },
              body: {
                status: reject ? 'rejected' : 'honoured',
                version: n.version,
                ...statusForm.getFieldsValue(),
              },
            }),
          t(L.common.saved),
        )
      }
    >
      <Form form={statusForm} layout="vertical" preserve={false}>
        {reject ? (
          <Form.Item
            name="reason"
            label={t(L.common.reason)}
            rules={[{ required: true, max: 500 }]}
          >
            <Input.TextArea id="gp-reason" rows={3} />
          </Form.Item>
        ) : (
          <Form.Item name="rank" label={t(L.results.rank)} rules={[{ required: true }]}>
            <InputNumber id="gp-rank" min={1} max={100} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
