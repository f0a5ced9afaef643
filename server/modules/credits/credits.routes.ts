import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParamSchema, ZNoContentSchema } from '../../../core/contracts/common.js';
import {
  ZCreditAccountSchema,
  ZCreditAccountsPageSchema,
  ZCreditAccountsQuerySchema,
  ZCreditItemInputSchema,
  ZCreditItemPatchSchema,
  ZCreditItemSchema,
  ZCreditLedgerPageSchema,
  ZCreditLedgerQuerySchema,
  ZCreditMePatchSchema,
  ZCreditMeSchema,
  ZCreditMyRedemptionsSchema,
  ZCreditMyShopSchema,
  ZCreditOtpRequestSchema,
  ZCreditOtpSentSchema,
  ZCreditRankingExportQuerySchema,
  ZCreditRankingQuerySchema,
  ZCreditRankingSchema,
  ZCreditRedeemCodeSchema,
  ZCreditRedeemRequestSchema,
  ZCreditRedemptionSchema,
  ZCreditRedemptionsPageSchema,
  ZCreditRedemptionsQuerySchema,
  ZCreditRulesInputSchema,
  ZCreditRulesResponseSchema,
  ZCreditShopInputSchema,
  ZCreditShopPatchSchema,
  ZCreditShopSchema,
  ZCreditShopsSchema,
  ZCreditSignInSchema,
  ZCreditStaffInputSchema,
  ZCreditStaffParamSchema,
  ZPublicCreditRankingSchema,
  ZPublicCreditShopsSchema,
  ZRedeemCodeInputSchema,
} from '../../../core/contracts/credits.js';
import { monthOf } from '../../../core/good-people/months.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import { xlsxHeaders } from '../../platform/xlsx.js';
import * as pub from './credits-public.service.js';
import * as shop from './credits-shop.service.js';
import { rankingWorkbook } from './credits-xlsx.js';
import * as service from './credits.service.js';
import { setCreditsKey } from './phone-key.js';

/** The resident's session on the public credits pages (httpOnly, sent to these routes only). */
export const CREDIT_COOKIE = 'cc_credit';
const COOKIE_PATH = '/api/public/credits';

/**
 * 文明积分: the office's rules, accounts, ledgers, shops, items and redemptions and the month's
 * ranking; the shop staff's code check and confirmation; and the public routes of the citizen
 * pages — SMS sign-in, one's balance and ledger, redemption codes, the public ranking.
 */
export const creditRoutes: FastifyPluginAsyncZod<{
  database: Database;
  config: Config;
  /** Runs the outbox job now (app.ts AppDeps). */
  kickJob?: (name: 'outbox') => void;
}> = async (app, { database, config, kickJob }) => {
  setCreditsKey(config.creditsPhoneKey);
  const tags = ['credits'];

  // ----- the office -----
  app.get(
    '/api/credits/rules',
    {
      schema: {
        tags,
        summary: '积分规则 in force and earlier versions',
        response: { 200: ZCreditRulesResponseSchema },
      },
    },
    async (req) => service.getRules(database, actor(req)),
  );
  app.put(
    '/api/credits/rules',
    {
      schema: {
        tags,
        summary: 'A new version of the rules (from now on; grants keep their version)',
        body: ZCreditRulesInputSchema,
        response: { 200: ZCreditRulesResponseSchema },
      },
    },
    async (req) => service.putRules(database, actor(req), req.body),
  );
  app.get(
    '/api/credits/accounts',
    {
      schema: {
        tags,
        summary: 'Accounts, newest first: by phone (exact) or by part of a name',
        querystring: ZCreditAccountsQuerySchema,
        response: { 200: ZCreditAccountsPageSchema },
      },
    },
    async (req) => service.listAccounts(database, actor(req), req.query),
  );
  app.get(
    '/api/credits/accounts/:id',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZCreditAccountSchema } } },
    async (req) => service.getAccount(database, actor(req), req.params.id),
  );
  app.get(
    '/api/credits/accounts/:id/ledger',
    {
      schema: {
        tags,
        summary: "An account's ledger, newest first",
        params: ZIdParamSchema,
        querystring: ZCreditLedgerQuerySchema,
        response: { 200: ZCreditLedgerPageSchema },
      },
    },
    async (req) => service.getLedger(database, actor(req), req.params.id, req.query),
  );
  app.get(
    '/api/credits/shops',
    {
      schema: {
        tags,
        summary: 'Shops (爱心超市, partner 商户) with their items and staff',
        response: { 200: ZCreditShopsSchema },
      },
    },
    async (req) => service.listShops(database, actor(req)),
  );
  app.post(
    '/api/credits/shops',
    {
      schema: {
        tags,
        body: ZCreditShopInputSchema,
        response: { 201: ZCreditShopSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.createShop(database, actor(req), req.body)),
  );
  app.patch(
    '/api/credits/shops/:id',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        body: ZCreditShopPatchSchema,
        response: { 200: ZCreditShopSchema },
      },
    },
    async (req) => service.updateShop(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/credits/shops/:id/staff',
    {
      schema: {
        tags,
        summary: 'Name a user with the 商户店员 role as staff of the shop',
        params: ZIdParamSchema,
        body: ZCreditStaffInputSchema,
        response: { 200: ZCreditShopSchema },
      },
    },
    async (req) => service.addStaff(database, actor(req), req.params.id, req.body.userId),
  );
  app.delete(
    '/api/credits/shops/:id/staff/:userId',
    {
      schema: { tags, params: ZCreditStaffParamSchema, response: { 200: ZCreditShopSchema } },
    },
    async (req) => service.removeStaff(database, actor(req), req.params.id, req.params.userId),
  );
  app.post(
    '/api/credits/shops/:id/items',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        body: ZCreditItemInputSchema,
        response: { 201: ZCreditItemSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await service.createItem(database, actor(req), req.params.id, req.body)),
  );
  app.patch(
    '/api/credits/items/:id',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        body: ZCreditItemPatchSchema,
        response: { 200: ZCreditItemSchema },
      },
    },
    async (req) => service.updateItem(database, actor(req), req.params.id, req.body),
  );
  app.get(
    '/api/credits/redemptions',
    {
      schema: {
        tags,
        summary: 'Redemptions, newest first, by shop and status',
        querystring: ZCreditRedemptionsQuerySchema,
        response: { 200: ZCreditRedemptionsPageSchema },
      },
    },
    async (req) => service.listRedemptions(database, actor(req), req.query),
  );
  app.get(
    '/api/credits/ranking',
    {
      schema: {
        tags,
        summary: "The month's ranking with names and masked phones (top 100)",
        querystring: ZCreditRankingQuerySchema,
        response: { 200: ZCreditRankingSchema },
      },
    },
    async (req) => service.ranking(database, actor(req), req.query),
  );
  app.get(
    '/api/credits/ranking/xlsx',
    {
      schema: {
        tags,
        summary: "The month's ranking as XLSX (both boards, up to 1,000 each)",
        querystring: ZCreditRankingExportQuerySchema,
      },
    },
    async (req, reply) => {
      const month = req.query.month ?? monthOf(new Date());
      const boards = [
        await service.ranking(database, actor(req), { month, board: 'resident' }, 1000),
        await service.ranking(database, actor(req), { month, board: 'volunteer' }, 1000),
      ];
      return reply
        .headers(xlsxHeaders(`文明积分排行榜-${month}.xlsx`))
        .send(await rankingWorkbook(month, boards));
    },
  );

  // ----- shop staff (the phone app) -----
  app.get(
    '/api/credits/shop',
    {
      schema: {
        tags,
        summary: 'The shop the signed-in staff member serves',
        response: { 200: ZCreditMyShopSchema },
      },
    },
    async (req) => shop.myShop(database, actor(req)),
  );
  app.post(
    '/api/credits/redeem/preview',
    {
      schema: {
        tags,
        summary: 'What a redemption code is for, before it is confirmed (nothing written)',
        body: ZRedeemCodeInputSchema,
        response: { 200: ZCreditRedemptionSchema },
      },
    },
    async (req) => shop.previewCode(database, actor(req), req.body.code),
  );
  app.post(
    '/api/credits/redeem/confirm',
    {
      schema: {
        tags,
        summary: 'Use a code: the spend and the stock in one transaction; a used code is refused',
        body: ZRedeemCodeInputSchema,
        response: { 200: ZCreditRedemptionSchema },
      },
    },
    async (req) => shop.confirmCode(database, actor(req), req.body.code),
  );

  // ----- public: the citizen pages -----
  const open = { public: true };
  const cookieOptions = {
    httpOnly: true,
    // Sent only by the pages themselves: no other site's form or link carries it (CSRF).
    sameSite: 'strict' as const,
    secure: config.cookieSecure,
    path: COOKIE_PATH,
  };
  const token = (req: FastifyRequest) => req.cookies[CREDIT_COOKIE];
  const account = (req: FastifyRequest) => pub.sessionAccount(database, token(req));

  app.post(
    '/api/public/credits/otp',
    {
      config: open,
      schema: {
        tags,
        summary: 'Send a sign-in code by SMS (outbox topic sms; limited per number and address)',
        body: ZCreditOtpRequestSchema,
        response: { 200: ZCreditOtpSentSchema },
      },
    },
    async (req) => {
      const sent = await pub.requestOtp(database, config, req.body.phone, req.ip);
      // The resident is waiting for the text: the outbox goes now, not at its next run (≤ 10 s).
      kickJob?.('outbox');
      return sent;
    },
  );
  app.post(
    '/api/public/credits/session',
    {
      config: open,
      schema: {
        tags,
        summary: 'Sign in with the number and the SMS code (5 tries a code)',
        body: ZCreditSignInSchema,
        response: { 200: ZCreditMeSchema },
      },
    },
    async (req, reply) => {
      const s = await pub.signIn(database, req.body.phone, req.body.code, req.ip);
      reply.setCookie(CREDIT_COOKIE, s.token, { ...cookieOptions, expires: s.expiresAt });
      return pub.me(database, await pub.sessionAccount(database, s.token));
    },
  );
  app.delete(
    '/api/public/credits/session',
    {
      config: open,
      schema: { tags, summary: 'Sign out', response: { 204: ZNoContentSchema } },
    },
    async (req, reply) => {
      await pub.signOut(database, token(req));
      reply.clearCookie(CREDIT_COOKIE, cookieOptions);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/public/credits/me',
    {
      config: open,
      schema: {
        tags,
        summary: 'The signed-in resident: balance and opt-in (account null when signed out)',
        response: { 200: ZCreditMeSchema },
      },
    },
    async (req) => pub.me(database, await account(req)),
  );
  app.patch(
    '/api/public/credits/me',
    {
      config: open,
      schema: {
        tags,
        summary: 'Opt in to (or out of) one’s name on the public ranking',
        body: ZCreditMePatchSchema,
        response: { 200: ZCreditMeSchema },
      },
    },
    async (req) => pub.updateMe(database, await account(req), req.body),
  );
  app.get(
    '/api/public/credits/ledger',
    {
      config: open,
      schema: {
        tags,
        summary: "The signed-in resident's ledger, newest first",
        querystring: ZCreditLedgerQuerySchema,
        response: { 200: ZCreditLedgerPageSchema },
      },
    },
    async (req) => pub.myLedger(database, await account(req), req.query),
  );
  app.get(
    '/api/public/credits/shops',
    {
      config: open,
      schema: {
        tags,
        summary: 'Open shops and their items in stock',
        response: { 200: ZPublicCreditShopsSchema },
      },
    },
    async () => pub.publicShops(database),
  );
  app.post(
    '/api/public/credits/redemptions',
    {
      config: open,
      schema: {
        tags,
        summary: 'A one-time redemption code for an item (shown once; valid for minutes)',
        body: ZCreditRedeemRequestSchema,
        response: { 201: ZCreditRedeemCodeSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await pub.takeRedeemCode(
            database,
            await account(req),
            req.body.itemId,
            config.creditsRedeemCodeMinutes,
          ),
        ),
  );
  app.get(
    '/api/public/credits/redemptions',
    {
      config: open,
      schema: {
        tags,
        summary: "The signed-in resident's latest redemptions and their state",
        response: { 200: ZCreditMyRedemptionsSchema },
      },
    },
    async (req) => pub.myRedemptions(database, await account(req)),
  );
  app.get(
    '/api/public/credits/ranking',
    {
      config: open,
      schema: {
        tags,
        summary: "The month's board: opted-in names, 张** for the others",
        querystring: ZCreditRankingQuerySchema,
        response: { 200: ZPublicCreditRankingSchema },
      },
    },
    async (req) => pub.publicRanking(database, req.query),
  );
};
