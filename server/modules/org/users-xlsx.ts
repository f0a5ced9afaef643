import { randomInt } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { TImportResult, TRowError } from '../../../core/contracts/common.js';
import {
  ZCreateUserRequestSchema,
  ZPasswordSchema,
  type TListUsersQuery,
} from '../../../core/contracts/org.js';
import { grantableRoles, Permission, ROLE_LABELS, type TRole } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { hashPassword } from '../../platform/auth/password.js';
import { errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { streamSheet, type ColumnSpec } from '../../platform/xlsx.js';
import { presentUser } from './org.present.js';
import { findUnitsByCodeOrName } from './units.repo.js';
import * as repo from './users.repo.js';
import {
  ACTIVE_WORDS,
  duplicateErrors,
  matchLabel,
  readImportRows,
  regionLookup,
  zodRowErrors,
} from './xlsx-helpers.js';

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
const col = (k: Key) => USER_COLUMNS.find((c) => c.key === k)!.header;

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
  file: Buffer,
): Promise<TImportResult> {
  requirePermission(actor, Permission.UserImport);
  const rows = await readImportRows(file, USER_COLUMNS);
  const errs: TRowError[] = [
    ...duplicateErrors(rows, 'username', col('username'), (v) => v.toLowerCase()),
    ...duplicateErrors(rows, 'phone', col('phone')),
  ];
  const regionByKey = await regionLookup(database.db);
  const unitKeys = rows.map((r) => r.values.unit).filter(Boolean);
  const unitByKey = new Map<string, number>();
  for (const u of await findUnitsByCodeOrName(database.db, unitKeys, unitKeys)) {
    unitByKey.set(u.code, u.id);
    unitByKey.set(u.name, u.id);
  }
  const existing = await repo.findUsersByUsernameOrPhone(
    database.db,
    rows.map((r) => r.values.username).filter(Boolean),
    rows.map((r) => r.values.phone).filter(Boolean),
  );
  const allowed = grantableRoles(actor.roles);

  type Parsed = {
    row: number;
    username: string;
    name: string;
    phone: string | null;
    unitId: number | null;
    regionId: number | null;
    roles: TRole[];
    active: boolean;
    password: string | null;
  };
  const parsed: Parsed[] = [];
  for (const r of rows) {
    const v = r.values;
    const before = errs.length;
    const roles: TRole[] = [];
    for (const word of v.roles.split(/[,，、;；\s]+/).filter(Boolean)) {
      const role = matchLabel(ROLE_LABELS, word);
      if (!role)
        errs.push({ row: r.row, column: col('roles'), reason: `未知角色“${word}” / unknown role` });
      else if (!allowed.includes(role)) {
        errs.push({
          row: r.row,
          column: col('roles'),
          reason: `无权授予角色“${word}” / you may not grant this role`,
        });
      } else if (!roles.includes(role)) roles.push(role);
    }
    const unitId = v.unit ? (unitByKey.get(v.unit) ?? null) : null;
    if (v.unit && unitId === null) {
      errs.push({
        row: r.row,
        column: col('unit'),
        reason: `单位“${v.unit}”不存在 / unit not found`,
      });
    }
    if (roles.includes('unit') && !v.unit) {
      errs.push({
        row: r.row,
        column: col('unit'),
        reason: '“责任单位”角色必须填写所属单位 / the unit role needs a unit',
      });
    }
    const regionId = v.region ? (regionByKey.get(v.region) ?? null) : null;
    if (v.region && regionId === null) {
      errs.push({
        row: r.row,
        column: col('region'),
        reason: `区划“${v.region}”不存在 / region not found`,
      });
    }
    const active = v.active ? ACTIVE_WORDS[v.active.toLowerCase()] : true;
    if (active === undefined) {
      errs.push({
        row: r.row,
        column: col('active'),
        reason: '状态应为“启用”或“停用” / use 启用 or 停用',
      });
    }
    const prior = existing.find((e) => e.username.toLowerCase() === v.username.toLowerCase());
    const phoneOwner = v.phone ? existing.find((e) => e.phone === v.phone) : undefined;
    if (phoneOwner && phoneOwner.id !== prior?.id) {
      errs.push({
        row: r.row,
        column: col('phone'),
        reason: `手机号已被用户 ${phoneOwner.username} 使用 / phone already used by ${phoneOwner.username}`,
      });
    }
    if (prior && (prior.roles as TRole[]).some((x) => !allowed.includes(x))) {
      errs.push({
        row: r.row,
        column: col('username'),
        reason: '无权修改该用户 / you may not change this user',
      });
    }
    const result = ZCreateUserRequestSchema.omit({ password: true }).safeParse({
      username: v.username,
      name: v.name,
      phone: v.phone || null,
      roles,
    });
    if (!result.success) {
      // An unknown role was already reported for this row; "no role" would only repeat it.
      const roleReported = errs.slice(before).some((e) => e.column === col('roles'));
      errs.push(
        ...zodRowErrors(r.row, result.error, USER_COLUMNS).filter(
          (e) => !(roleReported && e.column === col('roles')),
        ),
      );
    }
    if (v.password && !prior) {
      const pw = ZPasswordSchema.safeParse(v.password);
      if (!pw.success)
        errs.push(
          ...pw.error.issues.map((i) => ({
            row: r.row,
            column: col('password'),
            reason: i.message,
          })),
        );
    }
    if (errs.length > before) continue;
    parsed.push({
      row: r.row,
      username: v.username,
      name: v.name,
      phone: v.phone || null,
      unitId,
      regionId,
      roles,
      active: active ?? true,
      password: prior ? null : v.password || generatePassword(),
    });
  }
  if (errs.length) throw errors.badImport(errs.sort((a, b) => a.row - b.row));

  const hashes = await Promise.all(
    parsed.map((p) => (p.password ? hashPassword(p.password) : Promise.resolve(null))),
  );
  return withTx(database, async (tx) => {
    let created = 0;
    let updated = 0;
    const generated: { username: string; password: string }[] = [];
    for (const [i, p] of parsed.entries()) {
      const prior = existing.find((e) => e.username.toLowerCase() === p.username.toLowerCase());
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
        const given = rows.find((r) => r.row === p.row)?.values.password;
        if (!given && p.password) generated.push({ username: p.username, password: p.password });
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
