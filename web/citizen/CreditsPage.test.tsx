import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type {
  TCreditLedgerRow,
  TCreditMe,
  TPublicCreditShops,
} from '../../core/contracts/credits.js';
import { apiError, type MockRequest } from '../test/mock-api.js';
import { renderPage } from '../test/render.js';
import { CreditsPage } from './CreditsPage.js';

// 文明积分 on the citizen pages: SMS sign-in (the code the server sends), the balance and the
// ledger with each row's reason, a one-time code with its QR for an item, and the month's board.

const ACCOUNT: NonNullable<TCreditMe['account']> = {
  phoneMasked: '138****0001',
  name: null,
  showName: false,
  volunteer: false,
  balance: 25,
  earned: 35,
  spent: 10,
};

const row = (over: Partial<TCreditLedgerRow>): TCreditLedgerRow => ({
  id: 1,
  delta: 5,
  entry: 'grant',
  sourceKind: 'report',
  sourceId: '11',
  ruleVersion: 1,
  reason: 'granted',
  note: '随手拍 WT2026-000011：井盖缺失',
  asked: 5,
  actorName: '王创建',
  at: '2026-11-20T02:00:00.000Z',
  ...over,
});

const LEDGER = [
  row({
    id: 3,
    delta: -10,
    entry: 'spend',
    reason: 'redeemed',
    note: '湖滨爱心超市 · 毛巾',
    asked: null,
  }),
  row({ id: 2, delta: 0, reason: 'capped_day', note: '随手拍 WT2026-000012：路灯不亮' }),
  row({ id: 1 }),
];

const SHOPS: TPublicCreditShops = {
  items: [
    {
      id: 1,
      name: '湖滨爱心超市',
      kind: 'supermarket',
      address: '湖滨路 1 号',
      items: [
        { id: 7, name: '毛巾', points: 20, stock: 4 },
        { id: 8, name: '大米 5 斤', points: 100, stock: null },
      ],
    },
  ],
};

function server(signedIn: boolean) {
  let me: TCreditMe = { account: signedIn ? ACCOUNT : null };
  return {
    'GET /api/public/credits/me': () => me,
    'POST /api/public/credits/otp': () => ({ sentTo: '138****0001', expiresInS: 300 }),
    'POST /api/public/credits/session': (req: MockRequest) => {
      const body = req.body as { code: string };
      if (body.code !== '246810')
        return apiError(400, 'otp_wrong', {
          zh: '验证码错误，还可再试 4 次',
          en: 'wrong code; 4 tries left',
        });
      me = { account: ACCOUNT };
      return me;
    },
    'GET /api/public/credits/ledger': () => ({ items: LEDGER, nextCursor: null }),
    'GET /api/public/credits/redemptions': () => ({ items: [] }),
    'GET /api/public/credits/shops': () => SHOPS,
    'POST /api/public/credits/redemptions': (req: MockRequest) => ({
      redemptionId: 9,
      code: 'K7M2Q9PX',
      expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
      itemName: '毛巾',
      shopName: '湖滨爱心超市',
      points: (req.body as { itemId: number }).itemId === 7 ? 20 : 100,
    }),
    'GET /api/public/credits/ranking': (req: MockRequest) => ({
      month: '2026-11',
      board: req.query.board,
      items:
        req.query.board === 'volunteer'
          ? [{ rank: 1, name: '周**', points: 40 }]
          : [
              { rank: 1, name: '陈小明', points: 60 },
              { rank: 2, name: '匿名', points: 30 },
            ],
    }),
  };
}

const render = (signedIn: boolean) =>
  renderPage(<CreditsPage />, { user: null, route: '/credits', width: 390, api: server(signedIn) });

beforeEach(() => sessionStorage.clear());

describe('CreditsPage', () => {
  it('signs in with the phone and the SMS code; a wrong code is refused in words', async () => {
    const page = await render(false);
    const form = await screen.findByTestId('cr-signin');
    expect(screen.getByTestId('cr-send')).toBeDisabled();
    await page.user.type(screen.getByTestId('cr-phone'), '13800000001');
    await page.user.click(screen.getByTestId('cr-send'));
    expect(await within(form).findByTestId('cr-sent')).toHaveTextContent('138****0001');
    expect(page.api.callsTo('POST /api/public/credits/otp')[0]!.body).toEqual({
      phone: '13800000001',
    });
    // A minute before the next code can be sent.
    expect(screen.getByTestId('cr-send')).toBeDisabled();
    await page.user.type(screen.getByTestId('cr-code'), '111111');
    await page.user.click(screen.getByTestId('cr-signin-submit'));
    expect(await within(form).findByText('验证码错误，还可再试 4 次')).toBeInTheDocument();
    await page.user.clear(screen.getByTestId('cr-code'));
    await page.user.type(screen.getByTestId('cr-code'), '246810');
    await page.user.click(screen.getByTestId('cr-signin-submit'));
    expect(await screen.findByTestId('cr-balance')).toHaveTextContent('25');
  });

  it('shows the ledger with what each row is for, and why a row has 0 points', async () => {
    await render(true);
    const rows = await screen.findAllByTestId('cr-ledger-row');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('湖滨爱心超市 · 毛巾');
    expect(rows[0]).toHaveTextContent('-10');
    expect(rows[1]).toHaveTextContent('已达每日上限');
    expect(rows[1]).toHaveTextContent('应得 5 分');
    expect(rows[2]).toHaveTextContent('+5');
    expect(screen.getByText('累计获得 35 分 · 已兑换 10 分')).toBeInTheDocument();
  });

  it('opts in to the name on the board', async () => {
    const page = await render(true);
    page.api.on({
      'PATCH /api/public/credits/me': (req: MockRequest) => ({
        account: { ...ACCOUNT, ...(req.body as object) },
      }),
    });
    await page.user.click(await screen.findByTestId('cr-show-name'));
    await page.user.type(screen.getByTestId('cr-name'), '陈小明');
    await page.user.click(screen.getByTestId('cr-optin-save'));
    await waitFor(() =>
      expect(page.api.callsTo('PATCH /api/public/credits/me')[0]!.body).toEqual({
        showName: true,
        name: '陈小明',
      }),
    );
  });

  it('takes a one-time code for an item it can afford, shown with its QR code', async () => {
    const page = await render(true);
    await page.user.click(await screen.findByTestId('cr-tab-redeem'));
    const items = await screen.findAllByTestId('cr-item');
    expect(items).toHaveLength(2);
    // 25 points: the towel (20) yes, the rice (100) no.
    expect(screen.getByTestId('cr-take-8')).toBeDisabled();
    await page.user.click(screen.getByTestId('cr-take-7'));
    const view = await screen.findByTestId('cr-code-view');
    expect(page.api.callsTo('POST /api/public/credits/redemptions')[0]!.body).toEqual({
      itemId: 7,
    });
    expect(within(view).getByTestId('cr-code-text')).toHaveTextContent('K7M2 Q9PX');
    expect(within(view).getByTestId('cr-code-expiry')).toHaveTextContent(/后失效，仅可使用一次/);
    expect(view.querySelector('svg')).not.toBeNull();
    // Kept for a reload while it is valid; gone once done.
    expect(sessionStorage.getItem('cc-credit-code')).toContain('K7M2Q9PX');
    await page.user.click(screen.getByTestId('cr-code-done'));
    expect(sessionStorage.getItem('cc-credit-code')).toBeNull();
    expect(await screen.findByTestId('cr-redeem')).toBeInTheDocument();
  });

  it('asks a signed-out resident to sign in before redeeming', async () => {
    const page = await render(false);
    await page.user.click(await screen.findByTestId('cr-tab-redeem'));
    await screen.findAllByTestId('cr-item');
    expect(screen.getByTestId('cr-take-7')).toBeDisabled();
    await page.user.click(screen.getByTestId('cr-to-signin'));
    expect(await screen.findByTestId('cr-signin')).toBeInTheDocument();
  });

  it('shows the month’s boards, anonymous in the page’s language', async () => {
    const page = await render(false);
    await page.user.click(await screen.findByTestId('cr-tab-ranking'));
    const rows = await screen.findAllByTestId('cr-rank-row');
    expect(rows.map((r) => r.textContent)).toEqual(['1陈小明60', '2匿名30']);
    await page.user.click(screen.getByTestId('cr-board-volunteer'));
    await waitFor(() =>
      expect(screen.getAllByTestId('cr-rank-row').map((r) => r.textContent)).toEqual(['1周**40']),
    );
  });
});
