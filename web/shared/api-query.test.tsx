import { screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { page, problem, unit } from '../test/fixtures.js';
import { useAuth } from '../admin/auth.js';
import { apiError, reply } from '../test/mock-api.js';
import { renderPage } from '../test/render.js';
import { testQueryClient } from '../test/query-client.js';
import { ApiError, apiCall, type ApiResponse } from './api.js';
import { createQueryClient, defaultInvalidation, useApi, useApiMutation } from './api-query.js';

// The data layer's hooks (useApi, useApiMutation) on a page rendered as the app renders it, with
// the test's own QueryClient (web/test/query-client.ts) and the mocked server.

function Titles({ q }: { q?: string }) {
  const { data, error } = useApi('GET /api/problems', { query: { q, limit: 20 } });
  if (error) return <p>error: {error.message}</p>;
  if (!data) return <p>loading</p>;
  return (
    <ul>
      {data.items.map((p) => (
        <li key={p.id}>{p.title}</li>
      ))}
      <li>total {data.total}</li>
    </ul>
  );
}

describe('useApi', () => {
  // Two tests asking the same thing: the second must ask the server again (no cache shared
  // between tests, though their files share the worker's modules).
  for (const n of [1, 2]) {
    it(`asks the server in each test, with its own cache (${n})`, async () => {
      const { api } = await renderPage(<Titles />, {
        api: { 'GET /api/problems': page([problem({ title: `问题${n}` })]) },
      });
      expect(await screen.findByText(`问题${n}`)).toBeInTheDocument();
      expect(api.callsTo('GET /api/problems')).toHaveLength(1);
      expect(api.callsTo('GET /api/problems')[0]!.query).toEqual({ limit: '20' });
    });
  }

  it('shows the answer to the latest arguments, never a late answer to earlier ones', async () => {
    let releaseFirst: (v: ApiResponse<'GET /api/problems'>) => void = () => undefined;
    function Search() {
      const [q, setQ] = useState('旧');
      return (
        <>
          <button onClick={() => setQ('新')}>search</button>
          <Titles q={q} />
        </>
      );
    }
    const { api, user, queryClient } = await renderPage(<Search />, {
      api: {
        'GET /api/problems': (req) =>
          req.query.q === '旧'
            ? new Promise<ApiResponse<'GET /api/problems'>>((resolve) => (releaseFirst = resolve))
            : { ...page([problem({ id: 2, title: '新的答案' })]), totalCapped: false },
      },
    });
    await waitFor(() => expect(api.callsTo('GET /api/problems')).toHaveLength(1));
    await user.click(screen.getByRole('button', { name: 'search' }));
    expect(await screen.findByText('新的答案')).toBeInTheDocument();
    // The first request's answer arrives after the second's: it is not shown.
    releaseFirst({ ...page([problem({ id: 1, title: '迟到的答案' })]), totalCapped: false });
    await waitFor(() => expect(queryClient.isFetching()).toBe(0));
    expect(screen.queryByText('迟到的答案')).not.toBeInTheDocument();
    expect(screen.getByText('新的答案')).toBeInTheDocument();
  });

  it('waits while its arguments are null, and reports an HTTP error without retrying', async () => {
    function Later() {
      const [id, setId] = useState<number | null>(null);
      const { data, error } = useApi(
        'GET /api/problems/:id',
        id === null ? null : { params: { id } },
      );
      return (
        <>
          <button onClick={() => setId(9)}>open</button>
          <p>{error instanceof ApiError ? error.messageEn : data ? data.problem.title : 'none'}</p>
        </>
      );
    }
    const { api, user } = await renderPage(<Later />, {
      api: {
        'GET /api/problems/:id': apiError(404, 'not_found', {
          zh: '没有这个问题',
          en: 'no such problem',
        }),
      },
    });
    expect(screen.getByText('none')).toBeInTheDocument();
    expect(api.callsTo('GET /api/problems/:id')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'open' }));
    expect(await screen.findByText('no such problem')).toBeInTheDocument();
    expect(api.callsTo('GET /api/problems/:id').map((r) => r.path)).toEqual(['/api/problems/9']);
  });
});

describe('useApiMutation', () => {
  it('refetches the reads it makes stale once the write succeeded', async () => {
    let dispatched = false;
    function Ledger() {
      const dispatch = useApiMutation('POST /api/problems/bulk-dispatch');
      return (
        <>
          <button
            onClick={() =>
              void dispatch.mutateAsync({ body: { items: [{ id: 1, version: 1 }], unitId: 7 } })
            }
          >
            dispatch
          </button>
          <Titles />
        </>
      );
    }
    const { api, user } = await renderPage(<Ledger />, {
      api: {
        'GET /api/problems': () =>
          page([problem({ title: dispatched ? '已派遣' : '待派遣', state: 'registered' })]),
        'POST /api/problems/bulk-dispatch': () => {
          dispatched = true;
          return { results: [{ id: 1, ok: true }] };
        },
      },
    });
    expect(await screen.findByText('待派遣')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'dispatch' }));
    expect(await screen.findByText('已派遣')).toBeInTheDocument();
    expect(api.callsTo('GET /api/problems')).toHaveLength(2);
    expect(api.lastBody('POST /api/problems/bulk-dispatch')).toEqual({
      items: [{ id: 1, version: 1 }],
      unitId: 7,
    });
  });

  it('invalidates only what it names when it says', async () => {
    const client = testQueryClient();
    function Both() {
      const save = useApiMutation('PATCH /api/units/:id', { invalidates: ['GET /api/regions'] });
      const units = useApi('GET /api/units', {});
      const regions = useApi('GET /api/regions', {});
      return (
        <>
          <button
            onClick={() =>
              void save.mutateAsync({ params: { id: 7 }, body: { name: '新名称', version: 1 } })
            }
          >
            save
          </button>
          <p>{units.data && regions.data ? 'ready' : 'loading'}</p>
        </>
      );
    }
    const { api, user } = await renderPage(<Both />, {
      queryClient: client,
      api: { 'PATCH /api/units/:id': () => ({}) },
    });
    expect(await screen.findByText('ready')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'save' }));
    await waitFor(() => expect(api.callsTo('GET /api/regions')).toHaveLength(2));
    expect(api.callsTo('GET /api/units')).toHaveLength(1);
  });
});

describe('a write made outside useApiMutation', () => {
  it('marks the reads under its first path segment stale, which refetch when shown', async () => {
    let name = '旧名称';
    function Units() {
      const units = useApi('GET /api/units', {});
      const regions = useApi('GET /api/regions', {});
      return (
        <>
          <button
            onClick={() =>
              void apiCall('PATCH /api/units/:id', {
                params: { id: 7 },
                body: { name: '新名称', version: 1 },
              })
            }
          >
            merge
          </button>
          <p>{units.data && regions.data ? units.data.items.map((u) => u.name).join() : '…'}</p>
        </>
      );
    }
    const { api, user } = await renderPage(<Units />, {
      api: {
        'GET /api/units': () => ({ items: [unit({ id: 7, name })] }),
        'PATCH /api/units/:id': () => {
          name = '新名称';
          return {};
        },
      },
    });
    expect(await screen.findByText('旧名称')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'merge' }));
    expect(await screen.findByText('新名称')).toBeInTheDocument();
    // Only what is under /api/units: the regions were not asked again.
    expect(api.callsTo('GET /api/units')).toHaveLength(2);
    expect(api.callsTo('GET /api/regions')).toHaveLength(1);
  });
});

describe('signing out', () => {
  it('empties the cache: nothing read for one user is shown to the next', async () => {
    function App() {
      const { user, signOut } = useAuth();
      return user ? (
        <>
          <button onClick={() => void signOut()}>sign out</button>
          <Titles />
        </>
      ) : null;
    }
    const { user, queryClient } = await renderPage(<App />, {
      api: {
        'GET /api/problems': page([problem({ title: '李主任的问题' })]),
        'POST /api/auth/logout': reply(204),
      },
    });
    expect(await screen.findByText('李主任的问题')).toBeInTheDocument();
    expect(queryClient.getQueryCache().getAll().length).toBeGreaterThan(0);
    await user.click(screen.getByRole('button', { name: 'sign out' }));
    // (renderPage shows nothing once nobody is signed in, as AdminApp shows the sign-in page.)
    await waitFor(() => expect(screen.queryByText('李主任的问题')).not.toBeInTheDocument());
    expect(queryClient.getQueryCache().getAll()).toHaveLength(0);
  });
});

describe('the defaults', () => {
  it('retry a read only after a network failure, never after an HTTP error', () => {
    const retry = createQueryClient().getDefaultOptions().queries?.retry;
    if (typeof retry !== 'function') throw new Error('retry is a function');
    const http = new ApiError(503, 'unavailable', '稍后再试', 'try again later');
    expect(retry(0, http)).toBe(false);
    expect(retry(0, new ApiError(404, 'not_found', '', ''))).toBe(false);
    expect(retry(0, new TypeError('Failed to fetch'))).toBe(true);
    expect(retry(2, new TypeError('Failed to fetch'))).toBe(false);
    expect(createQueryClient().getDefaultOptions().mutations?.retry).toBe(false);
  });

  it('make a write stale every read under its first path segment', () => {
    expect(defaultInvalidation('POST /api/problems/:id/actions')).toEqual(['GET /api/problems']);
    expect(defaultInvalidation('PATCH /api/units/:id')).toEqual(['GET /api/units']);
  });
});
