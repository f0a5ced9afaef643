import type {
  TAssignment,
  TCreateAssignmentRequest,
  TMyAssignment,
  TUpdateAssignmentRequest,
} from '../../../core/contracts/frameworks.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import { withTx } from '../../platform/tx.js';
import * as nodes from './framework-nodes.repo.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { fwErrors } from './frameworks.errors.js';
import { presentAssignment } from './frameworks.present.js';
import * as repo from './frameworks.repo.js';
import * as arepo from './assignments.repo.js';

/**
 * The 任务分解 of a version as the actor may see it: the office and leaders all of it, a unit the
 * standards it leads or shares. A version has at most a few thousand rows, so the list is whole
 * (the matrix view needs all of it); filters narrow it by item or unit.
 */
export async function listAssignments(
  database: Database,
  actor: Actor,
  versionId: number,
  q: { itemId?: number | undefined; unitId?: number | undefined; groupId?: number | undefined },
): Promise<TAssignment[]> {
  const scope = requirePermission(actor, Permission.AssignmentRead);
  if (!(await repo.findVersion(database.db, versionId))) {
    throw fwErrors.notFound('version', versionId);
  }
  const rows = await arepo.listAssignments(database.db, versionId, scope, q);
  return rows.map(presentAssignment);
}

/**
 * 我的任务: the actor's unit's assignments on every framework version in force (published), lead or
 * shared, within the actor's scope (an office or leader below the city who heads a unit outside
 * its subtree without the unit role sees none of them). Users without a unit have none.
 */
export async function listMyAssignments(
  database: Database,
  actor: Actor,
): Promise<TMyAssignment[]> {
  const scope = requirePermission(actor, Permission.AssignmentRead);
  const unitId = actor.unitId;
  if (unitId === null) return [];
  const db = database.db;
  const out: TMyAssignment[] = [];
  for (const c of await repo.listCampaigns(db)) {
    for (const f of await repo.listFrameworks(db, [c.id])) {
      const v = await repo.findVersionByStatus(db, f.id, 'published');
      if (!v) continue;
      const rows = await arepo.listAssignments(
        db,
        v.id,
        scope.kind === 'region' ? scope : { kind: 'unit', unitId },
        { unitId },
      );
      for (const r of rows) {
        out.push({
          ...presentAssignment(r),
          frameworkId: f.id,
          frameworkName: f.name,
          campaignName: c.name,
          role: r.leadUnitId === unitId ? 'lead' : 'responsible',
        });
      }
    }
  }
  return out;
}

async function checkUnits(db: DbOrTx, lead: number | undefined, others: number[]): Promise<void> {
  const ids = [...(lead ? [lead] : []), ...others];
  const found = await arepo.existingUnits(db, ids);
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) {
    throw fwErrors.invalid(
      `单位不存在（${missing}）`,
      `unit not found (${missing})`,
      lead === missing ? 'leadUnitId' : 'responsibleUnitIds',
    );
  }
}

const leadTaken = () =>
  fwErrors.conflict(
    'duplicate',
    '该标准已有以此单位牵头的任务',
    'this standard already has a task led by this unit',
  );

async function assignmentOut(db: DbOrTx, versionId: number, id: number): Promise<TAssignment> {
  const [row] = await arepo.listAssignments(db, versionId, { kind: 'all' }, { id });
  return presentAssignment(row!);
}

const distinct = (ids: number[], lead: number) =>
  ids.filter((id, i) => id !== lead && ids.indexOf(id) === i);

/** Adds one task to a standard of the version (the city's work: the version is never copied). */
export async function createAssignment(
  database: Database,
  actor: Actor,
  versionId: number,
  input: TCreateAssignmentRequest,
): Promise<TAssignment> {
  requirePermission(actor, Permission.AssignmentWrite);
  return withTx(database, async (tx) => {
    const standard = await nodes.findNode(tx, input.standardId);
    if (!standard || standard.versionId !== versionId || standard.kind !== 'standard') {
      throw fwErrors.notFound('node', input.standardId);
    }
    await checkUnits(tx, input.leadUnitId, input.responsibleUnitIds);
    if (await arepo.findAssignmentFor(tx, standard.id, input.leadUnitId)) throw leadTaken();
    await arepo.insertAssignments(tx, versionId, [
      {
        standardId: standard.id,
        leadUnitId: input.leadUnitId,
        responsibleUnitIds: distinct(input.responsibleUnitIds, input.leadUnitId),
        leaderName: input.leaderName ?? null,
        dueDate: input.dueDate ?? null,
        dueText: input.dueDate ? null : (input.dueText ?? null),
        notes: input.notes ?? null,
        position: await arepo.countForStandard(tx, standard.id),
      },
    ]);
    const row = (await arepo.findAssignmentFor(tx, standard.id, input.leadUnitId))!;
    const out = await assignmentOut(tx, versionId, row.id);
    await writeAudit(tx, actor, {
      action: 'assignment.create',
      entityType: 'assignment',
      entityId: row.id,
      after: out,
    });
    return out;
  });
}

export async function updateAssignment(
  database: Database,
  actor: Actor,
  id: number,
  input: TUpdateAssignmentRequest,
): Promise<TAssignment> {
  requirePermission(actor, Permission.AssignmentWrite);
  return withTx(database, async (tx) => {
    const current = await arepo.findAssignment(tx, id);
    if (!current) throw fwErrors.notFound('assignment', id);
    if (current.version !== input.version) throw fwErrors.stale('assignment');
    const before = await assignmentOut(tx, current.versionId, id);
    await checkUnits(tx, input.leadUnitId, input.responsibleUnitIds ?? []);
    const lead = input.leadUnitId ?? current.leadUnitId;
    if (
      lead !== current.leadUnitId &&
      (await arepo.findAssignmentFor(tx, current.standardId, lead))
    ) {
      throw leadTaken();
    }
    const { version, responsibleUnitIds, ...fields } = input;
    const changes = {
      ...fields,
      ...(fields.dueDate ? { dueText: null } : {}),
    };
    if (!(await arepo.updateAssignment(tx, id, version, changes))) {
      throw fwErrors.stale('assignment');
    }
    if (responsibleUnitIds) {
      await arepo.replaceResponsibleUnits(tx, id, distinct(responsibleUnitIds, lead));
    }
    const out = await assignmentOut(tx, current.versionId, id);
    await writeAudit(tx, actor, {
      action: 'assignment.update',
      entityType: 'assignment',
      entityId: id,
      before,
      after: out,
    });
    return out;
  });
}

export async function deleteAssignment(
  database: Database,
  actor: Actor,
  id: number,
  version: number,
): Promise<void> {
  requirePermission(actor, Permission.AssignmentWrite);
  await withTx(database, async (tx) => {
    const current = await arepo.findAssignment(tx, id);
    if (!current) throw fwErrors.notFound('assignment', id);
    const before = await assignmentOut(tx, current.versionId, id);
    if (!(await arepo.deleteAssignment(tx, id, version))) throw fwErrors.stale('assignment');
    await writeAudit(tx, actor, {
      action: 'assignment.delete',
      entityType: 'assignment',
      entityId: id,
      before,
    });
  });
}
