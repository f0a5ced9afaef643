import { render, screen, waitFor, type RenderResult } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import type { QueryClient } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import type { ReactElement, ReactNode } from 'react';
import { expect } from 'vitest';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import type { TSessionUser } from '../../core/contracts/auth.js';
import { permissionsOf, type TRole } from '../../core/permissions.js';
import { AdminProviders } from '../admin/AdminProviders.js';
import { useAuth } from '../admin/auth.js';
import { I18nProvider, type Lang } from '../shared/i18n.js';
import { REFERENCE_ROUTES } from './fixtures.js';
import { DESKTOP_WIDTH, setViewportWidth } from './viewport.js';
import { testQueryClient } from './query-client.js';
import { mockApi, reply, type ApiMock, type Routes as ApiRoutes } from './mock-api.js';

/** The CSRF token the mocked /api/auth/me hands out; writes must send it back. */
export const TEST_CSRF = 'test-csrf-token';

/** A signed-in user with the permissions of the roles (core/permissions.ts), as /api/auth/me says. */
export function asUser(roles: TRole | TRole[], over: Partial<TSessionUser> = {}): TSessionUser {
  const list = Array.isArray(roles) ? roles : [roles];
  const unit = list.includes('unit');
  return {
    id: 1,
    username: list[0] ?? 'user',
    name: unit ? '张科长' : '李主任',
    roles: list,
    permissions: [...permissionsOf(list)],
    unitId: unit ? 7 : null,
    unitName: unit ? '市城市管理综合执法局' : null,
    regionId: 1,
    regionName: '示范市',
    regionLevel: 'city',
    mustChangePassword: false,
    ...over,
  };
}

export interface RenderPageOptions {
  /** Who is signed in: a role, a user from asUser(), or null for nobody (401 on /api/auth/me). */
  user?: TRole | TSessionUser | null;
  /**
   * The server: routes for mockApi(). Added beforehand: /api/auth/me from `user`, and the
   * reference data the pickers load and cache for the worker (REFERENCE_ROUTES).
   */
  api?: ApiRoutes;
  /** The URL the page opens at. */
  route?: string;
  /** The route pattern the page is mounted on (`/problems/:id`), for pages reading params. */
  path?: string;
  lang?: Lang;
  /** The data layer's cache: a fresh one (testQueryClient()) unless given. */
  queryClient?: QueryClient;
  /** The window's width in CSS pixels (antd's breakpoints follow it): 390 for a phone. */
  width?: number;
}

export interface RenderedPage extends RenderResult {
  api: ApiMock;
  user: UserEvent;
  /** The page's QueryClient (its own, fresh for the test unless one was passed). */
  queryClient: QueryClient;
  /** The current location (path and query) inside the MemoryRouter. */
  location: () => string;
}

/** Renders children once /api/auth/me has answered, as AdminApp waits before showing a page. */
function WhenSignedIn({ children, expectUser }: { children: ReactNode; expectUser: boolean }) {
  const { loading, user } = useAuth();
  if (loading || (expectUser && !user)) return null;
  return <div data-testid="test-auth-ready">{children}</div>;
}

let currentPath = '';
function LocationProbe() {
  const l = useLocation();
  currentPath = `${l.pathname}${l.search}`;
  return null;
}

/**
 * Renders a page (or AdminApp) inside the providers the app uses — I18nProvider, AdminProviders
 * (antd ConfigProvider zh-CN/en, antd App, AuthProvider) and a MemoryRouter — with fetch mocked,
 * and resolves once the signed-in user is known.
 */
export async function renderPage(
  ui: ReactElement,
  opts: RenderPageOptions = {},
): Promise<RenderedPage> {
  const who = opts.user === undefined ? 'office' : opts.user;
  const sessionUser = who === null ? null : typeof who === 'string' ? asUser(who) : who;
  if (opts.lang) localStorage.setItem('cc.lang', opts.lang);
  setViewportWidth(opts.width ?? DESKTOP_WIDTH);
  const api = mockApi({
    ...REFERENCE_ROUTES,
    'GET /api/auth/me': sessionUser
      ? { user: sessionUser, csrfToken: TEST_CSRF, expiresAt: '2099-01-01T00:00:00.000Z' }
      : reply(401, {
          error: {
            code: 'unauthenticated',
            message: '请先登录',
            messageZh: '请先登录',
            messageEn: 'Sign in first',
          },
        }),
    ...opts.api,
  });
  const route = opts.route ?? opts.path ?? '/';
  const queryClient = opts.queryClient ?? testQueryClient();
  const result = render(
    <I18nProvider>
      <AdminProviders queryClient={queryClient}>
        {/* No motion: drop-downs and dialogs open and close at once, as a test expects. No
            runtime CSS (zeroRuntime): generating and injecting antd's styles for every render
            took about half of the tier's time, and tests check what a page shows and sends,
            not how it looks. */}
        <ConfigProvider theme={{ token: { motion: false }, zeroRuntime: true }}>
          <MemoryRouter initialEntries={[route]}>
            <LocationProbe />
            <WhenSignedIn expectUser={sessionUser !== null}>
              {opts.path ? (
                <Routes>
                  <Route path={opts.path} element={ui} />
                </Routes>
              ) : (
                ui
              )}
            </WhenSignedIn>
          </MemoryRouter>
        </ConfigProvider>
      </AdminProviders>
    </I18nProvider>,
  );
  await waitFor(() => expect(screen.getByTestId('test-auth-ready')).toBeInTheDocument());
  return {
    ...result,
    api,
    queryClient,
    // No delay between keystrokes, and no pointer-events check (antd's getComputedStyle walks
    // are slow in happy-dom and its overlays are not what these tests look at).
    user: userEvent.setup({ delay: null, pointerEventsCheck: 0 }),
    location: () => currentPath,
  };
}

/** The element with this id (antd fields carry the ids the e2e tier uses); fails when missing. */
export function byId<T extends HTMLElement = HTMLInputElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no element #${id}`);
  return el as T;
}
