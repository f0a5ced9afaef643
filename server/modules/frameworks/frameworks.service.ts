import type {
  TCampaign,
  TCreateCampaignRequest,
  TListCampaignsQuery,
  TCreateFrameworkRequest,
  TFramework,
  TFrameworkTree,
  TUpdateCampaignRequest,
  TUpdateFrameworkRequest,
} from '../../../core/contracts/frameworks.js';
import { Permission } from '../../../core/permissions.js';
import {
  checkFrameworkRules,
  DEFAULT_SURVEY_CURVE,
  presetWeights,
} from '../../../core/scoring/rules.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { withTx } from '../../platform/tx.js';
import { fwErrors } from './frameworks.errors.js';
import {
  presentCampaign,
  presentFramework,
  presentNegative,
  presentTree,
  presentVersionSummary,
} from './frameworks.present.js';
import * as repo from './frameworks.repo.js';
import * as nodes from './framework-nodes.repo.js';
import { carryLinks } from './framework-publish.js';

// ---------- campaigns ----------

async function campaignOut(db: DbOrTx, id: number): Promise<TCampaign> {
  const c = await repo.findCampaign(db, id);
  if (!c) throw fwErrors.notFound('campaign', id);
  const fws = await repo.listFrameworks(db, [id]);
  const versions = await repo.listVersionSummaries(
    db,
    fws.map((f) => f.id),
  );
  return presentCampaign(c, fws, versions);
}

export async function listCampaigns(
  database: Database,
  actor: Actor,
  q: TListCampaignsQuery = {},
): Promise<TCampaign[]> {
  requirePermission(actor, Permission.FrameworkRead);
  const db = database.db;
  const cs = await repo.listCampaigns(db, q.kind);
  const fws = await repo.listFrameworks(
    db,
    cs.map((c) => c.id),
  );
  const versions = await repo.listVersionSummaries(
    db,
    fws.map((f) => f.id),
  );
  return cs.map((c) => presentCampaign(c, fws, versions));
}

export async function getCampaign(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TCampaign> {
  requirePermission(actor, Permission.FrameworkRead);
  return campaignOut(database.db, id);
}

const campaignNameTaken = (name: string) =>
  fwErrors.conflict(
    'duplicate',
    `创建周期“${name}”已存在`,
    `a campaign named "${name}" already exists`,
  );

export async function createCampaign(
  database: Database,
  actor: Actor,
  input: TCreateCampaignRequest,
): Promise<TCampaign> {
  requirePermission(actor, Permission.FrameworkWrite);
  return withTx(database, async (tx) => {
    if (await repo.findCampaignByName(tx, input.name)) throw campaignNameTaken(input.name);
    const id = await repo.insertCampaign(tx, {
      ...input,
      // New campaigns grade survey rates in bands (BRIEF §1.1) unless told otherwise; the preset
      // follows the weights when they are a known class's.
      surveyCurve: input.surveyCurve ?? DEFAULT_SURVEY_CURVE,
      cyclePreset:
        input.cyclePreset ??
        (JSON.stringify(presetWeights('prefecture', input.cycleYears)) ===
        JSON.stringify(input.cycleWeights)
          ? 'prefecture'
          : 'custom'),
    });
    const out = await campaignOut(tx, id);
    await writeAudit(tx, actor, {
      action: 'campaign.create',
      entityType: 'campaign',
      entityId: id,
      after: { ...out, frameworks: undefined },
    });
    return out;
  });
}

export async function updateCampaign(
  database: Database,
  actor: Actor,
  id: number,
  input: TUpdateCampaignRequest,
): Promise<TCampaign> {
  requirePermission(actor, Permission.FrameworkWrite);
  return withTx(database, async (tx) => {
    const current = await repo.findCampaign(tx, id);
    if (!current) throw fwErrors.notFound('campaign', id);
    if (current.version !== input.version) throw fwErrors.stale('campaign');
    if (
      input.name &&
      input.name !== current.name &&
      (await repo.findCampaignByName(tx, input.name))
    ) {
      throw campaignNameTaken(input.name);
    }
    const { version, ...changes } = input;
    if (!(await repo.updateCampaign(tx, id, version, changes))) throw fwErrors.stale('campaign');
    const out = await campaignOut(tx, id);
    await writeAudit(tx, actor, {
      action: 'campaign.update',
      entityType: 'campaign',
      entityId: id,
      before: { ...current },
      after: { ...out, frameworks: undefined },
    });
    return out;
  });
}

export async function deleteCampaign(
  database: Database,
  actor: Actor,
  id: number,
  version: number,
): Promise<void> {
  requirePermission(actor, Permission.FrameworkWrite);
  await withTx(database, async (tx) => {
    const current = await repo.findCampaign(tx, id);
    if (!current) throw fwErrors.notFound('campaign', id);
    const fws = await repo.listFrameworks(tx, [id]);
    if (fws.length) {
      throw fwErrors.conflict(
        'in_use',
        `该创建周期仍有 ${fws.length} 个测评体系，不能删除`,
        `this campaign still has ${fws.length} framework(s) and cannot be deleted`,
      );
    }
    if (!(await repo.deleteCampaign(tx, id, version))) throw fwErrors.stale('campaign');
    await writeAudit(tx, actor, {
      action: 'campaign.delete',
      entityType: 'campaign',
      entityId: id,
      before: { ...current },
    });
  });
}

// ---------- frameworks ----------

export async function frameworkOut(db: DbOrTx, id: number): Promise<TFramework> {
  const f = await repo.findFramework(db, id);
  if (!f) throw fwErrors.notFound('framework', id);
  const c = (await repo.findCampaign(db, f.campaignId))!;
  return presentFramework(f, await repo.listVersionSummaries(db, [id]), c);
}

export async function listFrameworks(
  database: Database,
  actor: Actor,
  campaignId: number | undefined,
): Promise<TFramework[]> {
  requirePermission(actor, Permission.FrameworkRead);
  const fws = await repo.listFrameworks(database.db, campaignId ? [campaignId] : undefined);
  const versions = await repo.listVersionSummaries(
    database.db,
    fws.map((f) => f.id),
  );
  const cs = new Map((await repo.listCampaigns(database.db)).map((c) => [c.id, c]));
  return fws.map((f) => presentFramework(f, versions, cs.get(f.campaignId)!));
}

export async function getFramework(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TFramework> {
  requirePermission(actor, Permission.FrameworkRead);
  return frameworkOut(database.db, id);
}

export const frameworkNameTaken = (name: string) =>
  fwErrors.conflict(
    'duplicate',
    `该创建周期已有名为“${name}”的测评体系（可导入为它的新版本）`,
    `this campaign already has a framework named "${name}" (import it as a new version instead)`,
  );

/** A new framework with an empty draft v1. */
export async function createFramework(
  database: Database,
  actor: Actor,
  input: TCreateFrameworkRequest,
): Promise<TFramework> {
  requirePermission(actor, Permission.FrameworkWrite);
  return withTx(database, async (tx) => {
    if (!(await repo.findCampaign(tx, input.campaignId))) {
      throw fwErrors.notFound('campaign', input.campaignId);
    }
    if (await repo.findFrameworkByName(tx, input.campaignId, input.name)) {
      throw frameworkNameTaken(input.name);
    }
    const id = await repo.insertFramework(tx, {
      campaignId: input.campaignId,
      name: input.name,
      level: input.level,
      edition: input.edition ?? null,
      position: await repo.nextFrameworkPosition(tx, input.campaignId),
    });
    await repo.insertVersion(tx, {
      frameworkId: id,
      number: 1,
      status: 'draft',
      basedOnId: null,
      source: { meta: {}, scoring: null, sections: {}, levelInFile: false },
      createdBy: actor.id,
    });
    const out = await frameworkOut(tx, id);
    await writeAudit(tx, actor, {
      action: 'framework.create',
      entityType: 'framework',
      entityId: id,
      after: out,
    });
    return out;
  });
}

export async function updateFramework(
  database: Database,
  actor: Actor,
  id: number,
  input: TUpdateFrameworkRequest,
): Promise<TFramework> {
  requirePermission(actor, Permission.FrameworkWrite);
  return withTx(database, async (tx) => {
    const current = await repo.findFramework(tx, id);
    if (!current) throw fwErrors.notFound('framework', id);
    if (current.version !== input.version) throw fwErrors.stale('framework');
    if (
      input.name &&
      input.name !== current.name &&
      (await repo.findFrameworkByName(tx, current.campaignId, input.name))
    ) {
      throw frameworkNameTaken(input.name);
    }
    const { version, ...changes } = input;
    if (changes.rules) {
      const c = (await repo.findCampaign(tx, current.campaignId))!;
      const [issue] = checkFrameworkRules(changes.rules, c.cycleYears);
      if (issue) throw fwErrors.invalid(issue.zh, issue.en, `rules.${issue.path.join('.')}`);
    }
    if (!(await repo.updateFramework(tx, id, version, changes))) throw fwErrors.stale('framework');
    const out = await frameworkOut(tx, id);
    await writeAudit(tx, actor, {
      action: 'framework.update',
      entityType: 'framework',
      entityId: id,
      before: { ...current },
      after: out,
    });
    return out;
  });
}

// ---------- versions ----------

export async function getTree(
  database: Database,
  actor: Actor,
  versionId: number,
): Promise<TFrameworkTree> {
  requirePermission(actor, Permission.FrameworkRead);
  const db = database.db;
  const v = await repo.findVersion(db, versionId);
  if (!v) throw fwErrors.notFound('version', versionId);
  const f = (await repo.findFramework(db, v.frameworkId))!;
  const c = (await repo.findCampaign(db, f.campaignId))!;
  const [summary] = (await repo.listVersionSummaries(db, [f.id])).filter((s) => s.id === v.id);
  const framework = presentFramework(f, await repo.listVersionSummaries(db, [f.id]), c);
  const { versions: _versions, ...fw } = framework;
  const tree = presentTree(await nodes.listNodes(db, v.id));
  return {
    framework: fw,
    campaignName: c.name,
    versionInfo: { ...presentVersionSummary(summary!), editable: v.status === 'draft' },
    items: tree.items,
    negativeItems: (await nodes.listNegatives(db, v.id)).map(presentNegative),
    totals: tree.totals,
  };
}

/** Publishes a draft: it becomes the version in force, the previous one is superseded. */
export async function publishVersion(
  database: Database,
  actor: Actor,
  versionId: number,
  version: number,
  confirmLosses = false,
): Promise<TFramework> {
  requirePermission(actor, Permission.FrameworkWrite);
  return withTx(database, async (tx) => {
    const v0 = await repo.findVersion(tx, versionId);
    if (!v0) throw fwErrors.notFound('version', versionId);
    await repo.lockFramework(tx, v0.frameworkId);
    const v = (await repo.findVersion(tx, versionId))!;
    if (v.version !== version) throw fwErrors.stale('version');
    if (v.status !== 'draft') throw fwErrors.notDraft(v.number);
    const [summary] = (await repo.listVersionSummaries(tx, [v.frameworkId])).filter(
      (s) => s.id === v.id,
    );
    if (!summary || summary.standards === 0) {
      throw fwErrors.invalid(
        '没有任何测评标准的版本不能发布',
        'a version without any standard cannot be published',
      );
    }
    const carried = await carryLinks(tx, v, confirmLosses);
    const current = await repo.findVersionByStatus(tx, v.frameworkId, 'published');
    if (current)
      await repo.updateVersion(tx, current.id, current.version, { status: 'superseded' });
    await repo.updateVersion(tx, v.id, v.version, {
      status: 'published',
      publishedAt: new Date(),
      publishedBy: actor.id,
    });
    await writeAudit(tx, actor, {
      action: 'framework_version.publish',
      entityType: 'framework_version',
      entityId: v.id,
      before: current ? { superseded: current.id, number: current.number } : null,
      after: {
        frameworkId: v.frameworkId,
        number: v.number,
        standards: summary.standards,
        added: carried.standards.added.length,
        removed: carried.standards.removed.length,
        changed: carried.standards.changed.length,
        carried: carried.carried,
        lost: carried.lost.map((l) => ({ kind: l.kind, code: l.code, count: l.count })),
      },
    });
    return frameworkOut(tx, v.frameworkId);
  });
}

/** Deletes a draft (and its content); versions that were in force are kept for history. */
export async function deleteDraft(
  database: Database,
  actor: Actor,
  versionId: number,
  version: number,
): Promise<void> {
  requirePermission(actor, Permission.FrameworkWrite);
  await withTx(database, async (tx) => {
    const v = await repo.findVersion(tx, versionId);
    if (!v) throw fwErrors.notFound('version', versionId);
    await repo.lockFramework(tx, v.frameworkId);
    if (v.version !== version) throw fwErrors.stale('version');
    if (v.status !== 'draft') {
      throw fwErrors.conflict(
        'in_use',
        `v${v.number} 已发布过，只能删除草稿`,
        `v${v.number} has been published; only drafts can be deleted`,
      );
    }
    await repo.deleteVersion(tx, v.id);
    await writeAudit(tx, actor, {
      action: 'framework_version.delete',
      entityType: 'framework_version',
      entityId: v.id,
      before: { frameworkId: v.frameworkId, number: v.number },
    });
  });
}
