import type {
  TCreditAccountsQuery,
  TCreditItemInput,
  TCreditItemPatch,
  TCreditLedgerQuery,
  TCreditRanking,
  TCreditRankingQuery,
  TCreditRedemptionsQuery,
  TCreditRulesInput,
  TCreditShopInput,
  TCreditShopPatch,
} from '../../../core/contracts/credits.js';
import {
  competitionRanks,
  DEFAULT_CREDIT_RULES,
  publicName,
  type TCreditSource,
} from '../../../core/credits/rules.js';
import { monthOf } from '../../../core/good-people/months.js';
import { startOfShanghaiDay } from '../../../core/calendar/working-days.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { errors, isUniqueViolation } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { creditErrors } from './credits.errors.js';
import {
  presentAccount,
  presentItem,
  presentLedgerRow,
  presentRedemption,
  presentRuleVersion,
  presentShop,
} from './credits.present.js';
import * as repo from './credits.repo.js';
import { currentRules } from './grant-credits.js';
import { phoneHash } from './phone-key.js';

// 文明积分, the office's side (issue #24, item 5): the rules (versioned), accounts found by phone
// (exactly, through the hash) or name, each account's ledger, shops with their items and staff,
// the redemptions, and the month's ranking with names. Credit accounts are the city's: the
// permissions are held at the city only (a district office is refused, 403).

/** A numeric keyset cursor (the last id of the page before); 400 when it is not one. */
export function idCursor(cursor: string | undefined): number | undefined {
  if (!cursor) return undefined;
  if (!/^\d{1,12}$/.test(cursor))
    throw errors.invalid({ zh: '分页游标无效', en: 'invalid page cursor' });
  return Number(cursor);
}

export function nextIdCursor<T>(rows: T[], limit: number, id: (r: T) => number) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? String(id(last)) : null };
}

// ----- rules -----

export async function getRules(database: Database, actor: Actor) {
  requirePermission(actor, Permission.CreditRead);
  const history = await repo.ruleHistory(database.db);
  const [latest, ...older] = history;
  return {
    current: presentRuleVersion(latest ?? { version: 0, rules: DEFAULT_CREDIT_RULES }),
    history: older.map(presentRuleVersion),
  };
}

/** A new version of the rules, from now on: grants made so far keep theirs. */
export async function putRules(database: Database, actor: Actor, input: TCreditRulesInput) {
  requirePermission(actor, Permission.CreditManage);
  await withTx(database, async (tx) => {
    const before = await currentRules(tx);
    if (before.version !== input.version) throw creditErrors.stale('rules');
    const version = before.version + 1;
    const ok = await repo.insertRuleVersion(tx, {
      version,
      rules: input.rules,
      note: input.note || null,
      createdBy: actor.id,
    });
    if (!ok) throw creditErrors.stale('rules');
    await writeAudit(tx, actor, {
      action: 'credit.rules',
      entityType: 'credit_rules',
      entityId: version,
      before: before.rules,
      after: input.rules,
    });
  });
  return getRules(database, actor);
}

// ----- accounts -----

export async function listAccounts(database: Database, actor: Actor, q: TCreditAccountsQuery) {
  requirePermission(actor, Permission.CreditRead);
  const rows = await repo.accountPage(database.db, {
    ...(q.phone ? { phoneHash: phoneHash(q.phone) } : {}),
    ...(q.q ? { name: q.q } : {}),
    limit: q.limit,
    ...(q.cursor ? { afterId: idCursor(q.cursor)! } : {}),
  });
  const page = nextIdCursor(rows, q.limit, (r) => r.a.id);
  return { items: page.items.map(presentAccount), nextCursor: page.nextCursor };
}

export async function getAccount(database: Database, actor: Actor, id: number) {
  requirePermission(actor, Permission.CreditRead);
  const row = await repo.findAccountNamed(database.db, id);
  if (!row) throw creditErrors.accountNotFound(id);
  return presentAccount(row);
}

/** One account's ledger, newest first. */
export async function accountLedger(db: DbOrTx, accountId: number, q: TCreditLedgerQuery) {
  const rows = await repo.ledgerPage(db, accountId, q.limit, idCursor(q.cursor));
  const page = nextIdCursor(rows, q.limit, (r) => r.id);
  return { items: page.items.map(presentLedgerRow), nextCursor: page.nextCursor };
}

export async function getLedger(
  database: Database,
  actor: Actor,
  id: number,
  q: TCreditLedgerQuery,
) {
  requirePermission(actor, Permission.CreditRead);
  if (!(await repo.findAccount(database.db, id))) throw creditErrors.accountNotFound(id);
  return accountLedger(database.db, id, q);
}

// ----- shops, items and staff -----

async function shopsPresented(db: DbOrTx, shops: repo.ShopRow[]) {
  const ids = shops.map((s) => s.id);
  const [items, staff] = await Promise.all([
    repo.itemsOfShops(db, ids),
    repo.staffOfShops(db, ids),
  ]);
  return shops.map((s) =>
    presentShop(
      s,
      items.filter((i) => i.shopId === s.id),
      staff
        .filter((x) => x.shopId === s.id)
        .map(({ userId, username, name }) => ({ userId, username, name })),
    ),
  );
}

export async function listShops(database: Database, actor: Actor) {
  requirePermission(actor, Permission.CreditRead);
  return { items: await shopsPresented(database.db, await repo.listShops(database.db)) };
}

async function shopOut(db: DbOrTx, id: number) {
  const s = await repo.findShop(db, id);
  if (!s) throw creditErrors.shopNotFound(id);
  return (await shopsPresented(db, [s]))[0]!;
}

async function uniqueName<T>(name: () => string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err, 'credit_shops_name_uq')) throw creditErrors.shopNameTaken(name());
    throw err;
  }
}

export async function createShop(database: Database, actor: Actor, input: TCreditShopInput) {
  requirePermission(actor, Permission.CreditManage);
  const id = await uniqueName(
    () => input.name,
    () =>
      withTx(database, async (tx) => {
        const values = { name: input.name, kind: input.kind, address: input.address ?? null };
        const id = await repo.insertShop(tx, values);
        await writeAudit(tx, actor, {
          action: 'credit.shop_create',
          entityType: 'credit_shop',
          entityId: id,
          after: values,
        });
        return id;
      }),
  );
  return shopOut(database.db, id);
}

export async function updateShop(
  database: Database,
  actor: Actor,
  id: number,
  input: TCreditShopPatch,
) {
  requirePermission(actor, Permission.CreditManage);
  const { version, ...patch } = input;
  const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  await uniqueName(
    () => input.name ?? '',
    () =>
      withTx(database, async (tx) => {
        const before = await repo.findShop(tx, id);
        if (!before) throw creditErrors.shopNotFound(id);
        if (!(await repo.updateShop(tx, id, version, set))) throw creditErrors.stale('shop');
        await writeAudit(tx, actor, {
          action: 'credit.shop_update',
          entityType: 'credit_shop',
          entityId: id,
          before,
          after: set,
        });
      }),
  );
  return shopOut(database.db, id);
}

export async function addStaff(database: Database, actor: Actor, shopId: number, userId: number) {
  requirePermission(actor, Permission.CreditManage);
  await withTx(database, async (tx) => {
    if (!(await repo.findShop(tx, shopId))) throw creditErrors.shopNotFound(shopId);
    const u = await repo.findUser(tx, userId);
    if (!u || !u.active || !u.roles.includes('shop')) throw creditErrors.notShopRole();
    if (!(await repo.insertStaff(tx, shopId, userId))) {
      const other = await repo.shopOfStaff(tx, userId);
      if (other?.id !== shopId) throw creditErrors.staffElsewhere();
      return;
    }
    await writeAudit(tx, actor, {
      action: 'credit.staff_add',
      entityType: 'credit_shop',
      entityId: shopId,
      after: { userId, name: u.name },
    });
  });
  return shopOut(database.db, shopId);
}

export async function removeStaff(
  database: Database,
  actor: Actor,
  shopId: number,
  userId: number,
) {
  requirePermission(actor, Permission.CreditManage);
  await withTx(database, async (tx) => {
    if (!(await repo.findShop(tx, shopId))) throw creditErrors.shopNotFound(shopId);
    if (!(await repo.deleteStaff(tx, shopId, userId))) throw errors.notFound('user', userId);
    await writeAudit(tx, actor, {
      action: 'credit.staff_remove',
      entityType: 'credit_shop',
      entityId: shopId,
      before: { userId },
    });
  });
  return shopOut(database.db, shopId);
}

export async function createItem(
  database: Database,
  actor: Actor,
  shopId: number,
  input: TCreditItemInput,
) {
  requirePermission(actor, Permission.CreditManage);
  const id = await withTx(database, async (tx) => {
    if (!(await repo.findShop(tx, shopId))) throw creditErrors.shopNotFound(shopId);
    const values = { shopId, name: input.name, points: input.points, stock: input.stock ?? null };
    const id = await repo.insertItem(tx, values);
    await writeAudit(tx, actor, {
      action: 'credit.item_create',
      entityType: 'credit_item',
      entityId: id,
      after: values,
    });
    return id;
  });
  return presentItem((await repo.findItem(database.db, id))!);
}

export async function updateItem(
  database: Database,
  actor: Actor,
  id: number,
  input: TCreditItemPatch,
) {
  requirePermission(actor, Permission.CreditManage);
  const { version, ...patch } = input;
  const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  await withTx(database, async (tx) => {
    const before = await repo.findItem(tx, id);
    if (!before) throw creditErrors.itemNotFound(id);
    if (!(await repo.updateItem(tx, id, version, set))) throw creditErrors.stale('item');
    await writeAudit(tx, actor, {
      action: 'credit.item_update',
      entityType: 'credit_item',
      entityId: id,
      before,
      after: set,
    });
  });
  return presentItem((await repo.findItem(database.db, id))!);
}

// ----- redemptions -----

export async function listRedemptions(
  database: Database,
  actor: Actor,
  q: TCreditRedemptionsQuery,
) {
  requirePermission(actor, Permission.CreditRead);
  const now = new Date();
  const rows = await repo.redemptionPage(database.db, {
    shopId: q.shopId,
    status: q.status,
    now,
    limit: q.limit,
    ...(q.cursor ? { beforeId: idCursor(q.cursor)! } : {}),
  });
  const page = nextIdCursor(rows, q.limit, (r) => r.r.id);
  return { items: page.items.map((r) => presentRedemption(r, now)), nextCursor: page.nextCursor };
}

// ----- the month's ranking -----

/** Which sources each board counts: a resident's reports and ratings, a volunteer's hours. */
export const BOARD_SOURCES: Record<TCreditRankingQuery['board'], readonly TCreditSource[]> = {
  resident: ['report', 'star_rating'],
  volunteer: ['volunteer_hours'],
};

/** The month's window, Beijing time: [the 1st, the 1st of the next month). */
export function monthWindow(month: string): [Date, Date] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return [startOfShanghaiDay(`${month}-01`), startOfShanghaiDay(`${next}-01`)];
}

/** The ranking rows of a month and board (the public board reads the same rows). */
export async function rankingRows(
  db: DbOrTx,
  q: { month?: string | undefined; board: TCreditRankingQuery['board'] },
  limit: number,
) {
  const month = q.month ?? monthOf(new Date());
  const [from, to] = monthWindow(month);
  const rows = await repo.monthTotals(db, BOARD_SOURCES[q.board], from, to, limit);
  const r = competitionRanks(rows.map((x) => Number(x.points)));
  return {
    month,
    rows: rows.map((x, i) => {
      const name = x.name ?? x.volunteerName;
      return {
        rank: r[i]!,
        accountId: x.accountId,
        name,
        publicName: publicName(name, x.showName) ?? '匿名',
        showName: x.showName,
        phoneMasked: x.phoneMasked,
        points: Number(x.points),
      };
    }),
  };
}

export async function ranking(
  database: Database,
  actor: Actor,
  q: TCreditRankingQuery,
  limit = 100,
): Promise<TCreditRanking> {
  requirePermission(actor, Permission.CreditRead);
  const { month, rows } = await rankingRows(database.db, q, limit);
  return { month, board: q.board, items: rows };
}
