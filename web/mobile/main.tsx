import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { I18nProvider } from '../shared/i18n.js';
import { MobileApp } from './MobileApp.js';
import { MobileProviders } from './MobileProviders.js';
import { registerServiceWorker } from './service-worker.js';
import './mobile.css';

// The phone app (/m/): field users' tasks, each flow loaded when opened, offline-capable.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <MobileProviders>
        <BrowserRouter basename="/m">
          <MobileApp />
        </BrowserRouter>
      </MobileProviders>
    </I18nProvider>
  </StrictMode>,
);

registerServiceWorker();
