import { createHmac } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { withTx } from '../../platform/tx.js';
import { ZSmsPayloadSchema } from '../../../core/contracts/notifications.js';
import {
  claimDueOutbox,
  SMS_TOPIC,
  type OutboxRow,
  deleteOutboxBefore,
  markOutboxAttemptFailed,
  markOutboxDelivered,
} from './outbox.repo.js';

export interface WebhookTarget {
  url: string;
  secret?: string | undefined;
}

/**
 * Where outbox messages go, by topic: `sms` to the SMS gateway — an HTTP one, or the built-in fake
 * one of the demo, which takes every message as sent, so the SMS log shows what would have gone
 * out — and every other topic to the notice webhook. Null: that kind waits.
 */
export interface OutboxRoutes {
  notify: WebhookTarget | null;
  sms: WebhookTarget | 'fake' | null;
}

const MAX_ATTEMPTS = 10;

/** 1, 2, 4 … minutes, at most an hour, between attempts. */
export function backoffMs(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
}

/** Posts one message, signed like the hotline webhook; the error, or null when it was taken. */
async function post(target: WebhookTarget, m: OutboxRow): Promise<string | null> {
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
    // The same on every attempt: a gateway that took a message whose answer was lost drops the retry.
    'x-message-id': String(m.id),
  };
  if (target.secret) {
    headers['x-signature'] =
      `sha256=${createHmac('sha256', target.secret).update(`${ts}.${body}`).digest('hex')}`;
  }
  try {
    const res = await fetch(target.url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(10_000),
    });
    return res.ok ? null : `HTTP ${res.status}`;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Delivers due outbox messages: text messages (topic `sms`) to the SMS gateway, the rest to the
 * notice webhook (an SMS / WeChat gateway of the city's), each signed. `FOR UPDATE SKIP LOCKED`
 * lets several app servers share the work without sending twice.
 */
export async function deliverOutbox(
  database: Database,
  routes: OutboxRoutes,
  now = new Date(),
  batch = 50,
): Promise<{ delivered: number; failed: number }> {
  if (!routes.sms && !routes.notify) return { delivered: 0, failed: 0 };
  let delivered = 0;
  let failed = 0;
  await withTx(database, async (tx) => {
    const due = await claimDueOutbox(tx, now, batch, {
      sms: routes.sms !== null,
      other: routes.notify !== null,
    });
    for (const m of due) {
      const target = m.topic === SMS_TOPIC ? routes.sms : routes.notify;
      if (!target) continue;
      // A text message without a number or a text never will have one: given up at once.
      const malformed = m.topic === SMS_TOPIC && !ZSmsPayloadSchema.safeParse(m.payload).success;
      const error = malformed
        ? 'invalid sms payload: { to, text } expected'
        : target === 'fake'
          ? null
          : await post(target, m);
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
          ...(malformed || attempts >= MAX_ATTEMPTS ? { failedAt: new Date() } : {}),
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
