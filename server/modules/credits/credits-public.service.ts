import { createHash, randomBytes, randomInt } from 'node:crypto';
import type {
  TCreditLedgerQuery,
  TCreditMe,
  TCreditMePatch,
  TCreditRankingQuery,
  TCreditRedeemCode,
  TPublicCreditRanking,
  TPublicCreditShops,
} from '../../../core/contracts/credits.js';
import { maskMobile } from '../../../core/credits/rules.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { SYSTEM_ACTOR, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { queueSms } from '../notifications/notifications.service.js';
import { takeRateLimits } from '../../platform/rate-limit.js';
import { withTx } from '../../platform/tx.js';
import { creditErrors } from './credits.errors.js';
import { presentRedemption } from './credits.present.js';
import * as repo from './credits.repo.js';
import { accountLedger, rankingRows } from './credits.service.js';
import { accountFor } from './grant-credits.js';
import { codeHash, phoneHash } from './phone-key.js';

// 文明积分 on the public pages (issue #24, item 5): a resident signs in with a mobile number and a
// one-time SMS code, sees the balance and the ledger, takes a one-time redemption code for an
// item, and may opt in to their name on the month's ranking. The SMS goes out through the outbox
// (topic `sms`, payload `{ to, text, kind: 'otp' }`: the gateway's contract). Codes are kept only
// as keyed hashes; a sign-in code lives 5 minutes and takes 5 wrong tries; sending is limited per
// number (one a minute, CREDITS_OTP_PER_PHONE_HOUR an hour) and per address. The session is an
// httpOnly SameSite=Strict cookie (routes), its token kept as its SHA-256.

const MINUTE = 60_000;
const HOUR = 3_600_000;
export const OTP_TTL_MS = 5 * MINUTE;
export const OTP_MAX_ATTEMPTS = 5;
export const CREDIT_SESSION_MS = 24 * HOUR;
/** Unused, unexpired redemption codes one account may hold at once. */
const MAX_OPEN_CODES = 3;

/** Who a resident's own acts are filed as in the audit log. */
const RESIDENT_ACTOR: Actor = { ...SYSTEM_ACTOR, username: 'resident', name: '居民', roles: [] };

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

// Redemption codes: 8 characters without look-alikes (0/O, 1/I/L): 31^8 ≈ 8.5 × 10^11.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export function newRedeemCode(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/** Sends a sign-in code by SMS (an outbox row in the same transaction as the code's). */
export async function requestOtp(
  database: Database,
  config: Config,
  phone: string,
  ip: string,
): Promise<{ sentTo: string; expiresInS: number }> {
  const hash = phoneHash(phone);
  await takeRateLimits(database, [
    { key: `credits:otp:ip:${ip}`, limit: config.creditsOtpPerIpHour, windowMs: HOUR },
    { key: `credits:otp:phone-minute:${hash}`, limit: 1, windowMs: MINUTE },
    { key: `credits:otp:phone:${hash}`, limit: config.creditsOtpPerPhoneHour, windowMs: HOUR },
  ]);
  const code = String(randomInt(1_000_000)).padStart(6, '0');
  const now = Date.now();
  await withTx(database, async (tx) => {
    await repo.insertOtp(tx, {
      phoneHash: hash,
      codeHash: codeHash(`otp:${hash}`, code),
      expiresAt: new Date(now + OTP_TTL_MS),
    });
    // No dedupe key: every request is a new code (the rate limits above bound them).
    await queueSms(tx, {
      to: phone,
      text: `【文明积分】您的登录验证码为 ${code}，${OTP_TTL_MS / MINUTE} 分钟内有效。如非本人操作，请忽略本短信。`,
      kind: 'otp',
    });
  });
  return { sentTo: maskMobile(phone), expiresInS: OTP_TTL_MS / 1000 };
}

type Checked = { ok: true } | { ok: false; error: Error };

/**
 * Checks a sign-in code against the latest one sent to the number: expired or used up is refused,
 * a wrong one counts against its tries (the count is kept even though the answer is an error).
 * On success the account is opened when there is none, and a session begins.
 */
export async function signIn(
  database: Database,
  phone: string,
  code: string,
  ip: string,
): Promise<{ token: string; expiresAt: Date }> {
  await takeRateLimits(database, [{ key: `credits:signin:ip:${ip}`, limit: 60, windowMs: HOUR }]);
  const hash = phoneHash(phone);
  const now = new Date();
  const checked: Checked = await withTx(database, async (tx): Promise<Checked> => {
    const otp = await repo.lockLatestOtp(tx, hash);
    if (!otp || otp.expiresAt <= now) return { ok: false, error: creditErrors.otpExpired() };
    if (otp.attempts >= OTP_MAX_ATTEMPTS) return { ok: false, error: creditErrors.otpLocked() };
    if (otp.codeHash !== codeHash(`otp:${hash}`, code)) {
      const attempts = await repo.countOtpAttempt(tx, otp.id);
      return { ok: false, error: creditErrors.otpWrong(OTP_MAX_ATTEMPTS - attempts) };
    }
    await repo.useOtp(tx, otp.id, now);
    return { ok: true };
  });
  if (!checked.ok) throw checked.error;
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + CREDIT_SESSION_MS);
  await withTx(database, async (tx) => {
    const accountId = await accountFor(tx, { phone });
    if (accountId === undefined) throw creditErrors.signInFirst();
    await repo.insertSession(tx, { tokenHash: tokenHash(token), accountId, expiresAt });
  });
  return { token, expiresAt };
}

/** The account of a session cookie (undefined: none, or ended). */
export async function sessionAccount(
  database: Database,
  token: string | undefined,
): Promise<number | undefined> {
  if (!token || token.length > 100) return undefined;
  return repo.sessionAccount(database.db, tokenHash(token), new Date());
}

export async function signOut(database: Database, token: string | undefined): Promise<void> {
  if (!token || token.length > 100) return;
  await repo.deleteSession(database.db, tokenHash(token));
  await database.afterCommit();
}

function required(accountId: number | undefined): number {
  if (accountId === undefined) throw creditErrors.signInFirst();
  return accountId;
}

/** The signed-in resident's account (null when not signed in). */
export async function me(database: Database, accountId: number | undefined): Promise<TCreditMe> {
  if (accountId === undefined) return { account: null };
  const row = await repo.findAccountNamed(database.db, accountId);
  if (!row) return { account: null };
  const a = row.a;
  return {
    account: {
      phoneMasked: a.phoneMasked,
      name: a.name ?? row.volunteerName,
      showName: a.showName,
      volunteer: a.volunteerId !== null,
      balance: a.balance,
      earned: a.earned,
      spent: a.spent,
    },
  };
}

export async function myLedger(
  database: Database,
  accountId: number | undefined,
  q: TCreditLedgerQuery,
) {
  return accountLedger(database.db, required(accountId), q);
}

/** Opting in to (or out of) one's name on the public ranking; a resident may give the name. */
export async function updateMe(
  database: Database,
  accountId: number | undefined,
  input: TCreditMePatch,
): Promise<TCreditMe> {
  const id = required(accountId);
  await withTx(database, async (tx) => {
    const before = await repo.findAccount(tx, id);
    if (!before) throw creditErrors.signInFirst();
    const set = {
      showName: input.showName,
      // A volunteer's name is the registry's; a resident's is what they give.
      ...(input.name !== undefined && before.volunteerId === null
        ? { name: input.name || null }
        : {}),
    };
    await repo.updateAccount(tx, id, set);
    await writeAudit(tx, RESIDENT_ACTOR, {
      action: 'credit.opt_in',
      entityType: 'credit_account',
      entityId: id,
      before: { showName: before.showName, name: before.name },
      after: set,
    });
  });
  return me(database, id);
}

/** The open shops and what they offer (items in stock). */
export async function publicShops(database: Database): Promise<TPublicCreditShops> {
  const shops = await repo.listShops(database.db, true);
  const items = await repo.itemsOfShops(
    database.db,
    shops.map((s) => s.id),
    true,
  );
  return {
    items: shops.map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind,
      address: s.address,
      items: items
        .filter((i) => i.shopId === s.id && (i.stock === null || i.stock > 0))
        .map((i) => ({ id: i.id, name: i.name, points: i.points, stock: i.stock })),
    })),
  };
}

/**
 * A one-time code for an item, valid for CREDITS_REDEEM_CODE_MINUTES: shown once (its hash is
 * kept). The balance and the stock are checked now for the resident's sake; the spend itself is
 * written when the shop confirms the code, and checked again then.
 */
export async function takeRedeemCode(
  database: Database,
  accountId: number | undefined,
  itemId: number,
  /** CREDITS_REDEEM_CODE_MINUTES. */
  validMinutes: number,
): Promise<TCreditRedeemCode> {
  const id = required(accountId);
  await takeRateLimits(database, [
    { key: `credits:code:account:${id}`, limit: 20, windowMs: HOUR },
  ]);
  const now = new Date();
  return withTx(database, async (tx) => {
    const item = await repo.findItem(tx, itemId);
    const shop = item && (await repo.findShop(tx, item.shopId));
    if (!item || !shop) throw creditErrors.itemNotFound(itemId);
    if (!item.active || !shop.active) throw creditErrors.itemUnavailable();
    if (item.stock !== null && item.stock <= 0) throw creditErrors.outOfStock(item.name);
    const account = await repo.lockAccount(tx, id);
    if (!account) throw creditErrors.signInFirst();
    if (account.balance < item.points) throw creditErrors.notEnough(account.balance, item.points);
    if ((await repo.openRedemptions(tx, id, now)) >= MAX_OPEN_CODES)
      throw creditErrors.tooManyOpenCodes();
    const code = newRedeemCode();
    const expiresAt = new Date(now.getTime() + validMinutes * MINUTE);
    const redemptionId = await repo.insertRedemption(tx, {
      accountId: id,
      itemId: item.id,
      shopId: shop.id,
      points: item.points,
      codeHash: codeHash('redeem', code),
      expiresAt,
      createdAt: now,
    });
    await writeAudit(tx, RESIDENT_ACTOR, {
      action: 'credit.code',
      entityType: 'credit_account',
      entityId: id,
      after: { redemptionId, itemId: item.id, shopId: shop.id, points: item.points },
    });
    return {
      redemptionId,
      code,
      expiresAt: expiresAt.toISOString(),
      itemName: item.name,
      shopName: shop.name,
      points: item.points,
    };
  });
}

/** The resident's latest redemptions (codes are not shown again: only their state). */
export async function myRedemptions(database: Database, accountId: number | undefined) {
  const id = required(accountId);
  const now = new Date();
  const rows = await repo.redemptionPage(database.db, { accountId: id, now, limit: 20 });
  return { items: rows.slice(0, 20).map((r) => presentRedemption(r, now)) };
}

/** The month's public board: top 20, names only of those who opted in. */
export async function publicRanking(
  database: Database,
  q: TCreditRankingQuery,
): Promise<TPublicCreditRanking> {
  const { month, rows } = await rankingRows(database.db, q, 20);
  return {
    month,
    board: q.board,
    items: rows.map((r) => ({ rank: r.rank, name: r.publicName, points: r.points })),
  };
}

/** Drops sessions that ended and sign-in codes older than a day (a job). */
export async function purgeCreditSessions(database: Database): Promise<void> {
  await repo.purgeExpired(database.db, new Date(Date.now() - 24 * HOUR));
  await database.afterCommit();
}
