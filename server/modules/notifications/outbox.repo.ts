import { and, asc, desc, eq, isNotNull, isNull, lt, lte, ne, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import { outbox } from '../../db/schema/index.js';

export type OutboxRow = typeof outbox.$inferSelect;

/** The topic whose messages go to the SMS gateway; every other topic goes to the notice webhook. */
export const SMS_TOPIC = 'sms';

/**
 * Due messages, oldest first, locked for this transaction: `FOR UPDATE SKIP LOCKED` lets several
 * app servers share the work without sending twice. `topics` says which have somewhere to go:
 * text messages, the rest, or both.
 */
export async function claimDueOutbox(
  tx: Tx,
  now: Date,
  batch: number,
  topics: { sms: boolean; other: boolean },
): Promise<OutboxRow[]> {
  if (!topics.sms && !topics.other) return [];
  const topic =
    topics.sms && topics.other
      ? undefined
      : topics.sms
        ? eq(outbox.topic, SMS_TOPIC)
        : ne(outbox.topic, SMS_TOPIC);
  return tx
    .select()
    .from(outbox)
    .where(
      and(
        isNull(outbox.deliveredAt),
        isNull(outbox.failedAt),
        lte(outbox.nextAttemptAt, now),
        topic,
      ),
    )
    .orderBy(asc(outbox.id))
    .limit(batch)
    .for('update', { skipLocked: true });
}

/**
 * Puts a message in the outbox in the caller's transaction. With a dedupe key, a message already
 * written under it is not written again (false then).
 */
export async function insertOutbox(
  tx: DbOrTx,
  v: { topic: string; payload: unknown; dedupeKey?: string | null },
): Promise<boolean> {
  const rows = await tx
    .insert(outbox)
    .values({ topic: v.topic, payload: v.payload, dedupeKey: v.dedupeKey ?? null })
    .onConflictDoNothing({
      target: outbox.dedupeKey,
      where: sql`dedupe_key is not null`,
    })
    .returning({ id: outbox.id });
  return rows.length === 1;
}

/** One topic's messages, newest first, `limit + 1` rows (keyset on the id). */
export async function listOutboxByTopic(
  db: DbOrTx,
  topic: string,
  q: { limit: number; cursor?: number | undefined; state?: 'pending' | 'delivered' | 'failed' },
): Promise<OutboxRow[]> {
  const state =
    q.state === 'delivered'
      ? isNotNull(outbox.deliveredAt)
      : q.state === 'failed'
        ? isNotNull(outbox.failedAt)
        : q.state === 'pending'
          ? and(isNull(outbox.deliveredAt), isNull(outbox.failedAt))
          : undefined;
  return db
    .select()
    .from(outbox)
    .where(and(eq(outbox.topic, topic), q.cursor ? lt(outbox.id, q.cursor) : undefined, state))
    .orderBy(desc(outbox.id))
    .limit(q.limit + 1);
}

export async function markOutboxDelivered(tx: Tx, id: number, attempts: number): Promise<void> {
  await tx
    .update(outbox)
    .set({ deliveredAt: new Date(), attempts })
    .where(sql`${outbox.id} = ${id}`);
}

/** Records a failed attempt: the error, the next try, and `failedAt` when the message is given up. */
export async function markOutboxAttemptFailed(
  tx: Tx,
  id: number,
  v: { attempts: number; lastError: string; nextAttemptAt: Date; failedAt?: Date },
): Promise<void> {
  await tx
    .update(outbox)
    .set(v)
    .where(sql`${outbox.id} = ${id}`);
}

export async function deleteOutboxBefore(db: DbOrTx, olderThan: Date): Promise<void> {
  await db.delete(outbox).where(lt(outbox.createdAt, olderThan));
}
