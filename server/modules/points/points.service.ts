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
import { resolvePlace, type TRegionSource } from '../org/region-routing.js';

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
  // The region given, else the grid's or the boundaries' at its position (org/region-routing);
  // a district or street office's point with no place is in its own region.
  const place = await resolvePlace(database.db, input, false);
  const officeRegion = place.regionId === null ? officeRegionOf(actor) : null;
  const regionId = place.regionId ?? officeRegion;
  const regionSource = officeRegion !== null ? 'given' : place.regionSource;
  await requireRegionWithin(database.db, actor, regionId);
  if (input.unitId) await requireUnitWithin(database.db, actor, input.unitId);
  const tid = await typeId(database.db, input.type);
  return withTx(database, async (tx) => {
    const { type: _type, ...rest } = input;
    const row = await repo.insertPoint(tx, { ...rest, regionId, regionSource, typeId: tid });
    await writeAudit(tx, actor, {
      action: 'point.create',
      entityType: 'point',
      entityId: row.id,
      after: row,
    });
    return presentPoint(row);
  });
}

/**
 * The region an edit gives a point: one named is 'given'; a region cleared, or a move of a point
 * whose region came from its place (grid, boundary) or that had none, is resolved again at the
 * (new) position. Nothing when the edit touches neither.
 */
async function placeChange(
  tx: DbOrTx,
  before: {
    regionId: number | null;
    regionSource: string | null;
    lat: number | null;
    lng: number | null;
  },
  patch: {
    regionId?: number | null | undefined;
    lat?: number | null | undefined;
    lng?: number | null | undefined;
  },
): Promise<{ regionId?: number | null; regionSource?: TRegionSource | null }> {
  if (patch.regionId != null) return { regionId: patch.regionId, regionSource: 'given' };
  const lat = patch.lat !== undefined ? patch.lat : before.lat;
  const lng = patch.lng !== undefined ? patch.lng : before.lng;
  const moved = lat !== before.lat || lng !== before.lng;
  const fromPlace =
    before.regionId === null ||
    before.regionSource === 'grid' ||
    before.regionSource === 'boundary';
  if (patch.regionId === null || (moved && fromPlace)) {
    const place = await resolvePlace(tx, { lat, lng }, false);
    return { regionId: place.regionId, regionSource: place.regionSource };
  }
  return {};
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
    // A move may place it in another region: one the office may hold it in.
    const placed = await placeChange(tx, before, rest);
    if (placed.regionId !== undefined && placed.regionId !== before.regionId) {
      await requireRegionWithin(tx, actor, placed.regionId);
    }
    const row = await repo.updatePointAtVersion(tx, id, version, {
      ...rest,
      ...placed,
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
