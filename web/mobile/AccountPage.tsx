import { Button, List, Tag } from 'antd-mobile';
import { ROLE_LABELS } from '../../core/permissions.js';
import { useAuth } from '../admin/auth.js';
import { L, useI18n } from '../shared/i18n.js';
import { forgetCachedAnswers } from './service-worker.js';

/** 我的: who is signed in, the language, the desktop app, signing out. */
export function AccountPage() {
  const { user, signOut } = useAuth();
  const { t, lang, setLang } = useI18n();
  if (!user) return null;
  return (
    <div data-testid="m-account">
      <header className="m-header">
        <div className="m-header-title">{t({ zh: '我的', en: 'Me' })}</div>
      </header>
      <div className="m-profile">
        <div className="m-avatar" aria-hidden>
          {user.name.slice(0, 1)}
        </div>
        <div>
          <div className="m-profile-name" data-testid="m-user-name">
            {user.name}
          </div>
          <div className="m-profile-roles">
            {user.roles.map((r) => (
              <Tag key={r} color="primary" fill="outline">
                {t(ROLE_LABELS[r])}
              </Tag>
            ))}
          </div>
        </div>
      </div>
      <List mode="card">
        {user.unitName && <List.Item extra={user.unitName}>{t(L.org.unit)}</List.Item>}
        {user.regionName && (
          <List.Item extra={user.regionName}>{t({ zh: '辖区', en: 'Area' })}</List.Item>
        )}
        <List.Item
          extra={lang === 'zh' ? '中文' : 'English'}
          onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
          data-testid="m-lang"
        >
          {t({ zh: '语言 / Language', en: 'Language / 语言' })}
        </List.Item>
        <List.Item onClick={() => window.location.assign('/')} data-testid="m-desktop">
          {t({ zh: '打开电脑版', en: 'Open the desktop app' })}
        </List.Item>
      </List>
      <div className="m-pad">
        <Button
          block
          size="large"
          color="danger"
          fill="outline"
          data-testid="m-sign-out"
          onClick={() => void forgetCachedAnswers().then(signOut)}
        >
          {t(L.common.signOut)}
        </Button>
      </div>
    </div>
  );
}
