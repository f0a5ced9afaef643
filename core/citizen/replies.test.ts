import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reporterReopenTo } from '../problems/lifecycle.js';
import {
  maskPhone,
  maskSmsText,
  rateRefusal,
  reopenRefusal,
  reopenUntil,
  REPLY_ACTIONS,
  replyText,
  trackUrl,
} from './replies.js';

const DAY = 86_400_000;
const closedAt = new Date('2026-12-01T02:00:00Z');
const view = (over: Partial<Parameters<typeof rateRefusal>[0]> = {}) => ({
  state: 'closed',
  closedAt,
  ratedAt: null,
  reopenedAt: null,
  ...over,
});

describe('reply texts', () => {
  const url = trackUrl('https://cc.example.cn/', 'SJ7K3M9Q2XPA');

  it('link the tracking page under the public address', () => {
    expect(url).toBe('https://cc.example.cn/track/SJ7K3M9Q2XPA');
    for (const a of REPLY_ACTIONS) expect(replyText(a, { trackUrl: url })).toContain(url);
  });

  it('name the unit on dispatch and quote a rejection’s reason, shortened', () => {
    expect(replyText('dispatch', { trackUrl: url, unitName: '市城管局' })).toContain(
      '交市城管局办理',
    );
    const long = '不属于'.repeat(40);
    const text = replyText('reject', { trackUrl: url, reason: long });
    expect(text).toContain('原因：不属于');
    expect(text).toContain('…');
    expect(text.length).toBeLessThan(120);
    expect(replyText('reject', { trackUrl: url, reason: '  ' })).not.toContain('原因');
  });
});

describe('masking for the SMS log', () => {
  it('keeps three and four digits of a phone', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('12345')).toBe('****');
  });

  it('stars codes and numbers outside links, and the tracking code everywhere', () => {
    expect(maskSmsText('您的兑换码 482913，请于今日使用')).toBe('您的兑换码 ******，请于今日使用');
    expect(maskSmsText('回电 13800138000')).toBe('回电 ***********');
    expect(maskSmsText('兑换码 A7K9Q2 有效')).toBe('兑换码 ****** 有效');
    expect(maskSmsText('查询码 SJ7K3M9Q2XPA')).toBe('查询码 ************');
    expect(maskSmsText('OK WeChat')).toBe('OK WeChat');
    expect(maskSmsText('进度：http://localhost:3000/track/SJ7K3M9Q2XPA')).toBe(
      '进度：http://localhost:3000/track/SJ******2XPA',
    );
  });

  it('never leaves a run of four digits outside a link, nor a whole tracking code', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('1', '9', '号', ' ', 'a', '，') }), (s) => {
        expect(maskSmsText(s)).not.toMatch(/\d{4}/);
      }),
    );
  });
});

describe('rating', () => {
  it('only a closed problem, only once', () => {
    expect(rateRefusal(view())).toBeNull();
    expect(rateRefusal(view({ state: 'submitted', closedAt: null }))).toBe('not_closed');
    expect(rateRefusal(view({ ratedAt: new Date() }))).toBe('already_rated');
  });
});

describe('reopening', () => {
  it('once, a closed problem, within the window', () => {
    const inside = new Date(closedAt.getTime() + 7 * DAY - 1);
    expect(reopenRefusal(view(), inside, 7)).toBeNull();
    expect(reopenUntil(closedAt, 7)).toEqual(new Date(closedAt.getTime() + 7 * DAY));
    expect(reopenRefusal(view(), new Date(closedAt.getTime() + 7 * DAY + 1), 7)).toBe(
      'window_passed',
    );
    expect(reopenRefusal(view({ reopenedAt: new Date() }), inside, 7)).toBe('already_reopened');
    expect(reopenRefusal(view({ state: 'dispatched', closedAt: null }), inside, 7)).toBe(
      'not_closed',
    );
  });

  it('goes back to the unit that closed it', () => {
    expect(reporterReopenTo({ state: 'closed', unitId: 3 })).toBe('dispatched');
    expect(reporterReopenTo({ state: 'closed', unitId: null })).toBe('registered');
    expect(reporterReopenTo({ state: 'rejected', unitId: null })).toBeNull();
  });
});
