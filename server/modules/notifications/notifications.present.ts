import { ZSmsPayloadSchema, type TSmsLogItem } from '../../../core/contracts/notifications.js';
import { maskPhone, maskSmsText } from '../../../core/citizen/replies.js';
import type { EscalationOrderRow, NotificationRow } from './notifications.repo.js';
import type { OutboxRow } from './outbox.repo.js';

/** Splits an over-fetched page (limit + 1 rows, newest first) into items and the next id cursor. */
function idPage<R extends { id: number }, T>(rows: R[], limit: number, present: (r: R) => T) {
  const items = rows.slice(0, limit);
  return {
    items: items.map(present),
    nextCursor: rows.length > limit ? String(items[items.length - 1]!.id) : null,
  };
}

export function presentNotification(n: NotificationRow) {
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    problemId: n.problemId,
    read: n.readAt !== null,
    createdAt: n.createdAt.toISOString(),
  };
}

export function presentNotificationPage(rows: NotificationRow[], limit: number) {
  return idPage(rows, limit, presentNotification);
}

export function presentEscalationOrder(r: EscalationOrderRow) {
  return {
    ...r,
    deadline: r.deadline?.toISOString() ?? null,
    issuedAt: r.issuedAt.toISOString(),
  };
}

export function presentEscalationOrderPage(rows: EscalationOrderRow[], limit: number) {
  return idPage(rows, limit, presentEscalationOrder);
}

/** A text message as the SMS log shows it: never the whole number, never a code in its text. */
export function presentSmsLogItem(m: OutboxRow): TSmsLogItem {
  const parsed = ZSmsPayloadSchema.safeParse(m.payload);
  const sms = parsed.success ? parsed.data : null;
  return {
    id: m.id,
    to: sms ? maskPhone(sms.to) : '—',
    text: sms ? maskSmsText(sms.text) : '—',
    kind: sms?.kind ?? null,
    ref: sms?.ref ?? null,
    state: m.deliveredAt ? 'delivered' : m.failedAt ? 'failed' : 'pending',
    attempts: m.attempts,
    lastError: m.lastError,
    createdAt: m.createdAt.toISOString(),
    deliveredAt: m.deliveredAt?.toISOString() ?? null,
    failedAt: m.failedAt?.toISOString() ?? null,
  };
}

export function presentSmsLogPage(rows: OutboxRow[], limit: number) {
  return idPage(rows, limit, presentSmsLogItem);
}
