import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { errorText } from '../shared/forms.js';
import { L, useI18n } from '../shared/i18n.js';
import { useAuth } from './auth.js';

export function LoginPage() {
  const { signIn } = useAuth();
  const { t, lang, setLang } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await signIn(v.username, v.password);
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(135deg, #8c0d1f 0%, #c8102e 55%, #f0a202 100%)',
        padding: 16,
      }}
    >
      <Card style={{ width: 380, maxWidth: '100%' }}>
        <Typography.Title level={3} style={{ textAlign: 'center', marginBottom: 4 }}>
          {t({ zh: '创城 · 文明城市创建管理平台', en: 'Chuangcheng campaign platform' })}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          {t({ zh: '请使用账号或手机号登录', en: 'Sign in with your username or phone number' })}
        </Typography.Paragraph>
        {error && (
          <Alert
            type="error"
            title={error}
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="login-error"
          />
        )}
        <Form
          layout="vertical"
          onFinish={(v: { username: string; password: string }) => void onFinish(v)}
        >
          <Form.Item
            name="username"
            label={t(L.common.account)}
            rules={[{ required: true, message: t(L.common.enterUsername) }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" id="login-username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t(L.common.password)}
            rules={[{ required: true, message: t(L.common.enterPassword) }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              id="login-password"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t(L.common.signIn)}
          </Button>
        </Form>
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button type="link" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {lang === 'zh' ? 'English' : '中文'}
          </Button>
        </div>
      </Card>
    </div>
  );
}
