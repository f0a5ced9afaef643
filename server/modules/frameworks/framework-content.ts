import { randomUUID } from 'node:crypto';
import type {
  TCreateNodeRequest,
  TFrameworkWriteResult,
  TMoveNodeRequest,
  TNegativeItemRequest,
  TNodeKind,
  TUpdateNegativeItemRequest,
  TUpdateNodeRequest,
} from '../../../core/contracts/frameworks.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, Tx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { withTx } from '../../platform/tx.js';
import { fwErrors } from './frameworks.errors.js';
import { presentNegative } from './frameworks.present.js';
import * as repo from './frameworks.repo.js';
import * as bulk from './framework-bulk.repo.js';
import * as nodes from './framework-nodes.repo.js';

/**
 * Editing a framework's content. A draft is edited in place. A version that is in use — published
 * now or in force before (superseded) — is frozen: the first edit copies it into a new draft and
 * applies the edit there, so everything that refers to the old version keeps what it referred to.
 */

interface Target {
  version: repo.VersionRow;
  forked: boolean;
}

/** The version an edit lands in: the draft itself, or a new draft copied from the frozen version. */
async function writableVersion(tx: Tx, actor: Actor, versionId: number): Promise<Target> {
  const first = await repo.findVersion(tx, versionId);
  if (!first) throw fwErrors.notFound('version', versionId);
  await repo.lockFramework(tx, first.frameworkId);
  const v = (await repo.findVersion(tx, versionId))!;
  if (v.status === 'draft') return { version: v, forked: false };
  const draft = await repo.findVersionByStatus(tx, v.frameworkId, 'draft');
  if (draft) throw fwErrors.draftExists(draft.number);
  const copy = await repo.insertVersion(tx, {
    frameworkId: v.frameworkId,
    number: await repo.nextVersionNumber(tx, v.frameworkId),
    status: 'draft',
    basedOnId: v.id,
    source: v.source,
    createdBy: actor.id,
  });
  await bulk.copyVersionContent(tx, v.id, copy.id);
  await writeAudit(tx, actor, {
    action: 'framework_version.copy',
    entityType: 'framework_version',
    entityId: copy.id,
    after: { frameworkId: v.frameworkId, number: copy.number, basedOn: v.number },
  });
  return { version: copy, forked: true };
}

/** 404 before anything else when the node is not in the version the client named. */
async function nodeOf(tx: Tx, versionId: number, nodeId: number): Promise<void> {
  const n = await nodes.findNode(tx, nodeId);
  if (!n || n.versionId !== versionId) throw fwErrors.notFound('node', nodeId);
}

/** A node of `versionId` (as the client saw it), found again in the version the edit lands in. */
async function nodeIn(
  tx: Tx,
  versionId: number,
  nodeId: number,
  target: Target,
): Promise<{ seen: nodes.NodeRow; node: nodes.NodeRow }> {
  const seen = await nodes.findNode(tx, nodeId);
  if (!seen || seen.versionId !== versionId) throw fwErrors.notFound('node', nodeId);
  const node = target.forked ? await nodes.findNodeByKey(tx, target.version.id, seen.key) : seen;
  if (!node) throw fwErrors.notFound('node', nodeId);
  return { seen, node };
}

const PARENT_KIND: Record<TNodeKind, TNodeKind | null> = {
  item: null,
  content: 'item',
  standard: 'content',
};

const result = (t: Target, id: number | null): TFrameworkWriteResult => ({
  versionId: t.version.id,
  forked: t.forked,
  versionNumber: t.version.number,
  id,
});

async function parentIn(
  tx: Tx,
  versionId: number,
  parentId: number | null,
  kind: TNodeKind,
  target: Target,
): Promise<nodes.NodeRow | null> {
  if (parentId === null) return null;
  const { node } = await nodeIn(tx, versionId, parentId, target).catch(() => {
    throw fwErrors.notFound('parent', parentId);
  });
  if (node.kind !== PARENT_KIND[kind]) {
    throw fwErrors.invalid(
      '上级节点类型不对：内容应在项目下，标准应在内容下',
      'wrong parent: a content belongs under an item, a standard under a content',
      'parentId',
    );
  }
  return node;
}

async function checkCode(tx: Tx, versionId: number, code: string, selfId: number | null) {
  const clash = await nodes.findNodeByCode(tx, versionId, code);
  if (clash && clash.id !== selfId) throw fwErrors.duplicateCode(code);
}

async function generateCode(
  tx: Tx,
  versionId: number,
  parent: nodes.NodeRow | null,
  siblings: number,
): Promise<string> {
  const taken = await nodes.nodeCodes(tx, versionId);
  const prefix = parent ? `${parent.code}.` : 'I';
  for (let k = siblings + 1; ; k++) {
    if (!taken.has(`${prefix}${k}`.toUpperCase())) return `${prefix}${k}`;
  }
}

function standardOnly(kind: TNodeKind, input: Partial<TUpdateNodeRequest>): void {
  if (kind === 'standard') return;
  const extra = (
    ['method', 'maxScore', 'guidance', 'evidence', 'unitHints', 'notes', 'surveyCurve'] as const
  ).filter((k) => input[k] !== undefined && input[k] !== null && input[k] !== '');
  if (extra.length) {
    throw fwErrors.invalid(
      '只有测评标准有测评方法、分值、说明、佐证材料、备注和计分曲线',
      'only standards have a method, score, guidance, evidence, notes and a survey curve',
      extra[0],
    );
  }
}

const nodeAudit = (n: nodes.NodeRow) => ({
  versionId: n.versionId,
  kind: n.kind,
  code: n.code,
  text: n.text,
  method: n.method,
  maxScore: n.maxScore,
  guidance: n.guidance,
  evidence: n.evidence,
  unitHints: n.unitHints,
  notes: n.notes,
  surveyCurve: n.surveyCurve,
  parentId: n.parentId,
  position: n.position,
});

export async function createNode(
  database: Database,
  actor: Actor,
  versionId: number,
  input: TCreateNodeRequest,
): Promise<TFrameworkWriteResult> {
  requirePermission(actor, Permission.FrameworkWrite);
  standardOnly(input.kind, input);
  return withTx(database, async (tx) => {
    const target = await writableVersion(tx, actor, versionId);
    const vid = target.version.id;
    const parent = await parentIn(tx, versionId, input.parentId, input.kind, target);
    const siblings = await nodes.countSiblings(tx, vid, parent?.id ?? null);
    const code = input.code ?? (await generateCode(tx, vid, parent, siblings));
    await checkCode(tx, vid, code, null);
    const position = Math.min(input.position ?? siblings, siblings);
    await nodes.shiftSiblings(tx, vid, parent?.id ?? null, position, 1);
    const isStd = input.kind === 'standard';
    const row = await nodes.insertNode(tx, {
      versionId: vid,
      parentId: parent?.id ?? null,
      kind: input.kind,
      key: randomUUID(),
      code,
      text: input.text,
      guidance: isStd ? (input.guidance ?? null) : null,
      method: isStd ? input.method! : null,
      maxScore: isStd ? input.maxScore! : null,
      evidence: isStd ? (input.evidence ?? []) : [],
      unitHints: isStd ? (input.unitHints ?? []) : [],
      notes: isStd ? input.notes || null : null,
      surveyCurve: isStd ? (input.surveyCurve ?? null) : null,
      position,
    });
    await writeAudit(tx, actor, {
      action: 'framework_node.create',
      entityType: 'framework_node',
      entityId: row.id,
      after: nodeAudit(row),
    });
    return result(target, row.id);
  });
}

export async function updateNode(
  database: Database,
  actor: Actor,
  versionId: number,
  nodeId: number,
  input: TUpdateNodeRequest,
): Promise<TFrameworkWriteResult> {
  requirePermission(actor, Permission.FrameworkWrite);
  return withTx(database, async (tx) => {
    await nodeOf(tx, versionId, nodeId);
    const target = await writableVersion(tx, actor, versionId);
    const { seen, node } = await nodeIn(tx, versionId, nodeId, target);
    if (seen.version !== input.version) throw fwErrors.stale('node');
    standardOnly(node.kind, input);
    if (input.code) await checkCode(tx, target.version.id, input.code, node.id);
    const { version: _v, ...changes } = input;
    // An emptied 备注 is no remark.
    if (changes.notes !== undefined) changes.notes = changes.notes || null;
    if (!(await nodes.updateNode(tx, node.id, node.version, changes))) throw fwErrors.stale('node');
    const after = (await nodes.findNode(tx, node.id))!;
    await writeAudit(tx, actor, {
      action: 'framework_node.update',
      entityType: 'framework_node',
      entityId: node.id,
      before: nodeAudit(node),
      after: nodeAudit(after),
    });
    return result(target, node.id);
  });
}

/** Moves a node among its siblings or under another parent of the right kind. */
export async function moveNode(
  database: Database,
  actor: Actor,
  versionId: number,
  nodeId: number,
  input: TMoveNodeRequest,
): Promise<TFrameworkWriteResult> {
  requirePermission(actor, Permission.FrameworkWrite);
  return withTx(database, async (tx) => {
    await nodeOf(tx, versionId, nodeId);
    const target = await writableVersion(tx, actor, versionId);
    const vid = target.version.id;
    const { seen, node } = await nodeIn(tx, versionId, nodeId, target);
    if (seen.version !== input.version) throw fwErrors.stale('node');
    const parent = await parentIn(tx, versionId, input.parentId, node.kind, target);
    const parentId = parent?.id ?? null;
    // Close the gap where it was, then open one where it goes.
    await nodes.shiftSiblings(tx, vid, node.parentId, node.position + 1, -1);
    const count = await nodes.countSiblings(tx, vid, parentId);
    const others = parentId === node.parentId ? count - 1 : count;
    const position = Math.min(input.position, others);
    await nodes.shiftSiblings(tx, vid, parentId, position, 1);
    // The node itself was shifted with its old siblings when the parent stays the same.
    const now = (await nodes.findNode(tx, node.id))!;
    if (!(await nodes.updateNode(tx, node.id, now.version, { parentId, position }))) {
      throw fwErrors.stale('node');
    }
    await writeAudit(tx, actor, {
      action: 'framework_node.move',
      entityType: 'framework_node',
      entityId: node.id,
      before: { parentId: node.parentId, position: node.position },
      after: { parentId, position },
    });
    return result(target, node.id);
  });
}

/** Deletes a node with everything under it (and the assignments of those standards). */
export async function deleteNode(
  database: Database,
  actor: Actor,
  versionId: number,
  nodeId: number,
  version: number,
): Promise<TFrameworkWriteResult> {
  requirePermission(actor, Permission.FrameworkWrite);
  return withTx(database, async (tx) => {
    await nodeOf(tx, versionId, nodeId);
    const target = await writableVersion(tx, actor, versionId);
    const { seen, node } = await nodeIn(tx, versionId, nodeId, target);
    if (seen.version !== version) throw fwErrors.stale('node');
    if (!(await nodes.deleteNode(tx, node.id, node.version))) throw fwErrors.stale('node');
    await nodes.shiftSiblings(tx, target.version.id, node.parentId, node.position + 1, -1);
    await writeAudit(tx, actor, {
      action: 'framework_node.delete',
      entityType: 'framework_node',
      entityId: node.id,
      before: nodeAudit(node),
    });
    return result(target, null);
  });
}

// ---------- negative list ----------

async function negativeIn(tx: Tx, versionId: number, id: number, target: Target) {
  const seen = await nodes.findNegative(tx, id);
  if (!seen || seen.versionId !== versionId) throw fwErrors.notFound('negative', id);
  const row = target.forked ? await nodes.findNegativeByKey(tx, target.version.id, seen.key) : seen;
  if (!row) throw fwErrors.notFound('negative', id);
  return { seen, row };
}

async function checkNegativeCode(tx: Tx, versionId: number, code: string, selfId: number | null) {
  const clash = (await nodes.listNegatives(tx, versionId)).find(
    (n) => n.code.toUpperCase() === code.toUpperCase() && n.id !== selfId,
  );
  if (clash) throw fwErrors.duplicateCode(code);
}

export async function createNegative(
  database: Database,
  actor: Actor,
  versionId: number,
  input: TNegativeItemRequest,
): Promise<TFrameworkWriteResult> {
  requirePermission(actor, Permission.FrameworkWrite);
  return withTx(database, async (tx) => {
    const target = await writableVersion(tx, actor, versionId);
    const vid = target.version.id;
    const existing = await nodes.listNegatives(tx, vid);
    let code = input.code;
    if (!code) {
      const taken = new Set(existing.map((n) => n.code.toUpperCase()));
      let k = existing.length + 1;
      while (taken.has(`N${k}`)) k++;
      code = `N${k}`;
    }
    await checkNegativeCode(tx, vid, code, null);
    const row = await nodes.insertNegative(tx, {
      versionId: vid,
      key: randomUUID(),
      code,
      text: input.text,
      effect: input.effect,
      points: input.points,
      windowMonths: input.windowMonths ?? 12,
      suspendMonths: input.suspendMonths ?? null,
      barsApplication: input.barsApplication ?? false,
      position: existing.length,
    });
    await writeAudit(tx, actor, {
      action: 'negative_item.create',
      entityType: 'negative_item',
      entityId: row.id,
      after: presentNegative(row),
    });
    return result(target, row.id);
  });
}

export async function updateNegative(
  database: Database,
  actor: Actor,
  versionId: number,
  id: number,
  input: TUpdateNegativeItemRequest,
): Promise<TFrameworkWriteResult> {
  requirePermission(actor, Permission.FrameworkWrite);
  return withTx(database, async (tx) => {
    const first = await nodes.findNegative(tx, id);
    if (!first || first.versionId !== versionId) throw fwErrors.notFound('negative', id);
    const target = await writableVersion(tx, actor, versionId);
    const { seen, row } = await negativeIn(tx, versionId, id, target);
    if (seen.version !== input.version) throw fwErrors.stale('negative');
    if (input.code) await checkNegativeCode(tx, target.version.id, input.code, row.id);
    const { version: _v, ...changes } = input;
    if (!(await nodes.updateNegative(tx, row.id, row.version, changes))) {
      throw fwErrors.stale('negative');
    }
    await writeAudit(tx, actor, {
      action: 'negative_item.update',
      entityType: 'negative_item',
      entityId: row.id,
      before: presentNegative(row),
      after: presentNegative((await nodes.findNegative(tx, row.id))!),
    });
    return result(target, row.id);
  });
}

export async function deleteNegative(
  database: Database,
  actor: Actor,
  versionId: number,
  id: number,
  version: number,
): Promise<TFrameworkWriteResult> {
  requirePermission(actor, Permission.FrameworkWrite);
  return withTx(database, async (tx) => {
    const first = await nodes.findNegative(tx, id);
    if (!first || first.versionId !== versionId) throw fwErrors.notFound('negative', id);
    const target = await writableVersion(tx, actor, versionId);
    const { seen, row } = await negativeIn(tx, versionId, id, target);
    if (seen.version !== version) throw fwErrors.stale('negative');
    if (!(await nodes.deleteNegative(tx, row.id, row.version))) throw fwErrors.stale('negative');
    await writeAudit(tx, actor, {
      action: 'negative_item.delete',
      entityType: 'negative_item',
      entityId: row.id,
      before: presentNegative(row),
    });
    return result(target, null);
  });
}
