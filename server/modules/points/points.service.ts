import type {
  TPoint,
  TPointAdopt,
  TPointInput,
  TPointListItem,
  TPointPatch,
  TPointsQuery,
} from '../../../core/contracts/points.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor, officeRegionOf } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { typeIdByCode } from './point-types.repo.js';
import { presentListItem, presentPoint } from './points.present.js';
import * as repo from './points.repo.js';
import { requireRegionWithin, requireUnitWithin } from '../org/jurisdiction.js';

async function typeId(db: DbOrTx, code: string): Promise<number> {
  const id = await typeIdByCode(db, code);
  if (id === undefined) {
    throw errors.invalid({ zh: `点位类型“${code}”不存在`, en: `unknown point type "${code}"` });
  }
  return id;
}

/**
 * Points (点位), optionally of one type: everyone at the city who reads problems reads them (the
 * map layer of field staff); an office or leader held at a district or street its subtree's.
 */
export async function listPoints(
  database: Database,
  actor: Actor,
  q: TPointsQuery,
): Promise<{ items: TPointListItem[] }> {
  requirePermission(actor, Permission.ProblemRead);
  const rows = await repo.listPoints(database.db, q.type, officeRegionOf(actor));
  return { items: rows.map(presentListItem) };
}

/** Registers a point (the office); the history of changes is the audit log's. */
export async function createPoint(
  database: Database,
  actor: Actor,
  input: TPointInput,
): Promise<TPoint> {
  requirePermission(actor, Permission.InspectionManage);
  // A district or street office's point with no place given is in its own region.
  const regionId = input.regionId ?? officeRegionOf(actor);
  await requireRegionWithin(database.db, actor, regionId);
  if (input.unitId) await requireUnitWithin(database.db, actor, input.unitId);
  const tid = await typeId(database.db, input.type);
  return withTx(database, async (tx) => {
    const { type: _type, ...rest } = input;
    const row = await repo.insertPoint(tx, { ...rest, regionId, typeId: tid });
    await writeAudit(tx, actor, {
      action: 'point.create',
      entityType: 'point',
      entityId: row.id,
      after: row,
    });
    return presentPoint(row);
  });
}

/** Edits a point at the version the client read (409 when someone else changed it). */
export async function updatePoint(
  database: Database,
  actor: Actor,
  id: number,
  input: TPointPatch,
): Promise<TPoint> {
  requirePermission(actor, Permission.InspectionManage);
  const { version, type, ...rest } = input;
  const tid = type ? await typeId(database.db, type) : undefined;
  return withTx(database, async (tx) => {
    const before = await repo.findPoint(tx, id);
    if (!before) throw errors.notFound('point', id);
    // A district office edits its own points, and keeps them (and their units) its own.
    await requireRegionWithin(tx, actor, before.regionId);
    if (rest.regionId !== undefined) await requireRegionWithin(tx, actor, rest.regionId);
    if (rest.unitId) await requireUnitWithin(tx, actor, rest.unitId);
    const row = await repo.updatePointAtVersion(tx, id, version, {
      ...rest,
      ...(tid ? { typeId: tid } : {}),
    });
    if (!row) throw errors.staleVersion('point');
    await writeAudit(tx, actor, {
      action: 'point.update',
      entityType: 'point',
      entityId: id,
      before,
      after: row,
    });
    return presentPoint(row);
  });
}

/**
 * Takes a place an inspector added during a round (随机查看) into the declared points (申报表), so
 * later draws may pick it (the office, at the version read). Its visit keeps its 随机增加 mark.
 */
export async function adoptPoint(
  database: Database,
  actor: Actor,
  id: number,
  input: TPointAdopt,
): Promise<TPoint> {
  requirePermission(actor, Permission.InspectionManage);
  return withTx(database, async (tx) => {
    const before = await repo.findPoint(tx, id);
    if (!before) throw errors.notFound('point', id);
    await requireRegionWithin(tx, actor, before.regionId);
    if (before.addedInRoundId === null || before.adoptedAt !== null) {
      throw new AppError('illegal_transition', 409, {
        zh: '该点位已在申报目录中，无需纳入',
        en: 'this point is already among the declared points',
      });
    }
    const row = await repo.adoptPointAtVersion(tx, id, input.version);
    if (!row) throw errors.staleVersion('point');
    await writeAudit(tx, actor, {
      action: 'point.adopt',
      entityType: 'point',
      entityId: id,
      before,
      after: row,
    });
    return presentPoint(row);
  });
}
