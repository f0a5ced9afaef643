import type { TPushbackDelivery } from '../../../core/contracts/pushback.js';
import { pushbackState } from '../../../core/pushback/labels.js';
import type { LogRow } from './pushback.repo.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentDelivery({ d, clientName, problemCode }: LogRow): TPushbackDelivery {
  const state = pushbackState(d);
  return {
    id: d.id,
    target: d.target,
    clientId: d.open311ClientId,
    clientName,
    problemId: d.problemId,
    problemCode,
    externalRef: d.externalRef,
    kind: d.kind,
    state,
    attempts: d.attempts,
    idempotencyKey: d.idempotencyKey,
    nextAttemptAt: state === 'pending' ? d.nextAttemptAt.toISOString() : null,
    lastAttemptAt: iso(d.lastAttemptAt),
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    ackedAt: iso(d.ackedAt),
    failedAt: iso(d.failedAt),
    createdAt: d.createdAt.toISOString(),
    payload: d.payload as Record<string, unknown>,
  };
}

/** A keyset page of the log from `limit + 1` rows. */
export function presentDeliveryPage(rows: LogRow[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(presentDelivery),
    nextCursor: rows.length > limit && last ? String(last.d.id) : null,
  };
}
