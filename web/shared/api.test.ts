import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiCall, apiUrl, qs, setCsrfToken, setOnUnauthenticated } from './api.js';

// The typed client (apiCall) over fetch: the URL it builds, what it sends, and what it makes of
// the answer. fetch is replaced by a recorder answering what each test says.

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: BodyInit | null | undefined;
  signal: AbortSignal | null | undefined;
}

function answer(res: () => Response): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string, init: RequestInit = {}) => {
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((v, k) => (headers[k] = v));
      sent.push({
        url,
        method: init.method ?? 'GET',
        headers,
        body: init.body,
        signal: init.signal,
      });
      return Promise.resolve(res());
    }),
  );
  return sent;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken('');
  setOnUnauthenticated(() => undefined);
});

describe('apiUrl', () => {
  it('puts the path parameters in, encoded', () => {
    expect(apiUrl('GET /api/problems/:id', { params: { id: 42 } })).toBe('/api/problems/42');
    expect(apiUrl('GET /api/public/track/:code', { params: { code: 'a/b c' } })).toBe(
      '/api/public/track/a%2Fb%20c',
    );
  });

  it('adds the query, leaving out empty values, lists joined by commas', () => {
    expect(
      apiUrl('GET /api/problems', {
        query: { q: '', state: 'new,dispatched', limit: 20, cursor: undefined },
      }),
    ).toBe('/api/problems?state=new%2Cdispatched&limit=20');
    expect(qs({ a: ['x', 'y'], b: null, c: false })).toBe('?a=x%2Cy&c=false');
    expect(apiUrl('GET /api/problems')).toBe('/api/problems');
  });

  it('fails on a missing path parameter instead of asking a wrong URL', () => {
    // @ts-expect-error the route needs params.id
    expect(() => apiUrl('GET /api/problems/:id', {})).toThrow(/needs the path parameter "id"/);
  });
});

describe('apiCall', () => {
  it('reads JSON with no CSRF header and no body', async () => {
    const sent = answer(() => json({ items: [], nextCursor: null, total: 0 }));
    setCsrfToken('tok');
    const page = await apiCall('GET /api/problems', { query: { limit: 5 } });
    expect(page.total).toBe(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ url: '/api/problems?limit=5', method: 'GET', body: undefined });
    expect(sent[0]!.headers['x-csrf-token']).toBeUndefined();
  });

  it('sends the CSRF token and a JSON body on a write; {} for a POST without one', async () => {
    const sent = answer(() => new Response(null, { status: 204 }));
    setCsrfToken('tok');
    await apiCall('PATCH /api/units/:id', {
      params: { id: 7 },
      body: { name: '市城管局', version: 3 },
    });
    await apiCall('POST /api/auth/logout');
    expect(sent[0]).toMatchObject({ url: '/api/units/7', method: 'PATCH' });
    expect(sent[0]!.headers).toMatchObject({
      'x-csrf-token': 'tok',
      'content-type': 'application/json',
    });
    expect(JSON.parse(sent[0]!.body as string)).toEqual({ name: '市城管局', version: 3 });
    expect(sent[1]).toMatchObject({ method: 'POST', body: '{}' });
    expect(sent[1]!.headers['x-csrf-token']).toBe('tok');
  });

  it('answers undefined for a 204', async () => {
    answer(() => new Response(null, { status: 204 }));
    await expect(
      apiCall('DELETE /api/assignments/:id', { params: { id: 1 }, query: { version: 2 } }),
    ).resolves.toBeUndefined();
  });

  it('sends a FormData upload as it is, without a JSON content type', async () => {
    const sent = answer(() => json({ created: 1, updated: 0, errors: [] }));
    const form = new FormData();
    form.append('file', new Blob(['x']), 'units.xlsx');
    await apiCall('POST /api/units/import', { body: form });
    expect(sent[0]!.body).toBe(form);
    expect(sent[0]!.headers['content-type']).toBeUndefined();
  });

  it('throws an ApiError in both languages with the fields of a 4xx', async () => {
    answer(() =>
      json(
        {
          error: {
            code: 'validation',
            message: '标题必填',
            messageZh: '标题必填',
            messageEn: 'title is required',
            fields: [{ path: 'title', message: '必填' }],
          },
        },
        400,
      ),
    );
    const err = await apiCall('GET /api/problems/:id', { params: { id: 1 } }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      status: 400,
      code: 'validation',
      messageZh: '标题必填',
      messageEn: 'title is required',
      fields: [{ path: 'title', message: '必填' }],
    });
  });

  it('makes an ApiError of an answer that is not the error body', async () => {
    answer(() => new Response('<html>bad gateway</html>', { status: 502 }));
    await expect(apiCall('GET /api/problems')).rejects.toMatchObject({
      status: 502,
      code: 'http',
      messageZh: '请求失败（502）',
      messageEn: 'request failed (502)',
    });
  });

  it('calls the 401 handler, but not for a failed sign-in', async () => {
    answer(() =>
      json(
        {
          error: {
            code: 'unauthenticated',
            messageZh: '请先登录',
            messageEn: 'Sign in first',
            message: '',
          },
        },
        401,
      ),
    );
    const onUnauthenticated = vi.fn();
    setOnUnauthenticated(onUnauthenticated);
    await expect(apiCall('GET /api/problems')).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
    await expect(
      apiCall('POST /api/auth/login', { body: { username: 'a', password: 'b' } }),
    ).rejects.toMatchObject({ status: 401 });
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it('passes the abort signal on', async () => {
    const sent = answer(() => json({ items: [], nextCursor: null, total: 0 }));
    const ctl = new AbortController();
    await apiCall('GET /api/problems', {}, ctl.signal);
    expect(sent[0]!.signal).toBe(ctl.signal);
  });
});
