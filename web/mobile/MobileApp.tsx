import { DotLoading, SafeArea, TabBar } from 'antd-mobile';
import { AppOutline, UserOutline } from 'antd-mobile-icons';
import { lazy, Suspense, type ComponentType } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { Permission } from '../../core/permissions.js';
import { useAuth } from '../admin/auth.js';
import { L, useI18n } from '../shared/i18n.js';
import { AccountPage } from './AccountPage.js';
import { HomePage } from './HomePage.js';
import { ChangePasswordPage, SignInPage } from './SignInPage.js';

/**
 * Each flow is its own chunk, loaded when first opened (and precached by the service worker, so
 * it opens offline too): the first load carries only sign-in, the task list and the frame.
 */
const flow = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));
const PatrolFlow = flow(() => import('./flows/PatrolFlow.js'), 'PatrolFlow');
const InspectFlow = flow(() => import('./flows/InspectFlow.js'), 'InspectFlow');
const RectifyFlow = flow(() => import('./flows/RectifyFlow.js'), 'RectifyFlow');
const VisitsFlow = flow(() => import('./flows/VisitsFlow.js'), 'VisitsFlow');
const SurveyFlow = flow(() => import('./flows/SurveyFlow.js'), 'SurveyFlow');
const CheckinFlow = flow(() => import('./flows/CheckinFlow.js'), 'CheckinFlow');
const ActivitiesFlow = flow(() => import('./flows/CheckinFlow.js'), 'ActivitiesFlow');
const StarsFlow = flow(() => import('./flows/StarsFlow.js'), 'StarsFlow');
const CarrierFlow = flow(() => import('./flows/CarrierFlow.js'), 'CarrierFlow');
const ServiceTasksFlow = flow(() => import('./flows/ServiceOrdersFlow.js'), 'ServiceTasksFlow');
const ServiceOrderFlow = flow(() => import('./flows/ServiceOrdersFlow.js'), 'ServiceOrderFlow');
const ServiceRequestFlow = flow(() => import('./flows/ServiceOrdersFlow.js'), 'ServiceRequestFlow');
const RedeemFlow = flow(() => import('./flows/RedeemFlow.js'), 'RedeemFlow');

export function Loading() {
  return (
    <div className="m-loading" data-testid="m-loading">
      <DotLoading color="primary" />
    </div>
  );
}

/** The phone app: sign-in, then the task list (我的任务) and the account tab; flows full-screen. */
export function MobileApp() {
  const { user, loading, can } = useAuth();
  if (loading) return <Loading />;
  if (!user) return <SignInPage />;
  if (user.mustChangePassword) return <ChangePasswordPage />;
  return (
    <div className="m-app" data-testid="m-app">
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<Tabbed page={<HomePage />} />} />
          <Route path="/me" element={<Tabbed page={<AccountPage />} />} />
          {can(Permission.PatrolWalk) && <Route path="/patrol" element={<PatrolFlow />} />}
          {/* As the server's /api/inspections/mine and /api/visits (and the desktop's /inspect). */}
          {can(Permission.ProblemReport) && <Route path="/inspect/*" element={<InspectFlow />} />}
          {can(Permission.ProblemRectify) && (
            <Route path="/rectify/:id?" element={<RectifyFlow />} />
          )}
          {can(Permission.ProblemReport) && <Route path="/visits" element={<VisitsFlow />} />}
          {can(Permission.SurveyCollect) && <Route path="/survey" element={<SurveyFlow />} />}
          {can(Permission.StarPropose) && <Route path="/stars" element={<StarsFlow />} />}
          {can(Permission.VolunteerServe) && (
            <Route path="/checkin/:id" element={<CheckinFlow />} />
          )}
          {can(Permission.VolunteerServe) && (
            <Route path="/activities" element={<ActivitiesFlow />} />
          )}
          {can(Permission.AdCarrierWrite) && <Route path="/carriers" element={<CarrierFlow />} />}
          {can(Permission.ServiceOrderTake) && (
            <Route path="/service-orders" element={<ServiceTasksFlow />} />
          )}
          {can(Permission.ServiceOrderTake) && (
            <Route path="/service-orders/:id" element={<ServiceOrderFlow />} />
          )}
          {can(Permission.ServiceOrderRequest) && (
            <Route path="/service-request" element={<ServiceRequestFlow />} />
          )}
          {/* 积分核销: a shop's staff; the QR code a resident shows opens it with ?c=. */}
          {can(Permission.CreditRedeem) && (
            <Route path="/credits/redeem" element={<RedeemFlow />} />
          )}
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </Suspense>
    </div>
  );
}

/** A tab's page above the tab bar. */
function Tabbed({ page }: { page: React.ReactNode }) {
  const { t } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <>
      <main className="m-main">{page}</main>
      <nav className="m-tabbar">
        <TabBar activeKey={location.pathname} onChange={(key) => void navigate(key)}>
          <TabBar.Item
            key="/"
            icon={<AppOutline />}
            title={t(L.common.myTasks)}
            data-testid="m-tab-home"
          />
          <TabBar.Item
            key="/me"
            icon={<UserOutline />}
            title={t({ zh: '我的', en: 'Me' })}
            data-testid="m-tab-me"
          />
        </TabBar>
        <SafeArea position="bottom" />
      </nav>
    </>
  );
}
