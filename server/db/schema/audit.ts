import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * Append-only, hash-chained record of every write. A write inserts its record unsealed (no lock, no
 * read of the chain's end); the sealer gives records their chain position `seq` and hashes in
 * batches (server/platform/audit.ts).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true, mode: 'date', precision: 3 }).notNull(),
    actorId: integer('actor_id'),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    ip: text('ip'),
    /** Position in the chain, set when sealed; null until then. */
    seq: bigint('seq', { mode: 'number' }),
    prevHash: text('prev_hash'),
    hash: text('hash'),
  },
  (t) => [
    index('audit_entity_idx').on(t.entityType, t.entityId),
    index('audit_actor_idx').on(t.actorId),
    index('audit_at_idx').on(t.at),
    uniqueIndex('audit_seq_idx').on(t.seq),
    index('audit_unsealed_idx')
      .on(t.id)
      .where(sql`${t.seq} is null`),
  ],
);

/**
 * The last period each periodic job ran for: a job claims a period with one conditional write, so
 * with any number of app servers each period's run happens once.
 */
export const jobSchedule = pgTable('job_schedule', {
  name: text('name').primaryKey(),
  lastPeriod: bigint('last_period', { mode: 'number' }).notNull(),
  lastRunAt: timestamp('last_run_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull(),
});

/**
 * Signed anchors of the audit chain, kept outside audit_log: the chain's head (seq, hash) and
 * length (count) at a time, with an HMAC-SHA256 under a key from the environment
 * (server/platform/audit.ts). Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE
 * (migration 0026_audit_checkpoints). Each checkpoint is also written to the application log.
 */
export const auditCheckpoints = pgTable(
  'audit_checkpoints',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    /** Records in the chain up to and including `seq`. */
    count: bigint('count', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date', precision: 3 }).notNull(),
    /** Which key signed it (a fingerprint, not the key). */
    keyId: text('key_id').notNull(),
    mac: text('mac').notNull(),
  },
  (t) => [index('audit_checkpoints_seq_idx').on(t.seq)],
);
