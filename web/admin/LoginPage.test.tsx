import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError, reply } from '../test/mock-api.js';
import { asUser, byId, renderPage, TEST_CSRF, type RenderedPage } from '../test/render.js';
import { LoginPage } from './LoginPage.js';

async function signIn(page: RenderedPage, username: string, password: string) {
  if (username) await page.user.type(byId('login-username'), username);
  if (password) await page.user.type(byId('login-password'), password);
  await page.user.click(screen.getByTestId('login-submit'));
}

const LOCKED = apiError(423, 'account_locked', {
  zh: '密码连续错误次数过多，账号已锁定，请 15 分钟后再试或联系管理员',
  en: 'too many wrong passwords: the account is locked for 15 more minute(s), or ask an administrator',
});

describe('LoginPage', () => {
  it('shows the server message of a wrong password, and posts what was typed', async () => {
    const page = await renderPage(<LoginPage />, {
      user: null,
      api: {
        'POST /api/auth/login': apiError(401, 'bad_credentials', {
          zh: '用户名或密码错误',
          en: 'wrong username or password',
        }),
      },
    });
    await signIn(page, 'office', 'wrong-password');
    expect(await screen.findByTestId('login-error')).toHaveTextContent('用户名或密码错误');
    expect(page.api.lastBody('POST /api/auth/login')).toEqual({
      username: 'office',
      password: 'wrong-password',
    });
    // A wrong password must not sign anyone out elsewhere: no 401 handler is triggered for login.
    expect(page.api.callsTo('GET /api/auth/me')).toHaveLength(1);
  });

  it('a locked account (423) says how long to wait', async () => {
    const page = await renderPage(<LoginPage />, {
      user: null,
      api: { 'POST /api/auth/login': LOCKED },
    });
    await signIn(page, 'office', 'Demo@2026');
    expect(await screen.findByTestId('login-error')).toHaveTextContent(
      '账号已锁定，请 15 分钟后再试',
    );
  });

  it('the lockout in English when English is chosen', async () => {
    const page = await renderPage(<LoginPage />, {
      user: null,
      lang: 'en',
      api: { 'POST /api/auth/login': LOCKED },
    });
    expect(screen.getByTestId('login-submit')).toHaveTextContent('Sign in');
    await signIn(page, 'office', 'Demo@2026');
    expect(await screen.findByTestId('login-error')).toHaveTextContent(
      'the account is locked for 15 more minute(s)',
    );
  });

  it('throttled by address (429): the message to come back later', async () => {
    const page = await renderPage(<LoginPage />, {
      user: null,
      api: {
        'POST /api/auth/login': apiError(429, 'too_many_attempts', {
          zh: '登录失败次数过多，请 12 分钟后再试',
          en: 'too many failed sign-ins; try again in 12 minute(s)',
        }),
      },
    });
    await signIn(page, 'office', 'x');
    expect(await screen.findByTestId('login-error')).toHaveTextContent(
      '登录失败次数过多，请 12 分钟后再试',
    );
  });

  it('an answer without the error body still says what failed', async () => {
    const page = await renderPage(<LoginPage />, {
      user: null,
      api: { 'POST /api/auth/login': reply(502) },
    });
    await signIn(page, 'office', 'x');
    expect(await screen.findByTestId('login-error')).toHaveTextContent('请求失败（502）');
  });

  it('empty fields are refused in the form, and nothing is sent', async () => {
    const page = await renderPage(<LoginPage />, { user: null });
    await signIn(page, '', '');
    expect(await screen.findByText('请输入账号')).toBeInTheDocument();
    expect(screen.getByText('请输入密码')).toBeInTheDocument();
    expect(page.api.callsTo('POST /api/auth/login')).toHaveLength(0);
  });

  it('a second try clears the error of the first', async () => {
    let attempts = 0;
    const page = await renderPage(<LoginPage />, {
      user: null,
      api: {
        'POST /api/auth/login': () =>
          ++attempts === 1
            ? apiError(401, 'bad_credentials', { zh: '用户名或密码错误', en: 'wrong' })
            : { user: asUser('office'), csrfToken: TEST_CSRF, expiresAt: '2099-01-01T00:00:00Z' },
      },
    });
    await signIn(page, 'office', 'bad');
    await screen.findByTestId('login-error');
    await page.user.clear(byId('login-password'));
    await signIn(page, '', 'Demo@2026');
    await expect.poll(() => screen.queryByTestId('login-error')).toBeNull();
    expect(page.api.lastBody('POST /api/auth/login')).toEqual({
      username: 'office',
      password: 'Demo@2026',
    });
  });
});
