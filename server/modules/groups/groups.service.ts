import type { TPledge, TWorkingGroup, TWorkingGroupInput } from '../../../core/contracts/groups.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor, actorHas } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage.js';
import { withTx } from '../../platform/tx.js';
import { uploadDocument } from '../files/documents.js';
import { unitInScope, unitsInScope } from '../org/unit-scope.repo.js';
import { presentPledge } from './groups.present.js';
import * as repo from './groups.repo.js';

// 攻坚组/工作组 (read by everyone who reads 任务分解, managed by the office) and 目标责任书
// (generated per unit from its assignments; the signed scan and who signed it are recorded).

const notFound = (zh: string, en: string, id: number) =>
  new AppError('not_found', 404, { zh: `${zh}不存在（${id}）`, en: `${en} not found (${id})` });
const stale = () =>
  new AppError('stale_version', 409, {
    zh: '该记录已被他人修改，请刷新后重试',
    en: 'this record was changed by someone else; reload and try again',
  });
const invalid = (zh: string, en: string, path: string) =>
  new AppError('invalid', 400, { zh, en }, { fields: [{ path, message: `${zh} / ${en}` }] });

/**
 * The working groups: all of them, whole, to the city and to units; to an office or leader below
 * the city those with a member unit of its subtree, naming only those members (another district's
 * units are not its to see).
 */
export async function listGroups(
  database: Database,
  actor: Actor,
  campaignId: number | undefined,
): Promise<TWorkingGroup[]> {
  const scope = requirePermission(actor, Permission.AssignmentRead);
  const groups = await repo.listGroups(database.db, campaignId ? { campaignId } : {});
  if (scope.kind !== 'region') return groups;
  const reached = await unitsInScope(
    database.db,
    scope,
    groups.flatMap((g) => g.units.map((u) => u.id)),
  );
  return groups
    .map((g) => ({ ...g, units: g.units.filter((u) => reached.has(u.id)) }))
    .filter((g) => g.units.length > 0);
}

async function checkRefs(
  db: DbOrTx,
  input: { leaderUserId?: number | null | undefined; unitIds?: number[] | undefined },
) {
  if (input.leaderUserId) {
    if (!(await repo.userExists(db, input.leaderUserId)))
      throw invalid('组长用户不存在', 'the leader is not a user', 'leaderUserId');
  }
  for (const id of new Set(input.unitIds ?? [])) {
    if (!(await repo.unitExists(db, id)))
      throw invalid(`单位不存在（${id}）`, `unit not found (${id})`, 'unitIds');
  }
}

const nameTaken = () =>
  new AppError('duplicate', 409, {
    zh: '该创建周期已有同名工作组',
    en: 'this campaign already has a group with that name',
  });

export async function createGroup(
  database: Database,
  actor: Actor,
  input: TWorkingGroupInput & {
    unitIds: number[];
    standards: { frameworkId: number; standardKey: string }[];
  },
): Promise<TWorkingGroup> {
  requirePermission(actor, Permission.AssignmentWrite);
  const id = await withTx(database, async (tx) => {
    if (!(await repo.findCampaign(tx, input.campaignId))) {
      throw invalid('创建周期不存在', 'campaign not found', 'campaignId');
    }
    await checkRefs(tx, input);
    if (await repo.groupNameTaken(tx, input.campaignId, input.name)) throw nameTaken();
    const groupId = await repo.insertGroup(tx, {
      campaignId: input.campaignId,
      name: input.name,
      leaderUserId: input.leaderUserId ?? null,
    });
    await repo.replaceMembers(tx, groupId, input.unitIds, input.standards);
    const [out] = await repo.listGroups(tx, { id: groupId });
    await writeAudit(tx, actor, {
      action: 'working_group.create',
      entityType: 'working_group',
      entityId: groupId,
      after: out,
    });
    return groupId;
  });
  return (await repo.listGroups(database.db, { id }))[0]!;
}

export async function updateGroup(
  database: Database,
  actor: Actor,
  id: number,
  input: {
    name?: string | undefined;
    leaderUserId?: number | null | undefined;
    unitIds?: number[] | undefined;
    standards?: { frameworkId: number; standardKey: string }[] | undefined;
    version: number;
  },
): Promise<TWorkingGroup> {
  requirePermission(actor, Permission.AssignmentWrite);
  await withTx(database, async (tx) => {
    const [before] = await repo.listGroups(tx, { id });
    if (!before) throw notFound('工作组', 'working group', id);
    await checkRefs(tx, input);
    const updated = await repo.updateGroupRow(tx, id, input.version, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.leaderUserId !== undefined ? { leaderUserId: input.leaderUserId } : {}),
    });
    if (!updated) throw stale();
    await repo.replaceMembers(tx, id, input.unitIds, input.standards);
    const [after] = await repo.listGroups(tx, { id });
    await writeAudit(tx, actor, {
      action: 'working_group.update',
      entityType: 'working_group',
      entityId: id,
      before,
      after,
    });
  });
  return (await repo.listGroups(database.db, { id }))[0]!;
}

/** Deletes a working group (its member units and owned standards go with it); stale → 409. */
export async function deleteGroup(database: Database, actor: Actor, id: number, version: number) {
  requirePermission(actor, Permission.AssignmentWrite);
  await withTx(database, async (tx) => {
    const [before] = await repo.listGroups(tx, { id });
    if (!before) throw notFound('工作组', 'working group', id);
    if (!(await repo.deleteGroupRow(tx, id, version))) throw stale();
    await writeAudit(tx, actor, {
      action: 'working_group.delete',
      entityType: 'working_group',
      entityId: id,
      before,
    });
  });
}

/** The group's owned standards ("frameworkId:standardKey") for a list filter; unknown group → 400. */
export async function groupFilter(db: DbOrTx, groupId: number): Promise<Set<string>> {
  const owned = await repo.ownedStandards(db, groupId);
  if (!owned)
    throw invalid(`工作组不存在（${groupId}）`, `working group not found (${groupId})`, 'groupId');
  return owned;
}

/**
 * A unit sees its own pledge; the office and leaders at the city any unit's; an office or leader
 * below the city those of its subtree's units (and of the unit it heads).
 */
async function checkPledgeScope(db: DbOrTx, actor: Actor, unitId: number) {
  const scope = requirePermission(actor, Permission.AssignmentRead);
  const seen =
    scope.kind === 'all' ||
    (scope.kind === 'region' ? await unitInScope(db, scope, unitId) : actor.unitId === unitId);
  if (!seen) throw notFound('目标责任书', 'pledge', unitId);
}

/** 目标责任书: the unit's assignments and indicators on the campaign, with the signing status. */
export async function getPledge(
  database: Database,
  actor: Actor,
  campaignId: number,
  unitId: number,
): Promise<TPledge> {
  const db = database.db;
  await checkPledgeScope(db, actor, unitId);
  const c = await repo.findCampaign(db, campaignId);
  if (!c) throw notFound('创建周期', 'campaign', campaignId);
  const u = await repo.findUnit(db, unitId);
  if (!u) throw notFound('单位', 'unit', unitId);
  const a = await repo.findPledge(db, campaignId, unitId);
  const assignments = await repo.pledgeAssignments(db, campaignId, unitId);
  const inds = await repo.pledgeIndicators(db, campaignId, unitId);
  return presentPledge(c, u, a, assignments, inds);
}

/**
 * Records the signed scan (a file the actor uploaded): the pledge becomes signed, by the actor,
 * now. A stale version is a 409. The unit signs its own; the office may record any unit's.
 */
function checkSignScope(actor: Actor, unitId: number) {
  const scope = requirePermission(actor, Permission.AssignmentRead);
  const office = actorHas(actor, Permission.AssignmentWrite);
  // Below the city only a unit signs, its own (an office there reads its units' pledges only).
  const own = scope.kind === 'region' ? scope.unitId === unitId : actor.unitId === unitId;
  if (!office && !own) {
    throw notFound('目标责任书', 'pledge', unitId);
  }
}

/**
 * Uploads the signed scan (a PDF or an image, type checked by content; a disguised file is a
 * 415) and records it on the pledge as {@link signPledge} does. The scope is checked before
 * anything is stored.
 */
export async function uploadSignedScan(
  database: Database,
  storage: FileStorage,
  actor: Actor,
  unitId: number,
  q: { campaignId: number; version: number },
  upload: { data: Buffer; filename: string },
): Promise<TPledge> {
  checkSignScope(actor, unitId);
  const file = await uploadDocument(database, storage, actor, upload);
  return signPledge(database, actor, unitId, { ...q, fileId: file.id });
}

export async function signPledge(
  database: Database,
  actor: Actor,
  unitId: number,
  input: { campaignId: number; fileId: string; version: number },
): Promise<TPledge> {
  checkSignScope(actor, unitId);
  await withTx(database, async (tx) => {
    if (!(await repo.findCampaign(tx, input.campaignId))) {
      throw notFound('创建周期', 'campaign', input.campaignId);
    }
    const f = await repo.findFile(tx, input.fileId);
    if (!f || f.uploadedBy !== actor.id) {
      throw invalid(
        '扫描件不存在或不是本人上传',
        'the scan does not exist or is not yours',
        'fileId',
      );
    }
    await repo.ensurePledge(tx, input.campaignId, unitId);
    const before = await repo.findPledge(tx, input.campaignId, unitId);
    const after = await repo.markPledgeSigned(tx, before!.a.id, input.version, {
      fileId: input.fileId,
      by: actor.id,
    });
    if (!after) throw stale();
    await writeAudit(tx, actor, {
      action: 'pledge.sign',
      entityType: 'pledge',
      entityId: after.id,
      before: before!.a,
      after,
    });
  });
  return getPledge(database, actor, input.campaignId, unitId);
}
