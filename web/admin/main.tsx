import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { I18nProvider, useI18n } from '../shared/i18n.js';
import { AuthProvider } from './auth.js';
import { AdminApp } from './AdminApp.js';

function Root() {
  const { lang } = useI18n();
  return (
    <ConfigProvider
      locale={lang === 'en' ? enUS : zhCN}
      theme={{ token: { colorPrimary: '#c8102e' } }}
    >
      <AntApp>
        <AuthProvider>
          <BrowserRouter>
            <AdminApp />
          </BrowserRouter>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <Root />
    </I18nProvider>
  </StrictMode>,
);
