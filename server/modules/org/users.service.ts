import type {
  TCreateUserRequest,
  TListUsersQuery,
  TUpdateUserRequest,
  TUser,
} from '../../../core/contracts/org.js';
import { grantableRolesOf } from '../../../core/org/grants.js';
import { Permission, type TRole } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { hashPassword } from '../../platform/auth/password.js';
import { deleteSessionsOfUser } from '../auth/auth.repo.js';
import { errors } from '../../platform/errors.js';
import { pageOf } from '../../platform/pagination.js';
import { withTx } from '../../platform/tx.js';
import { requireUserWithin, roleNotGrantable } from './jurisdiction.js';
import { presentUser } from './org.present.js';
import { findRegion } from './regions.repo.js';
import { findUnit } from './units.repo.js';
import * as repo from './users.repo.js';

export async function listUsers(
  database: Database,
  actor: Actor,
  q: TListUsersQuery,
): Promise<{ items: TUser[]; nextCursor: string | null; total: number }> {
  const scope = requirePermission(actor, Permission.UserRead);
  const { rows, total } = await repo.listUsers(database.db, scope, q);
  const page = pageOf(rows, q.limit, (r) => r[q.sort]);
  return { items: page.items.map(presentUser), nextCursor: page.nextCursor, total };
}

export async function getUser(database: Database, actor: Actor, id: number): Promise<TUser> {
  const scope = requirePermission(actor, Permission.UserRead);
  const row = await repo.findUser(database.db, id, scope);
  if (!row) throw errors.notFound('user', id);
  return presentUser(row);
}

/** Checks roles, unit and region of a user being created or changed. */
export async function checkUserFields(
  tx: DbOrTx,
  actor: Actor,
  v: { roles: TRole[]; unitId: number | null; regionId: number | null },
  previousRoles: TRole[] = [],
): Promise<void> {
  const allowed = grantableRolesOf(actor);
  const changed = [
    ...v.roles.filter((r) => !previousRoles.includes(r)),
    ...previousRoles.filter((r) => !v.roles.includes(r)),
  ];
  const refused = changed.find((r) => !allowed.includes(r));
  if (refused) throw roleNotGrantable(refused);
  if (v.roles.includes('unit') && v.unitId === null) {
    throw errors.invalid(
      { zh: '“责任单位”角色的用户必须指定所属单位', en: 'a user with the unit role needs a unit' },
      [{ path: 'unitId', message: '“责任单位”角色须指定所属单位 / required for the unit role' }],
    );
  }
  if (v.unitId !== null && !(await findUnit(tx, v.unitId))) throw errors.notFound('unit', v.unitId);
  if (v.regionId !== null && !(await findRegion(tx, v.regionId)))
    throw errors.notFound('region', v.regionId);
  // 分级管理: a district or street office places its people within its own subtree.
  await requireUserWithin(tx, actor, v);
}

/**
 * Nobody may change an account they could not have made: one holding a role they could not grant
 * (an office user cannot edit or disable an administrator), or, for a district or street office,
 * one placed outside its subtree or above it.
 */
export async function checkManageable(tx: DbOrTx, actor: Actor, current: repo.UserRow) {
  const roles = current.roles as TRole[];
  const allowed = grantableRolesOf(actor);
  const refused = roles.find((r) => !allowed.includes(r));
  if (refused) throw roleNotGrantable(refused);
  await requireUserWithin(tx, actor, { roles, unitId: current.unitId, regionId: current.regionId });
}

async function checkUnique(
  tx: DbOrTx,
  username: string | null,
  phone: string | null,
  selfId: number | null,
) {
  const clash = await repo.findUsersByUsernameOrPhone(
    tx,
    username ? [username] : [],
    phone ? [phone] : [],
  );
  for (const c of clash) {
    if (c.id === selfId) continue;
    if (username && c.username.toLowerCase() === username.toLowerCase()) {
      throw errors.duplicate('user', '用户名/username', username);
    }
    throw errors.duplicate('user', '手机号/phone', phone ?? '');
  }
}

export async function createUser(
  database: Database,
  actor: Actor,
  input: TCreateUserRequest,
): Promise<TUser> {
  requirePermission(actor, Permission.UserWrite);
  const passwordHash = await hashPassword(input.password);
  return withTx(database, async (tx) => {
    const v = {
      roles: input.roles,
      unitId: input.unitId ?? null,
      regionId: input.regionId ?? null,
    };
    await checkUserFields(tx, actor, v);
    await checkUnique(tx, input.username, input.phone ?? null, null);
    const id = await repo.insertUser(tx, {
      ...v,
      username: input.username,
      name: input.name,
      phone: input.phone ?? null,
      active: input.active ?? true,
      passwordHash,
      // Someone else chose this password: the user picks their own at first sign-in.
      mustChangePassword: true,
    });
    const out = presentUser((await repo.findUser(tx, id))!);
    await writeAudit(tx, actor, {
      action: 'user.create',
      entityType: 'user',
      entityId: id,
      after: out,
    });
    return out;
  });
}

export async function updateUser(
  database: Database,
  actor: Actor,
  id: number,
  input: TUpdateUserRequest,
): Promise<TUser> {
  const scope = requirePermission(actor, Permission.UserWrite);
  return withTx(database, async (tx) => {
    const current = await repo.findUser(tx, id, scope);
    if (!current) throw errors.notFound('user', id);
    if (current.version !== input.version) throw errors.staleVersion('user');
    await checkManageable(tx, actor, current);
    const v = {
      roles: input.roles ?? (current.roles as TRole[]),
      unitId: input.unitId === undefined ? current.unitId : input.unitId,
      regionId: input.regionId === undefined ? current.regionId : input.regionId,
    };
    await checkUserFields(tx, actor, v, current.roles as TRole[]);
    if (input.phone) await checkUnique(tx, null, input.phone, id);
    const { version, ...changes } = input;
    if (!(await repo.updateUser(tx, id, version, changes))) throw errors.staleVersion('user');
    const rolesChanged = input.roles && input.roles.join() !== current.roles.join();
    if (input.active === false || rolesChanged || input.unitId !== undefined) {
      await deleteSessionsOfUser(tx, id);
    }
    const out = presentUser((await repo.findUser(tx, id))!);
    await writeAudit(tx, actor, {
      action: 'user.update',
      entityType: 'user',
      entityId: id,
      before: presentUser(current),
      after: out,
    });
    return out;
  });
}

/** Sets a new initial password, lifts any sign-in lock and ends the user's sessions. */
export async function resetPassword(
  database: Database,
  actor: Actor,
  id: number,
  input: { password: string; version: number },
): Promise<TUser> {
  const scope = requirePermission(actor, Permission.UserWrite);
  const passwordHash = await hashPassword(input.password);
  return withTx(database, async (tx) => {
    const current = await repo.findUser(tx, id, scope);
    if (!current) throw errors.notFound('user', id);
    await checkManageable(tx, actor, current);
    const ok = await repo.updateUser(tx, id, input.version, {
      passwordHash,
      mustChangePassword: true,
      failedLoginCount: 0,
      lockedUntil: null,
      passwordChangedAt: new Date(),
    });
    if (!ok) throw errors.staleVersion('user');
    await deleteSessionsOfUser(tx, id);
    const out = presentUser((await repo.findUser(tx, id))!);
    await writeAudit(tx, actor, {
      action: 'user.reset_password',
      entityType: 'user',
      entityId: id,
    });
    return out;
  });
}
