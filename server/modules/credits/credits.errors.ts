import { formatShanghai } from '../../../core/calendar/working-days.js';
import { AppError, errors } from '../../platform/errors.js';

/** The credits module's refusals, each in Chinese and English. */
export const creditErrors = {
  accountNotFound: (id: number) =>
    new AppError('not_found', 404, {
      zh: `积分账户不存在（${id}）`,
      en: `credit account not found (${id})`,
    }),
  shopNotFound: (id: number) =>
    new AppError('not_found', 404, { zh: `商户不存在（${id}）`, en: `shop not found (${id})` }),
  itemNotFound: (id: number) =>
    new AppError('not_found', 404, {
      zh: `兑换物品不存在（${id}）`,
      en: `item not found (${id})`,
    }),
  stale: (what: 'shop' | 'item' | 'rules') =>
    new AppError('stale_version', 409, {
      zh: `${{ shop: '商户', item: '兑换物品', rules: '积分规则' }[what]}已被他人修改，请刷新后重试`,
      en: `the ${what} changed meanwhile; reload and try again`,
    }),
  shopNameTaken: (name: string) => errors.duplicate('商户', '名称', name),
  notShopRole: () =>
    errors.invalid(
      {
        zh: '只能把具有“商户店员”角色的在用账号设为店员',
        en: 'only an active user with the shop-staff role can be made staff',
      },
      [{ path: 'body.userId', message: '不是商户店员 / not shop staff' }],
    ),
  staffElsewhere: () =>
    new AppError('staff_elsewhere', 409, {
      zh: '该账号已是其他商户的店员，请先从原商户移除',
      en: 'this user is staff of another shop already; remove them there first',
    }),
  notStaff: () =>
    new AppError('not_shop_staff', 403, {
      zh: '您的账号还没有绑定商户，请联系创建办设置',
      en: 'your account is not staff of any shop yet; ask the office to set it up',
    }),
  signInFirst: () =>
    new AppError('credit_signed_out', 401, {
      zh: '请先用手机号和短信验证码登录',
      en: 'sign in with your phone number and the SMS code first',
    }),
  otpExpired: () =>
    new AppError('otp_expired', 400, {
      zh: '验证码已过期或未获取，请重新获取验证码',
      en: 'the code has expired or was never sent; ask for a new one',
    }),
  otpWrong: (left: number) =>
    new AppError('otp_wrong', 400, {
      zh: left > 0 ? `验证码错误，还可再试 ${left} 次` : '验证码错误，请重新获取验证码',
      en: left > 0 ? `wrong code; ${left} tries left` : 'wrong code; ask for a new one',
    }),
  otpLocked: () =>
    new AppError('otp_locked', 429, {
      zh: '验证码错误次数过多，请重新获取验证码',
      en: 'too many wrong codes; ask for a new one',
    }),
  itemUnavailable: () =>
    new AppError('item_unavailable', 409, {
      zh: '该物品已下架或商户暂停兑换',
      en: 'this item is no longer offered',
    }),
  outOfStock: (name: string) =>
    new AppError('out_of_stock', 409, {
      zh: `“${name}”已兑完`,
      en: `"${name}" is out of stock`,
    }),
  notEnough: (balance: number, points: number) =>
    new AppError('insufficient_points', 409, {
      zh: `积分不足：需要 ${points} 分，当前余额 ${balance} 分`,
      en: `not enough points: ${points} needed, ${balance} available`,
    }),
  tooManyOpenCodes: () =>
    new AppError('too_many_codes', 409, {
      zh: '您已有 3 个未使用的兑换码，请先使用或等待过期',
      en: 'you have 3 unused codes; use them or let them expire first',
    }),
  codeUnknown: () =>
    new AppError('code_unknown', 404, {
      zh: '兑换码不存在，请核对后重新输入',
      en: 'no such redemption code; check it and try again',
    }),
  codeUsed: (at: Date, shop: string) =>
    new AppError('code_used', 409, {
      zh: `该兑换码已于 ${formatShanghai(at)} 在“${shop}”兑换过，不能重复使用`,
      en: `this code was already redeemed at ${shop} on ${formatShanghai(at)}; it cannot be used twice`,
    }),
  codeExpired: (at: Date) =>
    new AppError('code_expired', 410, {
      zh: `该兑换码已于 ${formatShanghai(at)} 过期，请居民重新生成`,
      en: `this code expired at ${formatShanghai(at)}; the resident can make a new one`,
    }),
  otherShop: (shop: string) =>
    new AppError('other_shop', 409, {
      zh: `该兑换码用于“${shop}”，不能在本店兑换`,
      en: `this code is for ${shop}; it cannot be redeemed here`,
    }),
};
