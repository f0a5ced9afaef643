import { and, desc, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { TScope } from '../../../core/permissions.js';
import type { DbOrTx } from '../../db/client.js';
import {
  escalationOrders,
  notifications,
  outbox,
  problems,
  units,
  users,
} from '../../db/schema/index.js';
import { problemScope } from '../problems/problems.repo.js';

export type NotificationRow = typeof notifications.$inferSelect;
export interface Recipient {
  id: number;
  name: string;
  phone: string | null;
}
export interface NoticeValues {
  kind: string;
  title: string;
  body?: string | null;
  problemId?: number | null;
}

/** Active users holding `role` who also meet `where` (their unit, their region…). */
function activeWithRole(db: DbOrTx, role: string, ...where: (SQL | undefined)[]) {
  return db
    .select({ id: users.id, name: users.name, phone: users.phone })
    .from(users)
    .where(and(eq(users.active, true), sql`${role} = any(${users.roles})`, ...where));
}

/**
 * Active office users whose level covers a region: the city's (no region, or a city-level one) and
 * every district or street office whose subtree holds it. A problem with no region: the city's.
 */
export async function selectOfficesCovering(
  db: DbOrTx,
  regionId: number | null,
): Promise<Recipient[]> {
  const holds =
    regionId === null
      ? sql``
      : sql`or (select pr.path from regions pr where pr.id = ${regionId}) like ur.path || '%'`;
  return activeWithRole(
    db,
    'office',
    sql`(${users.regionId} is null or exists (select 1 from regions ur
          where ur.id = ${users.regionId} and (ur.level = 'city' ${holds})))`,
  );
}

/** Active office users held at exactly this region (that level's 创建办). */
export async function selectOfficesAt(db: DbOrTx, regionId: number): Promise<Recipient[]> {
  return activeWithRole(db, 'office', eq(users.regionId, regionId));
}

/** Active users holding `role`, optionally of one unit. */
export async function selectUsersWithRole(
  db: DbOrTx,
  role: string,
  unitId?: number | null,
): Promise<Recipient[]> {
  return activeWithRole(
    db,
    role,
    unitId !== undefined && unitId !== null ? eq(users.unitId, unitId) : undefined,
  );
}

/** One inbox row per recipient and one outbox message naming them all. */
export async function insertNotices(
  tx: DbOrTx,
  to: Recipient[],
  notice: NoticeValues,
): Promise<void> {
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

/** A user's notices, newest first, `limit + 1` rows (the extra one tells there is a next page). */
export async function listNotifications(
  db: DbOrTx,
  userId: number,
  q: { limit: number; cursor?: number | undefined; unread?: boolean | undefined },
): Promise<NotificationRow[]> {
  return db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        ...(q.unread ? [isNull(notifications.readAt)] : []),
        ...(q.cursor ? [lt(notifications.id, q.cursor)] : []),
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(q.limit + 1);
}

export async function countUnread(db: DbOrTx, userId: number): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return r!.n;
}

/** Marks the user's unread notice `id` (or all of them, when id is null) read; returns their ids. */
export async function markNotificationsRead(
  db: DbOrTx,
  userId: number,
  id: number | null,
): Promise<{ id: number }[]> {
  return db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        ...(id !== null ? [eq(notifications.id, id)] : []),
      ),
    )
    .returning({ id: notifications.id });
}

export async function notificationExists(db: DbOrTx, userId: number, id: number): Promise<boolean> {
  const [exists] = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)));
  return exists !== undefined;
}

export interface EscalationOrderRow {
  id: number;
  problemId: number;
  code: string;
  title: string;
  level: string;
  unitId: number | null;
  unitName: string | null;
  deadline: Date | null;
  issuedAt: Date;
  state: string;
}

/** 督办单 in the scope's problems, newest first, `limit + 1` rows. */
export async function listEscalationOrders(
  db: DbOrTx,
  scope: TScope,
  q: {
    limit: number;
    cursor?: number | undefined;
    level?: string | undefined;
    unitId?: number | undefined;
  },
): Promise<EscalationOrderRow[]> {
  const s = problemScope(scope);
  return db
    .select({
      id: escalationOrders.id,
      problemId: escalationOrders.problemId,
      code: problems.code,
      title: problems.title,
      level: escalationOrders.level,
      unitId: escalationOrders.unitId,
      unitName: units.name,
      deadline: escalationOrders.deadline,
      issuedAt: escalationOrders.issuedAt,
      state: problems.state,
    })
    .from(escalationOrders)
    .innerJoin(problems, eq(problems.id, escalationOrders.problemId))
    .leftJoin(units, eq(units.id, escalationOrders.unitId))
    .where(
      and(
        ...(s ? [s] : []),
        ...(q.level ? [eq(escalationOrders.level, q.level)] : []),
        ...(q.unitId ? [eq(escalationOrders.unitId, q.unitId)] : []),
        ...(q.cursor ? [lt(escalationOrders.id, q.cursor)] : []),
        sql`true`,
      ),
    )
    .orderBy(desc(escalationOrders.id))
    .limit(q.limit + 1);
}
