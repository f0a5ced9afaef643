import {
  DEFAULT_CREDIT_RULES,
  evaluateGrant,
  maskMobile,
  normaliseMobile,
  type TCreditRules,
  type TCreditSource,
} from '../../../core/credits/rules.js';
import { monthOf } from '../../../core/good-people/months.js';
import { shanghaiDate, startOfShanghaiDay } from '../../../core/calendar/working-days.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import * as repo from './credits.repo.js';
import { phoneHash } from './phone-key.js';

// 文明积分 from the sources (issue #24, item 5): the sources call grantFor inside the transaction
// of their own event — a citizen report accepted (立案, or 重新打开 after 不予立案), a volunteer's
// attendance recorded with its hours (签退, or the office's 补录), a household's star rating
// approved — so no event is without its points and no points without their event. A grant is
// made once per source and account (the ledger's unique key; a repeated event is a no-op), under
// the rule version in force, cut by the day's and month's caps (a grant over a cap is still
// written, with 0 points and the cap as its reason). reverseFor takes a grant back with a ledger
// row of its own (a report merged as a duplicate), never by deleting it.

/** The rules in force and their version (0: the defaults, before the office set any). */
export async function currentRules(db: DbOrTx): Promise<{ version: number; rules: TCreditRules }> {
  const row = await repo.latestRules(db);
  return row
    ? { version: row.version, rules: row.rules }
    : { version: 0, rules: DEFAULT_CREDIT_RULES };
}

export interface GrantRequest {
  kind: TCreditSource;
  /** The source record: the problem (report), the attendance (hours), the rating (stars). */
  sourceId: number;
  /** A resident's number (reports, households); anything but a mobile number earns nothing. */
  phone?: string | null;
  /** A volunteer (hours): the registry's entry, whose number joins a resident's account. */
  volunteerId?: number | null;
  /** Reports: 1; hours: minutes credited; ratings: stars. */
  quantity: number;
  /** What the row is about, in words (随手拍 WT2026-000123 …). */
  note: string;
  /** The name to keep on an account this grant opens (a household head). */
  name?: string | null;
  /** Who caused the event (the office that accepted the report, the volunteer who checked out). */
  actor: Actor;
  /** When the event happened (the caps' day and month): now, unless the demo seeds the past. */
  at?: Date;
}

export interface GrantResult {
  accountId: number;
  ledgerId: number;
  points: number;
  /** False when the source had granted this account already (nothing written). */
  created: boolean;
}

/**
 * The account a grant goes to, made when there is none: a volunteer's (by the registry entry,
 * else by its number — a resident's account with the same number becomes the volunteer's), or a
 * resident's by number. Undefined when the person has no mobile number to be known by.
 */
export async function accountFor(
  tx: Tx,
  who: { phone?: string | null; volunteerId?: number | null; name?: string | null },
): Promise<number | undefined> {
  let phone = normaliseMobile(who.phone);
  let name = who.name ?? null;
  if (who.volunteerId) {
    const linked = await repo.findAccountByVolunteer(tx, who.volunteerId);
    if (linked) return linked.id;
    const v = await repo.volunteerContact(tx, who.volunteerId);
    if (!v) return undefined;
    phone = normaliseMobile(v.phone);
    name = null; // a volunteer's name is the registry's
    const hash = phone ? phoneHash(phone) : null;
    const byPhone = hash ? await repo.findAccountByPhone(tx, hash) : undefined;
    if (byPhone && byPhone.volunteerId === null) {
      await repo.updateAccount(tx, byPhone.id, { volunteerId: v.id });
      return byPhone.id;
    }
    const id = await repo.insertAccount(tx, {
      // A number already held by another volunteer's account stays there.
      phoneHash: byPhone ? null : hash,
      phoneMasked: phone ? maskMobile(phone) : null,
      volunteerId: v.id,
    });
    return id ?? (await repo.findAccountByVolunteer(tx, v.id))?.id;
  }
  if (!phone) return undefined;
  const hash = phoneHash(phone);
  const found = await repo.findAccountByPhone(tx, hash);
  if (found) return found.id;
  const id = await repo.insertAccount(tx, {
    phoneHash: hash,
    phoneMasked: maskMobile(phone),
    name,
  });
  return id ?? (await repo.findAccountByPhone(tx, hash))?.id;
}

/** Grants the points of one source event (see above); null when nothing is granted. */
export async function grantFor(tx: Tx, req: GrantRequest): Promise<GrantResult | null> {
  const { version, rules } = await currentRules(tx);
  const rule = rules[req.kind];
  // A rule switched off grants nothing and opens no account (it applies from now on).
  if (!rule.enabled) return null;
  const accountId = await accountFor(tx, req);
  if (accountId === undefined) return null;
  await repo.lockAccount(tx, accountId);
  const sourceId = String(req.sourceId);
  const prior = (await repo.ledgerOfSource(tx, 'grant', req.kind, sourceId)).find(
    (r) => r.accountId === accountId,
  );
  if (prior) return { accountId, ledgerId: prior.id, points: prior.delta, created: false };
  const now = req.at ?? new Date();
  const day = shanghaiDate(now);
  const earned = await repo.grantedSince(
    tx,
    accountId,
    req.kind,
    startOfShanghaiDay(day),
    startOfShanghaiDay(`${monthOf(now)}-01`),
  );
  const outcome = evaluateGrant(req.kind, rule, req.quantity, earned);
  const ledgerId = await repo.insertLedger(tx, {
    accountId,
    delta: outcome.points,
    entry: 'grant',
    sourceKind: req.kind,
    sourceId,
    ruleVersion: version,
    reason: outcome.reason,
    note: req.note,
    asked: outcome.asked,
    actorId: req.actor.id,
    actorName: req.actor.name,
    at: now,
  });
  if (ledgerId === undefined) return null;
  await repo.moveBalance(tx, accountId, {
    delta: outcome.points,
    earned: outcome.points,
    spent: 0,
  });
  await writeAudit(tx, req.actor, {
    action: 'credit.grant',
    entityType: 'credit_account',
    entityId: accountId,
    after: {
      ledgerId,
      kind: req.kind,
      sourceId,
      points: outcome.points,
      asked: outcome.asked,
      reason: outcome.reason,
      ruleVersion: version,
    },
  });
  return { accountId, ledgerId, points: outcome.points, created: true };
}

/**
 * Takes back what a source granted (every account it granted, once each): a ledger row of the
 * opposite sign. Points already spent are not clawed below 0 — the row takes what the balance
 * holds and says what the grant was (`asked`).
 */
export async function reverseFor(
  tx: Tx,
  req: {
    kind: TCreditSource;
    sourceId: number;
    reason: 'reversed_merged';
    note: string;
    actor: Actor;
  },
): Promise<number> {
  const sourceId = String(req.sourceId);
  const grants = await repo.ledgerOfSource(tx, 'grant', req.kind, sourceId);
  if (!grants.length) return 0;
  const reversed = new Set(
    (await repo.ledgerOfSource(tx, 'reversal', req.kind, sourceId)).map((r) => r.accountId),
  );
  let taken = 0;
  for (const g of grants) {
    if (reversed.has(g.accountId)) continue;
    const account = await repo.lockAccount(tx, g.accountId);
    if (!account) continue;
    const amount = Math.min(g.delta, account.balance);
    const ledgerId = await repo.insertLedger(tx, {
      accountId: g.accountId,
      delta: -amount,
      entry: 'reversal',
      sourceKind: req.kind,
      sourceId,
      ruleVersion: g.ruleVersion,
      reason: req.reason,
      note: req.note,
      asked: g.delta,
      actorId: req.actor.id,
      actorName: req.actor.name,
    });
    if (ledgerId === undefined) continue;
    await repo.moveBalance(tx, g.accountId, { delta: -amount, earned: -amount, spent: 0 });
    await writeAudit(tx, req.actor, {
      action: 'credit.reverse',
      entityType: 'credit_account',
      entityId: g.accountId,
      before: { grantId: g.id, points: g.delta },
      after: { ledgerId, kind: req.kind, sourceId, taken: amount, reason: req.reason },
    });
    taken += amount;
  }
  return taken;
}
