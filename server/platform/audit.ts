import { createHash } from 'node:crypto';
import { asc, desc, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import { canonicalJson } from '../../core/audit/canonical-json.js';
import type { Database, Tx } from '../db/client.js';
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
 * Records a write inside the caller's transaction: a plain insert, unsealed. Sealing (chain position
 * and hashes) happens in batches afterwards, so writes do not queue on one lock; a record is
 * sealed within a second by the sealing job, and before any audit read or verification.
 */
export async function writeAudit(tx: Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values(auditValues(actor, entry));
}

/**
 * The columns of an unsealed record (exported for writes that insert it in a larger statement).
 * `before`/`after` go through a JSON round trip (dates to text, undefined dropped) unless the
 * caller says they are plain JSON already (`jsonReady`: strings, numbers, booleans, null, arrays,
 * objects) — the intake's presented problem, on its hot path.
 */
export function auditValues(actor: Actor, entry: AuditEntry, opts: { jsonReady?: boolean } = {}) {
  const norm = (v: unknown): unknown =>
    v === undefined ? null : opts.jsonReady ? v : JSON.parse(JSON.stringify(v));
  return {
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
  };
}

const SEAL_BATCH = 1000;

/**
 * Seals every committed unsealed record: under the chain lock, takes them in id order, gives each
 * the next chain position and hashes it with the previous record's hash. A record whose transaction
 * commits after a later id was sealed simply joins the chain in the next batch — the chain's order is
 * sealing order. Returns how many records were sealed.
 */
export async function sealAuditChain(database: Database): Promise<number> {
  let sealed = 0;
  for (;;) {
    const n = await database.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
      const batch = await tx
        .select()
        .from(auditLog)
        .where(isNull(auditLog.seq))
        .orderBy(asc(auditLog.id))
        .limit(SEAL_BATCH);
      if (batch.length === 0) return 0;
      const [last] = await tx
        .select({ seq: auditLog.seq, hash: auditLog.hash })
        .from(auditLog)
        .where(isNotNull(auditLog.seq))
        .orderBy(desc(auditLog.seq))
        .limit(1);
      let seq = last?.seq ?? 0;
      let prev = last?.hash ?? GENESIS_HASH;
      const values = batch.map((r) => {
        const hash = hashAuditRecord({ ...r, prevHash: prev });
        const v = sql`(${r.id}::bigint, ${++seq}::bigint, ${prev}, ${hash})`;
        prev = hash;
        return v;
      });
      await tx.execute(sql`
        update audit_log set seq = v.seq, prev_hash = v.prev, hash = v.hash
        from (values ${sql.join(values, sql`, `)}) as v(id, seq, prev, hash)
        where audit_log.id = v.id`);
      return batch.length;
    });
    await database.afterCommit();
    sealed += n;
    if (n < SEAL_BATCH) return sealed;
  }
}

/**
 * Seals what is pending, then walks the whole chain in order and reports the first record whose
 * hash or link is wrong.
 */
export async function verifyAuditChain(database: Database): Promise<{
  ok: boolean;
  checked: number;
  firstBroken: { id: number; reason: 'hash_mismatch' | 'prev_hash_mismatch' } | null;
}> {
  await sealAuditChain(database);
  const db = database.db;
  let prev = GENESIS_HASH;
  let lastSeq = 0;
  let checked = 0;
  for (;;) {
    const batch = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, lastSeq))
      .orderBy(asc(auditLog.seq))
      .limit(2000);
    if (batch.length === 0) break;
    for (const r of batch) {
      checked++;
      if (r.prevHash !== prev) {
        return { ok: false, checked, firstBroken: { id: r.id, reason: 'prev_hash_mismatch' } };
      }
      if (hashAuditRecord({ ...r, prevHash: prev }) !== r.hash) {
        return { ok: false, checked, firstBroken: { id: r.id, reason: 'hash_mismatch' } };
      }
      prev = r.hash!;
      lastSeq = r.seq!;
    }
  }
  return { ok: true, checked, firstBroken: null };
}
