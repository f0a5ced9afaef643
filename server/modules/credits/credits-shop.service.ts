import type { TCreditRedemption } from '../../../core/contracts/credits.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { takeRateLimits } from '../../platform/rate-limit.js';
import { withTx } from '../../platform/tx.js';
import { creditErrors } from './credits.errors.js';
import { presentRedemption } from './credits.present.js';
import * as repo from './credits.repo.js';
import { codeHash } from './phone-key.js';

// 核销: a shop's staff (role 商户店员, named staff of one shop by the office) scan or type a
// resident's redemption code on the phone and confirm it. The spend's ledger row, the balance,
// the stock and the code's use are one transaction, under locks on the code and then the account
// (the order every writer keeps), so a code is used once and a balance never goes below 0 —
// whatever else runs at the same moment. Typed codes are limited per staff member (guessing).

/** The shop the actor is staff of (403 for anyone who is not). */
async function staffShop(db: DbOrTx, actor: Actor) {
  requirePermission(actor, Permission.CreditRedeem);
  const shop = actor.id === null ? undefined : await repo.shopOfStaff(db, actor.id);
  if (!shop) throw creditErrors.notStaff();
  return shop;
}

export async function myShop(database: Database, actor: Actor) {
  const s = await staffShop(database.db, actor);
  return { id: s.id, name: s.name, kind: s.kind, address: s.address };
}

async function limitLookups(database: Database, actor: Actor) {
  await takeRateLimits(database, [
    { key: `credits:redeem:user:${actor.id}`, limit: 60, windowMs: 15 * 60_000 },
  ]);
}

async function presented(db: DbOrTx, id: number, now: Date): Promise<TCreditRedemption> {
  const [row] = await repo.redemptionPage(db, { id, now, limit: 1 });
  return presentRedemption(row!, now);
}

/** What a code is for, before the staff confirm it (nothing is written). */
export async function previewCode(
  database: Database,
  actor: Actor,
  code: string,
): Promise<TCreditRedemption> {
  const shop = await staffShop(database.db, actor);
  await limitLookups(database, actor);
  const r = await repo.findRedemptionByCode(database.db, codeHash('redeem', code));
  if (!r) throw creditErrors.codeUnknown();
  const now = new Date();
  const out = await presented(database.db, r.id, now);
  if (r.shopId !== shop.id) throw creditErrors.otherShop(out.shopName);
  return out;
}

/**
 * Uses a code: the spend is written, the stock taken, the code marked used — or nothing, with the
 * reason (used already, expired, another shop's, not enough points, none left).
 */
export async function confirmCode(
  database: Database,
  actor: Actor,
  code: string,
): Promise<TCreditRedemption> {
  const shop = await staffShop(database.db, actor);
  await limitLookups(database, actor);
  const now = new Date();
  const id = await withTx(database, async (tx) => {
    const r = await repo.lockRedemptionByCode(tx, codeHash('redeem', code));
    if (!r) throw creditErrors.codeUnknown();
    const item = (await repo.findItem(tx, r.itemId))!;
    const itsShop = (await repo.findShop(tx, r.shopId))!;
    if (r.usedAt) throw creditErrors.codeUsed(r.usedAt, itsShop.name);
    if (r.shopId !== shop.id) throw creditErrors.otherShop(itsShop.name);
    if (r.expiresAt <= now) throw creditErrors.codeExpired(r.expiresAt);
    if (!item.active || !itsShop.active) throw creditErrors.itemUnavailable();
    const account = await repo.lockAccount(tx, r.accountId);
    if (!account) throw creditErrors.accountNotFound(r.accountId);
    if (account.balance < r.points) throw creditErrors.notEnough(account.balance, r.points);
    if (!(await repo.takeStock(tx, item.id))) throw creditErrors.outOfStock(item.name);
    const ledgerId = await repo.insertLedger(tx, {
      accountId: account.id,
      delta: -r.points,
      entry: 'spend',
      sourceKind: 'redemption',
      sourceId: String(r.id),
      ruleVersion: null,
      reason: 'redeemed',
      note: `${itsShop.name} · ${item.name}`,
      asked: null,
      actorId: actor.id,
      actorName: actor.name,
      at: now,
    });
    const balance = await repo.moveBalance(tx, account.id, {
      delta: -r.points,
      earned: 0,
      spent: r.points,
    });
    if (ledgerId === undefined || balance === undefined)
      throw creditErrors.notEnough(account.balance, r.points);
    if (!(await repo.markRedemptionUsed(tx, r.id, actor.id, now)))
      throw creditErrors.codeUsed(now, itsShop.name);
    await writeAudit(tx, actor, {
      action: 'credit.spend',
      entityType: 'credit_account',
      entityId: account.id,
      before: { balance: account.balance, stock: item.stock },
      after: {
        ledgerId,
        redemptionId: r.id,
        shopId: itsShop.id,
        itemId: item.id,
        points: r.points,
        balance,
      },
    });
    return r.id;
  });
  return presented(database.db, id, now);
}
