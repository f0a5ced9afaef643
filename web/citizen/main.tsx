import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from '../shared/i18n.js';
import { CitizenApp } from './CitizenApp.js';
import './citizen.css';

// The public pages (随手拍, progress lookup, 曝光台): a small bundle of their own, no admin UI kit.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <CitizenApp />
    </I18nProvider>
  </StrictMode>,
);
