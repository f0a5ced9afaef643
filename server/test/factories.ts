import { randomBytes } from 'node:crypto';
import type { TRegionLevel, TUnitType } from '../../core/contracts/org.js';
import type { TRole } from '../../core/permissions.js';
import type { DbOrTx } from '../db/client.js';
import { hashPassword } from '../platform/auth/password.js';
import { findRegion, insertRegion, type RegionRow } from '../modules/org/regions.repo.js';
import { findUnit, insertUnit, type UnitRow } from '../modules/org/units.repo.js';
import { findUser, insertUser, type UserRow } from '../modules/org/users.repo.js';
import { TEST_PASSWORD } from './harness.js';

const tag = () => randomBytes(3).toString('hex');
let seq = 0;
const next = () => ++seq;

let cachedHash: Promise<string> | null = null;
/** argon2 is slow on purpose; tests share one hash of TEST_PASSWORD. */
const testHash = () => (cachedHash ??= hashPassword(TEST_PASSWORD));

export async function buildRegion(
  db: DbOrTx,
  o: { name?: string; code?: string; level?: TRegionLevel; parent?: RegionRow | null } = {},
): Promise<RegionRow> {
  const parent = o.parent ?? null;
  const row = await insertRegion(
    db,
    {
      code: o.code ?? String(990000000000 + next() * 1000 + Math.floor(Math.random() * 1000)),
      name: o.name ?? `测试区划${tag()}`,
      level: o.level ?? 'city',
      parentId: parent?.id ?? null,
    },
    parent?.path ?? '/',
  );
  return (await findRegion(db, row.id))!;
}

export async function buildUnit(
  db: DbOrTx,
  o: {
    name?: string;
    code?: string;
    type?: TUnitType;
    regionId?: number | null;
    parentId?: number | null;
  } = {},
): Promise<UnitRow> {
  const id = await insertUnit(db, {
    code: o.code ?? `T-${next()}-${tag()}`,
    name: o.name ?? `测试单位${tag()}`,
    type: o.type ?? 'government_department',
    regionId: o.regionId ?? null,
    parentId: o.parentId ?? null,
  });
  return (await findUnit(db, id))!;
}

export async function buildUser(
  db: DbOrTx,
  o: {
    username?: string;
    name?: string;
    roles?: TRole[];
    unitId?: number | null;
    regionId?: number | null;
    phone?: string | null;
    active?: boolean;
    mustChangePassword?: boolean;
  } = {},
): Promise<UserRow> {
  const id = await insertUser(db, {
    username: o.username ?? `u${next()}${tag()}`,
    name: o.name ?? `测试用户${tag()}`,
    phone: o.phone ?? null,
    roles: o.roles ?? ['office'],
    unitId: o.unitId ?? null,
    regionId: o.regionId ?? null,
    active: o.active ?? true,
    passwordHash: await testHash(),
    mustChangePassword: o.mustChangePassword ?? false,
  });
  return (await findUser(db, id))!;
}
