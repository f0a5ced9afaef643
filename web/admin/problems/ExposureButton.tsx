import { App, Button, Form, Input, Modal, Space, Tag } from 'antd';
import { useState } from 'react';
import type { TProblem } from '../../../core/contracts/problems.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { useI18n } from '../../shared/i18n.js';

const NOT_PUBLISHABLE = new Set(['reported', 'rejected', 'merged']);

/** 曝光台: the office publishes a problem with public wording, changes it, or takes it down. */
export function ExposureButton({ problem }: { problem: TProblem }) {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const args = { params: { id: problem.id } };
  const exposure = useApi('GET /api/problems/:id/exposure', args);
  // Not known yet: nothing shown; not readable: as if not published.
  const state = exposure.isError ? null : exposure.data;
  const only = { invalidates: ['GET /api/problems/:id/exposure'] };
  const publish = useApiMutation('PUT /api/problems/:id/exposure', only);
  const unpublish = useApiMutation('DELETE /api/problems/:id/exposure', only);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ title: string; note?: string }>();

  if (state === undefined || (!state && NOT_PUBLISHABLE.has(problem.state))) return null;

  async function save() {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await publish.mutateAsync({ ...args, body: v });
      message.success(t({ zh: '已发布到曝光台', en: 'Published on the exposure board' }));
      setOpen(false);
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  }

  function takeDown() {
    modal.confirm({
      title: t({ zh: '从曝光台撤下？', en: 'Take it off the exposure board?' }),
      okText: t({ zh: '撤下', en: 'Take down' }),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await unpublish.mutateAsync(args);
        } catch (err) {
          message.error(errorText(err, lang));
        }
      },
    });
  }

  return (
    <>
      {state && (
        <Tag color="volcano" style={{ marginInlineEnd: 0 }}>
          {t({ zh: '已曝光', en: 'Published' })}
        </Tag>
      )}
      <Space.Compact>
        <Button
          onClick={() => {
            form.setFieldsValue({ title: state?.title ?? problem.title, note: state?.note ?? '' });
            setOpen(true);
          }}
          data-testid="exposure-publish"
        >
          {state ? t({ zh: '修改曝光', en: 'Edit exposure' }) : t({ zh: '曝光…', en: 'Publish…' })}
        </Button>
        {state && (
          <Button danger onClick={takeDown} data-testid="exposure-unpublish">
            {t({ zh: '撤下', en: 'Take down' })}
          </Button>
        )}
      </Space.Compact>
      <Modal
        open={open}
        title={t({ zh: '发布到曝光台', en: 'Publish on the exposure board' })}
        onOk={() => void save()}
        confirmLoading={busy}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <p style={{ color: '#888' }}>
          {t({
            zh: '公众可见：标题、说明、位置、照片、责任单位和办理进度；不显示人员姓名和电话。',
            en: 'The public sees the title, note, place, photos, unit and progress — never names or phone numbers.',
          })}
        </p>
        <Form form={form} layout="vertical">
          <Form.Item
            name="title"
            label={t({ zh: '公开标题', en: 'Public title' })}
            rules={[{ required: true, min: 2, max: 60 }]}
          >
            <Input maxLength={60} id="exposure-title" />
          </Form.Item>
          <Form.Item name="note" label={t({ zh: '公开说明', en: 'Public note' })}>
            <Input.TextArea maxLength={500} rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
