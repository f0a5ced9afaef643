import { render, screen, waitFor, type RenderResult } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import type { QueryClient } from '@tanstack/react-query';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { expect } from 'vitest';
import type { TSessionUser } from '../../core/contracts/auth.js';
import type { TRole } from '../../core/permissions.js';
import { useAuth } from '../admin/auth.js';
import { MobileProviders } from '../mobile/MobileProviders.js';
import { I18nProvider, type Lang } from '../shared/i18n.js';
import { REFERENCE_ROUTES } from './fixtures.js';
import { testQueryClient } from './query-client.js';
import { mockApi, reply, type ApiMock, type Routes as ApiRoutes } from './mock-api.js';
import { asUser, TEST_CSRF } from './render.js';
import { setViewportWidth } from './viewport.js';

/** A phone's width in CSS pixels. */
export const PHONE_WIDTH = 390;

export interface RenderPhoneOptions {
  /** Who is signed in: a role, a user from asUser(), or null for nobody (401 on /api/auth/me). */
  user?: TRole | TSessionUser | null;
  /** The server: routes for mockApi(), after /api/auth/me and the reference data. */
  api?: ApiRoutes;
  /** The URL inside the phone app (its router's basename /m is left out): `/patrol`. */
  route?: string;
  /** Mount `ui` on this route pattern (with a stand-in home at `/`), for flows that navigate. */
  path?: string;
  lang?: Lang;
  /** The data layer's cache: a fresh one (testQueryClient()) unless given. */
  queryClient?: QueryClient;
}

export interface RenderedPhone extends RenderResult {
  api: ApiMock;
  user: UserEvent;
  /** The page's QueryClient (its own, fresh for the test unless one was passed). */
  queryClient: QueryClient;
  /** The current location inside the phone app's router. */
  location: () => string;
}

let currentPath = '';
function LocationProbe() {
  const l = useLocation();
  currentPath = `${l.pathname}${l.search}`;
  return null;
}

function WhenKnown({ children, expectUser }: { children: ReactNode; expectUser: boolean }) {
  const { loading, user } = useAuth();
  if (loading || (expectUser && !user)) return null;
  return <div data-testid="test-auth-ready">{children}</div>;
}

/**
 * Renders a screen of the phone app (web/mobile) as main.tsx does — I18nProvider, MobileProviders
 * (antd-mobile's ConfigProvider, AuthProvider) and a router — at a phone's width, with fetch
 * mocked (mockApi), and resolves once /api/auth/me has answered. renderPage() is the admin's.
 */
export async function renderPhone(
  ui: ReactElement,
  opts: RenderPhoneOptions = {},
): Promise<RenderedPhone> {
  const who = opts.user === undefined ? 'grid_worker' : opts.user;
  const sessionUser = who === null ? null : typeof who === 'string' ? asUser(who) : who;
  if (opts.lang) localStorage.setItem('cc.lang', opts.lang);
  setViewportWidth(PHONE_WIDTH);
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
  const queryClient = opts.queryClient ?? testQueryClient();
  const result = render(
    <I18nProvider>
      <MobileProviders queryClient={queryClient}>
        <MemoryRouter initialEntries={[opts.route ?? opts.path ?? '/']}>
          <LocationProbe />
          <WhenKnown expectUser={sessionUser !== null}>
            {opts.path ? (
              <Routes>
                <Route path="/" element={<p>home</p>} />
                <Route path={opts.path} element={ui} />
              </Routes>
            ) : (
              ui
            )}
          </WhenKnown>
        </MemoryRouter>
      </MobileProviders>
    </I18nProvider>,
  );
  await waitFor(() => expect(screen.getByTestId('test-auth-ready')).toBeInTheDocument());
  return {
    ...result,
    api,
    queryClient,
    user: userEvent.setup({ delay: null, pointerEventsCheck: 0 }),
    location: () => currentPath,
  };
}
