import { and, asc, isNull, lt, lte, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import { outbox } from '../../db/schema/index.js';

export type OutboxRow = typeof outbox.$inferSelect;

/**
 * Due messages, oldest first, locked for this transaction: `FOR UPDATE SKIP LOCKED` lets several
 * app servers share the work without sending twice.
 */
export async function claimDueOutbox(tx: Tx, now: Date, batch: number): Promise<OutboxRow[]> {
  return tx
    .select()
    .from(outbox)
    .where(and(isNull(outbox.deliveredAt), isNull(outbox.failedAt), lte(outbox.nextAttemptAt, now)))
    .orderBy(asc(outbox.id))
    .limit(batch)
    .for('update', { skipLocked: true });
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
