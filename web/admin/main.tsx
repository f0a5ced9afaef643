import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { I18nProvider } from '../shared/i18n.js';
import { AdminApp } from './AdminApp.js';
import { AdminProviders } from './AdminProviders.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <AdminProviders>
        <BrowserRouter>
          <AdminApp />
        </BrowserRouter>
      </AdminProviders>
    </I18nProvider>
  </StrictMode>,
);
