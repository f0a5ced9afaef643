import {
  ZChecklistItemSchema,
  type TChecklistItem,
  type TPointType,
  type TPointTypeCreate,
  type TPointTypePatch,
} from '../../../core/contracts/inspections.js';
import {
  checklistEditProblem,
  linkedStandardCodes,
} from '../../../core/inspection/checklist-edit.js';
import { randomCheckByDefault } from '../../../core/inspection/random-check.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor, officeRegionOf } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { presentPointType as present } from './point-types.present.js';
import * as repo from './point-types.repo.js';
import { requireCityLevel } from '../org/jurisdiction.js';

/** Point types with their checklists and use, by code. */
export async function listPointTypes(database: Database, actor: Actor): Promise<TPointType[]> {
  requirePermission(actor, Permission.ProblemRead);
  return (await repo.listTypes(database.db, officeRegionOf(actor))).map(present);
}

export async function getPointType(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TPointType> {
  requirePermission(actor, Permission.ProblemRead);
  const row = await repo.findType(database.db, id);
  if (!row) throw errors.notFound('point_type', id);
  return present(row);
}

/** Every linked standard code must be a standard of some framework version (400 otherwise). */
async function checkStandards(db: DbOrTx, checklist: TChecklistItem[]) {
  const codes = linkedStandardCodes(checklist);
  if (!codes.length) return;
  const known = await repo.knownStandardCodes(db, codes);
  const unknown = codes.filter((c) => !known.has(c));
  if (!unknown.length) return;
  const fields = checklist.flatMap((item, i) =>
    (item.standards ?? [])
      .filter((c) => !known.has(c))
      .map((c) => ({
        path: `body.checklist.${i}.standards`,
        message: `测评标准“${c}”不存在 / unknown standard ${c}`,
      })),
  );
  throw errors.invalid(
    {
      zh: `测评体系中没有编号为 ${unknown.join('、')} 的测评标准`,
      en: `no framework has a standard with code ${unknown.join(', ')}`,
    },
    fields,
  );
}

const stored = (checklist: TChecklistItem[]) => checklist.map((i) => ZChecklistItemSchema.parse(i));

/** Creates a point type (the office). */
export async function createPointType(
  database: Database,
  actor: Actor,
  input: TPointTypeCreate,
): Promise<TPointType> {
  requirePermission(actor, Permission.InspectionManage);
  requireCityLevel(actor);
  await checkStandards(database.db, input.checklist);
  const id = await withTx(database, async (tx) => {
    const dup = await repo.typeIdByCode(tx, input.code);
    if (dup !== undefined) throw errors.duplicate('point_type', '编号 code', input.code);
    const row = await repo.insertType(tx, {
      ...input,
      checklist: stored(input.checklist),
      randomCheck: input.randomCheck ?? randomCheckByDefault(input.name),
    });
    await writeAudit(tx, actor, {
      action: 'point_type.create',
      entityType: 'point_type',
      entityId: row.id,
      after: row,
    });
    return row.id;
  });
  return present((await repo.findType(database.db, id))!);
}

/**
 * Edits a point type at the version read (409 when stale). A checklist of a type with visits can
 * be reworded, re-linked and re-flagged, and appended to when no drawn point awaits its visit and
 * no phone may add a place of it (随机查看 in a round under way); items are never removed
 * (core/inspection/checklist-edit.ts; docs/decisions.md).
 */
export async function updatePointType(
  database: Database,
  actor: Actor,
  id: number,
  input: TPointTypePatch,
): Promise<TPointType> {
  requirePermission(actor, Permission.InspectionManage);
  requireCityLevel(actor);
  const { version, ...rest } = input;
  if (rest.checklist) await checkStandards(database.db, rest.checklist);
  await withTx(database, async (tx) => {
    // Lock the row so a concurrent edit waits and then sees the new version.
    const locked = await repo.lockType(tx, id);
    const before = locked ? await repo.findType(tx, id) : undefined;
    if (!before) throw errors.notFound('point_type', id);
    if (before.version !== version) throw errors.staleVersion('point_type');
    if (rest.checklist) {
      const refusal = checklistEditProblem(before.checklist, rest.checklist, {
        visited: before.visits > 0,
        inField: before.awaiting > 0,
        randomInField: before.random_check && before.active_rounds > 0,
      });
      if (refusal) throw new AppError(refusal.code, refusal.status, refusal.message);
    }
    const row = await repo.updateType(tx, id, {
      ...rest,
      ...(rest.checklist ? { checklist: stored(rest.checklist) } : {}),
    });
    const { points: _p, visits: _v, awaiting: _a, active_rounds: _r, ...beforeRow } = before;
    await writeAudit(tx, actor, {
      action: 'point_type.update',
      entityType: 'point_type',
      entityId: id,
      before: beforeRow,
      after: row,
    });
  });
  return present((await repo.findType(database.db, id))!);
}
