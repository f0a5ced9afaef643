import { Button, Form, Input, NoticeBar } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useAuth } from '../admin/auth.js';
import { apiCall } from '../shared/api.js';
import { errorText } from '../shared/forms.js';
import { L, useI18n } from '../shared/i18n.js';
import { forgetCachedAnswers } from './service-worker.js';

/** Sign-in: the same /api/auth/login as the desktop app (session cookie, CSRF token after). */
export function SignInPage() {
  const { signIn } = useAuth();
  const { t, lang, setLang } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Nobody is signed in: the last person's cached answers go (the worker would serve them offline).
  useEffect(() => void forgetCachedAnswers(), []);

  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await signIn(v.username.trim(), v.password);
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="m-signin" data-testid="m-signin">
      <div className="m-signin-brand">
        <div className="m-signin-logo" aria-hidden>
          创
        </div>
        <h1>{t({ zh: '创城', en: 'Chuangcheng' })}</h1>
        <p>{t({ zh: '文明城市创建 · 移动端', en: 'Civilized-city campaign · phone' })}</p>
      </div>
      <div className="m-signin-card">
        {error && (
          <NoticeBar
            content={error}
            color="error"
            wrap
            className="m-signin-error"
            data-testid="m-login-error"
          />
        )}
        <Form
          layout="vertical"
          mode="card"
          onFinish={(v: { username: string; password: string }) => void onFinish(v)}
          footer={
            <Button
              block
              type="submit"
              color="primary"
              size="large"
              loading={busy}
              data-testid="m-login-submit"
            >
              {t(L.common.signIn)}
            </Button>
          }
        >
          <Form.Item
            name="username"
            label={t(L.common.account)}
            rules={[{ required: true, message: t(L.common.enterUsername) }]}
          >
            <Input
              id="m-login-username"
              autoComplete="username"
              placeholder={t({ zh: '账号或手机号', en: 'Username or phone' })}
              clearable
            />
          </Form.Item>
          <Form.Item
            name="password"
            label={t(L.common.password)}
            rules={[{ required: true, message: t(L.common.enterPassword) }]}
          >
            <Input
              id="m-login-password"
              type="password"
              autoComplete="current-password"
              placeholder={t(L.common.password)}
            />
          </Form.Item>
        </Form>
        <div className="m-signin-foot">
          <Button fill="none" size="small" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {lang === 'zh' ? 'English' : '中文'}
          </Button>
        </div>
      </div>
    </div>
  );
}

/** A first sign-in (or a reset) must set a password of one's own before anything else. */
export function ChangePasswordPage() {
  const { refresh, signOut } = useAuth();
  const { t, lang } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onFinish = async (v: { currentPassword: string; newPassword: string; confirm: string }) => {
    if (v.newPassword !== v.confirm) {
      setError(t({ zh: '两次输入的新密码不一致', en: 'The new passwords differ' }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await apiCall('POST /api/auth/password', {
        body: { currentPassword: v.currentPassword, newPassword: v.newPassword },
      });
      await refresh();
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };
  const required = { required: true, message: t(L.common.required) };
  return (
    <div className="m-signin" data-testid="m-change-password">
      <div className="m-signin-brand">
        <h1>{t({ zh: '请设置您自己的密码', en: 'Set a password of your own' })}</h1>
      </div>
      <div className="m-signin-card">
        {error && <NoticeBar content={error} color="error" wrap className="m-signin-error" />}
        <Form
          layout="vertical"
          mode="card"
          onFinish={(v: { currentPassword: string; newPassword: string; confirm: string }) =>
            void onFinish(v)
          }
          footer={
            <Button block type="submit" color="primary" size="large" loading={busy}>
              {t(L.common.save)}
            </Button>
          }
        >
          <Form.Item name="currentPassword" label={t(L.common.currentPassword)} rules={[required]}>
            <Input type="password" autoComplete="current-password" />
          </Form.Item>
          <Form.Item name="newPassword" label={t(L.common.newPassword)} rules={[required]}>
            <Input type="password" autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="confirm" label={t(L.common.confirmNewPassword)} rules={[required]}>
            <Input type="password" autoComplete="new-password" />
          </Form.Item>
        </Form>
        <div className="m-signin-foot">
          <Button fill="none" size="small" onClick={() => void signOut()}>
            {t(L.common.signOut)}
          </Button>
        </div>
      </div>
    </div>
  );
}
