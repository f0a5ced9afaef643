import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TProblemDetail } from '../../../core/contracts/problems.js';
import { problem } from '../../test/fixtures.js';
import { apiError } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { ProblemDetailPage } from './ProblemDetailPage.js';

const detail = (
  over: Partial<TProblemDetail['problem']> = {},
  actions: TProblemDetail['actions'] = [],
) => ({
  problem: problem({ id: 5, code: 'WT2026000005', title: '人民路井盖缺失', ...over }),
  timeline: [],
  actions,
  photos: [],
});
const NO_MERGES = { mergedInto: null, absorbed: [] };
/**
 * What every problem page asks besides the problem: not merged, not on the exposure board, no
 * result owed outside.
 */
const AROUND = {
  'GET /api/problems/:id/merges': NO_MERGES,
  'GET /api/problems/:id/pushback': [],
  'GET /api/problems/:id/exposure': null,
  'GET /api/settings/public': { mapTileUrl: null, mapAttribution: '', mapCoords: 'wgs84' },
};

describe('ProblemDetailPage', () => {
  it('an action posts the version it saw, and the page shows the problem as the server has it then', async () => {
    let closed = false;
    const page = await renderPage(<ProblemDetailPage />, {
      path: '/problems/:id',
      route: '/problems/5',
      api: {
        'GET /api/problems/:id': () =>
          closed
            ? detail({ state: 'closed', version: 4 })
            : detail({ state: 'submitted', version: 3 }, ['approve', 'rework']),
        ...AROUND,
        'POST /api/problems/:id/actions': () => {
          closed = true;
          return detail({ state: 'closed', version: 4 });
        },
      },
    });
    expect(await screen.findByText('人民路井盖缺失')).toBeInTheDocument();
    expect(page.api.callsTo('GET /api/problems/:id')[0]!.path).toBe('/api/problems/5');
    // No place, no 门前三包 duty holders to ask for.
    expect(page.api.callsTo('GET /api/problems/:id/frontage-duties')).toHaveLength(0);
    await page.user.click(screen.getByTestId('action-approve'));
    const dialog = await screen.findByRole('dialog');
    await page.user.click(within(dialog).getByRole('button', { name: /确\s?定/ }));
    await waitFor(() => expect(screen.queryByTestId('action-approve')).not.toBeInTheDocument());
    expect(page.api.lastBody('POST /api/problems/:id/actions')).toEqual({
      action: 'approve',
      version: 3,
    });
    expect(page.api.callsTo('POST /api/problems/:id/actions')[0]!.path).toBe(
      '/api/problems/5/actions',
    );
  });

  it('a problem with a place names the duty holders of its 门前三包 zone', async () => {
    await renderPage(<ProblemDetailPage />, {
      path: '/problems/:id',
      route: '/problems/5',
      api: {
        'GET /api/problems/:id': detail({ lat: 30.1, lng: 120.2 }),
        ...AROUND,
        'GET /api/problems/:id/frontage-duties': [
          {
            id: 1,
            code: 'MQ001',
            holderName: '老王面馆',
            contactPhone: null,
            distanceM: 3,
            recentProblems: 2,
          },
        ],
      },
    });
    expect(await screen.findByTestId('duty-holders')).toHaveTextContent('老王面馆');
  });

  it('a problem that does not exist says so in the user’s language', async () => {
    await renderPage(<ProblemDetailPage />, {
      path: '/problems/:id',
      route: '/problems/99',
      lang: 'en',
      api: {
        'GET /api/problems/:id': apiError(404, 'not_found', {
          zh: '没有这个问题',
          en: 'no such problem',
        }),
        ...AROUND,
      },
    });
    expect(await screen.findByText('no such problem')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Back to the ledger' })).toBeInTheDocument();
  });
});
