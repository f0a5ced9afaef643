import { createHash, randomBytes } from 'node:crypto';
import type { TChangePasswordRequest, TMeResponse, TSessionUser } from '../../../core/contracts/auth.js';
import { permissionsOf, type TRole } from '../../../core/permissions.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { hashPassword, verifyDummy, verifyPassword } from '../../platform/auth/password.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import * as users from '../org/users.repo.js';
import * as repo from './auth.repo.js';

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
    permissions: [...permissionsOf(u.roles as TRole[])],
    unitId: u.unitId,
    unitName: u.unitName,
    regionId: u.regionId,
    regionName: u.regionName,
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
  const throttle = await repo.getThrottle(database.db, client.ip);
  if (
    throttle &&
    throttle.failures >= config.loginIpMaxFailures &&
    throttle.windowStart.getTime() > now.getTime() - windowMs
  ) {
    const retry = Math.ceil((throttle.windowStart.getTime() + windowMs - now.getTime()) / MINUTE);
    throw new AppError('too_many_attempts', 429, {
      zh: `登录失败次数过多，请 ${retry} 分钟后再试`,
      en: `too many failed sign-ins; try again in ${retry} minute(s)`,
    });
  }
  const user = await users.findUserByLogin(database.db, input.username);
  const fail = async (userId: number | null) => {
    await withTx(database, async (tx) => {
      await repo.recordIpFailure(tx, client.ip, now, new Date(now.getTime() - windowMs));
      if (userId === null) return;
      const locked = await users.recordLoginFailure(
        tx,
        userId,
        config.loginMaxFailures,
        new Date(now.getTime() + windowMs),
      );
      if (locked) {
        await writeAudit(tx, actorOf(user!, client.ip), { action: 'auth.lock', entityType: 'user', entityId: userId });
      }
    });
  };
  if (!user || !user.active) {
    await verifyDummy(input.password);
    await fail(null);
    throw badCredentials();
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    const minutes = Math.ceil((user.lockedUntil.getTime() - now.getTime()) / MINUTE);
    throw new AppError('account_locked', 423, {
      zh: `密码连续错误次数过多，账号已锁定，请 ${minutes} 分钟后再试或联系管理员`,
      en: `too many wrong passwords: the account is locked for ${minutes} more minute(s), or ask an administrator`,
    });
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    await fail(user.id);
    throw badCredentials();
  }
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + config.sessionAbsoluteHours * 60 * MINUTE);
  await withTx(database, async (tx) => {
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
    await users.setLoginState(tx, user.id, { failedLoginCount: 0, lockedUntil: null, lastLoginAt: now });
    await writeAudit(tx, actorOf(user, client.ip), { action: 'auth.login', entityType: 'user', entityId: user.id });
  });
  return { token, me: { user: presentSessionUser(user), csrfToken, expiresAt: expiresAt.toISOString() } };
}

export interface ResolvedSession {
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
  user: users.UserRow;
}

/** The live session for a cookie token, or null when unknown, expired, idle too long or the user is disabled. */
export async function resolveSession(
  database: Database,
  config: Config,
  token: string,
): Promise<ResolvedSession | null> {
  const id = sessionIdOf(token);
  const s = await repo.findSession(database.db, id);
  if (!s) return null;
  const now = new Date();
  const idleLimit = now.getTime() - config.sessionIdleMinutes * MINUTE;
  if (s.expiresAt <= now || s.lastSeenAt.getTime() < idleLimit) {
    await repo.deleteSession(database.db, id);
    return null;
  }
  const user = await users.findUser(database.db, s.userId);
  if (!user || !user.active) return null;
  if (now.getTime() - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await repo.touchSession(database.db, id, now);
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
    throw new AppError('bad_current_password', 400, { zh: '当前密码不正确', en: 'the current password is wrong' }, {
      fields: [{ path: 'currentPassword', message: 'wrong password' }],
    });
  }
  if (input.newPassword === input.currentPassword) {
    throw errors.invalid({ zh: '新密码不能与当前密码相同', en: 'the new password must differ from the current one' }, [
      { path: 'newPassword', message: 'same as current' },
    ]);
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
    await writeAudit(tx, actor, { action: 'auth.change_password', entityType: 'user', entityId: user.id });
  });
}

/** Housekeeping: removes expired sessions and old throttle windows. */
export async function purgeExpired(database: Database, config: Config): Promise<void> {
  const now = new Date();
  await repo.deleteExpiredSessions(database.db, now, new Date(now.getTime() - config.sessionIdleMinutes * MINUTE));
  await repo.clearOldThrottles(database.db, new Date(now.getTime() - config.loginLockMinutes * MINUTE));
}
