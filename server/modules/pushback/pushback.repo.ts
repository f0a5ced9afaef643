import {
  and,
  asc,
  desc,
  eq,
  gt,
  ilike,
  inArray,
  isNotNull,
  isNull,
  lt,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { TListPushbackQuery } from '../../../core/contracts/pushback.js';
import { execRows, type DbOrTx, type Tx } from '../../db/client.js';
import {
  citizenReports,
  files,
  open311Clients,
  problemEvents,
  problemPhotos,
  problems,
  pushbackDeliveries,
} from '../../db/schema/index.js';

export type DeliveryRow = typeof pushbackDeliveries.$inferSelect;
export type NewDelivery = typeof pushbackDeliveries.$inferInsert;

// ----- Enqueue ---------------------------------------------------------------------------------

/** A problem an outside order became: the one a step was taken on, or a duplicate merged into it. */
export interface OriginRow {
  id: number;
  code: string;
  channel: string;
  externalRef: string | null;
  mergedIntoId: number | null;
  trackingCode: string | null;
  clientId: number | null;
  clientActive: boolean | null;
  callbackUrl: string | null;
}

/**
 * The problem and the duplicates merged into it, each with where it came from: a 12345 order
 * number (`external_ref` on the hotline channel) or the Open311 client that filed it.
 */
export async function pushOrigins(db: DbOrTx, problemId: number): Promise<OriginRow[]> {
  return originsWhere(db, or(eq(problems.id, problemId), eq(problems.mergedIntoId, problemId))!);
}

/** These problems, each with where it came from (as pushOrigins). */
export async function originsByIds(db: DbOrTx, ids: number[]): Promise<OriginRow[]> {
  return ids.length ? originsWhere(db, inArray(problems.id, ids)) : [];
}

function originsWhere(db: DbOrTx, where: SQL) {
  return db
    .select({
      id: problems.id,
      code: problems.code,
      channel: problems.channel,
      externalRef: problems.externalRef,
      mergedIntoId: problems.mergedIntoId,
      trackingCode: citizenReports.trackingCode,
      clientId: citizenReports.open311ClientId,
      clientActive: open311Clients.active,
      callbackUrl: open311Clients.callbackUrl,
    })
    .from(problems)
    .leftJoin(citizenReports, eq(citizenReports.problemId, problems.id))
    .leftJoin(open311Clients, eq(open311Clients.id, citizenReports.open311ClientId))
    .where(where)
    .orderBy(asc(problems.id));
}

/** The latest event of this action on a problem (the rectification that was approved, say). */
export async function latestEvent(
  db: DbOrTx,
  problemId: number,
  action: string,
): Promise<{ id: number; note: string | null; at: Date } | undefined> {
  const [row] = await db
    .select({ id: problemEvents.id, note: problemEvents.note, at: problemEvents.at })
    .from(problemEvents)
    .where(and(eq(problemEvents.problemId, problemId), eq(problemEvents.action, action)))
    .orderBy(desc(problemEvents.id))
    .limit(1);
  return row;
}

/** The photos attached with these events of a problem, in the order they were attached. */
export async function photosOfEvents(
  db: DbOrTx,
  problemId: number,
  eventIds: number[],
): Promise<{ fileId: string; stage: string; takenAt: Date | null }[]> {
  if (!eventIds.length) return [];
  return db
    .select({
      fileId: problemPhotos.fileId,
      stage: problemPhotos.stage,
      takenAt: files.exifTakenAt,
    })
    .from(problemPhotos)
    .innerJoin(files, eq(files.id, problemPhotos.fileId))
    .where(and(eq(problemPhotos.problemId, problemId), inArray(problemPhotos.eventId, eventIds)))
    .orderBy(asc(problemPhotos.id));
}

/** Enqueues a delivery; false when one with its idempotency key exists (never twice). */
export async function insertDelivery(db: DbOrTx, v: NewDelivery): Promise<boolean> {
  const rows = await db
    .insert(pushbackDeliveries)
    .values(v)
    .onConflictDoNothing({ target: pushbackDeliveries.idempotencyKey })
    .returning({ id: pushbackDeliveries.id });
  return rows.length === 1;
}

// ----- The job ---------------------------------------------------------------------------------

export interface ClaimedRow extends DeliveryRow {
  callbackUrl: string | null;
  callbackSecret: string | null;
}

/**
 * Claims due deliveries for one attempt each: `FOR UPDATE SKIP LOCKED`, so app servers claiming at
 * once take different rows, and a lease (`next_attempt_at` moved to `leaseUntil`) so no other
 * server takes a row while its post is under way (outside this transaction). Only the earliest
 * unfinished delivery of a problem is due: one order's results arrive in the order they happened.
 * Hotline rows only while the hotline is configured; Open311 rows only for an active client with
 * a callback URL.
 */
export async function claimDue(
  tx: Tx,
  now: Date,
  leaseUntil: Date,
  hotlineOn: boolean,
  batch: number,
): Promise<ClaimedRow[]> {
  const ids = await execRows<{ id: string | number }>(
    tx,
    sql`
    with due as (
      select d.id
        from pushback_deliveries d
        left join open311_clients c on c.id = d.open311_client_id
       where d.acked_at is null and d.failed_at is null and d.next_attempt_at <= ${now}
         and (case when d.target = 'hotline' then ${hotlineOn}
                   else coalesce(c.active and c.callback_url is not null, false) end)
         and not exists (
           select 1 from pushback_deliveries e
            where e.problem_id = d.problem_id and e.target = d.target and e.id < d.id
              and e.acked_at is null and e.failed_at is null)
       order by d.next_attempt_at, d.id
       limit ${batch}
       for update of d skip locked
    )
    update pushback_deliveries d
       set attempts = d.attempts + 1, last_attempt_at = ${now}, next_attempt_at = ${leaseUntil}
      from due
     where d.id = due.id
    returning d.id`,
  );
  if (!ids.length) return [];
  const rows = await tx
    .select({
      d: pushbackDeliveries,
      callbackUrl: open311Clients.callbackUrl,
      callbackSecret: open311Clients.callbackSecret,
    })
    .from(pushbackDeliveries)
    .leftJoin(open311Clients, eq(open311Clients.id, pushbackDeliveries.open311ClientId))
    .where(
      inArray(
        pushbackDeliveries.id,
        ids.map((r) => Number(r.id)),
      ),
    )
    .orderBy(asc(pushbackDeliveries.id));
  return rows.map((r) => ({
    ...r.d,
    callbackUrl: r.callbackUrl,
    callbackSecret: r.callbackSecret,
  }));
}

/**
 * The outcome of an attempt. Written only while the row is still at that attempt and unfinished,
 * so a late answer never overwrites what happened since.
 */
export async function recordAttempt(
  db: DbOrTx,
  id: number,
  attempts: number,
  v:
    | { acked: true; at: Date; lastStatus: number }
    | {
        acked: false;
        lastStatus: number | null;
        lastError: string;
        nextAttemptAt: Date;
        failedAt: Date | null;
      },
): Promise<void> {
  await db
    .update(pushbackDeliveries)
    .set(
      v.acked
        ? { ackedAt: v.at, lastStatus: v.lastStatus, lastError: null }
        : {
            lastStatus: v.lastStatus,
            lastError: v.lastError,
            nextAttemptAt: v.nextAttemptAt,
            failedAt: v.failedAt,
          },
    )
    .where(
      and(
        eq(pushbackDeliveries.id, id),
        eq(pushbackDeliveries.attempts, attempts),
        isNull(pushbackDeliveries.ackedAt),
        isNull(pushbackDeliveries.failedAt),
      ),
    );
}

/** Deletes deliveries created before this time, whatever became of them (retention). */
export async function deleteDeliveriesBefore(db: DbOrTx, olderThan: Date): Promise<void> {
  await db.delete(pushbackDeliveries).where(lt(pushbackDeliveries.createdAt, olderThan));
}

// ----- The office's log ------------------------------------------------------------------------

export interface LogRow {
  d: DeliveryRow;
  clientName: string | null;
  problemCode: string;
}

function logQuery(db: DbOrTx, where: SQL | undefined, limit: number) {
  return db
    .select({ d: pushbackDeliveries, clientName: open311Clients.name, problemCode: problems.code })
    .from(pushbackDeliveries)
    .innerJoin(problems, eq(problems.id, pushbackDeliveries.problemId))
    .leftJoin(open311Clients, eq(open311Clients.id, pushbackDeliveries.open311ClientId))
    .where(where)
    .orderBy(desc(pushbackDeliveries.id))
    .limit(limit);
}

/** An ILIKE pattern matching the text exactly (but for case). */
const exactly = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The log's filters: target, state, and an order number or problem code (exact). */
function logFilter(q: Omit<TListPushbackQuery, 'limit' | 'cursor'>): SQL | undefined {
  const d = pushbackDeliveries;
  const state: SQL | undefined =
    q.state === 'delivered'
      ? isNotNull(d.ackedAt)
      : q.state === 'failed'
        ? isNotNull(d.failedAt)
        : q.state === 'pending'
          ? and(isNull(d.ackedAt), isNull(d.failedAt))
          : undefined;
  return and(
    q.target ? eq(d.target, q.target) : undefined,
    state,
    q.q ? or(ilike(d.externalRef, exactly(q.q)), ilike(problems.code, exactly(q.q))) : undefined,
  );
}

/** The log, newest first, keyset by id (`limit + 1` rows: the presenter pages them). */
export async function listDeliveries(db: DbOrTx, q: TListPushbackQuery): Promise<LogRow[]> {
  return logQuery(
    db,
    and(q.cursor ? lt(pushbackDeliveries.id, q.cursor) : undefined, logFilter(q)),
    q.limit + 1,
  );
}

/** The filtered log in the order it was made, after id `after` (the XLSX export's batches). */
export async function deliveriesAfter(
  db: DbOrTx,
  q: Omit<TListPushbackQuery, 'limit' | 'cursor'>,
  after: number,
  limit: number,
): Promise<(LogRow & { id: number })[]> {
  const rows = await db
    .select({ d: pushbackDeliveries, clientName: open311Clients.name, problemCode: problems.code })
    .from(pushbackDeliveries)
    .innerJoin(problems, eq(problems.id, pushbackDeliveries.problemId))
    .leftJoin(open311Clients, eq(open311Clients.id, pushbackDeliveries.open311ClientId))
    .where(and(gt(pushbackDeliveries.id, after), logFilter(q)))
    .orderBy(asc(pushbackDeliveries.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, id: r.d.id }));
}

/** A problem's deliveries, newest first. */
export async function listProblemDeliveries(db: DbOrTx, problemId: number): Promise<LogRow[]> {
  return logQuery(db, eq(pushbackDeliveries.problemId, problemId), 100);
}

export async function findDelivery(db: DbOrTx, id: number): Promise<LogRow | undefined> {
  const [row] = await logQuery(db, eq(pushbackDeliveries.id, id), 1);
  return row;
}

/**
 * Sends a failed delivery again: due now, its attempts counted afresh and its photo links good
 * for a full period from now. False when it is not failed (anymore).
 */
export async function requeueFailed(db: DbOrTx, id: number, now: Date): Promise<boolean> {
  const rows = await db
    .update(pushbackDeliveries)
    .set({ failedAt: null, attempts: 0, nextAttemptAt: now, linksFrom: now })
    .where(and(eq(pushbackDeliveries.id, id), isNotNull(pushbackDeliveries.failedAt)))
    .returning({ id: pushbackDeliveries.id });
  return rows.length === 1;
}
