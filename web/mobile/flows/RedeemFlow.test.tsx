import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TCreditRedemption } from '../../../core/contracts/credits.js';
import { apiError, type MockRequest } from '../../test/mock-api.js';
import { renderPhone } from '../../test/render-mobile.js';
import { RedeemFlow } from './RedeemFlow.js';

// 积分核销 on the shop's phone: a scanned QR code opens the screen with the code and looks it up;
// a typed code is cleaned up (spaces, case); confirming writes the spend once — the same code
// again is refused in the server's words, and looked up again it says it cannot be used.

const redemption = (over: Partial<TCreditRedemption> = {}): TCreditRedemption => ({
  id: 9,
  shopId: 1,
  shopName: '湖滨爱心超市',
  itemId: 7,
  itemName: '毛巾',
  points: 20,
  status: 'pending',
  phoneMasked: '138****0001',
  accountName: null,
  expiresAt: '2099-01-01T02:10:00.000Z',
  createdAt: '2099-01-01T02:00:00.000Z',
  usedAt: null,
  usedByName: null,
  ...over,
});

function server() {
  let used = false;
  return {
    'GET /api/credits/shop': { id: 1, name: '湖滨爱心超市', kind: 'supermarket', address: null },
    'POST /api/credits/redeem/preview': (req: MockRequest) =>
      (req.body as { code: string }).code === 'K7M2Q9PX'
        ? redemption(
            used
              ? { status: 'used', usedAt: '2099-01-01T02:05:00.000Z', usedByName: '林店长' }
              : {},
          )
        : apiError(404, 'code_unknown', {
            zh: '兑换码不存在，请核对后重新输入',
            en: 'no such redemption code',
          }),
    'POST /api/credits/redeem/confirm': () => {
      if (used)
        return apiError(409, 'code_used', {
          zh: '该兑换码已于 2099-01-01 10:05 在“湖滨爱心超市”兑换过，不能重复使用',
          en: 'this code was already redeemed',
        });
      used = true;
      return redemption({
        status: 'used',
        usedAt: '2099-01-01T02:05:00.000Z',
        usedByName: '林店长',
      });
    },
  };
}

describe('RedeemFlow', () => {
  it('looks up a scanned code at once and confirms it: the points are taken', async () => {
    const page = await renderPhone(<RedeemFlow />, {
      user: 'shop',
      route: '/credits/redeem?c=k7m2q9px',
      api: server(),
    });
    expect(await screen.findByTestId('redeem-shop')).toHaveTextContent('爱心超市 · 湖滨爱心超市');
    const found = await screen.findByTestId('redeem-found');
    expect(found).toHaveTextContent('毛巾');
    expect(found).toHaveTextContent('所需积分：20 分');
    expect(found).toHaveTextContent('138****0001');
    expect(screen.queryByTestId('redeem-refused')).toBeNull();
    expect(page.api.callsTo('POST /api/credits/redeem/preview')[0]!.body).toEqual({
      code: 'K7M2Q9PX',
    });
    await page.user.click(screen.getByTestId('redeem-confirm'));
    expect(await screen.findByTestId('redeem-done')).toHaveTextContent('毛巾 · 已扣 20 分');
    expect(page.api.callsTo('POST /api/credits/redeem/confirm')).toHaveLength(1);
  });

  it('types a code, and tells a used one and an unknown one apart', async () => {
    const api = server();
    const page = await renderPhone(<RedeemFlow />, { user: 'shop', route: '/credits/redeem', api });
    const input = await screen.findByTestId('redeem-code');
    expect(screen.getByTestId('redeem-look')).toBeDisabled();
    await page.user.type(input.querySelector('input')!, 'zzzz zzzz');
    await page.user.click(screen.getByTestId('redeem-look'));
    expect(await screen.findByTestId('m-form-error')).toHaveTextContent('兑换码不存在');
    expect(page.api.callsTo('POST /api/credits/redeem/preview')[0]!.body).toEqual({
      code: 'ZZZZZZZZ',
    });
    // Used already (by another phone meanwhile): the confirm is refused in words.
    await page.user.clear(input.querySelector('input')!);
    await page.user.type(input.querySelector('input')!, 'K7M2 Q9PX');
    await page.user.click(screen.getByTestId('redeem-look'));
    await screen.findByTestId('redeem-found');
    api['POST /api/credits/redeem/confirm'](); // another phone confirms it meanwhile
    await page.user.click(screen.getByTestId('redeem-confirm'));
    await waitFor(() =>
      expect(screen.getByTestId('m-form-error')).toHaveTextContent('不能重复使用'),
    );
    // Looked up again, it says when and by whom it was used, and offers no confirm.
    await page.user.click(screen.getByTestId('redeem-look'));
    await waitFor(() => expect(screen.getByTestId('redeem-status')).toHaveTextContent('已兑换，'));
    expect(screen.getByTestId('redeem-status')).toHaveTextContent('林店长');
    expect(screen.getByTestId('redeem-refused')).toHaveTextContent('不能重复使用');
    expect(screen.queryByTestId('redeem-confirm')).toBeNull();
  });

  it('says an expired code cannot be used, and offers no confirm', async () => {
    await renderPhone(<RedeemFlow />, {
      user: 'shop',
      route: '/credits/redeem?c=K7M2Q9PX',
      api: {
        ...server(),
        'POST /api/credits/redeem/preview': () => redemption({ status: 'expired' }),
      },
    });
    expect(await screen.findByTestId('redeem-refused')).toHaveTextContent(
      '该兑换码已过期，请居民重新生成',
    );
    expect(screen.getByTestId('redeem-status')).toHaveTextContent('已过期');
    expect(screen.queryByTestId('redeem-confirm')).toBeNull();
  });
});
