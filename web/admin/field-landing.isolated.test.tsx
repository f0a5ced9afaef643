import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TRole } from '../../core/permissions.js';
import { isFieldUser } from '../shared/field-roles.js';
import { asUser, byId, renderPage } from '../test/render.js';
import { AdminApp } from './AdminApp.js';

// Issue #21: a field user (测评员, 网格员, 调查员, 志愿者) signing in on the desktop login lands on
// the phone app's task list (/m/), not the city's ledger; everyone else stays in the admin.

vi.mock('./results/DashboardPage.js', () => ({ DashboardPage: () => <p>DashboardPage</p> }));
vi.mock('./problems/ProblemsPage.js', () => ({ ProblemsPage: () => <p>ProblemsPage</p> }));

const shellApi = {
  'GET /api/notifications/unread-count': { count: 0 },
  'GET /api/problems/verification-queue': { items: [], nextCursor: null, total: 0 },
};

async function signInAs(roles: TRole[]) {
  const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => undefined);
  const page = await renderPage(<AdminApp />, {
    user: null,
    api: {
      ...shellApi,
      'POST /api/auth/login': {
        user: asUser(roles),
        csrfToken: 'token-from-login',
        expiresAt: '2099-01-01T00:00:00.000Z',
      },
    },
  });
  await page.user.type(byId('login-username'), 'someone');
  await page.user.type(byId('login-password'), 'Demo@2026');
  await page.user.click(screen.getByTestId('login-submit'));
  return { page, assign };
}

describe('where signing in lands', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a grid worker goes to the phone app, and the admin frame never opens', async () => {
    const { page, assign } = await signInAs(['grid_worker']);
    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith('/m/'));
    expect(page.api.callsTo('POST /api/auth/login')).toHaveLength(1);
    expect(screen.queryByText('ProblemsPage')).toBeNull();
    expect(document.querySelector('.ant-menu')).toBeNull();
  });

  it('an inspector who is also a volunteer too; the office stays in the admin', async () => {
    const field = await signInAs(['inspector', 'volunteer']);
    await vi.waitFor(() => expect(field.assign).toHaveBeenCalledWith('/m/'));
    field.page.unmount();
    vi.restoreAllMocks();

    const office = await signInAs(['office']);
    expect(await screen.findByText('DashboardPage')).toBeInTheDocument();
    expect(office.assign).not.toHaveBeenCalled();
  });

  it('field users are those with field roles only', () => {
    expect(isFieldUser({ roles: ['surveyor'] })).toBe(true);
    expect(isFieldUser({ roles: ['grid_worker', 'inspector'] })).toBe(true);
    expect(isFieldUser({ roles: ['unit', 'grid_worker'] })).toBe(false);
    expect(isFieldUser({ roles: ['office'] })).toBe(false);
    expect(isFieldUser({ roles: [] })).toBe(false);
    expect(isFieldUser(null)).toBe(false);
  });
});
