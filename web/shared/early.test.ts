import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api.js';
import { takeEarly } from './early.js';

// The answer web/early-me.js (written into the page) asked for before the app started: taken once, errors as the
// client's own, and a failed early request asked again.

const holder = globalThis as { __ccEarly?: Record<string, Promise<Response | null>> };
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => {
  delete holder.__ccEarly;
  vi.unstubAllGlobals();
});

describe('takeEarly', () => {
  it('is null when nothing was asked early', () => {
    expect(takeEarly('GET /api/auth/me')).toBeNull();
  });

  it('gives the early answer once', async () => {
    holder.__ccEarly = { '/api/auth/me': Promise.resolve(json(200, { user: { id: 1 } })) };
    await expect(takeEarly('GET /api/auth/me')).resolves.toEqual({ user: { id: 1 } });
    expect(takeEarly('GET /api/auth/me')).toBeNull();
  });

  it('turns an error answer into the client’s ApiError, both languages', async () => {
    holder.__ccEarly = {
      '/api/auth/me': Promise.resolve(
        json(401, {
          error: {
            code: 'unauthenticated',
            message: '请登录',
            messageZh: '请登录',
            messageEn: 'Sign in',
          },
        }),
      ),
    };
    const err = await takeEarly('GET /api/auth/me')!.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 401, code: 'unauthenticated', messageEn: 'Sign in' });
  });

  it('asks again when the early request failed', async () => {
    const fetchMock = vi.fn(() => Promise.resolve(json(200, { user: { id: 2 } })));
    vi.stubGlobal('fetch', fetchMock);
    holder.__ccEarly = { '/api/auth/me': Promise.resolve(null) };
    await expect(takeEarly('GET /api/auth/me')).resolves.toEqual({ user: { id: 2 } });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
