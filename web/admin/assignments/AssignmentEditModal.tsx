import { App, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import type { TAssignment, TStandardNode } from '../../../core/contracts/frameworks.js';
import { keepPreviousData } from '@tanstack/react-query';
import { apiCall } from '../../shared/api.js';
import { useApi } from '../../shared/api-query.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { UnitPicker } from '../../shared/pickers.js';
import { useSettled } from '../use-settled.js';

/** Several units, searched on the server; names already chosen stay shown. */
function UnitsSelect(props: {
  value?: number[];
  onChange?: (v: number[]) => void;
  known: { id: number; name: string }[];
  id?: string;
}) {
  const [typed, setTyped] = useState('');
  const q = useSettled(typed, 200);
  // The last answer stays listed while the next search is read.
  const found = useApi(
    'GET /api/units',
    { query: { q: q || undefined, limit: 30, active: 'true' } },
    { placeholderData: keepPreviousData },
  ).data;
  const options = (found?.items ?? []).map((u) => ({ value: u.id, label: u.name }));
  const all = [
    ...props.known
      .filter((k) => !options.some((o) => o.value === k.id))
      .map((k) => ({ value: k.id, label: k.name })),
    ...options,
  ];
  return (
    <Select
      id={props.id}
      mode="multiple"
      showSearch={{ filterOption: false, onSearch: setTyped }}
      options={all}
      value={props.value ?? []}
      onChange={(v: number[]) => props.onChange?.(v)}
      style={{ width: '100%' }}
    />
  );
}

interface Values {
  standardId?: number;
  leadUnitId: number;
  responsibleUnitIds: number[];
  leaderName?: string;
  due?: Dayjs | null;
  dueText?: string;
  notes?: string;
}

/** Adds a task to a standard, or edits one: lead unit, responsible units, leader, deadline, notes. */
export function AssignmentEditModal(props: {
  versionId: number;
  editing: TAssignment | 'new' | null;
  standards: TStandardNode[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const a = props.editing;
  useEffect(() => {
    form.resetFields();
    if (a && a !== 'new') {
      form.setFieldsValue({
        leadUnitId: a.leadUnit.id,
        responsibleUnitIds: a.responsibleUnits.map((u) => u.id),
        leaderName: a.leaderName ?? undefined,
        due: a.dueDate ? dayjs(a.dueDate) : null,
        dueText: a.dueText ?? undefined,
        notes: a.notes ?? undefined,
      });
    } else form.setFieldsValue({ responsibleUnitIds: [] });
  }, [a, form]);

  const save = async () => {
    const v = await form.validateFields();
    const body = {
      leadUnitId: v.leadUnitId,
      responsibleUnitIds: v.responsibleUnitIds ?? [],
      leaderName: v.leaderName || null,
      dueDate: v.due ? v.due.format('YYYY-MM-DD') : null,
      dueText: v.due ? null : v.dueText || null,
      notes: v.notes || null,
    };
    try {
      if (a === 'new') {
        // The form requires the standard of a new task.
        if (v.standardId === undefined) return;
        await apiCall('POST /api/framework-versions/:id/assignments', {
          params: { id: props.versionId },
          body: { ...body, standardId: v.standardId },
        });
      } else if (a) {
        await apiCall('PATCH /api/assignments/:id', {
          params: { id: a.id },
          body: { ...body, version: a.version },
        });
      }
      message.success(t(L.common.saved));
      props.onSaved();
      props.onClose();
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    }
  };

  return (
    <Modal
      open={a !== null}
      title={
        a === 'new'
          ? t({ zh: '新增任务', en: 'New task' })
          : t({
              zh: `编辑任务 · ${a?.standardCode ?? ''}`,
              en: `Edit task · ${a?.standardCode ?? ''}`,
            })
      }
      onOk={() => void save()}
      onCancel={props.onClose}
      destroyOnHidden
      width={640}
      okButtonProps={{ id: 'assignment-save' }}
    >
      <Form form={form} layout="vertical">
        {a === 'new' && (
          <Form.Item name="standardId" label={t(L.framework.standard)} rules={[{ required: true }]}>
            <Select
              id="assignment-standard"
              showSearch={{ optionFilterProp: 'label' }}
              options={props.standards.map((s) => ({ value: s.id, label: `${s.code} ${s.text}` }))}
            />
          </Form.Item>
        )}
        <Form.Item name="leadUnitId" label={t(L.org.leadUnit)} rules={[{ required: true }]}>
          <UnitPicker
            id="assignment-lead"
            initialLabel={a && a !== 'new' ? a.leadUnit.name : null}
          />
        </Form.Item>
        <Form.Item name="responsibleUnitIds" label={t(L.org.responsibleUnit)}>
          <UnitsSelect known={a && a !== 'new' ? a.responsibleUnits : []} />
        </Form.Item>
        <Form.Item name="leaderName" label={t(L.org.leader)}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="due"
          label={t(L.common.timeLimit)}
          extra={t({
            zh: '不是具体日期时，填写下方“时限说明”',
            en: 'If it is not a date, use the note below',
          })}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="dueText" label={t({ zh: '时限说明', en: 'Deadline in words' })}>
          <Input maxLength={50} placeholder="长期坚持" />
        </Form.Item>
        <Form.Item name="notes" label={t(L.common.notes)}>
          <Input.TextArea maxLength={500} autoSize />
        </Form.Item>
      </Form>
    </Modal>
  );
}
