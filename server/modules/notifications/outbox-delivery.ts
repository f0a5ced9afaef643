import { createHmac } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { withTx } from '../../platform/tx.js';
import {
  claimDueOutbox,
  deleteOutboxBefore,
  markOutboxAttemptFailed,
  markOutboxDelivered,
} from './outbox.repo.js';

export interface WebhookTarget {
  url: string;
  secret?: string | undefined;
}

const MAX_ATTEMPTS = 10;

/** 1, 2, 4 … minutes, at most an hour, between attempts. */
export function backoffMs(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
}

/**
 * Delivers due outbox messages to the webhook (an SMS / WeChat gateway), signed like the hotline
 * webhook. `FOR UPDATE SKIP LOCKED` lets several app servers share the work without sending twice.
 */
export async function deliverOutbox(
  database: Database,
  target: WebhookTarget | null,
  now = new Date(),
  batch = 50,
): Promise<{ delivered: number; failed: number }> {
  if (!target) return { delivered: 0, failed: 0 };
  let delivered = 0;
  let failed = 0;
  await withTx(database, async (tx) => {
    const due = await claimDueOutbox(tx, now, batch);
    for (const m of due) {
      const body = JSON.stringify({
        id: m.id,
        topic: m.topic,
        payload: m.payload,
        createdAt: m.createdAt.toISOString(),
      });
      const ts = String(Math.floor(Date.now() / 1000));
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'x-timestamp': ts,
      };
      if (target.secret) {
        headers['x-signature'] =
          `sha256=${createHmac('sha256', target.secret).update(`${ts}.${body}`).digest('hex')}`;
      }
      let error: string | null = null;
      try {
        const res = await fetch(target.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(10_000),
        });
        if (!res.ok) error = `HTTP ${res.status}`;
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
      const attempts = m.attempts + 1;
      if (!error) {
        await markOutboxDelivered(tx, m.id, attempts);
        delivered++;
      } else {
        failed++;
        await markOutboxAttemptFailed(tx, m.id, {
          attempts,
          lastError: error.slice(0, 500),
          nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)),
          ...(attempts >= MAX_ATTEMPTS ? { failedAt: new Date() } : {}),
        });
      }
    }
  });
  return { delivered, failed };
}

/** Drops delivered or abandoned messages after the retention period. */
export async function purgeOutbox(database: Database, olderThan: Date): Promise<void> {
  await deleteOutboxBefore(database.db, olderThan);
  await database.afterCommit();
}
