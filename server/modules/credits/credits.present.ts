import type {
  TCreditAccount,
  TCreditItem,
  TCreditLedgerRow,
  TCreditRedemption,
  TCreditRuleVersion,
  TCreditShop,
} from '../../../core/contracts/credits.js';
import type { TCreditReason, TCreditRules } from '../../../core/credits/rules.js';
import type {
  AccountWithName,
  ItemRow,
  LedgerRow,
  RedemptionRow,
  ShopRow,
} from './credits.repo.js';

export function presentRuleVersion(
  r:
    | {
        version: number;
        rules: TCreditRules;
        note: string | null;
        createdByName: string | null;
        createdAt: Date;
      }
    | { version: 0; rules: TCreditRules },
): TCreditRuleVersion {
  if (!('createdAt' in r)) {
    return { version: 0, rules: r.rules, note: null, createdByName: null, createdAt: null };
  }
  return {
    version: r.version,
    rules: r.rules,
    note: r.note,
    createdByName: r.createdByName,
    createdAt: r.createdAt.toISOString(),
  };
}

/** An account as the office reads it: the number masked, the volunteer's name from the registry. */
export function presentAccount(x: AccountWithName): TCreditAccount {
  const a = x.a;
  return {
    id: a.id,
    phoneMasked: a.phoneMasked,
    name: a.name ?? x.volunteerName,
    showName: a.showName,
    volunteerId: a.volunteerId,
    balance: a.balance,
    earned: a.earned,
    spent: a.spent,
    createdAt: a.createdAt.toISOString(),
  };
}

export function presentLedgerRow(r: LedgerRow): TCreditLedgerRow {
  return {
    id: r.id,
    delta: r.delta,
    entry: r.entry,
    sourceKind: r.sourceKind,
    sourceId: r.sourceId,
    ruleVersion: r.ruleVersion,
    reason: r.reason as TCreditReason,
    note: r.note,
    asked: r.asked,
    actorName: r.actorName,
    at: r.at.toISOString(),
  };
}

export function presentItem(i: ItemRow): TCreditItem {
  return {
    id: i.id,
    shopId: i.shopId,
    name: i.name,
    points: i.points,
    stock: i.stock,
    active: i.active,
    version: i.version,
  };
}

export function presentShop(
  s: ShopRow,
  items: ItemRow[],
  staff: { userId: number; username: string; name: string }[],
): TCreditShop {
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    address: s.address,
    active: s.active,
    version: s.version,
    items: items.map(presentItem),
    staff,
  };
}

/** A redemption; its status follows from its use and its expiry. */
export function presentRedemption(x: RedemptionRow, now: Date): TCreditRedemption {
  const r = x.r;
  const status = r.usedAt ? 'used' : r.expiresAt > now ? 'pending' : 'expired';
  return {
    id: r.id,
    shopId: r.shopId,
    shopName: x.shopName,
    itemId: r.itemId,
    itemName: x.itemName,
    points: r.points,
    status,
    phoneMasked: x.phoneMasked,
    accountName: x.accountName,
    expiresAt: r.expiresAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
    usedAt: r.usedAt?.toISOString() ?? null,
    usedByName: x.usedByName,
  };
}
