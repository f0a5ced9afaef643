import type { TSmsLogPage, TSmsPayload } from '../../../core/contracts/notifications.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import {
  countUnread,
  insertNotices,
  listEscalationOrders as selectEscalationOrders,
  listNotifications,
  markNotificationsRead,
  notificationExists,
  selectOfficesAt,
  selectOfficesCovering,
  selectUsersWithRole,
  type NoticeValues,
  type Recipient,
} from './notifications.repo.js';
import {
  presentEscalationOrderPage,
  presentNotificationPage,
  presentSmsLogPage,
} from './notifications.present.js';
import { insertOutbox, listOutboxByTopic, SMS_TOPIC } from './outbox.repo.js';

export type Notice = NoticeValues;

/** Active users holding `role`, optionally of one unit. */
/** The offices (city, district, street) whose jurisdiction holds the region: who must act. */
export async function officesCovering(
  db: DbOrTx,
  regionId: number | null,
): Promise<{ id: number; name: string; phone: string | null }[]> {
  return selectOfficesCovering(db, regionId);
}

/** The 创建办 of exactly this district or street (whom a problem handed down is for). */
export async function officesAt(
  db: DbOrTx,
  regionId: number,
): Promise<{ id: number; name: string; phone: string | null }[]> {
  return selectOfficesAt(db, regionId);
}

export async function usersWithRole(
  db: DbOrTx,
  role: string,
  unitId?: number | null,
): Promise<{ id: number; name: string; phone: string | null }[]> {
  return selectUsersWithRole(db, role, unitId);
}

/**
 * Puts a notice in each recipient's inbox and one message in the outbox for the SMS/WeChat
 * gateway, inside the caller's transaction: no event without its notice, no notice without its event.
 */
export async function notify(
  tx: DbOrTx,
  recipients: Recipient[],
  notice: Notice,
  except?: number | null,
): Promise<void> {
  const to = recipients.filter((r) => r.id !== except);
  if (!to.length) return;
  await insertNotices(tx, to, notice);
}

// The inbox is the signed-in user's own: no permission beyond being someone (no scope to take).

export async function listMine(
  database: Database,
  actor: Actor,
  q: { limit: number; cursor?: number; unread?: boolean },
) {
  if (actor.id === null) throw errors.unauthenticated();
  const rows = await listNotifications(database.db, actor.id, q);
  return presentNotificationPage(rows, q.limit);
}

export async function unreadCount(database: Database, actor: Actor): Promise<number> {
  if (actor.id === null) return 0;
  return countUnread(database.db, actor.id);
}

/** Marks one notice (or all, when id is null) of the actor as read. */
export async function markRead(
  database: Database,
  actor: Actor,
  id: number | null,
): Promise<number> {
  const userId = actor.id;
  if (userId === null) throw errors.unauthenticated();
  // Reading one's own inbox is not an audited act.
  const rows = await withTx(database, async (tx) => {
    const marked = await markNotificationsRead(tx, userId, id);
    if (id !== null && marked.length === 0 && !(await notificationExists(tx, userId, id))) {
      throw errors.notFound('notification', id);
    }
    return marked;
  });
  return rows.length;
}

/** 督办单 in the actor's problem scope, newest first. */
export async function listEscalationOrders(
  database: Database,
  actor: Actor,
  q: {
    limit: number;
    cursor?: number | undefined;
    level?: string | undefined;
    unitId?: number | undefined;
  },
) {
  const scope = requirePermission(actor, Permission.ProblemRead);
  const rows = await selectEscalationOrders(database.db, scope, q);
  return presentEscalationOrderPage(rows, q.limit);
}

/**
 * Queues a text message in the caller's transaction (it goes out only if the transaction commits).
 * With a dedupe key the message is written once whatever retries happen: false when it was already.
 */
export async function queueSms(
  tx: DbOrTx,
  sms: TSmsPayload,
  dedupeKey?: string | null,
): Promise<boolean> {
  return insertOutbox(tx, { topic: SMS_TOPIC, payload: sms, dedupeKey });
}

/**
 * 短信发送记录: the text messages of the last 30 days (the outbox keeps them that long), newest
 * first, with the number masked and codes starred — the city office's (it runs the channels).
 */
export async function listSmsLog(
  database: Database,
  actor: Actor,
  q: { limit: number; cursor?: number | undefined; state?: 'pending' | 'delivered' | 'failed' },
  gateway: TSmsLogPage['gateway'],
): Promise<TSmsLogPage> {
  requirePermission(actor, Permission.IntegrationManage);
  const rows = await listOutboxByTopic(database.db, SMS_TOPIC, q);
  return { ...presentSmsLogPage(rows, q.limit), gateway };
}
