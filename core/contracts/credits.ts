import {
  CREDIT_BOARDS,
  CREDIT_ENTRIES,
  CREDIT_REASONS,
  CREDIT_REDEMPTION_STATUSES,
  CREDIT_SHOP_KINDS,
  type TCreditRules,
} from '../credits/rules.js';
import { z } from './zod-setup.js';

export * from '../credits/rules.js';

// 文明积分 (issue #24, item 5): accounts of residents and volunteers (one per mobile number), the
// office's versioned rules, the ledger, shops (爱心超市 and partner 商户) with items, one-time
// redemption codes a shop's staff confirm on the phone, and the month's ranking.

/** A month as YYYY-MM (2026-11). */
const ZMonth = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM / a month is written YYYY-MM');

const ZMobile = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .refine((s) => /^1\d{10}$/.test(s), {
    message: '请填写 11 位手机号 / an 11-digit mobile number',
  });

const ZCap = z.number().int().min(0).max(100_000).nullable();

export const ZCreditRuleSchema = z.object({
  enabled: z.boolean(),
  points: z.number().int().min(0).max(10_000),
  dayCap: ZCap,
  monthCap: ZCap,
});

export const ZCreditRulesSchema = z.object({
  report: ZCreditRuleSchema,
  volunteer_hours: ZCreditRuleSchema,
  star_rating: ZCreditRuleSchema,
}) satisfies z.ZodType<TCreditRules>;

/** One version of the rules (version 0: the defaults, before the office set any). */
export const ZCreditRuleVersionSchema = z.object({
  version: z.number().int(),
  rules: ZCreditRulesSchema,
  note: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string().nullable(),
});
export type TCreditRuleVersion = z.infer<typeof ZCreditRuleVersionSchema>;

export const ZCreditRulesResponseSchema = z.object({
  current: ZCreditRuleVersionSchema,
  /** Earlier versions, newest first (grants keep the version they were made under). */
  history: z.array(ZCreditRuleVersionSchema),
});
export type TCreditRulesResponse = z.infer<typeof ZCreditRulesResponseSchema>;

/** A new version of the rules, from now on; `version` is the current one it replaces. */
export const ZCreditRulesInputSchema = z.object({
  rules: ZCreditRulesSchema,
  note: z.string().trim().max(200).optional(),
  version: z.number().int().min(0),
});
export type TCreditRulesInput = z.infer<typeof ZCreditRulesInputSchema>;

// ----- accounts and the ledger -----

export const ZCreditAccountSchema = z.object({
  id: z.number().int(),
  /** 138****5678 (the number itself is kept only as a keyed hash). */
  phoneMasked: z.string().nullable(),
  name: z.string().nullable(),
  showName: z.boolean(),
  volunteerId: z.number().int().nullable(),
  balance: z.number().int(),
  /** Points earned (grants less reversals) since the account was opened. */
  earned: z.number().int(),
  spent: z.number().int(),
  createdAt: z.string(),
});
export type TCreditAccount = z.infer<typeof ZCreditAccountSchema>;

export const ZCreditAccountsQuerySchema = z.object({
  /** Exact match, by the number's hash. */
  phone: ZMobile.optional(),
  /** Part of a name. */
  q: z.string().trim().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional(),
});
export type TCreditAccountsQuery = z.infer<typeof ZCreditAccountsQuerySchema>;

export const ZCreditAccountsPageSchema = z.object({
  items: z.array(ZCreditAccountSchema),
  nextCursor: z.string().nullable(),
});

export const ZCreditLedgerRowSchema = z.object({
  id: z.number().int(),
  delta: z.number().int(),
  entry: z.enum(CREDIT_ENTRIES),
  /** report, volunteer_hours, star_rating — or redemption for a spend. */
  sourceKind: z.string(),
  sourceId: z.string(),
  ruleVersion: z.number().int().nullable(),
  reason: z.enum(CREDIT_REASONS),
  /** What the row is about, in words (随手拍 WT2026-000123, 3 小时 20 分, 8 颗星, 爱心超市 · 毛巾). */
  note: z.string().nullable(),
  /** Before a cap: what the rule would have given. */
  asked: z.number().int().nullable(),
  actorName: z.string().nullable(),
  at: z.string(),
});
export type TCreditLedgerRow = z.infer<typeof ZCreditLedgerRowSchema>;

export const ZCreditLedgerQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional(),
});
export type TCreditLedgerQuery = z.infer<typeof ZCreditLedgerQuerySchema>;

export const ZCreditLedgerPageSchema = z.object({
  items: z.array(ZCreditLedgerRowSchema),
  nextCursor: z.string().nullable(),
});
export type TCreditLedgerPage = z.infer<typeof ZCreditLedgerPageSchema>;

// ----- shops and items -----

export const ZCreditItemSchema = z.object({
  id: z.number().int(),
  shopId: z.number().int(),
  name: z.string(),
  points: z.number().int(),
  /** Left in stock; null: not counted. */
  stock: z.number().int().nullable(),
  active: z.boolean(),
  version: z.number().int(),
});
export type TCreditItem = z.infer<typeof ZCreditItemSchema>;

export const ZCreditShopSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(CREDIT_SHOP_KINDS),
  address: z.string().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  items: z.array(ZCreditItemSchema),
  /** The shop's staff accounts (role 商户店员), for the office. */
  staff: z.array(z.object({ userId: z.number().int(), username: z.string(), name: z.string() })),
});
export type TCreditShop = z.infer<typeof ZCreditShopSchema>;

export const ZCreditShopsSchema = z.object({ items: z.array(ZCreditShopSchema) });

const ZName = z.string().trim().min(1).max(60);

export const ZCreditShopInputSchema = z.object({
  name: ZName,
  kind: z.enum(CREDIT_SHOP_KINDS),
  address: z.string().trim().max(200).nullable().optional(),
});
export type TCreditShopInput = z.infer<typeof ZCreditShopInputSchema>;

export const ZCreditShopPatchSchema = z.object({
  name: ZName.optional(),
  kind: z.enum(CREDIT_SHOP_KINDS).optional(),
  address: z.string().trim().max(200).nullable().optional(),
  active: z.boolean().optional(),
  version: z.number().int().min(1),
});
export type TCreditShopPatch = z.infer<typeof ZCreditShopPatchSchema>;

/** Names a user (role 商户店员) as staff of the shop; a user is staff of one shop at most. */
export const ZCreditStaffInputSchema = z.object({ userId: z.number().int().positive() });

export const ZCreditStaffParamSchema = z.object({
  id: z.coerce.number().int().positive(),
  userId: z.coerce.number().int().positive(),
});

export const ZCreditItemInputSchema = z.object({
  name: ZName,
  points: z.number().int().min(1).max(1_000_000),
  stock: z.number().int().min(0).max(1_000_000).nullable().optional(),
});
export type TCreditItemInput = z.infer<typeof ZCreditItemInputSchema>;

export const ZCreditItemPatchSchema = z.object({
  name: ZName.optional(),
  points: z.number().int().min(1).max(1_000_000).optional(),
  stock: z.number().int().min(0).max(1_000_000).nullable().optional(),
  active: z.boolean().optional(),
  version: z.number().int().min(1),
});
export type TCreditItemPatch = z.infer<typeof ZCreditItemPatchSchema>;

// ----- redemptions -----

export const ZCreditRedemptionSchema = z.object({
  id: z.number().int(),
  shopId: z.number().int(),
  shopName: z.string(),
  itemId: z.number().int(),
  itemName: z.string(),
  points: z.number().int(),
  status: z.enum(CREDIT_REDEMPTION_STATUSES),
  phoneMasked: z.string().nullable(),
  accountName: z.string().nullable(),
  expiresAt: z.string(),
  createdAt: z.string(),
  usedAt: z.string().nullable(),
  usedByName: z.string().nullable(),
});
export type TCreditRedemption = z.infer<typeof ZCreditRedemptionSchema>;

export const ZCreditRedemptionsQuerySchema = z.object({
  shopId: z.coerce.number().int().positive().optional(),
  status: z.enum(CREDIT_REDEMPTION_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional(),
});
export type TCreditRedemptionsQuery = z.infer<typeof ZCreditRedemptionsQuerySchema>;

export const ZCreditRedemptionsPageSchema = z.object({
  items: z.array(ZCreditRedemptionSchema),
  nextCursor: z.string().nullable(),
});

/** What a shop's staff type or scan: the code (letters and digits, case and spaces ignored). */
export const ZRedeemCodeInputSchema = z.object({
  code: z
    .string()
    .transform((s) => s.replace(/[\s-]/g, '').toUpperCase())
    .refine((s) => /^[0-9A-Z]{6,12}$/.test(s), {
      message: '兑换码为 8 位字母和数字 / a redemption code is 8 letters and digits',
    }),
});
export type TRedeemCodeInput = z.infer<typeof ZRedeemCodeInputSchema>;

/** The staff member's shop (the redeem screen's heading). */
export const ZCreditMyShopSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(CREDIT_SHOP_KINDS),
  address: z.string().nullable(),
});

// ----- ranking -----

export const ZCreditRankingQuerySchema = z.object({
  month: ZMonth.optional(),
  board: z.enum(CREDIT_BOARDS).default('resident'),
});
export type TCreditRankingQuery = z.infer<typeof ZCreditRankingQuerySchema>;

export const ZCreditRankingExportQuerySchema = z.object({ month: ZMonth.optional() });

/** The public board: names of those who opted in, 张** for the others, 匿名 without a name. */
export const ZPublicCreditRankingSchema = z.object({
  month: z.string(),
  board: z.enum(CREDIT_BOARDS),
  items: z.array(z.object({ rank: z.number().int(), name: z.string(), points: z.number().int() })),
});
export type TPublicCreditRanking = z.infer<typeof ZPublicCreditRankingSchema>;

/** The office's ranking: the account, its real name and masked phone. */
export const ZCreditRankingSchema = z.object({
  month: z.string(),
  board: z.enum(CREDIT_BOARDS),
  items: z.array(
    z.object({
      rank: z.number().int(),
      accountId: z.number().int(),
      name: z.string().nullable(),
      publicName: z.string(),
      showName: z.boolean(),
      phoneMasked: z.string().nullable(),
      points: z.number().int(),
    }),
  ),
});
export type TCreditRanking = z.infer<typeof ZCreditRankingSchema>;

// ----- the public pages (a resident signed in by SMS code) -----

export const ZCreditOtpRequestSchema = z.object({ phone: ZMobile });

export const ZCreditOtpSentSchema = z.object({
  sentTo: z.string(),
  expiresInS: z.number().int(),
});

export const ZCreditSignInSchema = z.object({
  phone: ZMobile,
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, '验证码为 6 位数字 / the code is 6 digits'),
});

/** The signed-in resident's account (null: not signed in). */
export const ZCreditMeSchema = z.object({
  account: z
    .object({
      phoneMasked: z.string().nullable(),
      name: z.string().nullable(),
      showName: z.boolean(),
      volunteer: z.boolean(),
      balance: z.number().int(),
      earned: z.number().int(),
      spent: z.number().int(),
    })
    .nullable(),
});
export type TCreditMe = z.infer<typeof ZCreditMeSchema>;

/** Opting in to (or out of) one's name on the public ranking. */
export const ZCreditMePatchSchema = z.object({
  showName: z.boolean(),
  name: z.string().trim().max(20).nullable().optional(),
});
export type TCreditMePatch = z.infer<typeof ZCreditMePatchSchema>;

/** What the public page offers: the open shops and their items in stock. */
export const ZPublicCreditShopsSchema = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      kind: z.enum(CREDIT_SHOP_KINDS),
      address: z.string().nullable(),
      items: z.array(
        z.object({
          id: z.number().int(),
          name: z.string(),
          points: z.number().int(),
          stock: z.number().int().nullable(),
        }),
      ),
    }),
  ),
});
export type TPublicCreditShops = z.infer<typeof ZPublicCreditShopsSchema>;

export const ZCreditRedeemRequestSchema = z.object({ itemId: z.number().int().positive() });

/** A fresh redemption code: shown once (only its hash is kept), valid until `expiresAt`. */
export const ZCreditRedeemCodeSchema = z.object({
  redemptionId: z.number().int(),
  code: z.string(),
  expiresAt: z.string(),
  itemName: z.string(),
  shopName: z.string(),
  points: z.number().int(),
});
export type TCreditRedeemCode = z.infer<typeof ZCreditRedeemCodeSchema>;

export const ZCreditMyRedemptionsSchema = z.object({ items: z.array(ZCreditRedemptionSchema) });
