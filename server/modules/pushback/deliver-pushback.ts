import { createHmac } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { withTx } from '../../platform/tx.js';
import { signedFileUrl } from '../files/file-links.js';
import { backoffMs } from '../notifications/outbox-delivery.js';
import type { HotlinePayload } from './enqueue-pushback.js';
import {
  claimDue,
  deleteDeliveriesBefore,
  recordAttempt,
  type ClaimedRow,
} from './pushback.repo.js';

// 结果回传, the sending half (the `pushback` job): posts due deliveries, signed like the 12345
// intake, and records what came back. docs/api.md ("Result push-back") is the receiver's side.

export interface PushbackTargets {
  /** HOTLINE_RESULT_URL and its secret; null: hotline deliveries wait (none are enqueued then). */
  hotline: { url: string; secret: string } | null;
  /** The app's public address, for absolute links (PUBLIC_URL). */
  publicUrl: string;
  /** The key that signs photo links (file-links.ts). */
  linkKey: () => Promise<Buffer>;
  /** How long a photo link works, counted from the delivery's `links_from`. */
  linkTtlMs: number;
  /** Attempts before a delivery is marked failed. */
  maxAttempts: number;
  /** How long one post may take. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * Claimed deliveries are not claimed again (by this or another server) until the whole batch could
 * have timed out, one post after the other, and then this much longer: a server that dies
 * mid-batch leaves its rows to the others after that.
 */
const LEASE_MARGIN_MS = 60_000;
const MAX_BODY_CHARS = 300;

/** `sha256=<hex>` of HMAC-SHA256(secret, `<timestamp>.<body>`): the intake's scheme, mirrored. */
export function pushbackSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The JSON body of one attempt: the payload with absolute (and, for the hotline, signed) links. */
export async function renderBody(d: ClaimedRow, t: PushbackTargets): Promise<string> {
  const base = t.publicUrl.replace(/\/+$/, '');
  if (d.target === 'hotline') {
    const p = d.payload as HotlinePayload;
    const key = await t.linkKey();
    const expires = new Date(d.linksFrom.getTime() + t.linkTtlMs);
    // Whole seconds, as the links carry them.
    const expiresAt = new Date(Math.floor(expires.getTime() / 1000) * 1000);
    return JSON.stringify({
      idempotencyKey: d.idempotencyKey,
      orderNo: p.orderNo,
      resultType: p.resultType,
      resultAt: p.resultAt,
      note: p.note,
      verifyNote: p.verifyNote,
      deadline: p.deadline,
      unitName: p.unitName,
      handledBy: p.handledBy,
      problemCode: p.problemCode,
      mergedInto: p.mergedInto,
      eventId: p.eventId,
      photos: p.photos.map((ph) => ({
        url: signedFileUrl(base, key, ph.fileId, 'full', expiresAt),
        thumbUrl: signedFileUrl(base, key, ph.fileId, 'thumb', expiresAt),
        stage: ph.stage,
        takenAt: ph.takenAt,
      })),
      photosExpireAt: p.photos.length ? expiresAt.toISOString() : null,
    });
  }
  const p = d.payload as { request: { media_url: string | null } & Record<string, unknown> };
  const media = p.request.media_url;
  return JSON.stringify({
    ...p,
    request: { ...p.request, media_url: media?.startsWith('/') ? `${base}${media}` : media },
  });
}

type Outcome =
  | { acked: true; status: number }
  | { acked: false; status: number | null; error: string };

/**
 * Acknowledged means: a 2xx answer whose body is JSON with `"ack": true`. A 2xx without it is not
 * an acknowledgement — hotline gateways commonly answer 200 with an error code in the body, and a
 * proxy's or a login page's 200 must not count as delivered — and is tried again, like any other
 * answer, until the attempts run out.
 */
async function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<Outcome> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
      return {
        acked: false,
        status: null,
        error: `no answer within ${timeoutMs / 1000} s (timeout)`,
      };
    }
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : null;
    const msg = err instanceof Error ? err.message : String(err);
    return { acked: false, status: null, error: cause ? `${msg}: ${cause}` : msg };
  }
  let text = '';
  try {
    text = await res.text();
  } catch (err) {
    return {
      acked: false,
      status: res.status,
      error: `HTTP ${res.status}; the body could not be read: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, MAX_BODY_CHARS);
  if (!res.ok)
    return {
      acked: false,
      status: res.status,
      error: `HTTP ${res.status}${snippet ? `: ${snippet}` : ''}`,
    };
  let ack = false;
  try {
    const parsed: unknown = JSON.parse(text);
    ack =
      typeof parsed === 'object' && parsed !== null && (parsed as { ack?: unknown }).ack === true;
  } catch {
    // not JSON: not an acknowledgement
  }
  return ack
    ? { acked: true, status: res.status }
    : {
        acked: false,
        status: res.status,
        error: `HTTP ${res.status} without {"ack": true}${snippet ? `: ${snippet}` : ''}`,
      };
}

/** Where a delivery goes and what signs it; null when its target is gone since it was claimed. */
function destination(
  d: ClaimedRow,
  t: PushbackTargets,
): { url: string; secret: string | null } | null {
  if (d.target === 'hotline') return t.hotline;
  return d.callbackUrl ? { url: d.callbackUrl, secret: d.callbackSecret } : null;
}

/**
 * Posts the due deliveries once each and records the outcome: acknowledged, or the error and the
 * next attempt (1, 2, 4 … minutes, at most an hour apart — the outbox's back-off), or failed once
 * the attempts run out. Claims are short transactions (FOR UPDATE SKIP LOCKED plus a lease), so
 * several app servers share the work without posting a delivery twice at once, and no
 * transaction stays open while a receiver takes its time.
 */
export async function deliverPushback(
  database: Database,
  t: PushbackTargets,
  opts: { now?: Date; batch?: number } = {},
): Promise<{ acked: number; failed: number; retrying: number }> {
  const now = opts.now ?? new Date();
  const timeoutMs = t.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const batch = opts.batch ?? 20;
  const claimed = await withTx(database, (tx) =>
    claimDue(
      tx,
      now,
      new Date(now.getTime() + batch * timeoutMs + LEASE_MARGIN_MS),
      t.hotline !== null,
      batch,
    ),
  );
  const out = { acked: 0, failed: 0, retrying: 0 };
  for (const d of claimed) {
    const to = destination(d, t);
    const outcome: Outcome = to
      ? await (async () => {
          const body = await renderBody(d, t);
          const ts = String(Math.floor(Date.now() / 1000));
          const headers: Record<string, string> = {
            'content-type': 'application/json; charset=utf-8',
            'user-agent': 'chuangcheng-pushback/1',
            'idempotency-key': d.idempotencyKey,
            'x-timestamp': ts,
          };
          if (to.secret) headers['x-signature'] = pushbackSignature(to.secret, ts, body);
          return post(to.url, headers, body, timeoutMs);
        })()
      : { acked: false, status: null, error: 'the callback URL was removed' };
    const at = opts.now ?? new Date();
    if (outcome.acked) {
      out.acked++;
      await recordAttempt(database.db, d.id, d.attempts, {
        acked: true,
        at,
        lastStatus: outcome.status,
      });
    } else {
      const giveUp = d.attempts >= t.maxAttempts;
      if (giveUp) out.failed++;
      else out.retrying++;
      await recordAttempt(database.db, d.id, d.attempts, {
        acked: false,
        lastStatus: outcome.status,
        lastError: outcome.error.slice(0, 500),
        nextAttemptAt: new Date(at.getTime() + backoffMs(d.attempts)),
        failedAt: giveUp ? at : null,
      });
    }
    await database.afterCommit();
  }
  return out;
}

/** Drops deliveries older than the retention period, whatever became of them. */
export async function purgePushback(database: Database, olderThan: Date): Promise<void> {
  await deleteDeliveriesBefore(database.db, olderThan);
  await database.afterCommit();
}
