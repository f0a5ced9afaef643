import { isReplyAction, replyText, trackUrl } from '../../../core/citizen/replies.js';
import type { DbOrTx } from '../../db/client.js';
import { queueSms } from '../notifications/notifications.service.js';
import { listReplyRecipients } from './citizen.repo.js';

/** What the step did, as the reply needs it. */
export interface ReplyStep {
  action: string;
  /** The step's timeline event: with the report, the message's key (one message per step). */
  eventId: number;
  problem: { id: number; code: string; unitName: string | null };
  /** The office's reason, for a rejection. */
  note: string | null;
}

/**
 * 回复报告人: when a problem a citizen reported is accepted, dispatched, rectified, closed or
 * rejected, each reporter who asked for texts gets one, written to the outbox in the caller's
 * transaction (no step, no message; a rolled-back step leaves none). The key is the report and the
 * step's event, so the same step never texts twice, and a later step of the same kind (dispatched
 * again after a return, closed again after a reopening) texts again. Reporters of duplicates merged
 * into the problem hear about it too. Returns how many were queued.
 */
export async function replyToReporters(
  tx: DbOrTx,
  step: ReplyStep,
  publicUrl: string,
): Promise<number> {
  if (!isReplyAction(step.action)) return 0;
  const action = step.action;
  let queued = 0;
  for (const r of await listReplyRecipients(tx, step.problem.id)) {
    const text = replyText(action, {
      trackUrl: trackUrl(publicUrl, r.trackingCode),
      unitName: step.problem.unitName,
      reason: step.note,
    });
    const key = `reply:${r.reportProblemId}:${step.eventId}`;
    const sms = { to: r.phone, text, kind: `reply.${action}`, ref: step.problem.code };
    if (await queueSms(tx, sms, key)) queued++;
  }
  return queued;
}
