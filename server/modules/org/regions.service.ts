import {
  REGION_LEVELS,
  type TCreateRegionRequest,
  type TRegion,
  type TUpdateRegionRequest,
} from '../../../core/contracts/org.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { presentRegion } from './org.present.js';
import * as repo from './regions.repo.js';

function checkLevel(level: TRegion['level'], parent: repo.RegionRow | undefined): void {
  const idx = REGION_LEVELS.indexOf(level);
  if (!parent) {
    if (idx !== 0) {
      throw errors.invalid({
        zh: '只有“市”级区划可以没有上级区划',
        en: 'only a city-level region may have no parent',
      });
    }
    return;
  }
  if (REGION_LEVELS.indexOf(parent.level) !== idx - 1) {
    throw errors.invalid({
      zh: `上级区划“${parent.name}”的层级与本区划不相邻`,
      en: `parent region "${parent.name}" must be exactly one level above`,
    });
  }
}

export async function listRegions(
  database: Database,
  actor: Actor,
  q: {
    parentId?: number | undefined;
    level?: TRegion['level'] | undefined;
    q?: string | undefined;
  },
): Promise<TRegion[]> {
  requirePermission(actor, Permission.RegionRead);
  return (await repo.listRegions(database.db, q)).map(presentRegion);
}

export async function getRegion(database: Database, actor: Actor, id: number): Promise<TRegion> {
  requirePermission(actor, Permission.RegionRead);
  const row = await repo.findRegion(database.db, id);
  if (!row) throw errors.notFound('region', id);
  return presentRegion(row);
}

export async function createRegion(
  database: Database,
  actor: Actor,
  input: TCreateRegionRequest,
): Promise<TRegion> {
  requirePermission(actor, Permission.RegionWrite);
  return withTx(database, async (tx) => {
    const parent = input.parentId ? await repo.findRegion(tx, input.parentId) : undefined;
    if (input.parentId && !parent) throw errors.notFound('parentRegion', input.parentId);
    checkLevel(input.level, parent);
    if (await repo.findRegionByCode(tx, input.code))
      throw errors.duplicate('region', '代码/code', input.code);
    const row = await repo.insertRegion(tx, input, parent?.path ?? '/');
    const out = presentRegion(row);
    await writeAudit(tx, actor, {
      action: 'region.create',
      entityType: 'region',
      entityId: row.id,
      after: out,
    });
    return out;
  });
}

export async function updateRegion(
  database: Database,
  actor: Actor,
  id: number,
  input: TUpdateRegionRequest,
): Promise<TRegion> {
  requirePermission(actor, Permission.RegionWrite);
  return withTx(database, async (tx) => {
    const current = await repo.findRegion(tx, id);
    if (!current) throw errors.notFound('region', id);
    if (current.version !== input.version) throw errors.staleVersion('region');
    const parentId = input.parentId === undefined ? current.parentId : input.parentId;
    const parent = parentId ? await repo.findRegion(tx, parentId) : undefined;
    if (parentId && !parent) throw errors.notFound('parentRegion', parentId);
    if (parent && parent.path.startsWith(current.path)) {
      throw new AppError('cycle', 400, {
        zh: '不能把区划移动到它自己或它的下级之下',
        en: 'a region cannot be moved under itself or one of its descendants',
      });
    }
    const level = input.level ?? current.level;
    checkLevel(level, parent);
    if (level !== current.level && (await repo.regionUsage(tx, id)).children > 0) {
      throw errors.invalid({
        zh: '该区划有下级区划，不能修改层级',
        en: 'a region with child regions cannot change its level',
      });
    }
    if (
      input.code &&
      input.code !== current.code &&
      (await repo.findRegionByCode(tx, input.code))
    ) {
      throw errors.duplicate('region', '代码/code', input.code);
    }
    const newPath = parentId !== current.parentId ? `${parent?.path ?? '/'}${id}/` : null;
    const { version, ...changes } = input;
    const row = await repo.updateRegion(tx, id, version, changes, newPath, current.path);
    if (!row) throw errors.staleVersion('region');
    const out = presentRegion(row);
    await writeAudit(tx, actor, {
      action: 'region.update',
      entityType: 'region',
      entityId: id,
      before: presentRegion(current),
      after: out,
    });
    return out;
  });
}

export async function deleteRegion(
  database: Database,
  actor: Actor,
  id: number,
  version: number,
): Promise<void> {
  requirePermission(actor, Permission.RegionWrite);
  await withTx(database, async (tx) => {
    const current = await repo.findRegion(tx, id);
    if (!current) throw errors.notFound('region', id);
    const usage = await repo.regionUsage(tx, id);
    if (usage.children + usage.units + usage.users > 0) {
      throw errors.inUse('region', {
        zh: `${usage.children} 个下级区划、${usage.units} 个单位、${usage.users} 个用户`,
        en: `${usage.children} child region(s), ${usage.units} unit(s), ${usage.users} user(s)`,
      });
    }
    if ((await repo.deleteRegion(tx, id, version)) === 0) throw errors.staleVersion('region');
    await writeAudit(tx, actor, {
      action: 'region.delete',
      entityType: 'region',
      entityId: id,
      before: presentRegion(current),
    });
  });
}
