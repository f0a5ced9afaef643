import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { TProblemDetail } from '../../../core/contracts/problems.js';
import type { ApiResponse } from '../../shared/api.js';
import { problem } from '../../test/fixtures.js';
import { apiError, type Reply } from '../../test/mock-api.js';
import { byId, renderPage } from '../../test/render.js';
import { MergeProblemModal } from './MergeProblemModal.js';

// 合并到…: the open problems of the same category nearby are offered (a closed one shown but not
// choosable), any problem can be found by its code, and the merge is sent after a confirmation
// with the problem's version; a stale version tells the page to read the problem again.

const THIS = problem({ id: 5, code: 'WT2026000005', lat: 30.25, lng: 120.15, version: 3 });
type Similar = ApiResponse<'GET /api/problems/:id/similar'>['items'][number];
const NEAR: Similar = {
  id: 7,
  code: 'WT2026000007',
  title: '同一处垃圾',
  state: 'dispatched',
  distanceM: 42.4,
};
const CLOSED: Similar = {
  id: 8,
  code: 'WT2026000008',
  title: '已销号的',
  state: 'closed',
  distanceM: 80,
};
const MERGED: TProblemDetail = {
  problem: { ...THIS, state: 'merged', mergedIntoId: 7, version: 4 },
  timeline: [],
  actions: [],
  photos: [],
};

async function open(
  merge: TProblemDetail | Reply = MERGED,
  similar: { items: Similar[] } | Reply = { items: [NEAR, CLOSED] },
) {
  const onMerged = vi.fn();
  const onStale = vi.fn();
  const page = await renderPage(
    <MergeProblemModal
      problem={THIS}
      open
      onClose={() => undefined}
      onMerged={onMerged}
      onStale={onStale}
    />,
    {
      api: {
        'GET /api/problems/:id/similar': similar,
        'GET /api/problems': {
          items: [
            problem({ id: 5, code: 'WT2026000005' }),
            problem({ id: 9, code: 'WT2026000090', title: '编号相近的' }),
            problem({ id: 12, code: 'WT2026000009', title: '编号正是它' }),
          ],
          nextCursor: null,
          total: 3,
        },
        'POST /api/problems/:id/merge': merge,
      },
    },
  );
  return { page, onMerged, onStale };
}

const mergeButton = () => byId<HTMLButtonElement>('merge-ok');

describe('MergeProblemModal', () => {
  it('offers the open problems nearby and merges into the one picked, at the version read', async () => {
    const { page, onMerged } = await open();
    const similar = await screen.findByTestId('merge-similar');
    expect(page.api.callsTo('GET /api/problems/:id/similar')[0]!.path).toBe(
      '/api/problems/5/similar',
    );
    expect(within(similar).getByText('相距 42 米')).toBeInTheDocument();
    expect(mergeButton()).toBeDisabled();

    // A closed problem is listed but cannot be the target.
    await page.user.click(screen.getByTestId('merge-candidate-WT2026000008'));
    expect(mergeButton()).toBeDisabled();

    await page.user.click(screen.getByTestId('merge-candidate-WT2026000007'));
    await page.user.type(byId('merge-note'), '同一堆垃圾');
    await page.user.click(mergeButton());
    // A merge cannot be undone: it is confirmed first.
    expect(await screen.findByText(/此操作不能撤销/)).toBeInTheDocument();
    expect(page.api.callsTo('POST /api/problems/:id/merge')).toHaveLength(0);
    await page.user.click(byId('merge-confirm'));

    await waitFor(() => expect(onMerged).toHaveBeenCalledWith(MERGED));
    const [sent] = page.api.callsTo('POST /api/problems/:id/merge');
    expect(sent!.path).toBe('/api/problems/5/merge');
    expect(sent!.body).toEqual({ intoId: 7, version: 3, note: '同一堆垃圾' });
  });

  it('finds a problem by its code: the exact code is picked, the problem itself left out', async () => {
    const { page } = await open();
    await screen.findByTestId('merge-similar');
    await page.user.type(byId('merge-code'), 'WT2026000009');
    await page.user.click(screen.getByTestId('merge-search'));
    expect(await screen.findByTestId('merge-candidate-WT2026000009')).toBeInTheDocument();
    expect(page.api.callsTo('GET /api/problems')[0]!.query).toEqual({
      q: 'WT2026000009',
      limit: '10',
    });
    // Below the similar ones, the problems found: the exact code first, this problem left out.
    expect(screen.getAllByTestId(/^merge-candidate-/).map((e) => e.dataset.testid)).toEqual([
      'merge-candidate-WT2026000007',
      'merge-candidate-WT2026000008',
      'merge-candidate-WT2026000009',
      'merge-candidate-WT2026000090',
    ]);
    expect(
      within(screen.getByTestId('merge-candidate-WT2026000009')).getByRole('radio'),
    ).toBeChecked();
    expect(mergeButton()).toBeEnabled();
  });

  it('a problem changed meanwhile (stale version): says so and asks the page to read it again', async () => {
    const { page, onMerged, onStale } = await open(
      apiError(409, 'stale_version', {
        zh: '数据已被他人修改，请刷新',
        en: 'Changed by someone else',
      }),
    );
    await page.user.click(await screen.findByTestId('merge-candidate-WT2026000007'));
    await page.user.click(mergeButton());
    await page.user.click(byId('merge-confirm'));
    expect(await screen.findByText(/数据已被他人修改/)).toBeInTheDocument();
    expect(onStale).toHaveBeenCalled();
    expect(onMerged).not.toHaveBeenCalled();
  });

  it('without suggestions (their read failed) it says none nearby; the code search still works', async () => {
    const { page } = await open(
      MERGED,
      apiError(500, 'internal', { zh: '服务器错误', en: 'server error' }),
    );
    expect(await screen.findByText('附近没有同类未结问题')).toBeInTheDocument();
    await page.user.type(byId('merge-code'), 'WT2026000009');
    await page.user.click(screen.getByTestId('merge-search'));
    expect(await screen.findByTestId('merge-candidate-WT2026000009')).toBeInTheDocument();
  });
});
