import { App, Button, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useMemo, useState } from 'react';
import {
  HAND_DOWN_DISPATCH_DAYS,
  type TProblem,
  type TProblemDetail,
} from '../../../core/contracts/problems.js';
import { apiCall } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { useRegions } from '../../shared/pickers.js';
import { useAuth } from '../auth.js';

/**
 * The levels a registered problem may be handed down to (交办) by this user: the districts and
 * streets holding the problem's region, below the user's own level (the city: any of them).
 */
export function handDownTargets(
  regions: readonly { id: number; name: string; level: string; parentId: number | null }[],
  problemRegionId: number | null,
  ownRegionId: number | null,
): { id: number; name: string }[] {
  const byId = new Map(regions.map((r) => [r.id, r]));
  const chain: { id: number; name: string; level: string }[] = [];
  for (let r = problemRegionId === null ? undefined : byId.get(problemRegionId); r;) {
    chain.unshift(r);
    r = r.parentId === null ? undefined : byId.get(r.parentId);
  }
  const from = ownRegionId === null ? 0 : chain.findIndex((r) => r.id === ownRegionId) + 1;
  if (ownRegionId !== null && from === 0) return [];
  return chain
    .slice(from)
    .filter((r) => r.level === 'district' || r.level === 'street')
    .map((r) => ({ id: r.id, name: r.name }));
}

/** 交办下级: hands a registered problem to the 创建办 of a district or street that holds it. */
export function HandDownButton(props: { problem: TProblem; onDone: (d: TProblemDetail) => void }) {
  const { problem } = props;
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { user, cityLevel } = useAuth();
  const regions = useRegions();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ regionId: number; note?: string; dispatchDays: number }>();
  const targets = useMemo(
    () => handDownTargets(regions, problem.regionId, cityLevel ? null : (user?.regionId ?? null)),
    [regions, problem.regionId, cityLevel, user?.regionId],
  );
  if (problem.state !== 'registered' || targets.length === 0) return null;

  async function save() {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const d = await apiCall('POST /api/problems/:id/hand-down', {
        params: { id: problem.id },
        body: { ...v, version: problem.version },
      });
      message.success(t({ zh: '已交办', en: 'Handed down' }));
      setOpen(false);
      props.onDone(d);
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button
        onClick={() => {
          form.resetFields();
          form.setFieldsValue({ regionId: targets[0]!.id, dispatchDays: HAND_DOWN_DISPATCH_DAYS });
          setOpen(true);
        }}
        data-testid="action-hand-down"
      >
        {t(L.problems.handDown)}
      </Button>
      <Modal
        open={open}
        title={t({ zh: '交办下级创建办派遣', en: 'Hand down to the office below' })}
        okText={t(L.problems.dispatch)}
        confirmLoading={busy}
        onOk={() => void save()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="regionId"
            label={t({ zh: '交办给', en: 'To the office of' })}
            rules={[{ required: true }]}
          >
            <Select
              id="hand-down-region"
              options={targets.map((r) => ({
                value: r.id,
                label: `${r.name}${lang === 'en' ? ' ' : ''}${t(L.org.office)}`,
              }))}
            />
          </Form.Item>
          <Form.Item
            name="dispatchDays"
            label={t({ zh: '交办时限（工作日内派遣）', en: 'Dispatch within (working days)' })}
            rules={[{ required: true }]}
            extra={t({
              zh: '逾期未派遣的，提醒下级创建办和上级各创建办',
              en: 'Past it, the office below and the offices above are told',
            })}
          >
            <InputNumber id="hand-down-days" min={1} max={10} precision={0} />
          </Form.Item>
          <Form.Item name="note" label={t({ zh: '交办意见', en: 'Note' })}>
            <Input.TextArea id="hand-down-note" rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
