import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { page } from '../test/fixtures.js';
import { grid, myRound } from '../test/mobile-fixtures.js';
import { apiError, reply } from '../test/mock-api.js';
import { asUser } from '../test/render.js';
import { renderPhone } from '../test/render-mobile.js';
import { MobileApp } from './MobileApp.js';

// The phone app's frame: sign-in with the admin's endpoints and CSRF convention, the two tabs,
// the forced password change, and what an office user opening /m gets.

const GRID_API = {
  'GET /api/grids': { items: [grid()] },
  'GET /api/problems': page([]),
  'GET /api/patrols': { items: [] },
};

describe('phone app: frame and sign-in', () => {
  it('signed out: sign in, see the task list; signing out sends the CSRF token from sign-in', async () => {
    const p = await renderPhone(<MobileApp />, {
      user: null,
      api: {
        ...GRID_API,
        'POST /api/auth/login': {
          user: asUser('grid_worker', { name: '孙网格' }),
          csrfToken: 'token-from-login',
          expiresAt: '2099-01-01T00:00:00.000Z',
        },
        'POST /api/auth/logout': reply(204),
      },
    });
    expect(screen.getByTestId('m-signin')).toBeInTheDocument();
    await p.user.type(document.getElementById('m-login-username')!, ' grid ');
    await p.user.type(document.getElementById('m-login-password')!, 'Demo@2026');
    await p.user.click(screen.getByTestId('m-login-submit'));
    expect(await screen.findByTestId('m-task-patrol')).toBeInTheDocument();
    expect(p.api.lastBody('POST /api/auth/login')).toEqual({
      username: 'grid',
      password: 'Demo@2026',
    });

    await p.user.click(screen.getByText('我的'));
    expect(await screen.findByTestId('m-user-name')).toHaveTextContent('孙网格');
    expect(screen.getByText('网格员')).toBeInTheDocument();
    await p.user.click(screen.getByTestId('m-sign-out'));
    expect(await screen.findByTestId('m-signin')).toBeInTheDocument();
    const logout = p.api.callsTo('POST /api/auth/logout');
    expect(logout).toHaveLength(1);
    expect(logout[0]!.headers['x-csrf-token']).toBe('token-from-login');
  });

  it('a wrong password shows the server’s message', async () => {
    const p = await renderPhone(<MobileApp />, {
      user: null,
      api: {
        'POST /api/auth/login': reply(401, {
          error: {
            code: 'bad_credentials',
            message: '账号或密码错误',
            messageZh: '账号或密码错误',
            messageEn: 'Wrong username or password',
          },
        }),
      },
    });
    await p.user.type(document.getElementById('m-login-username')!, 'grid');
    await p.user.type(document.getElementById('m-login-password')!, 'nope');
    await p.user.click(screen.getByTestId('m-login-submit'));
    expect(await screen.findByTestId('m-login-error')).toHaveTextContent('账号或密码错误');
  });

  it('a user who must change the password gets that form first', async () => {
    await renderPhone(<MobileApp />, {
      user: asUser('grid_worker', { mustChangePassword: true }),
    });
    expect(await screen.findByTestId('m-change-password')).toBeInTheDocument();
    expect(screen.queryByTestId('m-home')).toBeNull();
  });

  it('an office user gets the phone app too, with only the sections that hold something', async () => {
    const p = await renderPhone(<MobileApp />, {
      user: 'office',
      api: {
        'GET /api/grids': { items: [] },
        'GET /api/problems': page([]),
        'GET /api/patrols': { items: [] },
        'GET /api/inspections/mine': { items: [] },
        'GET /api/survey-app/assignments': [],
        'GET /api/volunteer-activities': [],
        // The office holds serviceorder.take but is no volunteer.
        'GET /api/service-orders/tasks': apiError(403, 'not_a_volunteer', {
          zh: '您的账号未关联志愿者登记信息，请联系创建办',
          en: 'your account is not linked to a volunteer record',
        }),
      },
    });
    expect(await screen.findByTestId('m-home')).toBeInTheDocument();
    await waitFor(() => expect(p.api.callsTo('GET /api/volunteer-activities')).toHaveLength(1));
    await waitFor(() =>
      expect(document.querySelectorAll('[data-testid^=m-task-]')).toHaveLength(0),
    );
    // The office holds no unit: nothing to rectify is asked for.
    expect(
      p.api.callsTo('GET /api/problems').every((c) => c.query.state !== 'dispatched,returned'),
    ).toBe(true);
  });

  it('/inspect opens 实地检查 (its own chunk) for those who may report, the task list for others', async () => {
    const p = await renderPhone(<MobileApp />, {
      user: 'inspector',
      route: '/inspect',
      api: { 'GET /api/inspections/mine': { items: [myRound()] } },
    });
    expect(await screen.findByTestId('inspect-round-7')).toBeInTheDocument();
    expect(p.location()).toBe('/inspect');
    p.unmount();

    const s = await renderPhone(<MobileApp />, {
      user: 'surveyor',
      route: '/inspect',
      api: { 'GET /api/survey-app/assignments': [] },
    });
    expect(await screen.findByTestId('m-home')).toBeInTheDocument();
    expect(s.location()).toBe('/');
    expect(s.api.callsTo('GET /api/inspections/mine')).toHaveLength(0);
  });
});
