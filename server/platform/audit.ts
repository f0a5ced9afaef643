import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { and, asc, desc, gt, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { canonicalJson } from '../../core/audit/canonical-json.js';
import { AUDIT_CHECKPOINT_TOKEN } from '../../core/contracts/audit.js';
import type { Database, Tx } from '../db/client.js';
import { auditCheckpoints, auditLog } from '../db/schema/index.js';
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
 * sealed within a second by the sealing job (and by the checkpoint job before it signs the head).
 * Reading and verifying never seal: verification reports a record left unsealed longer than a
 * short grace period as a failure.
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

// ---------------------------------------------------------------------------------------------
// Anchoring: signed checkpoints of the chain's head, kept outside audit_log.
//
// The chain alone proves only that the records link up: whoever can write the table can delete
// its tail, or edit records and have them re-chained (null their seq/hash and the sealer seals
// them again). A checkpoint (seq, hash, count, at) signed with HMAC-SHA256 under a key the
// database does not hold pins the chain up to `seq`: every record at or before it is covered by
// `hash` through the links. Checkpoints go to the append-only table audit_checkpoints and to the
// application log, from where the operator keeps them; verification can also take one back.
// ---------------------------------------------------------------------------------------------

/** The keys that sign and check checkpoints: the first signs, every one verifies (rotation). */
export interface AuditAnchor {
  keys: { id: string; key: Buffer }[];
  /** `env`: AUDIT_ANCHOR_KEY; `data-dir`: generated into DATA_DIR (development only). */
  source: 'env' | 'data-dir';
}

export const ANCHOR_KEY_FILE = 'audit-anchor.key';

/** A key's public fingerprint, stored with each checkpoint so a rotated key is recognised. */
export function auditKeyId(key: Buffer): string {
  return createHash('sha256')
    .update('cc-audit-anchor-key-id\n')
    .update(key)
    .digest('hex')
    .slice(0, 16);
}

export function anchorFromKeys(keys: string[], source: AuditAnchor['source'] = 'env'): AuditAnchor {
  if (keys.length === 0) throw new Error('an audit anchor needs at least one key');
  return {
    keys: keys.map((k) => {
      const key = Buffer.from(k, 'utf8');
      return { id: auditKeyId(key), key };
    }),
    source,
  };
}

/**
 * The anchor of this installation: AUDIT_ANCHOR_KEY, or (outside production, where the config
 * refuses to start without it) a key generated once into DATA_DIR/audit-anchor.key, with a
 * warning: a key beside the database protects only against edits by someone who cannot read
 * that directory, and several servers with their own DATA_DIR would not share it.
 */
export function loadAuditAnchor(
  config: { auditAnchorKeys: string[]; dataDir: string },
  warn: (msg: string) => void,
): AuditAnchor {
  if (config.auditAnchorKeys.length > 0) return anchorFromKeys(config.auditAnchorKeys, 'env');
  const file = path.join(config.dataDir, ANCHOR_KEY_FILE);
  let key: string;
  try {
    key = fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    fs.mkdirSync(config.dataDir, { recursive: true });
    key = randomBytes(32).toString('hex');
    try {
      fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      // Another process made it first: use theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      key = fs.readFileSync(file, 'utf8').trim();
    }
  }
  if (key.length < 32) throw new Error(`${file} holds no usable audit anchor key`);
  warn(
    `AUDIT_ANCHOR_KEY is not set: audit checkpoints are signed with a key generated in ${file}. ` +
      'Set AUDIT_ANCHOR_KEY (required with NODE_ENV=production) and keep a copy off the servers.',
  );
  return anchorFromKeys([key], 'data-dir');
}

const anchors = new WeakMap<Database, { anchor: AuditAnchor; graceMs?: number }>();

/**
 * Makes `anchor` the one that verification on this database handle checks checkpoints with (the
 * server binds it at start-up), and `graceMs` how long a record may wait for sealing there.
 */
export function bindAuditAnchor(
  database: Database,
  anchor: AuditAnchor,
  opts: { graceMs?: number } = {},
): void {
  anchors.set(database, { anchor, ...opts });
}

export function auditAnchorOf(database: Database): AuditAnchor | null {
  return anchors.get(database)?.anchor ?? null;
}

export interface AuditCheckpoint {
  seq: number;
  hash: string;
  /** Records in the chain up to and including `seq`. */
  count: number;
  at: Date;
  mac: string;
}

function macInput(cp: Omit<AuditCheckpoint, 'mac'>): string {
  return `cc-audit-checkpoint.v1.${cp.seq}.${cp.count}.${cp.at.getTime()}.${cp.hash}`;
}

function macWith(key: Buffer, cp: Omit<AuditCheckpoint, 'mac'>): string {
  return createHmac('sha256', key).update(macInput(cp)).digest('hex');
}

export function signCheckpoint(
  anchor: AuditAnchor,
  cp: Omit<AuditCheckpoint, 'mac'>,
): AuditCheckpoint & { keyId: string } {
  const signer = anchor.keys[0]!;
  return { ...cp, keyId: signer.id, mac: macWith(signer.key, cp) };
}

/** True when one of the anchor's keys (or the one with `keyId`, when given) made `cp.mac`. */
export function checkpointMacValid(
  anchor: AuditAnchor,
  cp: AuditCheckpoint,
  keyId?: string,
): boolean {
  const given = Buffer.from(cp.mac, 'hex');
  return anchor.keys.some((k) => {
    if (keyId !== undefined && k.id !== keyId) return false;
    const want = Buffer.from(macWith(k.key, cp), 'hex');
    return given.length === want.length && timingSafeEqual(given, want);
  });
}

/** The checkpoint as one copyable token: `v1.<seq>.<count>.<at ms>.<hash>.<mac>`. */
export function formatCheckpoint(cp: AuditCheckpoint): string {
  return `v1.${cp.seq}.${cp.count}.${cp.at.getTime()}.${cp.hash}.${cp.mac}`;
}

/** The checkpoint in a token from the log, or null when it is not one. */
export function parseCheckpoint(token: string): AuditCheckpoint | null {
  const m = AUDIT_CHECKPOINT_TOKEN.exec(token.trim());
  if (!m) return null;
  return {
    seq: Number(m[1]),
    count: Number(m[2]),
    at: new Date(Number(m[3])),
    hash: m[4]!,
    mac: m[5]!,
  };
}

/** The structured log line of a checkpoint (what the operator's log shipping keeps). */
export function checkpointLogEntry(cp: AuditCheckpoint & { keyId: string }) {
  return {
    auditCheckpoint: {
      seq: cp.seq,
      hash: cp.hash,
      count: cp.count,
      at: cp.at.toISOString(),
      keyId: cp.keyId,
      mac: cp.mac,
    },
    /** Give this to GET /api/audit/verify?checkpoint=… to check the chain against it. */
    checkpoint: formatCheckpoint(cp),
  };
}

/** A new checkpoint is written when the head moved, and at least this often when it did not. */
export const CHECKPOINT_HEARTBEAT_MS = 3600_000;
const WALK_BATCH = 2000;

/**
 * The periodic checkpoint step: seals what is pending, then, under the chain lock, signs the
 * chain's head when it moved since the last checkpoint (or an hour went by), after checking that
 * the records since that checkpoint still continue it (its record still has its hash, and every
 * later record links to the one before). A chain that does not is not signed: the step fails
 * with the reason and verification reports where. Returns the checkpoint written, or null.
 */
export async function checkpointAuditChain(
  database: Database,
  anchor: AuditAnchor,
  log?: (entry: ReturnType<typeof checkpointLogEntry>) => void,
  now = Date.now(),
): Promise<(AuditCheckpoint & { keyId: string }) | null> {
  await sealAuditChain(database);
  const written = await database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
    const [last] = await tx
      .select()
      .from(auditCheckpoints)
      .orderBy(desc(auditCheckpoints.seq), desc(auditCheckpoints.id))
      .limit(1);
    const [head] = await tx
      .select({ seq: auditLog.seq, hash: auditLog.hash })
      .from(auditLog)
      .where(isNotNull(auditLog.seq))
      .orderBy(desc(auditLog.seq))
      .limit(1);
    if (!head || head.hash === null) return null;
    if (last && last.seq === head.seq && now - last.at.getTime() < CHECKPOINT_HEARTBEAT_MS)
      return null;
    let prev = GENESIS_HASH;
    let lastSeq = 0;
    let count = 0;
    if (last) {
      const [at] = await tx
        .select({ hash: auditLog.hash })
        .from(auditLog)
        .where(sql`${auditLog.seq} = ${last.seq}`);
      if (at?.hash !== last.hash)
        throw new Error(
          `audit chain no longer holds checkpoint ${last.id} (seq ${last.seq}): not signing; ` +
            'see GET /api/audit/verify',
        );
      prev = last.hash;
      lastSeq = last.seq;
      count = last.count;
    }
    for (;;) {
      const batch = await tx
        .select({ seq: auditLog.seq, prevHash: auditLog.prevHash, hash: auditLog.hash })
        .from(auditLog)
        .where(gt(auditLog.seq, lastSeq))
        .orderBy(asc(auditLog.seq))
        .limit(WALK_BATCH);
      for (const r of batch) {
        if (r.prevHash !== prev || r.hash === null)
          throw new Error(
            `audit chain broken at seq ${r.seq} since the last checkpoint: not signing; ` +
              'see GET /api/audit/verify',
          );
        prev = r.hash;
        lastSeq = r.seq!;
        count++;
      }
      if (batch.length < WALK_BATCH) break;
    }
    const cp = signCheckpoint(anchor, { seq: lastSeq, hash: prev, count, at: new Date(now) });
    await tx.insert(auditCheckpoints).values(cp);
    return cp;
  });
  await database.afterCommit();
  if (written) log?.(checkpointLogEntry(written));
  return written;
}

export type AuditBreakReason =
  /** A record's content does not give its hash. */
  | 'hash_mismatch'
  /** A record does not link to the one before it (one was deleted or rewritten). */
  | 'prev_hash_mismatch'
  /** A checkpoint's signature is not one the anchor's keys make (forged or altered). */
  | 'checkpoint_mac_invalid'
  /** A checkpoint signed with a key this server does not have (or no key at all). */
  | 'checkpoint_key_unknown'
  /** The record at a checkpoint's position has another hash, or the chain up to it another length. */
  | 'checkpoint_mismatch'
  /** The chain ends before a checkpoint: records at its end were deleted or unsealed. */
  | 'truncated'
  /** A record waited for sealing longer than the grace period (e.g. its seq/hash were nulled). */
  | 'unsealed';

export interface AuditVerifyReport {
  ok: boolean;
  /** Chain records checked. */
  checked: number;
  /** Records not yet sealed (waiting for the sealing job). */
  unsealed: number;
  /** Checkpoints checked: the stored ones and the one given. */
  checkpoints: number;
  lastCheckpoint: { seq: number; count: number; at: string } | null;
  firstBroken: {
    /** The record where the break shows, when there is one. */
    id: number | null;
    seq: number | null;
    /** The stored checkpoint concerned (null for the given one or none). */
    checkpointId: number | null;
    reason: AuditBreakReason;
  } | null;
}

export interface VerifyOptions {
  /** Defaults to the anchor bound to the database (bindAuditAnchor). */
  anchor?: AuditAnchor | null;
  /** Checkpoints the operator kept (from the log), checked like the stored ones. */
  kept?: AuditCheckpoint[];
  /** How long a record may wait for sealing; the bound one, else 60 s. */
  graceMs?: number;
  now?: number;
}

interface Expectation {
  cp: AuditCheckpoint;
  /** Stored checkpoint id; null for a kept one. */
  id: number | null;
  keyId?: string;
}

/**
 * Checks the audit log without writing anything (it never seals): walks the chain in order and
 * recomputes each record's hash and link; checks every checkpoint's signature, that the record
 * at its position still has its hash and that the chain up to it has its length; that the chain
 * goes on at least to the last checkpoint; and that no record waited for sealing longer than the
 * grace period. Reports the first break.
 */
export async function verifyAuditChain(
  database: Database,
  opts: VerifyOptions = {},
): Promise<AuditVerifyReport> {
  const db = database.db;
  const anchor = opts.anchor === undefined ? auditAnchorOf(database) : opts.anchor;
  const graceMs = opts.graceMs ?? anchors.get(database)?.graceMs ?? 60_000;
  const now = opts.now ?? Date.now();

  // Checkpoints written after this point are not looked at: their records may come after the walk.
  const [top] = await db
    .select({ id: auditCheckpoints.id })
    .from(auditCheckpoints)
    .orderBy(desc(auditCheckpoints.id))
    .limit(1);
  const maxCpId = top?.id ?? 0;
  const kept = [...(opts.kept ?? [])].sort((a, b) => a.seq - b.seq);
  let keptAt = 0;
  let stored: Expectation[] = [];
  let storedAt = 0;
  let storedAfter: { seq: number; id: number } | null = { seq: -1, id: 0 };
  const nextStored = async (): Promise<Expectation | null> => {
    if (storedAt >= stored.length) {
      if (!storedAfter) return null;
      const after = storedAfter;
      const rows = await db
        .select()
        .from(auditCheckpoints)
        .where(
          and(
            lte(auditCheckpoints.id, maxCpId),
            or(
              gt(auditCheckpoints.seq, after.seq),
              and(sql`${auditCheckpoints.seq} = ${after.seq}`, gt(auditCheckpoints.id, after.id)),
            ),
          ),
        )
        .orderBy(asc(auditCheckpoints.seq), asc(auditCheckpoints.id))
        .limit(1000);
      stored = rows.map((r) => ({ cp: r, id: r.id, keyId: r.keyId }));
      storedAt = 0;
      const end = rows[rows.length - 1];
      storedAfter = rows.length < 1000 || !end ? null : { seq: end.seq, id: end.id };
      if (rows.length === 0) return null;
    }
    return stored[storedAt] ?? null;
  };
  let checkpoints = 0;
  let lastCheckpoint: AuditVerifyReport['lastCheckpoint'] = null;
  let checked = 0;
  const unsealedRows = async () => {
    const [u] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(isNull(auditLog.seq));
    return u?.n ?? 0;
  };
  const broken = async (
    reason: AuditBreakReason,
    at: { id?: number | null; seq?: number | null; checkpointId?: number | null },
  ): Promise<AuditVerifyReport> => ({
    ok: false,
    checked,
    unsealed: await unsealedRows(),
    checkpoints,
    lastCheckpoint,
    firstBroken: {
      id: at.id ?? null,
      seq: at.seq ?? null,
      checkpointId: at.checkpointId ?? null,
      reason,
    },
  });

  /** The next checkpoint in seq order (stored or kept), its signature checked. */
  let pending: Expectation | null = null;
  const peek = async (): Promise<
    Expectation | { fail: AuditBreakReason; e: Expectation } | null
  > => {
    if (pending) return pending;
    const s = await nextStored();
    const k = kept[keptAt];
    let e: Expectation | null = null;
    if (s && (!k || s.cp.seq <= k.seq)) {
      storedAt++;
      e = s;
    } else if (k) {
      keptAt++;
      e = { cp: k, id: null };
    }
    if (!e) return null;
    if (!anchor || (e.keyId !== undefined && !anchor.keys.some((x) => x.id === e.keyId)))
      return { fail: 'checkpoint_key_unknown', e };
    if (!checkpointMacValid(anchor, e.cp, e.keyId)) return { fail: 'checkpoint_mac_invalid', e };
    pending = e;
    return e;
  };

  let prev = GENESIS_HASH;
  let lastSeq = 0;
  for (;;) {
    const batch = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, lastSeq))
      .orderBy(asc(auditLog.seq))
      .limit(WALK_BATCH);
    for (const r of batch) {
      if (r.prevHash !== prev) return broken('prev_hash_mismatch', r);
      if (hashAuditRecord({ ...r, prevHash: prev }) !== r.hash) return broken('hash_mismatch', r);
      checked++;
      prev = r.hash;
      lastSeq = r.seq!;
      for (;;) {
        const next = await peek();
        if (!next) break;
        if ('fail' in next)
          return broken(next.fail, { seq: next.e.cp.seq, checkpointId: next.e.id });
        if (next.cp.seq > r.seq!) break;
        // A checkpoint at a position the chain skipped, or whose record or length differs.
        if (next.cp.seq < r.seq! || next.cp.hash !== r.hash || next.cp.count !== checked)
          return broken('checkpoint_mismatch', {
            id: next.cp.seq === r.seq ? r.id : null,
            seq: next.cp.seq,
            checkpointId: next.id,
          });
        checkpoints++;
        lastCheckpoint = { seq: next.cp.seq, count: next.cp.count, at: next.cp.at.toISOString() };
        pending = null;
      }
    }
    if (batch.length < WALK_BATCH) break;
  }
  // Every checkpoint left lies beyond the chain's end.
  const beyond = await peek();
  if (beyond) {
    if ('fail' in beyond)
      return broken(beyond.fail, { seq: beyond.e.cp.seq, checkpointId: beyond.e.id });
    return broken('truncated', { seq: beyond.cp.seq, checkpointId: beyond.id });
  }
  const [late] = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(isNull(auditLog.seq), sql`${auditLog.at} < ${new Date(now - graceMs)}`))
    .orderBy(asc(auditLog.id))
    .limit(1);
  if (late) return broken('unsealed', { id: late.id });
  return {
    ok: true,
    checked,
    unsealed: await unsealedRows(),
    checkpoints,
    lastCheckpoint,
    firstBroken: null,
  };
}
