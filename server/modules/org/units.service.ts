import type {
  TCreateUnitRequest,
  TListUnitsQuery,
  TUnit,
  TUpdateUnitRequest,
} from '../../../core/contracts/org.js';
import {
  ownAliases,
  unitNameClashMessage,
  unitNameIndex,
  unitNameKey,
} from '../../../core/org/unit-names.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { pageOf } from '../../platform/pagination.js';
import { withTx } from '../../platform/tx.js';
import { presentUnit } from './org.present.js';
import { requireRegionWithin, requireUnitWithin } from './jurisdiction.js';
import { findRegion, unitWithin } from './regions.repo.js';
import * as repo from './units.repo.js';

export async function listUnits(
  database: Database,
  actor: Actor,
  q: TListUnitsQuery,
): Promise<{ items: TUnit[]; nextCursor: string | null; total: number }> {
  requirePermission(actor, Permission.UnitRead);
  const { rows, total } = await repo.listUnits(database.db, {
    ...q,
    within: officeRegionOf(actor),
  });
  const page = pageOf(rows, q.limit, (r) => r[q.sort]);
  return { items: page.items.map(presentUnit), nextCursor: page.nextCursor, total };
}

export async function getUnit(database: Database, actor: Actor, id: number): Promise<TUnit> {
  requirePermission(actor, Permission.UnitRead);
  const row = await repo.findUnit(database.db, id);
  const own = officeRegionOf(actor);
  if (row && own !== null && !(await unitWithin(database.db, id, own))) {
    throw errors.notFound('unit', id);
  }
  if (!row) throw errors.notFound('unit', id);
  return presentUnit(row);
}

/**
 * A unit a district or street office cannot reach (outside its subtree) is "not found" to it, as
 * in the list and the detail; the city's offices reach every unit.
 */
async function findReachable(tx: DbOrTx, actor: Actor, id: number): Promise<repo.UnitRow> {
  const row = await repo.findUnit(tx, id);
  const own = officeRegionOf(actor);
  if (!row || (own !== null && !(await unitWithin(tx, id, own)))) throw errors.notFound('unit', id);
  return row;
}

/** 分级管理: a district or street office places units (and their parents) within its subtree. */
async function checkWithin(
  tx: DbOrTx,
  actor: Actor,
  input: { regionId?: number | null | undefined; parentId?: number | null | undefined },
  creating: boolean,
): Promise<void> {
  if (creating || input.regionId !== undefined) {
    await requireRegionWithin(tx, actor, input.regionId ?? null);
  }
  if (input.parentId) await requireUnitWithin(tx, actor, input.parentId);
}

async function checkRefs(
  tx: DbOrTx,
  input: { regionId?: number | null | undefined; parentId?: number | null | undefined },
  selfId: number | null,
): Promise<void> {
  if (input.regionId && !(await findRegion(tx, input.regionId))) {
    throw errors.notFound('region', input.regionId);
  }
  if (input.parentId) {
    if (!(await repo.findUnit(tx, input.parentId)))
      throw errors.notFound('parentUnit', input.parentId);
    if (selfId !== null && (await repo.isAncestorOrSelf(tx, selfId, input.parentId))) {
      throw new AppError('cycle', 400, {
        zh: '上级单位不能是本单位或其下属单位',
        en: 'a unit cannot be placed under itself or one of its sub-units',
      });
    }
  }
}

async function checkUnique(
  tx: DbOrTx,
  input: { code?: string | undefined; name?: string | undefined },
  selfId: number | null,
): Promise<void> {
  const clash = await repo.findUnitsByCodeOrName(
    tx,
    input.code ? [input.code] : [],
    input.name ? [input.name] : [],
  );
  for (const c of clash) {
    if (c.id === selfId) continue;
    if (c.code === input.code) throw errors.duplicate('unit', '代码/code', c.code);
    throw errors.duplicate('unit', '名称/name', c.name);
  }
}

/**
 * An alias names one unit: one that repeats another unit's name, short name or alias is refused
 * (409), naming that unit, so a sheet's name never matches two units by an alias.
 */
export async function checkAliases(
  tx: DbOrTx,
  aliases: readonly string[],
  selfId: number | null,
): Promise<void> {
  if (aliases.length === 0) return;
  const all = await repo.unitNames(tx);
  const clash = unitNameIndex(all.map((u) => ({ ...u, key: u.id })))(selfId ?? -1, aliases);
  if (!clash) return;
  const msg = unitNameClashMessage(clash);
  throw new AppError('alias_taken', 409, msg, {
    fields: [{ path: 'aliases', message: `${msg.zh} / ${msg.en}` }],
  });
}

export async function createUnit(
  database: Database,
  actor: Actor,
  input: TCreateUnitRequest,
): Promise<TUnit> {
  requirePermission(actor, Permission.UnitWrite);
  return withTx(database, async (tx) => {
    await checkRefs(tx, input, null);
    await checkWithin(tx, actor, input, true);
    await checkUnique(tx, input, null);
    const shortName = input.shortName ?? null;
    const aliases = ownAliases(input.aliases ?? [], input.name, shortName);
    await checkAliases(tx, aliases, null);
    const id = await repo.insertUnit(tx, {
      code: input.code,
      name: input.name,
      shortName,
      aliases,
      type: input.type,
      regionId: input.regionId ?? null,
      parentId: input.parentId ?? null,
      contactName: input.contactName ?? null,
      contactPhone: input.contactPhone ?? null,
      address: input.address ?? null,
      active: input.active ?? true,
    });
    const out = presentUnit((await repo.findUnit(tx, id))!);
    await writeAudit(tx, actor, {
      action: 'unit.create',
      entityType: 'unit',
      entityId: id,
      after: out,
    });
    return out;
  });
}

export async function updateUnit(
  database: Database,
  actor: Actor,
  id: number,
  input: TUpdateUnitRequest,
): Promise<TUnit> {
  requirePermission(actor, Permission.UnitWrite);
  return withTx(database, async (tx) => {
    const current = await findReachable(tx, actor, id);
    if (current.version !== input.version) throw errors.staleVersion('unit');
    await checkRefs(tx, input, id);
    await checkWithin(tx, actor, input, false);
    await checkUnique(tx, input, id);
    const { version, aliases: given, ...changes } = input;
    // Aliases that repeat the unit's own (possibly new) name or short name are dropped; only the
    // newly added ones are checked against other units, so an older clash never blocks an edit.
    const aliases = ownAliases(
      given ?? current.aliases,
      input.name ?? current.name,
      input.shortName !== undefined ? input.shortName : current.shortName,
    );
    const had = new Set(current.aliases.map(unitNameKey));
    await checkAliases(
      tx,
      aliases.filter((a) => !had.has(unitNameKey(a))),
      id,
    );
    const sameAliases =
      aliases.length === current.aliases.length &&
      aliases.every((a, i) => a === current.aliases[i]);
    const values = sameAliases ? changes : { ...changes, aliases };
    if (!(await repo.updateUnit(tx, id, version, values))) throw errors.staleVersion('unit');
    const out = presentUnit((await repo.findUnit(tx, id))!);
    await writeAudit(tx, actor, {
      action: 'unit.update',
      entityType: 'unit',
      entityId: id,
      before: presentUnit(current),
      after: out,
    });
    return out;
  });
}

export async function deleteUnit(
  database: Database,
  actor: Actor,
  id: number,
  version: number,
): Promise<void> {
  requirePermission(actor, Permission.UnitWrite);
  await withTx(database, async (tx) => {
    const current = await findReachable(tx, actor, id);
    const usage = await repo.unitUsage(tx, id);
    if (usage.children + usage.users > 0) {
      throw errors.inUse('unit', {
        zh: `${usage.children} 个下属单位、${usage.users} 个用户（可改为停用）`,
        en: `${usage.children} sub-unit(s) and ${usage.users} user(s) (deactivate it instead)`,
      });
    }
    if (!(await repo.deleteUnit(tx, id, version))) throw errors.staleVersion('unit');
    await writeAudit(tx, actor, {
      action: 'unit.delete',
      entityType: 'unit',
      entityId: id,
      before: presentUnit(current),
    });
  });
}
