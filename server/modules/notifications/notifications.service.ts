import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '../../db/client.js';
import { notifications, outbox, users } from '../../db/schema/index.js';
import type { Actor } from '../../platform/actor.js';
import { errors } from '../../platform/errors.js';

export interface Notice {
  kind: string;
  title: string;
  body?: string | null;
  problemId?: number | null;
}

/** Active users holding `role`, optionally of one unit. */
export async function usersWithRole(
  db: DbOrTx,
  role: string,
  unitId?: number | null,
): Promise<{ id: number; name: string; phone: string | null }[]> {
  return db
    .select({ id: users.id, name: users.name, phone: users.phone })
    .from(users)
    .where(
      and(
        eq(users.active, true),
        sql`${role} = any(${users.roles})`,
        ...(unitId !== undefined && unitId !== null ? [eq(users.unitId, unitId)] : []),
      ),
    );
}

/**
 * Puts a notice in each recipient's inbox and one message in the outbox for the SMS/WeChat
 * gateway, inside the caller's transaction: no event without its notice, no notice without its event.
 */
export async function notify(
  tx: DbOrTx,
  recipients: { id: number; name: string; phone: string | null }[],
  notice: Notice,
  except?: number | null,
): Promise<void> {
  const to = recipients.filter((r) => r.id !== except);
  if (!to.length) return;
  await tx.insert(notifications).values(
    to.map((r) => ({
      userId: r.id,
      kind: notice.kind,
      title: notice.title,
      body: notice.body ?? null,
      problemId: notice.problemId ?? null,
    })),
  );
  await tx.insert(outbox).values({
    topic: `notice.${notice.kind}`,
    payload: {
      ...notice,
      recipients: to.map((r) => ({ userId: r.id, name: r.name, phone: r.phone })),
    },
  });
}

export async function listMine(
  database: Database,
  actor: Actor,
  q: { limit: number; cursor?: number; unread?: boolean },
) {
  if (actor.id === null) throw errors.unauthenticated();
  const rows = await database.db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, actor.id),
        ...(q.unread ? [isNull(notifications.readAt)] : []),
        ...(q.cursor ? [lt(notifications.id, q.cursor)] : []),
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  return {
    items: items.map((n) => ({
      id: n.id,
      kind: n.kind,
      title: n.title,
      body: n.body,
      problemId: n.problemId,
      read: n.readAt !== null,
      createdAt: n.createdAt.toISOString(),
    })),
    nextCursor: rows.length > q.limit ? String(items[items.length - 1]!.id) : null,
  };
}

export async function unreadCount(database: Database, actor: Actor): Promise<number> {
  if (actor.id === null) return 0;
  const [r] = await database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, actor.id), isNull(notifications.readAt)));
  return r!.n;
}

/** Marks one notice (or all, when id is null) of the actor as read. */
export async function markRead(
  database: Database,
  actor: Actor,
  id: number | null,
): Promise<number> {
  if (actor.id === null) throw errors.unauthenticated();
  const rows = await database.db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(
      and(
        eq(notifications.userId, actor.id),
        isNull(notifications.readAt),
        ...(id !== null ? [eq(notifications.id, id)] : []),
      ),
    )
    .returning({ id: notifications.id });
  if (id !== null && rows.length === 0) {
    const [exists] = await database.db
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(eq(notifications.id, id), eq(notifications.userId, actor.id)));
    if (!exists) throw errors.notFound('notification', id);
  }
  await database.afterCommit();
  return rows.length;
}
