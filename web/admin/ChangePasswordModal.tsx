import { App, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { ZPasswordSchema } from '../../core/contracts/org.js';
import { apiCall } from '../shared/api.js';
import { applyFieldErrors, errorText, zodRule } from '../shared/forms.js';
import { L, useI18n } from '../shared/i18n.js';
import { useAuth } from './auth.js';

/** Change one's own password; forced (not closable) while the account must change it. */
export function ChangePasswordModal(props: {
  open: boolean;
  forced: boolean;
  onClose: () => void;
}) {
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string; confirm: string }>();
  const { t, lang } = useI18n();
  const { refresh } = useAuth();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await apiCall('POST /api/auth/password', {
        body: { currentPassword: v.currentPassword, newPassword: v.newPassword },
      });
      message.success(t({ zh: '密码已修改', en: 'Password changed' }));
      form.resetFields();
      props.onClose();
      await refresh();
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={t(L.common.changePassword)}
      onOk={() => void submit()}
      confirmLoading={busy}
      closable={!props.forced}
      mask={{ closable: !props.forced }}
      cancelButtonProps={{ style: props.forced ? { display: 'none' } : {} }}
      onCancel={props.onClose}
      destroyOnHidden
    >
      {props.forced && (
        <Typography.Paragraph type="warning">
          {t({
            zh: '首次登录或密码已被重置，请设置您自己的密码。',
            en: 'Please choose your own password before you continue.',
          })}
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical">
        <Form.Item
          name="currentPassword"
          label={t(L.common.currentPassword)}
          rules={[{ required: true }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t(L.common.newPassword)}
          extra={t({
            zh: '至少 8 位，包含大写、小写、数字、符号中的三类',
            en: 'At least 8 characters with three of: upper, lower, digit, symbol',
          })}
          rules={[{ required: true }, zodRule(ZPasswordSchema)]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t(L.common.confirmNewPassword)}
          dependencies={['newPassword']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: async (_r, v) => {
                if (v && v !== getFieldValue('newPassword')) {
                  throw new Error(
                    t({ zh: '两次输入的密码不一致', en: 'The passwords do not match' }),
                  );
                }
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
