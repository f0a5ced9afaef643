import { lazy, Suspense } from 'react';
import { BrowserRouter, NavLink, Navigate, Route, Routes } from 'react-router';
import { L, useI18n } from '../shared/i18n.js';
import { ExposurePage } from './ExposurePage.js';
import { ReportPage } from './ReportPage.js';
import { SurveyPage } from './SurveyPage.js';
import { TrackPage } from './TrackPage.js';

// 身边好人 and the 星级文明户 board load when opened: the 随手拍 page's first load stays as small
// as it was.
const GoodPeoplePage = lazy(() =>
  import('./GoodPeoplePage.js').then((m) => ({ default: m.GoodPeoplePage })),
);
const StarBoardPage = lazy(() =>
  import('./StarBoardPage.js').then((m) => ({ default: m.StarBoardPage })),
);
// 点单服务 too (issue #24): the order form and its tracking page, one chunk.
const ServicesPage = lazy(() =>
  import('./ServicesPage.js').then((m) => ({ default: m.ServicesPage })),
);
const ServiceTrackPage = lazy(() =>
  import('./ServicesPage.js').then((m) => ({ default: m.ServiceTrackPage })),
);
const CreditsPage = lazy(() =>
  import('./CreditsPage.js').then((m) => ({ default: m.CreditsPage })),
);

export function CitizenApp() {
  const { t, lang, setLang } = useI18n();
  return (
    <BrowserRouter>
      <header className="cz-header">
        <div className="cz-title">{t({ zh: '文明随手拍', en: 'Report a problem' })}</div>
        {/* 文明积分: in the header, so the six tabs below keep one line on a phone. */}
        <NavLink to="/credits" className="cz-link-button" data-testid="nav-credits">
          {t({ zh: '我的积分', en: 'My points' })}
        </NavLink>
        <button
          type="button"
          className="cz-link-button"
          data-testid="lang-switch"
          onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
        >
          {lang === 'zh' ? 'English' : '中文'}
        </button>
      </header>
      <main className="cz-main">
        <Routes>
          <Route path="/report" element={<ReportPage />} />
          <Route path="/track" element={<TrackPage />} />
          <Route path="/track/:code" element={<TrackPage />} />
          <Route path="/exposure" element={<ExposurePage />} />
          <Route
            path="/stars"
            element={
              <Suspense fallback={null}>
                <StarBoardPage />
              </Suspense>
            }
          />
          <Route path="/s/:token" element={<SurveyPage />} />
          <Route
            path="/good-people"
            element={
              <Suspense fallback={null}>
                <GoodPeoplePage />
              </Suspense>
            }
          />
          <Route
            path="/services"
            element={
              <Suspense fallback={null}>
                <ServicesPage />
              </Suspense>
            }
          />
          <Route
            path="/services/track/:code?"
            element={
              <Suspense fallback={null}>
                <ServiceTrackPage />
              </Suspense>
            }
          />
          <Route
            path="/credits"
            element={
              <Suspense fallback={null}>
                <CreditsPage />
              </Suspense>
            }
          />
          <Route path="*" element={<Navigate to="/report" replace />} />
        </Routes>
      </main>
      <nav className="cz-tabs">
        <NavLink to="/report">{t(L.problems.citizenReport)}</NavLink>
        <NavLink to="/track">{t({ zh: '查进度', en: 'Progress' })}</NavLink>
        <NavLink to="/exposure">{t(L.problems.exposureBoard)}</NavLink>
        <NavLink to="/stars">{t({ zh: '星级文明户', en: 'Star households' })}</NavLink>
        <NavLink to="/good-people">{t(L.cells.goodPeople)}</NavLink>
        <NavLink to="/services">{t({ zh: '点单', en: 'Services' })}</NavLink>
      </nav>
    </BrowserRouter>
  );
}
