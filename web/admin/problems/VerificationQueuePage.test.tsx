import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { TVerificationItem } from '../../../core/contracts/problems.js';
import { fill, pickOption } from '../../test/antd.js';
import { page as pageOf, verificationItem } from '../../test/fixtures.js';
import { apiError, type MockRequest, type TPage } from '../../test/mock-api.js';
import { byId, renderPage, TEST_CSRF } from '../../test/render.js';
import { QUEUE_CHANGED } from '../use-verification-count.js';
import { VerificationQueuePage } from './VerificationQueuePage.js';

const photo = (id: string, stage: 'before' | 'after') => ({
  id,
  url: `/api/files/${id}`,
  thumbUrl: `/api/files/${id}/thumb`,
  stage,
  eventId: null,
  takenAt: null,
  lat: null,
  lng: null,
});

const FIRST = verificationItem({
  problem: {
    id: 1,
    code: 'WT2026000001',
    title: '青年路公交站垃圾桶破损',
    categoryName: '环卫设施',
    regionName: '湖滨社区',
    reworkCount: 1,
    version: 6,
  },
  submittedLate: true,
  submittedEscalation: 'yellow',
  submission: { note: '已用膨胀螺栓固定新桶，周边已清理', actorName: '张科长', at: '' },
  before: [photo('b1', 'before')],
  after: [photo('a1', 'after'), photo('a2', 'after')],
});
const SECOND = verificationItem({
  problem: { id: 2, code: 'WT2026000002', title: '解放路占道经营', version: 3 },
});

const ACTIONS = 'POST /api/problems/:id/actions';

async function render(
  queue: (req: MockRequest) => TPage<TVerificationItem> = () => pageOf([FIRST, SECOND]),
) {
  return renderPage(<VerificationQueuePage />, {
    user: 'inspector',
    api: {
      'GET /api/problems/verification-queue': queue,
      [ACTIONS]: { ok: true },
    },
  });
}

const card = (code: string) =>
  screen.getAllByTestId('queue-card').find((c) => c.dataset.code === code)!;

describe('VerificationQueuePage', () => {
  it('a card per submitted rectification: before and after photos, the note, late and rework marks', async () => {
    const page = await render();
    await screen.findAllByTestId('queue-card');
    expect(screen.getByTestId('queue-title')).toHaveTextContent('核查队列2 件待核查');
    expect(page.api.callsTo('GET /api/problems/verification-queue')[0]!.query).toEqual({
      limit: '10',
    });
    const c = card('WT2026000001');
    expect(within(c).getByRole('link', { name: '青年路公交站垃圾桶破损' })).toHaveAttribute(
      'href',
      '/problems/1',
    );
    expect(c).toHaveTextContent('WT2026000001 · 环卫设施 · 湖滨社区');
    expect(c).toHaveTextContent('逾期提交');
    expect(c).toHaveTextContent('返工 1 次');
    expect(within(c).getByTestId('queue-before').querySelectorAll('img')).toHaveLength(1);
    expect(within(c).getByTestId('queue-after').querySelectorAll('img')).toHaveLength(2);
    expect(within(c).getByTestId('queue-note')).toHaveTextContent('已用膨胀螺栓固定新桶');
    expect(within(card('WT2026000002')).getByTestId('queue-before')).toHaveTextContent('无照片');
  });

  it('closes one after a confirmation: the action with its version, the card goes, the menu count is told', async () => {
    const page = await render();
    await screen.findAllByTestId('queue-card');
    const changed = vi.fn();
    window.addEventListener(QUEUE_CHANGED, changed);
    await page.user.click(within(card('WT2026000001')).getByTestId('queue-approve'));
    const confirm = await waitFor(() => byId('queue-approve-confirm').closest('.ant-modal')!);
    expect(confirm).toHaveTextContent('核查通过并销号？');
    expect(confirm).toHaveTextContent('WT2026000001 青年路公交站垃圾桶破损');
    await page.user.click(byId('queue-approve-confirm'));

    await waitFor(() => expect(screen.getAllByTestId('queue-card')).toHaveLength(1));
    const sent = page.api.callsTo(ACTIONS)[0]!;
    expect(sent.path).toBe('/api/problems/1/actions');
    expect(sent.body).toEqual({ action: 'approve', version: 6 });
    expect(sent.headers['x-csrf-token']).toBe(TEST_CSRF);
    expect(screen.getByTestId('queue-title')).toHaveTextContent('1 件待核查');
    expect(await screen.findByText('WT2026000001 已销号')).toBeInTheDocument();
    expect(changed).toHaveBeenCalledTimes(1);
    window.removeEventListener(QUEUE_CHANGED, changed);
  });

  it('sends back for rework only with a reason, and sends the reason', async () => {
    const page = await render();
    await screen.findAllByTestId('queue-card');
    await page.user.click(within(card('WT2026000002')).getByTestId('queue-rework'));
    expect(await screen.findByText('返工：WT2026000002')).toBeInTheDocument();
    expect(byId('queue-rework-ok')).toBeDisabled();
    await fill(page.user, byId('queue-rework-reason'), '   ');
    expect(byId('queue-rework-ok')).toBeDisabled();
    await fill(page.user, byId('queue-rework-reason'), '  新桶未固定，仍有垃圾外溢，请返工 ');
    expect(byId('queue-rework-ok')).toBeEnabled();
    await page.user.click(byId('queue-rework-ok'));

    await waitFor(() => expect(screen.getAllByTestId('queue-card')).toHaveLength(1));
    expect(page.api.lastBody(ACTIONS)).toEqual({
      action: 'rework',
      version: 3,
      note: '新桶未固定，仍有垃圾外溢，请返工',
    });
    expect(screen.queryByText('返工：WT2026000002')).toBeNull();
  });

  it('someone else acted first (409): the message, and the queue is read again', async () => {
    const page = await render();
    await screen.findAllByTestId('queue-card');
    page.api.on({
      [ACTIONS]: apiError(409, 'stale', {
        zh: '该问题已被他人处理，请刷新',
        en: 'someone else acted on it',
      }),
    });
    await page.user.click(within(card('WT2026000001')).getByTestId('queue-approve'));
    await page.user.click(await waitFor(() => byId('queue-approve-confirm')));
    expect(await screen.findByText('该问题已被他人处理，请刷新')).toBeInTheDocument();
    await waitFor(() =>
      expect(page.api.callsTo('GET /api/problems/verification-queue')).toHaveLength(2),
    );
  });

  it('filters by unit, and loads more with the cursor, appending', async () => {
    const page = await render((req) =>
      req.query.cursor === 'n2'
        ? pageOf([verificationItem({ problem: { id: 3, code: 'WT2026000003' } })], { total: 3 })
        : pageOf([FIRST, SECOND], { nextCursor: 'n2', total: 3 }),
    );
    await screen.findAllByTestId('queue-card');
    await page.user.click(screen.getByText('加载更多'));
    await waitFor(() => expect(screen.getAllByTestId('queue-card')).toHaveLength(3));
    expect(screen.queryByText('加载更多')).toBeNull();

    await pickOption(page.user, byId('queue-unit'), '市城市管理综合执法局');
    await waitFor(() =>
      expect(page.api.callsTo('GET /api/problems/verification-queue').at(-1)!.query).toEqual({
        unitId: '7',
        limit: '10',
      }),
    );
  });

  it('an empty queue says so', async () => {
    await render(() => pageOf<TVerificationItem>([]));
    expect(await screen.findByText('没有待核查的整改')).toBeInTheDocument();
    expect(screen.getByTestId('queue-title')).toHaveTextContent('0 件待核查');
  });

  it('on a phone the two buttons stack and span the card, thumb-sized', async () => {
    await renderPage(<VerificationQueuePage />, {
      user: 'inspector',
      width: 390,
      api: { 'GET /api/problems/verification-queue': pageOf([FIRST]) },
    });
    await screen.findByTestId('queue-card');
    for (const id of ['queue-approve', 'queue-rework']) {
      expect(screen.getByTestId(id)).toHaveClass('ant-btn-block', 'ant-btn-lg');
    }
  });
});
