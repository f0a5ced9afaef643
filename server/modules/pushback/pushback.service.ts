import type { TListPushbackQuery, TPushbackDelivery } from '../../../core/contracts/pushback.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { findProblem } from '../problems/problems.repo.js';
import { presentDelivery, presentDeliveryPage } from './pushback.present.js';
import {
  findDelivery,
  listDeliveries,
  listProblemDeliveries,
  requeueFailed,
} from './pushback.repo.js';

/** What the log page says about the set-up beside the rows. */
export interface PushbackInfo {
  hotlineConfigured: boolean;
  maxAttempts: number;
}

/** 结果回传 log: every delivery to the hotline and the Open311 clients (the city office). */
export async function listPushback(
  database: Database,
  actor: Actor,
  q: TListPushbackQuery,
  info: PushbackInfo,
) {
  requirePermission(actor, Permission.IntegrationManage);
  const rows = await listDeliveries(database.db, q);
  return { ...presentDeliveryPage(rows, q.limit), ...info };
}

/** A problem's deliveries, for its detail page: the offices that manage it, in their scope. */
export async function problemPushback(
  database: Database,
  actor: Actor,
  problemId: number,
): Promise<TPushbackDelivery[]> {
  const scope = requirePermission(actor, Permission.ProblemManage);
  if (!(await findProblem(database.db, problemId, scope)))
    throw errors.notFound('problem', problemId);
  return (await listProblemDeliveries(database.db, problemId)).map(presentDelivery);
}

/**
 * Sends a failed delivery again (重新发送): due at once, with its attempts counted afresh and its
 * photo links renewed; the idempotency key stays, so a receiver that had it already knows it.
 */
export async function retryPushback(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TPushbackDelivery> {
  requirePermission(actor, Permission.IntegrationManage);
  return withTx(database, async (tx) => {
    const before = await findDelivery(tx, id);
    if (!before) throw errors.notFound('pushback_delivery', id);
    if (!(await requeueFailed(tx, id, new Date()))) {
      throw new AppError('not_failed', 409, {
        zh: '只有发送失败的回传可以重新发送',
        en: 'only a failed delivery can be sent again',
      });
    }
    await writeAudit(tx, actor, {
      action: 'pushback.retry',
      entityType: 'pushback_delivery',
      entityId: id,
      before: {
        attempts: before.d.attempts,
        lastError: before.d.lastError,
        failedAt: before.d.failedAt?.toISOString() ?? null,
      },
      after: { attempts: 0, failedAt: null },
    });
    return presentDelivery((await findDelivery(tx, id))!);
  });
}
