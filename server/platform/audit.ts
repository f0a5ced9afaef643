import { createHash } from 'node:crypto';
import { asc, desc, gt, sql } from 'drizzle-orm';
import { canonicalJson } from '../../core/audit/canonical-json.js';
import type { DbOrTx, Tx } from '../db/client.js';
import { auditLog } from '../db/schema/index.js';
import type { Actor } from './actor.js';

export const GENESIS_HASH = '0'.repeat(64);
const AUDIT_CHAIN_LOCK = 727002;

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

interface HashedFields {
  at: Date;
  actorId: number | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  prevHash: string;
}

/** SHA-256 over the canonical form of a record and the previous record's hash. */
export function hashAuditRecord(r: HashedFields): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        at: r.at.toISOString(),
        actorId: r.actorId,
        actorName: r.actorName,
        action: r.action,
        entityType: r.entityType,
        entityId: r.entityId,
        before: r.before ?? null,
        after: r.after ?? null,
        ip: r.ip,
        prevHash: r.prevHash,
      }),
    )
    .digest('hex');
}

/**
 * Appends to the audit chain inside the caller's transaction. A transaction-scoped advisory lock
 * serialises appends so the chain has one order even with several app servers; it is held only
 * from here to commit, so call this as the last step of a write.
 */
export async function writeAudit(tx: Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const last = await tx
    .select({ hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.id))
    .limit(1);
  // JSON round trip: what jsonb gives back is what we hash.
  const norm = (v: unknown): unknown => (v === undefined ? null : JSON.parse(JSON.stringify(v)));
  const fields: HashedFields = {
    at: new Date(),
    actorId: actor.id,
    actorName: actor.id === null ? actor.name : `${actor.name}(${actor.username})`,
    action: entry.action,
    entityType: entry.entityType,
    entityId:
      entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    before: norm(entry.before),
    after: norm(entry.after),
    ip: actor.ip,
    prevHash: last[0]?.hash ?? GENESIS_HASH,
  };
  await tx.insert(auditLog).values({ ...fields, hash: hashAuditRecord(fields) });
}

/** Walks the whole chain in order and reports the first record whose hash or link is wrong. */
export async function verifyAuditChain(db: DbOrTx): Promise<{
  ok: boolean;
  checked: number;
  firstBroken: { id: number; reason: 'hash_mismatch' | 'prev_hash_mismatch' } | null;
}> {
  let prev = GENESIS_HASH;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const batch = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.id, lastId))
      .orderBy(asc(auditLog.id))
      .limit(2000);
    if (batch.length === 0) break;
    for (const r of batch) {
      checked++;
      if (r.prevHash !== prev) {
        return { ok: false, checked, firstBroken: { id: r.id, reason: 'prev_hash_mismatch' } };
      }
      if (hashAuditRecord(r) !== r.hash) {
        return { ok: false, checked, firstBroken: { id: r.id, reason: 'hash_mismatch' } };
      }
      prev = r.hash;
      lastId = r.id;
    }
  }
  return { ok: true, checked, firstBroken: null };
}
