import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { TCreditRules } from '../../../core/credits/rules.js';
import { users } from './org.js';
import { volunteers } from './volunteers.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * 积分规则: each change is a new version (the rules of every source at once); a grant records the
 * version it was made under, so a change applies from then on and never rewrites the past.
 */
export const creditRuleVersions = pgTable('credit_rule_versions', {
  version: integer('version').primaryKey(),
  rules: jsonb('rules').$type<TCreditRules>().notNull(),
  note: text('note'),
  createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/**
 * 文明账户: one per person — a resident known by a mobile number, a volunteer by the registry
 * entry; the same number is the same account. The number is kept only as a keyed hash (HMAC, for
 * exact lookup) and masked (for people to read). `balance`, `earned` and `spent` are the ledger's
 * sums kept with the row (the ledger is the truth; the check keeps the balance from going below 0).
 */
export const creditAccounts = pgTable(
  'credit_accounts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    phoneHash: text('phone_hash'),
    phoneMasked: text('phone_masked'),
    volunteerId: integer('volunteer_id').references(() => volunteers.id, { onDelete: 'set null' }),
    /** The name the resident gave (a volunteer's is the registry's). */
    name: text('name'),
    /** Opted in to the name on the public ranking. */
    showName: boolean('show_name').notNull().default(false),
    balance: integer('balance').notNull().default(0),
    earned: integer('earned').notNull().default(0),
    spent: integer('spent').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('credit_accounts_phone_uq').on(t.phoneHash),
    uniqueIndex('credit_accounts_volunteer_uq').on(t.volunteerId),
    check('credit_accounts_balance_ck', sql`${t.balance} >= 0`),
  ],
);

/**
 * The ledger: every grant, reversal and spend, never updated or deleted. A source event grants an
 * account once (the unique key), and is reversed once; a spend is one per redemption.
 */
export const creditLedger = pgTable(
  'credit_ledger',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: integer('account_id')
      .notNull()
      .references(() => creditAccounts.id, { onDelete: 'restrict' }),
    delta: integer('delta').notNull(),
    entry: text('entry', { enum: ['grant', 'reversal', 'spend'] }).notNull(),
    /** report, volunteer_hours, star_rating; redemption for a spend. */
    sourceKind: text('source_kind').notNull(),
    sourceId: text('source_id').notNull(),
    ruleVersion: integer('rule_version'),
    reason: text('reason').notNull(),
    /** What the row is about in words, and what the rule gave before a cap (`asked`). */
    note: text('note'),
    asked: integer('asked'),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    actorName: text('actor_name'),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('credit_ledger_source_uq').on(t.entry, t.sourceKind, t.sourceId, t.accountId),
    index('credit_ledger_account_idx').on(t.accountId, t.id),
    // The caps (an account's grants of a source today / this month) and the month's ranking.
    index('credit_ledger_account_kind_at_idx').on(t.accountId, t.sourceKind, t.at),
    index('credit_ledger_at_idx').on(t.at),
  ],
);

/** 爱心超市 and partner 商户 where points are spent. */
export const creditShops = pgTable(
  'credit_shops',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['supermarket', 'partner'] }).notNull(),
    address: text('address'),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('credit_shops_name_uq').on(t.name)],
);

/** A shop's staff: users with the 商户店员 role; a user serves one shop. */
export const creditShopStaff = pgTable(
  'credit_shop_staff',
  {
    shopId: integer('shop_id')
      .notNull()
      .references(() => creditShops.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.userId] }),
    uniqueIndex('credit_shop_staff_user_uq').on(t.userId),
  ],
);

/** What a shop offers for points; `stock` null is not counted. */
export const creditItems = pgTable(
  'credit_items',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    shopId: integer('shop_id')
      .notNull()
      .references(() => creditShops.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    points: integer('points').notNull(),
    stock: integer('stock'),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('credit_items_shop_idx').on(t.shopId),
    check('credit_items_stock_ck', sql`${t.stock} is null or ${t.stock} >= 0`),
    check('credit_items_points_ck', sql`${t.points} > 0`),
  ],
);

/**
 * A one-time redemption code a resident takes for an item: only its hash is kept; it expires and
 * is used once (the spend's ledger row and the stock are written with its use).
 */
export const creditRedemptions = pgTable(
  'credit_redemptions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    accountId: integer('account_id')
      .notNull()
      .references(() => creditAccounts.id, { onDelete: 'restrict' }),
    itemId: integer('item_id')
      .notNull()
      .references(() => creditItems.id, { onDelete: 'restrict' }),
    shopId: integer('shop_id')
      .notNull()
      .references(() => creditShops.id, { onDelete: 'restrict' }),
    points: integer('points').notNull(),
    codeHash: text('code_hash').notNull(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    usedBy: integer('used_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('credit_redemptions_code_uq').on(t.codeHash),
    index('credit_redemptions_account_idx').on(t.accountId, t.id),
    index('credit_redemptions_shop_idx').on(t.shopId, t.id),
  ],
);

/** SMS sign-in codes (hashed), with their expiry and the wrong attempts made against them. */
export const creditOtps = pgTable(
  'credit_otps',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    phoneHash: text('phone_hash').notNull(),
    codeHash: text('code_hash').notNull(),
    expiresAt: ts('expires_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    usedAt: ts('used_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('credit_otps_phone_idx').on(t.phoneHash, t.id)],
);

/** A resident's signed-in session on the public pages (the token kept as its SHA-256). */
export const creditSessions = pgTable(
  'credit_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => creditAccounts.id, { onDelete: 'cascade' }),
    expiresAt: ts('expires_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('credit_sessions_expires_idx').on(t.expiresAt)],
);
