import { randomInt } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { TImportResult } from '../../../core/contracts/common.js';
import {
  ZCreateUserRequestSchema,
  ZPasswordSchema,
  type TListUsersQuery,
} from '../../../core/contracts/org.js';
import { grantableRolesOf } from '../../../core/org/grants.js';
import { Permission, ROLE_LABELS, type TRole } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { hashPassword } from '../../platform/auth/password.js';
import { errors } from '../../platform/errors.js';
import { importCheck, matchLabel, splitList } from '../../platform/import-check.js';
import { commitImport, readImportRows, type ImportFile } from '../../platform/xlsx-import.js';
import { streamSheet, type ColumnSpec } from '../../platform/xlsx.js';
import { presentUser } from './org.present.js';
import { outsideMessage, userPlaceProblem } from './jurisdiction.js';
import { regionIdsByCodeOrName, regionIdsWithin } from './regions.repo.js';
import { findUnit, findUnitsByCodeOrName } from './units.repo.js';
import * as repo from './users.repo.js';

type Key = 'username' | 'name' | 'phone' | 'unit' | 'region' | 'roles' | 'password' | 'active';

export const USER_COLUMNS: ColumnSpec<Key>[] = [
  { key: 'username', header: '用户名', aliases: ['username', '账号'], required: true, width: 16 },
  { key: 'name', header: '姓名', aliases: ['name'], required: true, width: 12 },
  { key: 'phone', header: '手机号', aliases: ['phone', '手机', '联系电话'], width: 16 },
  { key: 'unit', header: '所属单位', aliases: ['unit', '单位'], width: 24 },
  { key: 'region', header: '所属区划', aliases: ['region', '区划'], width: 16 },
  { key: 'roles', header: '角色', aliases: ['roles', 'role'], required: true, width: 20 },
  { key: 'password', header: '初始密码', aliases: ['password', '密码'], width: 14 },
  { key: 'active', header: '状态', aliases: ['status', 'active'] },
];

/** A readable initial password that satisfies the password rules. */
function generatePassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyz';
  const pick = (s: string) => s[randomInt(s.length)]!;
  let body = '';
  for (let i = 0; i < 6; i++) body += pick(letters);
  return `${pick(letters.toUpperCase())}${body}@${randomInt(1000, 10000)}`;
}

/**
 * Imports users from XLSX. New usernames are created (with the given initial password, or a
 * generated one returned once); existing usernames get their profile updated, never their password.
 * Every row is checked first; one bad row and nothing is written.
 */
export async function importUsers(
  database: Database,
  actor: Actor,
  file: ImportFile,
  opts: { dryRun?: boolean } = {},
): Promise<TImportResult> {
  requirePermission(actor, Permission.UserImport);
  const rows = await readImportRows(file, USER_COLUMNS);
  const check = importCheck(USER_COLUMNS);
  check.unique(rows, 'username', (v) => v.username.toLowerCase());
  check.unique(rows, 'phone');
  const regionByKey = await regionIdsByCodeOrName(database.db);
  const unitKeys = rows.map((r) => r.values.unit).filter(Boolean);
  const unitByKey = new Map<string, number>();
  const unitRegion = new Map<number, number | null>();
  for (const u of await findUnitsByCodeOrName(database.db, unitKeys, unitKeys)) {
    unitByKey.set(u.code, u.id);
    unitByKey.set(u.name, u.id);
    unitRegion.set(u.id, u.regionId);
  }
  const existing = await repo.findUsersByUsernameOrPhone(
    database.db,
    rows.map((r) => r.values.username).filter(Boolean),
    rows.map((r) => r.values.phone).filter(Boolean),
  );
  const priorOf = (username: string) =>
    existing.find((e) => e.username.toLowerCase() === username.toLowerCase());
  const allowed = grantableRolesOf(actor);
  // 分级管理: a district or street office imports its own people only (see users.service.ts).
  const own = officeRegionOf(actor);
  const inside = own === null ? null : await regionIdsWithin(database.db, own);
  for (const e of existing) {
    if (e.unitId !== null && !unitRegion.has(e.unitId)) {
      unitRegion.set(e.unitId, (await findUnit(database.db, e.unitId))?.regionId ?? null);
    }
  }
  /** Why a district office may not place a user so (null: it may, or the actor is the city's). */
  const placeProblem = (v: { roles: TRole[]; unitId: number | null; regionId: number | null }) => {
    if (inside === null) return null;
    const unitRegionId = v.unitId === null ? null : (unitRegion.get(v.unitId) ?? null);
    return userPlaceProblem(v, {
      region: v.regionId !== null && inside.has(v.regionId),
      unit: unitRegionId !== null && inside.has(unitRegionId),
    });
  };

  const parsed = check.rows(rows, (r) => {
    const v = r.values;
    const roles: TRole[] = [];
    for (const word of splitList(v.roles)) {
      const role = matchLabel(ROLE_LABELS, word);
      if (!role) r.fail('roles', `未知角色“${word}” / unknown role`);
      else if (!allowed.includes(role)) {
        r.fail('roles', `无权授予角色“${word}” / you may not grant this role`);
      } else if (!roles.includes(role)) roles.push(role);
    }
    const unitId = r.lookup('unit', unitByKey, { zh: '单位', en: 'unit' });
    if (roles.includes('unit') && !v.unit) {
      r.fail('unit', '“责任单位”角色必须填写所属单位 / the unit role needs a unit');
    }
    const regionId = r.lookup('region', regionByKey, { zh: '区划', en: 'region' });
    const active = r.active('active');
    const prior = priorOf(v.username);
    const phoneOwner = v.phone ? existing.find((e) => e.phone === v.phone) : undefined;
    if (phoneOwner && phoneOwner.id !== prior?.id) {
      r.fail(
        'phone',
        `手机号已被用户 ${phoneOwner.username} 使用 / phone already used by ${phoneOwner.username}`,
      );
    }
    const priorRoles = (prior?.roles ?? []) as TRole[];
    if (
      prior &&
      (priorRoles.some((x) => !allowed.includes(x)) ||
        placeProblem({ roles: priorRoles, unitId: prior.unitId, regionId: prior.regionId }))
    ) {
      r.fail('username', '无权修改该用户 / you may not change this user');
    }
    const place =
      r.failed('unit') || r.failed('region') ? null : placeProblem({ roles, unitId, regionId });
    if (place) r.fail(place.field, outsideMessage(place));
    const result = ZCreateUserRequestSchema.omit({ password: true }).safeParse({
      username: v.username,
      name: v.name,
      phone: v.phone || null,
      roles,
    });
    // An unknown role was already reported for this row; "no role" would only repeat it.
    if (!result.success) r.failZod(result.error, { except: r.failed('roles') ? ['roles'] : [] });
    if (v.password && !prior) {
      const pw = ZPasswordSchema.safeParse(v.password);
      if (!pw.success) for (const i of pw.error.issues) r.fail('password', i.message);
    }
    return {
      username: v.username,
      name: v.name,
      phone: v.phone || null,
      unitId,
      regionId,
      roles,
      active,
      given: v.password,
      password: prior ? null : v.password || generatePassword(),
    };
  });

  check.throwIfAny();
  // Hashing is slow: only for a file that is going to be written.
  const hashes = opts.dryRun
    ? parsed.map(() => DRY_RUN_HASH)
    : await Promise.all(
        parsed.map(({ data: p }) =>
          p.password ? hashPassword(p.password) : Promise.resolve(null),
        ),
      );
  const audit = { action: 'user.import', entityType: 'user' };
  return commitImport(database, actor, { file, check, audit, ...opts }, async (tx) => {
    let created = 0;
    let updated = 0;
    const generated: { username: string; password: string }[] = [];
    for (const [i, { data: p }] of parsed.entries()) {
      const prior = priorOf(p.username);
      const profile = {
        name: p.name,
        phone: p.phone,
        unitId: p.unitId,
        regionId: p.regionId,
        roles: p.roles,
        active: p.active,
      };
      let id: number;
      if (prior) {
        id = prior.id;
        if (!(await repo.updateUser(tx, id, prior.version, profile)))
          throw errors.staleVersion('user');
        updated++;
      } else {
        id = await repo.insertUser(tx, {
          ...profile,
          username: p.username,
          passwordHash: hashes[i]!,
          mustChangePassword: true,
        });
        created++;
        if (!p.given && p.password) generated.push({ username: p.username, password: p.password });
      }
      const after = presentUser((await repo.findUser(tx, id))!);
      await writeAudit(tx, actor, {
        action: prior ? 'user.import_update' : 'user.import_create',
        entityType: 'user',
        entityId: id,
        before: prior ? presentUser(prior) : null,
        after,
      });
    }
    return { imported: parsed.length, created, updated, generatedPasswords: generated };
  });
}

/** Stands in for password hashes in a dry run, whose writes are rolled back. */
const DRY_RUN_HASH = 'dry-run';

/** Streams the users the actor may see, filtered, as XLSX in the import's columns (no passwords). */
export function exportUsers(
  database: Database,
  actor: Actor,
  q: Partial<TListUsersQuery>,
): Readable {
  const scope = requirePermission(actor, Permission.UserRead);
  async function* batches() {
    for await (const rows of repo.iterateUsers(database.db, scope, q)) {
      yield rows.map((u) => ({
        username: u.username,
        name: u.name,
        phone: u.phone,
        unit: u.unitName,
        region: u.regionName,
        roles: (u.roles as TRole[]).map((r) => ROLE_LABELS[r]?.zh ?? r).join('、'),
        password: null,
        active: u.active ? '启用' : '停用',
      }));
    }
  }
  return streamSheet('用户', USER_COLUMNS, batches());
}
