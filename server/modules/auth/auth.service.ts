import { createHash, randomBytes } from 'node:crypto';
import type {
  TChangePasswordRequest,
  TMeResponse,
  TSessionUser,
} from '../../../core/contracts/auth.js';
import { permissionsOfHolder, type TRole } from '../../../core/permissions.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { hashPassword, verifyDummy, verifyPassword } from '../../platform/auth/password.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import * as users from '../org/users.repo.js';
import * as repo from './auth.repo.js';
import { sessionCache } from './session-cache.js';

const MINUTE = 60_000;
/** lastSeenAt is written at most this often, so reads do not each cost a write. */
const TOUCH_EVERY_MS = MINUTE;

export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex');

const badCredentials = () =>
  new AppError('bad_credentials', 401, {
    zh: '用户名或密码错误',
    en: 'wrong username or password',
  });

function presentSessionUser(u: users.UserRow): TSessionUser {
  return {
    id: u.id,
    username: u.username,
    name: u.name,
    roles: u.roles as TRole[],
    permissions: [
      ...permissionsOfHolder({
        roles: u.roles as TRole[],
        regionId: u.regionId,
        regionLevel: u.regionLevel,
      }),
    ],
    unitId: u.unitId,
    unitName: u.unitName,
    regionId: u.regionId,
    regionName: u.regionName,
    regionLevel: u.regionLevel,
    mustChangePassword: u.mustChangePassword,
  };
}

export function actorOf(u: users.UserRow, ip: string | null): Actor {
  return {
    id: u.id,
    username: u.username,
    name: u.name,
    roles: u.roles as TRole[],
    unitId: u.unitId,
    regionId: u.regionId,
    regionLevel: u.regionLevel,
    ip,
  };
}

/**
 * Signs a user in by username or phone. Five failures lock the account for 15 minutes; many
 * failures from one address are throttled whatever the account (both limits are configurable).
 */
export async function login(
  database: Database,
  config: Config,
  input: { username: string; password: string },
  client: { ip: string; userAgent: string | null },
): Promise<{ token: string; me: TMeResponse }> {
  const now = new Date();
  const windowMs = config.loginLockMinutes * MINUTE;
  // Each attempt is counted *before* the slow password check, atomically, so attempts sent all
  // at once cannot slip past the limits; a successful sign-in gives its reservation back.
  const ipCount = await repo.reserveIpAttempt(
    database.db,
    client.ip,
    now,
    new Date(now.getTime() - windowMs),
  );
  if (ipCount.failures > config.loginIpMaxFailures) {
    const retryAfterS = Math.max(
      1,
      Math.ceil((ipCount.windowStart.getTime() + windowMs - now.getTime()) / 1000),
    );
    const retry = Math.ceil(retryAfterS / 60);
    throw new AppError(
      'too_many_attempts',
      429,
      {
        zh: `登录失败次数过多，请 ${retry} 分钟后再试`,
        en: `too many failed sign-ins; try again in ${retry} minute(s)`,
      },
      { retryAfterS },
    );
  }
  const locked = (until: Date) => {
    const retryAfterS = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
    const minutes = Math.ceil(retryAfterS / 60);
    return new AppError(
      'account_locked',
      423,
      {
        zh: `密码连续错误次数过多，账号已锁定，请 ${minutes} 分钟后再试或联系管理员`,
        en: `too many wrong passwords: the account is locked for ${minutes} more minute(s), or ask an administrator`,
      },
      { retryAfterS },
    );
  };
  const user = await users.findUserByLogin(database.db, input.username);
  if (!user || !user.active) {
    await verifyDummy(input.password);
    throw badCredentials();
  }
  const lockUntil = new Date(now.getTime() + windowMs);
  const attempt = await users.reserveLoginAttempt(
    database.db,
    user.id,
    config.loginMaxFailures,
    now,
    lockUntil,
  );
  if (attempt.lockedUntil && attempt.lockedUntil > now) {
    if (attempt.justLocked) {
      await withTx(database, (tx) =>
        writeAudit(tx, actorOf(user, client.ip), {
          action: 'auth.lock',
          entityType: 'user',
          entityId: user.id,
        }),
      );
    }
    throw locked(attempt.lockedUntil);
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    if (attempt.count >= config.loginMaxFailures) {
      // This was the last allowed guess: lock now rather than at the next attempt.
      if (await users.lockUser(database.db, user.id, now, lockUntil)) {
        await withTx(database, (tx) =>
          writeAudit(tx, actorOf(user, client.ip), {
            action: 'auth.lock',
            entityType: 'user',
            entityId: user.id,
          }),
        );
      }
    }
    throw badCredentials();
  }
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + config.sessionAbsoluteHours * 60 * MINUTE);
  await withTx(database, async (tx) => {
    // A lock set by attempts running alongside this one stands: never clear a lock here.
    if (!(await users.completeLogin(tx, user.id, now)))
      throw locked(new Date(now.getTime() + windowMs));
    await repo.releaseIpAttempt(tx, client.ip);
    await repo.insertSession(tx, {
      id: sessionIdOf(token),
      userId: user.id,
      csrfToken,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
    });
    await writeAudit(tx, actorOf(user, client.ip), {
      action: 'auth.login',
      entityType: 'user',
      entityId: user.id,
    });
  });
  return {
    token,
    me: { user: presentSessionUser(user), csrfToken, expiresAt: expiresAt.toISOString() },
  };
}

export interface ResolvedSession {
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
  user: users.UserRow;
}

/** The live session for a cookie token, or null when unknown, expired, idle too long or the user is disabled. */
function findSessionCached(database: Database, config: Config, id: string) {
  return sessionCache.get(database, id, config.sessionCacheMs, () =>
    repo.findSessionWithUser(database.db, id),
  );
}

export async function resolveSession(
  database: Database,
  config: Config,
  token: string,
): Promise<ResolvedSession | null> {
  const id = sessionIdOf(token);
  const found = await findSessionCached(database, config, id);
  if (!found) return null;
  const { session: s, user } = found;
  const now = new Date();
  const idleLimit = now.getTime() - config.sessionIdleMinutes * MINUTE;
  if (s.expiresAt <= now || s.lastSeenAt.getTime() < idleLimit) {
    await repo.deleteSession(database.db, id);
    return null;
  }
  if (!user.active) {
    // A disabled account's sessions end for good, even if it is enabled again later.
    await repo.deleteSession(database.db, id);
    return null;
  }
  if (now.getTime() - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await repo.touchSession(database.db, id, now);
    s.lastSeenAt = now;
  }
  return { sessionId: id, csrfToken: s.csrfToken, expiresAt: s.expiresAt, user };
}

export function me(session: ResolvedSession): TMeResponse {
  return {
    user: presentSessionUser(session.user),
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt.toISOString(),
  };
}

export async function logout(database: Database, actor: Actor, sessionId: string): Promise<void> {
  await withTx(database, async (tx) => {
    await repo.deleteSession(tx, sessionId);
    await writeAudit(tx, actor, { action: 'auth.logout', entityType: 'user', entityId: actor.id });
  });
}

/** Changes the signed-in user's own password and ends their other sessions. */
export async function changePassword(
  database: Database,
  actor: Actor,
  session: ResolvedSession,
  input: TChangePasswordRequest,
): Promise<void> {
  const user = session.user;
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError(
      'bad_current_password',
      400,
      { zh: '当前密码不正确', en: 'the current password is wrong' },
      {
        fields: [{ path: 'currentPassword', message: '当前密码不正确 / wrong password' }],
      },
    );
  }
  if (input.newPassword === input.currentPassword) {
    throw errors.invalid(
      { zh: '新密码不能与当前密码相同', en: 'the new password must differ from the current one' },
      [{ path: 'newPassword', message: '新密码不能与当前密码相同 / same as current' }],
    );
  }
  const passwordHash = await hashPassword(input.newPassword);
  await withTx(database, async (tx) => {
    const ok = await users.updateUser(tx, user.id, user.version, {
      passwordHash,
      mustChangePassword: false,
      passwordChangedAt: new Date(),
    });
    if (!ok) throw errors.staleVersion('user');
    await repo.deleteSessionsOfUser(tx, user.id, session.sessionId);
    await writeAudit(tx, actor, {
      action: 'auth.change_password',
      entityType: 'user',
      entityId: user.id,
    });
  });
}

/** Housekeeping: removes expired sessions and old throttle windows. */
export async function purgeExpired(database: Database, config: Config): Promise<void> {
  const now = new Date();
  await repo.deleteExpiredSessions(
    database.db,
    now,
    new Date(now.getTime() - config.sessionIdleMinutes * MINUTE),
  );
  await repo.clearOldThrottles(
    database.db,
    new Date(now.getTime() - config.loginLockMinutes * MINUTE),
  );
}
