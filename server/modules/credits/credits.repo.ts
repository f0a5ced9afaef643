import {
  and,
  asc,
  desc,
  eq,
  gte,
  ilike,
  inArray,
  isNull,
  lt,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import {
  creditAccounts,
  creditItems,
  creditLedger,
  creditOtps,
  creditRedemptions,
  creditRuleVersions,
  creditSessions,
  creditShops,
  creditShopStaff,
  users,
  volunteers,
} from '../../db/schema/index.js';
import { likePattern } from '../../platform/pagination.js';

export type RuleVersionRow = typeof creditRuleVersions.$inferSelect;
export type AccountRow = typeof creditAccounts.$inferSelect;
export type LedgerRow = typeof creditLedger.$inferSelect;
export type LedgerInsert = typeof creditLedger.$inferInsert;
export type ShopRow = typeof creditShops.$inferSelect;
export type ItemRow = typeof creditItems.$inferSelect;
export type RedemptionTableRow = typeof creditRedemptions.$inferSelect;
export type OtpRow = typeof creditOtps.$inferSelect;

// ----- rules -----

export async function latestRules(db: DbOrTx): Promise<
  | (RuleVersionRow & {
      createdByName: string | null;
    })
  | undefined
> {
  const [row] = await ruleVersions(db).limit(1);
  return row;
}

function ruleVersions(db: DbOrTx) {
  return db
    .select({
      version: creditRuleVersions.version,
      rules: creditRuleVersions.rules,
      note: creditRuleVersions.note,
      createdBy: creditRuleVersions.createdBy,
      createdAt: creditRuleVersions.createdAt,
      createdByName: users.name,
    })
    .from(creditRuleVersions)
    .leftJoin(users, eq(users.id, creditRuleVersions.createdBy))
    .orderBy(desc(creditRuleVersions.version));
}

export async function ruleHistory(db: DbOrTx, limit = 50) {
  return ruleVersions(db).limit(limit);
}

/** A new version; false when another writer took the number first. */
export async function insertRuleVersion(
  tx: DbOrTx,
  v: typeof creditRuleVersions.$inferInsert,
): Promise<boolean> {
  const rows = await tx
    .insert(creditRuleVersions)
    .values(v)
    .onConflictDoNothing()
    .returning({ version: creditRuleVersions.version });
  return rows.length > 0;
}

// ----- accounts -----

export async function findAccount(db: DbOrTx, id: number): Promise<AccountRow | undefined> {
  const [row] = await db.select().from(creditAccounts).where(eq(creditAccounts.id, id));
  return row;
}

export async function findAccountByPhone(
  db: DbOrTx,
  phoneHash: string,
): Promise<AccountRow | undefined> {
  const [row] = await db
    .select()
    .from(creditAccounts)
    .where(eq(creditAccounts.phoneHash, phoneHash));
  return row;
}

export async function findAccountByVolunteer(
  db: DbOrTx,
  volunteerId: number,
): Promise<AccountRow | undefined> {
  const [row] = await db
    .select()
    .from(creditAccounts)
    .where(eq(creditAccounts.volunteerId, volunteerId));
  return row;
}

/** The account's row, locked: grants, reversals and spends of one account take turns. */
export async function lockAccount(tx: Tx, id: number): Promise<AccountRow | undefined> {
  const [row] = await tx
    .select()
    .from(creditAccounts)
    .where(eq(creditAccounts.id, id))
    .for('update');
  return row;
}

/** A new account; undefined when one with the same phone or volunteer was made meanwhile. */
export async function insertAccount(
  tx: DbOrTx,
  v: typeof creditAccounts.$inferInsert,
): Promise<number | undefined> {
  const [row] = await tx
    .insert(creditAccounts)
    .values(v)
    .onConflictDoNothing()
    .returning({ id: creditAccounts.id });
  return row?.id;
}

export async function updateAccount(
  tx: DbOrTx,
  id: number,
  set: Partial<Pick<AccountRow, 'volunteerId' | 'name' | 'showName' | 'phoneHash' | 'phoneMasked'>>,
): Promise<void> {
  await tx
    .update(creditAccounts)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(creditAccounts.id, id));
}

/**
 * Moves the cached sums by a ledger row: the balance by `delta`, earned or spent by theirs. Only
 * when the balance stays at or above 0 (else undefined: nothing changed); the table's check says
 * the same, should anything else try.
 */
export async function moveBalance(
  tx: Tx,
  id: number,
  m: { delta: number; earned: number; spent: number },
): Promise<number | undefined> {
  const [row] = await tx
    .update(creditAccounts)
    .set({
      balance: sql`${creditAccounts.balance} + ${m.delta}`,
      earned: sql`${creditAccounts.earned} + ${m.earned}`,
      spent: sql`${creditAccounts.spent} + ${m.spent}`,
      updatedAt: new Date(),
    })
    .where(and(eq(creditAccounts.id, id), sql`${creditAccounts.balance} + ${m.delta} >= 0`))
    .returning({ balance: creditAccounts.balance });
  return row?.balance;
}

/** An account with its volunteer's name (the registry's) for the office's lists. */
const accountColumns = {
  a: creditAccounts,
  volunteerName: volunteers.name,
};

export type AccountWithName = { a: AccountRow; volunteerName: string | null };

export async function findAccountNamed(
  db: DbOrTx,
  id: number,
): Promise<AccountWithName | undefined> {
  const [row] = await db
    .select(accountColumns)
    .from(creditAccounts)
    .leftJoin(volunteers, eq(volunteers.id, creditAccounts.volunteerId))
    .where(eq(creditAccounts.id, id));
  return row;
}

/** Accounts newest first: by the phone's hash (exact), by part of a name, or all. */
export async function accountPage(
  db: DbOrTx,
  q: { phoneHash?: string; name?: string; limit: number; afterId?: number },
): Promise<AccountWithName[]> {
  const conds: SQL[] = [];
  if (q.phoneHash) conds.push(eq(creditAccounts.phoneHash, q.phoneHash));
  if (q.name) {
    const p = likePattern(q.name);
    conds.push(or(ilike(creditAccounts.name, p), ilike(volunteers.name, p))!);
  }
  if (q.afterId) conds.push(lt(creditAccounts.id, q.afterId));
  return db
    .select(accountColumns)
    .from(creditAccounts)
    .leftJoin(volunteers, eq(volunteers.id, creditAccounts.volunteerId))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(creditAccounts.id))
    .limit(q.limit + 1);
}

/** The registry's phone, name and status of a volunteer (whose account a grant goes to). */
export async function volunteerContact(db: DbOrTx, id: number) {
  const [row] = await db
    .select({ id: volunteers.id, name: volunteers.name, phone: volunteers.phone })
    .from(volunteers)
    .where(eq(volunteers.id, id));
  return row;
}

// ----- the ledger -----

/** A ledger row; undefined when the same entry for the same source and account exists. */
export async function insertLedger(tx: Tx, v: LedgerInsert): Promise<number | undefined> {
  const [row] = await tx
    .insert(creditLedger)
    .values(v)
    .onConflictDoNothing()
    .returning({ id: creditLedger.id });
  return row?.id;
}

/** The rows of one entry kind for a source (every account it granted). */
export async function ledgerOfSource(
  db: DbOrTx,
  entry: LedgerRow['entry'],
  sourceKind: string,
  sourceId: string,
): Promise<LedgerRow[]> {
  return db
    .select()
    .from(creditLedger)
    .where(
      and(
        eq(creditLedger.entry, entry),
        eq(creditLedger.sourceKind, sourceKind),
        eq(creditLedger.sourceId, sourceId),
      ),
    )
    .orderBy(asc(creditLedger.id));
}

/** Points an account was granted from a source since the day's and the month's start. */
export async function grantedSince(
  db: DbOrTx,
  accountId: number,
  sourceKind: string,
  dayStart: Date,
  monthStart: Date,
): Promise<{ day: number; month: number }> {
  const [row] = await db
    .select({
      day: sql<number>`coalesce(sum(${creditLedger.delta}) filter (where ${creditLedger.at} >= ${dayStart}), 0)::int`,
      month: sql<number>`coalesce(sum(${creditLedger.delta}), 0)::int`,
    })
    .from(creditLedger)
    .where(
      and(
        eq(creditLedger.accountId, accountId),
        eq(creditLedger.sourceKind, sourceKind),
        eq(creditLedger.entry, 'grant'),
        gte(creditLedger.at, monthStart),
      ),
    );
  return { day: Number(row?.day ?? 0), month: Number(row?.month ?? 0) };
}

/** One account's ledger, newest first (limit + 1 rows). */
export async function ledgerPage(
  db: DbOrTx,
  accountId: number,
  limit: number,
  beforeId?: number,
): Promise<LedgerRow[]> {
  return db
    .select()
    .from(creditLedger)
    .where(
      and(
        eq(creditLedger.accountId, accountId),
        beforeId ? lt(creditLedger.id, beforeId) : undefined,
      ),
    )
    .orderBy(desc(creditLedger.id))
    .limit(limit + 1);
}

/** The ledger's own sums for an account (the truth the cached balance is checked against). */
export async function ledgerSums(db: DbOrTx, accountId: number) {
  const [row] = await db
    .select({
      balance: sql<number>`coalesce(sum(${creditLedger.delta}), 0)::int`,
      earned: sql<number>`coalesce(sum(${creditLedger.delta}) filter (where ${creditLedger.entry} <> 'spend'), 0)::int`,
      spent: sql<number>`coalesce(-sum(${creditLedger.delta}) filter (where ${creditLedger.entry} = 'spend'), 0)::int`,
    })
    .from(creditLedger)
    .where(eq(creditLedger.accountId, accountId));
  return {
    balance: Number(row?.balance ?? 0),
    earned: Number(row?.earned ?? 0),
    spent: Number(row?.spent ?? 0),
  };
}

/**
 * The month's points per account from the board's sources (grants less reversals made in the
 * window), highest first; accounts with nothing left out.
 */
export async function monthTotals(
  db: DbOrTx,
  kinds: readonly string[],
  from: Date,
  to: Date,
  limit: number,
) {
  const total = sql<number>`sum(${creditLedger.delta})::int`;
  return db
    .select({
      accountId: creditLedger.accountId,
      points: total,
      name: creditAccounts.name,
      showName: creditAccounts.showName,
      phoneMasked: creditAccounts.phoneMasked,
      volunteerName: volunteers.name,
    })
    .from(creditLedger)
    .innerJoin(creditAccounts, eq(creditAccounts.id, creditLedger.accountId))
    .leftJoin(volunteers, eq(volunteers.id, creditAccounts.volunteerId))
    .where(
      and(
        inArray(creditLedger.sourceKind, [...kinds]),
        inArray(creditLedger.entry, ['grant', 'reversal']),
        gte(creditLedger.at, from),
        lt(creditLedger.at, to),
      ),
    )
    .groupBy(
      creditLedger.accountId,
      creditAccounts.name,
      creditAccounts.showName,
      creditAccounts.phoneMasked,
      volunteers.name,
    )
    .having(sql`sum(${creditLedger.delta}) > 0`)
    .orderBy(desc(total), asc(creditLedger.accountId))
    .limit(limit);
}

// ----- shops, staff and items -----

export async function listShops(db: DbOrTx, activeOnly = false): Promise<ShopRow[]> {
  return db
    .select()
    .from(creditShops)
    .where(activeOnly ? eq(creditShops.active, true) : undefined)
    .orderBy(asc(creditShops.id));
}

export async function findShop(db: DbOrTx, id: number): Promise<ShopRow | undefined> {
  const [row] = await db.select().from(creditShops).where(eq(creditShops.id, id));
  return row;
}

export async function insertShop(tx: DbOrTx, v: typeof creditShops.$inferInsert): Promise<number> {
  const [row] = await tx.insert(creditShops).values(v).returning({ id: creditShops.id });
  return row!.id;
}

/** Updates a shop at `version`; false when stale. */
export async function updateShop(
  tx: DbOrTx,
  id: number,
  version: number,
  set: Partial<typeof creditShops.$inferInsert>,
): Promise<boolean> {
  const rows = await tx
    .update(creditShops)
    .set({ ...set, version: sql`${creditShops.version} + 1` })
    .where(and(eq(creditShops.id, id), eq(creditShops.version, version)))
    .returning({ id: creditShops.id });
  return rows.length > 0;
}

export async function itemsOfShops(
  db: DbOrTx,
  shopIds: number[],
  activeOnly = false,
): Promise<ItemRow[]> {
  if (!shopIds.length) return [];
  return db
    .select()
    .from(creditItems)
    .where(
      and(
        inArray(creditItems.shopId, shopIds),
        activeOnly ? eq(creditItems.active, true) : undefined,
      ),
    )
    .orderBy(asc(creditItems.points), asc(creditItems.id));
}

export async function findItem(db: DbOrTx, id: number): Promise<ItemRow | undefined> {
  const [row] = await db.select().from(creditItems).where(eq(creditItems.id, id));
  return row;
}

export async function insertItem(tx: DbOrTx, v: typeof creditItems.$inferInsert): Promise<number> {
  const [row] = await tx.insert(creditItems).values(v).returning({ id: creditItems.id });
  return row!.id;
}

export async function updateItem(
  tx: DbOrTx,
  id: number,
  version: number,
  set: Partial<typeof creditItems.$inferInsert>,
): Promise<boolean> {
  const rows = await tx
    .update(creditItems)
    .set({ ...set, version: sql`${creditItems.version} + 1` })
    .where(and(eq(creditItems.id, id), eq(creditItems.version, version)))
    .returning({ id: creditItems.id });
  return rows.length > 0;
}

/** Takes one from the stock (a counted stock only while some is left); false: none left. */
export async function takeStock(tx: Tx, itemId: number): Promise<boolean> {
  const rows = await tx
    .update(creditItems)
    .set({
      stock: sql`case when ${creditItems.stock} is null then null else ${creditItems.stock} - 1 end`,
    })
    .where(
      and(eq(creditItems.id, itemId), or(isNull(creditItems.stock), sql`${creditItems.stock} > 0`)),
    )
    .returning({ id: creditItems.id });
  return rows.length > 0;
}

export async function staffOfShops(db: DbOrTx, shopIds: number[]) {
  if (!shopIds.length) return [];
  return db
    .select({
      shopId: creditShopStaff.shopId,
      userId: users.id,
      username: users.username,
      name: users.name,
    })
    .from(creditShopStaff)
    .innerJoin(users, eq(users.id, creditShopStaff.userId))
    .where(inArray(creditShopStaff.shopId, shopIds))
    .orderBy(asc(users.id));
}

/** The shop a user is staff of. */
export async function shopOfStaff(db: DbOrTx, userId: number): Promise<ShopRow | undefined> {
  const [row] = await db
    .select({ s: creditShops })
    .from(creditShopStaff)
    .innerJoin(creditShops, eq(creditShops.id, creditShopStaff.shopId))
    .where(eq(creditShopStaff.userId, userId));
  return row?.s;
}

/** Names a staff member; false when the user is staff of a shop already. */
export async function insertStaff(tx: DbOrTx, shopId: number, userId: number): Promise<boolean> {
  const rows = await tx
    .insert(creditShopStaff)
    .values({ shopId, userId })
    .onConflictDoNothing()
    .returning({ userId: creditShopStaff.userId });
  return rows.length > 0;
}

export async function deleteStaff(tx: DbOrTx, shopId: number, userId: number): Promise<boolean> {
  const rows = await tx
    .delete(creditShopStaff)
    .where(and(eq(creditShopStaff.shopId, shopId), eq(creditShopStaff.userId, userId)))
    .returning({ userId: creditShopStaff.userId });
  return rows.length > 0;
}

export async function findUser(db: DbOrTx, id: number) {
  const [row] = await db
    .select({ id: users.id, name: users.name, roles: users.roles, active: users.active })
    .from(users)
    .where(eq(users.id, id));
  return row;
}

// ----- redemptions -----

export async function insertRedemption(
  tx: DbOrTx,
  v: typeof creditRedemptions.$inferInsert,
): Promise<number> {
  const [row] = await tx
    .insert(creditRedemptions)
    .values(v)
    .returning({ id: creditRedemptions.id });
  return row!.id;
}

/** The redemption under a code's hash, locked for its use. */
export async function lockRedemptionByCode(
  tx: Tx,
  codeHash: string,
): Promise<RedemptionTableRow | undefined> {
  const [row] = await tx
    .select()
    .from(creditRedemptions)
    .where(eq(creditRedemptions.codeHash, codeHash))
    .for('update');
  return row;
}

export async function findRedemptionByCode(
  db: DbOrTx,
  codeHash: string,
): Promise<RedemptionTableRow | undefined> {
  const [row] = await db
    .select()
    .from(creditRedemptions)
    .where(eq(creditRedemptions.codeHash, codeHash));
  return row;
}

export async function markRedemptionUsed(
  tx: Tx,
  id: number,
  by: number | null,
  at: Date,
): Promise<boolean> {
  const rows = await tx
    .update(creditRedemptions)
    .set({ usedAt: at, usedBy: by })
    .where(and(eq(creditRedemptions.id, id), isNull(creditRedemptions.usedAt)))
    .returning({ id: creditRedemptions.id });
  return rows.length > 0;
}

/** How many codes of an account are still open (unused, not expired). */
export async function openRedemptions(db: DbOrTx, accountId: number, now: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(creditRedemptions)
    .where(
      and(
        eq(creditRedemptions.accountId, accountId),
        isNull(creditRedemptions.usedAt),
        sql`${creditRedemptions.expiresAt} > ${now}`,
      ),
    );
  return Number(row?.n ?? 0);
}

const usedByUser = sql<
  string | null
>`(select u.name from users u where u.id = ${creditRedemptions.usedBy})`;

/** Redemptions with their item, shop and account, newest first (limit + 1 rows). */
export async function redemptionPage(
  db: DbOrTx,
  q: {
    shopId?: number | undefined;
    accountId?: number;
    id?: number;
    status?: 'pending' | 'used' | 'expired' | undefined;
    now: Date;
    limit: number;
    beforeId?: number;
  },
) {
  const r = creditRedemptions;
  const conds: SQL[] = [];
  if (q.shopId) conds.push(eq(r.shopId, q.shopId));
  if (q.accountId) conds.push(eq(r.accountId, q.accountId));
  if (q.id) conds.push(eq(r.id, q.id));
  if (q.beforeId) conds.push(lt(r.id, q.beforeId));
  if (q.status === 'used') conds.push(sql`${r.usedAt} is not null`);
  if (q.status === 'pending') conds.push(sql`${r.usedAt} is null and ${r.expiresAt} > ${q.now}`);
  if (q.status === 'expired') conds.push(sql`${r.usedAt} is null and ${r.expiresAt} <= ${q.now}`);
  return db
    .select({
      r,
      itemName: creditItems.name,
      shopName: creditShops.name,
      phoneMasked: creditAccounts.phoneMasked,
      accountName: sql<string | null>`coalesce(${creditAccounts.name}, ${volunteers.name})`,
      usedByName: usedByUser,
    })
    .from(r)
    .innerJoin(creditItems, eq(creditItems.id, r.itemId))
    .innerJoin(creditShops, eq(creditShops.id, r.shopId))
    .innerJoin(creditAccounts, eq(creditAccounts.id, r.accountId))
    .leftJoin(volunteers, eq(volunteers.id, creditAccounts.volunteerId))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(r.id))
    .limit(q.limit + 1);
}

export type RedemptionRow = Awaited<ReturnType<typeof redemptionPage>>[number];

// ----- SMS codes and sessions (the texts go through notifications queueSms) -----

export async function insertOtp(tx: DbOrTx, v: typeof creditOtps.$inferInsert): Promise<void> {
  await tx.insert(creditOtps).values(v);
}

/** The latest code sent to a number that is not used yet, locked for its check. */
export async function lockLatestOtp(tx: Tx, phoneHash: string): Promise<OtpRow | undefined> {
  const [row] = await tx
    .select()
    .from(creditOtps)
    .where(and(eq(creditOtps.phoneHash, phoneHash), isNull(creditOtps.usedAt)))
    .orderBy(desc(creditOtps.id))
    .limit(1)
    .for('update');
  return row;
}

export async function countOtpAttempt(tx: DbOrTx, id: number): Promise<number> {
  const [row] = await tx
    .update(creditOtps)
    .set({ attempts: sql`${creditOtps.attempts} + 1` })
    .where(eq(creditOtps.id, id))
    .returning({ attempts: creditOtps.attempts });
  return row?.attempts ?? 0;
}

export async function useOtp(tx: DbOrTx, id: number, at: Date): Promise<void> {
  await tx.update(creditOtps).set({ usedAt: at }).where(eq(creditOtps.id, id));
}

export async function insertSession(
  tx: DbOrTx,
  v: typeof creditSessions.$inferInsert,
): Promise<void> {
  await tx.insert(creditSessions).values(v);
}

/** The account of a live session. */
export async function sessionAccount(
  db: DbOrTx,
  tokenHash: string,
  now: Date,
): Promise<number | undefined> {
  const [row] = await db
    .select({ accountId: creditSessions.accountId })
    .from(creditSessions)
    .where(and(eq(creditSessions.tokenHash, tokenHash), sql`${creditSessions.expiresAt} > ${now}`));
  return row?.accountId;
}

export async function deleteSession(db: DbOrTx, tokenHash: string): Promise<void> {
  await db.delete(creditSessions).where(eq(creditSessions.tokenHash, tokenHash));
}

/** Drops sessions and sign-in codes that ended long ago (the purge job). */
export async function purgeExpired(db: DbOrTx, before: Date): Promise<void> {
  await db.delete(creditSessions).where(lt(creditSessions.expiresAt, before));
  await db.delete(creditOtps).where(lt(creditOtps.expiresAt, before));
}
