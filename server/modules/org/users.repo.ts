import { and, asc, desc, eq, getTableColumns, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { TListUsersQuery } from '../../../core/contracts/org.js';
import type { RegionLevel, TScope } from '../../../core/permissions.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { regions, units, users } from '../../db/schema/index.js';
import { afterCursor, likePattern } from '../../platform/pagination.js';
import { invalidateSessionCache } from '../auth/session-cache.js';
import { regionSubtree } from './regions.repo.js';

const selection = {
  ...getTableColumns(users),
  unitName: units.name,
  regionName: regions.name,
  regionLevel: regions.level,
};
export type UserRow = typeof users.$inferSelect & {
  unitName: string | null;
  regionName: string | null;
  regionLevel: RegionLevel | null;
};
export type UserValues = Omit<
  typeof users.$inferInsert,
  'id' | 'version' | 'createdAt' | 'updatedAt'
>;

/** Users with their unit and region names; exported for queries that start elsewhere (sessions). */
export const userSelection = selection;

function base(db: DbOrTx) {
  return db
    .select(selection)
    .from(users)
    .leftJoin(units, eq(units.id, users.unitId))
    .leftJoin(regions, eq(regions.id, users.regionId));
}

/** The rows of `users` a scope may see. */
export function userScope(scope: TScope): SQL | undefined {
  switch (scope.kind) {
    case 'all':
      return undefined;
    case 'unit':
      return eq(users.unitId, scope.unitId);
    case 'region': {
      // A unit's people belong where the unit does (unit users often have no region of their own).
      const within = regionSubtree(scope.regionId);
      return sql`(${users.regionId} in ${within} or ${users.unitId} in (select u.id from ${units} u where u.region_id in ${within}))`;
    }
    case 'self':
      return eq(users.id, scope.userId);
  }
}

function filters(scope: TScope, q: Partial<TListUsersQuery>): SQL[] {
  const conds: SQL[] = [];
  const s = userScope(scope);
  if (s) conds.push(s);
  if (q.q) {
    const p = likePattern(q.q);
    conds.push(or(ilike(users.name, p), ilike(users.username, p), ilike(users.phone, p))!);
  }
  if (q.role) conds.push(sql`${q.role} = any(${users.roles})`);
  if (q.unitId) conds.push(eq(users.unitId, q.unitId));
  if (q.regionId) conds.push(sql`${users.regionId} in ${regionSubtree(q.regionId)}`);
  if (q.active) conds.push(eq(users.active, q.active === 'true'));
  return conds;
}

const SORT_COLUMNS = {
  id: users.id,
  name: users.name,
  username: users.username,
  updatedAt: users.updatedAt,
};

export async function listUsers(
  db: DbOrTx,
  scope: TScope,
  q: TListUsersQuery,
): Promise<{ rows: UserRow[]; total: number }> {
  const conds = filters(scope, q);
  const sortCol = SORT_COLUMNS[q.sort];
  const after = afterCursor(sortCol, users.id, q.order, q.cursor);
  const dir = q.order === 'asc' ? asc : desc;
  const rows = await base(db)
    .where(and(...conds, ...(after ? [after] : [])))
    .orderBy(dir(sortCol), dir(users.id))
    .limit(q.limit + 1);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(conds.length ? and(...conds) : undefined);
  return { rows, total: count!.n };
}

export async function* iterateUsers(
  db: DbOrTx,
  scope: TScope,
  q: Partial<TListUsersQuery>,
): AsyncGenerator<UserRow[]> {
  let lastId = 0;
  for (;;) {
    const rows = await base(db)
      .where(and(...filters(scope, q), sql`${users.id} > ${lastId}`))
      .orderBy(asc(users.id))
      .limit(1000);
    if (rows.length === 0) return;
    yield rows;
    lastId = rows[rows.length - 1]!.id;
  }
}

export async function findUser(
  db: DbOrTx,
  id: number,
  scope?: TScope,
): Promise<UserRow | undefined> {
  const s = scope ? userScope(scope) : undefined;
  const rows = await base(db)
    .where(and(eq(users.id, id), ...(s ? [s] : [])))
    .limit(1);
  return rows[0];
}

/** By username (case-insensitive) or phone number: both may be used to sign in. */
export async function findUserByLogin(db: DbOrTx, login: string): Promise<UserRow | undefined> {
  const rows = await base(db)
    .where(or(sql`lower(${users.username}) = lower(${login})`, eq(users.phone, login)))
    .limit(1);
  return rows[0];
}

export async function findUsersByUsernameOrPhone(
  db: DbOrTx,
  usernames: string[],
  phones: string[],
): Promise<UserRow[]> {
  const conds: SQL[] = [];
  if (usernames.length)
    conds.push(sql`lower(${users.username}) in ${usernames.map((u) => u.toLowerCase())}`);
  if (phones.length) conds.push(sql`${users.phone} in ${phones}`);
  if (!conds.length) return [];
  return base(db).where(or(...conds));
}

export async function insertUser(db: DbOrTx, v: UserValues): Promise<number> {
  const [row] = await db.insert(users).values(v).returning({ id: users.id });
  return row!.id;
}

export async function updateUser(
  db: DbOrTx,
  id: number,
  version: number,
  v: Partial<UserValues>,
): Promise<boolean> {
  // Sessions carry the user (roles, unit, active): cached ones must not outlive the change.
  invalidateSessionCache();
  const rows = await db
    .update(users)
    .set({ ...v, version: sql`${users.version} + 1`, updatedAt: new Date() })
    .where(and(eq(users.id, id), eq(users.version, version)))
    .returning({ id: users.id });
  return rows.length === 1;
}

export async function countUsers(db: DbOrTx): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return r!.n;
}

/**
 * Reserves a sign-in attempt before the password is checked: one atomic update counts it unless
 * the account is locked. When the count passes `max` the account is locked at once (`justLocked`).
 */
export async function reserveLoginAttempt(
  db: DbOrTx,
  id: number,
  max: number,
  now: Date,
  lockUntil: Date,
): Promise<{ count: number; lockedUntil: Date | null; justLocked: boolean }> {
  const rows = await execRows<{
    count: number;
    locked_until: Date | string | null;
    just_locked: boolean;
  }>(
    db,
    sql`
    update users set
      failed_login_count = case
        when locked_until > ${now} then failed_login_count
        when failed_login_count + 1 > ${max} then 0
        else failed_login_count + 1 end,
      locked_until = case
        when locked_until > ${now} then locked_until
        when failed_login_count + 1 > ${max} then ${lockUntil}
        else locked_until end
    where id = ${id}
    returning failed_login_count as count, locked_until,
      (locked_until = ${lockUntil}) as just_locked`,
  );
  const r = rows[0]!;
  const until = r.locked_until === null ? null : new Date(r.locked_until);
  return {
    count: r.count,
    lockedUntil: until,
    justLocked: r.just_locked === true && until !== null,
  };
}

/** Locks an account that is not already locked; true when this call locked it. */
export async function lockUser(
  db: DbOrTx,
  id: number,
  now: Date,
  lockUntil: Date,
): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ lockedUntil: lockUntil, failedLoginCount: 0 })
    .where(
      and(eq(users.id, id), sql`(${users.lockedUntil} is null or ${users.lockedUntil} <= ${now})`),
    )
    .returning({ id: users.id });
  return rows.length === 1;
}

/** Records a successful sign-in unless the account was locked meanwhile; false when it was. */
export async function completeLogin(db: DbOrTx, id: number, now: Date): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: now })
    .where(
      and(eq(users.id, id), sql`(${users.lockedUntil} is null or ${users.lockedUntil} <= ${now})`),
    )
    .returning({ id: users.id });
  return rows.length === 1;
}
