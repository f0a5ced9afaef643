import type { TPlaceProblemRequest, TProblemDetail } from '../../../core/contracts/problems.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { requireRegionWithin } from '../org/jurisdiction.js';
import { resolvePlace } from '../org/region-routing.js';
import { findRegion } from '../org/regions.repo.js';
import { detail, problemToChange } from './problems.service.js';
import * as repo from './problems.repo.js';

/**
 * 确定区域: the city office's queue of problems without a region (未定位 — reported with no
 * position, or at one outside every grid and region boundary) is worked by placing each: a
 * position (its grid and region found as at intake, from the tables) or the region named. The
 * problem then belongs to that region's offices like any other; the timeline says who placed it.
 */
export async function placeProblem(
  database: Database,
  actor: Actor,
  id: number,
  input: TPlaceProblemRequest,
): Promise<TProblemDetail> {
  const scope = requirePermission(actor, Permission.ProblemManage);
  return withTx(database, async (tx) => {
    const row = await problemToChange(tx, id, scope, input.version);
    if (row.regionId !== null) {
      throw new AppError('already_placed', 409, {
        zh: `该问题已有所属区域（${row.regionName ?? row.regionId}），不需要再确定`,
        en: `the problem already has its region (${row.regionName ?? row.regionId})`,
      });
    }
    const lat = input.lat ?? null;
    const lng = input.lng ?? null;
    if (input.regionId != null && !(await findRegion(tx, input.regionId))) {
      throw errors.invalid({ zh: '所选区域不存在', en: 'no such region' }, [
        { path: 'body.regionId', message: '区域不存在 / no such region' },
      ]);
    }
    // From the tables, not the cached indexes: a placement is rare and must see the latest edits.
    const place = await resolvePlace(tx, { regionId: input.regionId ?? null, lat, lng }, false);
    if (place.regionId === null) {
      throw errors.invalid(
        {
          zh: '该位置不在任何网格或区划边界内，请直接选择所属区域',
          en: 'the position lies outside every grid and region boundary: choose the region',
        },
        [{ path: 'body.regionId', message: '此位置须指定区域 / required for this position' }],
      );
    }
    await requireRegionWithin(tx, actor, place.regionId);
    const region = (await findRegion(tx, place.regionId))!;
    const now = new Date();
    const updated = await repo.updateProblem(tx, row.id, row.version, {
      regionId: place.regionId,
      regionSource: place.regionSource,
      gridId: place.gridId,
      ...(lat !== null ? { lat, lng } : {}),
      ...(input.address ? { address: input.address } : {}),
    });
    if (!updated) throw errors.staleVersion('problem');
    await repo.insertEvent(tx, {
      problemId: row.id,
      action: 'place',
      fromState: row.state,
      toState: row.state,
      actorId: actor.id,
      actorName: actor.name,
      at: now,
      note: null,
      data: {
        regionId: region.id,
        regionName: region.name,
        regionSource: place.regionSource,
        ...(lat !== null ? { lat, lng } : {}),
      },
    });
    await writeAudit(tx, actor, {
      action: 'problem.place',
      entityType: 'problem',
      entityId: row.id,
      before: { regionId: null, lat: row.lat, lng: row.lng, version: row.version },
      after: {
        regionId: region.id,
        regionSource: place.regionSource,
        gridId: place.gridId,
        lat: lat ?? row.lat,
        lng: lng ?? row.lng,
        version: row.version + 1,
      },
    });
    return detail(tx, actor, (await repo.findProblem(tx, id))!, now);
  });
}
