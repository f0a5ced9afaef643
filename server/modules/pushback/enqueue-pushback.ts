import type { THotlineResultType } from '../../../core/contracts/pushback.js';
import type { TProblemAction } from '../../../core/problems/lifecycle.js';
import type { Tx } from '../../db/client.js';
import { presentRequest } from '../citizen/open311.present.js';
import { listRequestRows } from '../citizen/open311.repo.js';
import {
  insertDelivery,
  latestEvent,
  originsByIds,
  photosOfEvents,
  pushOrigins,
  type OriginRow,
} from './pushback.repo.js';

// 结果回传, the enqueueing half: called inside the transaction of the step that causes it, so a
// result is owed exactly when the step is committed (a rolled-back step leaves nothing), and once:
// the idempotency key names the origin problem and the event, and is unique.

/** The steps a 12345 order hears of, and as what. */
export const HOTLINE_RESULT_OF: Partial<Record<TProblemAction, THotlineResultType>> = {
  approve: 'closed',
  reject: 'rejected',
  defer: 'deferred',
  approve_extension: 'extended',
};

/** One step as committed, on the problem it was taken on (after the step). */
export interface PushStep {
  problem: { id: number; code: string; unitName: string | null; deadline: Date | null };
  eventId: number;
  action: TProblemAction;
  fromState: string;
  toState: string;
  at: Date;
  actorName: string;
  note: string | null;
}

export interface PushSettings {
  /** HOTLINE_RESULT_URL is set: hotline results are owed (else none is enqueued). */
  hotline: boolean;
}

/** The body of a hotline delivery as stored; photo links are signed when it is sent. */
export interface HotlinePayload {
  orderNo: string;
  resultType: THotlineResultType;
  resultAt: string;
  note: string | null;
  verifyNote: string | null;
  deadline: string | null;
  unitName: string | null;
  handledBy: string;
  problemCode: string;
  mergedInto: string | null;
  eventId: number;
  photos: { fileId: string; stage: string; takenAt: string | null }[];
}

/** A 12345 order: the hotline channel's order number, not an Open311 client's request. */
const hotlineOrder = (o: OriginRow) =>
  o.channel === 'hotline' && o.externalRef !== null && o.clientId === null;

/** An Open311 request whose client wants its status changes pushed. */
const open311Pushed = (o: OriginRow) =>
  o.clientId !== null &&
  o.clientActive === true &&
  o.callbackUrl !== null &&
  o.trackingCode !== null;

/** What the hotline is told of a step: the note, the photos and the deadline that go with it. */
async function hotlineFacts(tx: Tx, step: PushStep, kind: THotlineResultType) {
  switch (kind) {
    case 'closed': {
      // The rectification that was approved: the unit's statement and its after-photos, and the
      // verifier's note and photos.
      const submit = await latestEvent(tx, step.problem.id, 'submit');
      const photos = await photosOfEvents(
        tx,
        step.problem.id,
        submit ? [submit.id, step.eventId] : [step.eventId],
      );
      return {
        note: submit?.note ?? step.note,
        verifyNote: step.note,
        deadline: null,
        photos: photos.map((p) => ({
          fileId: p.fileId,
          stage: p.stage,
          takenAt: p.takenAt?.toISOString() ?? null,
        })),
      };
    }
    case 'extended': {
      // The unit's reason for more time, unless the office wrote its own when approving.
      const asked = step.note ? null : await latestEvent(tx, step.problem.id, 'request_extension');
      return {
        note: step.note ?? asked?.note ?? null,
        verifyNote: null,
        deadline: step.problem.deadline?.toISOString() ?? null,
        photos: [],
      };
    }
    case 'rejected':
    case 'deferred':
      return { note: step.note, verifyNote: null, deadline: null, photos: [] };
  }
}

/** The Open311 request as its client reads it with GET requests (media_url relative here). */
async function open311Payload(tx: Tx, o: OriginRow, step: PushStep) {
  const [row] = await listRequestRows(
    tx,
    { kind: 'client', clientId: o.clientId! },
    { ids: [o.trackingCode!] },
    1,
    0,
  );
  if (!row) return null;
  const request = presentRequest(row, { kind: 'client', clientId: o.clientId! }, '', 'zh');
  return {
    service_request_id: request.service_request_id,
    status: request.status,
    status_notes: request.status_notes,
    event: step.action,
    event_id: step.eventId,
    event_datetime: step.at.toISOString(),
    request,
  };
}

async function enqueueFor(
  tx: Tx,
  origins: OriginRow[],
  step: PushStep,
  hotlineKind: THotlineResultType | null,
  open311: boolean,
): Promise<void> {
  let facts: Awaited<ReturnType<typeof hotlineFacts>> | null = null;
  for (const o of origins) {
    if (hotlineKind && hotlineOrder(o)) {
      facts ??= await hotlineFacts(tx, step, hotlineKind);
      const payload: HotlinePayload = {
        orderNo: o.externalRef!,
        resultType: hotlineKind,
        resultAt: step.at.toISOString(),
        ...facts,
        unitName: step.problem.unitName,
        handledBy: step.actorName,
        problemCode: o.code,
        mergedInto: o.id === step.problem.id ? null : step.problem.code,
        eventId: step.eventId,
      };
      await insertDelivery(tx, {
        target: 'hotline',
        problemId: o.id,
        eventId: step.eventId,
        kind: hotlineKind,
        externalRef: o.externalRef!,
        idempotencyKey: `hotline-${o.id}-${step.eventId}`,
        payload,
        nextAttemptAt: step.at,
        linksFrom: step.at,
      });
    }
    if (open311 && open311Pushed(o)) {
      const payload = await open311Payload(tx, o, step);
      if (!payload) continue;
      await insertDelivery(tx, {
        target: 'open311',
        open311ClientId: o.clientId,
        problemId: o.id,
        eventId: step.eventId,
        kind: step.action,
        externalRef: o.trackingCode!,
        idempotencyKey: `open311-${o.clientId}-${o.id}-${step.eventId}`,
        payload,
        nextAttemptAt: step.at,
        linksFrom: step.at,
      });
    }
  }
}

/**
 * What a step on a problem owes outside: for the problem and every duplicate merged into it, a
 * 12345 order's result (办结, 不予受理, 缓办, 延期 — while the hotline push is configured) and, for
 * every state change, the Open311 request's new status (to a client with a callback URL).
 */
export async function enqueuePushback(tx: Tx, step: PushStep, opts: PushSettings): Promise<void> {
  const hotlineKind = opts.hotline ? (HOTLINE_RESULT_OF[step.action] ?? null) : null;
  const open311 = step.fromState !== step.toState;
  if (!hotlineKind && !open311) return;
  await enqueueFor(tx, await pushOrigins(tx, step.problem.id), step, hotlineKind, open311);
}

/**
 * A merge changes the status an Open311 client reads for the duplicate (and whatever it had
 * absorbed): from now on it is the primary's. A 12345 order merged away hears nothing now; it
 * gets the primary's result when that comes.
 */
export async function enqueueMergePushback(
  tx: Tx,
  mergedIds: number[],
  step: Omit<PushStep, 'problem' | 'fromState' | 'toState'> & { primary: PushStep['problem'] },
): Promise<void> {
  const origins = await originsByIds(tx, mergedIds);
  if (!origins.some(open311Pushed)) return;
  await enqueueFor(
    tx,
    origins,
    { ...step, problem: step.primary, fromState: 'open', toState: 'merged' },
    null,
    true,
  );
}
