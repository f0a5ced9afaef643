import type { Readable } from 'node:stream';
import type {
  TListPushbackQuery,
  TPushbackDelivery,
  TPushbackExportQuery,
} from '../../../core/contracts/pushback.js';
import {
  PUSHBACK_STATE_LABELS,
  PUSHBACK_TARGET_LABELS,
  pushbackKindLabel,
  pushbackState,
} from '../../../core/pushback/labels.js';
import { shanghaiDateTime } from '../../../core/calendar/working-days.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { EXPORT_BATCH, keysetPages } from '../../platform/xlsx-import.js';
import { streamSheet, type ColumnSpec } from '../../platform/xlsx.js';
import { findProblem } from '../problems/problems.repo.js';
import { presentDelivery, presentDeliveryPage } from './pushback.present.js';
import {
  deliveriesAfter,
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

type ExportKey =
  | 'createdAt'
  | 'target'
  | 'client'
  | 'externalRef'
  | 'problemCode'
  | 'kind'
  | 'state'
  | 'attempts'
  | 'lastAttemptAt'
  | 'lastStatus'
  | 'lastError'
  | 'ackedAt'
  | 'idempotencyKey';

const EXPORT_COLUMNS: ColumnSpec<ExportKey>[] = [
  { key: 'createdAt', header: '产生时间', width: 18 },
  { key: 'target', header: '去向', width: 14 },
  { key: 'client', header: 'Open311 客户端', width: 18 },
  { key: 'externalRef', header: '工单编号', width: 18 },
  { key: 'problemCode', header: '问题编号', width: 16 },
  { key: 'kind', header: '内容', width: 14 },
  { key: 'state', header: '状态', width: 10 },
  { key: 'attempts', header: '尝试次数', width: 10 },
  { key: 'lastAttemptAt', header: '最近一次', width: 18 },
  { key: 'lastStatus', header: 'HTTP 状态', width: 10 },
  { key: 'lastError', header: '最近错误', width: 40 },
  { key: 'ackedAt', header: '确认时间', width: 18 },
  { key: 'idempotencyKey', header: '幂等键', width: 28 },
];

/**
 * The filtered log as XLSX, oldest first (the office's record for the hotline's operator when a
 * result is disputed): what went where, when, and what came back. The payloads stay on the page.
 */
export function exportPushback(
  database: Database,
  actor: Actor,
  q: TPushbackExportQuery,
): Readable {
  requirePermission(actor, Permission.IntegrationManage);
  const at = (d: Date | null) => (d ? shanghaiDateTime(d) : null);
  async function* batches() {
    for await (const rows of keysetPages((after) =>
      deliveriesAfter(database.db, q, after, EXPORT_BATCH),
    )) {
      yield rows.map(({ d, clientName, problemCode }) => ({
        createdAt: at(d.createdAt),
        target: PUSHBACK_TARGET_LABELS[d.target].zh,
        client: clientName,
        externalRef: d.externalRef,
        problemCode,
        kind: pushbackKindLabel(d.target, d.kind).zh,
        state: PUSHBACK_STATE_LABELS[pushbackState(d)].zh,
        attempts: d.attempts,
        lastAttemptAt: at(d.lastAttemptAt),
        lastStatus: d.lastStatus,
        lastError: d.lastError,
        ackedAt: at(d.ackedAt),
        idempotencyKey: d.idempotencyKey,
      }));
    }
  }
  return streamSheet('结果回传', EXPORT_COLUMNS, batches());
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
