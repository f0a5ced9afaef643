import { and, eq, getTableColumns, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { loginThrottle, regions, sessions, units, users } from '../../db/schema/index.js';
import { userSelection, type UserRow } from '../org/users.repo.js';
import { invalidateSessionCache } from './session-cache.js';

export type SessionRow = typeof sessions.$inferSelect;

export async function insertSession(db: DbOrTx, v: SessionRow): Promise<void> {
  await db.insert(sessions).values(v);
}

/** A session and its user (with unit and region names) in one query: this runs on every request. */
export async function findSessionWithUser(
  db: DbOrTx,
  id: string,
): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const rows = await db
    .select({ session: getTableColumns(sessions), user: userSelection })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(units, eq(units.id, users.unitId))
    .leftJoin(regions, eq(regions.id, users.regionId))
    .where(eq(sessions.id, id))
    .limit(1);
  return rows[0];
}

export async function touchSession(db: DbOrTx, id: string, at: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.id, id));
}

export async function deleteSession(db: DbOrTx, id: string): Promise<void> {
  invalidateSessionCache();
  await db.delete(sessions).where(eq(sessions.id, id));
}

export async function deleteSessionsOfUser(
  db: DbOrTx,
  userId: number,
  exceptId?: string,
): Promise<void> {
  invalidateSessionCache();
  await db
    .delete(sessions)
    .where(
      and(eq(sessions.userId, userId), ...(exceptId ? [sql`${sessions.id} <> ${exceptId}`] : [])),
    );
}

export async function deleteExpiredSessions(
  db: DbOrTx,
  now: Date,
  idleCutoff: Date,
): Promise<void> {
  invalidateSessionCache();
  await db
    .delete(sessions)
    .where(sql`${sessions.expiresAt} < ${now} or ${sessions.lastSeenAt} < ${idleCutoff}`);
}

/**
 * Counts a sign-in attempt from an address (a new window starts when the old one has passed) and
 * returns the count in the window, including this attempt.
 */
export async function reserveIpAttempt(
  db: DbOrTx,
  ip: string,
  now: Date,
  windowStartCutoff: Date,
): Promise<{ failures: number; windowStart: Date }> {
  const [row] = await db
    .insert(loginThrottle)
    .values({ ip, windowStart: now, failures: 1 })
    .onConflictDoUpdate({
      target: loginThrottle.ip,
      set: {
        failures: sql`case when ${loginThrottle.windowStart} < ${windowStartCutoff} then 1 else ${loginThrottle.failures} + 1 end`,
        windowStart: sql`case when ${loginThrottle.windowStart} < ${windowStartCutoff} then ${now} else ${loginThrottle.windowStart} end`,
      },
    })
    .returning({ failures: loginThrottle.failures, windowStart: loginThrottle.windowStart });
  return row!;
}

/** A successful sign-in does not count against its address. */
export async function releaseIpAttempt(db: DbOrTx, ip: string): Promise<void> {
  await db
    .update(loginThrottle)
    .set({ failures: sql`greatest(${loginThrottle.failures} - 1, 0)` })
    .where(eq(loginThrottle.ip, ip));
}

export async function clearOldThrottles(db: DbOrTx, cutoff: Date): Promise<void> {
  await db.delete(loginThrottle).where(lt(loginThrottle.windowStart, cutoff));
}
